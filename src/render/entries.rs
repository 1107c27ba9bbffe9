//! The small records many pages list: a tag (titled by its theme when it names one), an entry
//! of the bibliography, and the entries under one letter; each with what it shows.

use serde::Serialize;

use super::reads::{Around, Marks, shows, tagged_with};

/// A tag, titled by its theme if it names one.
#[derive(Serialize)]
pub(crate) struct TagView {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) count: usize,
}

shows!(TagView {
    slug: Key,
    title: Title,
    url: Key,
    count: Tagged,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    // On the notes tagged with it, the tags index and the bibliography's entries.
    marks.listings();
    for t in tagged_with(around.site, j) {
        marks.page(t);
    }
});

/// One entry of the bibliography.
#[derive(Serialize)]
pub(crate) struct BibEntryView {
    pub(super) key: String,
    pub(super) url: String,
    pub(super) reference: String,
    pub(super) entry_type: &'static str,
    pub(super) decade: String,
    pub(super) themes: Vec<TagView>,
    pub(super) cited_count: usize,
    /// Whether the source's note says anything beside its reference.
    pub(super) annotated: bool,
}

shows!(BibEntryView {
    key: Key,
    url: Key,
    reference: Reference,
    entry_type: Fields,
    decade: Year,
    themes: Tags,
    cited_count: CitedBy,
    annotated: Annotated,
} on |_, _, marks: &mut dyn Marks| marks.listings());

/// The entries under one letter.
#[derive(Serialize)]
pub(crate) struct LetterView {
    pub(super) letter: String,
    /// The heading's id: `letter-A`, or `letter-other` for `#`.
    pub(super) anchor: String,
    pub(super) entries: Vec<BibEntryView>,
}
