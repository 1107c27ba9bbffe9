//! The page of one note: its body with a table of contents and a reference list, tags,
//! backlinks, bibliographic details and, for a theme, the notes tagged with it and related
//! themes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::folders::crumbs;
use super::jobs::{is_home, is_theme};
use super::passages::{Focus, context_html, marked_html, marked_words};
use super::reads::{Around, Marks, Part, Parts, Shown, shows, theme_pages, themes_of};
use super::views::{
    BacklinkGroup, BacklinkView, Bodies, MetaTag, NoteLink, PageView, ReferenceView, SearchView,
    SourceView, TocEntry, Views, kind_name,
};
use crate::bib::SourceInput;
use crate::bib::export;
use crate::graph::Backlink;
use crate::note::NoteKind;
use crate::overview::glance::Glance;
use crate::overview::graph::NodeView;
use crate::overview::local::LocalGraph;
use crate::overview::sparkline::Sparkline;
use crate::overview::{decade, year_range};

/// A reference-list entry (HTML) linked to the note at `url`: the entry up to its first link
/// (a DOI or URL, which keeps its own link: links cannot nest) becomes the link.
pub(super) fn linked_reference(html: &str, url: &str) -> String {
    let split = html.find("<a ").unwrap_or(html.len());
    let (head, tail) = html.split_at(split);
    let balanced = ["i", "em", "span", "b", "strong"].iter().all(|t| {
        head.matches(&format!("<{t}>")).count() + head.matches(&format!("<{t} ")).count()
            == head.matches(&format!("</{t}>")).count()
    });
    let head_trimmed = head.trim_end();
    if !balanced || head_trimmed.is_empty() {
        return format!(r#"{html} <a class="ref-note" href="{url}">Annotation</a>"#);
    }
    let space = &head[head_trimmed.len()..];
    format!(r#"<a class="ref-note" href="{url}">{head_trimmed}</a>{space}{tail}"#)
}

/// How many passages of one note a backlink shows.
const MAX_CONTEXTS: usize = 2;
/// How many backlinks of a kind are shown before the rest are folded away.
const SHOWN_BACKLINKS: usize = 5;
// A note drawn in the local graphs of its neighbours (where the columns rank it by how often it
// is cited, then by name), and in the graph of the whole review (whose tooltips also count the
// works it cites: `Figures` declares it).
shows!(NodeView {
    id: CitedBy | Title | Reference,
    x: CitedBy | Title | Reference,
    y: CitedBy | Title | Reference,
    d: Key | CitedBy,
    kind: Key,
    url: Key,
    title: Title | Reference | CitedBy,
    label: Title | Reference,
    lx: CitedBy | Title | Reference,
    ly: CitedBy | Title | Reference,
    anchor: CitedBy | Title | Reference,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    let site = around.site;
    marks.listings();
    for b in &site.cited_by[j] {
        marks.page(b.from);
    }
    for &t in &site.cites[j] {
        marks.page(t);
    }
});

// A theme's sparkline shows the years of the works it cites on an axis spanning the years of the
// whole review: a year changed anywhere may move every theme's axis.
shows!(Sparkline {
    width: Year,
    height: Year,
    baseline: Year,
    bars: Year,
    from: Year,
    to: Year,
    label: Year,
} on |around: &Around<'_>, _, marks: &mut dyn Marks| theme_pages(around.site, marks));

/// A note among the members of the themes it is tagged with, which count the other themes their
/// members carry (their related themes).
pub(super) struct Member;

impl Shown for Member {
    const PARTS: Parts = Parts::of(&[Part::Tags]);

    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks) {
        for t in themes_of(around.site, j) {
            marks.page(t);
        }
    }
}

/// A page gets a table of contents from this many sections on.
const TOC_MIN: usize = 3;
/// How many words of a note make its description when it has no summary.
const DESCRIPTION_WORDS: usize = 30;

impl Views<'_> {
    pub(super) fn note_page(&self, i: usize, bodies: Bodies<'_>) -> PageView {
        let site = self.site;
        let note = &site.notes[i];
        let url_path = note.url_path();
        let mut page = self.empty_page(kind_name(note.kind), &note.title, &url_path);
        page.summary = note.summary.clone();
        page.draft = note.draft;
        page.content = bodies(i);
        page.has_code = page.content.contains("<pre class=\"code");
        page.description = self.description(i);
        page.tags = note.tags.iter().map(|t| self.tag_view(&t.slug)).collect();
        page.backlinks = self.backlinks(i);
        page.references = self.references(i);
        page.toc = self.toc(i);
        page.previews = self.previews_json(i);
        page.search = self.search_view(i);
        if let (Some(meta), Some(reference)) = (&note.source, site.references.get(&note.key)) {
            let input = SourceInput {
                key: &note.key,
                title: &note.title,
                meta,
            };
            page.source = Some(SourceView {
                key: note.key.clone(),
                entry_type: meta.entry_type.as_str(),
                year: meta.year.to_string(),
                authors: meta.authors.iter().map(|a| a.display()).collect(),
                container: meta.container.clone(),
                publisher: meta.publisher.clone(),
                doi: meta.doi.clone(),
                link: meta.url.clone(),
                reference: reference.html.clone(),
                in_text: reference.cited(),
                narrative: reference.short(),
                bibtex: self.bibtex.get(&note.key).cloned().unwrap_or_default(),
                csl_json: export::item_json(&input),
                highwire: export::highwire_tags(&input)
                    .into_iter()
                    .map(|(name, content)| MetaTag { name, content })
                    .collect(),
            });
        }
        if matches!(note.kind, NoteKind::Source | NoteKind::Theme) {
            page.local_graph = LocalGraph::of(site, i);
        }
        if is_home(site, i) {
            page.glance = Some(Glance::of(site));
            page.themes = self.themes();
            // The root folder, but what the home page's text links to already.
            let linked = self.linked_notes(i);
            let folder = self.folder_view(self.folders(), "", &|n| linked.contains(&n));
            page.folder = Some(folder).filter(|f| !f.folders.is_empty() || !f.notes.is_empty());
        } else if note.kind == NoteKind::Page && note.key.contains('/') {
            page.crumbs = crumbs(&site.config.base_path, &note.key, &url_path);
        }
        if note.kind == NoteKind::Theme {
            page.sparkline = year_range(site).and_then(|range| Sparkline::of(site, i, range));
            let members = site.tags.get(&note.key).map(Vec::as_slice).unwrap_or(&[]);
            let mut sorted: Vec<usize> = members.iter().copied().filter(|&m| m != i).collect();
            sorted.sort_by_cached_key(|&n| {
                let note = &site.notes[n];
                let order = site.references.get(&note.key).map_or_else(
                    || Cow::Owned(note.title.to_lowercase().into_bytes()),
                    |r| Cow::Borrowed(r.sort_key.as_slice()),
                );
                (note.kind, order)
            });
            page.members = sorted.iter().map(|&m| self.note_link(m)).collect();
            page.related = self.related_themes(i, members);
        }
        page
    }

    /// The note's summary, else its first words, else the site's description.
    fn description(&self, i: usize) -> String {
        let note = &self.site.notes[i];
        if let Some(summary) = &note.summary {
            return summary.clone();
        }
        let lead = marked_words(self.site, i, &self.site.scans[i].lead, DESCRIPTION_WORDS);
        if lead.is_empty() {
            self.site.config.description.clone()
        } else {
            lead
        }
    }

    /// The works note `i`'s text cites (not itself), in reference-list order.
    fn references(&self, i: usize) -> Vec<ReferenceView> {
        let site = self.site;
        // The order of `Site::bibliography_order`: the collation key, then the citation key.
        let mut cited: Vec<(&[u8], &str, usize)> = site.cites[i]
            .iter()
            .filter(|&&t| t != i)
            .filter_map(|&t| {
                let key = &site.notes[t].key;
                let r = site.references.get(key)?;
                Some((r.sort_key.as_slice(), key.as_str(), t))
            })
            .collect();
        cited.sort_unstable();
        cited
            .into_iter()
            .map(|(_, _, t)| {
                let key = &site.notes[t].key;
                ReferenceView {
                    key: key.clone(),
                    url: site.url_of(t),
                    reference: linked_reference(&site.references[key].html, &site.url_of(t)),
                }
            })
            .collect()
    }

    /// The sections (level 2 and 3 headings) of note `i`, when it has at least [`TOC_MIN`].
    fn toc(&self, i: usize) -> Vec<TocEntry> {
        let scan = &self.site.scans[i];
        let entries: Vec<TocEntry> = scan
            .headings
            .iter()
            .zip(&scan.heading_ids)
            .filter(|(h, _)| matches!(h.level, 2 | 3))
            .map(|(h, id)| TocEntry {
                id: id.clone(),
                html: marked_html(self.site, i, &h.text),
                level: h.level,
            })
            .collect();
        if entries.iter().filter(|e| e.level == 2).count() >= TOC_MIN {
            entries
        } else {
            Vec::new()
        }
    }

    /// What the search index files note `i` under.
    fn search_view(&self, i: usize) -> SearchView {
        let site = self.site;
        let note = &site.notes[i];
        let mut themes: Vec<String> = note
            .tags
            .iter()
            .filter(|t| is_theme(site, &t.slug))
            .map(|t| site.notes[site.by_key[t.slug.as_str()]].title.clone())
            .collect();
        if note.kind == NoteKind::Theme && !themes.contains(&note.title) {
            themes.insert(0, note.title.clone());
        }
        let (decade, short) = match (&note.source, site.short_form(&note.key)) {
            (Some(meta), Some(short)) => (decade(meta.year), short),
            _ => (String::new(), String::new()),
        };
        SearchView {
            kind: match note.kind {
                NoteKind::Source => "Source",
                NoteKind::Theme => "Theme",
                NoteKind::Page => "Page",
            },
            themes,
            decade,
            short,
        }
    }

    /// Themes most often tagged together with theme `i`, with the number of shared notes.
    fn related_themes(&self, i: usize, members: &[usize]) -> Vec<NoteLink> {
        let site = self.site;
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in members {
            for tag in &site.notes[m].tags {
                if tag.slug != site.notes[i].key && is_theme(self.site, &tag.slug) {
                    *counts.entry(tag.slug.as_str()).or_default() += 1;
                }
            }
        }
        let mut related: Vec<(&str, usize)> = counts.into_iter().collect();
        related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        related
            .into_iter()
            .take(6)
            .map(|(slug, count)| NoteLink {
                count,
                ..self.note_link(site.by_key[slug])
            })
            .collect()
    }

    /// The notes citing or linking to note `i`, one entry per note with its first few passages,
    /// grouped by kind (themes, sources, pages) and ordered by title.
    fn backlinks(&self, i: usize) -> Vec<BacklinkGroup> {
        let site = self.site;
        let mut by_note: BTreeMap<usize, Vec<&Backlink>> = BTreeMap::new();
        for b in site.cited_by[i].iter().chain(&site.linked_from[i]) {
            if b.from != i {
                by_note.entry(b.from).or_default().push(b);
            }
        }
        let mut views: Vec<(NoteKind, String, BacklinkView)> = by_note
            .into_iter()
            .map(|(from, mut links)| {
                links.sort_by_key(|b| (b.context, b.citation, b.link));
                let mut contexts: Vec<String> = Vec::new();
                // Only until the passages shown are found: a note citing a source in 10,000
                // paragraphs shows two of them.
                for b in links {
                    if contexts.len() == MAX_CONTEXTS {
                        break;
                    }
                    let context = context_html(site, b.from, b.context, Focus::of(b));
                    if !context.is_empty() && !contexts.contains(&context) {
                        contexts.push(context);
                    }
                }
                let link = self.note_link(from);
                let note = &site.notes[from];
                let view = BacklinkView {
                    title: link.title,
                    url: link.url,
                    kind: link.kind,
                    short: link.short,
                    contexts,
                };
                (note.kind, note.title.to_lowercase(), view)
            })
            .collect();
        // Themes first (the syntheses), then sources, then other pages.
        let rank = |k: NoteKind| match k {
            NoteKind::Theme => 0,
            NoteKind::Source => 1,
            NoteKind::Page => 2,
        };
        views.sort_by(|a, b| (rank(a.0), &a.1, &a.2.url).cmp(&(rank(b.0), &b.1, &b.2.url)));
        let mut groups: Vec<BacklinkGroup> = Vec::new();
        for (kind, _, view) in views {
            let group = match groups.last_mut() {
                Some(g) if g.kind == kind_name(kind) => g,
                _ => {
                    groups.push(BacklinkGroup {
                        kind: kind_name(kind),
                        label: match kind {
                            NoteKind::Theme => "Themes",
                            NoteKind::Source => "Sources",
                            NoteKind::Page => "Pages",
                        },
                        count: 0,
                        shown: Vec::new(),
                        more: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            group.count += 1;
            if group.shown.len() < SHOWN_BACKLINKS {
                group.shown.push(view);
            } else {
                group.more.push(view);
            }
        }
        groups
    }
}
