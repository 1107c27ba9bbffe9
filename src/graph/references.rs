//! Resolving what every note refers to: citations to sources, event citations, wikilinks,
//! `.md` links and embeds to notes, anchors to headings and blocks; the backlinks they make; and
//! a diagnostic, located in the referring note, for each that finds nothing.

use super::excluded::Missing;
use super::links::Found;
use super::{Backlink, Site};
use crate::error::{Diagnostic, Level};
use crate::html::slugify;
use crate::markdown::{LinkRef, LinkTarget};
use crate::note::NoteKind;
use crate::suggest::closest;

/// Why a link finds no note to point to.
pub(crate) enum Unlinked {
    /// Nothing of that name, or a note left out of the build.
    Missing,
    /// Several notes of that name (their indices).
    Ambiguous(Vec<usize>),
}

impl Site {
    /// The note a link or embed in note `from` points to.
    pub(crate) fn target_of(&self, target: &LinkTarget, from: usize) -> Result<usize, Unlinked> {
        match target {
            LinkTarget::File(f) => self
                .by_file
                .get(f.as_str())
                .copied()
                .ok_or(Unlinked::Missing),
            LinkTarget::Key(k) => match self.names.find(&self.notes, k, from) {
                Found::One(i) => Ok(i),
                Found::Ambiguous(many) => Err(Unlinked::Ambiguous(many)),
                Found::None => Err(Unlinked::Missing),
            },
        }
    }

    /// The id an anchor names in note `target`: a block id (`^abc`), a heading's id, or the
    /// slug of a heading's text (`#Some Heading` → `some-heading`, as Obsidian writes them).
    pub(crate) fn anchor_id(&self, target: usize, anchor: &str) -> Option<String> {
        if let Some(anchors) = &self.anchors[target] {
            if anchor.starts_with('^') {
                return anchors.blocks.get(anchor).cloned();
            }
            return anchors
                .headings
                .get(anchor)
                .or_else(|| anchors.headings.get(&slugify(anchor)))
                .cloned();
        }
        let scan = &self.scans[target];
        if anchor.starts_with('^') {
            return scan
                .block_ids
                .iter()
                .find(|b| b.as_str() == anchor)
                .cloned();
        }
        let ids = &scan.heading_ids;
        ids.iter()
            .find(|h| h.as_str() == anchor)
            .or_else(|| {
                let slug = slugify(anchor);
                ids.iter().find(|h| **h == slug)
            })
            .cloned()
    }

    /// The level of a problem that strict sites make an error (a missing note, an ambiguous
    /// name, a missing heading) and lenient ones (`strict: false`) a warning.
    pub(super) fn strictness(&self) -> Level {
        if self.config.strict {
            Level::Error
        } else {
            Level::Warning
        }
    }

    /// The problem with a reference (`what`, written at `at`) to `name`, a key or a file, that
    /// found no note: `absent()` when there is no such note; nothing when its note did not parse
    /// (that is reported already); otherwise that it points at an unpublished note, naming it
    /// (an error of `gloss build`, a warning in a preview, nothing on a lenient site, where such a
    /// reference is plain text as in Obsidian Publish).
    fn missing(
        &self,
        at: (&str, usize, usize),
        what: &str,
        name: &str,
        absent: impl FnOnce() -> String,
    ) -> Option<Diagnostic> {
        let (path, line, col) = at;
        let message = match self.excluded.why_missing(name) {
            Missing::Unparsed => return None,
            Missing::Absent => {
                return Some(Diagnostic::new(
                    self.strictness(),
                    path,
                    line,
                    col,
                    absent(),
                ));
            }
            Missing::Unpublished(target, why) => format!(
                "{what} points to {target}, which {why}: the published page would link to nothing; publish that note or remove the reference"
            ),
            Missing::Ignored(rel) => format!(
                "{what} points to {}, which the ignore patterns leave out (site.yaml's `ignore:` or .glossignore): the published page would link to nothing",
                self.note_path(&rel)
            ),
        };
        let level = match (self.config.strict, self.preview) {
            (false, _) => return None,
            (true, true) => Level::Warning,
            (true, false) => Level::Error,
        };
        Some(Diagnostic::new(level, path, line, col, message))
    }

