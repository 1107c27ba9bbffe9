//! The vocabulary of formatted references: what a formatter is given of a source, what it
//! returns, and the orders and groups every formatter agrees on.

use super::model::{SourceMeta, Year};
use crate::cite::InText;

/// A source formatted in APA 7.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    pub in_text: InText,
    /// The reference-list entry as HTML (italics, DOI and URL links).
    pub html: String,
    /// The same entry as plain text (tooltips, feeds).
    pub text: String,
    /// APA order: first author's family name, then year, then title (lowercased).
    pub sort_key: String,
}

/// What the formatter needs of a source.
pub struct SourceInput<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub meta: &'a SourceMeta,
}

/// The cluster a source belongs to: its first author's family name, lowercased. Disambiguation
/// (initials, more names, 2019a) only ever involves works whose first authors share a family
/// name, so works in different clusters never affect each other's formatting (`gloss serve` relies on this to
/// format again only the clusters whose sources changed).
pub(crate) fn cluster_key(meta: &SourceMeta) -> String {
    meta.authors
        .first()
        .map(|a| a.family.to_lowercase())
        .unwrap_or_default()
}

pub(crate) fn sort_key(source: &SourceInput<'_>) -> String {
    let names: Vec<String> = source
        .meta
        .authors
        .iter()
        .map(|a| a.display().to_lowercase())
        .collect();
    let year = match source.meta.year {
        Year::Known(y) => format!("{y:04}"),
        Year::Unknown => "0000".to_string(),
        Year::InPress => "9999".to_string(),
    };
    format!(
        "{}\u{1}{year}\u{1}{}",
        names.join("\u{2}"),
        source.title.to_lowercase()
    )
}
