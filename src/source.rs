//! Reads the notes' folder (`content/`, or a vault's root): a sorted walk, UTF-8 checked, each
//! Markdown file classified as a source, theme or page by its folder and name; any other file is
//! an asset copied to the output as it is.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::html::slugify;
use crate::layout::{CONFIG_FILE, OUTPUT_DIR, STATIC_DIR, SiteLayout, TEMPLATES_DIR, THEMES_DIR};

/// What a note is, decided by where it lives under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    Source,
    Theme,
    Page,
}

/// A Markdown file read from `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: NoteKind,
    pub key: String,
    /// Relative to the site root, with `/` separators: `content/sources/x.md`.
    pub path: String,
    /// Relative to the notes' folder: `sources/x.md`.
    pub rel: String,
    pub text: String,
}

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

/// A non-Markdown file under `content/` (an image, a PDF): copied to the same place in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to `content/`.
    pub rel: String,
    pub abs: PathBuf,
}

/// Everything read from `content/`, plus the problems found while reading.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files that could not be read as notes, as (path relative to the notes' folder,
    /// key): their problem is reported once, not again by every note that refers to them.
    pub refused: Vec<(String, String)>,
    /// What the site's ignore patterns left out, relative to `content/` (folders end in `/`):
    /// a link into it is reported as a link to an unpublished note.
    pub ignored: Vec<String>,
}

/// What the content walk leaves out: hidden files and folders (any name starting with `.`, so
/// `.git/`, `.obsidian/` and `.trash/`), editor backups, and the gitignore-style patterns of
/// `site.yaml`'s `ignore:` and of `content/.glossignore`.
pub(crate) struct ContentFilter {
    patterns: Gitignore,
    /// The notes' folder is the site's: its `templates/`, `themes/`, `static/`, `public/` and
    /// gloss's output folders are not notes.
    at_root: bool,
    /// Files of the site that sit among the notes but are never published: `site.yaml` and the
    /// bibliography files (which may hold abstracts, notes and file paths), relative to the
    /// notes' folder.
    private: Vec<String>,
}

/// The site's own folders, never notes when the notes' folder is the root.
const SITE_DIRS: [&str; 4] = [TEMPLATES_DIR, THEMES_DIR, STATIC_DIR, OUTPUT_DIR];

