//! Reads `content/`: a sorted walk, UTF-8 checked, each Markdown file classified as a source,
//! theme or page; any other file is an asset copied to the output as it is.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{CONFIG_FILE, CONTENT_DIR, SiteLayout};

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
    pub text: String,
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
    /// Markdown files that could not be read as notes (paths relative to the root): their
    /// problem is reported once, not again by every note that refers to them.
    pub refused: Vec<String>,
    /// What the site's ignore patterns left out, relative to `content/` (folders end in `/`):
    /// a link into it is reported as a link to an unpublished note.
    pub ignored: Vec<String>,
}

/// What the content walk leaves out: hidden files and folders (any name starting with `.`, so
/// `.git/`, `.obsidian/` and `.trash/`), editor backups, and the gitignore-style patterns of
/// `site.yaml`'s `ignore:` and of `content/.glossignore`.
pub(crate) struct ContentFilter {
    patterns: Gitignore,
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
        let file = dir.join(IGNORE_FILE);
        if file.is_file()
            && let Some(e) = builder.add(&file)
        {
            return Err(Error::Content(vec![Diagnostic::error(
                format!("{CONTENT_DIR}/{IGNORE_FILE}"),
                0,
                0,
                format!("not a valid ignore file: {e}"),
            )]));
        }
        let patterns = builder
            .build()
            .map_err(|e| Error::Io(format!("{}: {e}", file.display())))?;
        Ok(ContentFilter { patterns })
    }

    /// Whether the walk leaves out this file or folder (`rel` relative to `content/`).
    pub(crate) fn skips(&self, rel: &str, name: &std::ffi::OsStr, is_dir: bool) -> bool {
        is_hidden(name) || self.ignores(rel, is_dir)
    }

    /// Whether the site's patterns leave out this file or folder.
    pub(crate) fn ignores(&self, rel: &str, is_dir: bool) -> bool {
        self.patterns.matched(rel, is_dir).is_ignore()
    }
}

/// Walks `content/` in sorted order, leaving out what `filter` skips.
pub(crate) fn read_content(layout: &SiteLayout, filter: &ContentFilter) -> Result<Content> {
    let dir = layout.content_dir();
    if !dir.is_dir() {
        return Err(Error::Content(vec![Diagnostic::error(
            CONTENT_DIR,
            0,
            0,
            format!(
                "no content/ folder in {}: notes live in content/sources/, content/themes/ and content/",
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
                ignored.push(if is_dir { format!("{rel}/") } else { rel });
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
                let path = [CONTENT_DIR, &at].join("/");
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
    // Reading thousands of small files is mostly waiting on the kernel: do it on every core.
    let read: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = notes
        .into_par_iter()
        .map(|(rel, abs)| read_note(rel, &abs))
        .collect();
    for note in read {
        match note? {
            Ok(file) => content.files.push(file),
            Err(problem) => {
                content.refused.push(problem.path.clone());
                content.diagnostics.push(problem);
            }
        }
    }
    Ok(content)
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
fn read_note(rel: String, abs: &Path) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let path = format!("{CONTENT_DIR}/{rel}");
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
    let (kind, key) = classify(&rel);
    if let Some(problem) = key_problem(&key) {
        return Ok(Err(Diagnostic::error(&path, 0, 0, problem)));
    }
    Ok(Ok(SourceFile {
        kind,
        key,
        path,
        text,
    }))
}

/// Names the walk skips: hidden files and folders, editor backups.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}

/// `sources/x.md` → (Source, "x"); `themes/y.md` → (Theme, "y"); `a/b.md` → (Page, "a/b");
/// `_index.md` → (Page, "") and `a/_index.md` → (Page, "a").
pub(crate) fn classify(rel: &str) -> (NoteKind, String) {
    let stem = rel.trim_end_matches(".md");
    let is_index = |k: &str| k == "_index" || k == "index";
    if let Some(key) = stem
        .strip_prefix("sources/")
        .filter(|k| !k.contains('/') && !is_index(k))
    {
        return (NoteKind::Source, key.to_string());
    }
    if let Some(slug) = stem
        .strip_prefix("themes/")
        .filter(|k| !k.contains('/') && !is_index(k))
    {
        return (NoteKind::Theme, slug.to_string());
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

    #[test]
    fn a_note_deleted_after_the_walk_is_a_located_error() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.md");
        let problem = read_note("themes/gone.md".into(), &gone)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            problem.to_string(),
            "content/themes/gone.md: error: cannot be read: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn classifies_by_folder() {
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
        assert_eq!(
            classify("sources/deep/x.md"),
            (NoteKind::Page, "sources/deep/x".into())
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
    }

    #[test]
    fn keys_must_be_url_safe() {
        assert!(key_problem("jabeen2009").is_none());
        assert!(key_problem("with space").is_some());
    }
}
