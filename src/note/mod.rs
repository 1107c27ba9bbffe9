//! One note: its kind (source, theme or page), validated front matter and Markdown body.

mod bibliographic;
pub(crate) mod fields;
mod parse;
mod raw;
mod read;
mod title;
mod yaml;

pub use crate::bib::model::{EntryType, Name, PartialDate, SourceMeta, Year};
pub use crate::source::NoteKind;
pub(crate) use bibliographic::drop_unsafe_links;
pub(crate) use fields::UNKNOWN_FIELD;
pub use parse::parse;

use crate::bib::{Library, LibraryEntry};
use crate::config::Publish;
use crate::error::Diagnostic;
use crate::layout::SiteLayout;
use crate::markdown::{self, Scan};
use crate::source::{Asset, ContentFilter, Folders, SourceFile};

/// The notes of a site as parsed and scanned, with what the reading found wrong.
pub struct Notes {
    pub notes: Vec<Note>,
    /// `scans[i]` is `notes[i]`'s [`scan`].
    pub scans: Vec<Scan>,
    pub diagnostics: Vec<Diagnostic>,
    pub assets: Vec<Asset>,
    /// What is not published, for telling a reference to it from one to nothing.
    pub excluded: Excluded,
    /// Which notes were published, settled over the notes read.
    pub visibility: Visibility,
}

/// How to read a site's notes: where they are, what is left out, and which are published.
pub(crate) struct Reading<'a> {
    pub(crate) layout: &'a SiteLayout,
    pub(crate) filter: &'a ContentFilter,
    pub(crate) folders: &'a Folders,
    pub(crate) visibility: Visibility,
    /// The site's bibliography files.
    pub(crate) library: &'a Library,
}

/// The note files a build leaves out.
#[derive(Debug, Default)]
pub struct Excluded {
    /// Files that are not notes because of a problem already reported, as (path relative to
    /// the notes' folder, key): references to them are not reported again.
    pub unparsed: Vec<(String, String)>,
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
    /// Relative to the notes' folder.
    pub rel: String,
    pub why: &'static str,
}

/// Which notes a build publishes: not drafts (unless asked for), not notes with
/// `publish: false`, and under `publish: explicit` only notes with `publish: true`; under
/// `publish: auto` (the default), explicitly when any note says `publish: true`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Visibility {
    pub drafts: bool,
    pub publish: Publish,
    /// How many notes say `publish: true` when `publish: auto` made the site publish only them
    /// ([`Visibility::settle`]); 0 otherwise.
    pub marked: usize,
}

impl Visibility {
    /// This visibility for a site of `notes`: `publish: auto` becomes `explicit` when any of
    /// them says `publish: true` (a vault that marks what it publishes, as Obsidian Publish and
    /// Quartz's ExplicitPublish vaults do), else `all`.
    pub fn settle<'a>(self, notes: impl IntoIterator<Item = &'a Note>) -> Visibility {
        if self.publish != Publish::Auto {
            return self;
        }
        let marked = notes
            .into_iter()
            .filter(|n| n.publish == Some(true) && (self.drafts || !n.draft))
            .count();
        Visibility {
            publish: match marked {
                0 => Publish::All,
                _ => Publish::Explicit,
            },
            marked,
            ..self
        }
    }

    /// Why `note` is left out, if it is.
    pub fn hides(&self, note: &Note) -> Option<&'static str> {
        let explicit = self.publish == Publish::Explicit;
        if note.publish == Some(false) {
            Some("has `publish: false`")
        } else if explicit && note.publish != Some(true) && self.marked > 0 {
            Some(
                "is not marked `publish: true`, as the notes published are (site.yaml's `publish: auto`)",
            )
        } else if explicit && note.publish != Some(true) {
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
            Some(why) => Err(HiddenNote::of(&note, why)),
        }
    }
}

impl HiddenNote {
    /// What `note`, left out because it `why`, is.
    pub fn of(note: &Note, why: &'static str) -> HiddenNote {
        HiddenNote {
            kind: note.kind,
            key: note.key.clone(),
            path: note.path.clone(),
            rel: note.rel.clone(),
            why,
        }
    }
}

/// Parses a note file of a site whose bibliography files are `library`.
pub fn parse_file(file: &SourceFile, library: &Library) -> (Option<Note>, Vec<Diagnostic>) {
    let (note, problems) = parse::parse_with(file.kind, &file.key, &file.path, &file.text, library);
    let note = note.map(|n| Note {
        rel: file.rel.clone(),
        ..n
    });
    (note, problems)
}

/// Parses one file into a note and scans the note for its references while its text is hot;
/// the file's text is freed on return.
///
/// A panic on the way (a bug in gloss or in a library it uses, on some input) is caught and
/// reported as an internal error naming the note, which is then left out: the build fails
/// with exit 1 like any error, never with a backtrace and a temporary folder left.
pub fn parse_and_scan(
    file: SourceFile,
    library: &Library,
) -> (Option<(Note, Scan)>, Vec<Diagnostic>) {
    let parsed = caught(&file.path, "reading", || {
        let (note, problems) = parse_file(&file, library);
        (
            note.map(|n| {
                let scan = scan(&n);
                (n, scan)
            }),
            problems,
        )
    });
    parsed.unwrap_or_else(|error| (None, vec![error]))
}

