//! One CSL-JSON item mapped to gloss's fields: the type table of the README, names with their
//! particles and suffixes, dates, Better BibTeX's `tex.*` lines in `note`, and every field that
//! has no place named as lost.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::dates;
use super::value::{name, scalar, strip_jats};
use crate::bib::model::{EntryType, Name, SourceMeta, Year, bare_doi};
use crate::bib::read::dates::{ReadDate, apply};
use crate::bib::read::entry::{Entry, Origin, archive_name, first_identifier, lost, tidy};
use crate::bib::read::names::tidy_all;
use crate::bib::{body_text, markup};
use crate::cite::page_range;

/// CSL's name variables gloss has no field for.
const OTHER_NAMES: &[&str] = &[
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
];

/// The item's citation key: Better BibTeX's `citation-key`, a `Citation Key:` line in `note`
/// (Zotero 7), else its `id`.
pub(super) fn key_of(item: &Map<String, Value>) -> Option<String> {
    let text = |v: Option<&Value>| scalar(v?).filter(|s| !s.is_empty());
    text(item.get("citation-key"))
        .or_else(|| {
            let note = text(item.get("note"))?;
            note.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("Citation Key:")
                    .map(|k| k.trim().to_string())
            })
        })
        .or_else(|| text(item.get("id")))
}

struct Reader<'a> {
    item: &'a Map<String, Value>,
    used: BTreeSet<&'static str>,
    lost: Vec<String>,
}

impl Reader<'_> {
    /// An identifier or number, as written.
    fn plain(&mut self, field: &'static str) -> Option<String> {
        self.used.insert(field);
        let value = self.item.get(field)?;
        let text = scalar(value);
        if text.is_none() {
            self.lost.push(lost(field, &value.to_string()));
        }
        text.filter(|t| !t.is_empty())
    }

    /// Prose, its markup read as gloss's.
    fn text(&mut self, field: &'static str) -> Option<String> {
        let raw = self.plain(field)?;
        Some(markup::from_csl(&raw)).filter(|t| !t.is_empty())
    }

    fn names(&mut self, field: &'static str) -> Vec<Name> {
        self.used.insert(field);
        let Some(value) = self.item.get(field) else {
            return Vec::new();
        };
        let list = match value {
            Value::Array(list) => list.as_slice(),
            other => std::slice::from_ref(other),
        };
        let mut names = Vec::new();
        for v in list {
            match name(v) {
                Some(n) => names.push(n),
                None => self
                    .lost
                    .push(lost(&format!("a name in {field}"), &v.to_string())),
            }
        }
        names
    }

    fn date(&mut self, field: &'static str) -> Option<ReadDate> {
        self.used.insert(field);
        let read = dates::read(field, self.item.get(field)?);
        self.lost.extend(read.lost.clone());
        Some(read)
    }
}

/// Maps a CSL type to gloss's; `None` when gloss has no kind for it.
fn entry_type(csl: &str) -> Option<EntryType> {
    Some(match csl {
        "article-journal" | "review" | "review-book" => EntryType::Article,
        "article-magazine" => EntryType::Magazine,
        "article-newspaper" => EntryType::Newspaper,
        "article" => EntryType::Preprint,
        "book" | "collection" | "classic" => EntryType::Book,
        "chapter" => EntryType::Chapter,
        "entry" | "entry-dictionary" | "entry-encyclopedia" => EntryType::Entry,
        "legal_case" => EntryType::Case,
        "legislation" | "bill" | "regulation" => EntryType::Legislation,
        "paper-conference" => EntryType::Conference,
        "report" | "standard" => EntryType::Report,
        "thesis" => EntryType::Thesis,
        "webpage" => EntryType::Web,
        "post" | "post-weblog" => EntryType::Post,
        "dataset" => EntryType::Dataset,
        "software" => EntryType::Software,
        "document" | "manuscript" | "pamphlet" => EntryType::Other,
        _ => return None,
    })
}

