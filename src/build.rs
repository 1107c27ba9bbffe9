//! The pipeline, written once:
//! 1. load: `site.yaml` ([`Config`]) → the content walk ([`source`]) → notes parsed and scanned
//!    ([`note`], [`markdown`]) → the resolved [`Site`] (citations, links, backlinks, the
//!    bibliography in the site's citation style);
//! 2. templates ([`Templates`]);
//! 3. pages ([`render`]), the exports beside them (and the matrix as CSV, [`overview`]), then the
//!    files that list the pages ([`extras`]), and the static files to copy.
//!
//! `check` is load + templates. `build` streams every file into a staging folder that replaces
//! the output only on success, with the search index of its pages ([`search`]) made once they
//! are all written. `gloss serve`'s build is [`build_in_memory`] with a [`Cache`]: each
//! stage asks the cache for what it can reuse and tells it what it made; the cache never calls
//! back into the pipeline.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::bib::{self, CitationStyle, Library, SourceInput};
use crate::check::lint;
use crate::config::{Config, Publish};
use crate::error::{Diagnostic, Error, Level, Result, summarise};
use crate::extras;
use crate::graph::{Settings, Site};
use crate::incremental::Cache;
use crate::layout::SiteLayout;
use crate::markdown::{self, Scan};
use crate::note::{self, Excluded, Note, Notes, Reading, Visibility};
use crate::output::{self, CopiedFile, DiskSink, MemorySink, OutputFile, Sink};
use crate::overview::matrix::Matrix;
use crate::render::{self, NoCache};
use crate::search;
use crate::source::{self, Asset, ContentFilter, Folders};
use crate::templates::Templates;

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
}

/// Reads and resolves the whole site. Content errors come back as `Error::Content` holding every
/// diagnostic (warnings too); on success the site's warnings are in `site.diagnostics`.
pub fn load(options: &LoadOptions) -> Result<(Site, Vec<Asset>)> {
    load_site(options, None, &mut Clock::start())
}

/// Reads the site and its templates and reports every problem without writing anything
/// (`gloss check`).
pub fn check(options: &LoadOptions) -> Result<Vec<Diagnostic>> {
    let (site, _) = load(options)?;
    Templates::load(&SiteLayout::new(&options.root), &site.config.theme)?;
    Ok(site.diagnostics)
}

