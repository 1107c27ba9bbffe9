//! Which pages a `gloss serve` build can have changed, decided from what changed in the notes
//! since the build whose pages the cache holds, so that the other pages are reused without even
//! building their template input.
//!
//! By what each page reads (see `render.rs`):
//! - a note's own page reads everything of the note;
//! - other pages read of a note its *header* (title, tags, weight, aliases, bibliographic
//!   fields): the pages of the notes it cites or links to (its backlinks there), of the notes
//!   citing, linking to or embedding it (its in-text form, title and card), of the themes it is
//!   tagged with and the notes tagged with it, and the listings;
//! - its backlink passages, on the pages of the notes it cites or links to: such a page is
//!   checked only if the passages shown there changed;
//! - for sources, how many notes cite it (on the listings and the pages of sources citing it)
//!   and its formatted reference (on the pages citing it, and where their passages show);
//! - the pages of the notes linking to a note read its *preview* (summary or first words, as
//!   shown): such a page is checked when that text changed;
//! - the feed reads titles, summaries and dates.
//!
//! Notes added, removed or renamed are matched to the previous build's by path, and a note whose
//! text did not change is still checked when what its references resolve to changed (a new
//! alias, a note gone). Only a change of `site.yaml` or of the citation style (a `.csl` file), and, in a CSL style, a header change, a note added, removed or renamed or the sources' order moved (a numeric style's numbers), make a *full* plan: every page's input is
//! built and compared, as on the first build. Template changes are handled by the
//! [`RenderMemo`](super::RenderMemo), which then has no page to reuse.

use std::collections::HashMap;
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
use crate::render::{backlink_window, preview_text};

/// What other pages show of a note.
#[derive(Debug, Clone, PartialEq)]
struct Header {
    title: String,
    tags: Vec<String>,
    aliases: Vec<String>,
    weight: i64,
    draft: bool,
    source: Option<SourceMeta>,
}

impl Header {
    fn of(note: &Note) -> Header {
        Header {
            title: note.title.clone(),
            tags: note.tags.iter().map(|t| t.slug.clone()).collect(),
            aliases: note.aliases.clone(),
            weight: note.weight,
            draft: note.draft,
            source: note.source.clone(),
        }
    }

