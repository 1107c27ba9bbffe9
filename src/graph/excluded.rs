//! What a build left out (notes that did not parse, drafts and unpublished notes, ignored
//! files), indexed so that a reference to one is told from a reference to nothing.

use std::collections::HashMap;

use crate::note::Excluded;

/// Why a reference finds no note.
pub(super) enum Missing<'a> {
    /// There is no such note.
    Absent,
    /// Its note did not parse (already reported).
    Unparsed,
    /// Its note is left out: the note's path and why.
    Unpublished(&'a str, &'a str),
    /// Its note is left out by the ignore patterns: its path relative to the notes' folder.
    Ignored(String),
}

/// An unparsed or unpublished note: (path relative to the root, why), `why` empty when it did
/// not parse.
type Entry = (String, &'static str);

/// The notes a build left out, by key, by file name and by path.
#[derive(Default)]
pub(super) struct ExcludedIndex {
    by_name: HashMap<String, Entry>,
    /// Files and folders (ending in `/`) the ignore patterns left out, relative to the notes'
    /// folder.
    ignored: Vec<String>,
    /// The ignored notes by file name and path (folded), as links name them.
    ignored_names: HashMap<String, String>,
}

fn fold(name: &str) -> String {
    name.trim().trim_end_matches(".md").to_lowercase()
}

impl ExcludedIndex {
    pub(super) fn new(excluded: &Excluded) -> ExcludedIndex {
        let mut index = ExcludedIndex {
            ignored: excluded.ignored.clone(),
            ..ExcludedIndex::default()
        };
        let mut add = |key: &str, rel: &str, entry: Entry| {
            let stem = rel.rsplit('/').next().unwrap_or(rel);
            for name in [key.to_string(), fold(key), fold(rel), fold(stem)] {
                index.by_name.entry(name).or_insert_with(|| entry.clone());
            }
        };
        for (rel, key) in &excluded.unparsed {
            add(key, rel, (rel.clone(), ""));
        }
        for note in &excluded.hidden {
            add(&note.key, &note.rel, (note.path.clone(), note.why));
        }
        for rel in excluded.ignored.iter().filter(|i| i.ends_with(".md")) {
            let stem = rel.rsplit('/').next().unwrap_or(rel);
            for name in [fold(rel), fold(stem)] {
                index
                    .ignored_names
                    .entry(name)
                    .or_insert_with(|| rel.clone());
            }
        }
        index
    }

    /// Why `name` (a key, a file name, or a path relative to the notes' folder) finds no note.
    pub(super) fn why_missing(&self, name: &str) -> Missing<'_> {
        let entry = self
            .by_name
            .get(name)
            .or_else(|| self.by_name.get(&fold(name)));
        if let Some((path, why)) = entry {
            return if why.is_empty() {
                Missing::Unparsed
            } else {
                Missing::Unpublished(path, why)
            };
        }
        if let Some(rel) = self.ignored_names.get(&fold(name)) {
            return Missing::Ignored(rel.clone());
        }
        let candidates: Vec<String> = if name.ends_with(".md") {
            vec![name.to_string()]
        } else {
            [
                "sources/{}.md",
                "themes/{}.md",
                "{}.md",
                "{}/_index.md",
                "{}/index.md",
            ]
            .iter()
            .map(|pattern| pattern.replace("{}", name))
            .collect()
        };
        for candidate in candidates {
            let ignored = self.ignored.iter().any(|i| match i.strip_suffix('/') {
                Some(dir) => candidate.starts_with(i) || candidate == dir,
                None => *i == candidate,
            });
            if ignored {
                return Missing::Ignored(candidate);
            }
        }
        Missing::Absent
    }
}
