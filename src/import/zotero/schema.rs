//! Which Zotero wrote the database, and whether gloss can read it: the `version` table's
//! `userdata` row, then every column the reader uses.
//!
//! userdata schema → first Zotero release with it (zotero/zotero, `resource/schema/userdata.sql`
//! at each tag): 95 5.0 … 111 5.0.96, 120 6.0 (annotations), 121 6.0.26, 123 7.0 and 8.x, 125
//! 9.0, 126–129 10.0. Zotero 4 (≤ 94) kept creators in `creatorData` and the user library as a
//! NULL id: not read.

use rusqlite::Connection;

/// The oldest schema read (Zotero 5.0).
const OLDEST: i64 = 95;
/// The newest schema known; a newer one is read when it has every column, with a warning.
pub(super) const NEWEST: i64 = 129;

/// The columns read, by table: a database without one cannot be read, whatever its version.
const NEEDED: &[(&str, &[&str])] = &[
    (
        "items",
        &["itemID", "itemTypeID", "libraryID", "key", "dateAdded"],
    ),
    ("itemTypesCombined", &["itemTypeID", "typeName"]),
    ("fieldsCombined", &["fieldID", "fieldName"]),
    (
        "baseFieldMappingsCombined",
        &["itemTypeID", "baseFieldID", "fieldID"],
    ),
    ("itemData", &["itemID", "fieldID", "valueID"]),
    ("itemDataValues", &["valueID", "value"]),
    (
        "creators",
        &["creatorID", "firstName", "lastName", "fieldMode"],
    ),
    (
        "itemCreators",
        &["itemID", "creatorID", "creatorTypeID", "orderIndex"],
    ),
    ("creatorTypes", &["creatorTypeID", "creatorType"]),
    ("tags", &["tagID", "name"]),
    ("itemTags", &["itemID", "tagID", "type"]),
    (
        "collections",
        &[
            "collectionID",
            "collectionName",
            "parentCollectionID",
            "libraryID",
        ],
    ),
    ("collectionItems", &["collectionID", "itemID"]),
    ("itemNotes", &["itemID", "parentItemID", "note"]),
    (
        "itemAttachments",
        &["itemID", "parentItemID", "contentType"],
    ),
    ("deletedItems", &["itemID"]),
    ("libraries", &["libraryID", "type"]),
];

const ANNOTATIONS: &[&str] = &[
    "itemID",
    "parentItemID",
    "type",
    "text",
    "comment",
    "color",
    "pageLabel",
    "sortIndex",
];

/// What the database is.
#[derive(Debug, Clone)]
pub(super) struct Schema {
    pub(super) userdata: i64,
    /// `itemAnnotations` exists (Zotero 6+).
    pub(super) annotations: bool,
    /// `deletedCollections` exists (the collections' trash).
    pub(super) deleted_collections: bool,
    /// Said when the schema is newer than gloss knows.
    pub(super) warning: Option<String>,
}

fn columns(db: &Connection, table: &str) -> Vec<String> {
    let Ok(mut statement) = db.prepare(&format!("PRAGMA table_info(\"{table}\")")) else {
        return Vec::new();
    };
    statement
        .query_map([], |r| r.get::<_, String>(1))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// The database's schema, or what keeps gloss from reading it (naming the version found).
pub(super) fn check(db: &Connection) -> Result<Schema, String> {
    let userdata: i64 = db
        .query_row(
            "SELECT version FROM version WHERE schema = 'userdata'",
            [],
            |r| r.get(0),
        )
        .map_err(|_| {
            "this is not a Zotero database (it has no userdata schema version): pass the folder that holds Zotero's zotero.sqlite".to_string()
        })?;
    if userdata < OLDEST {
        return Err(format!(
            "this is a Zotero 4 database (userdata schema {userdata}); gloss reads Zotero 5 and later (schema {OLDEST}–{NEWEST}): open it once in Zotero 5 or later, which upgrades it, then import again"
        ));
    }
    let check_table = |table: &str, needed: &[&str]| -> Result<Vec<String>, String> {
        let have = columns(db, table);
        match needed.iter().find(|c| !have.iter().any(|h| h == *c)) {
            Some(missing) => Err(format!(
                "this Zotero database (userdata schema {userdata}) has no column {table}.{missing}: this version of gloss cannot read it (it reads schemas {OLDEST}–{NEWEST}); update gloss"
            )),
            None => Ok(have),
        }
    };
    for (table, needed) in NEEDED {
        check_table(table, needed)?;
    }
    let annotations = !columns(db, "itemAnnotations").is_empty();
    if annotations {
        check_table("itemAnnotations", ANNOTATIONS)?;
    }
    let warning = (userdata > NEWEST).then(|| {
        format!("Zotero database schema {userdata} is newer than gloss knows ({NEWEST}); it has every column gloss reads, so it was read: check the notes, and update gloss")
    });
    Ok(Schema {
        userdata,
        annotations,
        deleted_collections: !columns(db, "deletedCollections").is_empty(),
        warning,
    })
}
