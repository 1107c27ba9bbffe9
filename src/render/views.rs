//! The views handed to templates: plain serializable structs built from the resolved site,
//! never the graph's internals.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::jobs::{Job, is_theme};
use super::passages::context_html;
use crate::graph::{Backlink, Site};
use crate::note::{NoteKind, Year};

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    themes: Vec<NoteLink>,
    source_count: usize,
}

#[derive(Serialize, Clone)]
pub(crate) struct NoteLink {
    title: String,
    url: String,
    kind: &'static str,
    /// Short in-text form for sources (`Jabeen (2009)`), else "".
    short: String,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct BacklinkView {
    title: String,
    url: String,
    kind: &'static str,
    /// The passages that refer, as HTML (at most a few per note).
    contexts: Vec<String>,
}

/// How many passages of one note a backlink shows.
const MAX_CONTEXTS: usize = 3;

#[derive(Serialize)]
pub(crate) struct TagView {
    slug: String,
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct SourceView {
    key: String,
    entry_type: &'static str,
    year: String,
    authors: Vec<String>,
    container: Option<String>,
    publisher: Option<String>,
    doi: Option<String>,
    link: Option<String>,
    reference: String,
    in_text: String,
    narrative: String,
    bibtex: String,
    cites: Vec<NoteLink>,
}

#[derive(Serialize)]
pub(crate) struct PageView {
    kind: &'static str,
    title: String,
    summary: Option<String>,
    url: String,
    permalink: String,
    content: String,
    tags: Vec<TagView>,
    cited_in: Vec<BacklinkView>,
    linked_from: Vec<BacklinkView>,
    source: Option<SourceView>,
    /// Theme pages: notes tagged with the theme.
    members: Vec<MemberView>,
    /// Theme pages: themes most often tagged together with this one.
    related: Vec<NoteLink>,
    /// List pages (themes, sources, tags, a tag).
    items: Vec<NoteLink>,
}

#[derive(Serialize)]
pub(crate) struct MemberView {
    title: String,
    url: String,
    kind: &'static str,
    reference: String,
}

#[derive(Serialize)]
pub(crate) struct BibEntryView {
    key: String,
    url: String,
    reference: String,
    entry_type: &'static str,
    decade: String,
    themes: Vec<TagView>,
    cited_count: usize,
}

#[derive(Serialize)]
pub(crate) struct LetterView {
    letter: String,
    entries: Vec<BibEntryView>,
}

fn kind_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Source => "source",
        NoteKind::Theme => "theme",
        NoteKind::Page => "page",
    }
}

/// A page's template input: the page view and an extra named value.
#[derive(Serialize)]
pub(crate) struct PageInput {
    pub(crate) page: PageView,
    pub(crate) extra: Option<(&'static str, Vec<LetterView>)>,
}

impl PageInput {
    fn page(page: PageView) -> PageInput {
        PageInput { page, extra: None }
    }
}

/// Builds the views of one site.
pub(crate) struct Views<'a> {
    pub(crate) site: &'a Site,
    pub(crate) bibtex: &'a BTreeMap<String, String>,
}

/// Gives the HTML of a note's body (rendered, or reused by a cache).
pub(crate) type Bodies<'a> = &'a (dyn Fn(usize) -> String + Sync);

