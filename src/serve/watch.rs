//! Watches a site's inputs (`site.yaml`, `content/`, `templates/`, `themes/`, `static/`) and
//! hands `gloss serve` one burst of changes at a time, editor temp files left out.
//!
//! Events are only hints: the rebuild reads again the files they name, but it also checks every
//! input itself (each note's size, times and inode; the whole of `content/` again when its set of
//! files changed), so a missed or merged event (a file created inside a brand-new folder, a
//! rename) cannot leave stale pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::error::{Error, Result};
use crate::layout::{CONFIG_FILE, INPUT_DIRS as WATCHED_DIRS};

/// How to watch.
#[derive(Debug, Clone)]
pub(super) struct WatchOptions {
    pub root: PathBuf,
    /// Poll the file system instead of using its change notifications (network drives, WSL mounts).
    pub poll: bool,
    /// How long a path must stay quiet before its events are delivered.
    pub debounce: Duration,
}

/// Changes that arrived together: one rebuild's worth.
#[derive(Debug, Default)]
pub(super) struct Burst {
    /// Changed paths relative to the site root, with `/` separators, sorted.
    pub paths: Vec<String>,
    /// The watcher lost track (an overflowed event queue): everything may have changed.
    pub rescan: bool,
    /// Problems the watcher reported; watching goes on.
    pub errors: Vec<String>,
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        }
    }
}

/// A running watch over one site.
pub(super) struct Watcher {
    backend: Backend,
    events: Receiver<DebounceEventResult>,
    root: PathBuf,
    debounce: Duration,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching `options.root` (non-recursively, for `site.yaml` and the folders appearing
    /// or disappearing) and each input folder that exists (recursively).
    pub(super) fn new(options: &WatchOptions) -> Result<Watcher> {
        let root = options
            .root
            .canonicalize()
            .map_err(|e| Error::io(&options.root, e))?;
        let (tx, events) = channel();
        let tick = Some(options.debounce / 4);
        let failed = |e: notify::Error| {
            Error::Io(format!("cannot watch {} for changes: {e}", root.display()))
        };
        let backend = if options.poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Backend::Poll(
                new_debouncer_opt(options.debounce, tick, tx, NoCache, config).map_err(failed)?,
            )
        } else {
            let config = notify::Config::default();
            Backend::Native(
                new_debouncer_opt(options.debounce, tick, tx, RecommendedCache::new(), config)
                    .map_err(failed)?,
            )
        };
        let mut watcher = Watcher {
            backend,
            events,
            root,
            debounce: options.debounce,
            watched: BTreeSet::new(),
        };
        let root = watcher.root.clone();
        watcher
            .backend
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| {
                Error::Io(format!(
                    "cannot watch {} for changes: {e}{}",
                    root.display(),
                    if options.poll { "" } else { " (try --poll)" }
                ))
            })?;
        for dir in WATCHED_DIRS {
            watcher.refresh(dir)?;
        }
        Ok(watcher)
    }

    /// (Re)starts or stops watching one input folder after it appeared, vanished or was replaced.
    fn refresh(&mut self, dir: &'static str) -> Result<()> {
        let path = self.root.join(dir);
        if self.watched.remove(dir) {
            let _ = self.backend.unwatch(&path);
        }
        if path.is_dir() {
            self.backend
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    Error::Io(format!("cannot watch {} for changes: {e}", path.display()))
                })?;
            self.watched.insert(dir);
        }
        Ok(())
    }

    /// Blocks until a burst of relevant changes is complete (no new event for the debounce time),
    /// then returns it. Returns `None` once the watcher has stopped.
    pub(super) fn next_burst(&mut self) -> Option<Burst> {
        loop {
            let mut burst = Burst::default();
            let mut paths = BTreeSet::new();
            let mut batch = self.events.recv().ok()?;
            loop {
                self.absorb(batch, &mut burst, &mut paths);
                match self.events.recv_timeout(self.debounce) {
                    Ok(more) => batch = more,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            let replaced: Vec<&'static str> = WATCHED_DIRS
                .into_iter()
                .filter(|d| paths.contains(*d))
                .collect();
            for dir in replaced {
                if let Err(e) = self.refresh(dir) {
                    burst.errors.push(e.to_string());
                }
            }
            burst.paths = paths.into_iter().collect();
            if !burst.paths.is_empty() || burst.rescan || !burst.errors.is_empty() {
                return Some(burst);
            }
        }
    }

    fn absorb(&self, batch: DebounceEventResult, burst: &mut Burst, paths: &mut BTreeSet<String>) {
        match batch {
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        burst.rescan = true;
                    }
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    for path in &event.paths {
                        if let Some(rel) = relevant(&self.root, path) {
                            paths.insert(rel);
                        }
                    }
                }
            }
            Err(errors) => burst
                .errors
                .extend(errors.iter().map(|e| format!("watching for changes: {e}"))),
        }
    }
}

/// `path` relative to `root` if a change there can affect the build, else `None`.
pub(super) fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    if parts.len() == 1 && first == CONFIG_FILE {
        return Some(first.clone());
    }
    if !WATCHED_DIRS.contains(&first.as_str())
        || parts.last().is_some_and(|name| is_editor_temp(name))
    {
        return None;
    }
    Some(parts.join("/"))
}

/// Files editors write while saving, and never part of a site: vim's swap and probe files,
/// Emacs lock and autosave files, JetBrains' and gedit's temporaries, backup files.
pub(super) fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name.starts_with(".goutputstream-")
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            "x.md~",
            "4913",
            ".#x.md",
            "#x.md#",
            ".x.md.swp",
            "x.md___jb_tmp___",
            ".goutputstream-AB12",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["x.md", "style.css", "photo.png", ".htaccess"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn only_site_inputs_are_relevant() {
        let root = Path::new("/site");
        assert_eq!(
            relevant(root, Path::new("/site/site.yaml")).as_deref(),
            Some("site.yaml")
        );
        assert_eq!(
            relevant(root, Path::new("/site/content/sources/a.md")).as_deref(),
            Some("content/sources/a.md")
        );
        assert_eq!(
            relevant(root, Path::new("/site/content")).as_deref(),
            Some("content")
        );
        assert_eq!(relevant(root, Path::new("/site/public/index.html")), None);
        assert_eq!(
            relevant(root, Path::new("/site/content/sources/.a.md.swp")),
            None
        );
        assert_eq!(relevant(root, Path::new("/elsewhere/site.yaml")), None);
        assert_eq!(relevant(root, Path::new("/site/notes/site.yaml")), None);
    }
}
