//! Reads the notes' folder (`content/`, or a vault's root): a sorted walk, UTF-8 checked, each
//! Markdown file classified as a source, theme or page by its folder and name; any other file is
//! an asset copied to the output as it is.

mod filter;
mod folders;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::SiteLayout;
pub(crate) use filter::{ContentFilter, is_hidden, obsidian_strict_line_breaks};
pub(crate) use folders::{Folders, classify};

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

/// One file the walk found.
#[derive(Debug)]
pub(crate) struct Walked {
    /// Relative to the notes' folder, with `/` separators.
    pub(crate) rel: String,
    pub(crate) abs: PathBuf,
    /// A Markdown file's metadata, when the walk was asked for it (`gloss serve` tells a changed
    /// note by it); read through the directory entry, a lookup relative to the open folder.
    pub(crate) meta: Option<std::io::Result<std::fs::Metadata>>,
}

impl Walked {
    pub(crate) fn is_note(&self) -> bool {
        self.rel.ends_with(".md")
    }
}

/// Everything the walk of the notes' folder found.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// Every file, in walk order: each folder's entries sorted by name, a folder's files right
    /// after it (depth first). Symbolic links are not files here and are not followed.
    pub(crate) files: Vec<Walked>,
    /// What the filter left out, relative to the notes' folder (folders end in `/`, and the notes
    /// inside them are listed too): a link into it is reported as a link to an unpublished note.
    pub(crate) ignored: Vec<String>,
    /// Folders that could not be read.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// THE walk of the notes' folder, leaving out what `filter` skips; with `stat`, each Markdown
/// file's metadata too. Both `gloss build` and `gloss serve`'s cache read the notes through it.
pub(crate) fn walk(layout: &SiteLayout, filter: &ContentFilter, stat: bool) -> Result<Listing> {
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
    let mut walk = Walk {
        layout,
        filter,
        stat,
        listing: Listing::default(),
    };
    walk.visit(&dir, "");
    Ok(walk.listing)
}

struct Walk<'a> {
    layout: &'a SiteLayout,
    filter: &'a ContentFilter,
    stat: bool,
    listing: Listing,
}

impl Walk<'_> {
    /// Adds what folder `dir` (at `rel` from the notes' folder) holds.
    fn visit(&mut self, dir: &Path, rel: &str) {
        let entries = std::fs::read_dir(dir).and_then(|d| {
            d.map(|e| e.map(|e| (e.file_name(), e)))
                .collect::<std::io::Result<Vec<_>>>()
        });
        let mut entries = match entries {
            Ok(entries) => entries,
            // A folder that cannot be read (permissions), or one that vanished mid-walk.
            Err(e) => return self.unreadable(rel, &e),
        };
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let found: Vec<_> = entries
            .into_iter()
            .map(|(name, entry)| {
                let child = match rel {
                    "" => name.to_string_lossy().into_owned(),
                    _ => format!("{rel}/{}", name.to_string_lossy()),
                };
                let kind = entry.file_type();
                let skipped = kind
                    .as_ref()
                    .is_ok_and(|k| self.filter.skips(&child, &name, k.is_dir()));
                (child, entry, kind, skipped)
            })
            .collect();
        // One `stat` per note, through the open folder, on every core (10,000 notes in one folder
        // are usual).
        let stat = self.stat;
        let metas: Vec<_> = found
            .par_iter()
            .map(|(child, entry, kind, skipped)| {
                let note = kind.as_ref().is_ok_and(|k| k.is_file()) && child.ends_with(".md");
                (stat && note && !skipped).then(|| entry.metadata())
            })
            .collect();
        for ((child, entry, kind, skipped), meta) in found.into_iter().zip(metas) {
            match kind {
                Err(e) => self.unreadable(&child, &e),
                Ok(kind) if skipped => self.left_out(&entry.path(), child, kind.is_dir()),
                Ok(kind) if kind.is_dir() => self.visit(&entry.path(), &child),
                Ok(kind) if kind.is_file() => self.listing.files.push(Walked {
                    rel: child,
                    abs: entry.path(),
                    meta,
                }),
                Ok(_) => {}
            }
        }
    }

    /// Records what the filter left out, when a link could name it: a note, or a folder and the
    /// notes inside it (so that a link to one is told from a link to nothing).
    fn left_out(&mut self, abs: &Path, rel: String, is_dir: bool) {
        let name = abs.file_name().unwrap_or_default();
        if is_hidden(name) || !(is_dir || rel.ends_with(".md")) {
            return;
        }
        if is_dir {
            let dir = self.layout.content_dir();
            self.listing.ignored.extend(notes_under(abs, &dir));
            self.listing.ignored.push(format!("{rel}/"));
        } else {
            self.listing.ignored.push(rel);
        }
    }

    fn unreadable(&mut self, rel: &str, e: &std::io::Error) {
        let path = self.layout.note_path(rel);
        self.listing.diagnostics.push(Diagnostic::error(
            path.trim_end_matches('/'),
            0,
            0,
            format!("cannot be read: {e}"),
        ));
    }
}

/// Walks the notes' folder and reads every note in it.
pub(crate) fn read_content(
    layout: &SiteLayout,
    filter: &ContentFilter,
    folders: &Folders,
) -> Result<Content> {
    Ok(read_listed(layout, folders, walk(layout, filter, false)?))
}

/// Reads the notes the walk found (UTF-8 checked, classified); any other file is an asset.
pub(crate) fn read_listed(layout: &SiteLayout, folders: &Folders, listing: Listing) -> Content {
    let mut content = Content {
        diagnostics: listing.diagnostics,
        ignored: listing.ignored,
        ..Content::default()
    };
    let mut notes = Vec::new();
    for file in listing.files {
        if file.is_note() {
            notes.push((file.rel, file.abs));
        } else {
            content.assets.push(Asset {
                rel: file.rel,
                abs: file.abs,
            });
        }
    }
    let folders = folders.with_home(notes.iter().map(|(rel, _)| rel.as_str()));
    // Reading thousands of small files is mostly waiting on the kernel: do it on every core.
    let read: Vec<(String, std::result::Result<SourceFile, Diagnostic>)> = notes
        .into_par_iter()
        .map(|(rel, abs)| (rel.clone(), read_note(layout, &folders, rel, &abs)))
        .collect();
    for (rel, note) in read {
        match note {
            Ok(file) => content.files.push(file),
            Err(problem) => {
                let key = classify(&rel, &folders).1;
                content.refused.push((rel, key));
                content.diagnostics.push(problem);
            }
        }
    }
    content
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
) -> std::result::Result<SourceFile, Diagnostic> {
    let path = layout.note_path(&rel);
    // Unreadable (permissions), or deleted since the walk saw it.
    let bytes = match std::fs::read(abs) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Err(Diagnostic::error(
                &path,
                0,
                0,
                format!("cannot be read: {e}"),
            ));
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
            return Err(Diagnostic::error(
                &path,
                line,
                col,
                "file is not valid UTF-8: save it as UTF-8 in your editor",
            ));
        }
    };
    let (kind, key) = classify(&rel, folders);
    Ok(SourceFile {
        kind,
        key,
        path,
        rel,
        text,
    })
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
        let problem = read_note(&layout, &folders(), "themes/gone.md".into(), &gone).unwrap_err();
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
