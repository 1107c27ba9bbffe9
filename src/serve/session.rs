//! The rebuild side of `gloss serve`: builds through the incremental cache, compares the result
//! with the pages being served, publishes the new [`Snapshot`] and tells the open tabs.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::watch::Burst;
use super::{Event, Shared, Snapshot, live};
use crate::build::{Built, LoadOptions, Timings, build_in_memory};
use crate::error::{Diagnostic, Error};
use crate::incremental::Cache;
use crate::search;

/// A built site as served: generated files in memory, copied files read from disk on request.
pub(super) struct SiteFiles {
    /// Shared with the cache: a file the build reused is the same allocation as before.
    pub(super) files: HashMap<String, Arc<[u8]>>,
    pub(super) copies: HashMap<String, Copied>,
    /// The search index of these pages, made on the first request for it from the records
    /// the session keeps (only the pages that changed are read again), since most saves are
    /// never followed by a search.
    search: OnceLock<HashMap<String, Arc<[u8]>>>,
    records: Arc<Mutex<search::SearchCache>>,
    language: String,
    search_on: bool,
}

pub(super) struct Copied {
    pub(super) abs: PathBuf,
    /// Size and modification time when the build ran, to tell what changed.
    stamp: Option<(u64, SystemTime)>,
}

impl SiteFiles {
    fn new(built: Built, records: Arc<Mutex<search::SearchCache>>) -> SiteFiles {
        let copies = built
            .copies
            .into_iter()
            .map(|c| {
                let stamp = std::fs::metadata(&c.abs)
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                (c.rel, Copied { abs: c.abs, stamp })
            })
            .collect();
        SiteFiles {
            files: built.files.into_iter().map(|f| (f.path, f.bytes)).collect(),
            copies,
            search: OnceLock::new(),
            records,
            language: built.language,
            search_on: built.search,
        }
    }

    /// The files of the search index (`search/…`), the same as `gloss build` writes for these
    /// pages; none if the site has no search.
    pub(super) fn search(&self) -> &HashMap<String, Arc<[u8]>> {
        self.search.get_or_init(|| {
            if !self.search_on {
                return HashMap::new();
            }
            let pages = self
                .files
                .iter()
                .filter(|(path, bytes)| search::indexable(path, bytes))
                .map(|(path, bytes)| (path.clone(), bytes.clone()))
                .collect();
            let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
            search::index_cached(pages, &self.language, &mut records)
                .map(|index| index.files.into_iter().map(|f| (f.path, f.bytes)).collect())
                .unwrap_or_default()
        })
    }

    /// The output paths that differ from `old`, sorted.
    fn changed_since(&self, old: &SiteFiles) -> Vec<String> {
        let mut changed: Vec<String> = Vec::new();
        for (path, bytes) in &self.files {
            let same = old
                .files
                .get(path)
                .is_some_and(|o| Arc::ptr_eq(o, bytes) || o == bytes);
            if !same {
                changed.push(path.clone());
            }
        }
        for (path, copy) in &self.copies {
            if old
                .copies
                .get(path)
                .is_none_or(|o| o.abs != copy.abs || o.stamp != copy.stamp)
            {
                changed.push(path.clone());
            }
        }
        let gone = old.files.keys().chain(old.copies.keys());
        changed.extend(
            gone.filter(|p| !self.files.contains_key(*p) && !self.copies.contains_key(*p))
                .cloned(),
        );
        changed.sort();
        changed.dedup();
        changed
    }
}

/// The rebuild side: caches, the build counter and what was last printed.
pub(super) struct Session {
    load: LoadOptions,
    cache: Cache,
    /// Distinguishes this process's states from an earlier server's on the same port.
    id: String,
    generation: u64,
    warnings: Option<Vec<Diagnostic>>,
    /// The search records of the pages last indexed.
    search: Arc<Mutex<search::SearchCache>>,
}

impl Session {
    pub(super) fn new(load: LoadOptions) -> Session {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let id = format!("{:x}{:x}", std::process::id(), nanos % 0xffff_ffff);
        Session {
            load,
            cache: Cache::default(),
            id,
            generation: 0,
            warnings: None,
            search: Arc::default(),
        }
    }

    fn next_state(&mut self) -> String {
        self.generation += 1;
        format!("{}-{}", self.id, self.generation)
    }

