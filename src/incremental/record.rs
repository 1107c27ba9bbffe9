//! What the plan remembers of each note between two `gloss serve` builds: the value of every
//! [`Part`] other pages read of it (declared in [`crate::render::reads`]), and what [`Record::diff`]
//! compares to tell which parts changed.

use std::io::Write;

use super::Fingerprint;
use crate::cite::Citation;
use crate::graph::Site;
use crate::markdown::LinkTarget;
use crate::note::{DatedEvent, Note, NoteKind, SourceMeta};
use crate::overview::citation_counts;
use crate::render::reads::{Part, Parts};
use crate::render::{preview_text, write_passages};

/// A note's title, tags and front-matter fields, as other pages show them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Header {
    pub(super) title: String,
    pub(super) tags: Vec<String>,
    aliases: Vec<String>,
    weight: i64,
    draft: bool,
    source: Option<SourceMeta>,
    annotated: bool,
}

impl Header {
    fn of(site: &Site, i: usize) -> Header {
        let note = &site.notes[i];
        Header {
            title: note.title.clone(),
            tags: note.tags.iter().map(|t| t.slug.clone()).collect(),
            aliases: note.aliases.clone(),
            weight: note.weight,
            draft: note.draft,
            source: note.source.clone(),
            annotated: site.has_text(i),
        }
    }
}

/// What the feed shows of a note beside its title.
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

/// A page showing a note's passages, and their fingerprint (see [`write_passages`]).
pub(super) type Reach = (usize, u128);

/// The plan's record of one note.
#[derive(Clone)]
pub(super) struct Record {
    pub(super) path: String,
    pub(super) kind: NoteKind,
    pub(super) key: String,
    /// The revision of its text (see `content`).
    pub(super) rev: u64,
    pub(super) header: Header,
    feed: Feed,
    /// The pages that show its passages ([`Part::Passages`]), in order.
    pub(super) refs: Vec<Reach>,
    /// The works it cites (`Site::cites`).
    pub(super) cites: Vec<usize>,
    cite_counts: Vec<(usize, u32)>,
    events: Vec<DatedEvent>,
    /// Its citations and links' targets, in order: a passage shows the citations whose indices
    /// it holds and a bare `[[key]]` as its target's title.
    citations: Vec<Citation>,
    links: Vec<LinkTarget>,
    /// A fingerprint of its preview text.
    pub(super) preview: u128,
}

impl Record {
    /// Note `i`'s record; `targets` are the notes whose pages show its passages.
    pub(super) fn of(site: &Site, i: usize, rev: u64, targets: &[usize]) -> Record {
        let n = &site.notes[i];
        let scan = &site.scans[i];
        Record {
            path: n.path.clone(),
            kind: n.kind,
            key: n.key.clone(),
            rev,
            header: Header::of(site, i),
            feed: Feed::of(n),
            refs: reach(site, i, targets),
            cites: site.cites[i].clone(),
            cite_counts: citation_counts(site, i).into_iter().collect(),
            events: n.events.clone(),
            citations: scan.citations.iter().map(|c| c.citation.clone()).collect(),
            links: scan.links.iter().map(|l| l.target.clone()).collect(),
            preview: preview(site, i),
        }
    }

    /// The parts of note `new` (this note in the next build) that differ from this record, but
    /// [`Part::Passages`], which [`Record::passages_changed`] compares page by page.
    pub(super) fn diff(&self, new: &Record) -> Parts {
        let Record {
            path: _,
            kind: _,
            key: _,
            rev: _,
            header,
            feed,
            refs,
            cites,
            cite_counts,
            events,
            citations: _,
            links: _,
            preview,
        } = self;
        let mut parts = Parts::NONE;
        // Its text changed, or what its references answer: what it embeds, its headings.
        parts.insert(Part::Body);
        if *header != new.header {
            parts = parts.union(header_diff(header, &new.header));
        }
        for (changed, part) in [
            (*feed != new.feed, Part::Feed),
            (*cites != new.cites, Part::Cites),
            (*cite_counts != new.cite_counts, Part::CiteCounts),
            (*events != new.events, Part::Events),
            (!same_pages(refs, &new.refs), Part::Links),
            (*preview != new.preview, Part::Preview),
        ] {
            if changed {
                parts.insert(part);
            }
        }
        parts
    }

    /// The pages whose passages of this note may differ in `new`: all its old and new pages
    /// when its citations or links changed (any passage may show them), else the pages whose
    /// passages' fingerprint changed, or that gained or lost its passages.
    pub(super) fn passages_changed(&self, new: &Record) -> Vec<usize> {
        let same_targets = self.refs.len() == new.refs.len()
            && self.refs.iter().zip(&new.refs).all(|(a, b)| a.0 == b.0);
        let same = same_targets && self.citations == new.citations && self.links == new.links;
        let old = self.refs.iter().filter(|r| !same || !new.refs.contains(r));
        let now = new.refs.iter().filter(|r| !same || !self.refs.contains(r));
        old.chain(now).map(|r| r.0).collect()
    }

    /// Gives its note indices as they are in the next build (`new_of`: old index → new),
    /// dropping references to notes that are gone.
    pub(super) fn renumber(&mut self, new_of: &[Option<usize>]) {
        self.refs
            .retain_mut(|r| new_of[r.0].map(|t| r.0 = t).is_some());
        self.cites
            .retain_mut(|t| new_of[*t].map(|n| *t = n).is_some());
        self.cite_counts
            .retain_mut(|(t, _)| new_of[*t].map(|n| *t = n).is_some());
    }

    /// Whether its references point at `targets` and cite `cites` (indices of the next build).
    pub(super) fn points_at(
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

    /// Whether note `i`'s title, tags or fields differ from this record's (a CSL style's
    /// references are made for the whole site at once).
    pub(super) fn header_changed(&self, site: &Site, i: usize) -> bool {
        header_diff(&self.header, &Header::of(site, i)).meets(Parts::of(&[
            Part::Title,
            Part::Tags,
            Part::Fields,
            Part::Year,
        ]))
    }
}

/// Whether two lists of the pages a note's passages show on name the same notes: the notes it
/// cites or links to.
fn same_pages(a: &[Reach], b: &[Reach]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0)
}

/// The parts in which two headers differ.
fn header_diff(old: &Header, new: &Header) -> Parts {
    let mut parts = Parts::NONE;
    for (changed, part) in [
        (old.title != new.title, Part::Title),
        (old.tags != new.tags, Part::Tags),
        (
            old.source.as_ref().map(|m| &m.year) != new.source.as_ref().map(|m| &m.year),
            Part::Year,
        ),
        (
            old.aliases != new.aliases
                || old.weight != new.weight
                || old.draft != new.draft
                || old.source != new.source,
            Part::Fields,
        ),
        (old.annotated != new.annotated, Part::Annotated),
    ] {
        if changed {
            parts.insert(part);
        }
    }
    parts
}

/// A fingerprint of note `i`'s preview text ([`Part::Preview`]).
pub(super) fn preview(site: &Site, i: usize) -> u128 {
    let mut f = Fingerprint::new();
    f.write_all(preview_text(site, i).as_bytes()).ok();
    f.finish()
}

/// The pages (`targets`) on which note `from` appears as a backlink, each with a fingerprint of
/// every passage of `from` shown there.
fn reach(site: &Site, from: usize, targets: &[usize]) -> Vec<Reach> {
    targets
        .iter()
        .map(|&t| {
            let mut f = Fingerprint::new();
            write_passages(site, from, t, &mut f);
            (t, f.finish())
        })
        .collect()
}
