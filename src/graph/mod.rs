//! The resolved site: keys, tags and themes, citations, links, backlinks and the formatted
//! bibliography, with every resolution problem as a diagnostic. Pure: no I/O.
//!
//! Files: `index` (the bibliography's order, notes by key, file and tag), `links` (which note
//! a name means), `anchors` (which heading or block an `#anchor` means), `assets` (which file a
//! name means), `excluded` (what the build left out),
//! `references` (resolving every reference, and the problems), `checks` (the other problems: a
//! URL two notes share, missing attachments), `cycles` (embeds that come round to themselves),
//! `body` (the site as a body being rendered sees it: links, embeds, attachments).

mod anchors;
mod assets;
mod body;
mod checks;
mod cycles;
mod excluded;
mod index;
mod links;
mod references;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::bib::{CitationStyle, Formatted, Reference, SourceInput};
use crate::cite::{
    Citation, CitedSource, StyledCitation, citation_html, citation_text, styled_html, styled_text,
};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::html::tag_slug;
use crate::layout::SiteLayout;
use crate::markdown::{self, Resolver, Scan};
use crate::note::{Excluded, Note, NoteKind};
use crate::source::Asset;

use anchors::Anchors;
use assets::AssetIndex;
pub(crate) use body::{BodyResolver, encode_path};
use excluded::ExcludedIndex;
use links::NameIndex;

/// How a site is resolved beside its notes.
pub(crate) struct Settings<'a> {
    pub(crate) layout: &'a SiteLayout,
    pub(crate) markdown: markdown::Settings,
    /// How sources and citations are formatted.
    pub(crate) style: CitationStyle,
}

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
    /// Every source formatted in the site's citation style, by citation key.
    pub references: BTreeMap<String, Reference>,
    /// A CSL style's printing of every citation of the site.
    citations: std::collections::HashMap<Citation, StyledCitation>,
    pub(crate) style: CitationStyle,
    /// Source keys in reference-list order.
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
    /// Which note a wikilink's name means.
    names: NameIndex,
    /// The headings and blocks of each note that has many, indexed.
    anchors: Vec<Option<Anchors>>,
    /// The notes left out of this build, by key, name and path.
    excluded: ExcludedIndex,
    /// Content files that are not notes (images, PDFs), by file name.
    assets: AssetIndex,
    /// How bodies are rendered.
    pub(crate) markdown: markdown::Settings,
    /// The notes' folder relative to the root, as paths in messages start (`content/`, or "").
    content_prefix: String,
    content_name: String,
    /// Internal errors caught while rendering bodies (pages render on every core).
    render_failures: std::sync::Mutex<Vec<Diagnostic>>,
}

impl Site {
    /// Resolves every reference among `notes`, given each note's
    /// [`note::scan`](crate::note::scan) (`scans[i]` is note `i`'s), the paths of the note files
    /// that did not parse, and the formatter of its sources and citations (given the site's
    /// distinct citations in reading order): `gloss serve` passes scans and a formatter that
    /// reuse the work of unchanged notes ([`crate::incremental::Cache`]).
    pub(crate) fn resolve(
        config: Config,
        notes: Vec<Note>,
        scans: Vec<Scan>,
        excluded: &Excluded,
        assets: &[Asset],
        settings: Settings<'_>,
        format: &mut dyn FnMut(&[SourceInput<'_>], &[&Citation]) -> Formatted,
    ) -> Site {
        debug_assert_eq!(notes.len(), scans.len());
        let Formatted {
            references,
            citations,
            failures,
        } = index::format_sources(&notes, &scans, format);
        let bibliography_order = index::bibliography_order(&references);
        let mut diagnostics = Vec::new();
        let (by_key, by_file) = index::keys_and_files(&notes, &mut diagnostics);
        diagnostics.extend(index::engine_failures(&failures, &notes, &by_key));
        let mut notes = notes;
        diagnostics.extend(checks::distinct_urls(&mut notes, &config.base_path));
        index::add_inline_tags(&mut notes, &scans);
        let tags = index::notes_by_tag(&notes);
        let anchors = scans.iter().map(Anchors::of).collect();
        let markdown = markdown::Settings {
            unsafe_html: config.unsafe_html,
            ..settings.markdown
        };
        let mut site = Site {
            anchors,
            config,
            cited_by: vec![Vec::new(); notes.len()],
            linked_from: vec![Vec::new(); notes.len()],
            cites: vec![Vec::new(); notes.len()],
            notes,
            scans,
            by_key,
            by_file,
            references,
            citations,
            style: settings.style,
            bibliography_order,
            tags,
            diagnostics,
            urls: Vec::new(),
            names: NameIndex::default(),
            excluded: ExcludedIndex::new(excluded),
            assets: AssetIndex::new(assets),
            markdown,
            content_prefix: settings.layout.note_path(""),
            content_name: settings.layout.content_name(),
            render_failures: std::sync::Mutex::default(),
        };
        site.names = NameIndex::new(&site.notes, &site.by_key);
        site.urls = site
            .notes
            .iter()
            .map(|n| format!("{}{}", site.config.base_path, n.url_path()))
            .collect();
        site.link_references();
        site.check_bodies();
        site.diagnostics.sort();
        site.diagnostics.dedup();
        site
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
            styled: reference.styled.as_ref().map(|f| f.cited.as_str()),
        })
    }

