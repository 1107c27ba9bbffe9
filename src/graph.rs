//! The whole site's cross-references: keys, tags and themes, citations, links, backlinks and the
//! formatted bibliography, with every resolution problem as a diagnostic. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::bib::{Reference, SourceInput};
use crate::cite::{Citation, CitedSource, InText, citation_html};
use crate::config::Config;
use crate::error::{Diagnostic, Level};
use crate::layout::{CONTENT_DIR, content_relative};
use crate::markdown::{self, LinkTarget, ResolvedLink, Resolver, Scan};
use crate::note::{Excluded, Note, NoteKind};
use crate::source::classify;
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
    /// For links: the link's index in the referring note's scan.
    pub link: Option<usize>,
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
    /// The notes left out of this build, by key and by `content/`-relative path.
    excluded: ExcludedIndex,
}

/// What a build left out, indexed for resolving references.
#[derive(Default)]
struct ExcludedIndex {
    /// Files that did not parse: their problem is reported where it is, not again at every
    /// reference to them.
    unparsed: HashSet<String>,
    /// Drafts and unpublished notes: (path relative to the root, why).
    hidden: HashMap<String, (String, &'static str)>,
    /// Files and folders (ending in `/`) the ignore patterns left out, relative to `content/`.
    ignored: Vec<String>,
    /// A reference to a hidden or ignored note is a warning (`gloss serve`), not an error.
    lenient: bool,
}

/// Why a reference finds no note.
enum Missing<'a> {
    /// There is no such note.
    Absent,
    /// Its note did not parse (already reported).
    Unparsed,
    /// Its note is left out: the note's path and why.
    Unpublished(&'a str, &'a str),
    /// Its note is left out by the ignore patterns: its path relative to `content/`.
    Ignored(String),
}

impl ExcludedIndex {
    fn new(excluded: &Excluded, lenient: bool) -> ExcludedIndex {
        let mut index = ExcludedIndex {
            lenient,
            ignored: excluded.ignored.clone(),
            ..ExcludedIndex::default()
        };
        for path in &excluded.unparsed {
            let rel = content_relative(path);
            index.unparsed.insert(classify(rel).1);
            index.unparsed.insert(rel.to_string());
        }
        for note in &excluded.hidden {
            let entry = (note.path.clone(), note.why);
            index.hidden.insert(note.key.clone(), entry.clone());
            index
                .hidden
                .insert(content_relative(&note.path).to_string(), entry);
        }
        index
    }

    /// Why `name` (a key, or a path relative to `content/` ending in `.md`) finds no note.
    fn why_missing(&self, name: &str) -> Missing<'_> {
        if self.unparsed.contains(name) {
            return Missing::Unparsed;
        }
        if let Some((path, why)) = self.hidden.get(name) {
            return Missing::Unpublished(path, why);
        }
        let candidates: Vec<String> = if name.ends_with(".md") {
            vec![name.to_string()]
        } else {
            [
                "sources/{}.md",
                "themes/{}.md",
                "{}.md",
                "{}/_index.md",
                "{}/index.md",
            ]
            .iter()
            .map(|pattern| pattern.replace("{}", name))
            .collect()
        };
        for candidate in candidates {
            let ignored = self.ignored.iter().any(|i| match i.strip_suffix('/') {
                Some(dir) => candidate.starts_with(i) || candidate == dir,
                None => *i == candidate,
            });
            if ignored {
                return Missing::Ignored(candidate);
            }
        }
        Missing::Absent
    }
}

