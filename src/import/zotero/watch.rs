//! `gloss serve --zotero`: Zotero's database looked at every second, and imported again when it
//! (or its write-ahead log) changed, so a highlight made in Zotero reaches the page being
//! written; serve's own watcher then rebuilds the notes the import rewrote.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{ZoteroOptions, database_path};
use crate::error::Result;
use crate::import::{ImportOptions, ImportReport, KeysFrom, import};

/// How often the database is looked at: Zotero writes within a second of a highlight.
const EVERY: Duration = Duration::from_secs(1);

/// What the database and its journal files look like on disk: a change in any of them is a
/// change in the library.
fn stamp(db: &Path) -> Vec<Option<(SystemTime, u64)>> {
    ["", "-wal", "-journal"]
        .iter()
        .map(|suffix| {
            let mut path = db.as_os_str().to_owned();
            path.push(suffix);
            let meta = std::fs::metadata(PathBuf::from(path)).ok()?;
            Some((meta.modified().ok()?, meta.len()))
        })
        .collect()
}

/// Imports the library into the site at `root` now and again after every change, calling
/// `report` with each import's outcome; returns only when the database cannot be found.
pub fn watch(
    root: &Path,
    zotero: ZoteroOptions,
    report: &dyn Fn(Result<ImportReport>),
) -> Result<()> {
    let db = database_path(zotero.data_dir.as_deref())?;
    let options = ImportOptions {
        root: root.to_path_buf(),
        files: Vec::new(),
        dry_run: false,
        keys_from: KeysFrom::default(),
        verbose: false,
        zotero: Some(zotero),
    };
    let mut seen = None;
    loop {
        let now = stamp(&db);
        if seen.as_ref() != Some(&now) {
            // Zotero may be mid-write: the stamp is taken again after a pause, and the import
            // waits until two agree.
            std::thread::sleep(EVERY / 4);
            if stamp(&db) == now {
                report(import(&options));
                seen = Some(now);
            }
        }
        std::thread::sleep(EVERY);
    }
}