/// Builds the site into `out`, replacing the previous output only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let layout = SiteLayout::new(&options.load.root);
    output::check_output_dir(&layout, &options.out)?;
    // Before anything is read: a second build of the same output fails at once.
    let locked = output::lock(&options.out)?;
    let mut clock = Clock::start();
    let (site, assets) = load_site(&options.load, None, &mut clock)?;
    let mut summary = None;
    let mut changes = (0, 0);
    let mut cut_from_search = Vec::new();
    let bytes = output::replace_dir(&locked, |dir| {
        let sink = DiskSink::new(dir);
        let collect = search::Collect::new(&sink);
        let mut made = generate(&layout, &site, assets, None, &collect, &mut clock)?;
        clock.lap("write");
        let index = search::index(collect.into_pages(), &site.config.language)?;
        made.files += index.files.len();
        for file in index.files {
            sink.emit(file)?;
        }
        cut_from_search = index.cut;
        clock.lap("search");
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
pub fn build_in_memory(options: &LoadOptions, mut cache: Option<&mut Cache>) -> Result<Built> {
    let layout = SiteLayout::new(&options.root);
    let mut clock = Clock::start();
    let (site, assets) = load_site(options, cache.as_deref_mut(), &mut clock)?;
    let sink = MemorySink::default();
    let generated = generate(
        &layout,
        &site,
        assets,
        cache.as_deref_mut(),
        &sink,
        &mut clock,
    );
    let language = site.config.language.clone();
    if let Some(cache) = cache {
        cache.recycle(site);
    }
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

/// Stage 1: configuration, notes, resolution.
fn load_site(
    options: &LoadOptions,
    mut cache: Option<&mut Cache>,
    clock: &mut Clock,
) -> Result<(Site, Vec<Asset>)> {
    let layout = SiteLayout::new(&options.root);
    let config = Config::load(&layout, options.base_url.as_deref())?;
    let layout = layout.with_content(config.content_dir.as_deref());
    let style = CitationStyle::load(&layout, &config).map_err(|d| Error::Content(vec![d]))?;
    let library = Library::load(&layout, &config)?;
    let reading = Reading {
        layout: &layout,
        filter: &ContentFilter::new(&layout, &config)?,
        folders: &Folders::of(&config),
        visibility: Visibility {
            drafts: options.drafts,
            explicit: config.publish == Publish::Explicit,
        },
        library: &library,
    };
    let notes = match cache.as_deref_mut() {
        Some(cache) => cache.read(&reading)?,
        None => read_notes(&reading)?,
    };
    clock.lap("read");
    let Notes {
        mut notes,
        mut scans,
        mut diagnostics,
        assets,
        excluded,
    } = notes;
    if !config.strict {
        // A lenient site publishes what it can: a note that cannot be read is left out, as
        // Obsidian Publish leaves it (a vault's templates hold `{{title}}` front matter).
        for d in diagnostics.iter_mut().filter(|d| d.is_error()) {
            d.level = Level::Warning;
            d.message
                .push_str(" (the note is left out: `strict: false`)");
        }
    }
    diagnostics.extend(library.diagnostics.iter().cloned());
    add_library_sources(
        &library,
        &excluded,
        &mut notes,
        &mut scans,
        &mut diagnostics,
    );
    let settings = Settings {
        layout: &layout,
        preview: options.preview,
        markdown: markdown::Settings {
            // Obsidian breaks lines where the note does, unless the vault says otherwise.
            hard_breaks: config.hard_line_breaks.unwrap_or_else(|| {
                source::obsidian_strict_line_breaks(&layout.content_dir())
                    .is_some_and(|strict| !strict)
            }),
            ..markdown::Settings::default()
        },
        style: style.clone(),
    };
    let mut site = Site::resolve(
        config,
        notes,
        scans,
        &excluded,
        &assets,
        settings,
        &mut |inputs, cited| match cache.as_deref_mut() {
            Some(cache) => cache.format(&style, inputs, cited),
            None => bib::format(&style, inputs, cited),
        },
    );
    site.diagnostics.extend(lint(&site, options.verbose));
    clock.lap("resolve");
    diagnostics.append(&mut site.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    let diagnostics = summarise(diagnostics, options.verbose);
    if diagnostics.iter().any(Diagnostic::is_error) {
        if let Some(cache) = cache {
            cache.recycle(site);
        }
        return Err(Error::Content(diagnostics));
    }
    site.diagnostics = diagnostics;
    Ok((site, assets))
}

/// A source note for every entry of the bibliography files that no note annotates: its page is
/// made from the entry's fields alone. Kept after the notes (which are in path order), in the
/// files' order.
fn add_library_sources(
    library: &Library,
    excluded: &Excluded,
    notes: &mut Vec<Note>,
    scans: &mut Vec<Scan>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if library.is_empty() {
        return;
    }
    let annotated: HashSet<&str> = notes
        .iter()
        .map(|n| n.key.as_str())
        .chain(excluded.unparsed.iter().map(|(_, key)| key.as_str()))
        .collect();
    let fresh: Vec<Note> = library
        .iter()
        .filter(|(key, _)| !annotated.contains(key))
        .map(|(key, entry)| {
            let (note, warnings) = Note::from_library(key, entry);
            diagnostics.extend(warnings);
            note
        })
        .collect();
    scans.extend(fresh.iter().map(|_| Scan::default()));
    notes.extend(fresh);
}

/// Reads every note and parses and scans it, on every core.
fn read_notes(reading: &Reading<'_>) -> Result<Notes> {
    let source::Content {
        files,
        assets,
        mut diagnostics,
        refused: mut unparsed,
        ignored,
    } = source::read_content(reading.layout, reading.filter, reading.folders)?;
    let parsed: Vec<_> = files
        .into_par_iter()
        .map(|file| {
            let name = (file.rel.clone(), file.key.clone());
            (name, note::parse_and_scan(file, reading.library))
        })
        .collect();
    let mut notes = Vec::with_capacity(parsed.len());
    let mut scans = Vec::with_capacity(parsed.len());
    let mut hidden = Vec::new();
    for (name, (scanned, problems)) in parsed {
        match scanned.map(|(n, scan)| (reading.visibility.sort(n), scan)) {
            Some((Ok(n), scan)) => {
                notes.push(n);
                scans.push(scan);
            }
            Some((Err(left_out), _)) => hidden.push(left_out),
            None => unparsed.push(name),
        }
        diagnostics.extend(problems);
    }
    Ok(Notes {
        notes,
        scans,
        diagnostics,
        assets,
        excluded: Excluded {
            unparsed,
            hidden,
            ignored,
        },
    })
}

/// What [`generate`] made.
#[derive(Default)]
struct Summary {
    pages: usize,
    files: usize,
    copies: Vec<CopiedFile>,
    warnings: Vec<Diagnostic>,
}

/// Stages 2 and 3: templates, pages, exports, the files listing the pages, and the copies.
fn generate(
    layout: &SiteLayout,
    site: &Site,
    assets: Vec<Asset>,
    mut cache: Option<&mut Cache>,
    sink: &dyn Sink,
    clock: &mut Clock,
) -> Result<Summary> {
    let templates = Templates::load(layout, &site.config.theme)?;
    let reuse = cache
        .as_deref_mut()
        .map(|cache| cache.plan(site))
        .unwrap_or_default();
    let bibtex = reuse
        .bibtex
        .unwrap_or_else(|| Arc::new(bibtex_entries(site)));
    clock.lap("plan");
    let (copies, built_in) = copied_files(layout, site, assets)?;
    sink.copy(&copies)?;
    let built_in_files = built_in.len();
    for file in built_in {
        sink.emit(file)?;
    }
    let emit = |file: OutputFile| sink.emit(file);
    let planned = render::page_paths(site);
    // The exports do not depend on the pages: they are made while pages render. The pages'
    // folders are prepared by a thread of its own that keeps ahead of the rendering.
    let (pages, exports) = std::thread::scope(|scope| {
        scope.spawn(|| sink.prepare(&planned));
        rayon::join(
            || match cache.as_deref_mut() {
                Some(cache) => {
                    render::render_pages(site, &templates, &bibtex, cache.pages(), &emit)
                }
                None => render::render_pages(site, &templates, &bibtex, &mut NoCache, &emit),
            },
            || reuse.exports.unwrap_or_else(|| export_files(site, &bibtex)),
        )
    });
    let pages = pages?;
    let failures = site.render_failures();
    if !failures.is_empty() {
        return Err(Error::Content(failures));
    }
    clock.lap("render");
    // The matrix as a spreadsheet, made again when a listing may have changed (70 ms at 10,000
    // sources, a fifth of a `gloss serve` rebuild after a body edit).
    let matrix = reuse
        .matrix
        .unwrap_or_else(|| OutputFile::new("matrix.csv", Matrix::of(site).csv(site).into_bytes()));
    sink.emit(matrix.clone())?;
    let extras = match reuse.extras {
        Some(extras) => extras,
        None => extras::files(site, &templates, &pages)?,
    };
    for file in exports.iter().chain(&extras) {
        sink.emit(file.clone())?;
    }
    clock.lap("extras");
    if let Some(cache) = cache {
        cache.store(site, bibtex, exports.clone(), extras.clone(), matrix);
    }
    Ok(Summary {
        pages: pages.len(),
        files: pages.len() + exports.len() + extras.len() + copies.len() + built_in_files + 1,
        copies,
        warnings: site.diagnostics.clone(),
    })
}

/// Every source as the bibliography formatters take it, in reference-list order.
fn source_inputs(site: &Site) -> Vec<SourceInput<'_>> {
    site.bibliography_order
        .iter()
        .filter_map(|k| {
            let note = &site.notes[site.by_key[k.as_str()]];
            Some(SourceInput {
                key: &note.key,
                title: &note.title,
                meta: note.source.as_ref()?,
            })
        })
        .collect()
}

/// Every source as the exports take it: in APA's reference-list order whatever the site's
/// style. The exports are data, not a formatted list: choosing another style must not reorder
/// them, and a numeric style's order moves with the citations, which they do not read.
fn export_inputs(site: &Site) -> Vec<SourceInput<'_>> {
    let mut inputs = source_inputs(site);
    if site.style != CitationStyle::Apa {
        bib::apa_order(&mut inputs);
    }
    inputs
}

/// The BibTeX entry of every source, by key.
fn bibtex_entries(site: &Site) -> BTreeMap<String, String> {
    bib::export::bibtex_entries(&source_inputs(site))
}

/// The bibliography exports, `references.bib` and `references.json`.
fn export_files(site: &Site, bibtex: &BTreeMap<String, String>) -> Vec<OutputFile> {
    let inputs = export_inputs(site);
    vec![
        OutputFile::new(
            "references.bib",
            bib::export::bibtex_file(bibtex, inputs.iter().map(|s| s.key)).into_bytes(),
        ),
        OutputFile::new(
            "references.json",
            bib::export::csl_json(&inputs).into_bytes(),
        ),
    ]
}

/// The theme's and the site's static files, and content assets, to copy as they are; and the
/// built-in theme's static files, to write.
fn copied_files(
    layout: &SiteLayout,
    site: &Site,
    assets: Vec<Asset>,
) -> Result<(Vec<CopiedFile>, Vec<OutputFile>)> {
    let (mut copies, built_in) = output::static_files(layout, &site.config.theme)?;
    copies.extend(assets.into_iter().map(|a| CopiedFile {
        rel: a.rel,
        abs: a.abs,
    }));
    Ok((copies, built_in))
}
