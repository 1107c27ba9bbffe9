//! The staging folder of `gloss build` and the swap that makes it the output: a lock beside the
//! output so that two builds never mix, the leftovers of a killed build cleared (only gloss's
//! own), and a write refused by a full disk or a file-size limit reported instead of fatal.
//!
//! The output before last is kept beside the output (`.<name>.gloss-spare`) and becomes the next
//! build's staging folder: only the files whose bytes differ are written, so a rebuild after an
//! edit writes a few files and creates no folder, and nothing is deleted by the thousand (on
//! ext4, creating files soon after deleting many scans past the freed inodes).

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Replaces the locked output with a folder that `fill` writes (given a fresh staging folder
/// beside it, returning the bytes written). If `fill` fails, the output is left exactly as it was
/// and the staging folder is removed.
pub(crate) fn replace_dir(locked: &Locked, fill: impl FnOnce(&Path) -> Result<u64>) -> Result<u64> {
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
    let reused = spare.join(MARKER).is_file() && fs::rename(&spare, &tmp).is_ok();
    if !reused {
        // The marker goes in first: a build killed half-way leaves a folder the next one knows.
        fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    let result = write_marker(&tmp).and_then(|()| fill(&tmp));
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(e) => {
            // What it holds is gloss's own, half updated: still a spare, since files are compared
            // by their bytes before they are written.
            if spare.exists() || fs::rename(&tmp, &spare).is_err() {
                let _ = fs::remove_dir_all(&tmp);
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
        fs::remove_dir_all(&old).map_err(|e| {
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

/// Clears what a killed build of this output left beside it: its staging folder
/// (`.<name>.gloss-tmp-<pid>`) and a previous output it had set aside (`.<name>.gloss-old-<pid>`),
/// which is put back if the output itself is missing. Only folders that hold gloss's marker and
/// whose process is gone are touched; the caller holds the lock, so no build of ours is writing.
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
                && path.join(MARKER).is_file();
            let gone = pid == std::process::id() || !is_running(pid);
            (own && gone).then_some((path, set_aside))
        })
        .collect();
    leftovers.sort();
    for (path, set_aside) in leftovers {
        if set_aside && !out.exists() {
            fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
        } else {
            fs::remove_dir_all(&path).map_err(|e| {
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
