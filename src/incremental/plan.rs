//! Which pages a `gloss serve` build can have changed, decided from what changed in the notes
//! since the build whose pages the cache holds, so that the other pages are reused without even
//! building their template input.
//!
//! Only the common case is planned: the same notes (paths, kinds, keys) and `site.yaml`, and
//! changes confined to note bodies, summaries and dates. Then, by what each page reads (see
//! `render.rs`):
//! - a note's own page reads everything of the note;
//! - other pages read of a note only its *header* (title, tags, weight, bibliographic fields,
//!   which also decide every APA reference and BibTeX entry), its backlink passages (on the pages
//!   of the notes it cites or links to: such a page is checked only if the passages shown there
//!   changed) and, for sources, how many notes cite it (on the source index, tag pages, the
//!   bibliography and the pages of sources citing it);
//! - the pages of the notes linking to a note (by citation, link or theme tag) read its *preview*
//!   (summary or first words, as shown): such a page is checked when that text changed;
//! - the feed reads summaries and dates.
//!
//! Anything else (a header change, a note added, removed or renamed, `site.yaml`, the citation
//! style's file, a numeric style's numbers moved by a new first citation) makes a *full*
//! plan: every page's input is built and compared, as on the first build. Template changes are
//! handled by the [`RenderMemo`](super::RenderMemo), which then has no page to reuse.

use std::io::Write;

use rayon::prelude::*;

use super::Fingerprint;
use crate::bib::CitationStyle;
use crate::cite::Citation;
use crate::config::Config;
use crate::graph::{Backlink, Site};
use crate::markdown::LinkTarget;
use crate::note::{DatedEvent, Note, NoteKind, SourceMeta};
use crate::overview::citation_counts;
use crate::render::preview_text;

/// What other pages show of a note.
#[derive(Debug, Clone, PartialEq)]
struct Header {
    title: String,
    tags: Vec<String>,
    weight: i64,
    source: Option<SourceMeta>,
}

impl Header {
    fn of(note: &Note) -> Header {
        Header {
            title: note.title.clone(),
            tags: note.tags.iter().map(|t| t.slug.clone()).collect(),
            weight: note.weight,
            source: note.source.clone(),
        }
    }

    fn matches(&self, note: &Note) -> bool {
        self.title == note.title
            && self.weight == note.weight
            && self.source == note.source
            && self.tags.len() == note.tags.len()
            && self.tags.iter().zip(&note.tags).all(|(a, b)| *a == b.slug)
    }
}

/// What the feed shows of a note beside its header.
#[derive(Debug, Clone, PartialEq)]
struct Feed {
    summary: Option<String>,
    date: Option<String>,
    updated: Option<String>,
}

impl Feed {
    fn of(note: &Note) -> Feed {
        Feed {
            summary: note.summary.clone(),
            date: note.date.clone(),
            updated: note.updated.clone(),
        }
    }
}

struct NoteSeen {
    path: String,
    kind: NoteKind,
    key: String,
    rev: u64,
    header: Header,
    feed: Feed,
    /// The notes whose pages show this note's backlink passages, with a fingerprint of those
    /// passages (see [`passages`]).
    refs: Vec<Reach>,
    /// The sources it cites (`Site::cites`), with how often (the matrix counts them).
    cites: Vec<usize>,
    cite_counts: Vec<(usize, u32)>,
    /// Its dated events (the timeline shows them).
    events: Vec<DatedEvent>,
    /// Its citations, in order: a backlink passage shows the citations whose indices it holds.
    citations: Vec<Citation>,
    /// Its links' targets, in order: a passage shows a bare `[[key]]` as its target's title.
    links: Vec<LinkTarget>,
    /// A fingerprint of what its preview card shows beside its header.
    preview: u128,
}

/// A fingerprint of what a note's preview card shows beside its header (its summary or first
/// words, as rendered).
fn preview(site: &Site, i: usize) -> u128 {
    Fingerprint::of(&preview_text(site, i))
}

/// A note whose page shows passages of another note: the target and the passages' fingerprint.
type Reach = (usize, u128);

/// The notes and configuration the cached pages, BibTeX entries and extra files were built from.
pub(super) struct Seen {
    config: Config,
    /// The citation style (a `.csl` file may change while site.yaml does not).
    style: CitationStyle,
    /// The reference list's order, which is a numeric style's numbering: a citation added to a
    /// body can renumber sources on every page.
    order: Vec<String>,
    notes: Vec<NoteSeen>,
}

/// The pages one build must check.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Why every page must be checked, if it must.
    pub full: Option<&'static str>,
    /// Note pages (by note index) whose input may have changed.
    pub notes: Vec<bool>,
    /// The pages listing many notes (indexes, tag pages, bibliography) may have changed.
    pub listings: bool,
    /// A summary or date changed: the feed and sitemap must be made again.
    pub feed: bool,
    /// Notes whose revision changed, with where their passages are shown now.
    changed: Vec<(usize, Vec<Reach>)>,
}

