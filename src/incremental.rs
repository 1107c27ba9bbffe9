//! What `gloss serve` keeps between rebuilds so that a one-note edit does not redo the whole
//! pipeline, stage by stage:
//! - reading: only files whose stamps changed are read again (`content`);
//! - parsing and scanning: only notes whose text changed;
//! - APA formatting: only clusters of sources with a changed source (`ReferenceCache`);
//! - pages: only the pages the build's `plan` says can have changed are checked, by the
//!   fingerprint of their template input, and only the changed ones rendered; note bodies are
//!   rendered only when their text or the answers to their citations and links changed (`memo`);
//! - BibTeX entries, the feed, sitemap and exports: made again only when what they read changed.
//!
//! Every entry is reused only when the inputs of the pure function that made it are provably the
//! same, so a build through a warm [`Cache`] is byte-identical to a clean build. `gloss build`
//! uses no cache at all.

mod content;
mod memo;
mod plan;

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::apa::{self, Reference, SourceInput};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::graph::Site;
use crate::note::SourceMeta;
use crate::output::CopiedFile;
use crate::render::{self, OutputFile, SharedFile};
use crate::source::Asset;
use crate::templates::Templates;
use crate::{Built, LoadOptions};

use memo::Targets;
pub use memo::{PageScope, RenderMemo};
use plan::{Plan, Seen};

/// Results reused across builds of the same site.
#[derive(Default)]
pub struct Cache {
    content: content::ContentCache,
    references: ReferenceCache,
    render: RenderMemo,
    /// What the kept pages, BibTeX entries and extra files were made from; `None` until a build
    /// succeeds, and during a build (a failed build leaves it `None`, so the next plan is full).
    seen: Option<Seen>,
    bibtex: Option<Arc<BTreeMap<String, String>>>,
    extras: Vec<SharedFile>,
    stats: Stats,
    timings: Vec<(&'static str, Duration)>,
    read_time: Duration,
}

/// How much the last build through a [`Cache`] could reuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Note files read from disk (all of them when the set of files under `content/` changed).
    pub files_read: usize,
    pub notes_parsed: usize,
    pub notes_reused: usize,
    /// Sources formatted again (their cluster of same-family-name first authors changed).
    pub sources_formatted: usize,
    pub sources_reused: usize,
    /// Note bodies rendered from Markdown again, and reused.
    pub bodies_rendered: usize,
    pub bodies_reused: usize,
    /// Pages rendered through their template again, and reused (skipped ones included).
    pub pages_rendered: usize,
    pub pages_reused: usize,
    /// Pages reused without building their template input, as the plan allowed.
    pub pages_skipped: usize,
    /// Why every page's input was built and compared, if it was.
    pub checked_all: Option<&'static str>,
}

/// A build through the cache: the generated files share their bytes with the cache, so files
/// reused from the previous build are the same allocation (a cheap comparison for `gloss serve`).
pub struct Output {
    /// Generated files (pages and extras), sorted by path.
    pub files: Vec<SharedFile>,
    pub copies: Vec<CopiedFile>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

impl From<Output> for Built {
    fn from(output: Output) -> Built {
        Built {
            files: output
                .files
                .into_iter()
                .map(|(path, bytes)| OutputFile {
                    path,
                    bytes: bytes.to_vec(),
                })
                .collect(),
            copies: output.copies,
            pages: output.pages,
            warnings: output.warnings,
        }
    }
}

/// Measures a build's stages.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site in memory through `cache`, as [`crate::build_in_memory`] does without one.
pub fn build(options: &LoadOptions, cache: &mut Cache) -> Result<Output> {
    let mut clock = Clock::start();
    // Taken out for the build: only a build that completes puts it back (see `Cache::seen`).
    let seen = cache.seen.take();
    let output = cache.load(options).and_then(|(site, assets)| {
        // `load` timed its read: the rest of the lap is resolving.
        clock.lap("resolve");
        if let Some(lap) = clock.laps.last_mut() {
            lap.1 = lap.1.saturating_sub(cache.read_time);
        }
        clock.laps.insert(0, ("read", cache.read_time));
        let output = cache.render_site(options, &site, assets, seen, &mut clock);
        cache.recycle(site);
        output
    });
    clock.lap("finish");
    cache.timings = clock.laps;
    output
}

impl Cache {
    /// What the last build reused.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// How long each stage of the last build took, in order.
    pub fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }

