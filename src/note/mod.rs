//! One note: its kind (source, theme or page), validated front matter and Markdown body.

mod bibliographic;
pub(crate) mod fields;
mod parse;
mod raw;

pub use crate::bib::model::{EntryType, Name, PartialDate, SourceMeta, Year};
pub use crate::source::NoteKind;
pub(crate) use bibliographic::bare_doi;
pub use parse::parse;

use crate::error::Diagnostic;
use crate::layout::content_relative;
use crate::markdown::{self, Scan};
use crate::source::{Asset, SourceFile};

/// The notes of a site as parsed and scanned, with what the reading found wrong.
pub struct Notes {
    pub notes: Vec<Note>,
    /// `scans[i]` is `notes[i]`'s [`scan`].
    pub scans: Vec<Scan>,
    pub diagnostics: Vec<Diagnostic>,
    pub assets: Vec<Asset>,
    /// What is not published, for telling a reference to it from one to nothing.
    pub excluded: Excluded,
}

/// The note files a build leaves out.
#[derive(Debug, Default)]
pub struct Excluded {
    /// Files that are not notes because of a problem already reported (paths relative to the
    /// root): references to them are not reported again.
    pub unparsed: Vec<String>,
    /// Notes left out by [`Visibility`].
    pub hidden: Vec<HiddenNote>,
    /// What the site's ignore patterns left out, relative to `content/` (folders end in `/`).
    pub ignored: Vec<String>,
}

/// A note a build leaves out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct HiddenNote {
    pub kind: NoteKind,
    pub key: String,
    /// Relative to the root.
    pub path: String,
    pub why: &'static str,
}

/// Which notes a build publishes: not drafts (unless asked for), not notes with
/// `publish: false`, and under `publish: explicit` only notes with `publish: true`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Visibility {
    pub drafts: bool,
    pub explicit: bool,
}

impl Visibility {
    /// Why `note` is left out, if it is.
    pub fn hides(&self, note: &Note) -> Option<&'static str> {
        if note.publish == Some(false) {
            Some("has `publish: false`")
        } else if self.explicit && note.publish != Some(true) {
            Some("is not marked `publish: true` (site.yaml has `publish: explicit`)")
        } else if note.draft && !self.drafts {
            Some("is a draft (`draft: true`)")
        } else {
            None
        }
    }

    /// The note, or what it is when it is left out.
    pub fn sort(&self, note: Note) -> Result<Note, HiddenNote> {
        match self.hides(&note) {
            None => Ok(note),
            Some(why) => Err(HiddenNote {
                kind: note.kind,
                key: note.key,
                path: note.path,
                why,
            }),
        }
    }
}

/// Parses one file into a note and scans the note for its references while its text is hot;
/// the file's text is freed on return.
pub fn parse_and_scan(file: SourceFile) -> (Option<(Note, Scan)>, Vec<Diagnostic>) {
    let (note, problems) = parse(file.kind, &file.key, &file.path, &file.text);
    (
        note.map(|n| {
            let scan = scan(&n);
            (n, scan)
        }),
        problems,
    )
}

/// What a note's body refers to: a pure function of the note's path, body and body line.
pub fn scan(note: &Note) -> Scan {
    markdown::scan(&note.body, note.dir(), note.body_line)
}

/// A tag as written in front matter, with its line in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub slug: String,
    pub line: usize,
}

/// One entry of a note's `events:` list: something that happened, for timelines.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedEvent {
    pub date: PartialDate,
    pub title: String,
    /// Keys of the sources cited for the event.
    pub cites: Vec<String>,
    /// The file line of the entry, for diagnostics.
    pub line: usize,
}

/// A parsed note. Everything the later stages need, and nothing tied to the file system.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    /// Citation key (sources), slug (themes) or path without `.md` (pages; "" for the home page).
    pub key: String,
    /// Path relative to the site root, e.g. `content/sources/jabeen2009.md`.
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<Tag>,
    pub weight: i64,
    /// `draft: true`: left out of `gloss build` unless `--drafts`; shown by `gloss serve`.
    pub draft: bool,
    /// `publish: true` or `false`, when the note says (see `site.yaml`'s `publish`).
    pub publish: Option<bool>,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// Dated events listed in the front matter (`events:`), in the order written.
    pub events: Vec<DatedEvent>,
    pub source: Option<SourceMeta>,
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: usize,
}

impl Note {
    /// The site-relative URL path of the note's page, e.g. `sources/jabeen2009/` ("" for home).
    pub fn url_path(&self) -> String {
        match self.kind {
            NoteKind::Source => format!("sources/{}/", self.key),
            NoteKind::Theme => format!("themes/{}/", self.key),
            NoteKind::Page if self.key.is_empty() => String::new(),
            NoteKind::Page => format!("{}/", self.key),
        }
    }

    /// The note's folder relative to `content/`, for resolving relative links.
    pub fn dir(&self) -> &str {
        let rel = content_relative(&self.path);
        rel.rfind('/').map_or("", |i| &rel[..i])
    }
}
