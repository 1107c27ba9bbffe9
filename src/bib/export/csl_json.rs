//! A source as a CSL-JSON item, every field under its CSL name (names with their particles and
//! suffixes as name parts, dates as `date-parts`, a group author's short form in `custom` as
//! Better BibTeX writes it), valid against the CSL schema's `csl-data.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bib::markup;
use crate::bib::model::{EntryType, Name, PartialDate, Year};
use crate::bib::reference::SourceInput;
use crate::cite::page_range;

/// A CSL-JSON item, as reference managers (Zotero, Pandoc) read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CslItem {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translator: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_date: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(rename = "ISBN", default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    #[serde(rename = "ISSN", default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_title_short: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_short: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_volumes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_pages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// What CSL has no variable for: `author-short` (a group author's abbreviation, as Better
    /// BibTeX writes it) and `eprint` (an e-print identifier `number` cannot hold).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, String>,
}

/// A CSL name: `family` + `given` (with particles and suffix), or a `literal` for organisations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CslName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_dropping_particle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropping_particle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

/// A CSL date: `[[year, month, day]]`, as precise as known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CslDate {
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
}

impl CslDate {
    fn of(d: PartialDate) -> CslDate {
        let mut parts = vec![d.year];
        if let Some(m) = d.month {
            parts.push(i32::from(m));
            if let Some(day) = d.day {
                parts.push(i32::from(day));
            }
        }
        CslDate {
            date_parts: vec![parts],
        }
    }

    fn year(y: i32) -> CslDate {
        CslDate {
            date_parts: vec![vec![y]],
        }
    }
}

/// E-print archives whose identifiers CSL writes in `number` as `arXiv:2103.01234` (and
/// `gloss import` reads back).
const NUMBER_ARCHIVES: &[&str] = &[
    "arxiv", "biorxiv", "medrxiv", "ssrn", "psyarxiv", "socarxiv",
];

fn names(list: &[Name]) -> Vec<CslName> {
    list.iter()
        .map(|n| {
            if n.is_literal() {
                CslName {
                    literal: Some(n.family.clone()),
                    ..CslName::default()
                }
            } else {
                CslName {
                    family: Some(n.family.clone()),
                    given: n.given.clone(),
                    non_dropping_particle: n.particle.clone(),
                    dropping_particle: n.dropping.clone(),
                    suffix: n.suffix.clone(),
                    literal: None,
                }
            }
        })
        .collect()
}

/// The CSL-JSON item of a source.
pub(crate) fn csl_item(source: &SourceInput<'_>) -> CslItem {
    let meta = source.meta;
    let prose = |v: &Option<String>| v.as_deref().map(markup::to_csl);
    let t = meta.entry_type;
    // A book's or chapter's number is its number in a series; a report's, an article's, the
    // work's own.
    let in_series = matches!(
        t,
        EntryType::Book | EntryType::Chapter | EntryType::Conference
    );
    let mut number = meta.number.clone().filter(|_| !in_series);
    let mut custom = BTreeMap::new();
    if let Some(a) = &meta.abbreviation {
        custom.insert("author-short".to_string(), a.clone());
    }
    if let Some(e) = &meta.eprint {
        match &meta.archive {
            Some(a) if number.is_none() && NUMBER_ARCHIVES.contains(&a.to_lowercase().as_str()) => {
                number = Some(format!("{a}:{e}"));
            }
            _ => {
                custom.insert("eprint".to_string(), e.clone());
            }
        }
    }
    CslItem {
        id: source.key.to_string(),
        kind: match t {
            EntryType::Article => "article-journal",
            EntryType::Magazine => "article-magazine",
            EntryType::Newspaper => "article-newspaper",
            EntryType::Book => "book",
            EntryType::Chapter => "chapter",
            EntryType::Conference => "paper-conference",
            EntryType::Report => "report",
            EntryType::Thesis => "thesis",
            EntryType::Web => "webpage",
            EntryType::Post => "post-weblog",
            EntryType::Entry => "entry-encyclopedia",
            EntryType::Case => "legal_case",
            EntryType::Legislation => "legislation",
            // CSL's `article`: "a preprint, working paper, or other prepublication article".
            EntryType::Preprint => "article",
            EntryType::Dataset => "dataset",
            EntryType::Software => "software",
            EntryType::Other => "document",
        }
        .to_string(),
        title: markup::to_csl(source.title),
        author: names(&meta.authors),
        editor: names(&meta.editors),
        translator: names(&meta.translators),
        issued: match (meta.issued, meta.year) {
            (Some(d), _) => Some(CslDate::of(d)),
            (None, Year::Known(y)) => Some(CslDate::year(y)),
            (None, _) => None,
        },
        original_date: meta.original_year.map(CslDate::year),
        accessed: meta.accessed.map(CslDate::of),
        status: (meta.year == Year::InPress).then(|| "in press".to_string()),
        container_title: prose(&meta.container),
        collection_title: prose(&meta.series),
        collection_number: meta.number.clone().filter(|_| in_series),
        publisher: prose(&meta.publisher),
        publisher_place: prose(&meta.publisher_place),
        edition: prose(&meta.edition),
        volume: meta.volume.clone(),
        issue: meta.issue.clone(),
        page: meta.pages.as_deref().map(page_range),
        number,
        genre: prose(&meta.genre),
        event_title: prose(&meta.event),
        version: meta.version.clone(),
        doi: meta.doi.clone(),
        url: meta.url.clone(),
        isbn: meta.isbn.clone(),
        issn: meta.issn.clone(),
        language: meta.language.clone(),
        archive: meta.archive.clone(),
        container_title_short: prose(&meta.container_short),
        title_short: prose(&meta.short_title),
        number_of_volumes: meta.volumes.clone(),
        number_of_pages: meta.page_count.clone(),
        source: prose(&meta.catalog),
        authority: prose(&meta.authority),
        section: meta.section.clone(),
        jurisdiction: meta.jurisdiction.clone(),
        custom,
    }
}

/// One item as pretty JSON (shown on the source's page).
pub(crate) fn item_json(source: &SourceInput<'_>) -> String {
    serde_json::to_string_pretty(&csl_item(source)).unwrap_or_default()
}
