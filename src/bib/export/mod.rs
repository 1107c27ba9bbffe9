//! The bibliography as data, generated from the source notes' front matter and losing none of
//! it: BibTeX (`references.bib`, `bibtex`), CSL-JSON (`references.json`, `csl_json`), and the
//! Highwire Press meta tags of each source page (`highwire`). `gloss import` reads the first
//! two back to the same notes.

mod bibtex;
mod csl_json;
mod highwire;

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;

use super::reference::SourceInput;

pub use csl_json::{CslDate, CslItem, CslName};
pub(crate) use csl_json::{csl_item, item_json};
pub(crate) use highwire::tags as highwire_tags;

pub(crate) use bibtex::key_of as bibtex_key;

/// One BibTeX entry per source key (formatted on every core: 10,000 entries take ~70 ms of CPU).
/// A key BibTeX cannot read as one is written as [`bibtex_key`] makes it, numbered (`a_b-2`)
/// when another source has that key already.
pub(crate) fn bibtex_entries(sources: &[SourceInput<'_>]) -> BTreeMap<String, String> {
    let mut taken: HashSet<String> = sources.iter().map(|s| s.key.to_string()).collect();
    let keys: Vec<String> = sources
        .iter()
        .map(|s| {
            let safe = bibtex_key(s.key);
            if safe == s.key {
                return safe.into_owned();
            }
            let mut key = safe.to_string();
            let mut n = 1;
            while taken.contains(&key) {
                n += 1;
                key = format!("{safe}-{n}");
            }
            taken.insert(key.clone());
            key
        })
        .collect();
    let entries: Vec<(String, String)> = sources
        .par_iter()
        .zip(&keys)
        .map(|(s, key)| (s.key.to_string(), bibtex::entry(s, key)))
        .collect();
    entries.into_iter().collect()
}

/// The whole `references.bib`, its entries in `order`.
pub(crate) fn bibtex_file<'a>(
    entries: &BTreeMap<String, String>,
    order: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut out = String::new();
    for key in order {
        if let Some(e) = entries.get(key) {
            out.push_str(e);
            out.push_str("\n\n");
        }
    }
    out
}

/// The whole `references.json`.
pub(crate) fn csl_json(sources: &[SourceInput<'_>]) -> String {
    let items: Vec<CslItem> = sources.iter().map(csl_item).collect();
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    json.push('\n');
    json
}
