//! What the walk of the notes' folder leaves out: hidden names, editor backups, the site's own
//! folders when the notes live at its root, `site.yaml` and the bibliography files among the
//! notes, `private/` and `templates/` folders and Excalidraw drawings, the patterns of `ignore:`
//! and `.glossignore`, and what an Obsidian vault excludes.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::relative;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{CONFIG_FILE, OUTPUT_DIR, STATIC_DIR, SiteLayout, TEMPLATES_DIR, THEMES_DIR};

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

/// Folders never published, at any depth and in any case (`Templates/`, `_templates/`), as
/// Quartz's default `ignorePatterns` (`private`, `templates`) leave them out; and Excalidraw's
/// drawings, which are JSON in a Markdown file. `ignore: ["!private/"]` publishes one after all.
const DEFAULT_IGNORED: [&str; 4] = ["private/", "templates/", "_templates/", "*.excalidraw.md"];

/// A gitignore pattern matching `pattern` in any case (`[tT][eE]…`): gitignore's own case rule
/// is one for all patterns, and the site's own patterns keep theirs.
fn any_case(pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| match (c.to_ascii_lowercase(), c.to_ascii_uppercase()) {
            (lower, upper) if lower != upper => format!("[{lower}{upper}]"),
            _ => c.to_string(),
        })
        .collect()
}

/// What an Obsidian vault (a `.obsidian/` folder in `dir`) keeps out of publishing: the templates
/// folders of the core Templates plugin and of Templater, and the "Excluded files" of its
/// settings, as ignore patterns.
fn obsidian_excluded(dir: &Path) -> Vec<String> {
    let read = |name: &str| -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(dir.join(".obsidian").join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    let mut patterns = Vec::new();
    let folders = [
        read("templates.json").and_then(|t| t["folder"].as_str().map(str::to_string)),
        read("plugins/templater-obsidian/data.json")
            .and_then(|t| t["templates_folder"].as_str().map(str::to_string)),
    ];
    for folder in folders.into_iter().flatten() {
        if !folder.trim().trim_matches('/').is_empty() {
            patterns.push(format!("/{}/", folder.trim().trim_matches('/')));
        }
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
        // First, so that the site's own patterns can take one back (`!private/`).
        for pattern in DEFAULT_IGNORED {
            let _ = builder.add_line(None, &any_case(pattern));
        }
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

/// Names the walk skips: hidden files and folders, editor backups.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}
