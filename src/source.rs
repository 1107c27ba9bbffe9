//! Reads `content/`: a sorted walk, UTF-8 checked, each Markdown file classified as a source,
//! theme or page; any other file is an asset copied to the output as it is.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{CONTENT_DIR, SiteLayout};

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
}

/// Walks `content/` in sorted order.
pub(crate) fn read_content(layout: &SiteLayout) -> Result<Content> {
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
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if rel.ends_with(".md") {
            notes.push((rel, entry.into_path()));
        } else {
            content.assets.push(Asset {
                rel,
                abs: entry.into_path(),
            });
        }
    }
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

/// Reads one Markdown file: the note, or the reason it cannot be one.
fn read_note(rel: String, abs: &Path) -> Result<std::result::Result<SourceFile, Diagnostic>> {
    let path = format!("{CONTENT_DIR}/{rel}");
    let bytes = std::fs::read(abs).map_err(|e| Error::io(abs, e))?;
    let text = match String::from_utf8(bytes) {
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
    if let Some(key) = stem.strip_prefix("sources/").filter(|k| !k.contains('/')) {
        return (NoteKind::Source, key.to_string());
    }
    if let Some(slug) = stem.strip_prefix("themes/").filter(|k| !k.contains('/')) {
        return (NoteKind::Theme, slug.to_string());
    }
    let key = match stem.strip_suffix("_index") {
        Some(dir) => dir.trim_end_matches('/').to_string(),
        None => stem.to_string(),
    };
    (NoteKind::Page, key)
}

fn key_problem(key: &str) -> Option<String> {
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
    }

    #[test]
    fn keys_must_be_url_safe() {
        assert!(key_problem("jabeen2009").is_none());
        assert!(key_problem("with space").is_some());
    }
}
