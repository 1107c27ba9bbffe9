//! Resolving what every note refers to: citations to sources, event citations, wikilinks,
//! `.md` links and embeds to notes, anchors to headings and blocks; the backlinks they make; and
//! a diagnostic, located in the referring note, for each that finds nothing.

use super::excluded::Missing;
use super::links::Found;
use super::{Backlink, Site};
use crate::cite::CiteMode;
use crate::error::{Diagnostic, Level};
use crate::markdown::{LinkRef, LinkTarget};
use crate::note::NoteKind;
use crate::suggest::{Names, closest};

/// Why a link finds no note to point to.
pub(crate) enum Unlinked {
    /// Nothing of that name, or a note left out of the build.
    Missing,
}

/// The families of warnings a vault has by the hundred, each summed up in one line (see
/// [`crate::error::summarise`]): what Obsidian shows as unresolved.
pub(super) const NO_NOTE: &str =
    "links point to no note (each is shown as an unresolved link, as Obsidian shows it)";
const NO_ANCHOR: &str =
    "links name a heading or block their note does not have (each opens the note)";
const SEVERAL: &str = "links name several notes of one name (each goes to the one Obsidian opens)";
const UNPUBLISHED: &str =
    "references point to notes that are not published (each is shown as its text)";
const NEAR_KEY: &str =
    "`@words` look like citation keys but name no source (each is shown as written)";

/// What a reference that finds no note finds instead.
enum Absence {
    /// Nothing of that name.
    Absent,
    /// A note that did not parse (reported already).
    Reported,
    /// A note left out of the build: the warning saying so.
    LeftOut(Diagnostic),
}

impl Site {
    /// The note a link or embed in note `from` points to (among several of its name, the one
    /// Obsidian opens).
    pub(crate) fn target_of(&self, target: &LinkTarget, from: usize) -> Result<usize, Unlinked> {
        self.find_link(target, from).note().ok_or(Unlinked::Missing)
    }

    /// What a link or embed in note `from` names.
    fn find_link(&self, target: &LinkTarget, from: usize) -> Found {
        match target {
            LinkTarget::File(f) => match self.by_file.get(f.as_str()) {
                Some(&i) => Found::One(i),
                None => Found::None,
            },
            LinkTarget::Key(k) => self.names.find(&self.notes, k, from),
        }
    }

    /// What a reference (`what`, written at `at`) to `name`, a key or a file, that found no
    /// published note finds: nothing, a note that did not parse, or an unpublished or ignored
    /// note, which the page shows as text, with a warning naming it.
    fn absence(&self, at: (&str, usize, usize), what: &str, name: &str) -> Absence {
        let (path, line, col) = at;
        let message = match self.excluded.why_missing(name) {
            Missing::Unparsed => return Absence::Reported,
            Missing::Absent => return Absence::Absent,
            Missing::Unpublished(target, why) => format!(
                "{what} points to {target}, which {why}: the page shows it as text; publish that note or remove the reference"
            ),
            Missing::Ignored(rel) => format!(
                "{what} points to {}, which the ignore patterns leave out (site.yaml's `ignore:` or .glossignore): the page shows it as text",
                self.note_path(&rel)
            ),
        };
        Absence::LeftOut(Diagnostic::warning(path, line, col, message).in_family(UNPUBLISHED))
    }

    /// Resolves every note's citations, event citations and links: the backlinks they make,
    /// the sources each note cites, and a diagnostic for each that finds nothing.
    pub(super) fn link_references(&mut self) {
        let source_keys = Names::new(self.references.keys().map(String::as_str));
        let note_keys = Names::new(self.by_key.keys().map(String::as_str));
        let names = Suggest {
            sources: &source_keys,
            notes: &note_keys,
        };
        let mut diags = Vec::new();
        // Taken out while they are filled in, as the site is read to fill them.
        let mut cited_by = std::mem::take(&mut self.cited_by);
        let mut linked_from = std::mem::take(&mut self.linked_from);
        let mut cites = std::mem::take(&mut self.cites);
        for (from, cited) in cites.iter_mut().enumerate() {
            *cited = self.cite_sources(from, &names, &mut cited_by, &mut diags);
            self.check_event_citations(from, &names, &mut diags);
            self.link_notes(from, &names, &mut linked_from, &mut diags);
        }
        for list in cited_by.iter_mut().chain(linked_from.iter_mut()) {
            list.sort();
            list.dedup_by(|a, b| a.from == b.from && a.context == b.context);
        }
        self.cited_by = cited_by;
        self.linked_from = linked_from;
        self.cites = cites;
        self.diagnostics.extend(diags);
    }