impl Plan {
    /// Compares `site` (whose notes have revisions `revs`) with what the caches were built from.
    pub(super) fn new(seen: Option<&Seen>, site: &Site, revs: &[u64]) -> Plan {
        let full = |why| Plan {
            full: Some(why),
            ..Plan::default()
        };
        let Some(seen) = seen else {
            return full("first build");
        };
        if seen.config != site.config {
            return full("site.yaml changed");
        }
        if seen.style != site.style {
            return full("the citation style changed");
        }
        if seen.order != site.bibliography_order {
            return full("the sources' order or numbers changed");
        }
        let same_notes = seen.notes.len() == site.notes.len()
            && revs.len() == site.notes.len()
            && seen
                .notes
                .iter()
                .zip(&site.notes)
                .all(|(s, n)| s.path == n.path && s.kind == n.kind && s.key == n.key);
        if !same_notes {
            return full("notes added, removed or renamed");
        }
        let changed: Vec<usize> = (0..revs.len())
            .filter(|&i| seen.notes[i].rev != revs[i])
            .collect();
        if changed
            .iter()
            .any(|&i| !seen.notes[i].header.matches(&site.notes[i]))
        {
            return full("a title, tag or bibliographic field changed");
        }
        let mut plan = Plan {
            notes: vec![false; site.notes.len()],
            ..Plan::default()
        };
        let targets = if changed.is_empty() {
            Vec::new()
        } else {
            outgoing(site)
        };
        for i in changed {
            let old = &seen.notes[i];
            plan.notes[i] = true;
            let new = reach(site, i, &targets[i]);
            // A page showing this note's passages is checked only if they changed there (any
            // change to its citations could show in any of them).
            let same_citations =
                same_citations(&old.citations, site, i) && same_links(&old.links, site, i);
            for r in old
                .refs
                .iter()
                .filter(|r| !same_citations || !new.contains(r))
            {
                plan.notes[r.0] = true;
            }
            for r in new
                .iter()
                .filter(|r| !same_citations || !old.refs.contains(r))
            {
                plan.notes[r.0] = true;
            }
            if old.cites != site.cites[i] {
                // How many notes cite these sources changed: the pages that show them with that
                // count (those citing them, and in their local graphs those they cite) are
                // checked, and the listings.
                plan.listings = true;
                let gained = site.cites[i].iter().filter(|t| !old.cites.contains(t));
                let lost = old.cites.iter().filter(|t| !site.cites[i].contains(t));
                for &t in gained.chain(lost) {
                    for b in &site.cited_by[t] {
                        plan.notes[b.from] = true;
                    }
                    for &c in &site.cites[t] {
                        plan.notes[c] = true;
                    }
                }
            }
            if old.cite_counts != cite_counts(site, i) || old.events != site.notes[i].events {
                // The matrix counts citations; the timeline shows the events.
                plan.listings = true;
            }
            if old.feed != Feed::of(&site.notes[i]) {
                plan.feed = true;
            }
            // The pages that show this note in place (`![[note]]`), and those that show them.
            for e in embedders(site, i) {
                plan.notes[e] = true;
            }
            if old.preview != preview(site, i) {
                // The pages linking to it show its card.
                for b in site.cited_by[i].iter().chain(&site.linked_from[i]) {
                    plan.notes[b.from] = true;
                }
                if let Some(tagged) = site.tags.get(&site.notes[i].key) {
                    for &t in tagged {
                        plan.notes[t] = true;
                    }
                }
            }
            plan.changed.push((i, new));
        }
        plan
    }

    /// Whether every source's header is as before, so its BibTeX entry is too.
    pub(super) fn same_sources(&self) -> bool {
        self.full.is_none()
    }

    /// Whether the feed, sitemap and exports are as before.
    pub(super) fn same_extras(&self) -> bool {
        self.full.is_none() && !self.feed
    }

