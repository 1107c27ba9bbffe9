//! A source note's bibliographic fields, checked: names, type, year and dates, with every problem
//! located on its line.

use super::raw::{RawFrontMatter, RawName, ScalarText, text_of};
use super::{EntryType, Name, PartialDate, SourceMeta, Year};
use crate::bib::LibraryEntry;
use crate::error::{Diagnostic, Level};
use crate::frontmatter::FieldLines;
use crate::safe_url::{bare_doi, is_doi, web_address};

/// What checking a note's fields needs to say where a problem is.
pub(super) struct Fields<'a> {
    pub(super) path: &'a str,
    pub(super) key: &'a str,
    pub(super) lines: &'a FieldLines<'a>,
    pub(super) diags: &'a mut Vec<Diagnostic>,
    /// The bibliography file's entry of the same key, whose fields fill in the note's.
    pub(super) entry: Option<&'a LibraryEntry>,
    /// A literature note (an Obsidian plugin's: `citekey:` or an `@key` file name): an
    /// annotation of its library entry, whose fields come first; its `type:` may name the kind of
    /// note, its names may be written "Given Family", and a missing year is a warning.
    pub(super) literature: bool,
}

impl Fields<'_> {
    /// An error on a field's value (its line, the column after `field: `), or on the opening
    /// fence when the field is absent.
    fn error(&mut self, field: &str, message: String) {
        let (line, col) = if self.lines.has(field) {
            (self.lines.line(field), field.chars().count() + 3)
        } else {
            (1, 1)
        };
        self.diags
            .push(Diagnostic::error(self.path, line, col, message));
    }

    fn names(&mut self, field: &str, raw: &[RawName]) -> Vec<Name> {
        let mut names = Vec::new();
        for name in raw {
            if self.literature
                && let RawName::Text(text) = name
                && let Some(people) = given_family(&text.0)
            {
                names.extend(people);
                continue;
            }
            match name.to_name() {
                Ok(n) => names.push(n),
                Err(message) => {
                    // A plugin's name strings are its own: a note is not lost over one.
                    let level = if self.literature {
                        Level::Warning
                    } else {
                        Level::Error
                    };
                    let shown = match name {
                        RawName::Text(t) => t.0.clone(),
                        RawName::Parts(_) => String::new(),
                    };
                    let line = if shown.is_empty() {
                        self.lines.line(field)
                    } else {
                        self.lines.item_line(field, &shown)
                    };
                    self.diags.push(Diagnostic::new(
                        level,
                        self.path,
                        line,
                        1,
                        format!("{field}: {message}"),
                    ));
                }
            }
        }
        names
    }

    fn date(&mut self, field: &str, raw: Option<ScalarText>) -> Option<PartialDate> {
        let text = text_of(raw)?;
        match PartialDate::parse(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                self.error(field, format!("{field}: {message}"));
                None
            }
        }
    }

    /// The bibliographic fields of a source note; problems go to `diags`.
    pub(super) fn source_meta(&mut self, raw: &mut RawFrontMatter) -> SourceMeta {
        let authors = self.names("authors", &std::mem::take(&mut raw.authors));
        let editors = self.names("editors", &std::mem::take(&mut raw.editors));
        let translators = self.names("translators", &std::mem::take(&mut raw.translators));
        let issued = self.date("issued", raw.issued.take());
        let accessed = self.date("accessed", raw.accessed.take());
        let year = self.year(raw.year.take(), issued);
        let original_year = self.original_year(raw.original_year.take());
        let entry_type = self.entry_type(raw.entry_type.as_ref());
        let doi = text_of(raw.doi.take()).and_then(|written| {
            let doi = bare_doi(&written);
            if is_doi(&doi) {
                return Some(doi);
            }
            self.warning("doi", format!("doi `{written}` {NOT_A_DOI}"));
            None
        });
        let own = SourceMeta {
            entry_type,
            authors,
            editors,
            translators,
            year,
            issued,
            original_year,
            accessed,
            container: text_of(raw.container.take()),
            publisher: text_of(raw.publisher.take()),
            publisher_place: text_of(raw.publisher_place.take()),
            volume: text_of(raw.volume.take()),
            issue: text_of(raw.issue.take()),
            pages: text_of(raw.pages.take()),
            number: text_of(raw.number.take()),
            series: text_of(raw.series.take()),
            edition: text_of(raw.edition.take()),
            genre: text_of(raw.genre.take()),
            event: text_of(raw.event.take()),
            version: text_of(raw.version.take()),
            doi,
            url: text_of(raw.url.take()),
            isbn: text_of(raw.isbn.take()),
            issn: text_of(raw.issn.take()),
            language: text_of(raw.language.take()),
            abbreviation: text_of(raw.abbreviation.take()),
            archive: text_of(raw.archive.take()),
            eprint: text_of(raw.eprint.take()),
            container_short: text_of(raw.container_short.take()),
            short_title: text_of(raw.short_title.take()),
            volumes: text_of(raw.volumes.take()),
            page_count: text_of(raw.page_count.take()),
            catalog: text_of(raw.catalog.take()),
            authority: text_of(raw.authority.take()),
            section: text_of(raw.section.take()),
            jurisdiction: text_of(raw.jurisdiction.take()),
            doi_line: self.lines.line("doi"),
        };
        let mut meta = match self.entry {
            // A plugin's copy of the library (`authors: Tariq Rahman, Siobhán O'Brien`) is
            // lossier than the library itself: the entry's fields come first.
            Some(entry) if self.literature => SourceMeta {
                doi_line: own.doi_line,
                ..entry.meta.clone().over(&own)
            },
            Some(entry) => own.over(&entry.meta),
            None => own,
        };
        // What the bibliography file gave (the note's own DOI is checked above).
        for Dropped { field, why, .. } in drop_unsafe_links(&mut meta) {
            let from = match self.lines.has(field) {
                true => "",
                false => " (from the bibliography file)",
            };
            self.warning(field, format!("{why}{from}"));
        }
        if self.literature {
            self.warn_if_bare(&meta);
        }
        meta
    }

    /// A warning on field `field` (its line, or the opening fence when the note has none).
    fn warning(&mut self, field: &str, message: String) {
        let line = self.lines.line(field);
        self.diags
            .push(Diagnostic::warning(self.path, line, 1, message));
    }

    /// A literature note whose reference would name no author, or no journal or book for a work
    /// printed in one, gets a warning saying what is missing and where to add it: a plugin's
    /// note often keeps them in its body only (`**Authors**:: …`), where no reference reads them.
    fn warn_if_bare(&mut self, meta: &SourceMeta) {
        let mut missing = Vec::new();
        if meta.authors.is_empty() && meta.editors.is_empty() {
            missing.push("authors (`authors:`)");
        }
        let in_a_container = matches!(
            meta.entry_type,
            EntryType::Article
                | EntryType::Magazine
                | EntryType::Newspaper
                | EntryType::Chapter
                | EntryType::Conference
        );
        if in_a_container && meta.container.is_none() {
            missing.push("journal or book (`container:`)");
        }
        if missing.is_empty() {
            return;
        }
        self.diags.push(
            Diagnostic::warning(
                self.path,
                self.lines.line("citekey"),
                1,
                format!(
                    "the reference of `{}` has no {}: add the fields to the note, or name the library that has the work in site.yaml's `bibliography:`",
                    self.key,
                    missing.join(" and no ")
                ),
            )
            .in_family("literature notes make references with no authors or no journal: add the fields to them, or name the library in site.yaml's `bibliography:`"),
        );
    }

    /// The year: `year:` (which must agree with `issued:`), else the date's, else the library
    /// entry's; a source with none is an error, a literature note's a warning (listed as n.d.).
    fn year(&mut self, raw: Option<ScalarText>, issued: Option<PartialDate>) -> Year {
        match raw.map(|y| Year::parse(&y.0)) {
            Some(Ok(year)) => {
                if let (Some(date), Year::Known(y)) = (issued, year)
                    && date.year != y
                {
                    self.error(
                        "year",
                        format!(
                            "`year: {y}` disagrees with `issued: {date}`: write the year once, in `issued`"
                        ),
                    );
                }
                year
            }
            Some(Err(message)) => {
                self.error("year", message);
                Year::Unknown
            }
            None => match (issued, self.entry) {
                (Some(date), _) => Year::Known(date.year),
                (None, Some(entry)) => entry.meta.year,
                (None, None) if self.literature => {
                    self.diags.push(Diagnostic::warning(
                        self.path,
                        self.lines.line("citekey"),
                        1,
                        format!(
                            "`{}` has no year (the note gives none, no bibliography file has it): it is listed as n.d.; add the library to site.yaml's `bibliography:` or a `year:`",
                            self.key
                        ),
                    )
                    .in_family("literature notes give no year and are in no bibliography file: they are listed as n.d.; name the library in site.yaml's `bibliography:`"));
                    Year::Unknown
                }
                (None, None) => {
                    self.error(
                        "year",
                        "missing required field `year` (write `year: n.d.` when the source gives none)".to_string(),
                    );
                    Year::Unknown
                }
            },
        }
    }

    fn original_year(&mut self, raw: Option<ScalarText>) -> Option<i32> {
        let text = text_of(raw)?;
        match text.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                self.error(
                    "original_year",
                    format!("`original_year: {text}` is not a year: write it as 1936"),
                );
                None
            }
        }
    }

    /// The type of work: `type:`, else the library entry's, else an article.
    fn entry_type(&mut self, raw: Option<&ScalarText>) -> EntryType {
        let fallback = self.entry.map(|e| e.meta.entry_type);
        match raw {
            None => fallback.unwrap_or(EntryType::Article),
            // A plugin's `type: literature-note` names the kind of note, not of work.
            Some(t)
                if EntryType::parse(&t.0).is_none() && (fallback.is_some() || self.literature) =>
            {
                fallback.unwrap_or(EntryType::Other)
            }
            Some(t) => EntryType::parse(&t.0).unwrap_or_else(|| {
                let names: Vec<&str> = EntryType::ALL.iter().map(|t| t.as_str()).collect();
                let message = format!(
                    "unknown source type `{}`: use one of {}",
                    t.0,
                    names.join(", ")
                );
                self.error("type", message);
                EntryType::Other
            }),
        }
    }
}

