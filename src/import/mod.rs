//! `gloss import`: a reference manager's library (BibTeX, BibLaTeX, CSL-JSON, CSL-YAML) into
//! one source note per entry.
//!
//! 1. each file is read to entries by `bib::read`, every loss named;
//! 2. keys become file names (`keys`);
//! 3. each entry becomes a note's text, new or merged into the note there (`sync`, `yaml`),
//!    and is read back to check it says what the library says (`plan`);
//! 4. only then, and only when nothing is wrong, [`apply`] writes the notes.
//!
//! Steps 1–3 are pure (text in, text out); reading the files and writing the notes are the
//! edges, here. This module sits above `note` (it reads notes as `gloss check` does), as
//! `build` does; nothing below imports it.

mod keys;
mod noise;
mod plan;
mod sync;
mod targets;
mod yaml;
pub(crate) mod zotero;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use crate::bib::read::Format;
pub use plan::{Change, Status};
pub use targets::KeysFrom;

use crate::bib::read::{read_file, shown};
use crate::error::{Diagnostic, Error, Result};
use crate::layout::SiteLayout;
use plan::{Existing, plan};

/// What to import, and how.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// Library files: `.bib`, `.json` (CSL-JSON), `.yaml`/`.yml` (CSL-YAML).
    pub files: Vec<PathBuf>,
    /// Say what would change, write nothing.
    pub dry_run: bool,
    pub keys_from: KeysFrom,
    /// Name every field left out entry by entry (else the fields no style prints are summed
    /// up in one line per file).
    pub verbose: bool,
    /// Read Zotero's own database (instead of `files`).
    pub zotero: Option<zotero::ZoteroOptions>,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug)]
pub struct ImportReport {
    pub changes: Vec<Change>,
    pub warnings: Vec<Diagnostic>,
    pub written: usize,
    /// What was read from Zotero's database, with `--zotero`.
    pub zotero: Option<zotero::ZoteroSummary>,
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
    if let Some(zotero) = &options.zotero {
        return import_zotero(options, zotero, &layout);
    }
    if options.files.is_empty() {
        return Err(Error::Usage(
            "name at least one library file (.bib, .json or .yaml)".into(),
        ));
    }
    let mut libraries = Vec::new();
    for file in &options.files {
        let (format, text) = read_file(file)?;
        libraries.push((shown(file), format, text));
    }
    let linked = links_on_the_way(&layout);
    if !linked.is_empty() {
        return Err(Error::Content(linked));
    }
    let existing = existing_notes(&layout, &layout.content_dir().join("sources"))?;
    let how = plan::How {
        keys_from: options.keys_from,
        verbose: options.verbose,
    };
    let (changes, diagnostics) = plan(&libraries, &existing, how);
    finish(options, &layout, changes, diagnostics, None)
}

/// `--zotero`: the database read to CSL-JSON, planned as a CSL-JSON file is, then each note
/// given its tags and managed section.
fn import_zotero(
    options: &ImportOptions,
    zotero: &zotero::ZoteroOptions,
    layout: &SiteLayout,
) -> Result<ImportReport> {
    let config = crate::config::Config::load(layout, None)?;
    let read = zotero::read(zotero, &config.zotero)?;
    let linked = links_on_the_way(layout);
    if !linked.is_empty() {
        return Err(Error::Content(linked));
    }
    let existing = existing_notes(layout, &layout.content_dir().join("sources"))?;
    let libraries = [("zotero.sqlite".to_string(), Format::CslJson, read.csl)];
    let (changes, mut diagnostics) = plan(
        &libraries,
        &existing,
        plan::How {
            keys_from: options.keys_from,
            verbose: options.verbose,
        },
    );
    let (changes, problems) = zotero::finish(changes, &existing, &read.extras);
    diagnostics.extend(read.warnings);
    diagnostics.extend(problems);
    finish(options, layout, changes, diagnostics, Some(read.summary))
}

/// Writes the planned notes unless something is wrong or it is a dry run.
fn finish(
    options: &ImportOptions,
    layout: &SiteLayout,
    changes: Vec<Change>,
    diagnostics: Vec<Diagnostic>,
    zotero: Option<zotero::ZoteroSummary>,
) -> Result<ImportReport> {
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    let written = if options.dry_run {
        0
    } else {
        apply(layout, &changes)?
    };
    Ok(ImportReport {
        changes,
        warnings: diagnostics,
        written,
        zotero,
    })
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
    let existing = existing
        .iter()
        .map(|(key, text)| (key.clone(), Existing::new(text.clone())))
        .collect();
    let libraries = [(path.to_string(), format, text.to_string())];
    plan(&libraries, &existing, plan::How::default())
}

/// The error that `path` is a symbolic link, which gloss import does not follow: it would read a
/// file outside the site into a note, or write the notes outside the site.
fn linked(layout: &SiteLayout, path: &Path) -> Diagnostic {
    Diagnostic::error(
        layout.relative(path),
        0,
        0,
        "a symbolic link, which gloss import does not follow (it could read or write outside the site): replace the link with the file or folder itself, then import again",
    )
}

/// The folders import writes into (`content/`, `content/sources/`) that are symbolic links.
fn links_on_the_way(layout: &SiteLayout) -> Vec<Diagnostic> {
    let content = layout.content_dir();
    [content.clone(), content.join("sources")]
        .into_iter()
        .filter(|dir| dir != layout.root())
        .filter(|dir| std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()))
        .map(|dir| linked(layout, &dir))
        .collect()
}

/// The source notes in `folder`, by key; a note that is a symbolic link is an error (every one
/// named), since import would read it and replace it.
fn existing_notes(layout: &SiteLayout, folder: &Path) -> Result<BTreeMap<String, Existing>> {
    let mut notes = BTreeMap::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(notes),
        Err(e) => return Err(Error::io(folder, e)),
    };
    let mut links = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(key) = name.strip_suffix(".md") else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            links.push(linked(layout, &entry.path()));
            continue;
        }
        if name.starts_with('.') || !entry.path().is_file() {
            continue;
        }
        // A note that is not UTF-8 is `gloss check`'s to report; it cannot be merged into.
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        notes.insert(key.to_string(), Existing::new(text));
    }
    if !links.is_empty() {
        links.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(Error::Content(links));
    }
    Ok(notes)
}

/// Writes the planned notes, each through a temporary file renamed into place. The only
/// function of the import that writes.
fn apply(layout: &SiteLayout, changes: &[Change]) -> Result<usize> {
    let folder = layout.content_dir().join("sources");
    let mut written = 0;
    for change in changes {
        let Some(text) = change.text() else {
            continue;
        };
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let path = layout.root().join(&change.path);
        let temp = folder.join(format!(".{}.md.gloss-import", change.key));
        write_new(&temp, text).map_err(|e| Error::io(&temp, e))?;
        std::fs::rename(&temp, &path).map_err(|e| Error::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}

/// Writes `text` to a new file at `path`, removing what an interrupted import left there first:
/// never through a symbolic link someone put in its place.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}
