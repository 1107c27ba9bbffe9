//! The bibliography as data: BibTeX (`references.bib`, through the biblatex crate) and CSL-JSON
//! (`references.json`), both generated from the source notes' front matter.

use std::collections::BTreeMap;

use biblatex::{Chunk, EntryType as BibType, Spanned};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{EntryType, Name, Year};
use super::reference::SourceInput;

/// One BibTeX entry per source key (formatted on every core: 10,000 entries take ~70 ms of CPU).
pub(crate) fn bibtex_entries(sources: &[SourceInput<'_>]) -> BTreeMap<String, String> {
    let entries: Vec<(String, String)> = sources
        .par_iter()
        .filter_map(|s| Some((s.key.to_string(), bibtex_entry(s)?)))
        .collect();
    entries.into_iter().collect()
}

fn chunks(text: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::zero(Chunk::Normal(text.to_string()))]
}

fn names(list: &[Name]) -> Vec<Spanned<Chunk>> {
    let mut out = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if i > 0 {
            out.push(Spanned::zero(Chunk::Normal(" and ".into())));
        }
        match &name.given {
            Some(given) => out.push(Spanned::zero(Chunk::Normal(format!(
                "{}, {given}",
                name.family
            )))),
            // An organisation or one-name person: braces keep BibTeX from splitting it.
            None => out.push(Spanned::zero(Chunk::Verbatim(name.family.clone()))),
        }
    }
    out
}

fn bibtex_entry(source: &SourceInput<'_>) -> Option<String> {
    let meta = source.meta;
    let kind = match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => BibType::Article,
        EntryType::Book => BibType::Book,
        EntryType::Chapter => BibType::InCollection,
        EntryType::Conference => BibType::InProceedings,
        EntryType::Report => BibType::TechReport,
        EntryType::Thesis => BibType::PhdThesis,
        _ => BibType::Misc,
    };
    let mut entry = biblatex::Entry::new(source.key.to_string(), kind);
    entry.set("title", chunks(source.title));
    entry.set("author", names(&meta.authors));
    if !meta.editors.is_empty() {
        entry.set("editor", names(&meta.editors));
    }
    if let Year::Known(y) = meta.year {
        entry.set("year", chunks(&y.to_string()));
    }
    let container_field = match meta.entry_type {
        EntryType::Article => "journal",
        EntryType::Chapter => "booktitle",
        EntryType::Report => "series",
        _ => "howpublished",
    };
    let publisher_field = match meta.entry_type {
        EntryType::Report => "institution",
        EntryType::Thesis => "school",
        _ => "publisher",
    };
    let fields = [
        (container_field, &meta.container),
        (publisher_field, &meta.publisher),
        ("volume", &meta.volume),
        ("number", &meta.issue),
        ("pages", &meta.pages),
        ("doi", &meta.doi),
        ("url", &meta.url),
    ];
    for (field, value) in fields {
        if let Some(v) = value {
            entry.set(field, chunks(v));
        }
    }
    entry.to_bibtex_string().ok()
}

/// The whole `references.bib`.
pub(crate) fn bibtex_file(entries: &BTreeMap<String, String>, order: &[String]) -> String {
    let mut out = String::new();
    for key in order {
        if let Some(e) = entries.get(key) {
            out.push_str(e);
            out.push_str("\n\n");
        }
    }
    out
}

/// A CSL-JSON item, as reference managers (Zotero, Pandoc) read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CslItem {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(
        rename = "container-title",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A CSL name: `family` + `given`, or a `literal` for organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CslName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CslDate {
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
}

fn csl_names(list: &[Name]) -> Vec<CslName> {
    list.iter()
        .map(|n| match &n.given {
            Some(g) => CslName {
                family: Some(n.family.clone()),
                given: Some(g.clone()),
                literal: None,
            },
            None => CslName {
                family: None,
                given: None,
                literal: Some(n.family.clone()),
            },
        })
        .collect()
}

/// The CSL-JSON item of a source.
pub(crate) fn csl_item(source: &SourceInput<'_>) -> CslItem {
    let meta = source.meta;
    CslItem {
        id: source.key.to_string(),
        kind: match meta.entry_type {
            EntryType::Article => "article-journal",
            EntryType::Magazine => "article-magazine",
            EntryType::Newspaper => "article-newspaper",
            EntryType::Book => "book",
            EntryType::Chapter => "chapter",
            EntryType::Conference => "paper-conference",
            EntryType::Report => "report",
            EntryType::Thesis => "thesis",
            EntryType::Web => "webpage",
            EntryType::Preprint => "article",
            EntryType::Dataset => "dataset",
            EntryType::Software => "software",
            EntryType::Other => "document",
        }
        .to_string(),
        title: source.title.to_string(),
        author: csl_names(&meta.authors),
        editor: csl_names(&meta.editors),
        issued: match meta.year {
            Year::Known(y) => Some(CslDate {
                date_parts: vec![vec![y]],
            }),
            Year::Unknown | Year::InPress => None,
        },
        container_title: meta.container.clone(),
        publisher: meta.publisher.clone(),
        volume: meta.volume.clone(),
        issue: meta.issue.clone(),
        page: meta.pages.clone(),
        doi: meta.doi.clone(),
        url: meta.url.clone(),
    }
}

/// The whole `references.json`.
pub(crate) fn csl_json(sources: &[SourceInput<'_>]) -> String {
    let items: Vec<CslItem> = sources.iter().map(csl_item).collect();
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    json.push('\n');
    json
}
