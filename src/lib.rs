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

use std::path::{Path, PathBuf};
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
    mut cache: Option<&mut incremental::Cache>,
) -> Result<(Site, Vec<source::Asset>)> {
    let config = Config::load(&options.root, options.base_url.as_deref())?;
    let content = source::read_content(&options.root)?;
    let mut diagnostics = content.diagnostics;
    let parsed: Vec<(Option<note::Note>, Vec<Diagnostic>)> = match cache.as_deref_mut() {
        Some(cache) => cache.parse_notes(&content.files),
        None => content
            .files
            .par_iter()
            .map(|f| note::parse(f.kind, &f.key, &f.path, &f.text))
            .collect(),
    };
    let mut notes = Vec::with_capacity(parsed.len());
    for (n, d) in parsed {
        notes.extend(n);
        diagnostics.extend(d);
    }
    let mut site = match cache {
        Some(cache) => Site::resolve_with(config, notes, &mut |inputs| cache.references(inputs)),
        None => Site::resolve(config, notes),
    };
    diagnostics.append(&mut site.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    site.diagnostics = diagnostics;
    Ok((site, content.assets))
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

/// Like [`build_in_memory`], reusing and refreshing `cache` when given (`gloss serve`); the
/// files are byte-identical either way.
pub fn build_in_memory_with(
    options: &LoadOptions,
    mut cache: Option<&mut incremental::Cache>,
) -> Result<Built> {
    let (site, assets) = load_with(options, cache.as_deref_mut())?;
    let templates = templates::Templates::load(&options.root, &site.config.theme)?;
    let bib_order = &site.bibliography_order;
    let sources: Vec<&note::Note> = bib_order
        .iter()
        .map(|k| &site.notes[site.by_key[k.as_str()]])
        .collect();
    let bibtex = export::bibtex_entries(sources.iter().copied());
    let memo = cache.map(|c| &mut c.render);
    let mut files =
        render::render_site_with(&site, &templates, &bibtex, memo).map_err(Error::Content)?;
    let pages = files.len();
    let page_paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    files.extend(publish::extra_files(&site, &page_paths));
    files.push(OutputFile {
        path: "references.bib".into(),
        bytes: export::bibtex_file(&bibtex, bib_order).into_bytes(),
    });
    files.push(OutputFile {
        path: "references.json".into(),
        bytes: export::csl_json(sources.iter().copied()).into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut copies = output::static_files(&options.root, &site.config.theme)?;
    copies.extend(assets.into_iter().map(|a| CopiedFile {
        rel: a.rel,
        abs: a.abs,
    }));
    Ok(Built {
        files,
        copies,
        pages,
        warnings: site.diagnostics,
    })
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
    let built = build_in_memory(&options.load)?;
    let bytes = output::write_site(&options.out, &built.files, &built.copies)?;
    Ok(BuildReport {
        pages: built.pages,
        files: built.files.len() + built.copies.len(),
        bytes,
        warnings: built.warnings,
        elapsed: start.elapsed(),
    })
}

/// The default output folder of a site root.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
