//! The views handed to templates: plain serializable structs built from the resolved site,
//! never the graph's internals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::jobs::Job;
use crate::graph::Site;
use crate::note::NoteKind;

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) base_url: &'a str,
    pub(super) base_path: &'a str,
    pub(super) language: &'a str,
    pub(super) themes: Vec<NoteLink>,
    pub(super) source_count: usize,
}

#[derive(Serialize, Clone)]
pub(crate) struct NoteLink {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) kind: &'static str,
    /// Short in-text form for sources (`Jabeen (2009)`), else "".
    pub(super) short: String,
    pub(super) count: usize,
    /// A draft, shown by `gloss serve` only.
    pub(super) draft: bool,
}

#[derive(Serialize)]
pub(crate) struct BacklinkView {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) kind: &'static str,
    /// The passages that refer, as HTML (at most a few per note).
    pub(super) contexts: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct TagView {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(crate) struct SourceView {
    pub(super) key: String,
    pub(super) entry_type: &'static str,
    pub(super) year: String,
    pub(super) authors: Vec<String>,
    pub(super) container: Option<String>,
    pub(super) publisher: Option<String>,
    pub(super) doi: Option<String>,
    pub(super) link: Option<String>,
    pub(super) reference: String,
    pub(super) in_text: String,
    pub(super) narrative: String,
    pub(super) bibtex: String,
    /// The source as a CSL-JSON item.
    pub(super) csl_json: String,
    /// Highwire Press `citation_*` meta tags, for Zotero's connector and Google Scholar.
    pub(super) highwire: Vec<MetaTag>,
    pub(super) cites: Vec<NoteLink>,
}

#[derive(Serialize)]
pub(crate) struct MetaTag {
    pub(super) name: &'static str,
    pub(super) content: String,
}

#[derive(Serialize)]
pub(crate) struct PageView {
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) summary: Option<String>,
    /// A draft, shown by `gloss serve` only.
    pub(super) draft: bool,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) content: String,
    pub(super) tags: Vec<TagView>,
    pub(super) cited_in: Vec<BacklinkView>,
    pub(super) linked_from: Vec<BacklinkView>,
    pub(super) source: Option<SourceView>,
    /// Theme pages: notes tagged with the theme.
    pub(super) members: Vec<MemberView>,
    /// Theme pages: themes most often tagged together with this one.
    pub(super) related: Vec<NoteLink>,
    /// List pages (themes, sources, tags, a tag).
    pub(super) items: Vec<NoteLink>,
}

#[derive(Serialize)]
pub(crate) struct MemberView {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) kind: &'static str,
    pub(super) reference: String,
}

#[derive(Serialize)]
pub(crate) struct BibEntryView {
    pub(super) key: String,
    pub(super) url: String,
    pub(super) reference: String,
    pub(super) entry_type: &'static str,
    pub(super) decade: String,
    pub(super) themes: Vec<TagView>,
    pub(super) cited_count: usize,
}

#[derive(Serialize)]
pub(crate) struct LetterView {
    pub(super) letter: String,
    pub(super) entries: Vec<BibEntryView>,
}

pub(super) fn kind_name(kind: NoteKind) -> &'static str {
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

    pub(super) fn note_link(&self, i: usize) -> NoteLink {
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
            draft: note.draft,
        }
    }

    pub(super) fn tag_view(&self, slug: &str) -> TagView {
        let theme = self
            .site
            .by_key
            .get(slug)
            .copied()
            .filter(|&i| self.site.notes[i].kind == NoteKind::Theme);
        TagView {
            slug: slug.to_string(),
            title: theme.map_or_else(|| slug.to_string(), |i| self.site.notes[i].title.clone()),
            url: self.site.tag_url(slug),
            count: self.site.tags.get(slug).map_or(0, Vec::len),
        }
    }

    pub(super) fn empty_page(&self, kind: &'static str, title: &str, url_path: &str) -> PageView {
        PageView {
            kind,
            title: title.to_string(),
            summary: None,
            draft: false,
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
            Job::Home => {
                // No note is the home page: the site's title over its notes, themes first.
                let mut page = self.empty_page("page", &self.site.config.title, "");
                let mut pages: Vec<usize> = (0..self.site.notes.len())
                    .filter(|&i| self.site.notes[i].kind == NoteKind::Page)
                    .collect();
                pages.sort_by(|&a, &b| self.site.notes[a].rel.cmp(&self.site.notes[b].rel));
                page.items = pages.into_iter().map(|i| self.note_link(i)).collect();
                PageInput::page(page)
            }
        }
    }

    /// Every theme, in home-page order (weight, then title).
    pub(super) fn themes(&self) -> Vec<NoteLink> {
        let mut themes: Vec<usize> = (0..self.site.notes.len())
            .filter(|&i| self.site.notes[i].kind == NoteKind::Theme)
            .collect();
        themes.sort_by(|&a, &b| {
            let (x, y) = (&self.site.notes[a], &self.site.notes[b]);
            x.weight.cmp(&y.weight).then_with(|| x.title.cmp(&y.title))
        });
        themes.iter().map(|&i| self.note_link(i)).collect()
    }
}