    /// Note `from`'s citations: a backlink on each source cited, a diagnostic for each key that
    /// is no source; returns the distinct sources cited, sorted. A bracketed `[@key]` is a
    /// citation whatever it names, an error when its key is no source; a bare `@word` is one
    /// only when a source has that key, and otherwise text (`@Transactional`, `@wikipedia.org`),
    /// worth a warning only when it is close to a key.
    fn cite_sources(
        &self,
        from: usize,
        names: &Suggest<'_>,
        cited_by: &mut [Vec<Backlink>],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let path = &self.notes[from].path;
        let mut cited = Vec::new();
        for (ci, cite) in self.scans[from].citations.iter().enumerate() {
            let bare = cite.citation.mode == CiteMode::Narrative;
            for item in &cite.citation.items {
                if let Some(target) = self.source_of(&item.key) {
                    cited.push(target);
                    cited_by[target].push(Backlink {
                        from,
                        context: cite.context,
                        citation: Some(ci),
                        link: None,
                    });
                    continue;
                }
                let at = (path.as_str(), cite.line, cite.col);
                let what = format!("citation key `{}`", item.key);
                let near = || names.sources.closest(&item.key);
                match self.absence(at, &what, &item.key) {
                    Absence::Reported => {}
                    Absence::LeftOut(d) => diags.push(d),
                    Absence::Absent if bare => diags.extend(near().map(|k| {
                        Diagnostic::warning(
                            at.0,
                            at.1,
                            at.2,
                            format!(
                                "`@{}` names no source, so it is shown as written: did you mean @{k}?",
                                item.key
                            ),
                        )
                        .in_family(NEAR_KEY)
                    })),
                    Absence::Absent => {
                        let hint = near().map_or_else(
                            || {
                                format!(
                                    ": add {}, or name your library in site.yaml's `bibliography:`",
                                    self.note_path(&format!("sources/{}.md", item.key))
                                )
                            },
                            |k| format!(": did you mean {k}?"),
                        );
                        diags.push(Diagnostic::new(
                            self.citation_level(),
                            at.0,
                            at.1,
                            at.2,
                            format!("{what} has no source note{hint}"),
                        ));
                    }
                }
            }
        }
        cited.sort_unstable();
        cited.dedup();
        cited
    }

    /// How serious a citation of a key that is no source is: an error, unless the site asks
    /// to be lenient (`strict: false`), where it is a warning and shown as written.
    fn citation_level(&self) -> Level {
        match self.config.strict {
            Some(false) => Level::Warning,
            _ => Level::Error,
        }
    }

    /// The note of source `key`, if it is one.
    pub(crate) fn source_of(&self, key: &str) -> Option<usize> {
        self.by_key
            .get(key)
            .copied()
            .filter(|&t| self.notes[t].kind == NoteKind::Source)
    }

    /// The keys note `from`'s dated events cite must be sources.
    fn check_event_citations(&self, from: usize, names: &Suggest<'_>, diags: &mut Vec<Diagnostic>) {
        let path = &self.notes[from].path;
        for event in &self.notes[from].events {
            for key in event.cites.iter().filter(|k| self.source_of(k).is_none()) {
                let what = format!("event \"{}\" cites `{key}`, which", event.title);
                match self.absence((path, event.line, 1), &what, key) {
                    Absence::Reported => {}
                    Absence::LeftOut(d) => diags.push(d),
                    Absence::Absent => {
                        let hint = names
                            .sources
                            .closest(key)
                            .map(|k| format!(": did you mean {k}?"))
                            .unwrap_or_default();
                        diags.push(Diagnostic::new(
                            self.citation_level(),
                            path,
                            event.line,
                            1,
                            format!("{what} has no source note{hint}"),
                        ));
                    }
                }
            }
        }
    }

