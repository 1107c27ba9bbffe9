//! What a note file's metadata says about its contents, for `gloss serve`'s content cache to
//! tell a changed note without reading it: [`Stamp`], and the stamps of a walk.

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

use crate::layout::SiteLayout;
use crate::source::Listing;

/// How old a stamp must be to be trusted. File systems store times with a granularity (a kernel
/// tick on Linux, 1 s or 2 s on others): a file written again within the same tick, with the same
/// size, keeps its stamp. A stamp at least this much older than the walk cannot be shared with a
/// later write, so files changed in the last moments are simply read again (git's "racy clean").
const SETTLE: Duration = Duration::from_secs(3);

/// What a file's metadata says about its contents: any write changes at least one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Unix: the status-change time (which, unlike the modification time, no tool can set back)
    /// and the device and inode (a rename-save replaces the inode).
    changed: Option<SystemTime>,
    inode: (u64, u64),
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = u64::try_from(meta.ctime()).ok().and_then(|s| {
                let nanos = u32::try_from(meta.ctime_nsec()).ok()?;
                SystemTime::UNIX_EPOCH.checked_add(Duration::new(s, nanos))
            });
            (changed, (meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let (changed, inode) = (None, (0, 0));
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
            inode,
        }
    }

    /// The stamp, if it is settled enough before `walked` to tell any later write apart.
    pub(super) fn settled(self, walked: SystemTime) -> Option<Stamp> {
        let limit = walked.checked_sub(SETTLE)?;
        let old = |t: Option<SystemTime>| t.is_some_and(|t| t <= limit);
        (old(self.modified) && (self.changed.is_none() || old(self.changed))).then_some(self)
    }
}

/// The walk's files by their path from the root, with the stamp of each Markdown file (`None`
/// for other files); `None` in all when something could not be read or stat'ed, which only a full
/// read reports as it must.
pub(super) type Stamps = Option<Vec<(String, Option<Stamp>)>>;

pub(super) fn stamps(layout: &SiteLayout, listing: &Listing) -> Stamps {
    if !listing.diagnostics.is_empty() {
        return None;
    }
    listing
        .files
        .iter()
        .map(|file| {
            let stamp = match &file.meta {
                Some(Ok(meta)) => Some(Stamp::of(meta)),
                Some(Err(_)) => return None,
                None => None,
            };
            Some((layout.note_path(&file.rel), stamp))
        })
        .collect()
}
