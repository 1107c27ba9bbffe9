//! The files a static host needs beside the pages: `.nojekyll`, `CNAME`, `sitemap.xml`,
//! `robots.txt`, the Atom feed, and the syntax-highlighting stylesheet. Every URL in them is
//! absolute, from `base_url`, so they hold under a project path (`/review/`) as at a domain root.

use std::collections::BTreeMap;

use syntect::highlighting::ThemeSet;
use syntect::html::css_for_theme_with_class_style;

use crate::graph::Site;
use crate::markdown::{HIGHLIGHT_CLASS_STYLE, escape_html};
use crate::note::NoteKind;
use crate::render::OutputFile;

/// Every non-page file of the site.
pub fn extra_files(site: &Site, page_paths: &[String]) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
        },
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(site, page_paths).into_bytes(),
        },
        OutputFile {
            path: "robots.txt".into(),
            bytes: format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
                site.config.base_url
            )
            .into_bytes(),
        },
        OutputFile {
            path: "atom.xml".into(),
            bytes: atom(site).into_bytes(),
        },
        OutputFile {
            path: "syntax.css".into(),
            bytes: syntax_css().into_bytes(),
        },
    ];
    if let Some(cname) = &site.config.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    files
}

/// The `updated` (else `date`) of each dated note, by its URL path (`themes/trust/`).
fn note_dates(site: &Site) -> BTreeMap<String, &str> {
    site.notes
        .iter()
        .filter_map(|n| Some((n.url_path(), n.updated.as_deref().or(n.date.as_deref())?)))
        .collect()
}

/// Every page but `404.html`, as an absolute URL from `base_url`, with `<lastmod>` for dated notes.
fn sitemap(site: &Site, page_paths: &[String]) -> String {
    let dates = note_dates(site);
    let mut paths: Vec<&str> = page_paths
        .iter()
        .filter_map(|p| p.strip_suffix("index.html"))
        .collect();
    paths.sort();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let lastmod = dates
            .get(p)
            .map(|d| format!("<lastmod>{d}</lastmod>"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  <url><loc>{}{}</loc>{lastmod}</url>\n",
            escape_html(&site.config.base_url),
            escape_html(p)
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// An Atom feed (RFC 4287) of the notes with a `date` or `updated` field, newest first; notes
/// without either are left out. The feed's own `updated` is its newest entry's (the epoch when
/// there is none), so the same notes always give the same feed.
fn atom(site: &Site) -> String {
    let mut dated: Vec<(&str, usize)> = site
        .notes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((n.updated.as_deref().or(n.date.as_deref())?, i)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    let newest = dated.first().map_or("1970-01-01", |d| d.0);
    let base = escape_html(&site.config.base_url);
    let title = escape_html(&site.config.title);
    let subtitle = if site.config.description.is_empty() {
        String::new()
    } else {
        format!(
            "  <subtitle>{}</subtitle>\n",
            escape_html(&site.config.description)
        )
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{title}</title>\n{subtitle}  <link href=\"{base}atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{base}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{base}</id>\n  <updated>{newest}T00:00:00Z</updated>\n  <author><name>{title}</name></author>\n  <generator>gloss</generator>\n",
        escape_html(&site.config.language),
    );
    for (updated, i) in dated {
        let note = &site.notes[i];
        let url = escape_html(&format!("{}{}", site.config.base_url, note.url_path()));
        let kind = match note.kind {
            NoteKind::Source => "Source",
            NoteKind::Theme => "Theme",
            NoteKind::Page => "Page",
        };
        let published = match (&note.date, &note.updated) {
            (Some(date), Some(_)) => format!("    <published>{date}T00:00:00Z</published>\n"),
            _ => String::new(),
        };
        let summary = note
            .summary
            .as_ref()
            .map(|s| format!("    <summary>{}</summary>\n", escape_html(s)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{url}</id>\n{published}    <updated>{updated}T00:00:00Z</updated>\n    <category term=\"{kind}\"/>\n{summary}  </entry>\n",
            escape_html(&note.title),
        ));
    }
    out.push_str("</feed>\n");
    out
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
