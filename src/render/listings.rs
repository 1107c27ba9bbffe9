//! The pages of the whole review's lists: the indexes of themes, sources and tags, a tag's
//! page, the bibliography, the home page of a site with no home note and the pages of folders;
//! and the dispatch of every job to its view.

use std::collections::BTreeMap;

use super::folders::{
    Folder, FolderItem, FolderView, LIST_WORDS, first_words, folder_crumbs, natural,
};
use super::jobs::{Job, introduced_tag};
use super::views::{Bodies, Extra, PageInput, PageView, Views};
use crate::overview::glance::Glance;

impl Views<'_> {
    /// A page's template input.
    pub(crate) fn view(&self, job: &Job, bodies: Bodies<'_>) -> PageInput {
        match job {
            Job::Note(i) => match introduced_tag(self.site, *i) {
                // A tag note: the tag's page, with the note's body as its introduction.
                Some(slug) => {
                    let mut page = self.note_page(*i, bodies);
                    page.kind = "tag";
                    if page.title.eq_ignore_ascii_case(&slug) {
                        page.title = format!("Tagged “{slug}”");
                    }
                    page.items = self.site.tags[&slug]
                        .iter()
                        .map(|&j| self.note_link(j))
                        .collect();
                    PageInput::page(page)
                }
                None => PageInput::page(self.note_page(*i, bodies)),
            },
            Job::Intro(i) => {
                let mut page = self.note_page(*i, bodies);
                let path = self.site.notes[*i].url_path();
                page.folder = Some(self.folder_view(self.folders(), &path, &|_| false));
                PageInput::page(page)
            }
            Job::Folder(path) => {
                let folder = &self.folders()[path.as_str()];
                let mut page = self.empty_page("folder", &folder.name, path);
                page.crumbs = folder_crumbs(&self.site.config.base_path, self.folders(), path);
                page.folder = Some(self.folder_view(self.folders(), path, &|_| false));
                PageInput::page(page)
            }
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
                page.summary = Some(format!(
                    "The full reference list in {}.",
                    self.site.style.title()
                ));
                page.themes = self.themes();
                PageInput {
                    page,
                    extra: Some(("letters", Extra::Letters(self.letters()))),
                }
            }
            Job::Matrix | Job::Timeline | Job::Graph => self.figure(job),
            Job::NotFound => PageInput::page(self.empty_page("404", "Page not found", "404.html")),
            Job::Home => {
                // No note is the home page: the site's title over its folders and notes.
                let mut page = self.empty_page("page", &self.site.config.title, "");
                page.folder = Some(self.folder_view(self.folders(), "", &|_| false));
                page.glance = Some(Glance::of(self.site));
                page.themes = self.themes();
                PageInput::page(page)
            }
        }
    }
}

impl Views<'_> {
    /// The list of the folder at `path`, leaving out the notes `skip` says (the home page's
    /// text already links to them).
    pub(super) fn folder_view(
        &self,
        all: &BTreeMap<String, Folder>,
        path: &str,
        skip: &dyn Fn(usize) -> bool,
    ) -> FolderView {
        let site = self.site;
        let folder = &all[path];
        let item = |i: usize, title: String, count: usize| FolderItem {
            title,
            url: site.url_of(i),
            text: first_words(&super::preview_text(site, i), LIST_WORDS),
            count,
            draft: site.notes[i].draft,
        };
        let mut folders: Vec<FolderItem> = folder
            .folders
            .iter()
            .map(|p| {
                let sub = &all[p];
                let base = &site.config.base_path;
                match sub.intro {
                    Some(i) => item(i, sub.name.clone(), sub.count),
                    None => FolderItem {
                        title: sub.name.clone(),
                        url: format!("{base}{p}"),
                        text: String::new(),
                        count: sub.count,
                        draft: false,
                    },
                }
            })
            .collect();
        let mut notes: Vec<FolderItem> = folder
            .notes
            .iter()
            .filter(|&&i| !skip(i))
            .map(|&i| item(i, site.notes[i].title.clone(), 0))
            .collect();
        for list in [&mut folders, &mut notes] {
            list.sort_by_cached_key(|f| (natural(&f.title), f.url.clone()));
        }
        FolderView {
            folders,
            notes,
            count: folder.count,
        }
    }
}
