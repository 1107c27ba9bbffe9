//! A Zotero database built in a test: the tables and columns `gloss import --zotero` reads, as
//! Zotero's documented schema (zotero/zotero `resource/schema/userdata.sql`) names them, with
//! type and field ids given here by name (Zotero's own ids differ between databases too).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

const TABLES: &str = "
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE settings (setting TEXT, key TEXT, value, PRIMARY KEY (setting, key));
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL, editable INT, filesEditable INT);
CREATE TABLE itemTypesCombined (itemTypeID INT NOT NULL, typeName TEXT NOT NULL);
CREATE TABLE fieldsCombined (fieldID INT NOT NULL, fieldName TEXT NOT NULL);
CREATE TABLE baseFieldMappingsCombined (itemTypeID INT, baseFieldID INT, fieldID INT);
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL, dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, clientDateModified TIMESTAMP, libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT, fieldMode INT);
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL, creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0);
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL);
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL, clientDateModified TIMESTAMP, parentCollectionID INT DEFAULT NULL, libraryID INT NOT NULL, key TEXT NOT NULL);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL, orderIndex INT NOT NULL DEFAULT 0);
CREATE TABLE deletedCollections (collectionID INTEGER PRIMARY KEY, dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY, dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0);
";

const ANNOTATIONS: &str = "CREATE TABLE itemAnnotations (itemID INTEGER PRIMARY KEY, parentItemID INT NOT NULL, type INTEGER NOT NULL, authorName TEXT, text TEXT, comment TEXT, color TEXT, pageLabel TEXT, sortIndex TEXT NOT NULL, position TEXT NOT NULL, isExternal INT NOT NULL);";

/// Annotation kinds, as Zotero numbers them.
pub const HIGHLIGHT: i64 = 1;
pub const NOTE: i64 = 2;
pub const IMAGE: i64 = 3;
pub const INK: i64 = 4;
pub const UNDERLINE: i64 = 5;
pub const TEXT: i64 = 6;

/// A Zotero data folder with its database, written through one connection.
pub struct Zotero {
    pub dir: PathBuf,
    pub db: Connection,
    ids: HashMap<(&'static str, String), i64>,
    next: i64,
    /// Items made so far: each is added a second after the one before.
    added: u32,
}

impl Zotero {
    /// A new database (userdata schema `userdata`; annotations from 120) in `dir`.
    pub fn create(dir: &Path, userdata: i64) -> Zotero {
        std::fs::create_dir_all(dir).unwrap();
        let db = Connection::open(dir.join("zotero.sqlite")).unwrap();
        db.execute_batch(TABLES).unwrap();
        if userdata >= 120 {
            db.execute_batch(ANNOTATIONS).unwrap();
        }
        db.execute("INSERT INTO version VALUES ('userdata', ?1)", [userdata])
            .unwrap();
        db.execute("INSERT INTO libraries VALUES (1, 'user', 1, 1)", [])
            .unwrap();
        db.execute("INSERT INTO libraries VALUES (2, 'group', 1, 1)", [])
            .unwrap();
        Zotero {
            dir: dir.to_path_buf(),
            db,
            ids: HashMap::new(),
            next: 1000,
            added: 0,
        }
    }

    /// The id of a named row of a lookup table (item type, field, creator type), made on first use.
    fn id(&mut self, table: &'static str, name: &str) -> i64 {
        if let Some(id) = self.ids.get(&(table, name.to_string())) {
            return *id;
        }
        self.next += 7;
        let id = self.next;
        let sql = match table {
            "type" => "INSERT INTO itemTypesCombined VALUES (?1, ?2)",
            "field" => "INSERT INTO fieldsCombined VALUES (?1, ?2)",
            _ => "INSERT INTO creatorTypes VALUES (?1, ?2)",
        };
        self.db.execute(sql, params![id, name]).unwrap();
        self.ids.insert((table, name.to_string()), id);
        id
    }

    fn new_item(&mut self, kind: &str, key: &str, library: i64, added: &str) -> i64 {
        let kind = self.id("type", kind);
        self.db
            .execute(
                "INSERT INTO items (itemTypeID, libraryID, key, dateAdded) VALUES (?1, ?2, ?3, ?4)",
                params![kind, library, key, added],
            )
            .unwrap();
        self.db.last_insert_rowid()
    }

    /// A regular item of the user library with its fields.
    pub fn item(&mut self, kind: &str, key: &str, fields: &[(&str, &str)]) -> i64 {
        self.added += 1;
        let added = format!(
            "2024-01-01 {:02}:{:02}:{:02}",
            self.added / 3600,
            self.added / 60 % 60,
            self.added % 60
        );
        let id = self.new_item(kind, key, 1, &added);
        for (name, value) in fields {
            self.set(id, name, value);
        }
        id
    }

