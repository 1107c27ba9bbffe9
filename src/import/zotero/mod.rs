//! `gloss import --zotero`: Zotero's own database read in place, every live regular item of
//! the user library handed to the CSL-JSON import path as the CSL-JSON item Zotero would
//! export (so the same fields, keys and sync rules hold), plus what only the database has:
//! annotations and child notes, written into a managed section of the note, and tags.
//!
//! 1. `open`: the database opened read-only, never locked (a copy when Zotero has a write
//!    pending beside it); `schema`: the version checked;
//! 2. `query`: the library as rows; `keys`: each item's citation key; `csl`: its CSL-JSON;
//! 3. `section` (with `notes`): each item's managed section; `merge`: section and tags put into
//!    the note's text planned by the import.

mod children;
mod csl;
mod csl_tables;
mod keys;
mod merge;
mod notes;
mod open;
mod query;
mod schema;
mod section;
mod watch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::plan::{Change, Existing};
use crate::config::{CollectionThemes, ZoteroConfig};
use crate::error::{Diagnostic, Error, Result};
use children::Children;
use query::{Collection, Item, Library};

pub use keys::KeySource;
pub use watch::watch;

/// What `--zotero` imports.
#[derive(Debug, Clone, Default)]
pub struct ZoteroOptions {
    /// Zotero's data folder (the one holding zotero.sqlite); `None`: the platform's default.
    pub data_dir: Option<PathBuf>,
    /// Only the items in these collections (or their sub-collections).
    pub collections: Vec<String>,
    /// Only the items with one of these tags.
    pub tags: Vec<String>,
}

/// What was read from Zotero.
#[derive(Debug, Clone, Default)]
pub struct ZoteroSummary {
    /// The database, as messages name it.
    pub database: String,
    pub schema: i64,
    /// The Zotero file (`-wal`, `-journal`) that made gloss read a private copy.
    pub copied_for: Option<&'static str>,
    /// Live regular items imported.
    pub items: usize,
    /// Annotations and child notes written into the notes' sections.
    pub annotations: usize,
    pub notes: usize,
    /// What was left out, a line per reason with its count.
    pub left_out: Vec<String>,
    /// How many keys came from each place.
    pub keys: BTreeMap<KeySource, usize>,
}

/// What the import stage gets: the CSL-JSON text, and for each of its items the tags and the
/// managed section.
pub(super) struct Read {
    pub(super) csl: String,
    pub(super) extras: Vec<Extra>,
    pub(super) summary: ZoteroSummary,
    pub(super) warnings: Vec<Diagnostic>,
}

pub(super) struct Extra {
    tags: Vec<String>,
    section: String,
}

/// Zotero's default data folder: `Zotero` in the home folder, on every platform.
pub(crate) fn default_data_dir() -> Option<PathBuf> {
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })?;
    Some(PathBuf::from(home).join("Zotero"))
}

/// `zotero.sqlite` in the folder given (or the file itself), or a usage error saying how to
/// name the right one.
pub(crate) fn database_path(data_dir: Option<&Path>) -> Result<PathBuf> {
    let how = "pass Zotero's data folder, as in `gloss import --zotero ~/Zotero` (Zotero shows it under Settings → Advanced → Files and Folders → Data Directory Location)";
    let dir = match data_dir {
        Some(d) => d.to_path_buf(),
        None => default_data_dir()
            .ok_or_else(|| Error::Usage(format!("no home folder to look for Zotero in: {how}")))?,
    };
    let db = if dir.is_file() {
        dir.clone()
    } else {
        dir.join("zotero.sqlite")
    };
    if !db.is_file() {
        return Err(Error::Usage(format!(
            "no Zotero database at {}: {how}",
            db.display()
        )));
    }
    Ok(db)
}

/// Reads the library: every live regular item (in the collections and with the tags asked
/// for) as CSL-JSON, with its tags and section.
pub(super) fn read(options: &ZoteroOptions, config: &ZoteroConfig) -> Result<Read> {
    let db = database_path(options.data_dir.as_deref())?;
    let shown = db.to_string_lossy().replace('\\', "/");
    let fail = |message: String| Error::Content(vec![Diagnostic::error(&shown, 0, 0, message)]);
    let opened =
        open::open(&db).map_err(|e| fail(format!("cannot read Zotero's database: {e}")))?;
    let schema = schema::check(&opened.connection).map_err(fail)?;
    let library = query::library(&opened.connection, &schema)
        .map_err(|e| fail(format!("cannot read Zotero's database ({e}): close Zotero's window or wait a moment, then import again")))?;
    let copied_for = opened.copied_for;
    drop(opened);
    let mut warnings = Vec::new();
    if let Some(w) = &schema.warning {
        warnings.push(Diagnostic::warning(&shown, 0, 0, w.clone()));
    }
    let data_dir = db.parent().unwrap_or(Path::new("."));
    let keys = keys::assign(&library.items, &keys::better_bibtex(data_dir));
    let mut summary = ZoteroSummary {
        database: shown,
        schema: schema.userdata,
        copied_for,
        ..ZoteroSummary::default()
    };
    let wanted = Filter::new(&library, options);
    let converter = notes::Converter::new(
        library
            .items
            .iter()
            .zip(&keys)
            .map(|(i, (k, _))| (i.key.clone(), k.clone()))
            .collect(),
    );
    let paths = collection_paths(&library.collections);
    let children = Children::new(&library);
    let mut csl = Vec::new();
    let mut extras = Vec::new();
    let mut unmapped = 0;
    for (item, (key, source)) in library.items.iter().zip(&keys) {
        if !wanted.keeps(item) {
            continue;
        }
        let Some(value) = csl::item(item, key) else {
            unmapped += 1;
            continue;
        };
        csl.push(value);
        *summary.keys.entry(*source).or_default() += 1;
        let placed = children.annotations(item.id);
        let notes: Vec<String> = children
            .notes(item.id)
            .map(|h| converter.markdown(h))
            .collect();
        summary.annotations += placed.len();
        summary.notes += notes.iter().filter(|n| !n.is_empty()).count();
        let section = section::section(key, &placed, &notes, &config.colors, &converter);
        let mut tags = item.tags.clone();
        tags.extend(themes(item, &paths, &config.collections_as_themes));
        extras.push(Extra { tags, section });
    }
    summary.items = csl.len();
    summary.left_out = children.left_out(&library, unmapped, wanted.excluded);
    let csl = serde_json::to_string_pretty(&csl).unwrap_or_else(|_| "[]".into());
    Ok(Read {
        csl,
        extras,
        summary,
        warnings,
    })
}