/// E-print archives whose identifiers CSL writes as `number: "arXiv:2103.01234"`.
const EPRINT_PREFIXES: &[&str] = &[
    "arxiv", "biorxiv", "medrxiv", "ssrn", "psyarxiv", "socarxiv",
];

/// The item as a gloss source, or why it cannot be one.
pub(super) fn entry(item: &Map<String, Value>, key: String, at: Origin) -> Result<Entry, String> {
    let mut r = Reader {
        item,
        used: BTreeSet::from(["id", "type"]),
        lost: Vec::new(),
    };
    if item
        .get("citation-key")
        .and_then(scalar)
        .is_some_and(|k| k == key)
    {
        r.used.insert("citation-key");
    }
    let csl_type = r.plain("type").unwrap_or_default();
    let mut meta = SourceMeta {
        entry_type: entry_type(&csl_type).unwrap_or_else(|| {
            r.lost.push(format!("type {csl_type} (imported as other)"));
            EntryType::Other
        }),
        ..SourceMeta::default()
    };
    let title = r.text("title").ok_or("it has no title (gloss needs one)")?;
    names(&mut r, &mut meta);
    let remarks = tidy_all(&mut meta).into_iter().collect();
    dates(&mut r, &mut meta);
    publication(&mut r, &mut meta);
    identifiers(&mut r, &mut meta);
    custom(&mut r, &mut meta);
    tidy(&mut meta);
    let abstract_text = r
        .plain("abstract")
        .map(|a| body_text::from_csl(&strip_jats(&a)))
        .filter(|a| !a.is_empty());
    let notes = notes(&mut r, &mut meta);
    for (field, value) in item {
        if !r.used.contains(field.as_str()) {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            r.lost.push(lost(field, &shown));
        }
    }
    Ok(Entry {
        key,
        at,
        title,
        meta,
        abstract_text,
        notes,
        lost: r.lost,
        remarks,
    })
}

/// Authors, editors and translators; the other roles are lost.
fn names(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    meta.authors = r.names("author");
    meta.editors = r.names("editor");
    meta.translators = r.names("translator");
    for field in OTHER_NAMES {
        let names = r.names(field);
        if !names.is_empty() {
            let shown: Vec<String> = names.iter().map(Name::display).collect();
            r.lost.push(lost(field, &shown.join(" and ")));
        }
    }
}

/// The year and date of issue (or `status: in press`), the access date, the original year.
fn dates(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    if let Some(read) = r.date("issued") {
        apply(meta, &read);
    }
    if let Some(status) = r.plain("status") {
        match status.to_ascii_lowercase().as_str() {
            "in press" | "inpress" | "forthcoming" if meta.year == Year::Unknown => {
                meta.year = Year::InPress;
            }
            _ => r.lost.push(lost("status", &status)),
        }
    }
    meta.accessed = r.date("accessed").and_then(|d| d.date);
    if let Some(read) = r.date("original-date") {
        meta.original_year = read.date.map(|d| d.year).or(read.year);
        if read.date.is_some_and(|d| d.month.is_some()) {
            r.lost.push("original-date's month and day".to_string());
        }
    }
}

/// The first of `fields` that has a value, as prose; the others, when they say something
/// else, are lost (Zotero's old `journalAbbreviation` beside CSL's `container-title-short`).
fn first_text(r: &mut Reader<'_>, fields: &[&'static str]) -> Option<String> {
    let mut found: Option<String> = None;
    for field in fields {
        if let Some(value) = r.text(field) {
            match &found {
                None => found = Some(value),
                Some(f) if *f == value => {}
                Some(_) => r.lost.push(lost(field, &value)),
            }
        }
    }
    found
}

