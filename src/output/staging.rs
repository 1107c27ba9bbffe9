//! The staging folder of `gloss build` and the swap that makes it the output: a lock beside the
//! output so that two builds never mix, the leftovers of a killed build cleared (only gloss's
//! own), and a write refused by a full disk or a file-size limit reported instead of fatal.
//!
//! The output before last is kept beside the output (`.<name>.gloss-spare`) and becomes the next
//! build's staging folder: only the files whose bytes differ are written, so a rebuild after an
//! edit writes a few files and creates no folder, and nothing is deleted by the thousand (on
//! ext4, creating files soon after deleting many scans past the freed inodes).
//!
//! The folders heal: a spare that cannot be written (made read-only) is removed and the build
//! starts afresh; a staging folder a full disk stopped is removed to give the space back; a
//! folder gloss made is removed with its marker last, so that a build killed while removing it
//! leaves one the next build still knows (and a leftover without its marker is known by its
//! name and age).

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{MARKER, absolute};
use crate::error::{Error, Result};

/// The right to replace one output folder: its lock file (`.<name>.gloss-lock` beside it) held
/// until dropped. Taken before a build reads anything, so a second build fails at once.
pub(crate) struct Locked {
    /// `--out` as given, for messages.
    shown: String,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    _file: File,
}

/// Takes the lock of the output `out`, or fails at once, naming the build that holds it.
pub(crate) fn lock(out: &Path) -> Result<Locked> {
    let shown = out.display().to_string();
    let out = absolute(out);
    let parent = out
        .parent()
        .ok_or_else(|| Error::Usage(format!("--out {shown} has no parent folder")))?
        .to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let path = parent.join(format!(".{name}.gloss-lock"));
    let cannot = |e: std::io::Error| {
        Error::io_in(
            format!("cannot lock --out {shown} (lock file {})", path.display()),
            e,
        )
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(cannot)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&path).unwrap_or_default();
            let who = holder
                .trim()
                .parse::<u32>()
                .map(|pid| format!(" (process {pid})"))
                .unwrap_or_default();
            return Err(Error::failed_plainly(format!(
                "another gloss build{who} is writing {shown}: wait for it to finish, then build again"
            )));
        }
        Err(TryLockError::Error(e)) => return Err(cannot(e)),
    }
    // Who holds it, for the message of a build that finds it taken.
    file.set_len(0)
        .and_then(|()| write!(file, "{}", std::process::id()))
        .map_err(cannot)?;
    Ok(Locked {
        shown,
        out,
        parent,
        name,
        _file: file,
    })
}

/// Replaces the locked output with a folder that `fill` writes (given a staging folder beside
/// it, returning the bytes written). If `fill` fails, the output is left exactly as it was. The
/// staging folder is the spare when there is one that can be written; if writing over the spare
/// fails (but for a full disk), `fill` runs again in a new folder. A panic in `fill` is
/// an internal error like any failure.
pub(crate) fn replace_dir(
    locked: &Locked,
    mut fill: impl FnMut(&Path) -> Result<u64>,
) -> Result<u64> {
    let Locked {
        shown,
        out,
        parent,
        name,
        ..
    } = locked;
    ignore_file_size_signal();
    clear_leftovers(parent, name, out)?;
    let tmp = parent.join(format!(".{name}.gloss-tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.gloss-old-{}", std::process::id()));
    let spare = parent.join(format!(".{name}.gloss-spare"));
    let reused = usable_spare(&spare) && fs::rename(&spare, &tmp).is_ok();
    let mut result = stage(&tmp, reused, &mut fill);
    if reused
        && result
            .as_ref()
            .is_err_and(|e| matches!(e, Error::Io { .. }) && !disk_full(e))
    {
        // The spare could not be written over (a folder in it made read-only, say): start
        // afresh, so that the error, if there is one still, is about the output's own place.
        if remove_own(&tmp).is_err() {
            let _ = fs::rename(&tmp, &spare);
        }
        result = stage(&tmp, false, &mut fill);
    }
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(e) => {
            // What it holds is gloss's own, half updated: still a spare, since files are compared
            // by their bytes before they are written; after a full disk, the space is given back.
            if disk_full(&e) || spare.exists() || fs::rename(&tmp, &spare).is_err() {
                let _ = remove_own(&tmp);
            }
            return Err(untouched(e, &tmp, shown));
        }
    };
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            Error::io(out, e)
        })?;
    }
    if let Err(e) = fs::rename(&tmp, out) {
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(Error::io(out, e));
    }
    // The previous output is the next build's staging folder.
    if old.exists() && !spare.exists() && fs::rename(&old, &spare).is_ok() {
        return Ok(bytes);
    }
    if old.exists() {
        remove_own(&old).map_err(|e| {
            Error::io_in(
                format!(
                    "the new site is in {shown}, but the previous output could not be removed from {}",
                    old.display()
                ),
                e,
            )
        })?;
    }
    Ok(bytes)
}

/// Writes the folder with `fill` (a new one unless `reused`), catching a panic as an internal
/// error. The marker goes in first: a build killed half-way leaves a folder the next one knows.
fn stage(tmp: &Path, reused: bool, fill: &mut impl FnMut(&Path) -> Result<u64>) -> Result<u64> {
    if !reused {
        fs::create_dir(tmp).map_err(|e| Error::io(tmp, e))?;
    }
    write_marker(tmp)?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fill(tmp))).unwrap_or_else(|_| {
        Err(Error::failed_plainly(
            "internal error while writing the site (a bug in gloss: please report it, with the site if you can)",
        ))
    })
}

