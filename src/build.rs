//! The pipeline, written once:
//! 1. load: `site.yaml` ([`Config`]) → the content walk ([`source`]) → notes parsed and scanned
//!    ([`note`], [`markdown`]) → the resolved [`Site`] (citations, links, backlinks, the
//!    bibliography in the site's citation style);
//! 2. templates ([`Templates`]);
//! 3. pages ([`render`]), the exports beside them (and the matrix as CSV, [`overview`]), then the
//!    files that list the pages ([`extras`]), and the static files to copy.
//!
//! The site's layout is settled once, from `site.yaml`, before anything else ([`Setup`]).
//! `check` is load + templates. `build` streams every file into a staging folder that replaces
//! the output only on success, with the search index of its pages ([`search`]) made once they
//! are all written. `gloss serve`'s build is [`build_in_memory`] with a [`Cache`]: each
//! stage asks the cache for what it can reuse and tells it what it made ([`Stages`]); the cache
//! never calls back into the pipeline.

mod generate;
mod load;
mod outside;
mod stages;
mod vault_library;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};
use crate::graph::Site;
use crate::incremental::Cache;
use crate::output::{self, CopiedFile, DiskSink, MemorySink, OutputFile, Sink};
use crate::search;
use crate::source::Asset;
use crate::templates::Templates;
use generate::generate;
use load::load_site;
pub(crate) use load::{Setup, configure};
use stages::{Fresh, Made, Stages};

/// Where to read a site from, and how.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Publish drafts too (`gloss build --drafts`; `gloss serve` does unless `--no-drafts`).
    pub drafts: bool,
    /// A preview (`gloss serve`): a reference to an unpublished note is a warning, not an error.
    pub preview: bool,
    /// Every warning on its own line, not summed up (tags that name no theme).
    pub verbose: bool,
    /// Read what site.yaml names outside the site's folder (`--allow-outside`).
    pub allow_outside: bool,
    /// Every warning is an error (`--strict`, as `strict: true` in site.yaml), for CI.
    pub strict: bool,
}

/// Options of `gloss build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    pub out: PathBuf,
}

/// How long each stage of a build took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// What `gloss build` did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Files written, and files the previous output already held as they had to be.
    pub written: u64,
    pub unchanged: u64,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub timings: Timings,
}

/// A built site, in memory: the generated files (sorted by path) plus the files to copy as they
/// are.
pub struct Built {
    /// Every generated file but the search index, which [`build`] adds and `gloss serve` makes
    /// when it is first asked for.
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// The site's language, for the search index.
    pub language: String,
    /// Whether the site has a search index (`search:` in site.yaml).
    pub search: bool,
}

/// Reads and resolves the whole site. Content errors come back as `Error::Content` holding every
/// diagnostic (warnings too); on success the site's warnings are in `site.diagnostics`.
pub fn load(options: &LoadOptions) -> Result<(Site, Vec<Asset>)> {
    let setup = Setup::load(options)?;
    load_site(options, setup, &mut Fresh::default(), &mut Clock::start())
}

/// Reads the site and its templates and reports every problem without writing anything
/// (`gloss check`).
pub fn check(options: &LoadOptions) -> Result<Vec<Diagnostic>> {
    caught("checking the site", || check_site(options))
}

fn check_site(options: &LoadOptions) -> Result<Vec<Diagnostic>> {
    let setup = Setup::load(options)?;
    let layout = setup.layout.clone();
    let (site, _) = load_site(options, setup, &mut Fresh::default(), &mut Clock::start())?;
    Templates::load(&layout, &site.config.theme)?;
    Ok(site.diagnostics)
}

/// Builds the site into `out`, replacing the previous output only if everything succeeded. A
/// panic anywhere (a bug) is an internal error, and leaves no staging folder behind.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    caught("building the site", || build_site(options))
}

