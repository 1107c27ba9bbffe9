//! What a page reads of the notes that are not its own, declared beside the views that show
//! them, for `gloss serve`'s plan ([`crate::incremental`]): the plan compares the two builds'
//! notes [`Part`] by part and checks only the pages that show a part that changed.
//!
//! A note's own page reads all of it. Elsewhere a note shows through *views*: a listing's link
//! ([`NoteLink`](super::views::NoteLink)), a backlink, a reference-list entry, a preview card, a
//! node of a local graph, a mention in another note's text, a feed entry… Each view declares,
//! with [`shows!`], which part of its note every one of its fields shows (the fields are listed
//! without `..`: a field added to a view does not compile until it says what it shows), and
//! where the view is shown ([`Shown::shown_on`]). [`super::VIEWS`] lists them; the plan calls
//! `shown_on` of every view that shows a changed part.

use crate::graph::Site;
use crate::note::NoteKind;

/// A part of a note that pages other than its own show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Its path, kind and key (and so its URL): the same for a note matched across builds.
    Key,
    Title,
    /// Its tags' slugs.
    Tags,
    /// Aliases, weight, draft, a source's bibliographic fields.
    Fields,
    /// A source's year (a theme's sparkline spans the years of the whole site).
    Year,
    /// Whether it has text beside its title (the bibliography links "Annotation" or "Source page").
    Annotated,
    /// Its formatted reference and in-text forms, if a source.
    Reference,
    /// How many other notes cite it.
    CitedBy,
    /// How many notes carry its slug as a tag (a theme).
    Tagged,
    /// The works it cites.
    Cites,
    /// How often it cites each work (the matrix).
    CiteCounts,
    /// The notes it cites or links to (the graph's lines, the links counted on the home page).
    Links,
    /// Its dated events (the timeline).
    Events,
    /// Its summary, date and updated (the feed).
    Feed,
    /// Its preview text: summary or first words, as shown.
    Preview,
    /// Its backlink passages on the pages it refers to, compared page by page by the plan.
    Passages,
    /// Its body, as embedded and as `#heading` links resolve in it.
    Body,
}

/// A set of [`Part`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Parts(u32);

impl Parts {
    pub(crate) const NONE: Parts = Parts(0);

    pub(crate) const fn of(parts: &[Part]) -> Parts {
        let mut set = 0;
        let mut i = 0;
        while i < parts.len() {
            set |= 1 << parts[i] as u32;
            i += 1;
        }
        Parts(set)
    }

    pub(crate) const ALL: Parts = Parts(u32::MAX);

    pub(crate) fn union(self, other: Parts) -> Parts {
        Parts(self.0 | other.0)
    }

    pub(crate) fn insert(&mut self, part: Part) {
        self.0 |= 1 << part as u32;
    }

    /// Whether the two sets share a part.
    pub(crate) fn meets(self, other: Parts) -> bool {
        self.0 & other.0 != 0
    }
}

/// What a view's [`Shown::shown_on`] tells: the pages and files that show it.
pub(crate) trait Marks {
    /// Note `i`'s page.
    fn page(&mut self, i: usize);
    /// The pages listing the whole review (indexes, tag pages, bibliography, the figures, the
    /// home page's glance).
    fn listings(&mut self);
    /// The feed and sitemap.
    fn feed(&mut self);
    /// The BibTeX entries and exports.
    fn sources(&mut self);
    /// Note `i`'s preview text reads another note that changed: compare it again.
    fn preview(&mut self, i: usize);
}

/// The site a view is shown in, with, for each note, the notes whose pages list it as a
/// backlink ([`outgoing`]).
pub(crate) struct Around<'a> {
    pub(crate) site: &'a Site,
    pub(crate) targets: &'a [Vec<usize>],
}

/// A view of one note shown on pages other than its own.
pub(crate) trait Shown {
    /// The parts of its note that its fields show (see [`shows!`]).
    const PARTS: Parts;
    /// Marks the pages (and files) that show this view of note `j`.
    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks);
}

/// One entry of [`super::VIEWS`].
pub(crate) struct View {
    pub(crate) parts: Parts,
    pub(crate) shown_on: fn(&Around<'_>, usize, &mut dyn Marks),
}

pub(crate) const fn view<V: Shown>() -> View {
    View {
        parts: V::PARTS,
        shown_on: V::shown_on,
    }
}

/// Declares what each field of a view shows of the note it is about, and where the view is shown:
/// `shows!(NoteLink { title: Title, count: CitedBy | Tagged, … } on |around, j, marks| …)`.
/// Every field is named (no `..`), so a field added to the view must be declared here.
macro_rules! shows {
    ($view:ident { $($field:ident: $($part:ident)|+),* $(,)? } on $on:expr) => {
        impl $crate::render::reads::Shown for $view {
            const PARTS: $crate::render::reads::Parts =
                $crate::render::reads::Parts::of(&[$($($crate::render::reads::Part::$part),+),*]);
            fn shown_on(
                around: &$crate::render::reads::Around<'_>,
                j: usize,
                marks: &mut dyn $crate::render::reads::Marks,
            ) {
                let on: fn(&$crate::render::reads::Around<'_>, usize, &mut dyn $crate::render::reads::Marks) = $on;
                on(around, j, marks)
            }
        }
        const _: fn(&$view) = |view| {
            let $view { $($field: _),* } = view;
        };
    };
}
pub(crate) use shows;

/// A note shown in place (`![[note]]`), with its title; `#heading` links into it resolve by its
/// body too.
pub(crate) struct Embedded;

impl Shown for Embedded {
    const PARTS: Parts = Parts::of(&[Part::Body, Part::Title]);

    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks) {
        let site = around.site;
        for e in embedders(site, j) {
            marks.page(e);
        }
        for b in &site.linked_from[j] {
            let anchored = b
                .link
                .and_then(|l| site.scans[b.from].links.get(l))
                .is_some_and(|l| l.anchor.is_some());
            if anchored {
                marks.page(b.from);
            }
        }
    }
}

/// A source's BibTeX entry and CSL-JSON item (`bib::export`).
pub(crate) struct Exported;

impl Shown for Exported {
    const PARTS: Parts = Parts::of(&[Part::Title, Part::Fields, Part::Year]);

    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks) {
        if around.site.notes[j].kind == NoteKind::Source {
            marks.sources();
        }
    }
}

/// For each note, the notes whose pages list it as a backlink (sorted, distinct).
pub(crate) fn outgoing(site: &Site) -> Vec<Vec<usize>> {
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

/// The notes tagged with note `j`'s slug (not itself).
pub(crate) fn tagged_with(site: &Site, j: usize) -> impl Iterator<Item = usize> + '_ {
    site.tags
        .get(&site.notes[j].key)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .copied()
        .filter(move |&t| t != j)
}

/// The pages of the themes note `j` is tagged with.
pub(crate) fn themes_of(site: &Site, j: usize) -> impl Iterator<Item = usize> + '_ {
    site.notes[j]
        .tags
        .iter()
        .filter_map(|t| site.by_key.get(&t.slug).copied())
        .filter(|&t| site.notes[t].kind == NoteKind::Theme)
}

/// Every theme's page.
pub(crate) fn theme_pages(site: &Site, marks: &mut dyn Marks) {
    for (t, note) in site.notes.iter().enumerate() {
        if note.kind == NoteKind::Theme {
            marks.page(t);
        }
    }
}
