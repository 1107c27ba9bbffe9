//! APA 7 reference-list entries and the author and year parts of citations, for every type of
//! source, as the Publication Manual (7th ed.) writes them. Held entry by entry to pandoc's
//! citeproc with the official `apa.csl` (tests/fixtures/csl), except where the Manual and the
//! processors disagree (the README's table). Each source is formatted on its own; namesakes,
//! colliding `et al.` forms and letters are settled afterwards across sources (`disambiguate`).

mod names;
mod text;

use super::model::{EntryType, Name, SourceMeta, Year};
use super::reference::{Reference, SourceInput};
use super::sort::sort_key;
use crate::cite::{AuthorStyle, InText};
use text::Out;

pub(crate) use names::initials;
pub(crate) use text::{smart_quotes, title_case};

/// Formats one source.
pub(crate) fn format(source: &SourceInput<'_>) -> Reference {
    let meta = source.meta;
    let mut out = Out::default();
    let lead = Lead::of(meta);
    let t = meta.entry_type;
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
            title_element(&mut out, source);
        }
    }
    out.push(" (");
    out.push(&meta.year.to_string());
    let year_end = (out.html.len(), out.text.len());
    out.push(&date(meta)[meta.year.to_string().len()..]);
    out.push(").");
    // Title element (unless it moved to the author's place), then the source element.
    if !matches!(lead, Lead::Title) {
        out.push(" ");
        title_element(&mut out, source);
    }
    let author_names: Vec<String> = match &lead {
        Lead::Authors(n) | Lead::Editors(n) => n.iter().map(|n| n.full_family()).collect(),
        Lead::Title => Vec::new(),
    };
    let same_as_author = |text: &str| author_names.len() == 1 && author_names[0] == text;
    let mut source_part = Out::default();
    match t {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            periodical(&mut source_part, meta);
        }
        EntryType::Conference if meta.container.is_some() => {
            periodical(&mut source_part, meta);
        }
        EntryType::Chapter => chapter(&mut source_part, meta, &same_as_author),
        EntryType::Conference => {
            // A paper presented, not published in proceedings (§10.5).
            if let Some(event) = &meta.event {
                source_part.field(event);
                if let Some(place) = &meta.publisher_place {
                    source_part.field(&format!(", {place}"));
                }
                source_part.stop();
            }
        }
        EntryType::Web => {
            if let Some(site) = meta.container.as_deref().filter(|s| !same_as_author(s)) {
                source_part.field(site);
                source_part.stop();
            }
        }
        EntryType::Thesis if meta.archive.is_some() => {
            if let Some(archive) = &meta.archive {
                source_part.field(archive);
                source_part.stop();
            }
        }
        EntryType::Preprint => {
            let repository = meta
                .publisher
                .as_ref()
                .or(meta.archive.as_ref())
                .or(meta.container.as_ref());
            if let Some(r) = repository {
                source_part.field(r);
                source_part.stop();
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
                source_part.field(p);
                source_part.stop();
            }
        }
    }
    if !source_part.is_empty() {
        out.push(" ");
        out.append(&source_part);
    }
    // DOI or URL, with the retrieval date of a page that changes.
    if let Some(doi) = &meta.doi {
        out.push(" ");
        out.link(&format!("https://doi.org/{doi}"));
    } else if let Some(url) = &meta.url {
        out.push(" ");
        if let Some(accessed) = &meta.accessed {
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

/// `2019`, `2020, March 5` (newspapers, magazines, web pages), `n.d.`, `in press`.
fn date(meta: &SourceMeta) -> String {
    let year = meta.year.to_string();
    let full_date = matches!(
        meta.entry_type,
        EntryType::Magazine | EntryType::Newspaper | EntryType::Web | EntryType::Other
    );
    match (&meta.issued, full_date, meta.year) {
        (Some(date), true, Year::Known(_)) => format!("{year}{}", text::month_day(date)),
        _ => year,
    }
}

/// Whether a type's title is in italics (a work that stands alone) or roman (part of a whole:
/// an article, a chapter, a paper in proceedings).
fn standalone(t: EntryType) -> bool {
    !matches!(
        t,
        EntryType::Article
            | EntryType::Magazine
            | EntryType::Newspaper
            | EntryType::Chapter
            | EntryType::Conference
    )
}

/// The title, with the descriptions that follow it: edition and volume, translators, report or
/// publication numbers, versions, and the bracketed kind of work (`[Doctoral dissertation, …]`,
/// `[Preprint]`, `[Computer software]`); closed with a period.
fn title_element(out: &mut Out, source: &SourceInput<'_>) {
    let meta = source.meta;
    let t = meta.entry_type;
    // A part of a whole is in roman, unless its whole is unknown: then it stands alone.
    let italic = standalone(t) || meta.container.is_none();
    out.title(source.title, italic);
    let mut parens: Vec<String> = Vec::new();
    let mut bracket: Option<String> = None;
    match t {
        EntryType::Book | EntryType::Other => {
            if let Some(e) = &meta.edition {
                parens.push(text::edition(e));
            }
            if let Some(v) = &meta.volume {
                parens.push(format!("Vol. {v}"));
            }
        }
        EntryType::Report => {
            // `(No. 128; Working Paper Series)`, `(Technical Report No. 7)`, or for a report
            // given as a volume and issue of its series, `(Vol. 251, Issue 1, pp. 2–10)`.
            let mut numbers = Vec::new();
            match (&meta.number, &meta.genre) {
                (Some(n), Some(g)) => numbers.push(format!("{} No. {n}", title_case(g))),
                (Some(n), None) => numbers.push(format!("No. {n}")),
                (None, _) => {
                    if let Some(v) = &meta.volume {
                        numbers.push(format!("Vol. {v}"));
                    }
                    if let Some(i) = &meta.issue {
                        numbers.push(format!("Issue {i}"));
                    }
                    if let Some(p) = &meta.pages {
                        let p = text::page_range(p);
                        let label = if text::is_plural(&p) { "pp." } else { "p." };
                        numbers.push(format!("{label} {p}"));
                    }
                }
            }
            let mut part = numbers.join(", ");
            if let Some(series) = &meta.series {
                if !part.is_empty() {
                    part.push_str("; ");
                }
                part.push_str(series);
            }
            if !part.is_empty() {
                parens.push(part);
            }
            if meta.number.is_none()
                && let Some(g) = &meta.genre
            {
                bracket = Some(g.clone());
            }
        }
        EntryType::Thesis => {
            if let Some(n) = &meta.number {
                parens.push(format!("Publication No. {n}"));
            }
            let genre = meta.genre.clone().unwrap_or_else(|| "Thesis".to_string());
            bracket = Some(match (&meta.archive, &meta.publisher) {
                (Some(_), Some(university)) => format!("{genre}, {university}"),
                _ => genre,
            });
        }
        EntryType::Preprint => {
            let genre = meta.genre.clone().unwrap_or_else(|| "Preprint".to_string());
            match meta.number.as_ref().or(meta.eprint.as_ref()) {
                Some(n) => parens.push(format!("{genre} {n}")),
                None => bracket = Some(genre),
            }
        }
        EntryType::Dataset => {
            if let Some(v) = &meta.version {
                parens.push(format!("Version {v}"));
            }
            bracket = Some(meta.genre.clone().unwrap_or_else(|| "Data set".to_string()));
        }
        EntryType::Software => {
            if let Some(v) = &meta.version {
                parens.push(format!("Version {v}"));
            }
            bracket = Some(
                meta.genre
                    .clone()
                    .unwrap_or_else(|| "Computer software".to_string()),
            );
        }
        EntryType::Conference if meta.container.is_none() => {
            bracket = Some(
                meta.genre
                    .clone()
                    .unwrap_or_else(|| "Paper presentation".to_string()),
            );
        }
        _ => {}
    }
    for p in parens {
        out.field(&format!(" ({p})"));
    }
    if !meta.translators.is_empty() && t != EntryType::Chapter {
        out.push(&format!(
            " ({}, Trans.)",
            names::direct_list(&meta.translators)
        ));
    }
    if let Some(b) = bracket {
        out.field(&format!(" [{b}]"));
    }
    out.stop();
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
        out.push(&format!(", {}", text::page_range(p)));
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
        let p = text::page_range(p);
        let label = if text::is_plural(&p) { "pp." } else { "p." };
        parts.push(format!("{label} {p}"));
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

/// The author and year parts of the source's citations, before disambiguation.
fn in_text(source: &SourceInput<'_>, lead: &Lead<'_>) -> InText {
    let meta = source.meta;
    let (author, narrative, style) = match lead {
        Lead::Authors(n) | Lead::Editors(n) => {
            (names::in_text(n), names::narrative(n), AuthorStyle::Plain)
        }
        Lead::Title => {
            // §8.14: the title in title case, italic for a work that stands alone, in
            // quotation marks for an article or a chapter.
            let title = title_case(&text::smart_quotes(source.title));
            let style = if standalone(meta.entry_type) {
                AuthorStyle::Italic
            } else {
                AuthorStyle::Quoted
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