/// People written "Given Family" as Obsidian's plugins write them (`Max Weber`, `Tariq Rahman,
/// Siobhán O'Brien`): each comma-separated part of two words or more is one person, the last
/// word the family name. `None` when the text reads as gloss's own `Family, Given` (parts of
/// one word) or as one name.
fn given_family(text: &str) -> Option<Vec<Name>> {
    // `Marta Ortiz and Jon Keller`, as BibTeX joins names.
    let text = text.replace(" and ", ", ");
    let parts: Vec<&str> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let people = !parts.is_empty()
        && parts.iter().all(|p| {
            let words: Vec<&str> = p.split_whitespace().collect();
            (2..=5).contains(&words.len())
                && words
                    .last()
                    .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        });
    if !people {
        return None;
    }
    Some(
        parts
            .iter()
            .map(|p| {
                let (given, family) = p.rsplit_once(' ').unwrap_or(("", p));
                Name {
                    family: family.to_string(),
                    given: Some(given.trim().to_string()).filter(|g| !g.is_empty()),
                    ..Name::default()
                }
            })
            .collect(),
    )
}

/// What follows a DOI that is none in its warning.
const NOT_A_DOI: &str = "is not of the form 10.NNNN/suffix (write the DOI itself, not its URL): it is left out of the site and its exports";