/// What an Obsidian vault (a `.obsidian/` folder in `dir`) keeps out of publishing: the templates
/// folder of the core Templates plugin and the "Excluded files" of its settings, as ignore
/// patterns.
fn obsidian_excluded(dir: &Path) -> Vec<String> {
    let read = |name: &str| -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(dir.join(".obsidian").join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    let mut patterns = Vec::new();
    if let Some(folder) =
        read("templates.json").and_then(|t| t["folder"].as_str().map(str::to_string))
        && !folder.trim().is_empty()
    {
        patterns.push(format!("/{}/", folder.trim().trim_matches('/')));
    }
    if let Some(filters) = read("app.json").and_then(|a| a["userIgnoreFilters"].as_array().cloned())
    {
        patterns.extend(filters.iter().filter_map(|f| f.as_str()).map(|f| {
            // Obsidian's filters are path prefixes from the vault's root.
            format!("/{}", f.trim_start_matches('/'))
        }));
    }
    patterns
}

/// Whether the vault in `dir` asks for Markdown's own line breaks (`strictLineBreaks`): `None`
/// when `dir` is no Obsidian vault.
pub(crate) fn obsidian_strict_line_breaks(dir: &Path) -> Option<bool> {
    let text = std::fs::read_to_string(dir.join(".obsidian/app.json")).ok();
    let vault = text.is_some() || dir.join(".obsidian").is_dir();
    if !vault {
        return None;
    }
    let settings: serde_json::Value = text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Some(settings["strictLineBreaks"].as_bool().unwrap_or(false))
}

/// The file of extra ignore patterns, in `content/`.
pub(crate) const IGNORE_FILE: &str = ".glossignore";

impl ContentFilter {
    pub(crate) fn new(layout: &SiteLayout, config: &Config) -> Result<ContentFilter> {
        let dir = layout.content_dir();
        let mut builder = GitignoreBuilder::new(&dir);
        for (pattern, line) in &config.ignore {
            if let Err(e) = builder.add_line(None, pattern) {
                return Err(Error::Content(vec![Diagnostic::error(
                    CONFIG_FILE,
                    *line,
                    1,
                    format!("ignore pattern `{pattern}` is not a valid gitignore pattern: {e}"),
                )]));
            }
        }
        // An Obsidian vault's templates folder and "Excluded files" are not published either.
        for pattern in obsidian_excluded(&dir) {
            let _ = builder.add_line(None, &pattern);
        }
        let file = dir.join(IGNORE_FILE);
        if file.is_file()
            && let Some(e) = builder.add(&file)
        {
            return Err(Error::Content(vec![Diagnostic::error(
                layout.note_path(IGNORE_FILE),
                0,
                0,
                format!("not a valid ignore file: {e}"),
            )]));
        }
        let patterns = builder
            .build()
            .map_err(|e| Error::failed(format!("{}: {e}", file.display()), e))?;
        let mut private: Vec<String> = config
            .bibliography
            .iter()
            .filter_map(|(name, _)| {
                let abs = layout.root().join(name.trim_start_matches("./"));
                let rel = abs.strip_prefix(&dir).ok()?;
                Some(relative(Path::new(""), rel))
            })
            .collect();
        if layout.content_is_root() {
            private.push(CONFIG_FILE.to_string());
        }
        Ok(ContentFilter {
            patterns,
            at_root: layout.content_is_root(),
            private,
        })
    }

    /// Whether the walk leaves out this file or folder (`rel` relative to the notes' folder).
    pub(crate) fn skips(&self, rel: &str, name: &std::ffi::OsStr, is_dir: bool) -> bool {
        if self.at_root && is_dir && !rel.contains('/') && SITE_DIRS.contains(&rel) {
            return true;
        }
        if !is_dir && self.private.iter().any(|p| p == rel) {
            return true;
        }
        is_hidden(name) || self.ignores(rel, is_dir)
    }

    /// Whether the walk leaves out the folder at `rel` (relative to the notes' folder), itself or
    /// through a folder above it.
    pub(crate) fn skips_path(&self, rel: &str) -> bool {
        let mut at = 0;
        rel.split('/').any(|part| {
            at += part.len();
            let skipped = self.skips(&rel[..at], std::ffi::OsStr::new(part), true);
            at += 1;
            skipped
        })
    }

    /// Whether the site's patterns leave out this file or folder.
    pub(crate) fn ignores(&self, rel: &str, is_dir: bool) -> bool {
        self.patterns.matched(rel, is_dir).is_ignore()
    }
}

/// Walks the notes' folder in sorted order, leaving out what `filter` skips.
pub(crate) fn read_content(
    layout: &SiteLayout,
    filter: &ContentFilter,
    folders: &Folders,
) -> Result<Content> {
    let dir = layout.content_dir();
    if !dir.is_dir() {
        return Err(Error::Content(vec![Diagnostic::error(
            layout.content_name().trim_end_matches('/'),
            0,
            0,
            format!(
                "no {} folder in {}: notes live in content/sources/, content/themes/ and content/ (or set content_dir: in site.yaml)",
                layout.content_name(),
                layout.root().display()
            ),
        )]));
    }
    let mut content = Content::default();
    let mut notes = Vec::new();
    let mut ignored = Vec::new();
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = relative(&dir, e.path());
            let is_dir = e.file_type().is_dir();
            if e.depth() == 0 || !filter.skips(&rel, e.file_name(), is_dir) {
                return true;
            }
            if !is_hidden(e.file_name()) && (is_dir || rel.ends_with(".md")) {
                if is_dir {
                    // The notes inside too, so that a link to one is told from a link to nothing.
                    ignored.extend(notes_under(e.path(), &dir));
                    ignored.push(format!("{rel}/"));
                } else {
                    ignored.push(rel);
                }
            }
            false
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A folder that cannot be read (permissions), or one that vanished mid-walk.
            Err(e) => {
                let at = e.path().map_or_else(String::new, |p| relative(&dir, p));
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                let path = layout.note_path(&at);
                content.diagnostics.push(Diagnostic::error(
                    path.trim_end_matches('/'),
                    0,
                    0,
                    format!("cannot be read: {why}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(&dir, entry.path());
        if rel.ends_with(".md") {
            notes.push((rel, entry.into_path()));
        } else {
            content.assets.push(Asset {
                rel,
                abs: entry.into_path(),
            });
        }
    }
    content.ignored = ignored;
    let folders = folders.with_home(notes.iter().map(|(rel, _)| rel.as_str()));
    // Reading thousands of small files is mostly waiting on the kernel: do it on every core.
    let read: Vec<(String, Result<std::result::Result<SourceFile, Diagnostic>>)> = notes
        .into_par_iter()
        .map(|(rel, abs)| (rel.clone(), read_note(layout, &folders, rel, &abs)))
        .collect();
    for (rel, note) in read {
        match note? {
            Ok(file) => content.files.push(file),
            Err(problem) => {
                let key = classify(&rel, &folders).1;
                content.refused.push((rel, key));
                content.diagnostics.push(problem);
            }
        }
    }
    Ok(content)
}

/// The Markdown files under an ignored folder, relative to `dir`.
fn notes_under(folder: &Path, dir: &Path) -> Vec<String> {
    WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| relative(dir, e.path()))
        .filter(|rel| rel.ends_with(".md"))
        .collect()
}

/// `path` relative to `dir`, with `/` separators.
fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one Markdown file: the note, or the reason it cannot be one.
pub(crate) fn read_note(
    layout: &SiteLayout,
    folders: &Folders,
    rel: String,
    abs: &Path,
) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let path = layout.note_path(&rel);
    // Unreadable (permissions), or deleted since the walk saw it.
    let bytes = match std::fs::read(abs) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Ok(Err(Diagnostic::error(
                &path,
                0,
                0,
                format!("cannot be read: {e}"),
            )));
        }
    };
    let text = match String::from_utf8(bytes) {
        // CommonMark's insecure character, in the front matter too; lines and columns stay.
        Ok(text) if text.contains('\0') => text.replace('\0', "\u{FFFD}"),
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let (line, col) = crate::error::line_col(
                std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or(""),
                valid,
            );
            return Ok(Err(Diagnostic::error(
                &path,
                line,
                col,
                "file is not valid UTF-8: save it as UTF-8 in your editor",
            )));
        }
    };
    let (kind, key) = classify(&rel, folders);
    Ok(Ok(SourceFile {
        kind,
        key,
        path,
        rel,
        text,
    }))
}

