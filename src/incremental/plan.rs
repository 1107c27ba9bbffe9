//! Which pages a `gloss serve` build can have changed, decided from what changed in the notes
//! since the build whose pages the cache holds, so that the other pages are reused without even
//! building their template input.
//!
//! What a page reads of other notes is declared beside the views that show it
//! ([`crate::render::reads`]: each view names the [`Part`]s of its note it shows and the pages it
//! is shown on). The plan keeps a [`Record`] of every note's parts, compares it with the note in
//! the next build, and for every part that changed marks the pages of the views showing it; a
//! note's own page reads all of it. Besides the parts, it follows what moves between notes: the
//! pages that show a note's passages (compared page by page), the works it cites (whose counts
//! change) and its tags (whose counts and theme pages change).
//!
//! Notes added, removed or renamed are matched to the previous build's by path, and a note whose
//! text did not change is still compared when what its references resolve to changed (a new
//! alias, a note gone). Only a change of `site.yaml` or of the citation style (a `.csl` file),
//! and, in a CSL style, a header change, a note added, removed or renamed or the sources' order
//! moved (a numeric style's numbers), make a *full* plan: every page's input is built and
//! compared, as on the first build. Template changes are handled by the
//! [`RenderMemo`](super::RenderMemo), which then has no page to reuse.

use std::collections::HashMap;

use rayon::prelude::*;

use super::record::{Record, preview};
use crate::bib::CitationStyle;
use crate::config::Config;
use crate::graph::Site;
use crate::note::{Note, NoteKind};
use crate::render::VIEWS;
use crate::render::reads::{Around, Marks, Part, Parts, outgoing};

/// The notes and configuration the cached pages, BibTeX entries and extra files were built from.
pub(super) struct Seen {
    config: Config,
    /// The citation style (a `.csl` file may change while site.yaml does not).
    style: CitationStyle,
    /// The reference list's order, which is a numeric style's numbering: a citation added to a
    /// body can renumber sources on every page.
    order: Vec<String>,
    notes: Vec<Record>,
}

/// The pages one build must check.
#[derive(Default)]
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
    /// The notes whose record is new (changed, added, or whose references or preview now
    /// resolve differently), with it.
    fresh: Vec<(usize, Record)>,
    /// Notes whose preview text may read a note that changed (see [`Marks::preview`]).
    near: Vec<usize>,
}

impl Marks for Plan {
    fn page(&mut self, i: usize) {
        self.notes[i] = true;
    }

    fn listings(&mut self) {
        self.listings = true;
    }

    fn feed(&mut self) {
        self.feed = true;
    }

    fn sources(&mut self) {
        self.sources = true;
    }

