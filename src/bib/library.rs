//! A site's bibliography files (`bibliography: [library.bib]`, the Pandoc and Quarto convention):
//! every entry is a citable source, and a note with the same key is its annotation, its own
//! fields overriding the file's. This is how a vault with a Better BibTeX auto-export publishes
//! without an import step.

use std::collections::HashMap;
use std::path::Path;

use super::model::SourceMeta;
use super::read::{self, Entry};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::SiteLayout;

/// One entry of a bibliography file, as a source note would have it.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryEntry {
    pub title: String,
    pub meta: SourceMeta,
    /// The file (relative to the root) and line it is on, for messages.
    pub path: String,
    pub line: usize,
}

/// The entries of every bibliography file, by citation key.
#[derive(Debug, Default)]
pub struct Library {
    entries: HashMap<String, LibraryEntry>,
    /// Keys in the files' order.
    order: Vec<String>,
    /// What reading the files found wrong.
    pub diagnostics: Vec<Diagnostic>,
    /// Changes whenever any file's content does (for `gloss serve`'s cache).
    pub fingerprint: String,
}

impl Library {
    /// Reads the files `site.yaml` names, relative to the site's root. A file that is missing or
    /// of an unknown kind is an error on its line of `site.yaml`; an entry that does not parse is
    /// an error in its file, and the rest of the file is still read.
    pub fn load(layout: &SiteLayout, config: &Config) -> Result<Library> {
        let mut library = Library::default();
        let mut stamps = Vec::new();
        for (name, line) in &config.bibliography {
            let problem = |message: String| Diagnostic::error("site.yaml", *line, 1, message);
            if !read::is_library_file(name) {
                library.diagnostics.push(problem(format!(
                    "bibliography `{name}` is not a library file: name a .bib (BibTeX, BibLaTeX), .json (CSL-JSON) or .yaml (CSL-YAML) file"
                )));
                continue;
            }
            let path = layout.root().join(name);
            if !path.is_file() {
                library.diagnostics.push(problem(format!(
                    "bibliography `{name}` is not there: the path is relative to the folder holding site.yaml"
                )));
                continue;
            }
            let (entries, problems) = match read::read_library(&path, name) {
                Ok(read) => read,
                Err(Error::Content(d)) => (Vec::new(), d),
                Err(e) => return Err(e),
            };
            stamps.push(format!("{name}:{}", fingerprint_of(&path)));
            library.diagnostics.extend(problems);
            library.add(entries);
        }
        library.fingerprint = stamps.join(" ");
        Ok(library)
    }

    /// Adds the entries; of two under one key the last is kept, as pandoc reads the files.
    fn add(&mut self, entries: Vec<Entry>) {
        for entry in entries {
            if let Some(first) = self.entries.get(&entry.key) {
                self.diagnostics.push(Diagnostic::warning(
                    &entry.at.path,
                    entry.at.line,
                    0,
                    format!(
                        "{}: the key is used already at {}:{}; this entry is kept, as pandoc keeps the last",
                        entry.at.name(&entry.key),
                        first.path,
                        first.line
                    ),
                ));
                self.order.retain(|k| *k != entry.key);
            }
            self.order.push(entry.key.clone());
            self.entries.insert(
                entry.key,
                LibraryEntry {
                    title: entry.title,
                    meta: entry.meta,
                    path: entry.at.path,
                    line: entry.at.line,
                },
            );
        }
    }

    pub fn get(&self, key: &str) -> Option<&LibraryEntry> {
        self.entries.get(key)
    }

    /// Every entry with its key, in the files' order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &LibraryEntry)> {
        self.order.iter().map(|k| (k.as_str(), &self.entries[k]))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A file's length and modification time: enough for the serve cache to notice an export.
fn fingerprint_of(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => format!("{}:{:?}", m.len(), m.modified().ok()),
        Err(_) => String::new(),
    }
}
