//! Preview cards: for each page, the notes it links to (citations, wikilinks, theme tags), each
//! as a small card (a source's short form, reference, themes and first words; a theme's or
//! page's summary or first words), embedded in the page as JSON. Only what the page links to is
//! embedded, so the data grows with the page, not with the site, and needs no request.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::jobs::is_theme;
use super::passages::marked_words;
use super::reads::{Around, Marks, Part, Parts, Shown, shows, tagged_with};
use super::views::{Views, kind_name};
use crate::bib::Reference;
use crate::graph::Site;
use crate::note::NoteKind;

/// How many words of a note a card shows.
const PREVIEW_WORDS: usize = 40;

/// One card.
#[derive(Serialize)]
pub(super) struct Preview {
    kind: &'static str,
    title: String,
    /// A source's in-text form, `Jabeen (2009)`.
    #[serde(skip_serializing_if = "String::is_empty")]
    short: String,
    /// A source's reference in the site's style, as HTML.
    #[serde(skip_serializing_if = "String::is_empty")]
    reference: String,
    /// The titles of a source's themes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    themes: Vec<String>,
    /// The summary, else the first words of the note, as plain text.
    text: String,
}

shows!(Preview {
    kind: Key,
    title: Title,
    short: Reference,
    reference: Reference,
    themes: Tags,
    text: Preview,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    // On the pages linking to it: citing it, linking to it, tagged with it.
    let site = around.site;
    for b in site.cited_by[j].iter().chain(&site.linked_from[j]) {
        marks.page(b.from);
    }
    for t in tagged_with(site, j) {
        marks.page(t);
    }
});

/// A theme's title where its notes show it: their cards' themes and the themes their pages are
/// filed under in the search index (their tags are [`TagView`](super::entries::TagView)s).
pub(super) struct ThemeName;

impl Shown for ThemeName {
    const PARTS: Parts = Parts::of(&[Part::Title]);

    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks) {
        if around.site.notes[j].kind != NoteKind::Theme {
            return;
        }
        for t in tagged_with(around.site, j) {
            marks.page(t);
            Preview::shown_on(around, t, marks);
        }
    }
}

impl Views<'_> {
    /// The notes whose pages note `i`'s page links to from its text or its tags.
    pub(super) fn linked_notes(&self, i: usize) -> BTreeSet<usize> {
        let site = self.site;
        let mut targets: BTreeSet<usize> = site.cites[i].iter().copied().collect();
        targets.extend(
            site.scans[i]
                .links
                .iter()
                .filter_map(|l| site.target_of(&l.target, i).ok()),
        );
        targets.extend(
            site.notes[i]
                .tags
                .iter()
                .filter(|t| is_theme(site, &t.slug))
                .map(|t| site.by_key[t.slug.as_str()]),
        );
        targets.remove(&i);
        targets
    }

    /// The cards of the notes note `i` links to, by URL path, as JSON safe inside `<script>`;
    /// "" when there are none.
    pub(super) fn previews_json(&self, i: usize) -> String {
        let cards: BTreeMap<String, Preview> = self
            .linked_notes(i)
            .into_iter()
            .map(|t| (self.site.url_of(t), self.preview(t)))
            .collect();
        if cards.is_empty() {
            return String::new();
        }
        serde_json::to_string(&cards)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    }

    fn preview(&self, t: usize) -> Preview {
        let site = self.site;
        let note = &site.notes[t];
        let reference = site.references.get(&note.key);
        let text = preview_text(site, t);
        Preview {
            kind: kind_name(note.kind),
            title: note.title.clone(),
            short: reference.map(Reference::short).unwrap_or_default(),
            reference: reference.map(|r| r.html.clone()).unwrap_or_default(),
            themes: note
                .tags
                .iter()
                .filter(|tag| is_theme(site, &tag.slug))
                .map(|tag| site.notes[site.by_key[tag.slug.as_str()]].title.clone())
                .collect(),
            text,
        }
    }
}

/// The text of note `t`'s card: a theme's or page's summary, else the note's first words (a
/// source's summary is shown by its reference instead): its [`Part::Preview`].
pub(crate) fn preview_text(site: &Site, t: usize) -> String {
    let note = &site.notes[t];
    match &note.summary {
        Some(summary) if note.kind != NoteKind::Source => summary.clone(),
        _ => marked_words(site, t, &site.scans[t].lead, PREVIEW_WORDS),
    }
}
