//! Turns the resolved [`Site`] into pages in memory: serializable views handed to tera templates.
//! Pure apart from the templates it is given; pages render in parallel.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Diagnostic;
use crate::graph::{Backlink, Site};
use crate::incremental::{PageScope, RenderMemo};
use crate::note::{NoteKind, Year};
use crate::templates::Templates;

/// One file of the built site, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A generated file as `gloss serve` keeps it: its path, and bytes shared with the render memo.
pub type SharedFile = (String, Arc<[u8]>);

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    themes: Vec<NoteLink>,
    source_count: usize,
}

#[derive(Serialize, Clone)]
struct NoteLink {
    title: String,
    url: String,
    kind: &'static str,
    /// Short in-text form for sources (`Jabeen (2009)`), else "".
    short: String,
    count: usize,
}

#[derive(Serialize)]
struct BacklinkView {
    title: String,
    url: String,
    kind: &'static str,
    /// The passages that refer, as HTML (at most a few per note).
    contexts: Vec<String>,
}

/// How many passages of one note a backlink shows.
const MAX_CONTEXTS: usize = 3;

#[derive(Serialize)]
struct TagView {
    slug: String,
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SourceView {
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
struct PageView {
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
struct MemberView {
    title: String,
    url: String,
    kind: &'static str,
    reference: String,
}

#[derive(Serialize)]
struct BibEntryView {
    key: String,
    url: String,
    reference: String,
    entry_type: &'static str,
    decade: String,
    themes: Vec<TagView>,
    cited_count: usize,
}

#[derive(Serialize)]
struct LetterView {
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

/// Renders every HTML page of the site.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    bibtex: &BTreeMap<String, String>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, templates, bibtex);
    let jobs = renderer.jobs();
    let results: Vec<Result<OutputFile, Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(job)).collect();
    collect_results(results)
}

/// The path of every page [`render_site_streaming`] will render, in the order it renders them.
pub fn page_paths(
    site: &Site,
    templates: &Templates,
    bibtex: &BTreeMap<String, String>,
) -> Vec<String> {
    let renderer = Renderer::new(site, templates, bibtex);
    let jobs = renderer.jobs();
    jobs.iter().map(|job| renderer.target(job).1).collect()
}

/// Renders every page and hands each to `emit` as soon as it exists, so that `gloss build` never
/// holds the whole site in memory. Returns the pages' paths; the first error stops nothing else,
/// but every render problem is reported.
pub fn render_site_streaming(
    site: &Site,
    templates: &Templates,
    bibtex: &BTreeMap<String, String>,
    emit: &(dyn Fn(&OutputFile) -> crate::Result<()> + Sync),
) -> crate::Result<Vec<String>> {
    let renderer = Renderer::new(site, templates, bibtex);
    let jobs = renderer.jobs();
    let results: Vec<Result<String, crate::Error>> = jobs
        .par_iter()
        .map(|job| {
            let file = renderer
                .render(job)
                .map_err(|d| crate::Error::Content(vec![d]))?;
            emit(&file)?;
            Ok(file.path)
        })
        .collect();
    let mut paths = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(path) => paths.push(path),
            Err(crate::Error::Content(mut d)) => diagnostics.append(&mut d),
            Err(other) => return Err(other),
        }
    }
    if diagnostics.is_empty() {
        Ok(paths)
    } else {
        diagnostics.sort();
        diagnostics.dedup();
        Err(crate::Error::Content(diagnostics))
    }
}

/// Like [`render_site`], through `memo` (`gloss serve`): a page the memo's plan says cannot have
/// changed is reused without building its template input, and a page or note body whose inputs
/// equal those of the memo's previous build is reused instead of rendered. Returns each page's
/// path and bytes, the same bytes as [`render_site`]'s.
///
/// The plan (`incremental::plan`) relies on what the views below read of each note; a view that
/// starts reading more (a note's body on a listing page, say) must be reflected there. The test
/// `planned_builds_skip_only_pages_that_cannot_have_changed` checks the plan against the views.
pub fn render_site_memo(
    site: &Site,
    templates: &Templates,
    bibtex: &BTreeMap<String, String>,
    memo: &mut RenderMemo,
) -> Result<Vec<SharedFile>, Vec<Diagnostic>> {
    let mut renderer = Renderer::new(site, templates, bibtex);
    memo.begin(templates.sources(), &renderer.globals);
    renderer.memo = Some(memo);
    let jobs = renderer.jobs();
    let results: Vec<Result<SharedFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let (template, path) = renderer.target(job);
            let scope = match job {
                Job::Note(i) => PageScope::Note(*i),
                _ => PageScope::Listing,
            };
            let bytes = memo.page(
                &path,
                scope,
                template,
                || renderer.view(job),
                |(page, extra)| renderer.render_view(template, page, extra),
            )?;
            Ok((path, bytes))
        })
        .collect();
    drop(renderer);
    memo.finish();
    collect_results(results)
}

fn collect_results<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        errors.sort();
        errors.dedup();
        Err(errors)
    }
}

