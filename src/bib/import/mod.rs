//! `gloss import`: a reference manager's library (BibTeX, BibLaTeX, CSL-JSON, CSL-YAML) into
//! one source note per entry.
//!
//! 1. each file is read to entries (`bibtex` + `crossref` + `bibtex_fields`, `csl_json` +
//!    `csl_fields`; `dates`, `languages` for both), every loss named;
//! 2. keys become file names (`keys`);
//! 3. each entry becomes a note's text, new or merged into the note there (`sync`, `yaml`),
//!    and is read back to check it says what the library says;
//! 4. only then, and only when nothing is wrong, [`apply`] writes the notes.
//!
//! Steps 1–3 are pure (text in, text out); reading the files and writing the notes are the
//! edges. This module sits above `note` (it reads notes as `gloss check` does), as `build` does.

mod bibtex;
mod bibtex_fields;
mod crossref;
mod csl_fields;
mod csl_json;
mod dates;
mod entry;
mod keys;
pub(crate) mod languages;
mod sync;
mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub(crate) use bibtex_fields::archive_name;
pub(crate) use entry::Entry;

use crate::bib::model::SourceMeta;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::SiteLayout;
use crate::note::{self, NoteKind};

/// What to import, and how.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// Library files: `.bib`, `.json` (CSL-JSON), `.yaml`/`.yml` (CSL-YAML).
    pub files: Vec<PathBuf>,
    /// Say what would change, write nothing.
    pub dry_run: bool,
    pub keys_from: KeysFrom,
}

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
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug)]
pub struct ImportReport {
    pub changes: Vec<Change>,
    pub warnings: Vec<Diagnostic>,
    pub written: usize,
}

/// Reads the library files, plans every note and, unless it is a dry run or something is wrong,
/// writes them. Content errors (a file that does not parse, duplicate keys) come back as
/// `Error::Content` with every diagnostic, and then nothing is written.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let layout = SiteLayout::new(&options.root);
    if !layout.config_file().is_file() {
        return Err(Error::Usage(format!(
            "{} is not a site (there is no site.yaml): run gloss init first, or pass --root DIR",
            options.root.display()
        )));
    }
    if options.files.is_empty() {
        return Err(Error::Usage(
            "name at least one library file (.bib, .json or .yaml)".into(),
        ));
    }
    let mut libraries = Vec::new();
    for file in &options.files {
        libraries.push((shown(file), read_file(file)?));
    }
    let existing = existing_notes(&layout.content_dir().join("sources"))?;
    let (changes, diagnostics) = plan(&libraries, &existing, options.keys_from);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    let written = if options.dry_run {
        0
    } else {
        apply(&layout, &changes)?
    };
    Ok(ImportReport {
        changes,
        warnings: diagnostics,
        written,
    })
}

/// A path as the user gave it, with `/` separators.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The entries of one library file (read as `path`, named `shown` in messages) and the problems
/// reading them, for a site's `bibliography:`: the same readers as the import's.
pub(crate) fn read_library(path: &Path, shown: &str) -> Result<(Vec<Entry>, Vec<Diagnostic>)> {
    Ok(match read_file(path)? {
        Library::Bibtex(text) => bibtex::read(shown, &text),
        Library::CslJson(text) => csl_json::read(shown, &text),
        Library::CslYaml(text) => csl_json::read_yaml(shown, &text),
    })
}

/// Whether a file name is one `gloss import` and `bibliography:` read.
pub(crate) fn is_library_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".bib", ".bibtex", ".biblatex", ".json", ".yaml", ".yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The text of one library file in the given format, planned beside the given source notes
/// (key, text) as `gloss import` would plan it: the notes to write and every problem. Pure; for
/// the fuzz targets and property tests (`crate::fuzzing`).
pub(crate) fn plan_text(
    path: &str,
    format: Format,
    text: &str,
    existing: &[(String, String)],
) -> (Vec<Change>, Vec<Diagnostic>) {
    let library = match format {
        Format::Bibtex => Library::Bibtex(text.to_string()),
        Format::CslJson => Library::CslJson(text.to_string()),
        Format::CslYaml => Library::CslYaml(text.to_string()),
    };
    let existing = existing
        .iter()
        .map(|(key, text)| {
            let citekey = citekey_of(text);
            let text = text.clone();
            (key.clone(), Existing { text, citekey })
        })
        .collect();
    plan(&[(path.to_string(), library)], &existing, KeysFrom::Citekey)
}

/// The formats of library files gloss reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Bibtex,
    CslJson,
    CslYaml,
}

impl Change {
    /// The note's new text (`None` when unchanged).
    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

/// A library file's kind and text.
enum Library {
    Bibtex(String),
    CslJson(String),
    CslYaml(String),
}

fn read_file(path: &Path) -> Result<Library> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let make: fn(String) -> Library = match ext.as_str() {
        "bib" | "bibtex" | "biblatex" => Library::Bibtex,
        "json" => Library::CslJson,
        "yaml" | "yml" => Library::CslYaml,
        _ => {
            return Err(Error::Usage(format!(
                "{}: gloss imports .bib (BibTeX, BibLaTeX), .json (CSL-JSON) and .yaml (CSL-YAML) files",
                shown(path)
            )));
        }
    };
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Usage(format!("{}: no such file", shown(path))),
        _ => Error::io(path, e),
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(make(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = crate::error::line_col(&text, valid);
            Err(Error::Content(vec![Diagnostic::error(
                shown(path),
                line,
                col,
                "file is not valid UTF-8: export the library as UTF-8 (Zotero and Better BibTeX do by default)",
            )]))
        }
    }
}