    /// What the next build compares with, once this build's pages are all in the caches.
    pub(super) fn into_seen(self, seen: Option<Seen>, site: &Site, revs: &[u64]) -> Seen {
        match seen {
            Some(mut seen) if self.full.is_none() => {
                for (i, refs) in self.changed {
                    let s = &mut seen.notes[i];
                    s.rev = revs[i];
                    s.feed = Feed::of(&site.notes[i]);
                    s.refs = refs;
                    s.cites.clone_from(&site.cites[i]);
                    s.cite_counts = cite_counts(site, i);
                    s.events.clone_from(&site.notes[i].events);
                    s.citations = citations(site, i);
                    s.preview = preview(site, i);
                    s.links = links(site, i);
                }
                seen.order.clone_from(&site.bibliography_order);
                seen
            }
            _ => {
                let targets = outgoing(site);
                let notes = (0..site.notes.len())
                    .into_par_iter()
                    .map(|i| {
                        let n = &site.notes[i];
                        NoteSeen {
                            path: n.path.clone(),
                            kind: n.kind,
                            key: n.key.clone(),
                            rev: revs[i],
                            header: Header::of(n),
                            feed: Feed::of(n),
                            refs: reach(site, i, &targets[i]),
                            cites: site.cites[i].clone(),
                            cite_counts: cite_counts(site, i),
                            events: n.events.clone(),
                            citations: citations(site, i),
                            preview: preview(site, i),
                            links: links(site, i),
                        }
                    })
                    .collect();
                Seen {
                    config: site.config.clone(),
                    style: site.style.clone(),
                    order: site.bibliography_order.clone(),
                    notes,
                }
            }
        }
    }
}

/// The pages (`targets`) on which note `from` appears as a backlink, each with a fingerprint of
/// every passage of `from` shown there.
fn reach(site: &Site, from: usize, targets: &[usize]) -> Vec<Reach> {
    targets
        .iter()
        .map(|&t| {
            let mut f = Fingerprint::new();
            for (section, list) in [(b'c', &site.cited_by[t]), (b'l', &site.linked_from[t])] {
                let start = list.partition_point(|b| b.from < from);
                let mine = list[start..].iter().take_while(|b| b.from == from);
                f.write_all(&[section]).ok();
                passages(site, mine, &mut f);
            }
            (t, f.finish())
        })
        .collect()
}

/// Writes what `Site::context_html` reads for each backlink but the note's citations and links
/// (compared as a whole, see [`NoteSeen::citations`]): the passage's text, in which each citation appears as
/// its index, and the index of the citation it highlights.
fn passages<'a>(site: &Site, links: impl Iterator<Item = &'a Backlink>, f: &mut Fingerprint) {
    for b in links {
        let text = site.scans[b.from]
            .contexts
            .get(b.context)
            .map_or("", String::as_str);
        let highlight = b.citation.map_or(u64::MAX, |c| c as u64);
        let link = b.link.map_or(u64::MAX, |l| l as u64);
        f.write_all(&(text.len() as u64).to_le_bytes()).ok();
        f.write_all(&highlight.to_le_bytes()).ok();
        f.write_all(&link.to_le_bytes()).ok();
        f.write_all(text.as_bytes()).ok();
    }
}

/// How often note `i` cites each work (the matrix shows it).
fn cite_counts(site: &Site, i: usize) -> Vec<(usize, u32)> {
    citation_counts(site, i).into_iter().collect()
}

fn citations(site: &Site, i: usize) -> Vec<Citation> {
    site.scans[i]
        .citations
        .iter()
        .map(|c| c.citation.clone())
        .collect()
}

fn links(site: &Site, i: usize) -> Vec<LinkTarget> {
    site.scans[i]
        .links
        .iter()
        .map(|l| l.target.clone())
        .collect()
}

fn same_links(old: &[LinkTarget], site: &Site, i: usize) -> bool {
    let new = &site.scans[i].links;
    old.len() == new.len() && old.iter().zip(new).all(|(a, b)| *a == b.target)
}

fn same_citations(old: &[Citation], site: &Site, i: usize) -> bool {
    let new = &site.scans[i].citations;
    old.len() == new.len() && old.iter().zip(new).all(|(a, b)| *a == b.citation)
}

/// For each note, the notes whose pages list it as a backlink (sorted, distinct).
fn outgoing(site: &Site) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); site.notes.len()];
    for lists in [&site.cited_by, &site.linked_from] {
        for (target, list) in lists.iter().enumerate() {
            for b in list {
                out[b.from].push(target);
            }
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// Every note whose page shows note `i`'s body through embeds, directly or through other
/// embedded notes.
fn embedders(site: &Site, i: usize) -> Vec<usize> {
    let embeds: Vec<(usize, usize)> = site
        .scans
        .iter()
        .enumerate()
        .flat_map(|(from, scan)| {
            scan.links
                .iter()
                .filter(|l| l.embed)
                .filter_map(move |l| Some((from, site.target_of(&l.target, from).ok()?)))
        })
        .collect();
    if embeds.is_empty() {
        return Vec::new();
    }
    let mut seen = vec![false; site.notes.len()];
    let mut todo = vec![i];
    let mut out = Vec::new();
    while let Some(t) = todo.pop() {
        for &(from, _) in embeds.iter().filter(|(_, to)| *to == t) {
            if !seen[from] {
                seen[from] = true;
                out.push(from);
                todo.push(from);
            }
        }
    }
    out
}
