//! The pages of a site: one job per page, its template and its output path, known before any
//! page is rendered. A section the site does not have (themes, sources, …: see [`Sections`])
//! has no page.

use super::folders::folders;
use crate::graph::Site;
use crate::note::NoteKind;
use crate::overview::sections::Sections;

/// One page to render.
pub(crate) enum Job {
    Note(usize),
    /// A note whose page is its folder's too (`wildlife/_index.md`, `Wildlife.md` beside
    /// `Wildlife/`): its page lists the folder below its text.
    Intro(usize),
    /// The page of a folder of pages that no note introduces, by its URL path.
    Folder(String),
    ThemeIndex,
    SourceIndex,
    TagIndex,
    Tag(String),
    Bibliography,
    /// The synthesis matrix, the timeline and the citation graph of the whole review.
    Matrix,
    Timeline,
    Graph,
    NotFound,
    /// The home page of a site with no home note (a vault without `Home.md` or `_index.md`).
    Home,
}

/// What a page reads, as far as `gloss serve`'s plan is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageScope {
    /// The page of note `i`.
    Note(usize),
    /// The page of note `i` that also shows figures of the whole review (the home page's "at a
    /// glance"): what changes a listing changes it too.
    NoteAndListing(usize),
    /// A page listing many notes (an index, a tag page, the bibliography) or none (404).
    Listing,
}

impl Job {
    pub(crate) fn scope(&self, site: &Site) -> PageScope {
        match self {
            Job::Note(i) if is_home(site, *i) || introduced_tag(site, *i).is_some() => {
                PageScope::NoteAndListing(*i)
            }
            Job::Intro(i) => PageScope::NoteAndListing(*i),
            Job::Note(i) => PageScope::Note(*i),
            _ => PageScope::Listing,
        }
    }
}

/// Whether note `i` is the home page.
pub(crate) fn is_home(site: &Site, i: usize) -> bool {
    let note = &site.notes[i];
    note.kind == NoteKind::Page && note.key.is_empty()
}

/// The tag whose page note `i` is, with its body as the page's introduction (a Quartz tag note,
/// `tags/<tag>.md`): the note's page lists the tag's notes, and no other page is made for it.
pub(crate) fn introduced_tag(site: &Site, i: usize) -> Option<String> {
    let note = &site.notes[i];
    let slug = note.introduces_tag()?;
    let its_page = note.url_path() == format!("tags/{slug}/");
    (its_page && site.tags.contains_key(&slug) && !is_theme(site, &slug)).then_some(slug)
}

/// Whether `slug` is a theme's.
pub(crate) fn is_theme(site: &Site, slug: &str) -> bool {
    site.by_key
        .get(slug)
        .is_some_and(|&i| site.notes[i].kind == NoteKind::Theme)
}

/// Every page of the site: one per note, the indexes and the views of the whole review the site
/// has, a page per tag naming no theme, and one per folder of pages that no note introduces.
///
/// The pages listing the whole review come first and theme pages next: each of them is one long
/// task (the bibliography of 50,000 sources takes most of a second), and a long task started
/// last would leave the other cores idle while it finishes.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    let has = Sections::of(site);
    let mut jobs = Vec::new();
    for (wanted, job) in [
        (has.sources, Job::Bibliography),
        (has.matrix, Job::Matrix),
        (has.timeline, Job::Timeline),
        (has.graph, Job::Graph),
        (has.sources, Job::SourceIndex),
        (has.themes, Job::ThemeIndex),
        (has.tags, Job::TagIndex),
        (true, Job::NotFound),
    ] {
        if wanted {
            jobs.push(job);
        }
    }
    if !(0..site.notes.len()).any(|i| is_home(site, i)) {
        jobs.push(Job::Home);
    }
    let introduced: std::collections::HashSet<String> = (0..site.notes.len())
        .filter_map(|i| introduced_tag(site, i))
        .collect();
    jobs.extend(
        site.tags
            .keys()
            .filter(|t| !is_theme(site, t) && !introduced.contains(*t))
            .map(|t| Job::Tag(t.clone())),
    );
    // A folder at the URL of a page gloss makes (`graph/`) lists nothing: that page is there.
    let taken: std::collections::BTreeSet<String> =
        jobs.iter().map(|j| target(site, j).1).collect();
    let mut intros = vec![false; site.notes.len()];
    for (path, folder) in folders(site) {
        match folder.intro {
            Some(i) => intros[i] = !is_home(site, i),
            None if !taken.contains(&format!("{path}index.html")) => jobs.push(Job::Folder(path)),
            None => {}
        }
    }
    let is_theme_note = |&i: &usize| site.notes[i].kind == NoteKind::Theme;
    let (themes, others): (Vec<usize>, Vec<usize>) = (0..site.notes.len()).partition(is_theme_note);
    jobs.extend(themes.into_iter().chain(others).map(|i| {
        if intros[i] {
            Job::Intro(i)
        } else {
            Job::Note(i)
        }
    }));
    jobs
}

/// The output path of every page gloss generates itself (not a note's), with what it is.
pub(crate) fn generated_pages(site: &Site) -> Vec<(String, &'static str)> {
    jobs(site)
        .iter()
        .filter_map(|job| {
            let what = match job {
                Job::Note(_) | Job::Intro(_) => return None,
                Job::Folder(_) => "a folder's page",
                Job::ThemeIndex => "the list of themes",
                Job::SourceIndex => "the list of sources",
                Job::TagIndex => "the list of tags",
                Job::Tag(_) => "a tag's page",
                Job::Bibliography => "the bibliography",
                Job::Matrix => "the synthesis matrix",
                Job::Timeline => "the timeline",
                Job::Graph => "the citation graph",
                Job::NotFound => "the page-not-found page",
                Job::Home => "the home page",
            };
            Some((target(site, job).1, what))
        })
        .collect()
}

/// A page's template and output path, known without building its view.
pub(crate) fn target(site: &Site, job: &Job) -> (&'static str, String) {
    let (template, url_path) = match job {
        Job::Note(i) | Job::Intro(i) => {
            let note = &site.notes[*i];
            let template = match note.kind {
                NoteKind::Source => "source.html",
                NoteKind::Theme => "theme.html",
                NoteKind::Page if note.key.is_empty() => "index.html",
                NoteKind::Page if introduced_tag(site, *i).is_some() => "tag.html",
                NoteKind::Page => "page.html",
            };
            (template, note.url_path())
        }
        Job::ThemeIndex => ("list.html", "themes/".into()),
        Job::SourceIndex => ("list.html", "sources/".into()),
        Job::TagIndex => ("tags.html", "tags/".into()),
        Job::Tag(slug) => ("tag.html", format!("tags/{slug}/")),
        Job::Bibliography => ("bibliography.html", "bibliography/".into()),
        Job::Matrix => ("matrix.html", "matrix/".into()),
        Job::Timeline => ("timeline.html", "timeline/".into()),
        Job::Graph => ("graph.html", "graph/".into()),
        Job::Folder(path) => ("folder.html", path.clone()),
        Job::NotFound => ("404.html", "404.html".into()),
        Job::Home => ("index.html", String::new()),
    };
    let path = if url_path.ends_with(".html") {
        url_path
    } else {
        format!("{url_path}index.html")
    };
    (template, path)
}