    fn matches(&self, note: &Note) -> bool {
        self.title == note.title
            && self.weight == note.weight
            && self.draft == note.draft
            && self.aliases == note.aliases
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

#[derive(Clone)]
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

impl NoteSeen {
    fn of(site: &Site, i: usize, rev: u64, targets: &[usize]) -> NoteSeen {
        let n = &site.notes[i];
        NoteSeen {
            path: n.path.clone(),
            kind: n.kind,
            key: n.key.clone(),
            rev,
            header: Header::of(n),
            feed: Feed::of(n),
            refs: reach(site, i, targets),
            cites: site.cites[i].clone(),
            cite_counts: cite_counts(site, i),
            events: n.events.clone(),
            citations: citations(site, i),
            preview: preview(site, i),
            links: links(site, i),
        }
    }

    /// Gives its note indices as they are in the next build (`new_of`: old index → new),
    /// dropping references to notes that are gone.
    fn renumber(&mut self, new_of: &[Option<usize>]) {
        self.refs
            .retain_mut(|r| new_of[r.0].map(|t| r.0 = t).is_some());
        self.cites
            .retain_mut(|t| new_of[*t].map(|n| *t = n).is_some());
        self.cite_counts
            .retain_mut(|(t, _)| new_of[*t].map(|n| *t = n).is_some());
    }

    /// Whether its references point at `targets` and cite `cites` (indices of the next build).
    fn points_at(
        &self,
        new_of: Option<&[Option<usize>]>,
        targets: &[usize],
        cites: &[usize],
    ) -> bool {
        let now = |t: usize| new_of.map_or(Some(t), |m| m[t]);
        self.refs.len() == targets.len()
            && self
                .refs
                .iter()
                .zip(targets)
                .all(|(r, &t)| now(r.0) == Some(t))
            && self.cites.len() == cites.len()
            && self
                .cites
                .iter()
                .zip(cites)
                .all(|(&c, &t)| now(c) == Some(t))
    }
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
    /// A title, summary or date changed, or a note came or went: the feed and sitemap must be
    /// made again.
    pub feed: bool,
    /// A source's bibliographic fields changed, or a source came or went: the BibTeX entries
    /// and exports must be made again.
    pub sources: bool,
    /// Each note's index in the previous build, if it was there (`None`: the same notes).
    old_of: Option<Vec<Option<usize>>>,
    /// Notes whose record must be made again for the next build (changed, added, or whose
    /// references or preview now resolve differently).
    fresh: Vec<usize>,
    /// Every theme page is already marked.
    themes_marked: bool,
}

impl Plan {
    /// Compares `site` (whose notes have revisions `revs`) with what the caches were built from;
    /// `references` names the sources whose formatted reference changed.
    pub(super) fn new(
        seen: Option<&Seen>,
        site: &Site,
        revs: &[u64],
        references: &[String],
    ) -> Plan {
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
        if revs.len() != site.notes.len() {
            return full("notes not read");
        }
        if seen.style != site.style {
            return full("the citation style changed");
        }
        // A CSL style's references are made for all the citations of a build (numbers, names
        // told apart across clusters): the plan follows APA's clusters only.
        let csl = site.style != CitationStyle::Apa;
        if csl && seen.order != site.bibliography_order {
            return full("the sources' order or numbers changed");
        }
        if csl {
            let same_notes = seen.notes.len() == site.notes.len()
                && seen
                    .notes
                    .iter()
                    .zip(&site.notes)
                    .all(|(s, n)| s.path == n.path && s.kind == n.kind && s.key == n.key);
            if !same_notes {
                return full("notes added, removed or renamed");
            }
            let header_changed = (0..revs.len()).any(|i| {
                seen.notes[i].rev != revs[i] && !seen.notes[i].header.matches(&site.notes[i])
            });
            if header_changed {
                return full("a title, tag or bibliographic field changed");
            }
        }
        let n = site.notes.len();
        let (old_of, new_of) = matching(seen, site);
        let old = |j: usize| {
            old_of
                .as_ref()
                .map_or(Some(j), |m| m[j])
                .map(|o| &seen.notes[o])
        };
        let mut plan = Plan {
            notes: vec![false; n],
            ..Plan::default()
        };
        let targets = outgoing(site);
        let mut fresh = vec![false; n];
        // Notes that cite or link to a note whose header or reference changed: their previews
        // and passages may show it.
        let mut near = Vec::new();

        if let Some(new_of) = &new_of {
            for (o, gone) in seen.notes.iter().enumerate() {
                if new_of[o].is_some() {
                    continue;
                }
                plan.listings = true;
                plan.feed = true;
                plan.sources |= gone.kind == NoteKind::Source;
                // The pages that showed its passages, and the local graphs and counts of the
                // sources it cited. The pages citing or linking to it resolve differently now,
                // which the comparison of targets below finds.
                for t in gone.refs.iter().filter_map(|r| new_of[r.0]) {
                    plan.notes[t] = true;
                }
                for t in gone.cites.iter().filter_map(|&c| new_of[c]) {
                    plan.mark_count_change(site, t);
                }
                for tag in &gone.header.tags {
                    plan.mark_tag_count_change(site, tag);
                }
            }
        }

        for j in 0..n {
            let Some(old) = old(j) else {
                // A note added: everything that shows its header.
                fresh[j] = true;
                plan.feed = true;
                plan.sources |= site.notes[j].kind == NoteKind::Source;
                plan.mark_header_change(site, j, &targets, None, &mut near);
                for &t in &site.cites[j] {
                    plan.mark_count_change(site, t);
                }
                continue;
            };
            let changed = old.rev != revs[j];
            // The same text: what its references resolve to may still have changed (an alias
            // added, a note gone or added, a name now meaning another note).
            if !changed && old.points_at(new_of.as_deref(), &targets[j], &site.cites[j]) {
                continue;
            }
            let old = match &new_of {
                Some(new_of) => {
                    let mut old = old.clone();
                    old.renumber(new_of);
                    std::borrow::Cow::Owned(old)
                }
                None => std::borrow::Cow::Borrowed(old),
            };
            fresh[j] = true;
            plan.note_changed(site, j, &old, &targets);
            if changed && !old.header.matches(&site.notes[j]) {
                plan.feed = true;
                plan.sources |= site.notes[j].kind == NoteKind::Source;
                plan.mark_header_change(site, j, &targets, Some(&old.header), &mut near);
            }
        }

        for key in references {
            let Some(&s) = site.by_key.get(key) else {
                continue;
            };
            // Its in-text form and entry: on its page, the listings, the pages citing or linking
            // to it and wherever their passages show.
            plan.notes[s] = true;
            plan.listings = true;
            plan.mark_preview_change(site, s);
            // A bare `[[key]]` of a source shows its in-text form too.
            for b in site.cited_by[s].iter().chain(&site.linked_from[s]) {
                plan.notes[b.from] = true;
                for &t in &targets[b.from] {
                    plan.notes[t] = true;
                }
                near.push(b.from);
            }
        }

        // A preview shows the in-text forms and titles of what its first words cite.
        near.sort_unstable();
        near.dedup();
        for i in near {
            if fresh[i] {
                continue;
            }
            let Some(old) = old(i) else { continue };
            if old.preview != preview(site, i) {
                fresh[i] = true;
                plan.mark_preview_change(site, i);
            }
        }
        plan.old_of = old_of;
        plan.fresh = (0..n).filter(|&i| fresh[i]).collect();
        plan
    }

    /// Note `i`'s text changed (or what its references resolve to): its page, the pages showing
    /// its passages, and what its citations count.
    fn note_changed(&mut self, site: &Site, i: usize, old: &NoteSeen, targets: &[Vec<usize>]) {
        self.notes[i] = true;
        let new = reach(site, i, &targets[i]);
        // A page showing this note's passages is checked only if they changed there (any
        // change to its citations, or to what its links resolve to, could show in any of them).
        let same_targets =
            old.refs.len() == new.len() && old.refs.iter().zip(&new).all(|(a, b)| a.0 == b.0);
        let same_citations = same_targets
            && same_citations(&old.citations, site, i)
            && same_links(&old.links, site, i);
        for r in old
            .refs
            .iter()
            .filter(|r| !same_citations || !new.contains(r))
        {
            self.notes[r.0] = true;
        }
        for r in new
            .iter()
            .filter(|r| !same_citations || !old.refs.contains(r))
        {
            self.notes[r.0] = true;
        }
        if old.cites != site.cites[i] {
            let gained = site.cites[i].iter().filter(|t| !old.cites.contains(t));
            let lost = old.cites.iter().filter(|t| !site.cites[i].contains(t));
            for &t in gained.chain(lost) {
                self.mark_count_change(site, t);
            }
        }
        if old.cite_counts != cite_counts(site, i) || old.events != site.notes[i].events {
            // The matrix counts citations; the timeline shows the events.
            self.listings = true;
        }
        if old.feed != Feed::of(&site.notes[i]) {
            self.feed = true;
        }
        // The pages that show this note in place (`![[note]]`), and those that show them.
        for e in embedders(site, i) {
            self.notes[e] = true;
        }
        // A link to one of its headings or blocks (`[[note#Heading]]`) resolves by its body.
        for b in &site.linked_from[i] {
            let anchored = b
                .link
                .and_then(|l| site.scans[b.from].links.get(l))
                .is_some_and(|l| l.anchor.is_some());
            if anchored {
                self.notes[b.from] = true;
            }
        }
        if old.preview != preview(site, i) {
            self.mark_preview_change(site, i);
        }
    }

    /// How many notes cite source `t` changed: the pages that show it with that count (those
    /// citing it and, in their local graphs, those it cites; the themes listing it) are checked,
    /// and the listings.
    fn mark_count_change(&mut self, site: &Site, t: usize) {
        self.listings = true;
        self.notes[t] = true;
        for b in &site.cited_by[t] {
            self.notes[b.from] = true;
        }
        for &c in &site.cites[t] {
            self.notes[c] = true;
        }
        // The themes it is tagged with list it, with that count.
        for tag in &site.notes[t].tags {
            if let Some(&theme) = site.by_key.get(&tag.slug) {
                self.notes[theme] = true;
            }
        }
    }

    /// Note `i`'s preview changed: the pages linking to it show its card.
    fn mark_preview_change(&mut self, site: &Site, i: usize) {
        for b in site.cited_by[i].iter().chain(&site.linked_from[i]) {
            self.notes[b.from] = true;
        }
        if let Some(tagged) = site.tags.get(&site.notes[i].key) {
            for &t in tagged {
                self.notes[t] = true;
            }
        }
    }

    /// Note `i`'s header changed (or it is new: `old` is its header before, if it had one):
    /// every page that shows its title, tags or card, and the listings. The notes citing or
    /// linking to it go to `near`, whose previews may show it.
    fn mark_header_change(
        &mut self,
        site: &Site,
        i: usize,
        targets: &[Vec<usize>],
        old: Option<&Header>,
        near: &mut Vec<usize>,
    ) {
        let retitled = old.is_none_or(|h| h.title != site.notes[i].title);
        let old_tags = old.map_or(&[][..], |h| h.tags.as_slice());
        self.listings = true;
        self.notes[i] = true;
        // Its backlinks on the pages it points at, and its local graph neighbours.
        for &t in &targets[i] {
            self.notes[t] = true;
        }
        // The pages citing or linking to it; a bare `[[link]]` shows its title in the passages
        // of the linking note (a citation's in-text form is the reference's, see `Plan::new`).
        for b in &site.cited_by[i] {
            self.notes[b.from] = true;
            near.push(b.from);
        }
        for b in &site.linked_from[i] {
            self.notes[b.from] = true;
            if retitled {
                for &t in &targets[b.from] {
                    self.notes[t] = true;
                }
            }
            near.push(b.from);
        }
        for e in embedders(site, i) {
            self.notes[e] = true;
        }
        // Its card (title, themes, reference) on the pages linking to it.
        self.mark_preview_change(site, i);
        // A theme's title is on the pages tagged with it and on their cards; a note's tags, on
        // the pages of the themes they name (old and new).
        if let Some(tagged) = site.tags.get(&site.notes[i].key) {
            for &t in tagged {
                self.notes[t] = true;
                self.mark_preview_change(site, t);
            }
        }
        let tags: Vec<&str> = site.notes[i].tags.iter().map(|t| t.slug.as_str()).collect();
        for tag in tags
            .iter()
            .copied()
            .chain(old_tags.iter().map(String::as_str))
        {
            if let Some(&t) = site.by_key.get(tag) {
                self.notes[t] = true;
            }
            let gained_or_lost = !tags.contains(&tag) || !old_tags.iter().any(|o| o == tag);
            if gained_or_lost {
                self.mark_tag_count_change(site, tag);
            }
        }
    }

    /// A note gained or lost `tag`: every page showing the tag shows how many notes carry it,
    /// and so do the cards of its theme and the "related themes" of every theme.
    fn mark_tag_count_change(&mut self, site: &Site, tag: &str) {
        for &t in site.tags.get(tag).map_or(&[][..], Vec::as_slice) {
            self.notes[t] = true;
        }
        if let Some(&t) = site.by_key.get(tag) {
            self.notes[t] = true;
            self.mark_preview_change(site, t);
        }
        if !self.themes_marked {
            self.themes_marked = true;
            for (t, note) in site.notes.iter().enumerate() {
                if note.kind == NoteKind::Theme {
                    self.notes[t] = true;
                }
            }
        }
    }

    /// Whether every source's header is as before, so its BibTeX entry is too.
    pub(super) fn same_sources(&self) -> bool {
        self.full.is_none() && !self.sources
    }

    /// Whether every listing (the matrix among them) shows what it showed before.
    pub(super) fn same_listings(&self) -> bool {
        self.full.is_none() && !self.listings
    }

    /// Whether the feed, sitemap and exports are as before.
    pub(super) fn same_extras(&self) -> bool {
        self.full.is_none() && !self.feed && !self.sources
    }

    /// What the next build compares with, once this build's pages are all in the caches.
    pub(super) fn into_seen(self, seen: Option<Seen>, site: &Site, revs: &[u64]) -> Seen {
        match seen {
            Some(seen) if self.full.is_none() => {
                let mut notes: Vec<Option<NoteSeen>> = match &self.old_of {
                    None => seen.notes.into_iter().map(Some).collect(),
                    Some(old_of) => {
                        let new_of = new_of(old_of, seen.notes.len());
                        let mut now: Vec<Option<NoteSeen>> = vec![None; old_of.len()];
                        for (o, mut note) in seen.notes.into_iter().enumerate() {
                            if let Some(j) = new_of[o] {
                                note.renumber(&new_of);
                                now[j] = Some(note);
                            }
                        }
                        now
                    }
                };
                for &i in &self.fresh {
                    notes[i] = None;
                }
                let targets = (notes.iter().any(Option::is_none)).then(|| outgoing(site));
                let notes = notes
                    .into_iter()
                    .enumerate()
                    .map(|(i, note)| {
                        note.unwrap_or_else(|| {
                            let targets = targets.as_ref().map_or(&[][..], |t| &t[i]);
                            NoteSeen::of(site, i, revs[i], targets)
                        })
                    })
                    .collect();
                Seen {
                    config: seen.config,
                    style: seen.style,
                    order: site.bibliography_order.clone(),
                    notes,
                }
            }
            _ => {
                let targets = outgoing(site);
                let notes = (0..site.notes.len())
                    .into_par_iter()
                    .map(|i| NoteSeen::of(site, i, revs[i], &targets[i]))
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

/// The previous build's index of each note (matched by path, kind and key) and the reverse;
/// `(None, None)` when the notes are the same, in the same order.
#[allow(clippy::type_complexity)]
fn matching(seen: &Seen, site: &Site) -> (Option<Vec<Option<usize>>>, Option<Vec<Option<usize>>>) {
    let same = |s: &NoteSeen, n: &Note| s.path == n.path && s.kind == n.kind && s.key == n.key;
    if seen.notes.len() == site.notes.len()
        && seen.notes.iter().zip(&site.notes).all(|(s, n)| same(s, n))
    {
        return (None, None);
    }
    let by_path: HashMap<&str, usize> = seen
        .notes
        .iter()
        .enumerate()
        .map(|(o, s)| (s.path.as_str(), o))
        .collect();
    let old_of: Vec<Option<usize>> = site
        .notes
        .iter()
        .map(|n| {
            by_path
                .get(n.path.as_str())
                .copied()
                .filter(|&o| same(&seen.notes[o], n))
        })
        .collect();
    let new_of = new_of(&old_of, seen.notes.len());
    (Some(old_of), Some(new_of))
}

/// The reverse of `old_of`: each old note's index now, if it is still there.
fn new_of(old_of: &[Option<usize>], old_len: usize) -> Vec<Option<usize>> {
    let mut new_of = vec![None; old_len];
    for (j, o) in old_of.iter().enumerate() {
        if let Some(o) = o {
            new_of[*o] = Some(j);
        }
    }
    new_of
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

/// Writes what the passage of each backlink reads but the note's citations and links (compared
/// as a whole, see [`NoteSeen::citations`]): the part of its context the passage is cut from,
/// in which each citation appears as its index, whether the context goes on beyond it, where
/// its reference starts in it, and the index of the citation it highlights. Only that part:
/// hashing the whole context for each backlink would cost a paragraph of many references its
/// size once for every note it cites.
fn passages<'a>(site: &Site, links: impl Iterator<Item = &'a Backlink>, f: &mut Fingerprint) {
    for b in links {
        let (window, at) = backlink_window(site, b);
        let text = window.text;
        let highlight = b.citation.map_or(u64::MAX, |c| c as u64);
        let link = b.link.map_or(u64::MAX, |l| l as u64);
        f.write_all(&(text.len() as u64).to_le_bytes()).ok();
        f.write_all(&(at as u64).to_le_bytes()).ok();
        f.write_all(&[u8::from(window.cut_before), u8::from(window.cut_after)])
            .ok();
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
