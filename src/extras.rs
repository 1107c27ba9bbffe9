//! The files a static host needs beside the pages: `.nojekyll`, `CNAME`, and, through the
//! theme's templates (overridable like any other), `sitemap.xml`, `robots.txt` and the Atom feed;
//! plus the syntax-highlighting stylesheet. Every URL in them is absolute, from `base_url`, so
//! they hold under a project path (`/review/`) as at a domain root.

use std::collections::BTreeMap;

use serde::Serialize;
use syntect::highlighting::ThemeSet;
use syntect::html::css_for_theme_with_class_style;

use crate::error::{Error, Result};
use crate::graph::Site;
use crate::markdown::HIGHLIGHT_CLASS_STYLE;
use crate::note::NoteKind;
use crate::output::OutputFile;
use crate::render;
use crate::render::reads::{Marks, View, shows, view};
use crate::templates::Templates;

/// The paths of the files [`files`] makes (`CNAME` only with `cname:`), and of the exports.
pub(crate) const NAMES: [&str; 9] = [
    ".nojekyll",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "syntax.css",
    "CNAME",
    "references.bib",
    "references.json",
    "matrix.csv",
];

/// Every non-page file of the site; `page_paths` are the pages' output paths.
pub(crate) fn files(
    site: &Site,
    templates: &Templates,
    page_paths: &[String],
) -> Result<Vec<OutputFile>> {
    let globals = render::globals(site);
    let render = |template: &str, context: tera::Context| {
        templates
            .render(template, &context)
            .map(String::into_bytes)
            .map_err(|d| Error::Content(vec![d]))
    };
    let mut sitemap_context = globals.clone();
    sitemap_context.insert("urls", &sitemap(site, page_paths));
    let mut feed_context = globals.clone();
    feed_context.insert("feed", &feed(site));
    let mut files = vec![
        OutputFile::new(".nojekyll", Vec::new()),
        OutputFile::new("sitemap.xml", render("sitemap.xml", sitemap_context)?),
        OutputFile::new("robots.txt", render("robots.txt", globals.clone())?),
        OutputFile::new("atom.xml", render("atom.xml", feed_context)?),
        OutputFile::new("syntax.css", syntax_css().into_bytes()),
    ];
    if let Some(cname) = &site.config.cname {
        files.push(OutputFile::new(
            "CNAME",
            format!("{}\n", cname.trim()).into_bytes(),
        ));
    }
    Ok(files)
}

/// The `updated` (else `date`) of each dated note, by its URL path (`themes/trust/`).
fn note_dates(site: &Site) -> BTreeMap<String, &str> {
    site.notes
        .iter()
        .filter_map(|n| Some((n.url_path(), n.updated.as_deref().or(n.date.as_deref())?)))
        .collect()
}

/// One page in `sitemap.xml`.
#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

// The sitemap lists every page: a tag's page comes and goes with the tags of the notes, and the
// graph's and timeline's with the first citation, link or dated event.
shows!(SitemapUrl { loc: Key | Tags | Cites | Links | Events, lastmod: Feed } on |_, _, marks: &mut dyn Marks| marks.feed());

/// What the files made here show of each note (see [`render::reads`]).
pub(crate) const VIEWS: &[View] = &[view::<SitemapUrl>(), view::<FeedEntry>()];

/// Every page but `404.html`, as an absolute URL from `base_url`, with `<lastmod>` for dated notes.
fn sitemap(site: &Site, page_paths: &[String]) -> Vec<SitemapUrl> {
    let dates = note_dates(site);
    let mut paths: Vec<&str> = page_paths
        .iter()
        .filter_map(|p| p.strip_suffix("index.html"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| SitemapUrl {
            loc: format!("{}{p}", site.config.base_url),
            lastmod: dates.get(p).map(|d| d.to_string()),
        })
        .collect()
}

/// The Atom feed's own values.
#[derive(Serialize)]
struct Feed {
    /// The newest entry's date (the epoch when there is none), so the same notes always give
    /// the same feed.
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    /// The `date` of a note that also has an `updated`.
    published: Option<String>,
    updated: String,
    kind: &'static str,
    summary: Option<String>,
}

shows!(FeedEntry {
    title: Title,
    url: Key,
    published: Feed,
    updated: Feed,
    kind: Key,
    summary: Feed,
} on |_, _, marks: &mut dyn Marks| marks.feed());

/// An Atom feed (RFC 4287) of the notes with a `date` or `updated` field, newest first; notes
/// without either are left out.
fn feed(site: &Site) -> Feed {
    let mut dated: Vec<(&str, usize)> = site
        .notes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((n.updated.as_deref().or(n.date.as_deref())?, i)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    Feed {
        updated: dated.first().map_or("1970-01-01", |d| d.0).to_string(),
        entries: dated
            .into_iter()
            .map(|(updated, i)| {
                let note = &site.notes[i];
                FeedEntry {
                    title: note.title.clone(),
                    url: format!("{}{}", site.config.base_url, note.url_path()),
                    published: note.date.clone().filter(|_| note.updated.is_some()),
                    updated: updated.to_string(),
                    kind: match note.kind {
                        NoteKind::Source => "Source",
                        NoteKind::Theme => "Theme",
                        NoteKind::Page => "Page",
                    },
                    summary: note.summary.clone(),
                }
            })
            .collect(),
    }
}

/// Light and dark highlighting colours for the `hl-` classes the Markdown renderer emits.
fn syntax_css() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, HIGHLIGHT_CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* Generated by gloss from syntect's InspiredGitHub and base16-ocean.dark themes. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}