/// Names the walk skips: hidden files and folders, editor backups.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
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

pub(crate) fn key_problem(key: &str) -> Option<String> {
    let ok = key
        .split('/')
        .all(|part| !part.is_empty() || key.is_empty())
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
    (!ok).then(|| {
        format!("file name `{key}` cannot be a key or URL: use letters, digits, `-`, `_`, `.` or `:` only")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> Folders {
        Folders {
            sources: vec!["sources".into(), "Literature Notes".into()],
            themes: vec!["themes".into(), "Maps".into()],
            home: None,
        }
    }

    #[test]
    fn a_note_deleted_after_the_walk_is_a_located_error() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.md");
        let layout = SiteLayout::new(dir.path());
        let problem = read_note(&layout, &folders(), "themes/gone.md".into(), &gone)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            problem.to_string(),
            "content/themes/gone.md: error: cannot be read: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn classifies_by_folder_and_name() {
        let classify = |rel: &str| classify(rel, &folders());
        assert_eq!(
            classify("sources/jabeen2009.md"),
            (NoteKind::Source, "jabeen2009".into())
        );
        assert_eq!(
            classify("themes/trust-deficit.md"),
            (NoteKind::Theme, "trust-deficit".into())
        );
        assert_eq!(classify("about.md"), (NoteKind::Page, "about".into()));
        assert_eq!(classify("_index.md"), (NoteKind::Page, "".into()));
        assert_eq!(
            classify("guides/_index.md"),
            (NoteKind::Page, "guides".into())
        );
        // Sources and themes at any depth of their folders; a theme's key is its name's slug.
        assert_eq!(
            classify("sources/deep/x.md"),
            (NoteKind::Source, "x".into())
        );
        assert_eq!(
            classify("Literature Notes/@smithTrust2020.md"),
            (NoteKind::Source, "smithTrust2020".into())
        );
        assert_eq!(
            classify("Maps/Aid and Trust MOC.md"),
            (NoteKind::Theme, "aid-and-trust-moc".into())
        );
        // `@key.md` is a literature note wherever it is.
        assert_eq!(
            classify("inbox/@doe2021.md"),
            (NoteKind::Source, "doe2021".into())
        );
        // Names with spaces, capitals and Unicode are pages keyed by their path.
        assert_eq!(
            classify("Projects/Chapter 1/Zürich Notes.md"),
            (NoteKind::Page, "Projects/Chapter 1/Zürich Notes".into())
        );
        // A folder's own page, either spelling, is a page, also in sources/ and themes/.
        assert_eq!(classify("index.md"), (NoteKind::Page, "".into()));
        assert_eq!(classify("a/index.md"), (NoteKind::Page, "a".into()));
        assert_eq!(
            classify("sources/_index.md"),
            (NoteKind::Page, "sources".into())
        );
        assert_eq!(
            classify("themes/index.md"),
            (NoteKind::Page, "themes".into())
        );
        assert_eq!(classify("reindex.md"), (NoteKind::Page, "reindex".into()));
        // A vault's Home.md is the home page when there is no _index.md.
        let home = folders().with_home(["Home.md", "Other.md"].into_iter());
        assert_eq!(
            super::classify("Home.md", &home),
            (NoteKind::Page, "".into())
        );
        let home = folders().with_home(["Home.md", "_index.md"].into_iter());
        assert_eq!(home.home.as_deref(), Some("_index.md"));
    }

    #[test]
    fn keys_must_be_url_safe() {
        assert!(key_problem("jabeen2009").is_none());
        assert!(key_problem("with space").is_some());
    }
}
