//! The title element of an APA reference (§9.13–9.22): the title in italics or roman, and the
//! descriptions after it, as apa.csl groups them: ONE parenthesis (secondary contributors;
//! numbers; version, edition, series, volume, pages: `(J. Keller, Trans.; Reissue edition,
//! Vol. 3)`), then the bracketed kind of work (`[Doctoral dissertation, University of
//! Melbourne]`, `[Data set]`).

use super::names;
use super::text::{self, Out};
use super::typography::title_case;
use crate::bib::model::{EntryType, Name, SourceMeta};
use crate::bib::reference::SourceInput;

/// Whether a type's title is in italics (a work that stands alone) or roman (part of a whole:
/// an article, a chapter, a paper in proceedings).
pub(super) fn standalone(t: EntryType) -> bool {
    !matches!(
        t,
        EntryType::Article
            | EntryType::Magazine
            | EntryType::Newspaper
            | EntryType::Chapter
            | EntryType::Conference
    )
}

/// The title, with the descriptions that follow it, closed with a period. `editors_lead`: the
/// editors are the entry's author element, so they are not repeated here; `bracket`: the kind
/// of work follows (it does not when the title leads the entry: it then follows the date).
pub(super) fn title_element(
    out: &mut Out,
    source: &SourceInput<'_>,
    editors_lead: bool,
    bracket: bool,
) {
    let meta = source.meta;
    let t = meta.entry_type;
    // A part of a whole is in roman, unless its whole is unknown: then it stands alone.
    let italic = standalone(t) || meta.container.is_none();
    match volume_title(meta) {
        // A volume that is not a number is part of the title (`Histoire: III`).
        Some(v) if italic => out.title(&format!("{}: {v}", source.title), true),
        _ => out.title(source.title, italic),
    }
    let parens = identifier(meta, editors_lead);
    if !parens.is_empty() {
        out.field(&format!(" ({})", parens.join("; ")));
    }
    if let Some(b) = description(meta).filter(|_| bracket) {
        out.field(&format!(" [{b}]"));
    }
    out.stop();
}

/// The kind of work in brackets on its own, after the date of an entry its title leads:
/// `[Data set].`
pub(super) fn description_element(out: &mut Out, meta: &SourceMeta) {
    if let Some(b) = description(meta) {
        out.field(&format!(" [{b}]"));
        out.stop();
    }
}

/// A volume that is not a number (`III`, `Band 3`), which APA adds to the book's title.
pub(super) fn volume_title(meta: &SourceMeta) -> Option<&str> {
    meta.volume
        .as_deref()
        .filter(|v| !text::is_numeric(v) && !meta.entry_type.is_periodical())
}

/// `E. Moss, Ed.`, `A. B & C. D, Eds.`, `J. Keller, Trans.`
fn contributors(names: &[Name], one: &str, many: &str) -> Option<String> {
    (!names.is_empty()).then(|| {
        let role = if names.len() == 1 { one } else { many };
        format!("{}, {role}", names::direct_list(names))
    })
}

/// The parenthesis after the title, its parts to be joined with `; `: secondary contributors
/// (editors of an authored work, translators), numbers, and the monographic details.
fn identifier(meta: &SourceMeta, editors_lead: bool) -> Vec<String> {
    let t = meta.entry_type;
    let mut parts = Vec::new();
    // A chapter's editors and details belong to its book, printed with the book.
    let in_book = t == EntryType::Chapter && meta.container.is_some();
    let periodical = t.is_periodical() || t == EntryType::Conference;
    if !in_book && !periodical && !editors_lead {
        parts.extend(contributors(&meta.editors, "Ed.", "Eds."));
    }
    parts.extend(contributors(&meta.translators, "Trans.", "Trans."));
    if in_book || periodical {
        return parts;
    }
    parts.extend(number(meta));
    let mut details = Vec::new();
    if let Some(v) = &meta.version {
        details.push(format!("Version {v}"));
    }
    if let Some(e) = &meta.edition {
        details.push(text::edition(e));
    }
    if let (EntryType::Report | EntryType::Other, Some(series)) = (t, &meta.series) {
        details.push(title_case(series));
    }
    if let Some(v) = meta.volume.as_deref().filter(|v| text::is_numeric(v)) {
        details.push(text::volume(v));
    }
    if t == EntryType::Report
        && meta.number.is_none()
        && let Some(i) = &meta.issue
    {
        details.push(format!("Issue {i}"));
    }
    if let Some(p) = &meta.pages {
        details.push(text::labelled_pages(p));
    }
    if !details.is_empty() {
        parts.push(details.join(", "));
    }
    parts
}

/// A report's, thesis's or preprint's number: `Technical Report No. 7`, `Publication No. 123`,
/// `Preprint arXiv:2301.04567`; a number that is not a number has no `No.`
/// (`arXiv:2105.15183`).
fn number(meta: &SourceMeta) -> Option<String> {
    let t = meta.entry_type;
    // A book's, chapter's or paper's number is its number in a series, not printed.
    if matches!(
        t,
        EntryType::Book | EntryType::Chapter | EntryType::Conference
    ) {
        return None;
    }
    let n = match (t, &meta.number, &meta.eprint) {
        (_, Some(n), _) => n.clone(),
        (EntryType::Preprint, None, Some(e)) => match &meta.archive {
            Some(a) => format!("{a}:{e}"),
            None => e.clone(),
        },
        _ => return None,
    };
    let labelled = if text::is_numeric(&n) {
        format!("No. {n}")
    } else {
        n
    };
    Some(match (t, &meta.genre) {
        (EntryType::Thesis, Some(_)) => format!("Publication {labelled}"),
        (EntryType::Thesis, None) => labelled,
        (_, Some(g)) => format!("{} {labelled}", title_case(g)),
        (_, None) => labelled,
    })
}

/// The kind of work in brackets: a thesis's genre with its university when the thesis is
/// published (in an archive, or online), or the university alone when it has no genre; a
/// dataset's or software's generic term; else the genre, when no number carries it.
fn description(meta: &SourceMeta) -> Option<String> {
    match meta.entry_type {
        EntryType::Thesis => {
            let published = meta.archive.is_some() || meta.doi.is_some() || meta.url.is_some();
            let university = meta.publisher.clone().filter(|_| published);
            match (meta.genre.clone(), university) {
                (Some(g), Some(u)) => Some(format!("{g}, {u}")),
                (g, u) => g.or(u),
            }
        }
        EntryType::Dataset => Some(meta.genre.clone().unwrap_or_else(|| "Data set".into())),
        EntryType::Software => Some(
            meta.genre
                .clone()
                .unwrap_or_else(|| "Computer software".into()),
        ),
        EntryType::Chapter | EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            None
        }
        EntryType::Conference if meta.container.is_some() => None,
        _ if meta.number.is_some() || meta.eprint.is_some() => None,
        _ => meta.genre.clone(),
    }
}
