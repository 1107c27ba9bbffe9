//! The home page's "at a glance": the review's size, its most cited works, its themes by size and
//! the sources no theme cites, all computed.

use serde::Serialize;

use super::graph::cites;
use super::matrix::uncited_by_themes;
use super::{label, tagged_sources, themes_in_order};
use crate::graph::Site;
use crate::note::NoteKind;

/// How many works, themes and uncited sources the section names.
const MOST_CITED: usize = 5;
const THEMES: usize = 5;
const UNCITED: usize = 8;

/// A named note with a count.
#[derive(Serialize)]
pub(crate) struct Ranked {
    label: String,
    title: String,
    url: String,
    count: usize,
    /// A theme: the works its text cites.
    cites: usize,
    /// The count as a share of the largest in its list, for a bar (0–100).
    share: usize,
}

#[derive(Serialize)]
pub(crate) struct Glance {
    sources: usize,
    themes: usize,
    pages: usize,
    /// Distinct citations between notes (a note citing a work, however often).
    citations: usize,
    events: usize,
    most_cited: Vec<Ranked>,
    /// The largest themes, by sources tagged, then works cited.
    largest_themes: Vec<Ranked>,
    uncited_count: usize,
    uncited: Vec<Ranked>,
}

impl Glance {
    pub(crate) fn of(site: &Site) -> Glance {
        let count_kind = |k: NoteKind| site.notes.iter().filter(|n| n.kind == k).count();
        let ranked = |i: usize, count: usize, most: usize, cites: usize| Ranked {
            label: label(site, i),
            title: site.notes[i].title.clone(),
            url: site.url_of(i),
            count,
            cites,
            share: (count * 100).checked_div(most).unwrap_or(0),
        };
        let mut cited: Vec<(usize, usize)> = site
            .bibliography_order
            .iter()
            .map(|k| site.by_key[k.as_str()])
            .map(|i| (site.citing_notes(i), i))
            .filter(|&(c, _)| c > 0)
            .collect();
        // Most cited first; among equals, reference-list order (the sort is stable).
        cited.sort_by_key(|&(c, _)| std::cmp::Reverse(c));
        let most = cited.first().map_or(0, |c| c.0);
        let cites_of = |t: usize| cites(site, t).len();
        let tagged = |t: usize| tagged_sources(site, &site.notes[t].key);
        let mut themes: Vec<usize> = themes_in_order(site);
        themes.sort_by_key(|&t| (usize::MAX - tagged(t), usize::MAX - cites_of(t)));
        let largest = themes.first().map_or(0, |&t| tagged(t));
        let uncited: Vec<usize> = site
            .bibliography_order
            .iter()
            .map(|k| site.by_key[k.as_str()])
            .filter(|&i| uncited_by_themes(site, i))
            .collect();
        Glance {
            sources: site.references.len(),
            themes: count_kind(NoteKind::Theme),
            pages: count_kind(NoteKind::Page),
            citations: (0..site.notes.len()).map(cites_of).sum(),
            events: site.notes.iter().map(|n| n.events.len()).sum(),
            most_cited: cited
                .iter()
                .take(MOST_CITED)
                .map(|&(c, i)| ranked(i, c, most, 0))
                .collect(),
            largest_themes: themes
                .iter()
                .take(THEMES)
                .map(|&t| ranked(t, tagged(t), largest, cites_of(t)))
                .collect(),
            uncited_count: uncited.len(),
            uncited: uncited
                .iter()
                .take(UNCITED)
                .map(|&i| ranked(i, 0, 0, 0))
                .collect(),
        }
    }
}
