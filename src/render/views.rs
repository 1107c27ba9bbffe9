//! The views handed to templates: plain serializable structs built from the resolved site,
//! never the graph's internals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::entries::{LetterView, TagView};
use super::folders::{Crumb, Folder, FolderView};
use super::reads::{Around, Marks, shows, theme_pages, themes_of};
use crate::graph::Site;
use crate::note::NoteKind;
use crate::overview::glance::Glance;
use crate::overview::graph::GraphView;
use crate::overview::local::LocalGraph;
use crate::overview::matrix::MatrixView;
use crate::overview::sections::Sections;
use crate::overview::sparkline::Sparkline;
use crate::overview::timeline::TimelineView;

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) base_url: &'a str,
    pub(super) base_path: &'a str,
    pub(super) language: &'a str,
    /// Whether any note has a `date` or `updated` (the Atom feed then has entries and is linked).
    pub(super) has_feed: bool,
    /// Whether the build makes a search index (`search:` in site.yaml).
    pub(super) search: bool,
    /// The sections the site has, which the navigation, home page and footer link to.
    pub(super) sections: Sections,
}

#[derive(Serialize, Clone)]
pub(crate) struct NoteLink {
    /// The citation key, theme slug or page path.
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) kind: &'static str,
    /// Short in-text form for sources (`Jabeen (2009)`), else "".
    pub(super) short: String,
    /// A theme: the sources tagged with it (what the bibliography's theme filter shows); a
    /// source: the other notes citing it.
    pub(super) count: usize,
    /// A theme: the works its text cites (its reference list); else 0.
    pub(super) cites: usize,
    /// A draft, shown by `gloss serve` only.
    pub(super) draft: bool,
}

shows!(NoteLink {
    slug: Key,
    title: Title,
    url: Key,
    kind: Key,
    short: Reference,
    count: CitedBy | Tagged,
    cites: Cites,
    draft: Fields,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    // The listings, the members of the themes it is tagged with (sorted by title or reference),
    // and a theme among every theme's related themes.
    let site = around.site;
    marks.listings();
    for t in themes_of(site, j) {
        marks.page(t);
    }
    if site.notes[j].kind == NoteKind::Theme {
        theme_pages(site, marks);
    }
});

/// A note that cites or links to the page, with the passages that do.
#[derive(Serialize)]
pub(crate) struct BacklinkView {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) kind: &'static str,
    /// A source's in-text short form (`Jabeen (2009)`), else "".
    pub(super) short: String,
    /// The passages that refer, as HTML (at most a few per note), the reference in `<mark>`.
    pub(super) contexts: Vec<String>,
}

shows!(BacklinkView {
    title: Title,
    url: Key,
    kind: Key,
    short: Reference,
    contexts: Passages,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    for &t in &around.targets[j] {
        marks.page(t);
    }
});

/// The backlinks from one kind of note: the first few, and the rest (shown collapsed).
#[derive(Serialize)]
pub(crate) struct BacklinkGroup {
    pub(super) kind: &'static str,
    /// "Themes", "Sources", "Pages".
    pub(super) label: &'static str,
    pub(super) count: usize,
    pub(super) shown: Vec<BacklinkView>,
    pub(super) more: Vec<BacklinkView>,
}

/// One work a page's text cites, for its reference list.
#[derive(Serialize)]
pub(crate) struct ReferenceView {
    pub(super) key: String,
    pub(super) url: String,
    /// The reference-list entry in the site's style as HTML, linked to its note (see `linked_reference`).
    pub(super) reference: String,
}

shows!(ReferenceView {
    key: Key,
    url: Key,
    reference: Reference,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    for b in &around.site.cited_by[j] {
        marks.page(b.from);
    }
});

/// One heading of a page's table of contents.
#[derive(Serialize)]
pub(crate) struct TocEntry {
    pub(super) id: String,
    /// The heading's text as HTML (citations and links as their displayed text).
    pub(super) html: String,
    /// 2 or 3.
    pub(super) level: u8,
}