    /// Builds once and publishes the result: new pages, or the old ones with an overlay.
    /// `burst` names the files that changed since the last build (none for the first build).
    pub(super) fn rebuild(
        &mut self,
        shared: &Shared,
        report: &dyn Fn(&Event),
        burst: Option<&Burst>,
    ) {
        let start = Instant::now();
        if let Some(burst) = burst {
            if burst.rescan {
                self.cache.rescan();
            }
            self.cache.changed(&burst.paths);
        }
        let built = catch_unwind(AssertUnwindSafe(|| {
            build_in_memory(&self.load, Some(&mut self.cache))
        }));
        let built = built.unwrap_or_else(|_| {
            self.cache = Cache::default();
            Err(Error::failed_plainly("gloss hit an internal error while building (a bug: please report it with the file you changed)"))
        });
        let built_at = Instant::now();
        match built {
            Ok(built) => self.publish(built, shared, report, (start, built_at)),
            Err(error) => self.publish_failure(error, shared, report),
        }
    }

    /// Serves a good build, tells the open tabs, and reports what changed.
    fn publish(
        &mut self,
        built: Built,
        shared: &Shared,
        report: &dyn Fn(&Event),
        (start, built_at): (Instant, Instant),
    ) {
        let previous = shared.snapshot();
        let (pages, warnings) = (built.pages, built.warnings.clone());
        let timings = built.timings.clone();
        let files = built.files.len() + built.copies.len();
        let site = SiteFiles::new(built, self.search.clone());
        let changed = match &previous.site {
            Some(old) => site.changed_since(old),
            None => site
                .files
                .keys()
                .chain(site.copies.keys())
                .cloned()
                .collect(),
        };
        let was_broken = previous.overlay.is_some();
        if self.warnings.as_ref() != Some(&warnings) {
            if !warnings.is_empty() || self.warnings.is_some() {
                report(&Event::Warnings(warnings.clone()));
            }
            self.warnings = Some(warnings);
        }
        if changed.is_empty() && !was_broken && previous.site.is_some() {
            report(&Event::Unchanged {
                elapsed: start.elapsed(),
                stages: stages(timings, built_at),
            });
            return;
        }
        let css_only =
            previous.site.is_some() && !was_broken && changed.iter().all(|p| p.ends_with(".css"));
        let message = if css_only {
            live::Message::Css(
                changed
                    .iter()
                    .map(|p| format!("{}{p}", shared.base_path))
                    .collect(),
            )
        } else {
            live::Message::Reload
        };
        let state = self.next_state();
        let site = Arc::new(site);
        if previous.site.is_none() {
            // The first search reads every page: read them now, so it finds them read (later
            // ones read again only the pages that changed).
            let warm = site.clone();
            std::thread::spawn(move || warm.search().len());
        }
        shared.publish(Snapshot {
            state: state.clone(),
            site: Some(site),
            overlay: None,
        });
        let tabs = shared.hub.send(&state, &message);
        let stats = self.cache.stats();
        let changed = previous.site.as_ref().map(|_| changed.len());
        report(&Event::Built {
            elapsed: start.elapsed(),
            pages,
            files,
            changed,
            tabs,
            stats,
            stages: stages(timings, built_at),
        });
    }

    /// Keeps the last good pages served under an overlay naming the problems.
    fn publish_failure(&mut self, error: Error, shared: &Shared, report: &dyn Fn(&Event)) {
        let previous = shared.snapshot();
        let diagnostics = match &error {
            Error::Content(diags) => diags.clone(),
            other => {
                let message = other.message().unwrap_or_default();
                vec![Diagnostic::error("", 0, 0, message)]
            }
        };
        let overlay = live::overlay(&diagnostics, previous.site.is_some());
        let state = self.next_state();
        shared.publish(Snapshot {
            state: state.clone(),
            site: previous.site.clone(),
            overlay: Some(overlay.clone()),
        });
        shared.hub.send(&state, &live::Message::Broken(overlay));
        report(&Event::Failed(error));
    }
}

/// The build's stage timings, and the time since `built_at` spent comparing and publishing.
fn stages(timings: Timings, built_at: Instant) -> Vec<(&'static str, Duration)> {
    let mut stages = timings;
    stages.push(("publish", built_at.elapsed()));
    stages
}
