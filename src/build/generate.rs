//! Stages 2 and 3 of the pipeline: templates, pages, the exports beside them, the files that list
//! the pages, and the static files to copy, each handed to a [`Sink`] as it is made.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Clock, Made, Stages};
use crate::bib::{self, CitationStyle, SourceInput};
use crate::error::{Diagnostic, Error, Result};
use crate::extras;
use crate::graph::Site;
use crate::layout::SiteLayout;
use crate::output::{self, CopiedFile, OutputFile, Sink};
use crate::overview::matrix::Matrix;
use crate::render;
use crate::source::Asset;
use crate::templates::Templates;

/// What [`generate`] made.
#[derive(Default)]
pub(super) struct Summary {
    pub(super) pages: usize,
    pub(super) files: usize,
    pub(super) copies: Vec<CopiedFile>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// Templates, pages, exports, the files listing the pages, and the copies, into `sink`.
pub(super) fn generate(
    layout: &SiteLayout,
    site: &Site,
    assets: Vec<Asset>,
    stages: &mut impl Stages,
    sink: &dyn Sink,
    clock: &mut Clock,
) -> Result<Summary> {
    let templates = Templates::load(layout, &site.config.theme)?;
    let reuse = stages.plan(site);
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
    let pages_memo = stages.pages();
    let (pages, exports) = std::thread::scope(|scope| {
        scope.spawn(|| sink.prepare(&planned));
        rayon::join(
            || render::render_pages(site, &templates, &bibtex, pages_memo, &emit),
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
    let summary = Summary {
        pages: pages.len(),
        files: pages.len() + exports.len() + extras.len() + copies.len() + built_in_files + 1,
        copies,
        warnings: site.diagnostics.clone(),
    };
    stages.store(
        site,
        Made {
            bibtex,
            exports,
            extras,
            matrix,
        },
    );
    Ok(summary)
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
