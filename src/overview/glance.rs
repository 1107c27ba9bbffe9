//! The home page's "at a glance": the site's size, its most cited works and most linked notes,
//! its themes by size and the sources no theme cites, all computed; each only when the site has
//! what it counts (a vault of linked notes has no sources, themes or citations).

use serde::Serialize;

use super::graph::cites;
use super::matrix::uncited_by_themes;
use super::sections::Sections;
use super::{label, link_targets, linking_notes, tagged_sources, themes_in_order};
use crate::graph::Site;
use crate::note::NoteKind;

/// How many works, notes, themes and uncited sources the section names.
const MOST_CITED: usize = 5;
const MOST_LINKED: usize = 5;
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

/// A figure of the site's size: `16 themes`, `1 citation between notes`.
#[derive(Serialize)]
pub(crate) struct Count {
    count: usize,
    /// What it counts, agreeing with the number.
    noun: String,
}

/// A page of the site by name and URL path (from the base path).
#[derive(Serialize)]
pub(crate) struct Named {
    name: &'static str,
    path: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Glance {
    /// The site's size, the counts that are not 0: sources, themes, pages, citations between
    /// notes (a note citing a work, however often), links between notes, dated events.
    counts: Vec<Count>,
    /// Whether the site has both themes and sources (what "no theme cites" is about).
    review: bool,
    /// The views of the whole site it has: the matrix, the timeline, the graph.
    views: Vec<Named>,
    most_cited: Vec<Ranked>,
    /// The notes most other notes link to.
    most_linked: Vec<Ranked>,
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
        let has = Sections::of(site);
        let links = link_targets(site);
        let mut linked: Vec<(usize, usize)> = (0..site.notes.len())
            .map(|i| (linking_notes(site, i), i))
            // A note one other note links to is no hub.
            .filter(|&(c, _)| c > 1)
            .collect();
        linked.sort_by_key(|&(c, i)| (std::cmp::Reverse(c), i));
        let most_links = linked.first().map_or(0, |l| l.0);
        let counts = [
            (site.references.len(), "source", "sources"),
            (count_kind(NoteKind::Theme), "theme", "themes"),
            (count_kind(NoteKind::Page), "page", "pages"),
            (
                (0..site.notes.len()).map(cites_of).sum(),
                "citation between notes",
                "citations between notes",
            ),
            (
                links.iter().map(Vec::len).sum(),
                "link between notes",
                "links between notes",
            ),
            (
                site.notes.iter().map(|n| n.events.len()).sum(),
                "dated event",
                "dated events",
            ),
        ];
        Glance {
            counts: counts
                .into_iter()
                .filter(|&(n, _, _)| n > 0)
                .map(|(count, one, many)| Count {
                    count,
                    noun: super::agree(count, one, many).to_string(),
                })
                .collect(),
            review: has.matrix,
            views: [
                (has.matrix, "the synthesis matrix", "matrix/"),
                (has.timeline, "the timeline", "timeline/"),
                (has.graph, "the graph", "graph/"),
            ]
            .into_iter()
            .filter(|v| v.0)
            .map(|(_, name, path)| Named { name, path })
            .collect(),
            most_linked: linked
                .iter()
                .take(MOST_LINKED)
                .map(|&(c, i)| ranked(i, c, most_links, 0))
                .collect(),
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