/// What the search index files a page under: `data-pagefind-filter` and `-meta` values.
#[derive(Serialize, Default)]
pub(crate) struct SearchView {
    /// "Source", "Theme" or "Page"; "" for generated listings (not indexed).
    pub(super) kind: &'static str,
    /// The titles of the themes a note is tagged with (a theme: itself).
    pub(super) themes: Vec<String>,
    /// A source's decade ("1990s", "n.d."), else "".
    pub(super) decade: String,
    /// A source's short form, shown in results, else "".
    pub(super) short: String,
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
    /// The page's own description (its summary or first words), else the site's.
    pub(super) description: String,
    pub(super) tags: Vec<TagView>,
    /// The notes citing or linking to this one, by kind.
    pub(super) backlinks: Vec<BacklinkGroup>,
    /// The works the page's text cites, in reference-list order.
    pub(super) references: Vec<ReferenceView>,
    /// The page's sections, when it has several.
    pub(super) toc: Vec<TocEntry>,
    /// The preview cards of the notes the page links to, as JSON for a `<script>` element
    /// (`<` escaped), or "" when it links to none.
    pub(super) previews: String,
    /// Whether the body holds highlighted code (the page then loads `syntax.css`).
    pub(super) has_code: bool,
    pub(super) search: SearchView,
    pub(super) source: Option<SourceView>,
    /// Theme pages: notes tagged with the theme.
    pub(super) members: Vec<NoteLink>,
    /// Theme pages: themes most often tagged together with this one.
    pub(super) related: Vec<NoteLink>,
    /// List pages (themes, sources, tags, a tag).
    pub(super) items: Vec<NoteLink>,
    /// Source and theme pages: the notes citing this one and the works it cites, drawn.
    pub(super) local_graph: Option<LocalGraph>,
    /// Theme pages: the years of the works it cites.
    pub(super) sparkline: Option<Sparkline>,
    /// The home page: the review at a glance.
    pub(super) glance: Option<Glance>,
    /// The home page and the bibliography: every theme, with how many sources carry it. Not a
    /// site-wide value, so that tagging a source re-renders these pages, not every page.
    pub(super) themes: Vec<NoteLink>,
    /// A folder's page (the home page too): its subfolders and notes.
    pub(super) folder: Option<FolderView>,
    /// The folders above a page, from the home page down.
    pub(super) crumbs: Vec<Crumb>,
}

pub(super) use crate::overview::kind_name;

/// What a listing page shows beside its page view, under its own name in the template.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Extra {
    Letters(Vec<LetterView>),
    Matrix(MatrixView),
    Timeline(TimelineView),
    Graph(GraphView),
}

/// A page's template input: the page view and an extra named value.
#[derive(Serialize)]
pub(crate) struct PageInput {
    pub(crate) page: PageView,
    pub(crate) extra: Option<(&'static str, Extra)>,
}

impl PageInput {
    pub(super) fn page(page: PageView) -> PageInput {
        PageInput { page, extra: None }
    }
}

/// Builds the views of one site.
pub(crate) struct Views<'a> {
    pub(crate) site: &'a Site,
    pub(crate) bibtex: &'a BTreeMap<String, String>,
    /// The folders of pages, found once for every folder's page.
    folders: std::sync::OnceLock<BTreeMap<String, Folder>>,
}

/// Gives the HTML of a note's body (rendered, or reused by a cache).
pub(crate) type Bodies<'a> = &'a (dyn Fn(usize) -> String + Sync);

impl<'a> Views<'a> {
    pub(crate) fn new(site: &'a Site, bibtex: &'a BTreeMap<String, String>) -> Views<'a> {
        Views {
            site,
            bibtex,
            folders: std::sync::OnceLock::new(),
        }
    }

    /// The folders of the site's pages (see [`super::folders`]).
    pub(super) fn folders(&self) -> &BTreeMap<String, Folder> {
        self.folders
            .get_or_init(|| super::folders::folders(self.site))
    }

    /// The site-wide values every template sees as `site`.
    pub(crate) fn globals(&self) -> tera::Context {
        let site = self.site;
        let view = SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            language: &site.config.language,
            search: site.config.search,
            sections: Sections::of(site),
            has_feed: site
                .notes
                .iter()
                .any(|n| n.date.is_some() || n.updated.is_some()),
        };
        let mut globals = tera::Context::new();
        globals.insert("site", &view);
        globals
    }

    pub(super) fn note_link(&self, i: usize) -> NoteLink {
        let note = &self.site.notes[i];
        let short = match note.kind {
            NoteKind::Source => self.site.short_form(&note.key),
            _ => None,
        };
        let count = match note.kind {
            NoteKind::Theme => self.tagged_sources(&note.key),
            _ => self.site.citing_notes(i),
        };
        let cites = match note.kind {
            NoteKind::Theme => self.site.cites[i].iter().filter(|&&t| t != i).count(),
            _ => 0,
        };
        NoteLink {
            slug: note.key.clone(),
            title: note.title.clone(),
            url: self.site.url_of(i),
            kind: kind_name(note.kind),
            short: short.unwrap_or_default(),
            count,
            cites,
            draft: note.draft,
        }
    }

    /// How many sources carry tag `slug`: the one count of a theme's sources every page shows.
    pub(super) fn tagged_sources(&self, slug: &str) -> usize {
        crate::overview::tagged_sources(self.site, slug)
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
            description: self.site.config.description.clone(),
            tags: Vec::new(),
            backlinks: Vec::new(),
            references: Vec::new(),
            toc: Vec::new(),
            previews: String::new(),
            has_code: false,
            search: SearchView::default(),
            source: None,
            members: Vec::new(),
            related: Vec::new(),
            items: Vec::new(),
            local_graph: None,
            sparkline: None,
            glance: None,
            themes: Vec::new(),
            folder: None,
            crumbs: Vec::new(),
        }
    }

    /// Every theme, in home-page order (weight, then title).
    pub(super) fn themes(&self) -> Vec<NoteLink> {
        crate::overview::themes_in_order(self.site)
            .into_iter()
            .map(|i| self.note_link(i))
            .collect()
    }
}
