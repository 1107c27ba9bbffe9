//! The whole site's cross-references: keys, tags and themes, citations, links, backlinks and the
//! formatted bibliography, with every resolution problem as a diagnostic. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::apa::{self, Reference, SourceInput};
use crate::cite::{Citation, CitedSource, InText, citation_html, citation_text};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::markdown::{
    self, CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN, LinkTarget, ResolvedLink, Resolver, Scan,
};
use crate::note::{Note, NoteKind};
use crate::suggest::closest;

/// One incoming reference to a note.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    /// The note that refers.
    pub from: usize,
    /// Index into the referring note's `Scan::contexts`.
    pub context: usize,
    /// For citations: the citation's index in the referring note's scan.
    pub citation: Option<usize>,
}

/// The resolved site. Notes keep the order they were read in (sorted by path).
pub struct Site {
    pub config: Config,
    pub notes: Vec<Note>,
    pub scans: Vec<Scan>,
    pub by_key: HashMap<String, usize>,
    by_file: HashMap<String, usize>,
    /// APA formatting of every source, by citation key.
    pub references: BTreeMap<String, Reference>,
    /// Source keys in APA reference-list order.
    pub bibliography_order: Vec<String>,
    /// Tag slug → notes carrying the tag (in note order).
    pub tags: BTreeMap<String, Vec<usize>>,
    /// For each note, the citations that point at it.
    pub cited_by: Vec<Vec<Backlink>>,
    /// For each note, the links that point at it.
    pub linked_from: Vec<Vec<Backlink>>,
    /// For each note, the distinct sources it cites (note indices, sorted).
    pub cites: Vec<Vec<usize>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Absolute URL path of each note, computed once.
    urls: Vec<String>,
}

impl Site {
    /// Scans every note, formats the sources and resolves every reference.
    pub fn resolve(config: Config, notes: Vec<Note>) -> Site {
        Site::resolve_with(config, notes, &mut |inputs| apa::format_all(inputs))
    }

