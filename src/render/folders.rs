//! Folders of pages, as Quartz shows a vault's: every folder holding published pages has a page
//! at its URL listing its notes and subfolders (a title and the first words of each), and every
//! page's breadcrumbs lead up through its folders to the home page.
//!
//! Folders follow the pages' URLs (`Wildlife/Insects/Beetles.md` is at `wildlife/insects/beetles/`,
//! so `wildlife/` and `wildlife/insects/` are folders); sources and themes have their own lists.
//! A note whose page is at a folder's URL is that folder's introduction, its page the folder's
//! page with the listing below its text: `wildlife/_index.md` or `wildlife/index.md` (keyed by the
//! folder), or `Wildlife.md` beside the folder `Wildlife/` (Obsidian's folder notes). The home
//! page is the root folder's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::reads::{Around, Marks, shows};
use crate::graph::Site;
use crate::note::NoteKind;

/// How many words of its summary or text a note shows in its folder's list.
pub(super) const LIST_WORDS: usize = 24;

/// A folder of pages.
pub(crate) struct Folder {
    /// Its name as the first note in it writes it (`Insects`).
    pub(crate) name: String,
    /// The pages directly in it, but the introductions of its subfolders (listed as folders).
    pub(crate) notes: Vec<usize>,
    /// Its subfolders' URL paths.
    pub(crate) folders: Vec<String>,
    /// The note whose page is the folder's page, if one is.
    pub(crate) intro: Option<usize>,
    /// How many pages are in it and below it (its introduction aside).
    pub(crate) count: usize,
}

/// Every folder of the site's pages by URL path (`wildlife/insects/`), the root (`""`) included.
pub(crate) fn folders(site: &Site) -> BTreeMap<String, Folder> {
    let mut all: BTreeMap<String, Folder> = BTreeMap::new();
    let folder = |name: &str| Folder {
        name: name.to_string(),
        notes: Vec::new(),
        folders: Vec::new(),
        intro: None,
        count: 0,
    };
    all.insert(String::new(), folder(""));
    let pages: Vec<(usize, String)> = (0..site.notes.len())
        .filter(|&i| site.notes[i].kind == NoteKind::Page)
        .map(|i| (i, site.notes[i].url_path()))
        .collect();
    for (i, url) in &pages {
        let names: Vec<&str> = site.notes[*i].key.split('/').collect();
        let mut parent = String::new();
        for (depth, (at, _)) in url.match_indices('/').enumerate() {
            let path = &url[..=at];
            if path == url {
                break;
            }
            if !all.contains_key(path) {
                all.insert(
                    path.to_string(),
                    folder(names.get(depth).copied().unwrap_or("")),
                );
                let up = all.get_mut(&parent).expect("parents come first");
                up.folders.push(path.to_string());
            }
            all.get_mut(&parent).expect("known").count += 1;
            parent = path.to_string();
        }
        if !url.is_empty() {
            all.get_mut(&parent).expect("known").count += 1;
        }
    }
    for (i, url) in &pages {
        match all.get_mut(url.as_str()) {
            Some(f) if f.intro.is_none() => f.intro = Some(*i),
            // Notes never share a URL: `distinct_urls` numbers the second.
            Some(_) => {}
            None => {
                let parent = url[..url.len() - 1].rfind('/').map_or("", |at| &url[..=at]);
                all.get_mut(parent).expect("known").notes.push(*i);
            }
        }
    }
    all
}

/// One entry of a folder's list: a note, or a subfolder with its introduction's first words.
#[derive(Serialize)]
pub(crate) struct FolderItem {
    pub(super) title: String,
    pub(super) url: String,
    /// The note's (or the introduction's) summary or first words.
    pub(super) text: String,
    /// A subfolder: how many pages are in it and below; 0 for a note.
    pub(super) count: usize,
    pub(super) draft: bool,
}

// A page in its folder's list; an introduction as its folder in the parent's list.
shows!(FolderItem {
    title: Title,
    url: Key,
    text: Preview,
    count: Key,
    draft: Fields,
} on |around: &Around<'_>, j, marks: &mut dyn Marks| {
    if around.site.notes[j].kind == NoteKind::Page {
        marks.listings();
    }
});

/// What a folder's page lists, subfolders first.
#[derive(Serialize)]
pub(crate) struct FolderView {
    pub(super) folders: Vec<FolderItem>,
    pub(super) notes: Vec<FolderItem>,
    /// How many pages are in it and below it.
    pub(super) count: usize,
}

/// A step of a page's breadcrumbs: a folder above it.
#[derive(Serialize)]
pub(crate) struct Crumb {
    pub(super) name: String,
    pub(super) url: String,
}

/// The breadcrumbs of the page at `url_path` whose note is keyed `key` (its folders named as the
/// key writes them): the home page, then each folder above it.
pub(crate) fn crumbs(base: &str, key: &str, url_path: &str) -> Vec<Crumb> {
    let names: Vec<&str> = key.split('/').collect();
    let mut out = vec![Crumb {
        name: "Home".to_string(),
        url: base.to_string(),
    }];
    for (depth, (at, _)) in url_path.match_indices('/').enumerate() {
        if at + 1 == url_path.len() {
            break;
        }
        out.push(Crumb {
            name: names.get(depth).copied().unwrap_or("").to_string(),
            url: format!("{base}{}", &url_path[..=at]),
        });
    }
    out
}

/// The breadcrumbs of the folder at `path`: the home page, then each folder above it, named as
/// its own page names it.
pub(crate) fn folder_crumbs(base: &str, all: &BTreeMap<String, Folder>, path: &str) -> Vec<Crumb> {
    let mut out = crumbs(base, "", path);
    for crumb in out.iter_mut().skip(1) {
        if let Some(folder) = crumb.url.strip_prefix(base).and_then(|p| all.get(p)) {
            crumb.name = folder.name.clone();
        }
    }
    out
}

/// The first `n` words of `text`, with an ellipsis when there were more.
pub(super) fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let kept: Vec<&str> = words.by_ref().take(n).collect();
    let mut out = kept.join(" ");
    if words.next().is_some() {
        out = format!("{}…", out.trim_end_matches(['…', ',', ';', ':']));
    }
    out
}

/// A sort key that orders names as people do: case aside, and numbers by value (`Lecture 2`
/// before `Lecture 10`).
pub(super) fn natural(name: &str) -> Vec<(u8, u64, String)> {
    let mut key = Vec::new();
    let mut chars = name.chars().peekable();
    while let Some(&c) = chars.peek() {
        let digits = c.is_ascii_digit();
        let mut run = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digits {
                break;
            }
            run.push(c);
            chars.next();
        }
        key.push(match digits {
            true => (0, run.parse().unwrap_or(u64::MAX), run),
            false => (1, 0, run.to_lowercase()),
        });
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_their_numbers_and_not_their_case() {
        let mut names = vec!["lecture 10", "Lecture 2", "appendix", "Lecture 1b", "Zeta"];
        names.sort_by_key(|n| natural(n));
        assert_eq!(
            names,
            ["appendix", "Lecture 1b", "Lecture 2", "lecture 10", "Zeta"]
        );
    }

    #[test]
    fn breadcrumbs_climb_the_folders_as_the_key_names_them() {
        let c = crumbs(
            "/garden/",
            "Wildlife/Insects/Beetles",
            "wildlife/insects/beetles/",
        );
        let got: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.url.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Home", "/garden/"),
                ("Wildlife", "/garden/wildlife/"),
                ("Insects", "/garden/wildlife/insects/"),
            ]
        );
        assert_eq!(crumbs("/", "Top", "top/").len(), 1);
    }
}