    /// Note `from`'s links and embeds: a backlink on each note linked (but itself), a warning
    /// for each that names no note, several, or an anchor its note does not have.
    fn link_notes(
        &self,
        from: usize,
        names: &Suggest<'_>,
        linked_from: &mut [Vec<Backlink>],
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = &self.notes[from].path;
        for (li, link) in self.scans[from].links.iter().enumerate() {
            let found = self.find_link(&link.target, from);
            if let Found::Several(target, many) = &found {
                diags.push(self.several(from, link, *target, many));
            }
            let Some(target) = found.note() else {
                let (LinkTarget::Key(name) | LinkTarget::File(name)) = &link.target;
                let what = describe(link);
                let at = (path.as_str(), link.line, link.col);
                match self.absence(at, &what, name) {
                    Absence::Reported => {}
                    Absence::LeftOut(d) => diags.push(d),
                    Absence::Absent => {
                        let message = match &link.target {
                            LinkTarget::Key(k) => {
                                let hint = names
                                    .notes
                                    .closest(k)
                                    .map(|s| format!(": did you mean [[{s}]]?"))
                                    .unwrap_or_default();
                                format!("{what} points to no note{hint}")
                            }
                            LinkTarget::File(_) => {
                                format!("{what} points to no file in {}", self.content_name)
                            }
                        };
                        diags.push(
                            Diagnostic::warning(at.0, at.1, at.2, message).in_family(NO_NOTE),
                        );
                    }
                }
                continue;
            };
            diags.extend(self.check_anchor(from, link, target));
            if target != from {
                linked_from[target].push(Backlink {
                    from,
                    context: link.context,
                    citation: None,
                    link: Some(li),
                });
            }
        }
    }

    /// The warning for a link that names several notes, saying which one it goes to.
    fn several(&self, from: usize, link: &LinkRef, target: usize, many: &[usize]) -> Diagnostic {
        let others: Vec<&str> = many
            .iter()
            .filter(|&&i| i != target)
            .map(|&i| self.notes[i].path.as_str())
            .collect();
        Diagnostic::warning(
            &self.notes[from].path,
            link.line,
            link.col,
            format!(
                "{} names several notes: it goes to {}, as Obsidian does (also {}); write the folder to choose, e.g. [[{}]]",
                describe(link),
                self.notes[target].path,
                others.join(", "),
                self.notes[target].rel.trim_end_matches(".md")
            ),
        )
        .in_family(SEVERAL)
    }

    /// A link's `#anchor` should name a heading or a block of its target; one that does not
    /// opens the note, as in Obsidian, with a warning.
    fn check_anchor(&self, from: usize, link: &LinkRef, target: usize) -> Option<Diagnostic> {
        let anchor = link.anchor.as_deref().filter(|a| !a.is_empty())?;
        if self.anchor_id(target, anchor).is_some() {
            return None;
        }
        let scan = &self.scans[target];
        let known = scan.heading_ids.iter().chain(&scan.block_ids);
        let last = anchor.rsplit('#').next().unwrap_or(anchor);
        let hint = closest(last, known.map(String::as_str))
            .map(|s| format!(": did you mean #{s}?"))
            .unwrap_or_default();
        let what = if anchor.starts_with('^') {
            "block"
        } else {
            "heading"
        };
        Some(
            Diagnostic::warning(
                &self.notes[from].path,
                link.line,
                link.col,
                format!(
                    "{} has no {what} `#{anchor}`, so the link opens the note{hint}",
                    self.notes[target].path
                ),
            )
            .in_family(NO_ANCHOR),
        )
    }
}

/// The names suggestions are drawn from, prepared once for the whole site.
struct Suggest<'a> {
    sources: &'a Names<'a>,
    notes: &'a Names<'a>,
}

/// `wikilink [[x]]`, `embed ![[x]]` or ``link to `x.md` `` for messages.
fn describe(link: &LinkRef) -> String {
    match (&link.target, link.embed) {
        (LinkTarget::Key(k), false) => format!("wikilink [[{k}]]"),
        (LinkTarget::Key(k), true) => format!("embed ![[{k}]]"),
        (LinkTarget::File(f), _) => format!("link to `{f}`"),
    }
}