    /// Sets a field's value.
    pub fn set(&mut self, item: i64, field: &str, value: &str) {
        let field = self.id("field", field);
        self.db
            .execute(
                "INSERT OR IGNORE INTO itemDataValues (value) VALUES (?1)",
                [value],
            )
            .unwrap();
        let value: i64 = self
            .db
            .query_row(
                "SELECT valueID FROM itemDataValues WHERE value = ?1",
                [value],
                |r| r.get(0),
            )
            .unwrap();
        self.db
            .execute(
                "INSERT OR REPLACE INTO itemData VALUES (?1, ?2, ?3)",
                params![item, field, value],
            )
            .unwrap();
    }

    /// Declares `field` of `kind` a type-specific field standing for `base` (`bookTitle` for
    /// `publicationTitle` in a `bookSection`).
    pub fn base_field(&mut self, kind: &str, field: &str, base: &str) {
        let (kind, field, base) = (
            self.id("type", kind),
            self.id("field", field),
            self.id("field", base),
        );
        self.db
            .execute(
                "INSERT INTO baseFieldMappingsCombined VALUES (?1, ?2, ?3)",
                params![kind, base, field],
            )
            .unwrap();
    }

    /// A creator (`first` empty: a one-field name), after the item's others.
    pub fn creator(&mut self, item: i64, role: &str, last: &str, first: &str) {
        let role = self.id("creator", role);
        let mode = i64::from(first.is_empty());
        self.db
            .execute(
                "INSERT INTO creators (firstName, lastName, fieldMode) VALUES (?1, ?2, ?3)",
                params![first, last, mode],
            )
            .unwrap();
        let creator = self.db.last_insert_rowid();
        let order: i64 = self
            .db
            .query_row(
                "SELECT COUNT(*) FROM itemCreators WHERE itemID = ?1",
                [item],
                |r| r.get(0),
            )
            .unwrap();
        self.db
            .execute(
                "INSERT INTO itemCreators VALUES (?1, ?2, ?3, ?4)",
                params![item, creator, role, order],
            )
            .unwrap();
    }

    pub fn tag(&mut self, item: i64, name: &str) {
        self.db
            .execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [name])
            .unwrap();
        self.db
            .execute(
                "INSERT INTO itemTags SELECT ?1, tagID, 0 FROM tags WHERE name = ?2",
                params![item, name],
            )
            .unwrap();
    }

    pub fn collection(&mut self, name: &str, parent: Option<i64>) -> i64 {
        self.db
            .execute(
                "INSERT INTO collections (collectionName, parentCollectionID, libraryID, key) VALUES (?1, ?2, 1, ?1)",
                params![name, parent],
            )
            .unwrap();
        self.db.last_insert_rowid()
    }

    pub fn file_in(&mut self, collection: i64, item: i64) {
        self.db
            .execute(
                "INSERT INTO collectionItems VALUES (?1, ?2, 0)",
                params![collection, item],
            )
            .unwrap();
    }

    /// An imported PDF under `parent` (`None`: a standalone file).
    pub fn pdf(&mut self, parent: Option<i64>, key: &str) -> i64 {
        let id = self.new_item("attachment", key, 1, "2024-01-02 00:00:00");
        self.db
            .execute(
                "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) VALUES (?1, ?2, 0, 'application/pdf', 'storage:paper.pdf')",
                params![id, parent],
            )
            .unwrap();
        id
    }

    /// An annotation on an attachment: kind, text, comment, colour, page label, PDF page index.
    #[allow(clippy::too_many_arguments)]
    pub fn annotation(
        &mut self,
        file: i64,
        key: &str,
        kind: i64,
        text: &str,
        comment: &str,
        color: &str,
        label: &str,
        page: u32,
    ) -> i64 {
        let id = self.new_item("annotation", key, 1, "2024-01-03 00:00:00");
        let sort = format!("{page:05}|{:06}|00100", self.next % 1000);
        let position = format!("{{\"pageIndex\":{page},\"rects\":[[1,2,3,4]]}}");
        self.db
            .execute(
                "INSERT INTO itemAnnotations VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7, ?8, ?9, 0)",
                params![id, file, kind, text, comment, color, label, sort, position],
            )
            .unwrap();
        id
    }

    /// A child note under `parent`.
    pub fn note(&mut self, parent: i64, key: &str, html: &str) -> i64 {
        let id = self.new_item("note", key, 1, "2024-01-04 00:00:00");
        self.db
            .execute(
                "INSERT INTO itemNotes VALUES (?1, ?2, ?3, '')",
                params![id, parent, html],
            )
            .unwrap();
        id
    }

    pub fn trash(&mut self, item: i64) {
        self.db
            .execute("INSERT INTO deletedItems (itemID) VALUES (?1)", [item])
            .unwrap();
    }

    pub fn delete(&mut self, item: i64) {
        self.db
            .execute("DELETE FROM itemAnnotations WHERE itemID = ?1", [item])
            .unwrap();
        self.db
            .execute("DELETE FROM items WHERE itemID = ?1", [item])
            .unwrap();
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("zotero.sqlite")
    }
}
