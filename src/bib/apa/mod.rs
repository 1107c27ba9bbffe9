//! APA 7 reference-list entries and the author and year parts of citations, for every type of
//! source, as the Publication Manual (7th ed.) writes them. Held entry by entry to pandoc's
//! citeproc with the official `apa.csl` (tests/fixtures/csl), except where the Manual and the
//! processors disagree (the README's table). Each source is formatted on its own; namesakes,
//! colliding `et al.` forms and letters are settled afterwards across sources (`disambiguate`).

mod names;
mod sort;
mod source;
mod text;
mod title;
mod typography;

use super::model::{EntryType, Name, SourceMeta, Year};
use super::reference::{Reference, SourceInput};
use crate::cite::{AuthorStyle, InText};
use text::Out;
use title::title_element;

pub(crate) use names::initials;
pub(crate) use sort::{apa_order, base_letter, collation_key, filing_letter, sort_key};
pub(crate) use text::smart_quotes;
pub(crate) use typography::title_case;

/// Formats one source.
pub(crate) fn format(source: &SourceInput<'_>) -> Reference {
    let meta = source.meta;
    let mut out = Out::default();
    let lead = Lead::of(meta);
    // Author element, then date element.
    match &lead {
        Lead::Authors(names) => {
            out.push(&names::author_list(names));
            out.stop();
        }
        Lead::Editors(names) => {
            out.push(&names::author_list(names));
            out.push(if names.len() == 1 {
                " (Ed.)"
            } else {
                " (Eds.)"
            });
            out.stop();
        }
        Lead::Title => {
            title_element(&mut out, source, false, false);
        }
    }
    out.push(" (");
    out.push(&meta.year.to_string());
    let year_end = (out.html.len(), out.text.len());
    out.push(&date(meta)[meta.year.to_string().len()..]);
    out.push(").");
    if matches!(lead, Lead::Title) {
        title::description_element(&mut out, meta);
    }
    // Title element (unless it moved to the author's place), then the source element.
    if !matches!(lead, Lead::Title) {
        out.push(" ");
        title_element(&mut out, source, matches!(lead, Lead::Editors(_)), true);
    }
    let author_names: Vec<String> = match &lead {
        Lead::Authors(n) | Lead::Editors(n) => n.iter().map(|n| n.full_family()).collect(),
        Lead::Title => Vec::new(),
    };
    let same_as_author = |text: &str| author_names.len() == 1 && author_names[0] == text;
    let source_part = source::element(meta, &same_as_author);
    if !source_part.is_empty() {
        out.push(" ");
        out.append(&source_part);
    }
    // DOI or URL, with the retrieval date of a page that changes (§9.16): apa.csl's reading of
    // it, a work with no date of its own (n.d.), whatever its type; a dated article, book or
    // page is not expected to change.
    if let Some(doi) = &meta.doi {
        out.push(" ");
        out.link(&format!("https://doi.org/{doi}"));
    } else if let Some(url) = &meta.url {
        out.push(" ");
        if let (Some(accessed), Year::Unknown) = (&meta.accessed, meta.year) {
            out.push(&format!("Retrieved {}, from ", text::long_date(accessed)));
        }
        out.link(url);
    }
    if let Some(original) = meta.original_year {
        out.push(&format!(" (Original work published {original})"));
    }
    Reference {
        in_text: in_text(source, &lead),
        html: out.html,
        text: out.text,
        sort_key: sort_key(source),
        year_end,
        styled: None,
    }
}

/// Who or what leads an entry.
enum Lead<'a> {
    Authors(&'a [Name]),
    /// An edited book with no author: its editors, with `(Ed.)` or `(Eds.)`.
    Editors(&'a [Name]),
    /// No author or editor: the title moves to the author's place (§9.12).
    Title,
}

impl<'a> Lead<'a> {
    fn of(meta: &'a SourceMeta) -> Lead<'a> {
        if !meta.authors.is_empty() {
            Lead::Authors(&meta.authors)
        } else if !meta.editors.is_empty() && meta.entry_type != EntryType::Chapter {
            Lead::Editors(&meta.editors)
        } else {
            Lead::Title
        }
    }
}

/// `2019`, `2020, March 5` (newspapers, magazines, web pages, documents, a paper presented but
/// not published), `n.d.`, `in press`.
fn date(meta: &SourceMeta) -> String {
    let year = meta.year.to_string();
    let full_date = full_date(meta);
    match (&meta.issued, full_date, meta.year) {
        (Some(date), true, Year::Known(_)) => format!("{year}{}", text::month_day(date)),
        _ => year,
    }
}

/// Whether the entry's date is given in full (apa.csl's `date` macro): works that are dated to
/// the day, and a conference paper that is not in proceedings (no editors, pages or volume).
pub(crate) fn full_date(meta: &SourceMeta) -> bool {
    match meta.entry_type {
        EntryType::Magazine | EntryType::Newspaper | EntryType::Web | EntryType::Other => true,
        EntryType::Conference => {
            meta.editors.is_empty()
                && meta.pages.is_none()
                && meta.volume.is_none()
                && meta.issue.is_none()
        }
        _ => false,
    }
}

/// The author and year parts of the source's citations, before disambiguation.
fn in_text(source: &SourceInput<'_>, lead: &Lead<'_>) -> InText {
    let meta = source.meta;
    let (author, narrative, style) = match lead {
        Lead::Authors(n) | Lead::Editors(n) => {
            (names::in_text(n), names::narrative(n), AuthorStyle::Plain)
        }
        Lead::Title => {
            // §8.14: the title in title case (an English one), in italics for a work that
            // stands alone, in quotation marks for a part of a whole (apa.csl's `title-short`:
            // a web page is always in italics, a report in neither).
            let style = match meta.entry_type {
                EntryType::Web => AuthorStyle::Italic,
                EntryType::Report => AuthorStyle::Plain,
                _ if meta.container.is_some() => AuthorStyle::Quoted,
                _ => AuthorStyle::Italic,
            };
            let depth = usize::from(style == AuthorStyle::Quoted);
            let quoted = typography::punctuation_in_quotes(&typography::smart_quotes_at(
                source.title,
                depth,
            ));
            let title = if source::english(meta) {
                title_case(&quoted)
            } else {
                quoted
            };
            (title.clone(), title, style)
        }
    };
    InText {
        author,
        narrative_author: narrative,
        // A republished work: `1936/1952` (§8.15).
        year: match meta.original_year {
            Some(original) => format!("{original}/{}", meta.year),
            None => meta.year.to_string(),
        },
        style,
        abbreviation: meta.abbreviation.clone(),
    }
}