    fn preview(&mut self, i: usize) {
        self.near.push(i);
    }
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
        let Some(seen) = seen else {
            return Plan::full("first build");
        };
        if let Some(why) = must_check_all(seen, site, revs) {
            return Plan::full(why);
        }
        let n = site.notes.len();
        let (old_of, new_of) = matching(seen, site);
        let targets = outgoing(site);
        let around = Around {
            site,
            targets: &targets,
        };
        let mut plan = Plan {
            notes: vec![false; n],
            ..Plan::default()
        };
        if let Some(new_of) = &new_of {
            for (o, gone) in seen.notes.iter().enumerate() {
                if new_of[o].is_none() {
                    plan.removed(&around, gone, new_of);
                }
            }
        }
        for j in 0..n {
            let old = old_of.as_ref().map_or(Some(j), |m| m[j]);
            let Some(old) = old.map(|o| &seen.notes[o]) else {
                plan.added(&around, j, revs[j]);
                continue;
            };
            // The same text: what its references resolve to may still have changed (an alias
            // added, a note gone or added, a name now meaning another note).
            let same =
                old.rev == revs[j] && old.points_at(new_of.as_deref(), &targets[j], &site.cites[j]);
            if !same {
                let mut old = old.clone();
                if let Some(new_of) = &new_of {
                    old.renumber(new_of);
                }
                plan.changed(&around, j, &old, revs[j]);
            }
        }
        for key in references {
            if let Some(&s) = site.by_key.get(key) {
                plan.shown(&around, s, Parts::of(&[Part::Reference]));
            }
        }
        plan.compare_previews(&around, seen, old_of.as_deref(), revs);
        plan.old_of = old_of;
        plan
    }

    fn full(why: &'static str) -> Plan {
        Plan {
            full: Some(why),
            ..Plan::default()
        }
    }

    /// Marks note `j`'s page and every page showing one of `parts` of it.
    fn shown(&mut self, around: &Around<'_>, j: usize, parts: Parts) {
        self.notes[j] = true;
        for view in VIEWS.iter().chain(crate::extras::VIEWS) {
            if view.parts.meets(parts) {
                (view.shown_on)(around, j, self);
            }
        }
    }

    /// Note `j` is new: everything that shows any part of it, and the counts of what it cites
    /// and of its tags.
    fn added(&mut self, around: &Around<'_>, j: usize, rev: u64) {
        let site = around.site;
        self.shown(around, j, Parts::ALL);
        for &t in &site.cites[j] {
            self.shown(around, t, Parts::of(&[Part::CitedBy]));
        }
        for tag in &site.notes[j].tags {
            self.tag_count_changed(around, &tag.slug);
        }
        self.fresh
            .push((j, Record::of(site, j, rev, &around.targets[j])));
    }

    /// Note `gone` is no longer there (`new_of`: each old note's index now): the pages that
    /// showed its passages, the counts of what it cited and of its tags. The notes citing or
    /// linking to it resolve differently now, which [`Record::points_at`] finds.
    fn removed(&mut self, around: &Around<'_>, gone: &Record, new_of: &[Option<usize>]) {
        self.listings = true;
        self.feed = true;
        self.sources |= gone.kind == NoteKind::Source;
        for t in gone.refs.iter().filter_map(|r| new_of[r.0]) {
            self.notes[t] = true;
        }
        for t in gone.cites.iter().filter_map(|&c| new_of[c]) {
            self.shown(around, t, Parts::of(&[Part::CitedBy]));
        }
        for tag in &gone.header.tags {
            self.tag_count_changed(around, tag);
        }
    }

    /// Note `j`'s text changed, or what its references resolve to: `old` is its record (in the
    /// next build's numbering).
    fn changed(&mut self, around: &Around<'_>, j: usize, old: &Record, rev: u64) {
        let site = around.site;
        let new = Record::of(site, j, rev, &around.targets[j]);
        self.shown(around, j, old.diff(&new));
        for t in old.passages_changed(&new) {
            self.notes[t] = true;
        }
        let gained = new.cites.iter().filter(|t| !old.cites.contains(t));
        let lost = old.cites.iter().filter(|t| !new.cites.contains(t));
        for &t in gained.chain(lost) {
            self.shown(around, t, Parts::of(&[Part::CitedBy]));
        }
        let (was, is) = (&old.header.tags, &new.header.tags);
        let gained = is.iter().filter(|t| !was.contains(t));
        let lost = was.iter().filter(|t| !is.contains(t));
        for tag in gained.chain(lost) {
            self.tag_count_changed(around, tag);
            // The theme it left no longer lists it.
            if let Some(&t) = site.by_key.get(tag) {
                self.notes[t] = true;
            }
        }
        self.fresh.push((j, new));
    }

    /// A note gained or lost `tag`: the pages showing the tag show how many notes carry it
    /// (the notes carrying it, the tags index), and so do the views of its theme.
    fn tag_count_changed(&mut self, around: &Around<'_>, tag: &str) {
        let site = around.site;
        self.listings = true;
        for &t in site.tags.get(tag).map_or(&[][..], Vec::as_slice) {
            self.notes[t] = true;
        }
        if let Some(&t) = site.by_key.get(tag) {
            self.shown(around, t, Parts::of(&[Part::Tagged]));
        }
    }

    /// The notes whose preview text reads a note that changed ([`Marks::preview`]): those whose
    /// text now reads differently show a changed [`Part::Preview`].
    fn compare_previews(
        &mut self,
        around: &Around<'_>,
        seen: &Seen,
        old_of: Option<&[Option<usize>]>,
        revs: &[u64],
    ) {
        let mut near = std::mem::take(&mut self.near);
        near.sort_unstable();
        near.dedup();
        let mut fresh = vec![false; around.site.notes.len()];
        for (i, _) in &self.fresh {
            fresh[*i] = true;
        }
        for i in near.into_iter().filter(|&i| !fresh[i]) {
            let Some(old) = old_of.map_or(Some(i), |m| m[i]).map(|o| &seen.notes[o]) else {
                continue;
            };
            if old.preview != preview(around.site, i) {
                self.shown(around, i, Parts::of(&[Part::Preview]));
                let record = Record::of(around.site, i, revs[i], &around.targets[i]);
                self.fresh.push((i, record));
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
        let notes = match seen {
            Some(seen) if self.full.is_none() => {
                let mut notes: Vec<Option<Record>> = match &self.old_of {
                    None => seen.notes.into_iter().map(Some).collect(),
                    Some(old_of) => {
                        let new_of = new_of(old_of, seen.notes.len());
                        let mut now: Vec<Option<Record>> = vec![None; old_of.len()];
                        for (o, mut note) in seen.notes.into_iter().enumerate() {
                            if let Some(j) = new_of[o] {
                                note.renumber(&new_of);
                                now[j] = Some(note);
                            }
                        }
                        now
                    }
                };
                for (i, record) in self.fresh {
                    notes[i] = Some(record);
                }
                // Every note is either matched to the previous build's or added, and so fresh.
                notes.into_iter().flatten().collect()
            }
            _ => {
                let targets = outgoing(site);
                (0..site.notes.len())
                    .into_par_iter()
                    .map(|i| Record::of(site, i, revs[i], &targets[i]))
                    .collect()
            }
        };
        Seen {
            config: site.config.clone(),
            style: site.style.clone(),
            order: site.bibliography_order.clone(),
            notes,
        }
    }
}

/// Why every page's input must be built and compared, if it must: the configuration or style
/// changed, or, in a CSL style, the notes' headers, set or order (see the module's comment).
fn must_check_all(seen: &Seen, site: &Site, revs: &[u64]) -> Option<&'static str> {
    if seen.config != site.config {
        return Some("site.yaml changed");
    }
    if revs.len() != site.notes.len() {
        return Some("notes not read");
    }
    if seen.style != site.style {
        return Some("the citation style changed");
    }
    // A CSL style's references are made for all the citations of a build (numbers, names told
    // apart across clusters): the plan follows APA's clusters only.
    if site.style == CitationStyle::Apa {
        return None;
    }
    if seen.order != site.bibliography_order {
        return Some("the sources' order or numbers changed");
    }
    let same_notes = seen.notes.len() == site.notes.len()
        && seen
            .notes
            .iter()
            .zip(&site.notes)
            .all(|(s, n)| s.path == n.path && s.kind == n.kind && s.key == n.key);
    if !same_notes {
        return Some("notes added, removed or renamed");
    }
    let header_changed = (0..revs.len())
        .any(|i| seen.notes[i].rev != revs[i] && seen.notes[i].header_changed(site, i));
    header_changed.then_some("a title, tag or bibliographic field changed")
}

/// The previous build's index of each note (matched by path, kind and key) and the reverse;
/// `(None, None)` when the notes are the same, in the same order.
#[allow(clippy::type_complexity)]
fn matching(seen: &Seen, site: &Site) -> (Option<Vec<Option<usize>>>, Option<Vec<Option<usize>>>) {
    let same = |s: &Record, n: &Note| s.path == n.path && s.kind == n.kind && s.key == n.key;
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

#[cfg(test)]
mod tests;