/// Where the work appeared: container, series, publisher, edition, volume, issue, pages,
/// genre, event, version.
fn publication(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    meta.container = r.text("container-title");
    meta.container_short = first_text(r, &["container-title-short", "journalAbbreviation"]);
    meta.short_title = first_text(r, &["title-short", "shortTitle"]);
    meta.volumes = r.plain("number-of-volumes");
    meta.page_count = r.plain("number-of-pages");
    meta.authority = r.text("authority");
    meta.section = r.plain("section");
    meta.jurisdiction = r.plain("jurisdiction");
    meta.series = r.text("collection-title");
    meta.publisher = r.text("publisher");
    meta.publisher_place = r.text("publisher-place");
    // Zotero writes a place twice, as `event-place` too: said once, it is not lost.
    if r.item
        .get("event-place")
        .and_then(scalar)
        .map(|p| markup::from_csl(&p))
        == meta.publisher_place
    {
        r.used.insert("event-place");
    }
    meta.edition = r.text("edition");
    meta.volume = r.plain("volume");
    meta.issue = r.plain("issue");
    meta.pages = r.plain("page").map(|p| page_range(&p));
    meta.genre = r.text("genre");
    meta.event = r.text("event-title");
    if let Some(event) = r.text("event") {
        match &meta.event {
            None => meta.event = Some(event),
            Some(e) if *e == event => {}
            Some(_) => r.lost.push(lost("event", &event)),
        }
    }
    meta.version = r.plain("version");
}

/// DOI, URL, ISBN, ISSN, language, archive, and the number: an e-print's identifier when it
/// names its archive (`arXiv:2103.01234`), else a report's number or `collection-number`.
fn identifiers(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    let doi = r.plain("DOI");
    meta.doi = first_identifier("DOI", doi, &mut r.lost).map(|d| bare_doi(&d));
    let url = r.plain("URL");
    meta.url = first_identifier("URL", url, &mut r.lost);
    meta.isbn = r.plain("ISBN");
    meta.issn = r.plain("ISSN");
    meta.language = r.plain("language");
    meta.archive = r.plain("archive");
    meta.catalog = r.text("source");

    meta.number = r.plain("number");
    if let Some(number) = &meta.number
        && let Some((prefix, id)) = number.split_once(':')
        && EPRINT_PREFIXES.contains(&prefix.trim().to_ascii_lowercase().as_str())
    {
        let prefix = archive_name(prefix.trim());
        meta.eprint = Some(id.trim().to_string());
        meta.archive.get_or_insert(prefix);
        meta.number = None;
    }
    if let Some(n) = r.plain("collection-number") {
        match &meta.number {
            None => meta.number = Some(n),
            Some(existing) if *existing == n => {}
            Some(_) => r.lost.push(lost("collection-number", &n)),
        }
    }
    // Zotero's preprints are `article` with genre "Preprint": the type says it already.
    if meta.entry_type == EntryType::Preprint
        && meta
            .genre
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case("preprint"))
    {
        meta.genre = None;
    }
}

/// Better BibTeX's `custom` fields: a short author and an e-print identifier are kept.
fn custom(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    r.used.insert("custom");
    if let Some(Value::Object(custom)) = r.item.get("custom") {
        for (k, v) in custom {
            match (k.as_str(), scalar(v)) {
                ("author-short" | "shortauthor", Some(s)) => meta.abbreviation = Some(s),
                ("eprint", Some(s)) => meta.eprint = Some(s),
                _ => r.lost.push(lost(&format!("custom.{k}"), &v.to_string())),
            }
        }
    }
}

/// The free text of `note`, for a new note's body; its `tex.*` lines (Better BibTeX's fields
/// with no CSL variable) read where gloss has a field, lost where it has none.
fn notes(r: &mut Reader<'_>, meta: &mut SourceMeta) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(note) = r.plain("note") {
        let mut free = Vec::new();
        for line in r
            .item
            .get("note")
            .and_then(Value::as_str)
            .unwrap_or(&note)
            .lines()
        {
            let line = line.trim();
            if let Some(short) = line.strip_prefix("tex.shortauthor:") {
                meta.abbreviation = Some(short.trim().to_string());
            } else if line.starts_with("Citation Key:") {
            } else if let Some((field, value)) =
                line.split_once(':').filter(|(f, _)| f.starts_with("tex."))
            {
                r.lost.push(lost(field, value));
            } else if !line.is_empty() {
                free.push(line);
            }
        }
        if !free.is_empty() {
            notes.push(body_text::from_csl(&free.join(" ")));
        }
    }
    notes
}
