//! The notes already in `content/sources/` an import writes into: found by the citation key
//! their `key:` or `citekey:` field names, or by their file name.

use std::collections::{BTreeMap, HashMap};

use super::keys::Assigned;
use crate::bib::read::Entry;

/// Which key an entry's note gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeysFrom {
    /// The entry's citation key (made a valid file name when it must be).
    #[default]
    Citekey,
    /// The key of an existing note whose `citekey:` field names the entry's citation key (as
    /// Obsidian's Zotero plugins write it); the citation key for the others.
    File,
}

/// A source note already in `content/sources/`.
pub(crate) struct Existing {
    pub(super) text: String,
    /// Its `citekey:` field, if any.
    pub(super) citekey: Option<String>,
    /// Its `key:` field (its citation key when its file name is not), if any.
    pub(super) key: Option<String>,
}

impl Existing {
    pub(crate) fn new(text: String) -> Existing {
        let field = |name: &str| field_of(&text, name);
        let citekey = field("citekey").map(|k| k.trim_start_matches('@').to_string());
        let key = field("key");
        Existing { text, citekey, key }
    }
}

/// A text field of a note's front matter, trimmed, when it has one.
fn field_of(text: &str, name: &str) -> Option<String> {
    let split = crate::frontmatter::split("", text).ok()?;
    let value: yaml_serde::Value = yaml_serde::from_str(split.yaml).ok()?;
    let found = value.get(name)?;
    let text = match found {
        yaml_serde::Value::String(s) => s.clone(),
        yaml_serde::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some(text.trim().to_string()).filter(|k| !k.is_empty())
}

/// The existing notes (by file name), by their `citekey:`, their `key:` and their file name in
/// lower case.
pub(super) struct Targets<'a> {
    pub(super) existing: &'a BTreeMap<String, Existing>,
    keys_from: KeysFrom,
    by_citekey: HashMap<&'a str, &'a str>,
    by_key: HashMap<&'a str, &'a str>,
    by_lower: HashMap<String, &'a str>,
}

impl<'a> Targets<'a> {
    pub(super) fn new(
        existing: &'a BTreeMap<String, Existing>,
        keys_from: KeysFrom,
    ) -> Targets<'a> {
        let by = |f: fn(&Existing) -> Option<&str>| {
            existing
                .iter()
                .filter_map(|(file, note)| Some((f(note)?, file.as_str())))
                .collect()
        };
        Targets {
            existing,
            keys_from,
            by_citekey: by(|n| n.citekey.as_deref()),
            by_key: by(|n| n.key.as_deref()),
            by_lower: existing
                .keys()
                .map(|k| (k.to_lowercase(), k.as_str()))
                .collect(),
        }
    }

    /// The note an entry goes to and the key it is cited by: with `--keys-from file`, the note
    /// whose `citekey:` is the entry's; else the note whose `key:` is; else the file the key
    /// was given, under the key given, unless a note is there already without a `key:` field
    /// (an earlier import's, which named the note and so the key by the file name: cited so,
    /// it stays so) or with another key (the file is numbered).
    pub(super) fn place(&self, entry: &Entry, assigned: Assigned) -> Assigned {
        let at = |file: &str| Assigned {
            file: file.to_string(),
            key: entry.key.clone(),
        };
        if self.keys_from == KeysFrom::File
            && let Some(file) = self.by_citekey.get(entry.key.as_str())
        {
            return at(file);
        }
        if let Some(file) = self.by_key.get(entry.key.as_str()) {
            return at(file);
        }
        let Some(note) = self.existing.get(&assigned.file) else {
            return assigned;
        };
        match &note.key {
            None if note.citekey.is_none() => Assigned {
                key: assigned.file.clone(),
                file: assigned.file,
            },
            Some(other) if *other != assigned.key => {
                let mut n = 2;
                let mut file = format!("{}-{n}", assigned.file);
                while self.by_lower.contains_key(&file.to_lowercase()) {
                    n += 1;
                    file = format!("{}-{n}", assigned.file);
                }
                Assigned {
                    file,
                    key: assigned.key,
                }
            }
            _ => assigned,
        }
    }

    /// Another note whose name differs from `file` only in case.
    pub(super) fn case_twin(&self, file: &str) -> Option<&'a str> {
        self.by_lower
            .get(&file.to_lowercase())
            .copied()
            .filter(|k| *k != file)
    }
}
