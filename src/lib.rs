//! gloss: a static site generator for annotated literature reviews.
//!
//! The pipeline, one module a stage:
//! 1. [`config`] reads `site.yaml`;
//! 2. [`source`] walks `content/`;
//! 3. [`note`] parses each note's front matter ([`frontmatter`]) and body;
//! 4. [`graph`] resolves citations ([`cite`], [`apa`]), links, tags and backlinks;
//! 5. [`render`] turns the graph into pages through [`templates`], plus [`export`] and [`publish`] files;
//! 6. [`output`] writes it all atomically.
//!
//! `check` stops after step 4; `serve` reruns the stages on every change. The library never prints.

pub mod apa;
pub mod apa_fast;
pub mod cite;
pub mod config;
pub mod disambiguate;
pub mod error;
pub mod export;
pub mod frontmatter;
pub mod graph;
pub mod incremental;
pub mod markdown;
pub mod note;
pub mod output;
pub mod publish;
pub mod render;
pub mod serve;
pub mod source;
pub mod suggest;
pub mod templates;
pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use error::{Diagnostic, Error, Level, Result};

use config::Config;
use graph::Site;
use output::CopiedFile;
use render::OutputFile;

/// Where to read a site from, and with which base URL.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
}

/// Reads and resolves the whole site. Content errors come back as `Error::Content` holding every
/// diagnostic (warnings too); on success the site's warnings are in `site.diagnostics`.
pub fn load(options: &LoadOptions) -> Result<(Site, Vec<source::Asset>)> {
    load_with(options, None)
}