/// A link field taken out of a source: its name, its value, and the warning to give.
pub(crate) struct Dropped {
    pub(crate) field: &'static str,
    pub(crate) value: String,
    pub(crate) why: String,
}

/// Takes a source's link fields out when they could not be a safe link: a `url` that is no
/// `http(s)` address (`javascript:`, `data:`, a `zotero:` link), a `doi` that is no DOI. Every
/// consumer (the source page, the bibliography, reference lists, previews, the Highwire tags, the
/// exports) reads the note's fields, so none formats them; `gloss import` leaves them out of the
/// notes it writes.
pub(crate) fn drop_unsafe_links(meta: &mut SourceMeta) -> Vec<Dropped> {
    let mut dropped = Vec::new();
    if let Some(why) = meta.url.as_deref().and_then(|u| web_address(u).err()) {
        dropped.push(Dropped {
            field: "url",
            value: meta.url.take().unwrap_or_default(),
            why: format!("url: {why}, not a web address (http or https): it is left out of the site and its exports"),
        });
    }
    if let Some(doi) = meta.doi.take_if(|d| !is_doi(d)) {
        dropped.push(Dropped {
            field: "doi",
            why: format!("doi `{doi}` {NOT_A_DOI}"),
            value: doi,
        });
    }
    dropped
}
