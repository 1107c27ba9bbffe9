//! Which kind of note a file is, by where it lives: the folders of sources and themes, the home
//! page, and the classification of a path under the notes' folder.

use super::NoteKind;
use crate::config::Config;
use crate::html::slugify;

/// Where sources and themes live, and which note is the home page: what classifying a note
/// by its path needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folders {
    /// Folders (relative to the notes' folder) whose notes, at any depth, are sources.
    pub(crate) sources: Vec<String>,
    pub(crate) themes: Vec<String>,
    /// The home page's path, relative to the notes' folder.
    pub(crate) home: Option<String>,
}

impl Folders {
    pub(crate) fn of(config: &Config) -> Folders {
        Folders {
            sources: config.source_dirs.clone(),
            themes: config.theme_dirs.clone(),
            home: config.home.clone(),
        }
    }
}

impl Folders {
    /// These folders with the home page settled: `site.yaml`'s `home:`, else the first of
    /// `_index.md`, `index.md`, `Home.md`, `README.md` at the top (any case) among `rels`.
    pub(crate) fn with_home<'a>(&self, rels: impl Iterator<Item = &'a str>) -> Folders {
        let mut folders = self.clone();
        if folders.home.is_none() {
            let top: Vec<&str> = rels.filter(|r| !r.contains('/')).collect();
            folders.home = ["_index.md", "index.md", "home.md", "readme.md"]
                .iter()
                .find_map(|want| top.iter().find(|r| r.eq_ignore_ascii_case(want)))
                .map(|r| r.to_string());
        }
        folders
    }
}

/// Whether `rel` is under one of `folders`.
fn under(rel: &str, folders: &[String]) -> bool {
    folders.iter().any(|f| {
        rel.strip_prefix(f.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// What a note is and its key, from where it lives: a source in a sources folder (its key the
/// file name, a leading `@` dropped: `@smith2020.md` is `smith2020`) or named `@key.md` anywhere;
/// a theme in a themes folder (its key the file name's slug); the home page (key ""); any other
/// note is a page keyed by its path (`a/b.md` → `a/b`; a folder's `_index.md` or `index.md` →
/// the folder). A `citekey:` in the front matter makes any note a source (see `note::parse`).
pub(crate) fn classify(rel: &str, folders: &Folders) -> (NoteKind, String) {
    let stem = rel.trim_end_matches(".md");
    let name = stem.rsplit('/').next().unwrap_or(stem);
    let is_index = name == "_index" || name == "index";
    if folders.home.as_deref() == Some(rel) {
        return (NoteKind::Page, String::new());
    }
    if !is_index && (under(rel, &folders.sources) || (name.starts_with('@') && name.len() > 1)) {
        return (NoteKind::Source, name.trim_start_matches('@').to_string());
    }
    if !is_index && under(rel, &folders.themes) {
        return (NoteKind::Theme, slugify(name));
    }
    // A folder's own page: `_index.md` (as in Zola and Hugo) or `index.md`.
    let key = match stem
        .strip_suffix("_index")
        .or_else(|| stem.strip_suffix("index"))
    {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.trim_end_matches('/').to_string(),
        _ => stem.to_string(),
    };
    (NoteKind::Page, key)
}