    /// Like [`Site::resolve`], with the APA formatter given: `gloss serve` passes one that
    /// reuses the formatting of unchanged sources ([`crate::incremental::Cache`]).
    pub fn resolve_with(
        config: Config,
        notes: Vec<Note>,
        format: &mut dyn FnMut(&[SourceInput<'_>]) -> BTreeMap<String, Reference>,
    ) -> Site {
        let scans: Vec<Scan> = notes.par_iter().map(scan_note).collect();
        Site::resolve_scanned(config, notes, scans, format)
    }

    /// Like [`Site::resolve_with`], with each note's [`scan_note`] given (`scans[i]` is note `i`'s):
    /// `gloss serve` keeps the scans of unchanged notes instead of scanning every body again.
    pub fn resolve_scanned(
        config: Config,
        notes: Vec<Note>,
        scans: Vec<Scan>,
        format: &mut dyn FnMut(&[SourceInput<'_>]) -> BTreeMap<String, Reference>,
    ) -> Site {
        debug_assert_eq!(notes.len(), scans.len());
        let inputs: Vec<SourceInput<'_>> = notes
            .iter()
            .filter_map(|n| {
                n.source.as_ref().map(|meta| SourceInput {
                    key: &n.key,
                    title: &n.title,
                    meta,
                })
            })
            .collect();
        let references = format(&inputs);
        // Sorted as (sort key, key) pairs: looking both keys up in the map at every comparison
        // cost more than the rest of resolving at 10,000 sources.
        let mut order: Vec<(&str, &String)> = references
            .iter()
            .map(|(k, r)| (r.sort_key.as_str(), k))
            .collect();
        order.sort_unstable();
        let bibliography_order: Vec<String> = order.into_iter().map(|(_, k)| k.clone()).collect();

        let mut diagnostics = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut by_file = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            by_file.insert(note.path.trim_start_matches("content/").to_string(), i);
            if note.kind == NoteKind::Page && note.key.is_empty() {
                continue;
            }
            if let Some(&first) = by_key.get(&note.key) {
                diagnostics.push(Diagnostic::error(
                    &note.path,
                    0,
                    0,
                    format!(
                        "key `{}` is already used by {}: source keys, theme slugs and page paths share one namespace, so rename one file",
                        note.key, notes[first].path
                    ),
                ));
            } else {
                by_key.insert(note.key.clone(), i);
            }
        }

        let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, note) in notes.iter().enumerate() {
            let distinct: BTreeSet<&str> = note.tags.iter().map(|t| t.slug.as_str()).collect();
            for slug in distinct {
                tags.entry(slug.to_string()).or_default().push(i);
            }
        }

        let mut site = Site {
            config,
            cited_by: vec![Vec::new(); notes.len()],
            linked_from: vec![Vec::new(); notes.len()],
            cites: vec![Vec::new(); notes.len()],
            notes,
            scans,
            by_key,
            by_file,
            references,
            bibliography_order,
            tags,
            diagnostics,
            urls: Vec::new(),
        };
        site.urls = site
            .notes
            .iter()
            .map(|n| format!("{}{}", site.config.base_path, n.url_path()))
            .collect();
        site.link_references();
        site.check_sources();
        site.diagnostics.sort();
        site.diagnostics.dedup();
        site
    }

    fn link_references(&mut self) {
        let source_keys: Vec<&str> = self.references.keys().map(String::as_str).collect();
        let mut diags = Vec::new();
        for (from, scan) in self.scans.iter().enumerate() {
            let path = &self.notes[from].path;
            let mut cited = BTreeSet::new();
            for (ci, cite) in scan.citations.iter().enumerate() {
                for item in &cite.citation.items {
                    match self
                        .by_key
                        .get(&item.key)
                        .filter(|&&t| self.notes[t].kind == NoteKind::Source)
                    {
                        Some(&target) => {
                            cited.insert(target);
                            self.cited_by[target].push(Backlink {
                                from,
                                context: cite.context,
                                citation: Some(ci),
                            });
                        }
                        None => {
                            let hint = closest(&item.key, source_keys.iter().copied())
                                .map(|k| format!(": did you mean {k}?"))
                                .unwrap_or_else(|| {
                                    format!(": add content/sources/{}.md", item.key)
                                });
                            diags.push(Diagnostic::error(
                                path,
                                cite.line,
                                cite.col,
                                format!("citation key `{}` has no source note{hint}", item.key),
                            ));
                        }
                    }
                }
            }
            self.cites[from] = cited.into_iter().collect();
            for link in &scan.links {
                let target = match &link.target {
                    LinkTarget::Key(k) => self.by_key.get(k.as_str()).copied(),
                    LinkTarget::File(f) => self.by_file.get(f.as_str()).copied(),
                };
                let Some(target) = target else {
                    let message = match &link.target {
                        LinkTarget::Key(k) => {
                            let hint = closest(k, self.by_key.keys().map(String::as_str))
                                .map(|s| format!(": did you mean [[{s}]]?"))
                                .unwrap_or_default();
                            format!("wikilink [[{k}]] points to no note{hint}")
                        }
                        LinkTarget::File(f) => {
                            format!("link to `{f}` points to no file in content/")
                        }
                    };
                    diags.push(Diagnostic::error(path, link.line, link.col, message));
                    continue;
                };
                if let Some(anchor) = &link.anchor
                    && !anchor.is_empty()
                    && !self.scans[target].heading_ids.iter().any(|h| h == anchor)
                {
                    let hint = closest(
                        anchor,
                        self.scans[target].heading_ids.iter().map(String::as_str),
                    )
                    .map(|s| format!(": did you mean #{s}?"))
                    .unwrap_or_default();
                    diags.push(Diagnostic::error(
                        path,
                        link.line,
                        link.col,
                        format!(
                            "{} has no heading with id `#{anchor}`{hint}",
                            self.notes[target].path
                        ),
                    ));
                }
                if target != from {
                    self.linked_from[target].push(Backlink {
                        from,
                        context: link.context,
                        citation: None,
                    });
                }
            }
        }
        for list in self.cited_by.iter_mut().chain(self.linked_from.iter_mut()) {
            list.sort();
            list.dedup_by(|a, b| a.from == b.from && a.context == b.context);
        }
        self.diagnostics.extend(diags);
    }

    fn check_sources(&mut self) {
        let theme_slugs: Vec<&str> = self
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Theme)
            .map(|n| n.key.as_str())
            .collect();
        let mut diags = Vec::new();
        for (i, note) in self.notes.iter().enumerate() {
            for tag in &note.tags {
                if !theme_slugs.contains(&tag.slug.as_str()) {
                    let hint = closest(&tag.slug, theme_slugs.iter().copied())
                        .map(|s| format!(" (probably a typo for `{s}`)"))
                        .unwrap_or_default();
                    diags.push(Diagnostic::warning(
                        &note.path,
                        tag.line,
                        1,
                        format!("tag `{}` names no theme{hint}", tag.slug),
                    ));
                }
            }
            let Some(meta) = &note.source else { continue };
            // A tagged source is part of the review through its themes even if no note cites it.
            let referenced = self.cited_by[i]
                .iter()
                .chain(&self.linked_from[i])
                .any(|b| b.from != i);
            if !referenced && note.tags.is_empty() {
                diags.push(Diagnostic::warning(
                    &note.path,
                    1,
                    1,
                    format!("no note cites or links to source `{}`", note.key),
                ));
            }
            if let Some(doi) = &meta.doi
                && !is_doi(doi)
            {
                diags.push(Diagnostic::warning(
                    &note.path,
                    meta.doi_line,
                    1,
                    format!("doi `{doi}` is not of the form 10.NNNN/suffix (write the DOI itself, not its URL)"),
                ));
            }
        }
        let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
        for key in &self.bibliography_order {
            let t = &self.references[key].in_text;
            if let Some(other) = seen.insert((t.author.as_str(), t.year.as_str()), key) {
                let note = &self.notes[self.by_key[key.as_str()]];
                diags.push(Diagnostic::warning(
                    &note.path,
                    1,
                    1,
                    format!(
                        "in-text citation ({}, {}) is the same for `{other}` and `{key}`: readers cannot tell them apart",
                        t.author, t.year
                    ),
                ));
            }
        }
        self.diagnostics.extend(diags);
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Absolute URL path of a note (`/review/sources/x/`).
    pub fn url_of(&self, note: usize) -> String {
        self.urls[note].clone()
    }

    fn cited_source(&self, key: &str) -> Option<CitedSource<'_>> {
        let reference = self.references.get(key)?;
        let idx = *self.by_key.get(key)?;
        Some(CitedSource {
            in_text: &reference.in_text,
            url: &self.urls[idx],
            reference: &reference.text,
        })
    }

    /// HTML of a citation.
    pub fn citation_html(&self, citation: &Citation) -> String {
        citation_html(citation, |k| self.cited_source(k))
    }

    /// The sentence around a reference, as HTML, with citations rendered as plain text and the
    /// one at `highlight` marked.
    pub fn context_html(&self, from: usize, context: usize, highlight: Option<usize>) -> String {
        let raw = &self.scans[from].contexts[context];
        let focus = highlight.map(|h| format!("{CONTEXT_MARK_OPEN}{h}{CONTEXT_MARK_CLOSE}"));
        let text = trim_to_sentence(raw, focus.as_deref());
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find(CONTEXT_MARK_OPEN) {
            out.push_str(&markdown::escape_html(&rest[..start]));
            let after = &rest[start + CONTEXT_MARK_OPEN.len_utf8()..];
            let Some(end) = after.find(CONTEXT_MARK_CLOSE) else {
                break;
            };
            let idx: usize = after[..end].parse().unwrap_or(usize::MAX);
            if let Some(c) = self.scans[from].citations.get(idx) {
                let text = citation_text(&c.citation, |k| {
                    self.references.get(k).map(|r| r.in_text.clone())
                });
                let text = markdown::escape_html(&text);
                if Some(idx) == highlight {
                    out.push_str(&format!("<mark>{text}</mark>"));
                } else {
                    out.push_str(&text);
                }
            }
            rest = &after[end + CONTEXT_MARK_CLOSE.len_utf8()..];
        }
        out.push_str(&markdown::escape_html(rest));
        out
    }

    /// The in-text parts of a source, if it is one.
    pub fn in_text(&self, key: &str) -> Option<&InText> {
        self.references.get(key).map(|r| &r.in_text)
    }

    /// Renders a note's body.
    pub fn render_body(&self, note: usize) -> String {
        self.render_body_with(note, self)
    }

    /// Renders a note's body, asking `resolver` about its citations and links: `gloss serve`
    /// passes a wrapper around this site that records the answers ([`crate::incremental`]).
    pub fn render_body_with(&self, note: usize, resolver: &dyn Resolver) -> String {
        let n = &self.notes[note];
        markdown::render(&n.body, note_dir(n), resolver)
    }
}

impl Resolver for Site {
    fn citation_html(&self, citation: &Citation) -> String {
        Site::citation_html(self, citation)
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        let idx = match target {
            LinkTarget::Key(k) => *self.by_key.get(k.as_str())?,
            LinkTarget::File(f) => *self.by_file.get(f.as_str())?,
        };
        let note = &self.notes[idx];
        let label = match (note.kind, self.in_text(&note.key)) {
            (NoteKind::Source, Some(t)) => format!("{} ({})", t.narrative_author, t.year),
            _ => note.title.clone(),
        };
        let anchor = anchor
            .filter(|a| !a.is_empty())
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        Some(ResolvedLink {
            url: format!("{}{anchor}", self.url_of(idx)),
            label,
        })
    }

