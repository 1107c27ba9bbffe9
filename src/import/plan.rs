//! What an import would do, decided before anything is written: every library's entries, their
//! keys (`keys`), and for each the note's new text (`sync`), read back to check it says what the
//! library says. Pure: texts in, changes and problems out.

use std::collections::{BTreeMap, HashMap};

use super::{keys, sync};
use crate::bib::model::SourceMeta;
use crate::bib::read::{self, Entry, Format, lost};
use crate::error::Diagnostic;
use crate::note::{self, NoteKind};

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

/// What happens to one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    New,
    Updated,
    Unchanged,
}

/// One note of the import.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub status: Status,
    /// The note's key (its file name).
    pub key: String,
    /// The note's path relative to the site root.
    pub path: String,
    /// The library file and line (or item) it comes from, as `zotero.bib:9`.
    pub from: String,
    /// The note's new text (`None` when unchanged).
    text: Option<String>,
    /// The entry's place in its library's list (JSON and YAML), for the Zotero import.
    index: Option<usize>,
}

impl Change {
    /// The note's new text (`None` when unchanged).
    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    pub(super) fn index(&self) -> Option<usize> {
        self.index
    }

    /// The change with the note's text made `text`: new stays new, and an existing note
    /// (`old`) is updated only when `text` differs from it.
    pub(super) fn with_text(self, text: String, old: Option<&str>) -> Change {
        let status = match old {
            None => Status::New,
            Some(old) if old == text => Status::Unchanged,
            Some(_) => Status::Updated,
        };
        Change {
            status,
            text: (status != Status::Unchanged).then_some(text),
            ..self
        }
    }
}

/// A source note already in `content/sources/`.
pub(super) struct Existing {
    pub(super) text: String,
    /// Its `citekey:` field, if any.
    pub(super) citekey: Option<String>,
}

impl Existing {
    pub(super) fn new(text: String) -> Existing {
        let citekey = citekey_of(&text);
        Existing { text, citekey }
    }
}

/// The `citekey:` of a note's front matter (with or without Pandoc's `@`).
fn citekey_of(text: &str) -> Option<String> {
    let split = crate::frontmatter::split("", text).ok()?;
    let value: yaml_serde::Value = yaml_serde::from_str(split.yaml).ok()?;
    let key = value.get("citekey")?.as_str()?;
    Some(key.trim().trim_start_matches('@').to_string()).filter(|k| !k.is_empty())
}

/// Every library's entries (file as named in messages, format, text) as notes to write beside
/// the `existing` ones, and every problem.
pub(super) fn plan(
    libraries: &[(String, Format, String)],
    existing: &BTreeMap<String, Existing>,
    keys_from: KeysFrom,
) -> (Vec<Change>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (path, format, text) in libraries {
        let (found, problems) = read::read(*format, path, text);
        entries.extend(found);
        diags.extend(problems);
    }
    let (keys, key_problems) = keys::assign(&entries);
    diags.extend(key_problems);

    let targets = Targets::new(existing, keys_from);
    let mut written: HashMap<String, String> = HashMap::new();
    let mut changes: Vec<Change> = Vec::new();
    for (entry, key) in entries.iter().zip(keys) {
        let Some(key) = key else {
            continue;
        };
        let key = targets.key(entry, key);
        let from = match (entry.at.index, entry.at.line) {
            (Some(i), _) => format!("{} item {i}", entry.at.path),
            (None, 0) => entry.at.path.clone(),
            (None, line) => format!("{}:{line}", entry.at.path),
        };
        if let Some(first) = written.insert(key.to_lowercase(), from.clone()) {
            diags.push(entry.at.error(
                &entry.key,
                &format!("{first} is written to the same note, content/sources/{key}.md"),
            ));
            continue;
        }
        match change(entry, key, from, &targets, &mut diags) {
            Ok(c) => changes.push(c),
            Err(d) => diags.push(d),
        }
    }
    (changes, diags)
}

/// The existing notes, by their `citekey:` and by their key in lower case.
struct Targets<'a> {
    existing: &'a BTreeMap<String, Existing>,
    keys_from: KeysFrom,
    by_citekey: HashMap<&'a str, &'a str>,
    by_lower: HashMap<String, &'a str>,
}

