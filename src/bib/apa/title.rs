//! The title element of an APA reference (§9.13–9.22): the title in italics or roman, and the
//! descriptions after it (edition, volume, report numbers, translators, the bracketed kind of
//! work).

use super::names;
use super::text::{self, Out, title_case};
use crate::bib::model::{EntryType, SourceMeta};
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

/// The title, with the descriptions that follow it: edition and volume, translators, report or
/// publication numbers, versions, and the bracketed kind of work (`[Doctoral dissertation, …]`,
/// `[Preprint]`, `[Computer software]`); closed with a period.
pub(super) fn title_element(out: &mut Out, source: &SourceInput<'_>) {
    let meta = source.meta;
    let t = meta.entry_type;
    // A part of a whole is in roman, unless its whole is unknown: then it stands alone.
    let italic = standalone(t) || meta.container.is_none();
    out.title(source.title, italic);
    let (parens, bracket) = descriptions(meta);
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

/// The descriptions after a title: those in parentheses (edition, volume, numbers, version),
/// and the kind of work in brackets.
fn descriptions(meta: &SourceMeta) -> (Vec<String>, Option<String>) {
    let mut parens: Vec<String> = Vec::new();
    let mut bracket: Option<String> = None;
    match meta.entry_type {
        EntryType::Book | EntryType::Other => {
            if let Some(e) = &meta.edition {
                parens.push(text::edition(e));
            }
            if let Some(v) = &meta.volume {
                parens.push(format!("Vol. {v}"));
            }
        }
        EntryType::Report => {
            parens.extend(report_numbers(meta));
            if meta.number.is_none() {
                bracket.clone_from(&meta.genre);
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
    (parens, bracket)
}

/// `No. 128; Working Paper Series`, `Technical Report No. 7`, or for a report given as a volume
/// and issue of its series, `Vol. 251, Issue 1, pp. 2–10`.
fn report_numbers(meta: &SourceMeta) -> Option<String> {
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
                numbers.push(text::labelled_pages(p));
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
    (!part.is_empty()).then_some(part)
}
