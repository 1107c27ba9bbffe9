//! Watches a site's inputs (`site.yaml`, the notes' folder — `content/`, or a vault at the root —,
//! `templates/`, `themes/`, `static/`, the bibliography files) and hands `gloss serve` one burst
//! of changes at a time, editor temp files and hidden folders (`.obsidian/`, `.git/`) left out.
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

use super::inputs::{Inputs, relevant};
use crate::error::{Error, Result};
use crate::layout::CONFIG_FILE;

/// How to watch.
#[derive(Debug, Clone)]
pub(super) struct WatchOptions {
    pub root: PathBuf,
    pub inputs: Inputs,
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
    inputs: Inputs,
    /// Whether the root is watched with its subfolders (when the notes live there), if watched.
    root_recursive: Option<bool>,
    watched: BTreeSet<String>,
    /// The folders watched for input files only (see [`Inputs::file_folders`]).
    file_folders: BTreeSet<PathBuf>,
    poll: bool,
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
        let failed = |e: notify::Error| cannot_watch(&root, e, "");
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
            inputs: options.inputs.clone(),
            root_recursive: None,
            watched: BTreeSet::new(),
            file_folders: BTreeSet::new(),
            poll: options.poll,
        };
        watcher.watch_root()?;
        for dir in watcher.folders() {
            watcher.refresh(&dir)?;
        }
        watcher.watch_file_folders();
        Ok(watcher)
    }

    /// Watches the root as the inputs need: with all its subfolders when the notes live there (a
    /// vault; hidden folders are filtered from its events), else alone, for `site.yaml` and the
    /// folders appearing or disappearing. Watched again when that changes with `site.yaml`.
    fn watch_root(&mut self) -> Result<()> {
        let recursive = self.inputs.at_root();
        if self.root_recursive == Some(recursive) {
            return Ok(());
        }
        if self.root_recursive.take().is_some() {
            let _ = self.backend.unwatch(&self.root);
        }
        let mode = match recursive {
            true => RecursiveMode::Recursive,
            false => RecursiveMode::NonRecursive,
        };
        let hint = if self.poll { "" } else { " (try --poll)" };
        self.backend
            .watch(&self.root, mode)
            .map_err(|e| cannot_watch(&self.root, e, hint))?;
        self.root_recursive = Some(recursive);
        Ok(())
    }

    /// Watches the folders of the input files that no input folder holds, and stops watching
    /// those no longer needed. A folder that cannot be watched (it does not exist yet) is left:
    /// the build reports the missing file.
    fn watch_file_folders(&mut self) {
        let wanted = self.inputs.file_folders(&self.root);
        for gone in self.file_folders.difference(&wanted) {
            let _ = self.backend.unwatch(gone);
        }
        let new: Vec<PathBuf> = wanted.difference(&self.file_folders).cloned().collect();
        self.file_folders = wanted;
        for dir in new {
            if self
                .backend
                .watch(&dir, RecursiveMode::NonRecursive)
                .is_err()
            {
                self.file_folders.remove(&dir);
            }
        }
    }

    /// The input folders watched on their own (all but the root).
    fn folders(&self) -> Vec<String> {
        self.inputs
            .dirs
            .iter()
            .filter(|d| *d != ".")
            .cloned()
            .collect()
    }

    /// (Re)starts or stops watching one input folder after it appeared, vanished or was replaced.
    fn refresh(&mut self, dir: &str) -> Result<()> {
        let path = self.root.join(dir);
        if self.watched.remove(dir) {
            let _ = self.backend.unwatch(&path);
        }
        if path.is_dir() {
            self.backend
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| cannot_watch(&path, e, ""))?;
            self.watched.insert(dir.to_string());
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
            if paths.contains(CONFIG_FILE) {
                self.follow_config(&mut burst);
            }
            let replaced: Vec<String> = self
                .folders()
                .into_iter()
                .filter(|d| paths.contains(d))
                .collect();
            for dir in replaced {
                if let Err(e) = self.refresh(&dir) {
                    burst.errors.push(e.to_string());
                }
            }
            burst.paths = paths.into_iter().collect();
            if !burst.paths.is_empty() || burst.rescan || !burst.errors.is_empty() {
                return Some(burst);
            }
        }
    }

    /// Watches what `site.yaml` now names: another notes' folder (the root itself, with all its
    /// subfolders, for a vault), other bibliography or style files.
    fn follow_config(&mut self, burst: &mut Burst) {
        let inputs = Inputs::of(&self.root);
        if inputs == self.inputs {
            return;
        }
        let gone: Vec<String> = self.watched.iter().cloned().collect();
        for dir in gone {
            let _ = self.backend.unwatch(&self.root.join(&dir));
            self.watched.remove(&dir);
        }
        self.inputs = inputs;
        if let Err(e) = self.watch_root() {
            burst.errors.push(e.to_string());
        }
        for dir in self.folders() {
            if let Err(e) = self.refresh(&dir) {
                burst.errors.push(e.to_string());
            }
        }
        self.watch_file_folders();
        burst.rescan = true;
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
                        if let Some(rel) = relevant(&self.root, path, &self.inputs)
                            .or_else(|| self.outside_file(path))
                        {
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

impl Watcher {
    /// An input file outside the site (`../styles/mine.csl`), as site.yaml names it.
    fn outside_file(&self, path: &Path) -> Option<String> {
        let (dir, name) = (path.parent()?, path.file_name()?);
        if !self.file_folders.contains(dir) {
            return None;
        }
        self.inputs
            .files
            .iter()
            .find(|f| {
                let file = self.root.join(f);
                file.file_name() == Some(name)
                    && file
                        .parent()
                        .and_then(|p| p.canonicalize().ok())
                        .is_some_and(|p| p == dir)
            })
            .cloned()
    }
}

/// A folder that cannot be watched, `hint` saying what to try.
fn cannot_watch(path: &Path, e: notify::Error, hint: &str) -> Error {
    Error::failed(
        format!("cannot watch {} for changes: {e}{hint}", path.display()),
        e,
    )
}
