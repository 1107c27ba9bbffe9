//! The source element of an APA reference (§9.23–9.37): the periodical with its volume, issue
//! and pages, the edited book a chapter is in, the publisher, the site, the repository.

use super::names;
use super::text::{self, Out};
use super::title::volume_title;
use super::typography::title_case;
use crate::bib::model::{EntryType, SourceMeta};
use crate::cite::expanded_pages;

/// The source element of a type, `same_as_author` saying which publisher or site name repeats
/// the author's and is left out (§9.29, §10.16).
pub(super) fn element(meta: &SourceMeta, same_as_author: &dyn Fn(&str) -> bool) -> Out {
    let t = meta.entry_type;
    let mut out = Out::default();
    match t {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            periodical(&mut out, meta);
        }
        EntryType::Conference if meta.container.is_some() => {
            periodical(&mut out, meta);
        }
        EntryType::Chapter => chapter(&mut out, meta, &same_as_author),
        EntryType::Conference => {
            // A paper presented, not published in proceedings (§10.5): its pages if it has
            // them, and the conference.
            periodical(&mut out, meta);
            if let Some(event) = &meta.event {
                if !out.is_empty() {
                    out.push(" ");
                }
                out.field(event);
                if let Some(place) = &meta.publisher_place {
                    out.field(&format!(", {place}"));
                }
                out.stop();
            }
        }
        EntryType::Web => {
            if let Some(site) = meta.container.as_deref().filter(|s| !same_as_author(s)) {
                out.field(site);
                out.stop();
            }
        }
        EntryType::Thesis => {
            // A published thesis names its university in the bracket, and its archive here.
            let published = meta.archive.is_some() || meta.doi.is_some() || meta.url.is_some();
            let source = if published {
                meta.archive.as_deref()
            } else {
                meta.publisher.as_deref()
            };
            if let Some(s) = source {
                out.field(s);
                out.stop();
            }
        }
        EntryType::Preprint => {
            let repository = meta
                .publisher
                .as_ref()
                .or(meta.archive.as_ref())
                .or(meta.container.as_ref());
            if let Some(r) = repository {
                out.field(r);
                out.stop();
            }
        }
        _ => {
            // A report's series may be given as its container: it then takes the publisher's
            // place when there is no publisher.
            let publisher = meta.publisher.as_deref().or(match t {
                EntryType::Report if meta.series.is_none() => meta.container.as_deref(),
                _ => None,
            });
            if let Some(p) = publisher.filter(|p| !same_as_author(p)) {
                out.field(p);
                out.stop();
            }
            // An unpublished document's archive (a manuscript's library); the databases an
            // article or book was found in are not given (§9.30).
            if let (EntryType::Other, Some(archive)) = (t, &meta.archive) {
                if !out.is_empty() {
                    out.push(" ");
                }
                out.field(archive);
                out.stop();
            }
        }
    }
    out
}

/// `*Journal*, *12*(4), 301–318.` or `Article e0248123.`; `*Journal*.` for a work in press; the
/// volume and pages alone when the periodical is unknown (`*4*, 229.`).
fn periodical(out: &mut Out, meta: &SourceMeta) {
    let start = out.text.len();
    let sep = |out: &mut Out| {
        if out.text.len() > start {
            out.push(", ");
        }
    };
    if let Some(container) = &meta.container {
        // CSL title-cases English titles only: `Zeitschrift für …` keeps its `für`.
        let name = if english(meta) {
            title_case(container)
        } else {
            container.clone()
        };
        out.title(&name, true);
    }
    if let Some(v) = &meta.volume {
        sep(out);
        out.italic(v);
    }
    if let Some(i) = &meta.issue {
        if meta.volume.is_none() {
            sep(out);
        }
        out.push(&format!("({i})"));
    }
    if let Some(p) = &meta.pages {
        sep(out);
        out.push(&expanded_pages(p));
    } else if let Some(n) = &meta.number {
        sep(out);
        out.push(&format!("Article {n}"));
    }
    if out.text.len() > start {
        out.stop();
    }
}

/// Whether a work is in English as CSL decides when to title-case: no language given, or one
/// whose primary tag is `en` (pandoc reads `eng` or `English` as other languages).
pub(super) fn english(meta: &SourceMeta) -> bool {
    meta.language.as_deref().is_none_or(|l| {
        let primary = l.trim().split(['-', '_']).next().unwrap_or("");
        primary.eq_ignore_ascii_case("en")
    })
}

/// `In A. Okonkwo & F. Hartmann (Eds.), *Book* (2nd ed., pp. 45–67). Publisher.`; with no book
/// title, only the publisher (the editors and pages went with the title).
fn chapter(out: &mut Out, meta: &SourceMeta, same_as_author: &dyn Fn(&str) -> bool) {
    if let Some(book) = &meta.container {
        out.push("In ");
        if !meta.editors.is_empty() {
            out.push(&names::direct_list(&meta.editors));
            out.push(if meta.editors.len() == 1 {
                " (Ed.)"
            } else {
                " (Eds.)"
            });
            out.push(", ");
        }
        match volume_title(meta) {
            Some(v) => out.title(&format!("{book}: {v}"), true),
            None => out.title(book, true),
        }
        let mut parts = Vec::new();
        if let Some(e) = &meta.edition {
            parts.push(text::edition(e));
        }
        if let Some(v) = meta.volume.as_deref().filter(|v| text::is_numeric(v)) {
            parts.push(text::volume(v));
        }
        if let Some(p) = &meta.pages {
            parts.push(text::labelled_pages(p));
        }
        if !parts.is_empty() {
            out.push(&format!(" ({})", parts.join(", ")));
        }
        out.stop();
    }
    if let Some(p) = meta.publisher.as_deref().filter(|p| !same_as_author(p)) {
        if !out.is_empty() {
            out.push(" ");
        }
        out.field(p);
        out.stop();
    }
}