impl Views<'_> {
    /// The site-wide values every template sees as `site`.
    pub(crate) fn globals(&self) -> tera::Context {
        let site = self.site;
        let view = SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            language: &site.config.language,
            themes: self.themes(),
            source_count: site.references.len(),
        };
        let mut globals = tera::Context::new();
        globals.insert("site", &view);
        globals
    }

    fn note_link(&self, i: usize) -> NoteLink {
        let note = &self.site.notes[i];
        let short = self
            .site
            .in_text(&note.key)
            .filter(|_| note.kind == NoteKind::Source);
        let count = match note.kind {
            NoteKind::Theme => self.site.tags.get(&note.key).map_or(0, Vec::len),
            _ => self.site.citing_notes(i),
        };
        NoteLink {
            title: note.title.clone(),
            url: self.site.url_of(i),
            kind: kind_name(note.kind),
            short: short
                .map(|t| format!("{} ({})", t.narrative_author, t.year))
                .unwrap_or_default(),
            count,
        }
    }

    fn tag_view(&self, slug: &str) -> TagView {
        let theme = self
            .site
            .by_key
            .get(slug)
            .copied()
            .filter(|&i| self.site.notes[i].kind == NoteKind::Theme);
        TagView {
            slug: slug.to_string(),
            title: theme.map_or_else(|| slug.to_string(), |i| self.site.notes[i].title.clone()),
            url: match theme {
                Some(i) => self.site.url_of(i),
                None => format!("{}tags/{slug}/", self.site.config.base_path),
            },
            count: self.site.tags.get(slug).map_or(0, Vec::len),
        }
    }

    /// One entry per referring note (links are sorted by note), with its first few passages.
    fn backlinks(&self, links: &[Backlink]) -> Vec<BacklinkView> {
        let mut views: Vec<(usize, BacklinkView)> = Vec::new();
        for b in links {
            let context = context_html(self.site, b.from, b.context, b.citation);
            match views.last_mut() {
                Some((from, view)) if *from == b.from => {
                    if view.contexts.len() < MAX_CONTEXTS && !view.contexts.contains(&context) {
                        view.contexts.push(context);
                    }
                }
                _ => {
                    let note = &self.site.notes[b.from];
                    views.push((
                        b.from,
                        BacklinkView {
                            title: note.title.clone(),
                            url: self.site.url_of(b.from),
                            kind: kind_name(note.kind),
                            contexts: vec![context],
                        },
                    ));
                }
            }
        }
        views.into_iter().map(|(_, v)| v).collect()
    }

    fn empty_page(&self, kind: &'static str, title: &str, url_path: &str) -> PageView {
        PageView {
            kind,
            title: title.to_string(),
            summary: None,
            url: format!("{}{url_path}", self.site.config.base_path),
            permalink: format!("{}{url_path}", self.site.config.base_url),
            content: String::new(),
            tags: Vec::new(),
            cited_in: Vec::new(),
            linked_from: Vec::new(),
            source: None,
            members: Vec::new(),
            related: Vec::new(),
            items: Vec::new(),
        }
    }

    /// A page's template input.
    pub(crate) fn view(&self, job: &Job, bodies: Bodies<'_>) -> PageInput {
        match job {
            Job::Note(i) => PageInput::page(self.note_page(*i, bodies)),
            Job::ThemeIndex => {
                let mut page = self.empty_page("list", "Themes", "themes/");
                page.summary = Some("Each theme is a synthesis of what the sources say, with every note tagged with it.".into());
                PageInput::page(PageView {
                    items: self.themes(),
                    ..page
                })
            }
            Job::SourceIndex => {
                let mut page = self.empty_page("list", "Sources", "sources/");
                page.summary =
                    Some("Every source with its annotation, in reference-list order.".into());
                page.items = self
                    .site
                    .bibliography_order
                    .iter()
                    .map(|k| self.note_link(self.site.by_key[k.as_str()]))
                    .collect();
                PageInput::page(page)
            }
            Job::TagIndex => {
                let mut page = self.empty_page("tags", "Tags", "tags/");
                page.tags = self.site.tags.keys().map(|t| self.tag_view(t)).collect();
                PageInput::page(page)
            }
            Job::Tag(slug) => {
                let mut page =
                    self.empty_page("tag", &format!("Tagged “{slug}”"), &format!("tags/{slug}/"));
                page.items = self.site.tags[slug]
                    .iter()
                    .map(|&i| self.note_link(i))
                    .collect();
                PageInput::page(page)
            }
            Job::Bibliography => {
                let mut page = self.empty_page("bibliography", "Bibliography", "bibliography/");
                page.summary = Some("The full reference list in APA 7th edition.".into());
                PageInput {
                    page,
                    extra: Some(("letters", self.letters())),
                }
            }
            Job::NotFound => PageInput::page(self.empty_page("404", "Page not found", "404.html")),
        }
    }

    /// Every theme, in home-page order (weight, then title).
    fn themes(&self) -> Vec<NoteLink> {
        let mut themes: Vec<usize> = (0..self.site.notes.len())
            .filter(|&i| self.site.notes[i].kind == NoteKind::Theme)
            .collect();
        themes.sort_by(|&a, &b| {
            let (x, y) = (&self.site.notes[a], &self.site.notes[b]);
            x.weight.cmp(&y.weight).then_with(|| x.title.cmp(&y.title))
        });
        themes.iter().map(|&i| self.note_link(i)).collect()
    }

    fn note_page(&self, i: usize, bodies: Bodies<'_>) -> PageView {
        let site = self.site;
        let note = &site.notes[i];
        let url_path = note.url_path();
        let mut page = self.empty_page(kind_name(note.kind), &note.title, &url_path);
        page.summary = note.summary.clone();
        page.content = bodies(i);
        page.tags = note.tags.iter().map(|t| self.tag_view(&t.slug)).collect();
        page.cited_in = self.backlinks(&site.cited_by[i]);
        page.linked_from = self.backlinks(&site.linked_from[i]);
        if let (Some(meta), Some(reference)) = (&note.source, site.references.get(&note.key)) {
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
                in_text: format!("({}, {})", reference.in_text.author, reference.in_text.year),
                narrative: format!(
                    "{} ({})",
                    reference.in_text.narrative_author, reference.in_text.year
                ),
                bibtex: self.bibtex.get(&note.key).cloned().unwrap_or_default(),
                cites: site.cites[i]
                    .iter()
                    .filter(|&&t| t != i)
                    .map(|&t| self.note_link(t))
                    .collect(),
            });
        }
        if note.kind == NoteKind::Theme {
            let members = site.tags.get(&note.key).map(Vec::as_slice).unwrap_or(&[]);
            let mut sorted: Vec<usize> = members.iter().copied().filter(|&m| m != i).collect();
            sorted.sort_by_cached_key(|&n| {
                let note = &site.notes[n];
                let order = site.references.get(&note.key).map_or_else(
                    || Cow::Owned(note.title.to_lowercase()),
                    |r| Cow::Borrowed(r.sort_key.as_str()),
                );
                (note.kind, order)
            });
            page.members = sorted
                .iter()
                .map(|&m| {
                    let member = &site.notes[m];
                    MemberView {
                        title: member.title.clone(),
                        url: site.url_of(m),
                        kind: kind_name(member.kind),
                        reference: site
                            .references
                            .get(&member.key)
                            .map(|r| r.html.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect();
            page.related = self.related_themes(i, members);
        }
        page
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

    fn letters(&self) -> Vec<LetterView> {
        let site = self.site;
        let mut letters: Vec<LetterView> = Vec::new();
        for key in &site.bibliography_order {
            let i = site.by_key[key.as_str()];
            let note = &site.notes[i];
            let Some(meta) = &note.source else { continue };
            let letter = meta
                .authors
                .first()
                .and_then(|a| a.family.chars().find(|c| c.is_alphabetic()))
                .map_or_else(|| "#".to_string(), |c| c.to_uppercase().to_string());
            let entry = BibEntryView {
                key: key.clone(),
                url: site.url_of(i),
                reference: site.references[key].html.clone(),
                entry_type: meta.entry_type.as_str(),
                decade: match meta.year {
                    Year::Known(y) => format!("{}s", y / 10 * 10),
                    Year::Unknown => "n.d.".to_string(),
                },
                themes: note
                    .tags
                    .iter()
                    .filter(|t| is_theme(self.site, &t.slug))
                    .map(|t| self.tag_view(&t.slug))
                    .collect(),
                cited_count: site.citing_notes(i),
            };
            match letters.last_mut() {
                Some(l) if l.letter == letter => l.entries.push(entry),
                _ => letters.push(LetterView {
                    letter,
                    entries: vec![entry],
                }),
            }
        }
        letters
    }
}