/// Whether the spare is gloss's and can be written (its marker rewritten in place). One that
/// cannot (an old output made read-only) is removed, or, if it cannot be, left alone: the build
/// starts afresh either way.
fn usable_spare(spare: &Path) -> bool {
    if !spare.join(MARKER).is_file() {
        return false;
    }
    if write_marker(spare).is_ok() {
        return true;
    }
    let _ = remove_own(spare);
    false
}

/// Whether a write failed because the disk is full or the file-size limit was reached.
fn disk_full(error: &Error) -> bool {
    use std::io::ErrorKind::{FileTooLarge, StorageFull};
    matches!(error, Error::Io { source, .. }
        if matches!(source.kind(), StorageFull | FileTooLarge)
            || source.raw_os_error().is_some_and(|n| n == libc::ENOSPC || n == libc::EFBIG))
}

/// Removes a folder gloss made: everything in it, its marker last, then the folder. Killed
/// half-way, it leaves a folder that still holds the marker. Folders in it made read-only are
/// made writable first (its files can then be removed).
pub(crate) fn remove_own(dir: &Path) -> std::io::Result<()> {
    writable_folders(dir);
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        match entry.file_type()?.is_dir() {
            true => fs::remove_dir_all(entry.path())?,
            false => fs::remove_file(entry.path())?,
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Gives the owner full rights on every folder under `dir` (links not followed) that lacks them.
fn writable_folders(dir: &Path) {
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let mode = meta.permissions().mode();
        if entry.file_type().is_dir() && mode & 0o700 != 0o700 {
            let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode | 0o700));
        }
    }
}

fn write_marker(dir: &Path) -> Result<()> {
    fs::write(
        dir.join(MARKER),
        "This folder is written by gloss; it is replaced on every build.\n",
    )
    .map_err(|e| Error::io(&dir.join(MARKER), e))
}

/// A failed write's error, naming the file as it would have been in the output (not in the
/// staging folder) and saying that the output was not touched.
fn untouched(error: Error, tmp: &Path, shown: &str) -> Error {
    let error = match error {
        Error::Io { context, source } => Error::Io {
            context: context.replace(&tmp.display().to_string(), shown),
            source,
        },
        other => other,
    };
    error.prefixed(&format!("{shown} is left as it was: "))
}

/// A leftover without its marker is taken as gloss's once it is this old (an older gloss
/// removed the marker first; a build may be killed between making a folder and marking it).
const UNMARKED_AGE: Duration = Duration::from_secs(3600);

/// Clears what a killed build of this output left beside it: its staging folder
/// (`.<name>.gloss-tmp-<pid>`) and a previous output it had set aside (`.<name>.gloss-old-<pid>`),
/// which is put back if the output itself is missing. Only folders so named whose process is
/// gone are touched, and of those only the ones that hold gloss's marker, are empty, or are
/// older than [`UNMARKED_AGE`]; the caller holds the lock, so no build of ours is writing.
fn clear_leftovers(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let (tmp, old) = (format!(".{name}.gloss-tmp-"), format!(".{name}.gloss-old-"));
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let file_name = entry.file_name();
            let file_name = file_name.to_str()?;
            let (set_aside, pid) = match file_name.strip_prefix(&tmp) {
                Some(pid) => (false, pid),
                None => (true, file_name.strip_prefix(&old)?),
            };
            let pid: u32 = pid.parse().ok()?;
            let path = entry.path();
            let own = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
                && (path.join(MARKER).is_file() || unmarked_but_ours(&path));
            let gone = pid == std::process::id() || !is_running(pid);
            (own && gone).then_some((path, set_aside))
        })
        .collect();
    leftovers.sort();
    for (path, set_aside) in leftovers {
        if set_aside && !out.exists() {
            fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
        } else {
            remove_own(&path).map_err(|e| {
                Error::io_in(
                    format!(
                        "cannot remove {}, left by an interrupted build",
                        path.display()
                    ),
                    e,
                )
            })?;
        }
    }
    Ok(())
}

/// Whether a leftover folder without a marker is gloss's all the same: empty (made, not yet
/// marked, or emptied but not yet removed), or older than [`UNMARKED_AGE`].
fn unmarked_but_ours(path: &Path) -> bool {
    let empty = fs::read_dir(path).is_ok_and(|mut d| d.next().is_none());
    let old = fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| {
            SystemTime::now()
                .duration_since(t)
                .is_ok_and(|age| age > UNMARKED_AGE)
        });
    empty || old
}

/// Whether a process with this id is running (Linux's `/proc`; elsewhere the lock alone tells,
/// and a leftover is taken as abandoned).
fn is_running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// A write past the file-size limit (`ulimit -f`) raises SIGXFSZ, which kills the process by
/// default; ignored, the write fails with EFBIG and is reported like a full disk.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    {
        static IGNORE: std::sync::Once = std::sync::Once::new();
        // SAFETY: setting a signal's disposition to SIG_IGN installs no handler and touches no
        // memory; it is done once, before any thread of this build writes.
        IGNORE.call_once(|| unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        });
    }
}
