//! The source element of an APA reference (§9.23–9.37): the periodical with its volume, issue
//! and pages, the edited book a chapter is in, the publisher, the site, the repository.

use super::names;
use super::text::{self, Out, title_case};
use crate::bib::model::{EntryType, SourceMeta};
use crate::cite::page_range;

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
            // A paper presented, not published in proceedings (§10.5).
            if let Some(event) = &meta.event {
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
        EntryType::Thesis if meta.archive.is_some() => {
            if let Some(archive) = &meta.archive {
                out.field(archive);
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
        }
    }
    out
}

/// `*Journal*, *12*(4), 301–318.` or `Article e0248123.`; `*Journal*.` for a work in press.
fn periodical(out: &mut Out, meta: &SourceMeta) {
    let Some(container) = &meta.container else {
        return;
    };
    // CSL title-cases English titles only: `Zeitschrift für …` keeps its `für`.
    let english = meta
        .language
        .as_deref()
        .is_none_or(|l| l.to_ascii_lowercase().starts_with("en"));
    let name = if meta.entry_type == EntryType::Conference || !english {
        container.clone()
    } else {
        title_case(container)
    };
    out.title(&name, true);
    if let Some(v) = &meta.volume {
        out.push(", ");
        out.italic(v);
    }
    if let Some(i) = &meta.issue {
        if meta.volume.is_some() {
            out.push(&format!("({i})"));
        } else {
            out.push(&format!(", ({i})"));
        }
    }
    if let Some(p) = &meta.pages {
        out.push(&format!(", {}", page_range(p)));
    } else if let Some(n) = &meta.number {
        out.push(&format!(", Article {n}"));
    }
    out.stop();
}

/// `In A. Okonkwo & F. Hartmann (Eds.), *Book* (2nd ed., pp. 45–67). Publisher.`
fn chapter(out: &mut Out, meta: &SourceMeta, same_as_author: &dyn Fn(&str) -> bool) {
    out.push("In ");
    if !meta.editors.is_empty() {
        out.push(&names::direct_list(&meta.editors));
        out.push(if meta.editors.len() == 1 {
            " (Ed.)"
        } else {
            " (Eds.)"
        });
        if meta.container.is_some() {
            out.push(", ");
        }
    }
    if let Some(book) = &meta.container {
        out.title(book, true);
    }
    let mut parts = Vec::new();
    if let Some(e) = &meta.edition {
        parts.push(text::edition(e));
    }
    if let Some(v) = &meta.volume {
        parts.push(format!("Vol. {v}"));
    }
    if let Some(p) = &meta.pages {
        parts.push(text::labelled_pages(p));
    }
    if !meta.translators.is_empty() {
        parts.push(format!("{}, Trans.", names::direct_list(&meta.translators)));
    }
    if !parts.is_empty() {
        out.push(&format!(" ({})", parts.join(", ")));
    }
    out.stop();
    if let Some(p) = meta.publisher.as_deref().filter(|p| !same_as_author(p)) {
        out.push(" ");
        out.field(p);
        out.stop();
    }
}