    fn base_path(&self) -> &str {
        &self.config.base_path
    }
}

/// What a note's body refers to: a pure function of the note's path, body and body line.
pub fn scan_note(note: &Note) -> Scan {
    markdown::scan(&note.body, note_dir(note), note.body_line)
}

/// The note's folder relative to `content/`, for resolving relative `.md` links.
fn note_dir(note: &Note) -> &str {
    let rel = note.path.trim_start_matches("content/");
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn is_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.trim().is_empty()
}

/// The sentence holding `focus` (or the start of the block), at most ~320 characters.
fn trim_to_sentence(text: &str, focus: Option<&str>) -> String {
    const MAX: usize = 320;
    let at = focus.and_then(|f| text.find(f)).unwrap_or(0);
    // A sentence ends after `.`, `?`, `!` or `:` followed by a space; the next starts two bytes on.
    let bytes = text.as_bytes();
    let boundary =
        |i: usize| matches!(bytes[i], b'.' | b'?' | b'!' | b':') && bytes.get(i + 1) == Some(&b' ');
    let start = (0..at.saturating_sub(1))
        .rev()
        .find(|&i| boundary(i))
        .map_or(0, |i| i + 2);
    let end = (at.saturating_sub(1)..bytes.len())
        .find(|&i| boundary(i))
        .map_or(text.len(), |i| i + 2);
    let mut sentence = text[start..end].trim().to_string();
    if sentence.chars().count() > MAX {
        let chars: Vec<char> = sentence.chars().collect();
        let focus_char = text[start..at.max(start)].chars().count();
        let from = focus_char
            .saturating_sub(MAX / 2)
            .min(chars.len().saturating_sub(MAX));
        let piece: String = chars[from..(from + MAX).min(chars.len())].iter().collect();
        sentence = format!(
            "{}{}{}",
            if from > 0 { "…" } else { "" },
            piece.trim(),
            if from + MAX < chars.len() { "…" } else { "" }
        );
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { " …" } else { "" };
    format!("{prefix}{sentence}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_checked() {
        assert!(is_doi("10.1080/01402390.2017.1307843"));
        assert!(!is_doi("https://doi.org/10.1/x"));
        assert!(!is_doi("10.abc/x"));
    }

    #[test]
    fn contexts_are_trimmed_to_the_sentence() {
        let t = "First one. Second has \u{E000}0\u{E001} here. Third.";
        assert_eq!(
            trim_to_sentence(t, Some("\u{E000}0\u{E001}")),
            "…Second has \u{E000}0\u{E001} here. …"
        );
    }

    #[test]
    fn context_sentences_end_at_any_stop_followed_by_a_space() {
        let mark = "\u{E000}0\u{E001}";
        let t = format!("Ça va? Déjà {mark} vu: here! Next. 3.5 stays");
        assert_eq!(
            trim_to_sentence(&t, Some(mark)),
            format!("…Déjà {mark} vu: …")
        );
        let t = format!("{mark} opens. Then more.");
        assert_eq!(trim_to_sentence(&t, Some(mark)), format!("{mark} opens. …"));
        let t = format!("One. Two 3.5 and {mark}");
        assert_eq!(
            trim_to_sentence(&t, Some(mark)),
            format!("…Two 3.5 and {mark}")
        );
        assert_eq!(trim_to_sentence("No stop at all", None), "No stop at all");
    }
}
