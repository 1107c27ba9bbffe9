//! A citation put together from the engine's pieces: the works that print something, each with
//! its glue, a narrative citation's names first; and a work's rendering split into its names
//! and the rest (for narrative and author-suppressed citations).

use hayagriva::{Elem, ElemChild, ElemChildren, ElemMeta};

use super::output::{self, Run};
use crate::cite::{StyledCitation, StyledPart};

/// The parts of a citation from its pieces: a work that prints nothing is left out with the
/// delimiter after it (before it when last), and a citation of nothing but those prints
/// nothing, not `()`. A narrative citation's `lead` (the first work's names) comes first, the
/// rest after a space; a narrative citation of nothing else is its names alone.
pub(super) fn compose(
    pieces: Vec<(Option<usize>, Vec<Run>)>,
    lead: Option<(usize, Vec<Run>)>,
) -> StyledCitation {
    let printed = |runs: &[Run]| !output::text(runs).trim().is_empty();
    let works: Vec<usize> = pieces
        .iter()
        .enumerate()
        .filter(|(_, (item, runs))| item.is_some() && printed(runs))
        .map(|(i, _)| i)
        .collect();
    let mut parts = Vec::new();
    if let Some((index, names)) = &lead {
        parts.push(part(Some(*index), names));
    }
    let Some(&last_printed) = works.last() else {
        return StyledCitation { parts };
    };
    if lead.is_some() {
        parts.push(part(None, &[output::plain_run(" ")]));
    }
    let first_work = pieces.iter().position(|p| p.0.is_some()).unwrap_or(0);
    let last_work = pieces.iter().rposition(|p| p.0.is_some()).unwrap_or(0);
    let mut after_printed = false;
    for (i, (item, runs)) in pieces.iter().enumerate() {
        if item.is_some() {
            after_printed = works.contains(&i);
            if after_printed {
                parts.push(part(*item, runs));
            }
            continue;
        }
        let between = after_printed && i < last_printed;
        if (i < first_work || i > last_work || between) && !output::text(runs).is_empty() {
            parts.push(part(None, runs));
        }
    }
    StyledCitation { parts }
}

fn part(item: Option<usize>, runs: &[Run]) -> StyledPart {
    StyledPart {
        item,
        html: output::html(runs),
        text: output::text(runs),
    }
}

/// A work's rendering split into its names (the first `cs:names` output: its authors, or what
/// stands for them, an editor or a title) and the rest, without the punctuation that followed
/// the names.
pub(super) fn split_names(children: &ElemChildren) -> (Option<ElemChildren>, ElemChildren) {
    let mut names = None;
    let rest = without_first_names(children, &mut names);
    let mut rest = rest;
    trim_leading(&mut rest);
    (
        names.map(|e: Elem| ElemChildren(vec![ElemChild::Elem(e)])),
        rest,
    )
}

fn without_first_names(children: &ElemChildren, found: &mut Option<Elem>) -> ElemChildren {
    let mut out = Vec::with_capacity(children.0.len());
    for child in &children.0 {
        match child {
            ElemChild::Elem(e)
                if found.is_none() && matches!(e.meta, Some(ElemMeta::Names(..))) =>
            {
                *found = Some(e.clone());
            }
            ElemChild::Elem(e) if found.is_none() => {
                let inner = without_first_names(&e.children, found);
                out.push(ElemChild::Elem(Elem {
                    children: inner,
                    ..e.clone()
                }));
            }
            other => out.push(other.clone()),
        }
    }
    ElemChildren(out)
}

/// Takes the spaces and the delimiter (`, `) the names left at the start.
fn trim_leading(children: &mut ElemChildren) {
    for child in &mut children.0 {
        match child {
            ElemChild::Text(t) => {
                let trimmed = t.text.trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | ';' | ':')
                });
                t.text = trimmed.to_string();
                if !t.text.is_empty() {
                    return;
                }
            }
            ElemChild::Elem(e) => {
                trim_leading(&mut e.children);
                if !e.children.to_string().is_empty() {
                    return;
                }
            }
            _ => return,
        }
    }
}
