//! The SQL: the user library's live items, their fields, creators, tags and collections, and
//! the child notes, attachments and annotations under them, as plain rows. One query per table
//! for the whole library; rows are joined to items by id here, in memory.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value;
use rusqlite::{Connection, Row};

use super::schema::Schema;

/// A regular item (not a note, attachment or annotation) that is not in the trash.
#[derive(Debug, Clone, Default)]
pub(super) struct Item {
    pub(super) id: i64,
    /// Zotero's 8-character item key.
    pub(super) key: String,
    pub(super) item_type: String,
    pub(super) date_added: String,
    /// Field name → value (`bookTitle`, `date`, …).
    pub(super) fields: BTreeMap<String, String>,
    /// Base field name → value, for the type-specific fields (`publicationTitle` for
    /// `bookTitle`).
    pub(super) base: BTreeMap<String, String>,
    pub(super) creators: Vec<Creator>,
    /// Manual and automatic tags, in name order.
    pub(super) tags: Vec<String>,
    pub(super) collections: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Creator {
    pub(super) role: String,
    pub(super) first: String,
    pub(super) last: String,
    /// A one-field name (an institution), all in `last`.
    pub(super) single: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Collection {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) parent: Option<i64>,
}

/// A child note: its parent item and its HTML.
#[derive(Debug, Clone)]
pub(super) struct Note {
    pub(super) parent: i64,
    pub(super) html: String,
}

/// An attachment (a PDF, EPUB, snapshot) under a regular item.
#[derive(Debug, Clone)]
pub(super) struct Attachment {
    pub(super) id: i64,
    pub(super) key: String,
    pub(super) parent: Option<i64>,
    pub(super) content_type: String,
}

/// An annotation on an attachment, in Zotero's reading order.
#[derive(Debug, Clone, Default)]
pub(super) struct Annotation {
    pub(super) key: String,
    /// The attachment it is on.
    pub(super) attachment: i64,
    /// 1 highlight, 2 note, 3 image, 4 ink, 5 underline, 6 text.
    pub(super) kind: i64,
    pub(super) text: String,
    pub(super) comment: String,
    pub(super) color: String,
    pub(super) page_label: String,
    pub(super) sort_index: String,
}

/// The user library as rows.
#[derive(Debug, Default)]
pub(super) struct Library {
    pub(super) items: Vec<Item>,
    pub(super) collections: Vec<Collection>,
    pub(super) notes: Vec<Note>,
    pub(super) attachments: Vec<Attachment>,
    pub(super) annotations: Vec<Annotation>,
    /// Regular items in the trash (left out).
    pub(super) trashed: usize,
}

const ITEMS: &str = "SELECT i.itemID, i.key, t.typeName, i.dateAdded
FROM items i JOIN itemTypesCombined t ON t.itemTypeID = i.itemTypeID
WHERE i.libraryID = ?1 AND t.typeName NOT IN ('note', 'attachment', 'annotation')
  AND i.itemID NOT IN (SELECT itemID FROM deletedItems)
ORDER BY i.itemID";

const TRASHED: &str = "SELECT COUNT(*)
FROM items i JOIN itemTypesCombined t ON t.itemTypeID = i.itemTypeID
WHERE i.libraryID = ?1 AND t.typeName NOT IN ('note', 'attachment', 'annotation')
  AND i.itemID IN (SELECT itemID FROM deletedItems)";

const FIELDS: &str = "SELECT d.itemID, f.fieldName, v.value, bf.fieldName
FROM itemData d
JOIN items i ON i.itemID = d.itemID
JOIN fieldsCombined f ON f.fieldID = d.fieldID
JOIN itemDataValues v ON v.valueID = d.valueID
LEFT JOIN baseFieldMappingsCombined b ON b.itemTypeID = i.itemTypeID AND b.fieldID = d.fieldID
LEFT JOIN fieldsCombined bf ON bf.fieldID = b.baseFieldID
WHERE i.libraryID = ?1";

const CREATORS: &str = "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, ct.creatorType
FROM itemCreators ic
JOIN items i ON i.itemID = ic.itemID
JOIN creators c ON c.creatorID = ic.creatorID
JOIN creatorTypes ct ON ct.creatorTypeID = ic.creatorTypeID
WHERE i.libraryID = ?1
ORDER BY ic.itemID, ic.orderIndex";

const TAGS: &str = "SELECT it.itemID, t.name
FROM itemTags it JOIN items i ON i.itemID = it.itemID JOIN tags t ON t.tagID = it.tagID
WHERE i.libraryID = ?1
ORDER BY it.itemID, t.name";

const COLLECTION_ITEMS: &str = "SELECT ci.collectionID, ci.itemID
FROM collectionItems ci JOIN collections c ON c.collectionID = ci.collectionID
WHERE c.libraryID = ?1";

const NOTES: &str = "SELECT n.parentItemID, n.note
FROM itemNotes n JOIN items i ON i.itemID = n.itemID
WHERE i.libraryID = ?1 AND n.parentItemID IS NOT NULL
  AND n.itemID NOT IN (SELECT itemID FROM deletedItems)
ORDER BY n.parentItemID, i.dateAdded, i.itemID";

const ATTACHMENTS: &str = "SELECT a.itemID, i.key, a.parentItemID, a.contentType
FROM itemAttachments a JOIN items i ON i.itemID = a.itemID
WHERE i.libraryID = ?1 AND a.itemID NOT IN (SELECT itemID FROM deletedItems)
ORDER BY a.parentItemID, i.dateAdded, i.itemID";

const ANNOTATIONS: &str = "SELECT i.key, an.parentItemID, an.type, an.text, an.comment,
       an.color, an.pageLabel, an.sortIndex
FROM itemAnnotations an JOIN items i ON i.itemID = an.itemID
WHERE i.libraryID = ?1 AND an.itemID NOT IN (SELECT itemID FROM deletedItems)
ORDER BY an.parentItemID, an.sortIndex, i.key";

/// Any stored value as text (Zotero's values are TEXT, but a number may be stored as one).
fn text(row: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(match row.get::<_, Value>(i)? {
        Value::Text(t) => t,
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
        Value::Null => String::new(),
    })
}

fn rows<T>(
    db: &Connection,
    sql: &str,
    library: i64,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = db.prepare(sql)?;
    let found = statement.query_map([library], map)?;
    found.collect()
}

/// Reads the user library.
pub(super) fn library(db: &Connection, schema: &Schema) -> rusqlite::Result<Library> {
    let id: i64 = db.query_row(
        "SELECT libraryID FROM libraries WHERE type = 'user' ORDER BY libraryID LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let mut items = rows(db, ITEMS, id, |r| {
        Ok(Item {
            id: r.get(0)?,
            key: text(r, 1)?,
            item_type: text(r, 2)?,
            date_added: text(r, 3)?,
            ..Item::default()
        })
    })?;
    let at: HashMap<i64, usize> = items.iter().enumerate().map(|(i, it)| (it.id, i)).collect();
    let item = |id: i64| at.get(&id).copied();
    for (owner, field, value, base) in rows(db, FIELDS, id, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            text(r, 1)?,
            text(r, 2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })? {
        let Some(i) = item(owner) else { continue };
        if let Some(base) = base {
            items[i].base.insert(base, value.clone());
        }
        items[i].fields.insert(field, value);
    }
    for (owner, creator) in rows(db, CREATORS, id, |r| {
        let creator = Creator {
            first: text(r, 1)?,
            last: text(r, 2)?,
            single: r.get::<_, Option<i64>>(3)? == Some(1),
            role: text(r, 4)?,
        };
        Ok((r.get::<_, i64>(0)?, creator))
    })? {
        if let Some(i) = item(owner) {
            items[i].creators.push(creator);
        }
    }
    for (owner, tag) in rows(db, TAGS, id, |r| Ok((r.get::<_, i64>(0)?, text(r, 1)?)))? {
        if let Some(i) = item(owner) {
            items[i].tags.push(tag);
        }
    }
    let collections = collections(db, schema, id)?;
    for (collection, owner) in rows(db, COLLECTION_ITEMS, id, |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })? {
        if let Some(i) = item(owner)
            && collections.iter().any(|c| c.id == collection)
        {
            items[i].collections.push(collection);
        }
    }
    let notes = rows(db, NOTES, id, |r| {
        Ok(Note {
            parent: r.get(0)?,
            html: text(r, 1)?,
        })
    })?;
    let attachments = rows(db, ATTACHMENTS, id, |r| {
        Ok(Attachment {
            id: r.get(0)?,
            key: text(r, 1)?,
            parent: r.get(2)?,
            content_type: text(r, 3)?,
        })
    })?;
    let annotations = if schema.annotations {
        rows(db, ANNOTATIONS, id, |r| {
            Ok(Annotation {
                key: text(r, 0)?,
                attachment: r.get(1)?,
                kind: r.get(2)?,
                text: text(r, 3)?,
                comment: text(r, 4)?,
                color: text(r, 5)?,
                page_label: text(r, 6)?,
                sort_index: text(r, 7)?,
            })
        })?
    } else {
        Vec::new()
    };
    let trashed = db.query_row(TRASHED, [id], |r| r.get::<_, i64>(0))? as usize;
    Ok(Library {
        items,
        collections,
        notes,
        attachments,
        annotations,
        trashed,
    })
}

/// The library's collections, those in the trash left out.
fn collections(
    db: &Connection,
    schema: &Schema,
    library: i64,
) -> rusqlite::Result<Vec<Collection>> {
    let sql = if schema.deleted_collections {
        "SELECT collectionID, collectionName, parentCollectionID FROM collections
         WHERE libraryID = ?1 AND collectionID NOT IN (SELECT collectionID FROM deletedCollections)"
    } else {
        "SELECT collectionID, collectionName, parentCollectionID FROM collections WHERE libraryID = ?1"
    };
    rows(db, sql, library, |r| {
        Ok(Collection {
            id: r.get(0)?,
            name: text(r, 1)?,
            parent: r.get(2)?,
        })
    })
}