fn build_site(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let setup = Setup::load(&options.load)?;
    output::check_output_dir(
        &setup.layout,
        &|rel| setup.filter.skips_path(rel),
        &options.out,
    )?;
    // Before anything is read: a second build of the same output fails at once.
    let locked = output::lock(&options.out)?;
    let layout = setup.layout.clone();
    let mut clock = Clock::start();
    let mut fresh = Fresh::default();
    let (site, assets) = load_site(&options.load, setup, &mut fresh, &mut clock)?;
    injected_fault("load");
    let mut summary = None;
    let mut changes = (0, 0);
    let mut cut_from_search = Vec::new();
    let bytes = output::replace_dir(&locked, |dir| {
        let sink = DiskSink::new(dir);
        let collect = search::Collect::new(&sink);
        let mut made = generate(
            &layout,
            &site,
            assets.clone(),
            &mut fresh,
            &collect,
            &mut clock,
        )?;
        clock.lap("write");
        injected_fault("write");
        if site.config.search {
            let index = search::index(collect.into_pages(), &site.config.language)?;
            made.files += index.files.len();
            index
                .files
                .into_par_iter()
                .try_for_each(|file| sink.emit(file))?;
            cut_from_search = index.cut;
            clock.lap("search");
        }
        sink.prune()?;
        changes = sink.changes();
        summary = Some(made);
        Ok(sink.written())
    })?;
    clock.lap("finish");
    let summary = summary.unwrap_or_default();
    let cut_warnings = search_cut_warnings(&site, &cut_from_search);
    let mut warnings = site.diagnostics;
    warnings.extend(cut_warnings);
    Ok(BuildReport {
        pages: summary.pages,
        files: summary.files,
        bytes,
        written: changes.0,
        unchanged: changes.1,
        warnings,
        elapsed: start.elapsed(),
        timings: clock.laps,
    })
}

/// What `work` returns, or, when it panics, an internal error saying what gloss was doing (the
/// panic's own message goes to standard error, as Rust prints it).
fn caught<T>(doing: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(Error::failed_plainly(format!(
            "internal error while {doing} (a bug in gloss: please report it, with the site if you can)"
        )))
    })
}

/// In a debug build, a panic on purpose at `stage` when `GLOSS_FAULT` names it: how the tests
/// make sure a panic anywhere is caught and leaves nothing behind. Release builds have none.
fn injected_fault(stage: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("GLOSS_FAULT").is_ok_and(|f| f == stage) {
        panic!("a fault injected at {stage} (GLOSS_FAULT)");
    }
    let _ = stage;
}

/// A warning for each note whose page the search index reads only in part (see
/// [`search::MAX_INDEXED`]), at the note's file.
fn search_cut_warnings(site: &Site, pages: &[String]) -> Vec<Diagnostic> {
    site.notes
        .iter()
        .filter(|n| pages.contains(&format!("{}index.html", n.url_path())))
        .map(|n| {
            Diagnostic::warning(
                &n.path,
                0,
                0,
                format!(
                    "this note's page is over {mib} MiB: search finds only what its first {mib} MiB hold",
                    mib = search::MAX_INDEXED >> 20
                ),
            )
        })
        .collect()
}

/// Runs every stage but the write; through `cache` (`gloss serve`) when given, which makes the
/// same files with less work.
pub fn build_in_memory(options: &LoadOptions, cache: Option<&mut Cache>) -> Result<Built> {
    match cache {
        Some(cache) => in_memory(options, cache),
        None => in_memory(options, &mut Fresh::default()),
    }
}

fn in_memory(options: &LoadOptions, stages: &mut impl Stages) -> Result<Built> {
    let mut clock = Clock::start();
    let setup = Setup::load(options)?;
    let layout = setup.layout.clone();
    let (site, assets) = load_site(options, setup, stages, &mut clock)?;
    let sink = MemorySink::default();
    let generated = generate(&layout, &site, assets, stages, &sink, &mut clock);
    let language = site.config.language.clone();
    let search = site.config.search;
    stages.recycle(site);
    let summary = generated?;
    let files = sink.into_sorted();
    clock.lap("finish");
    Ok(Built {
        files,
        copies: summary.copies,
        pages: summary.pages,
        warnings: summary.warnings,
        timings: clock.laps,
        language,
        search,
    })
}

/// Measures a build's stages.
struct Clock {
    last: Instant,
    laps: Timings,
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