impl Site {
    /// Resolves every reference among `notes`, given each note's
    /// [`note::scan`](crate::note::scan) (`scans[i]` is note `i`'s), the paths of the note files
    /// that did not parse, and the formatter of its sources: `gloss serve` passes scans and a
    /// formatter that reuse the work of unchanged notes ([`crate::incremental::Cache`]).
    pub fn resolve(
        config: Config,
        notes: Vec<Note>,
        scans: Vec<Scan>,
        excluded: &Excluded,
        lenient: bool,
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
        let mut order: Vec<(&[u8], &String)> = references
            .iter()
            .map(|(k, r)| (r.sort_key.as_slice(), k))
            .collect();
        order.sort_unstable();
        let bibliography_order: Vec<String> = order.into_iter().map(|(_, k)| k.clone()).collect();

        let mut diagnostics = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut by_file = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            by_file.insert(content_relative(&note.path).to_string(), i);
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
            excluded: ExcludedIndex::new(excluded, lenient),
        };
        site.urls = site
            .notes
            .iter()
            .map(|n| format!("{}{}", site.config.base_path, n.url_path()))
            .collect();
        site.link_references();
        site.diagnostics.sort();
        site.diagnostics.dedup();
        site
    }

    /// The problem with a reference (`what`, written at `at`) to `name`, a key or a file, that
    /// found no note: `absent()` when there is no such note; nothing when its note did not parse
    /// (that is reported already); otherwise that it points at an unpublished note, naming it.
    fn missing(
        &self,
        at: (&str, usize, usize),
        what: &str,
        name: &str,
        absent: impl FnOnce() -> String,
    ) -> Option<Diagnostic> {
        let (path, line, col) = at;
        let level = if self.excluded.lenient {
            Level::Warning
        } else {
            Level::Error
        };
        let message = match self.excluded.why_missing(name) {
            Missing::Absent => return Some(Diagnostic::error(path, line, col, absent())),
            Missing::Unparsed => return None,
            Missing::Unpublished(target, why) => format!(
                "{what} points to {target}, which {why}: the published page would link to nothing; publish that note or remove the reference"
            ),
            Missing::Ignored(rel) => format!(
                "{what} points to {CONTENT_DIR}/{rel}, which the ignore patterns leave out (site.yaml's `ignore:` or content/.glossignore): the published page would link to nothing"
            ),
        };
        Some(Diagnostic::new(level, path, line, col, message))
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
                                        format!(": add content/sources/{}.md", item.key)
                                    });
                                format!("{what} has no source note{hint}")
                            }));
                        }
                    }
                }
            }
            self.cites[from] = cited.into_iter().collect();
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
            for (li, link) in scan.links.iter().enumerate() {
                let target = match &link.target {
                    LinkTarget::Key(k) => self.by_key.get(k.as_str()).copied(),
                    LinkTarget::File(f) => self.by_file.get(f.as_str()).copied(),
                };
                let Some(target) = target else {
                    let (LinkTarget::Key(name) | LinkTarget::File(name)) = &link.target;
                    let what = match &link.target {
                        LinkTarget::Key(k) => format!("wikilink [[{k}]]"),
                        LinkTarget::File(f) => format!("link to `{f}`"),
                    };
                    let at = (path.as_str(), link.line, link.col);
                    let absent = || match &link.target {
                        LinkTarget::Key(k) => {
                            let hint = closest(k, self.by_key.keys().map(String::as_str))
                                .map(|s| format!(": did you mean [[{s}]]?"))
                                .unwrap_or_default();
                            format!("{what} points to no note{hint}")
                        }
                        LinkTarget::File(_) => {
                            format!("{what} points to no file in content/")
                        }
                    };
                    diags.extend(self.missing(at, &what, name, absent));
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
                        link: Some(li),
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

    /// How many other notes cite source `i` (its own citations of itself do not count): the one
    /// "cited by" figure every page shows.
    pub fn citing_notes(&self, i: usize) -> usize {
        let mut from: Vec<usize> = self.cited_by[i]
            .iter()
            .map(|b| b.from)
            .filter(|&f| f != i)
            .collect();
        from.dedup();
        from.len()
    }

    /// Absolute URL path of a note (`/review/sources/x/`).
    pub fn url_of(&self, note: usize) -> String {
        self.urls[note].clone()
    }

    /// What citations of `key` show, if it is a source.
    pub(crate) fn cited_source(&self, key: &str) -> Option<CitedSource<'_>> {
        let reference = self.references.get(key)?;
        let idx = *self.by_key.get(key)?;
        Some(CitedSource {
            in_text: &reference.in_text,
            url: &self.urls[idx],
            reference: &reference.text,
            sort_key: &reference.sort_key,
        })
    }

    /// HTML of a citation; `first_use` tells, item by item, whether it is the source's first
    /// citation in its page.
    pub fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String {
        citation_html(citation, first_use, |k| self.cited_source(k))
    }

    /// The in-text parts of a source, if it is one.
    pub fn in_text(&self, key: &str) -> Option<&InText> {
        self.references.get(key).map(|r| &r.in_text)
    }

    /// The note a link points at, if any.
    pub(crate) fn target_of(&self, target: &LinkTarget) -> Option<usize> {
        match target {
            LinkTarget::Key(k) => self.by_key.get(k.as_str()).copied(),
            LinkTarget::File(f) => self.by_file.get(f.as_str()).copied(),
        }
    }

    /// Renders a note's body.
    pub fn render_body(&self, note: usize) -> String {
        self.render_body_with(note, self)
    }

    /// Renders a note's body, asking `resolver` about its citations and links: `gloss serve`
    /// passes a wrapper around this site that records the answers ([`crate::incremental`]).
    pub fn render_body_with(&self, note: usize, resolver: &dyn Resolver) -> String {
        let n = &self.notes[note];
        markdown::render(&n.body, n.dir(), resolver)
    }
}

impl Resolver for Site {
    fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String {
        Site::citation_html(self, citation, first_use)
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        let idx = self.target_of(target)?;
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
