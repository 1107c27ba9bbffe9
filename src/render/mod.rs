//! Turns the resolved [`Site`] into pages: serializable views ([`views`]) handed to tera
//! templates, one job per page ([`jobs`]), rendered on every core.
//!
//! Pure apart from the templates it is given. A [`PageCache`] may stand between a page's view and
//! its rendering (`gloss serve` reuses unchanged pages through one); render defines the trait and
//! knows nothing of who implements it.

mod bibliography;
mod entries;
mod figures;
mod folders;
mod jobs;
mod listings;
mod note_page;
mod passages;
mod previews;
pub(crate) mod reads;
mod views;

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};
use crate::graph::Site;
use crate::output::{Bytes, OutputFile};
use crate::templates::Templates;

pub(crate) use jobs::{PageScope, generated_pages};
use jobs::{jobs, target};
pub(crate) use passages::write_passages;
pub(crate) use previews::preview_text;
pub(crate) use views::PageInput;
use views::Views;

/// Renders a page's input through the named template.
/// Every view of a note that other pages show (the feed's entries are declared in
/// [`crate::extras`], which builds them).
pub(crate) const VIEWS: &[reads::View] = &[
    reads::view::<views::NoteLink>(),
    reads::view::<entries::TagView>(),
    reads::view::<views::BacklinkView>(),
    reads::view::<views::ReferenceView>(),
    reads::view::<entries::BibEntryView>(),
    reads::view::<previews::Preview>(),
    reads::view::<previews::ThemeName>(),
    reads::view::<passages::Mention>(),
    reads::view::<crate::overview::graph::NodeView>(),
    reads::view::<crate::overview::sparkline::Sparkline>(),
    reads::view::<note_page::Member>(),
    reads::view::<figures::Figures>(),
    reads::view::<folders::FolderItem>(),
    reads::view::<reads::Embedded>(),
    reads::view::<reads::Exported>(),
];

pub(crate) type RenderPage<'a> =
    &'a dyn Fn(&str, &PageInput) -> std::result::Result<Vec<u8>, Diagnostic>;

/// Something that may reuse pages and note bodies between builds. The default methods render
/// everything: [`NoCache`] is a clean build.
pub(crate) trait PageCache: Sync {
    /// Starts a build rendered with these templates and site-wide template values.
    fn begin(&mut self, _templates: &[(String, String)], _globals: &tera::Context) {}

    /// The HTML of note `i`'s body.
    fn body(&self, site: &Site, i: usize) -> String {
        site.render_body(i)
    }

    /// The bytes of the page at `path`, rendered by `render` from the input `view` builds.
    fn page(
        &self,
        _path: &str,
        _scope: PageScope,
        template: &str,
        view: &dyn Fn() -> PageInput,
        render: RenderPage<'_>,
    ) -> std::result::Result<Bytes, Diagnostic> {
        render(template, &view()).map(Bytes::from)
    }

    /// Ends a build whose pages all went through [`PageCache::page`].
    fn finish(&mut self) {}
}

/// Renders every page afresh.
pub(crate) struct NoCache;

impl PageCache for NoCache {}

/// The path of every page [`render_pages`] renders, in the order it renders them.
pub(crate) fn page_paths(site: &Site) -> Vec<String> {
    jobs(site).iter().map(|job| target(site, job).1).collect()
}

/// Renders every page through `cache` and hands each to `emit` as soon as it exists, so that a
/// build never holds the whole site in memory. Returns the pages' paths; every render problem is
/// reported, and an error from `emit` stops the build.
pub(crate) fn render_pages<C: PageCache>(
    site: &Site,
    templates: &Templates,
    bibtex: &std::collections::BTreeMap<String, String>,
    cache: &mut C,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<Vec<String>> {
    let views = Views::new(site, bibtex);
    let globals = views.globals();
    cache.begin(templates.sources(), &globals);
    let results: Vec<Result<String>> = {
        let cache = &*cache;
        let bodies = |i: usize| cache.body(site, i);
        let render = |template: &str, input: &PageInput| {
            let mut context = globals.clone();
            context.insert("page", &input.page);
            if let Some((name, value)) = &input.extra {
                context.insert(*name, value);
            }
            templates.render(template, &context).map(String::into_bytes)
        };
        jobs(site)
            .par_iter()
            .map(|job| {
                let (template, path) = target(site, job);
                let view = || views.view(job, &bodies);
                let bytes = cache
                    .page(&path, job.scope(site), template, &view, &render)
                    .map_err(|d| Error::Content(vec![d]))?;
                emit(OutputFile {
                    path: path.clone(),
                    bytes,
                })?;
                Ok(path)
            })
            .collect()
    };
    cache.finish();
    let mut paths = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(path) => paths.push(path),
            Err(Error::Content(mut d)) => diagnostics.append(&mut d),
            Err(other) => return Err(other),
        }
    }
    if diagnostics.is_empty() {
        Ok(paths)
    } else {
        diagnostics.sort();
        diagnostics.dedup();
        Err(Error::Content(diagnostics))
    }
}

/// The site-wide values every template sees as `site`.
pub(crate) fn globals(site: &Site) -> tera::Context {
    let no_entries = std::collections::BTreeMap::new();
    Views::new(site, &no_entries).globals()
}

/// Every page's path, its scope and its template input as JSON, built from scratch: what the
/// plan's tests compare between two sites.
#[cfg(test)]
pub(crate) fn page_inputs(site: &Site) -> Vec<(String, PageScope, String)> {
    let no_entries = std::collections::BTreeMap::new();
    let views = Views::new(site, &no_entries);
    let bodies = |i: usize| site.render_body(i);
    jobs(site)
        .iter()
        .map(|job| {
            let input = views.view(job, &bodies);
            let json = serde_json::to_string(&input).expect("a page input serialises");
            (target(site, job).1, job.scope(site), json)
        })
        .collect()
}
