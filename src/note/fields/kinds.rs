//! The fields of each kind of note put together: the names the parser accepts, and the front
//! matter `gloss new` writes.

use super::source::SOURCE;
use super::{NOTE, OBSIDIAN, THEME};
use crate::note::{EntryType, NoteKind};

/// The fields gloss reads in a note of `kind` (a misspelling of one is worth a warning).
pub(crate) fn read(kind: NoteKind) -> Vec<&'static str> {
    let own = match kind {
        NoteKind::Source => SOURCE,
        NoteKind::Theme | NoteKind::Page => THEME,
    };
    let mut names: Vec<&str> = own.iter().chain(NOTE).map(|f| f.name).collect();
    if kind == NoteKind::Source {
        // The citation key, when the file name cannot be it (`nemanić:2003` in a note
        // `nemanic-2003.md`).
        names.push("key");
    }
    names
}

/// Every field name a note of `kind` may have without a warning.
pub(crate) fn known(kind: NoteKind) -> Vec<&'static str> {
    let mut names = read(kind);
    // What Obsidian and its plugins write, understood or ignored without a word: the citation
    // key of a literature note (which makes it a source), other names for wikilinks, and the
    // publishing plugins' styling and URL fields.
    names.extend(OBSIDIAN);
    names
}

/// The front matter `gloss new` writes: required fields to fill in, the others commented out.
pub(crate) fn template(kind: NoteKind, entry_type: EntryType) -> String {
    let own = match kind {
        NoteKind::Source => SOURCE,
        NoteKind::Theme | NoteKind::Page => THEME,
    };
    let mut out = String::from("---\n");
    for field in own.iter().chain(NOTE) {
        if !field.types.is_empty() && !field.types.contains(&entry_type) {
            continue;
        }
        let value = if field.name == "type" {
            entry_type.as_str()
        } else {
            field.example
        };
        let line = format!("{}: {value}", field.name);
        let line = if field.filled {
            line
        } else {
            format!("# {line}")
        };
        if field.doc.is_empty() {
            out.push_str(&format!("{line}\n"));
        } else {
            out.push_str(&format!("{line:<28} # {}\n", field.doc));
        }
    }
    out.push_str("---\n");
    out
}