    /// Tells the cache that these files (relative to the site root, `/`-separated) changed, so
    /// they are read again whatever their stamps say.
    pub fn changed(&mut self, paths: &[String]) {
        self.content.hint(paths);
    }

    /// Forgets what the files under `content/` looked like: the next build reads them all.
    pub fn rescan(&mut self) {
        self.content.forget();
    }

    /// With `on`, every build also builds the input of each page its plan lets it skip, and
    /// records the pages whose input did change ([`Cache::mismatches`]): a check of the plan for
    /// tests. The output is right either way.
    pub fn verify_plans(&mut self, on: bool) {
        self.render.verify = on;
    }

    /// The pages the last build's plan would wrongly have skipped (with [`Cache::verify_plans`]).
    pub fn mismatches(&self) -> Vec<String> {
        let mut list = self
            .render
            .mismatches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        list.sort();
        list
    }

    /// What [`crate::load_with`] does, through the cache. The site's notes, scans and references
    /// are lent by the cache: give the site back with [`Cache::recycle`] (a site that is not given
    /// back only makes the next build read and parse everything again).
    pub fn load(&mut self, options: &LoadOptions) -> Result<(Site, Vec<Asset>)> {
        let config = Config::load(&options.root, options.base_url.as_deref())?;
        let started = Instant::now();
        let (read, stats) = self.content.read(&options.root)?;
        self.stats.files_read = stats.files_read;
        self.stats.notes_parsed = stats.parsed;
        self.stats.notes_reused = stats.reused;
        self.read_time = started.elapsed();
        let references = &mut self.references;
        let mut formatted = (0, 0);
        let mut site = Site::resolve_scanned(config, read.notes, read.scans, &mut |inputs| {
            let (map, fresh, reused) = references.format(inputs);
            formatted = (fresh, reused);
            map
        });
        (self.stats.sources_formatted, self.stats.sources_reused) = formatted;
        // As in `load_with`.
        let mut diagnostics = read.diagnostics;
        diagnostics.append(&mut site.diagnostics);
        diagnostics.sort();
        diagnostics.dedup();
        if diagnostics.iter().any(Diagnostic::is_error) {
            self.recycle(site);
            return Err(Error::Content(diagnostics));
        }
        site.diagnostics = diagnostics;
        Ok((site, read.assets))
    }

    /// Takes back what [`Cache::load`] lent to `site`, and frees the rest of it.
    pub fn recycle(&mut self, mut site: Site) {
        let notes = std::mem::take(&mut site.notes);
        let scans = std::mem::take(&mut site.scans);
        self.content.recycle(notes, scans);
        self.references.recycled = Some(std::mem::take(&mut site.references));
        // Freeing the rest (tens of thousands of strings at 10,000 notes) is left to another
        // thread: nothing waits for it.
        std::thread::spawn(move || drop(site));
    }