/// The `--collection` and `--tag` filters.
struct Filter {
    collections: Option<HashSet<i64>>,
    tags: Option<HashSet<String>>,
    excluded: usize,
}

impl Filter {
    fn new(library: &Library, options: &ZoteroOptions) -> Filter {
        let collections = (!options.collections.is_empty()).then(|| {
            let mut set: HashSet<i64> = library
                .collections
                .iter()
                .filter(|c| {
                    options
                        .collections
                        .iter()
                        .any(|n| n.trim() == c.name.trim())
                })
                .map(|c| c.id)
                .collect();
            // Sub-collections, level by level.
            loop {
                let before = set.len();
                for c in &library.collections {
                    if c.parent.is_some_and(|p| set.contains(&p)) {
                        set.insert(c.id);
                    }
                }
                if set.len() == before {
                    break set;
                }
            }
        });
        let tags = (!options.tags.is_empty()).then(|| {
            options
                .tags
                .iter()
                .map(|t| t.trim().to_lowercase())
                .collect()
        });
        let mut filter = Filter {
            collections,
            tags,
            excluded: 0,
        };
        filter.excluded = library.items.iter().filter(|i| !filter.keeps(i)).count();
        filter
    }

    fn keeps(&self, item: &Item) -> bool {
        let in_collection = self
            .collections
            .as_ref()
            .is_none_or(|set| item.collections.iter().any(|c| set.contains(c)));
        let tagged = self.tags.as_ref().is_none_or(|set| {
            item.tags
                .iter()
                .any(|t| set.contains(&t.trim().to_lowercase()))
        });
        in_collection && tagged
    }
}

/// Each collection's path from the top (`Thesis/Chapter 2`).
fn collection_paths(collections: &[Collection]) -> HashMap<i64, String> {
    let by_id: HashMap<i64, &Collection> = collections.iter().map(|c| (c.id, c)).collect();
    collections
        .iter()
        .map(|c| {
            let mut names = vec![c.name.trim().replace('/', "-")];
            let mut parent = c.parent;
            while let Some(p) = parent
                .and_then(|p| by_id.get(&p))
                .filter(|_| names.len() < 32)
            {
                names.push(p.name.trim().replace('/', "-"));
                parent = p.parent;
            }
            names.reverse();
            (c.id, names.join("/"))
        })
        .collect()
}

/// The theme tags an item's collections give it.
fn themes(item: &Item, paths: &HashMap<i64, String>, setting: &CollectionThemes) -> Vec<String> {
    let mut out = Vec::new();
    for path in item.collections.iter().filter_map(|c| paths.get(c)) {
        match setting {
            CollectionThemes::None => {}
            CollectionThemes::All => out.push(path.clone()),
            CollectionThemes::Map(map) => {
                for (collection, theme) in map {
                    let collection = collection.trim().trim_matches('/');
                    if path == collection || path.starts_with(&format!("{collection}/")) {
                        out.push(theme.clone());
                    }
                }
            }
        }
    }
    out
}

/// The planned notes with Zotero's tags and managed sections put in. A note whose section
/// cannot be placed (one opened and never closed) is an error, and then nothing is written.
pub(super) fn finish(
    changes: Vec<Change>,
    existing: &BTreeMap<String, Existing>,
    extras: &[Extra],
) -> (Vec<Change>, Vec<Diagnostic>) {
    let mut out = Vec::with_capacity(changes.len());
    let mut problems = Vec::new();
    for change in changes {
        let old = existing.get(&change.key).map(|e| e.text.as_str());
        let Some(extra) = change.index().and_then(|i| extras.get(i)) else {
            out.push(change);
            continue;
        };
        let planned = change.text().or(old).unwrap_or_default().to_string();
        let text = merge::add_tags(&change.path, &planned, &extra.tags)
            .and_then(|t| merge::splice(&change.path, &t, &extra.section));
        match text {
            Ok(text) => out.push(change.with_text(text, old)),
            Err(d) => problems.push(d),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    (out, problems)
}
