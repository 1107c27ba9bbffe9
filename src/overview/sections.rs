//! Which of the review's sections a site has: a vault of linked notes has no themes, sources,
//! bibliography, matrix or timeline, and gets neither their pages nor links to them (the
//! navigation, the home page and the footer show what exists).

use serde::Serialize;

use crate::graph::Site;
use crate::note::NoteKind;

/// The sections a site has, for the templates (`site.sections`) and the list of pages.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sections {
    /// Theme notes: the list of themes.
    pub(crate) themes: bool,
    /// Sources (notes or a bibliography file's entries): their list, the bibliography and
    /// the exports.
    pub(crate) sources: bool,
    /// Themes and sources both: the synthesis matrix crosses them.
    pub(crate) matrix: bool,
    /// Sources or dated events: the timeline.
    pub(crate) timeline: bool,
    /// Citations between notes.
    pub(crate) citations: bool,
    /// Links between notes.
    pub(crate) links: bool,
    /// Something to draw: sources or themes, or a citation or link between notes.
    pub(crate) graph: bool,
    /// Tags.
    pub(crate) tags: bool,
}

impl Sections {
    pub(crate) fn of(site: &Site) -> Sections {
        let themes = site.notes.iter().any(|n| n.kind == NoteKind::Theme);
        let sources = !site.bibliography_order.is_empty();
        let citations = (0..site.notes.len()).any(|i| site.cites[i].iter().any(|&t| t != i));
        let links = (0..site.notes.len()).any(|i| site.linked_from[i].iter().any(|b| b.from != i));
        Sections {
            themes,
            sources,
            matrix: themes && sources,
            timeline: sources || site.notes.iter().any(|n| !n.events.is_empty()),
            citations,
            links,
            graph: themes || sources || citations || links,
            tags: !site.tags.is_empty(),
        }
    }
}