    /// Everything after loading: templates, pages, extra files and copies.
    fn render_site(
        &mut self,
        options: &LoadOptions,
        site: &Site,
        assets: Vec<Asset>,
        seen: Option<Seen>,
        clock: &mut Clock,
    ) -> Result<Output> {
        let templates = Templates::load(&options.root, &site.config.theme)?;
        let revs = &self.content.revs;
        let plan = Plan::new(seen.as_ref(), site, revs);
        self.render.plan(Targets {
            all: plan.full.is_some(),
            notes: plan.notes.clone(),
            listings: plan.listings,
        });
        let bibtex = match &self.bibtex {
            Some(bibtex) if plan.same_sources() => bibtex.clone(),
            _ => Arc::new(crate::bibtex_entries(site)),
        };
        self.bibtex = Some(bibtex.clone());
        clock.lap("plan");
        let mut files = render::render_site_memo(site, &templates, &bibtex, &mut self.render)
            .map_err(Error::Content)?;
        clock.lap("render");
        let pages = files.len();
        if plan.same_extras() && !self.extras.is_empty() {
            files.extend(self.extras.iter().cloned());
        } else {
            let page_paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
            let extras: Vec<SharedFile> = crate::site_files(site, &bibtex, &page_paths)
                .into_iter()
                .map(|f| (f.path, f.bytes.into()))
                .collect();
            files.extend(extras.iter().cloned());
            self.extras = extras;
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let copies = crate::copied_files(&options.root, site, assets)?;
        clock.lap("extras");
        let r = &self.render;
        let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        self.stats = Stats {
            bodies_rendered: count(&r.bodies_rendered),
            bodies_reused: count(&r.bodies_reused),
            pages_rendered: count(&r.pages_rendered),
            pages_reused: count(&r.pages_reused),
            pages_skipped: count(&r.pages_skipped),
            checked_all: plan.full.or_else(|| {
                r.checked_all()
                    .then_some("templates or site-wide values changed")
            }),
            ..self.stats
        };
        self.seen = Some(plan.into_seen(seen, site, revs));
        Ok(Output {
            files,
            copies,
            pages,
            warnings: site.diagnostics.clone(),
        })
    }
}

/// Formatted sources by cluster (see [`apa::cluster_key`]): a cluster is formatted again only
/// when one of its sources' bibliographic fields, title or key changed, or a source joined or left it.
#[derive(Default)]
struct ReferenceCache {
    clusters: HashMap<String, (Members, Vec<(String, Reference)>)>,
    /// Every input of the last call, in order, and (once the build gives it back) its result:
    /// when no input changed, the whole map is reused without grouping or copying anything.
    last: Members,
    recycled: Option<BTreeMap<String, Reference>>,
}

/// A cluster's sources as last formatted: key, title and bibliographic fields, in input order.
type Members = Vec<(String, String, SourceMeta)>;

impl ReferenceCache {
    fn format(
        &mut self,
        inputs: &[SourceInput<'_>],
    ) -> (BTreeMap<String, Reference>, usize, usize) {
        if let Some(map) = self.recycled.take()
            && self.last.len() == inputs.len()
            && self
                .last
                .iter()
                .zip(inputs)
                .all(|((k, t, m), s)| k == s.key && t == s.title && m == s.meta)
        {
            return (map, 0, inputs.len());
        }
        self.last = inputs
            .iter()
            .map(|s| (s.key.to_string(), s.title.to_string(), s.meta.clone()))
            .collect();
        let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
        for input in inputs {
            clusters
                .entry(apa::cluster_key(input.meta))
                .or_default()
                .push(input);
        }
        let same = |old: &Members, new: &[&SourceInput<'_>]| {
            old.len() == new.len()
                && old
                    .iter()
                    .zip(new)
                    .all(|((k, t, m), s)| k == s.key && t == s.title && m == s.meta)
        };
        let mut out = BTreeMap::new();
        let mut stale: Vec<&String> = Vec::new();
        let mut to_format: Vec<SourceInput<'_>> = Vec::new();
        let mut reused = 0;
        for (cluster, members) in &clusters {
            match self.clusters.get(cluster) {
                Some((old, refs)) if same(old, members) => {
                    reused += refs.len();
                    out.extend(refs.iter().cloned());
                }
                _ => {
                    to_format.extend(members.iter().map(|s| SourceInput {
                        key: s.key,
                        title: s.title,
                        meta: s.meta,
                    }));
                    stale.push(cluster);
                }
            }
        }
        let formatted = to_format.len();
        let fresh = if to_format.is_empty() {
            BTreeMap::new()
        } else {
            apa::format_all(&to_format)
        };
        self.clusters.retain(|k, _| clusters.contains_key(k));
        for cluster in stale {
            let members = &clusters[cluster];
            let refs: Vec<(String, Reference)> = members
                .iter()
                .filter_map(|s| fresh.get(s.key).map(|r| (s.key.to_string(), r.clone())))
                .collect();
            let inputs = members
                .iter()
                .map(|s| (s.key.to_string(), s.title.to_string(), s.meta.clone()))
                .collect();
            self.clusters.insert(cluster.clone(), (inputs, refs));
        }
        out.extend(fresh);
        (out, formatted, reused)
    }
}

/// A 128-bit fingerprint of bytes written to it (two differently seeded SipHash states).
struct Fingerprint(DefaultHasher, DefaultHasher);

impl Fingerprint {
    fn new() -> Self {
        let mut second = DefaultHasher::new();
        second.write(b"gloss-fingerprint");
        Fingerprint(DefaultHasher::new(), second)
    }

    fn of(value: &impl Serialize) -> u128 {
        let mut f = Fingerprint::new();
        // Serialising plain view structs into a hasher cannot fail; a failure only costs a render.
        if serde_json::to_writer(&mut f, value).is_err() {
            return 0;
        }
        f.finish()
    }

    fn finish(&self) -> u128 {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
