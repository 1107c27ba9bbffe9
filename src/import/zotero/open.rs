//! Opening `zotero.sqlite` for reading without ever writing it or taking a lock on it.
//!
//! Zotero holds its database with `locking_mode=EXCLUSIVE`, so an ordinary reader gets
//! "database is locked" while Zotero runs. With a rollback journal (Zotero ≤ 9) every committed
//! transaction is in the main file, so opening it `immutable=1` (no locks, no journal look-up)
//! reads it as Zotero last committed it. With a write-ahead log (Zotero 10) recent commits sit
//! in `zotero.sqlite-wal` until a checkpoint, which `immutable=1` would not see; and a
//! rollback journal that starts with SQLite's magic means a write is under way. In both cases
//! the database and that file are copied into a private temporary folder and the copy is
//! opened, so SQLite replays (or rolls back) on the copy only.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};

/// An open database, and the temporary copy it may be (removed when dropped).
pub(super) struct Opened {
    pub(super) connection: Connection,
    /// The sidecar (`-wal` or `-journal`) that made a copy necessary.
    pub(super) copied_for: Option<&'static str>,
    temp: Option<PathBuf>,
}

impl Drop for Opened {
    fn drop(&mut self) {
        if let Some(dir) = &self.temp {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

/// Opens `db` read-only: in place when Zotero has nothing pending beside it, else a copy.
pub(super) fn open(db: &Path) -> Result<Opened, String> {
    let wal = sidecar(db, "-wal");
    let journal = sidecar(db, "-journal");
    let pending = if non_empty(&wal) {
        Some(("-wal", wal))
    } else if hot(&journal) {
        Some(("-journal", journal))
    } else {
        None
    };
    let Some((suffix, side)) = pending else {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(uri(db, "immutable=1"), flags)
            .map_err(|e| format!("cannot open it ({e})"))?;
        return Ok(Opened {
            connection,
            copied_for: None,
            temp: None,
        });
    };
    let dir = temp_dir()?;
    let mut opened = Opened {
        connection: Connection::open_in_memory().map_err(|e| e.to_string())?,
        copied_for: Some(suffix),
        temp: Some(dir.clone()),
    };
    let copy = copy_pair(db, &side, suffix, &dir)?;
    opened.connection = Connection::open_with_flags(
        &copy,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open the copy made beside Zotero's {suffix} file ({e})"))?;
    Ok(opened)
}

/// A `file:` URI for a path: SQLite reads `?` and `#` as URI syntax and `%` as an escape.
pub(super) fn uri(path: &Path, query: &str) -> String {
    let mut out = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn non_empty(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// A rollback journal that holds a transaction starts with SQLite's journal magic; Zotero's
/// exclusive lock keeps the file after each commit with its header zeroed, which is not hot.
fn hot(path: &Path) -> bool {
    const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    let mut head = [0u8; 8];
    fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == MAGIC
}

fn temp_dir() -> Result<PathBuf, String> {
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("gloss-zotero-{}-{stamp}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot make {} ({e})", dir.display()))?;
    Ok(dir)
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Copies the database and its sidecar, again when Zotero wrote to either meanwhile.
fn copy_pair(db: &Path, side: &Path, suffix: &str, dir: &Path) -> Result<PathBuf, String> {
    let to = dir.join("zotero.sqlite");
    for _ in 0..3 {
        let before = (stamp(db), stamp(side));
        fs::copy(db, &to).map_err(|e| format!("cannot copy it ({e})"))?;
        fs::copy(side, sidecar(&to, suffix))
            .map_err(|e| format!("cannot copy its {suffix} file ({e})"))?;
        if (stamp(db), stamp(side)) == before {
            return Ok(to);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Err("Zotero kept writing to it while gloss copied it: import again in a moment".into())
}