/// Like [`load`], reusing and refreshing `cache` when given (`gloss serve`); the result is the same.
pub fn load_with(
    options: &LoadOptions,
    cache: Option<&mut incremental::Cache>,
) -> Result<(Site, Vec<source::Asset>)> {
    if let Some(cache) = cache {
        return cache.load(options);
    }
    let config = Config::load(&options.root, options.base_url.as_deref())?;
    let source::Content {
        files,
        assets,
        mut diagnostics,
    } = source::read_content(&options.root)?;
    let parsed: Vec<_> = files.into_par_iter().map(parse_and_scan).collect();
    let mut notes = Vec::with_capacity(parsed.len());
    let mut scans = Vec::with_capacity(parsed.len());
    for (scanned, problems) in parsed {
        if let Some((n, scan)) = scanned {
            notes.push(n);
            scans.push(scan);
        }
        diagnostics.extend(problems);
    }
    let mut site =
        Site::resolve_scanned(config, notes, scans, &mut |inputs| apa::format_all(inputs));
    diagnostics.append(&mut site.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    site.diagnostics = diagnostics;
    Ok((site, assets))
}

/// Parses one file into a note and scans the note for its references while its text is hot;
/// the file's text is freed on return.
fn parse_and_scan(
    file: source::SourceFile,
) -> (Option<(note::Note, markdown::Scan)>, Vec<Diagnostic>) {
    let (note, problems) = note::parse(file.kind, &file.key, &file.path, &file.text);
    let scanned = note.map(|n| {
        let scan = graph::scan_note(&n);
        (n, scan)
    });
    (scanned, problems)
}

/// Reads the site and reports every problem without writing anything (`gloss check`).
pub fn check(options: &LoadOptions) -> Result<Vec<Diagnostic>> {
    let (site, _) = load(options)?;
    Ok(site.diagnostics)
}

/// A built site, in memory: the generated files plus the files to copy as they are.
pub struct Built {
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Runs every stage but the write.
pub fn build_in_memory(options: &LoadOptions) -> Result<Built> {
    build_in_memory_with(options, None)
}

/// Like [`build_in_memory`], reusing and refreshing `cache` when given (`gloss serve`, through
/// [`incremental::build`]); the files are byte-identical either way.
pub fn build_in_memory_with(
    options: &LoadOptions,
    cache: Option<&mut incremental::Cache>,
) -> Result<Built> {
    if let Some(cache) = cache {
        return incremental::build(options, cache).map(Built::from);
    }
    let (site, assets) = load(options)?;
    let templates = templates::Templates::load(&options.root, &site.config.theme)?;
    let bibtex = bibtex_entries(&site);
    let mut files = render::render_site(&site, &templates, &bibtex).map_err(Error::Content)?;
    let pages = files.len();
    let page_paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    files.extend(site_files(&site, &bibtex, &page_paths));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let copies = copied_files(&options.root, &site, assets)?;
    Ok(Built {
        files,
        copies,
        pages,
        warnings: site.diagnostics,
    })
}

/// The BibTeX entry of every source, by key.
pub(crate) fn bibtex_entries(site: &Site) -> BTreeMap<String, String> {
    let sources: Vec<&note::Note> = site
        .bibliography_order
        .iter()
        .map(|k| &site.notes[site.by_key[k.as_str()]])
        .collect();
    export::bibtex_entries(&sources)
}

/// The generated files beside the pages: the feed, sitemap and friends, and the two exports.
pub(crate) fn site_files(
    site: &Site,
    bibtex: &BTreeMap<String, String>,
    page_paths: &[String],
) -> Vec<OutputFile> {
    let mut files = publish::extra_files(site, page_paths);
    files.extend(export_files(site, bibtex));
    files
}

/// The bibliography exports, `references.bib` and `references.json`.
fn export_files(site: &Site, bibtex: &BTreeMap<String, String>) -> Vec<OutputFile> {
    let sources = site
        .bibliography_order
        .iter()
        .map(|k| &site.notes[site.by_key[k.as_str()]]);
    vec![
        OutputFile {
            path: "references.bib".into(),
            bytes: export::bibtex_file(bibtex, &site.bibliography_order).into_bytes(),
        },
        OutputFile {
            path: "references.json".into(),
            bytes: export::csl_json(sources).into_bytes(),
        },
    ]
}

/// The theme's and the site's static files, and content assets, to copy as they are.
pub(crate) fn copied_files(
    root: &Path,
    site: &Site,
    assets: Vec<source::Asset>,
) -> Result<Vec<CopiedFile>> {
    let mut copies = output::static_files(root, &site.config.theme)?;
    copies.extend(assets.into_iter().map(|a| CopiedFile {
        rel: a.rel,
        abs: a.abs,
    }));
    Ok(copies)
}

/// What `gloss build` did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Options of `gloss build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    pub out: PathBuf,
}

/// Builds the site into `out`, replacing the previous output only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    output::check_output_dir(&options.load.root, &options.out)?;
    let (site, assets) = load(&options.load)?;
    let templates = templates::Templates::load(&options.load.root, &site.config.theme)?;
    let bibtex = bibtex_entries(&site);
    let copies = copied_files(&options.load.root, &site, assets)?;
    let written = AtomicU64::new(0);
    let mut counts = (0, 0);
    // Pages are written as they are rendered, so the site is never held in memory whole.
    let bytes = output::replace_dir(&options.out, |dir| {
        let copied = output::fill(dir, &[], &copies)?;
        let emit = |file: &OutputFile| {
            written.fetch_add(output::write_file(dir, file)?, Ordering::Relaxed);
            Ok(())
        };
        // The exports do not depend on the pages: they are made while pages render. The pages'
        // folders are made by a thread of their own that keeps ahead of the rendering.
        let planned = render::page_paths(&site, &templates, &bibtex);
        let (page_paths, exports) = std::thread::scope(|scope| {
            scope.spawn(|| output::make_parent_dirs(dir, &planned));
            rayon::join(
                || render::render_site_streaming(&site, &templates, &bibtex, &emit),
                || export_files(&site, &bibtex),
            )
        });
        let page_paths = page_paths?;
        let extras = publish::extra_files(&site, &page_paths);
        for file in extras.iter().chain(&exports) {
            emit(file)?;
        }
        counts = (
            page_paths.len(),
            page_paths.len() + extras.len() + exports.len() + copies.len(),
        );
        Ok(copied + written.load(Ordering::Relaxed))
    })?;
    Ok(BuildReport {
        pages: counts.0,
        files: counts.1,
        bytes,
        warnings: site.diagnostics,
        elapsed: start.elapsed(),
    })
}

/// The default output folder of a site root.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
