//! What an import would do, decided before anything is written: every library's entries, their
//! keys (`keys`), and for each the note's new text (`sync`), read back to check it says what the
//! library says. Pure: texts in, changes and problems out.

use std::collections::{BTreeMap, HashMap};

use super::keys::{self, Assigned};
use super::noise::{Noise, is_noise};
use super::sync;
pub(super) use super::targets::Existing;
use super::targets::{KeysFrom, Targets};
use crate::bib::model::SourceMeta;
use crate::bib::read::{self, Entry, Format, lost};
use crate::error::Diagnostic;
use crate::note::{self, NoteKind};

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
    /// The note's file name (without `.md`).
    pub key: String,
    /// Its citation key: the file name, or the `key:` field when no file can be named so.
    pub citekey: String,
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

/// Every library's entries (file as named in messages, format, text) as notes to write beside
/// the `existing` ones, and every problem.
pub(super) fn plan(
    libraries: &[(String, Format, String)],
    existing: &BTreeMap<String, Existing>,
    how: How,
) -> (Vec<Change>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut noise = Noise::default();
    let mut entries: Vec<Entry> = Vec::new();
    for (path, format, text) in libraries {
        let (found, problems) = read::read(*format, path, text);
        entries.extend(found);
        diags.extend(problems);
    }
    // A `url` that is no web address and a `doi` that is no DOI are not written (a note's
    // reader would leave them out).
    for entry in &mut entries {
        for dropped in note::drop_unsafe_links(&mut entry.meta) {
            let what = format!("{} (not a web address or DOI)", dropped.field);
            entry.lost.push(lost(&what, &dropped.value));
        }
    }
    let (keys, key_problems) = keys::assign(&entries);
    diags.extend(key_problems);

    let targets = Targets::new(existing, how.keys_from);
    let mut written: HashMap<String, String> = HashMap::new();
    let mut changes: Vec<Change> = Vec::new();
    for (entry, assigned) in entries.iter().zip(keys) {
        let Some(assigned) = assigned else {
            continue;
        };
        let place = targets.place(entry, assigned);
        let from = match (entry.at.index, entry.at.line) {
            (Some(i), _) => format!("{} item {i}", entry.at.path),
            (None, 0) => entry.at.path.clone(),
            (None, line) => format!("{}:{line}", entry.at.path),
        };
        if let Some(first) = written.insert(place.file.to_lowercase(), from.clone()) {
            diags.push(entry.at.error(
                &entry.key,
                &format!(
                    "{first} is written to the same note, content/sources/{}.md",
                    place.file
                ),
            ));
            continue;
        }
        let told = Told {
            diags: &mut diags,
            noise: &mut noise,
            verbose: how.verbose,
        };
        match change(entry, place, from, &targets, told) {
            Ok(c) => changes.push(c),
            Err(d) => diags.push(d),
        }
    }
    diags.extend(noise.warnings());
    (changes, diags)
}

/// The change one entry makes to its note (`key`), or why it cannot be made; what it loses and
/// the importer's remarks go to `diags`.
fn change(
    entry: &Entry,
    place: Assigned,
    from: String,
    targets: &Targets<'_>,
    told: Told<'_>,
) -> Result<Change, Diagnostic> {
    let diags = told.diags;
    let Assigned { file, key } = place;
    let path = format!("content/sources/{file}.md");
    if let Some(other) = targets.case_twin(&file) {
        return Err(entry.at.error(
            &entry.key,
            &format!("content/sources/{other}.md exists: a note {file}.md would be the same file on macOS and Windows; rename one of them"),
        ));
    }
    let existing = targets.existing.get(&file);
    let mut lost = entry.lost.clone();
    let (status, text) = match existing {
        None => {
            let text = sync::new_note(
                (file != key).then_some(key.as_str()),
                &entry.title,
                &entry.meta,
                entry.abstract_text.as_deref(),
                &entry.notes,
            );
            (Status::New, text)
        }
        Some(note) => {
            lost.extend(kept_out(entry, &note.text));
            match sync::update(&path, &file, &note.text, &entry.title, &entry.meta)? {
                text if text == note.text => (Status::Unchanged, text),
                text => (Status::Updated, text),
            }
        }
    };
    let (quiet, said): (Vec<&String>, Vec<&String>) =
        lost.iter().partition(|l| !told.verbose && is_noise(l));
    told.noise.add(&entry.at.path, &quiet);
    if !said.is_empty() {
        let said: Vec<&str> = said.iter().map(|s| s.as_str()).collect();
        diags.push(
            entry
                .at
                .warning(&entry.key, &format!("not imported: {}", said.join("; "))),
        );
    }
    for remark in &entry.remarks {
        diags.push(entry.at.warning(&entry.key, remark));
    }
    let old_reads = existing.is_none_or(|n| {
        note::parse(NoteKind::Source, &file, &path, &n.text)
            .0
            .is_some()
    });
    let wanted = Wanted {
        key: &key,
        title: &entry.title,
        meta: &entry.meta,
    };
    reads_back(&path, &file, &text, &wanted, old_reads)?;
    Ok(Change {
        status,
        citekey: key,
        key: file,
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

/// How an import plans: which key a note gets, and whether every loss is named entry by entry.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct How {
    pub(crate) keys_from: KeysFrom,
    pub(crate) verbose: bool,
}

/// Where an entry's problems go: the diagnostics, and the fields no style prints (summed up
/// per file unless `verbose`).
struct Told<'a> {
    diags: &'a mut Vec<Diagnostic>,
    noise: &'a mut Noise,
    verbose: bool,
}

/// What a note must read back to: its citation key, title and fields.
struct Wanted<'a> {
    key: &'a str,
    title: &'a str,
    meta: &'a SourceMeta,
}

/// Checks that a note's new text reads back to what the library says (a guard against writing
/// anything that `gloss check` would read otherwise). A note that had problems before may keep
/// those that are not in its bibliographic fields.
fn reads_back(
    path: &str,
    file: &str,
    text: &str,
    wanted: &Wanted<'_>,
    must_read: bool,
) -> std::result::Result<(), Diagnostic> {
    let (title, meta) = (wanted.title, wanted.meta);
    let (note, problems) = note::parse(NoteKind::Source, file, path, text);
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
    if note.key != wanted.key || note.title != title || got.as_ref() != Some(&want) {
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