/// What `work` returns, or, when it panics, the internal error of `doing` something with the
/// note at `path` (the panic's own message goes to standard error, as Rust prints it).
pub(crate) fn caught<T>(
    path: &str,
    doing: &str,
    work: impl FnOnce() -> T,
) -> Result<T, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| {
        Diagnostic::error(
            path,
            0,
            0,
            format!(
                "internal error while {doing} this note (a bug in gloss: please report it, with the note if you can)"
            ),
        )
    })
}

/// What a note's body refers to: a pure function of the note's path, body and body line.
pub fn scan(note: &Note) -> Scan {
    markdown::scan(&note.body, note.dir(), note.body_line)
}

/// A key or folder name as a URL path segment: kept when it is already one (`khan2019`,
/// `trust-deficit`), else slugged (`My Note` → `my-note`, `Smith:2020` → `smith-2020`), emoji
/// kept.
pub(crate) fn url_slug(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if plain && !name.is_empty() && !name.starts_with('.') {
        return name.to_string();
    }
    match crate::html::tag_slug(&name.replace('/', " ")) {
        slug if slug.is_empty() => "untitled".to_string(),
        slug => slug,
    }
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
    /// Path relative to the notes' folder, e.g. `sources/jabeen2009.md`.
    pub rel: String,
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<Tag>,
    /// Other names wikilinks may use (`aliases:`).
    pub aliases: Vec<String>,
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
    /// 0, or a number the note's URL ends with (`maas-2`), set by the site when another note's
    /// page would have its URL (`MaaS.md` beside `MAAS.md`).
    pub url_suffix: u32,
}

impl Note {
    /// The site-relative URL path of the note's page, e.g. `sources/jabeen2009/` ("" for home).
    pub fn url_path(&self) -> String {
        let suffix = match self.url_suffix {
            0 => String::new(),
            n => format!("-{n}"),
        };
        match self.kind {
            NoteKind::Source => format!("sources/{}{suffix}/", url_slug(&self.key)),
            NoteKind::Theme => format!("themes/{}{suffix}/", url_slug(&self.key)),
            NoteKind::Page if self.key.is_empty() => String::new(),
            NoteKind::Page => {
                let parts: Vec<String> = self.key.split('/').map(url_slug).collect();
                format!("{}{suffix}/", parts.join("/"))
            }
        }
    }

    /// The source of a bibliography file's entry that no note annotates, and a warning for each
    /// link field that is left out (a `url` that is no web address, a `doi` that is no DOI), as
    /// a note's is.
    pub fn from_library(key: &str, entry: &LibraryEntry) -> (Note, Vec<Diagnostic>) {
        let mut meta = entry.meta.clone();
        let warnings = bibliographic::drop_unsafe_links(&mut meta)
            .into_iter()
            .map(|d| Diagnostic::warning(&entry.path, entry.line, 1, format!("{key}: {}", d.why)))
            .collect();
        let note = Note {
            kind: NoteKind::Source,
            key: key.to_string(),
            path: entry.path.clone(),
            rel: String::new(),
            title: entry.title.clone(),
            summary: None,
            tags: Vec::new(),
            aliases: Vec::new(),
            weight: 0,
            draft: false,
            publish: None,
            date: None,
            updated: None,
            source: Some(meta),
            body: String::new(),
            body_line: entry.line,
            events: Vec::new(),
            url_suffix: 0,
        };
        (note, warnings)
    }

    /// The tag this note introduces when it is a tag note: Quartz's `tags/<tag>.md` (or Hugo's
    /// `tags/<tag>/_index.md`) at the top of the notes' folder, whose body is the introduction
    /// of that tag's page rather than a page of its own.
    pub fn introduces_tag(&self) -> Option<String> {
        if self.kind != NoteKind::Page {
            return None;
        }
        let rest = self.rel.strip_prefix("tags/")?.strip_suffix(".md")?;
        let rest = rest
            .strip_suffix("/_index")
            .or_else(|| rest.strip_suffix("/index"))
            .unwrap_or(rest);
        let slug = crate::html::tag_slug(rest);
        (!slug.is_empty()).then_some(slug)
    }

    /// Whether the note is a bibliography file's entry with no note of its own.
    pub fn is_library_entry(&self) -> bool {
        self.rel.is_empty()
    }

    /// The note's folder relative to the notes' folder, for resolving relative links.
    pub fn dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..i])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_an_internal_error_naming_the_note() {
        let found = super::caught("content/sources/x.md", "reading", || -> usize {
            panic!("a bug")
        });
        assert_eq!(
            found.unwrap_err().to_string(),
            "content/sources/x.md: error: internal error while reading this note (a bug in gloss: please report it, with the note if you can)"
        );
        assert_eq!(super::caught("p", "reading", || 7), Ok(7));
    }
}