    /// HTML of a citation; `first_use` tells, item by item, whether it is the source's first
    /// citation in its page (APA introduces a group author's abbreviation there).
    pub fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String {
        let lookup = |k: &str| self.cited_source(k);
        match self.style {
            CitationStyle::Apa => citation_html(citation, first_use, lookup),
            CitationStyle::Csl(_) => styled_html(citation, self.citations.get(citation), lookup),
        }
    }

    /// A citation as plain text (backlink passages).
    pub(crate) fn citation_text(&self, citation: &Citation) -> String {
        let lookup = |k: &str| self.cited_source(k);
        match self.style {
            CitationStyle::Apa => citation_text(citation, lookup),
            CitationStyle::Csl(_) => styled_text(citation, self.citations.get(citation), lookup),
        }
    }

    /// A source's short form (`Ali and Anwar (2023)`), if it is one.
    pub fn short_form(&self, key: &str) -> Option<String> {
        self.references.get(key).map(Reference::short)
    }

    /// Whether a note has text of its own beside its title (a source imported from a library
    /// has none until it is annotated).
    pub(crate) fn has_text(&self, note: usize) -> bool {
        let n = &self.notes[note];
        !without_title(&n.body, &n.title).trim().is_empty()
    }

    /// Renders a note's body.
    pub fn render_body(&self, note: usize) -> String {
        self.render_body_with(note, &BodyResolver::new(self, note))
    }

    /// Renders a note's body, asking `resolver` about its citations and links: `gloss serve`
    /// passes a wrapper around [`BodyResolver`] that records the answers
    /// ([`crate::incremental`]).
    ///
    /// A panic while rendering is caught: the body reads as an internal error, and the error is
    /// kept for [`Site::render_failures`], which fails the build.
    pub(crate) fn render_body_with(&self, note: usize, resolver: &dyn Resolver) -> String {
        let n = &self.notes[note];
        let rendered = crate::note::caught(&n.path, "rendering", || {
            markdown::render(
                without_title(&n.body, &n.title),
                n.dir(),
                resolver,
                &self.markdown,
            )
        });
        rendered.unwrap_or_else(|error| {
            let mut failures = self
                .render_failures
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !failures.contains(&error) {
                failures.push(error);
            }
            "<p class=\"internal-error\">This note could not be rendered (an internal error of gloss).</p>\n".to_string()
        })
    }

    /// The internal errors caught while rendering bodies so far (see
    /// [`Site::render_body_with`]): a build that has any must fail.
    pub(crate) fn render_failures(&self) -> Vec<Diagnostic> {
        self.render_failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The page of a tag (written with or without `#`, any case): the theme of that slug when
    /// there is one, else the tag's own page.
    pub(crate) fn tag_url(&self, tag: &str) -> String {
        let slug = tag_slug(tag);
        match self
            .by_key
            .get(&slug)
            .filter(|&&i| self.notes[i].kind == NoteKind::Theme)
        {
            Some(&i) => self.url_of(i),
            None => format!("{}tags/{}/", self.config.base_path, encode_path(&slug)),
        }
    }

    /// A path relative to the notes' folder as messages write it (relative to the root).
    pub(crate) fn note_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.content_prefix)
    }

    /// The attachment note `from` calls `name` (see [`AssetIndex::find`]).
    pub(crate) fn find_asset(&self, name: &str, from: usize) -> Option<String> {
        self.assets.find(name, self.notes[from].dir())
    }
}

/// A body without its opening `# Title` when that is the page's title (an Obsidian note, whose
/// title is its first heading or its file name): the page shows the title once.
fn without_title<'b>(body: &'b str, title: &str) -> &'b str {
    let start = body.len() - body.trim_start().len();
    let first = body[start..].lines().next().unwrap_or("");
    match first.strip_prefix("# ") {
        Some(heading) if heading.trim() == title.trim() => &body[start + first.len()..],
        _ => body,
    }
}