/// A page's template input: the page view and an extra named value.
type PageInput = (PageView, Option<(&'static str, Vec<LetterView>)>);

enum Job {
    Note(usize),
    ThemeIndex,
    SourceIndex,
    TagIndex,
    Tag(String),
    Bibliography,
    NotFound,
}

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    bibtex: &'a BTreeMap<String, String>,
    globals: tera::Context,
    memo: Option<&'a RenderMemo>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, templates: &'a Templates, bibtex: &'a BTreeMap<String, String>) -> Self {
        let mut r = Renderer {
            site,
            templates,
            bibtex,
            globals: tera::Context::new(),
            memo: None,
        };
        let view = SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            language: &site.config.language,
            themes: r.themes(),
            source_count: site.references.len(),
        };
        r.globals.insert("site", &view);
        r
    }

    /// Every page of the site: one per note, the indexes, and a page per tag naming no theme.
    ///
    /// The pages listing the whole review come first and theme pages next: each of them is one
    /// long task (the bibliography of 50,000 sources takes most of a second), and a long task
    /// started last would leave the other cores idle while it finishes.
    fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![
            Job::Bibliography,
            Job::SourceIndex,
            Job::ThemeIndex,
            Job::TagIndex,
            Job::NotFound,
        ];
        jobs.extend(
            self.site
                .tags
                .keys()
                .filter(|t| !self.is_theme(t))
                .map(|t| Job::Tag(t.clone())),
        );
        let is_theme = |&i: &usize| self.site.notes[i].kind == NoteKind::Theme;
        let (themes, others): (Vec<usize>, Vec<usize>) =
            (0..self.site.notes.len()).partition(is_theme);
        jobs.extend(themes.into_iter().chain(others).map(Job::Note));
        jobs
    }

    fn is_theme(&self, slug: &str) -> bool {
        self.site
            .by_key
            .get(slug)
            .is_some_and(|&i| self.site.notes[i].kind == NoteKind::Theme)
    }

    fn note_link(&self, i: usize) -> NoteLink {
        let note = &self.site.notes[i];
        let short = self
            .site
            .in_text(&note.key)
            .filter(|_| note.kind == NoteKind::Source);
        let count = match note.kind {
            NoteKind::Theme => self.site.tags.get(&note.key).map_or(0, Vec::len),
            _ => self.site.cited_by[i]
                .iter()
                .map(|b| b.from)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
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
            let context = self.site.context_html(b.from, b.context, b.citation);
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

    fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let (template, path) = self.target(job);
        let (page, extra) = self.view(job);
        let bytes = self.render_view(template, &page, &extra)?;
        Ok(OutputFile { path, bytes })
    }

    /// A page's template and output path, known without building its view.
    fn target(&self, job: &Job) -> (&'static str, String) {
        let (template, url_path) = match job {
            Job::Note(i) => {
                let note = &self.site.notes[*i];
                let template = match note.kind {
                    NoteKind::Source => "source.html",
                    NoteKind::Theme => "theme.html",
                    NoteKind::Page if note.key.is_empty() => "index.html",
                    NoteKind::Page => "page.html",
                };
                (template, note.url_path())
            }
            Job::ThemeIndex => ("list.html", "themes/".into()),
            Job::SourceIndex => ("list.html", "sources/".into()),
            Job::TagIndex => ("tags.html", "tags/".into()),
            Job::Tag(slug) => ("tag.html", format!("tags/{slug}/")),
            Job::Bibliography => ("bibliography.html", "bibliography/".into()),
            Job::NotFound => ("404.html", "404.html".into()),
        };
        let path = if url_path.ends_with(".html") {
            url_path
        } else {
            format!("{url_path}index.html")
        };
        (template, path)
    }

    /// A page's template input.
    fn view(&self, job: &Job) -> PageInput {
        match job {
            Job::Note(i) => (self.note_page(*i), None),
            Job::ThemeIndex => {
                let mut page = self.empty_page("list", "Themes", "themes/");
                page.summary = Some("Each theme is a synthesis of what the sources say, with every note tagged with it.".into());
                (
                    PageView {
                        items: self.themes(),
                        ..page
                    },
                    None,
                )
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
                (page, None)
            }
            Job::TagIndex => {
                let mut page = self.empty_page("tags", "Tags", "tags/");
                page.tags = self.site.tags.keys().map(|t| self.tag_view(t)).collect();
                (page, None)
            }
            Job::Tag(slug) => {
                let mut page =
                    self.empty_page("tag", &format!("Tagged “{slug}”"), &format!("tags/{slug}/"));
                page.items = self.site.tags[slug]
                    .iter()
                    .map(|&i| self.note_link(i))
                    .collect();
                (page, None)
            }
            Job::Bibliography => {
                let mut page = self.empty_page("bibliography", "Bibliography", "bibliography/");
                page.summary = Some("The full reference list in APA 7th edition.".into());
                (page, Some(("letters", self.letters())))
            }
            Job::NotFound => (self.empty_page("404", "Page not found", "404.html"), None),
        }
    }

    fn render_view(
        &self,
        template: &str,
        page: &PageView,
        extra: &Option<(&'static str, Vec<LetterView>)>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut context = self.globals.clone();
        context.insert("page", page);
        if let Some((name, letters)) = extra {
            context.insert(*name, letters);
        }
        self.templates
            .render(template, &context)
            .map(String::into_bytes)
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

    fn note_page(&self, i: usize) -> PageView {
        let site = self.site;
        let note = &site.notes[i];
        let url_path = note.url_path();
        let mut page = self.empty_page(kind_name(note.kind), &note.title, &url_path);
        page.summary = note.summary.clone();
        page.content = match self.memo {
            Some(memo) => memo.body(site, i),
            None => site.render_body(i),
        };
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
                if tag.slug != site.notes[i].key && self.is_theme(&tag.slug) {
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
                    .filter(|t| self.is_theme(&t.slug))
                    .map(|t| self.tag_view(&t.slug))
                    .collect(),
                cited_count: site.cited_by[i]
                    .iter()
                    .map(|b| b.from)
                    .filter(|&f| f != i)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
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