/// A source note already in `content/sources/`.
struct Existing {
    text: String,
    /// Its `citekey:` field, if any.
    citekey: Option<String>,
}

/// The source notes in `folder`, by key.
fn existing_notes(folder: &Path) -> Result<BTreeMap<String, Existing>> {
    let mut notes = BTreeMap::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(notes),
        Err(e) => return Err(Error::io(folder, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(key) = name.strip_suffix(".md") else {
            continue;
        };
        if name.starts_with('.') || !entry.path().is_file() {
            continue;
        }
        // A note that is not UTF-8 is `gloss check`'s to report; it cannot be merged into.
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let citekey = citekey_of(&text);
        notes.insert(key.to_string(), Existing { text, citekey });
    }
    Ok(notes)
}

/// The `citekey:` of a note's front matter (with or without Pandoc's `@`).
fn citekey_of(text: &str) -> Option<String> {
    let split = crate::frontmatter::split("", text).ok()?;
    let value: yaml_serde::Value = yaml_serde::from_str(split.yaml).ok()?;
    let key = value.get("citekey")?.as_str()?;
    Some(key.trim().trim_start_matches('@').to_string()).filter(|k| !k.is_empty())
}

/// Every library's entries as notes to write, and every problem. Pure.
fn plan(
    libraries: &[(String, Library)],
    existing: &BTreeMap<String, Existing>,
    keys_from: KeysFrom,
) -> (Vec<Change>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (path, library) in libraries {
        let (found, problems) = match library {
            Library::Bibtex(text) => bibtex::read(path, text),
            Library::CslJson(text) => csl_json::read(path, text),
            Library::CslYaml(text) => csl_json::read_yaml(path, text),
        };
        entries.extend(found);
        diags.extend(problems);
    }
    // A `url` that is no web address and a `doi` that is no DOI are not written (a note's
    // reader would leave them out).
    for entry in &mut entries {
        for dropped in crate::note::drop_unsafe_links(&mut entry.meta) {
            let what = format!("{} (not a web address or DOI)", dropped.field);
            entry.lost.push(entry::lost(&what, &dropped.value));
        }
    }
    let (keys, key_problems) = keys::assign(&entries);
    diags.extend(key_problems);

    let by_citekey: HashMap<&str, &str> = existing
        .iter()
        .filter_map(|(key, note)| Some((note.citekey.as_deref()?, key.as_str())))
        .collect();
    let by_lower: HashMap<String, &str> = existing
        .keys()
        .map(|k| (k.to_lowercase(), k.as_str()))
        .collect();
    let mut changes: Vec<Change> = Vec::new();
    let mut targets: HashMap<String, String> = HashMap::new();
    for (entry, key) in entries.iter().zip(keys) {
        let Some(mut key) = key else {
            continue;
        };
        if keys_from == KeysFrom::File
            && let Some(note) = by_citekey.get(entry.key.as_str())
        {
            key = note.to_string();
        }
        let from = match (entry.at.index, entry.at.line) {
            (Some(i), _) => format!("{} item {i}", entry.at.path),
            (None, 0) => entry.at.path.clone(),
            (None, line) => format!("{}:{line}", entry.at.path),
        };
        if let Some(first) = targets.insert(key.to_lowercase(), from.clone()) {
            diags.push(entry.at.error(
                &entry.key,
                &format!("{first} is written to the same note, content/sources/{key}.md"),
            ));
            continue;
        }
        let path = format!("content/sources/{key}.md");
        if let Some(other) = by_lower.get(&key.to_lowercase()).filter(|k| **k != key) {
            diags.push(entry.at.error(
                &entry.key,
                &format!("content/sources/{other}.md exists: a note {key}.md would be the same file on macOS and Windows; rename one of them"),
            ));
            continue;
        }
        let mut lost = entry.lost.clone();
        let (status, text) = match existing.get(&key) {
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
                // Said only when the body does not hold it already (from an earlier import).
                let absent = |t: &&String| !note.text.contains(t.as_str());
                if let Some(a) = entry.abstract_text.as_ref().filter(absent) {
                    lost.push(entry::lost(
                        "abstract (the note exists, its body is yours)",
                        a,
                    ));
                }
                for n in entry.notes.iter().filter(absent) {
                    lost.push(entry::lost("note (the note exists, its body is yours)", n));
                }
                match sync::update(&path, &key, &note.text, &entry.title, &entry.meta) {
                    Ok(text) if text == note.text => (Status::Unchanged, text),
                    Ok(text) => (Status::Updated, text),
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
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
        let old_reads = existing.get(&key).is_none_or(|n| {
            note::parse(NoteKind::Source, &key, &path, &n.text)
                .0
                .is_some()
        });
        if let Err(d) = reads_back(&path, &key, &text, &entry.title, &entry.meta, old_reads) {
            diags.push(d);
            continue;
        }
        changes.push(Change {
            status,
            key,
            path,
            from,
            text: (status != Status::Unchanged).then_some(text),
        });
    }
    (changes, diags)
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

/// Writes the planned notes, each through a temporary file renamed into place. The only
/// function of the import that writes.
fn apply(layout: &SiteLayout, changes: &[Change]) -> Result<usize> {
    let folder = layout.content_dir().join("sources");
    let mut written = 0;
    for change in changes {
        let Some(text) = &change.text else {
            continue;
        };
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let path = layout.root().join(&change.path);
        let temp = folder.join(format!(".{}.md.gloss-import", change.key));
        std::fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
        std::fs::rename(&temp, &path).map_err(|e| Error::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}