impl<'a> Targets<'a> {
    fn new(existing: &'a BTreeMap<String, Existing>, keys_from: KeysFrom) -> Targets<'a> {
        let by_citekey = existing
            .iter()
            .filter_map(|(key, note)| Some((note.citekey.as_deref()?, key.as_str())))
            .collect();
        let by_lower = existing
            .keys()
            .map(|k| (k.to_lowercase(), k.as_str()))
            .collect();
        Targets {
            existing,
            keys_from,
            by_citekey,
            by_lower,
        }
    }

    /// The note an entry goes to: with `--keys-from file`, the note whose `citekey:` is the
    /// entry's; else the key it was given.
    fn key(&self, entry: &Entry, key: String) -> String {
        match self.by_citekey.get(entry.key.as_str()) {
            Some(note) if self.keys_from == KeysFrom::File => note.to_string(),
            _ => key,
        }
    }

    /// Another note whose name differs from `key` only in case.
    fn case_twin(&self, key: &str) -> Option<&'a str> {
        self.by_lower
            .get(&key.to_lowercase())
            .copied()
            .filter(|k| *k != key)
    }
}

/// The change one entry makes to its note (`key`), or why it cannot be made; what it loses and
/// the importer's remarks go to `diags`.
fn change(
    entry: &Entry,
    key: String,
    from: String,
    targets: &Targets<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Change, Diagnostic> {
    let path = format!("content/sources/{key}.md");
    if let Some(other) = targets.case_twin(&key) {
        return Err(entry.at.error(
            &entry.key,
            &format!("content/sources/{other}.md exists: a note {key}.md would be the same file on macOS and Windows; rename one of them"),
        ));
    }
    let existing = targets.existing.get(&key);
    let mut lost = entry.lost.clone();
    let (status, text) = match existing {
        None => {
            let text = sync::new_note(
                &entry.title,
                &entry.meta,
                entry.abstract_text.as_deref(),
                &entry.notes,
            );
            (Status::New, text)
        }
        Some(note) => {
            lost.extend(kept_out(entry, &note.text));
            match sync::update(&path, &key, &note.text, &entry.title, &entry.meta)? {
                text if text == note.text => (Status::Unchanged, text),
                text => (Status::Updated, text),
            }
        }
    };
    if !lost.is_empty() {
        diags.push(
            entry
                .at
                .warning(&entry.key, &format!("not imported: {}", lost.join("; "))),
        );
    }
    for remark in &entry.remarks {
        diags.push(entry.at.warning(&entry.key, remark));
    }
    let old_reads = existing.is_none_or(|n| {
        note::parse(NoteKind::Source, &key, &path, &n.text)
            .0
            .is_some()
    });
    reads_back(&path, &key, &text, &entry.title, &entry.meta, old_reads)?;
    Ok(Change {
        status,
        key,
        path,
        from,
        text: (status != Status::Unchanged).then_some(text),
        index: entry.at.index,
    })
}

/// The abstract and notes of an entry whose note exists (its body is the user's), said only
/// when the body does not hold them already (from an earlier import).
fn kept_out(entry: &Entry, body: &str) -> Vec<String> {
    let absent = |t: &&String| !body.contains(t.as_str());
    let mut out = Vec::new();
    if let Some(a) = entry.abstract_text.as_ref().filter(absent) {
        out.push(lost("abstract (the note exists, its body is yours)", a));
    }
    for n in entry.notes.iter().filter(absent) {
        out.push(lost("note (the note exists, its body is yours)", n));
    }
    out
}

/// Checks that a note's new text reads back to what the library says (a guard against writing
/// anything that `gloss check` would read otherwise). A note that had problems before may keep
/// those that are not in its bibliographic fields.
fn reads_back(
    path: &str,
    key: &str,
    text: &str,
    title: &str,
    meta: &SourceMeta,
    must_read: bool,
) -> std::result::Result<(), Diagnostic> {
    let (note, problems) = note::parse(NoteKind::Source, key, path, text);
    let Some(note) = note else {
        if must_read {
            let first = problems.iter().find(|d| d.is_error());
            return Err(Diagnostic::error(
                path,
                0,
                0,
                format!(
                    "gloss could not write this note so that it reads back ({}): please report it",
                    first.map_or(String::new(), |d| d.message.clone())
                ),
            ));
        }
        return Ok(());
    };
    let got = note.source.map(|m| SourceMeta { doi_line: 0, ..m });
    let want = SourceMeta {
        doi_line: 0,
        ..meta.clone()
    };
    if note.title != title || got.as_ref() != Some(&want) {
        return Err(Diagnostic::error(
            path,
            0,
            0,
            format!(
                "gloss could not write this note so that it reads back the same (title {title:?}): please report it"
            ),
        ));
    }
    Ok(())
}