    /// Resolves every note's citations, event citations and links: the backlinks they make,
    /// the sources each note cites, and a diagnostic for each that finds nothing.
    pub(super) fn link_references(&mut self) {
        let source_keys: Vec<&str> = self.references.keys().map(String::as_str).collect();
        let mut diags = Vec::new();
        // Taken out while they are filled in, as the site is read to fill them.
        let mut cited_by = std::mem::take(&mut self.cited_by);
        let mut linked_from = std::mem::take(&mut self.linked_from);
        let mut cites = std::mem::take(&mut self.cites);
        for (from, cited) in cites.iter_mut().enumerate() {
            *cited = self.cite_sources(from, &source_keys, &mut cited_by, &mut diags);
            self.check_event_citations(from, &source_keys, &mut diags);
            self.link_notes(from, &mut linked_from, &mut diags);
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
    /// is no source; returns the distinct sources cited, sorted.
    fn cite_sources(
        &self,
        from: usize,
        source_keys: &[&str],
        cited_by: &mut [Vec<Backlink>],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let path = &self.notes[from].path;
        let mut cited = Vec::new();
        for (ci, cite) in self.scans[from].citations.iter().enumerate() {
            for item in &cite.citation.items {
                match self
                    .by_key
                    .get(&item.key)
                    .filter(|&&t| self.notes[t].kind == NoteKind::Source)
                {
                    Some(&target) => {
                        cited.push(target);
                        cited_by[target].push(Backlink {
                            from,
                            context: cite.context,
                            citation: Some(ci),
                            link: None,
                        });
                    }
                    None => {
                        let at = (path.as_str(), cite.line, cite.col);
                        let what = format!("citation key `{}`", item.key);
                        diags.extend(self.missing(at, &what, &item.key, || {
                            let hint = closest(&item.key, source_keys.iter().copied())
                                .map(|k| format!(": did you mean {k}?"))
                                .unwrap_or_else(|| {
                                    format!(
                                        ": add {}, or name your library in site.yaml's `bibliography:`",
                                        self.note_path(&format!("sources/{}.md", item.key))
                                    )
                                });
                            format!("{what} has no source note{hint}")
                        }));
                    }
                }
            }
        }
        cited.sort_unstable();
        cited.dedup();
        cited
    }

    /// The keys note `from`'s dated events cite must be sources.
    fn check_event_citations(
        &self,
        from: usize,
        source_keys: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = &self.notes[from].path;
        for event in &self.notes[from].events {
            for key in &event.cites {
                let is_source = self
                    .by_key
                    .get(key)
                    .is_some_and(|&t| self.notes[t].kind == NoteKind::Source);
                if !is_source {
                    let what = format!("event \"{}\" cites `{key}`, which", event.title);
                    diags.extend(self.missing((path, event.line, 1), &what, key, || {
                        let hint = closest(key, source_keys.iter().copied())
                            .map(|k| format!(": did you mean {k}?"))
                            .unwrap_or_default();
                        format!("{what} has no source note{hint}")
                    }));
                }
            }
        }
    }

    /// Note `from`'s links and embeds: a backlink on each note linked (but itself), a diagnostic
    /// for each that names no note, several, or an anchor its note does not have.
    fn link_notes(
        &self,
        from: usize,
        linked_from: &mut [Vec<Backlink>],
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = &self.notes[from].path;
        for (li, link) in self.scans[from].links.iter().enumerate() {
            match self.target_of(&link.target, from) {
                Ok(target) => {
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
                Err(Unlinked::Ambiguous(many)) => {
                    let names: Vec<&str> =
                        many.iter().map(|&i| self.notes[i].path.as_str()).collect();
                    diags.push(Diagnostic::new(
                        self.strictness(),
                        path,
                        link.line,
                        link.col,
                        format!(
                            "{} is ambiguous: it names {}; write the folder too, e.g. [[{}]]",
                            describe(link),
                            names.join(", "),
                            self.notes[many[0]].rel.trim_end_matches(".md")
                        ),
                    ));
                }
                Err(Unlinked::Missing) => {
                    let (LinkTarget::Key(name) | LinkTarget::File(name)) = &link.target;
                    let what = describe(link);
                    let at = (path.as_str(), link.line, link.col);
                    let absent = || match &link.target {
                        LinkTarget::Key(k) => {
                            let hint = closest(k, self.by_key.keys().map(String::as_str))
                                .map(|s| format!(": did you mean [[{s}]]?"))
                                .unwrap_or_default();
                            format!("{what} points to no note{hint}")
                        }
                        LinkTarget::File(_) => {
                            format!("{what} points to no file in {}", self.content_name)
                        }
                    };
                    diags.extend(self.missing(at, &what, name, absent));
                }
            }
        }
    }

    /// A link's `#anchor` must name a heading or a block of its target.
    fn check_anchor(&self, from: usize, link: &LinkRef, target: usize) -> Option<Diagnostic> {
        let anchor = link.anchor.as_deref().filter(|a| !a.is_empty())?;
        if self.anchor_id(target, anchor).is_some() {
            return None;
        }
        let scan = &self.scans[target];
        let known = scan.heading_ids.iter().chain(&scan.block_ids);
        let hint = closest(anchor, known.map(String::as_str))
            .map(|s| format!(": did you mean #{s}?"))
            .unwrap_or_default();
        let what = if anchor.starts_with('^') {
            "block"
        } else {
            "heading"
        };
        Some(Diagnostic::new(
            self.strictness(),
            &self.notes[from].path,
            link.line,
            link.col,
            format!(
                "{} has no {what} with id `#{anchor}`{hint}",
                self.notes[target].path
            ),
        ))
    }
}

/// `wikilink [[x]]`, `embed ![[x]]` or ``link to `x.md` `` for messages.
fn describe(link: &LinkRef) -> String {
    match (&link.target, link.embed) {
        (LinkTarget::Key(k), false) => format!("wikilink [[{k}]]"),
        (LinkTarget::Key(k), true) => format!("embed ![[{k}]]"),
        (LinkTarget::File(f), _) => format!("link to `{f}`"),
    }
}
