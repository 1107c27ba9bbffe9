//! Each item's citation key, from the first place that has one:
//! 1. Zotero's own `citationKey` field (Zotero 7+; Better BibTeX moves its keys there);
//! 2. Better BibTeX's database beside zotero.sqlite (`better-bibtex.sqlite`, or
//!    `better-bibtex.migrated`): table `citationkey` (BBT 6.7+), else the older LokiJS store,
//!    row `better-bibtex.citekey` of table `better-bibtex`;
//! 3. a `Citation Key: x` (or `bibtex: x`) line in Extra;
//! 4. Zotero's own BibTeX export rule: first creator's last name, first title word that is not
//!    a stop word, year (`doe_borders_2020`), repeats numbered `-1`, `-2` in the order the
//!    items were added.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::open::uri;
use super::query::Item;

/// Where a key came from, counted in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeySource {
    Zotero,
    BetterBibtex,
    Extra,
    Generated,
}

/// Better BibTeX's keys by Zotero item key, for the user library (library 1).
pub(super) fn better_bibtex(data_dir: &Path) -> HashMap<String, String> {
    let mut keys = HashMap::new();
    for name in ["better-bibtex.sqlite", "better-bibtex.migrated"] {
        let path = data_dir.join(name);
        if !path.is_file() {
            continue;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
        let Ok(db) = Connection::open_with_flags(uri(&path, "immutable=1"), flags) else {
            continue;
        };
        let table = db.prepare("SELECT itemKey, citationKey FROM citationkey WHERE libraryID = 1");
        if let Ok(mut statement) = table
            && let Ok(rows) = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        {
            keys.extend(rows.filter_map(Result::ok));
            return keys;
        }
        let loki: Option<String> = db
            .query_row(
                "SELECT data FROM \"better-bibtex\" WHERE name = 'better-bibtex.citekey'",
                [],
                |r| r.get(0),
            )
            .ok();
        let Some(json) = loki.and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
        else {
            continue;
        };
        for row in json["data"].as_array().into_iter().flatten() {
            if row["libraryID"].as_i64() == Some(1)
                && let (Some(item), Some(key)) = (row["itemKey"].as_str(), row["citekey"].as_str())
            {
                keys.insert(item.to_string(), key.to_string());
            }
        }
        return keys;
    }
    keys
}

/// A `Citation Key:` (or legacy `bibtex:`) line of Extra, in any case.
pub(super) fn from_extra(extra: &str) -> Option<String> {
    extra.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        let name = name.trim().to_ascii_lowercase();
        let known = matches!(
            name.as_str(),
            "citation key" | "citationkey" | "citation-key" | "bibtex"
        );
        let value = value.trim();
        (known && !value.is_empty() && !value.contains(char::is_whitespace))
            .then(|| value.to_string())
    })
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "some", "from", "on", "in", "to", "of", "do", "with", "der", "die", "das",
    "ein", "eine", "einer", "eines", "einem", "einen", "un", "une", "la", "le", "l'", "les", "el",
    "las", "los", "al", "uno", "una", "unos", "unas", "de", "des", "del", "d'",
];

/// Zotero's BibTeX export key for an item, before repeats are numbered.
pub(super) fn generated(item: &Item) -> String {
    let author = item
        .creators
        .first()
        .map(|c| c.last.to_lowercase().replace(' ', "_").replace(',', ""))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "noauthor".into());
    let title = item.fields.get("title").map(|t| t.to_lowercase());
    let word = title
        .as_deref()
        .and_then(|t| {
            t.split_whitespace()
                .map(|w| w.trim_start_matches("l'").trim_start_matches("d'"))
                .find(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        })
        .unwrap_or("notitle");
    let year = item
        .fields
        .get("date")
        .and_then(|d| d.get(0..4))
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()) && *y != "0000")
        .unwrap_or("nodate");
    // Accents folded as gloss folds keys; every other character dropped, as Zotero does.
    format!("{author}_{word}_{year}")
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '-' => c.to_string(),
            c => crate::import::keys::normalise(&c.to_string()).to_lowercase(),
        })
        .collect()
}

/// Every item's key (in the order of `items`) and where it came from.
pub(super) fn assign(items: &[Item], bbt: &HashMap<String, String>) -> Vec<(String, KeySource)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        (&items[a].date_added, &items[a].key).cmp(&(&items[b].date_added, &items[b].key))
    });
    let mut keys = vec![(String::new(), KeySource::Generated); items.len()];
    let mut taken: HashSet<String> = HashSet::new();
    let mut pending = Vec::new();
    for &i in &order {
        let item = &items[i];
        let found = item
            .fields
            .get("citationKey")
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .map(|k| (k.to_string(), KeySource::Zotero))
            .or_else(|| Some((bbt.get(&item.key)?.clone(), KeySource::BetterBibtex)))
            .or_else(|| Some((from_extra(item.fields.get("extra")?)?, KeySource::Extra)));
        match found {
            Some((key, source)) => {
                taken.insert(key.clone());
                keys[i] = (key, source);
            }
            None => pending.push(i),
        }
    }
    for i in pending {
        let base = generated(&items[i]);
        let mut key = base.clone();
        let mut n = 0;
        while taken.contains(&key) {
            n += 1;
            key = format!("{base}-{n}");
        }
        taken.insert(key.clone());
        keys[i] = (key, KeySource::Generated);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::zotero::query::Creator;

    #[test]
    fn extra_lines_name_a_key() {
        assert_eq!(
            from_extra("PMID: 1\nCitation Key: doe2020\n"),
            Some("doe2020".into())
        );
        assert_eq!(from_extra("bibtex: old2001"), Some("old2001".into()));
        assert_eq!(from_extra("citation key:   "), None);
        assert_eq!(from_extra("tex.citation key: x"), None);
    }

    #[test]
    fn generated_keys_follow_zoteros_rule_and_repeats_are_numbered() {
        let item = |key: &str, added: &str| {
            let mut it = Item {
                key: key.into(),
                date_added: added.into(),
                ..Item::default()
            };
            it.fields
                .insert("title".into(), "The État: of the Borders".into());
            it.fields.insert("date".into(), "2009-00-00 2009".into());
            it.creators.push(Creator {
                role: "author".into(),
                first: "M.".into(),
                last: "Müller Ölz".into(),
                single: false,
            });
            it
        };
        let items = [item("B", "2021"), item("A", "2020")];
        let keys = assign(&items, &HashMap::new());
        assert_eq!(keys[1].0, "muller_olz_etat_2009");
        assert_eq!(keys[0].0, "muller_olz_etat_2009-1");
        let mut bbt = HashMap::new();
        bbt.insert("B".to_string(), "pinned2021".to_string());
        assert_eq!(
            assign(&items, &bbt)[0],
            ("pinned2021".into(), KeySource::BetterBibtex)
        );
    }
}
