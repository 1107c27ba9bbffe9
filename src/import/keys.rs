//! Citation keys as note file names: folded to ASCII letters, digits, `-` and `_` (what every
//! file system and Pandoc accept), collisions numbered, keys that differ only in case refused.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::bib::model::SourceMeta;
use crate::bib::read::Entry;
use crate::error::Diagnostic;

/// A key as a file name: accents dropped (NFD), letters without a decomposition spelt in ASCII
/// (ł → l, ø → o, ß → ss, æ → ae), every run of other characters (dashes too) one `-`, no `-` at
/// either end: a key `[@key]` cites whole, since a citation key's `-` stands between letters.
pub(crate) fn normalise(key: &str) -> String {
    let mut folded = String::with_capacity(key.len());
    for c in key.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ł' => folded.push('l'),
            'Ł' => folded.push('L'),
            'ø' => folded.push('o'),
            'Ø' => folded.push('O'),
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'Æ' => folded.push_str("AE"),
            'œ' => folded.push_str("oe"),
            'Œ' => folded.push_str("OE"),
            'đ' | 'ð' => folded.push('d'),
            'Đ' | 'Ð' => folded.push('D'),
            'þ' => folded.push_str("th"),
            'Þ' => folded.push_str("TH"),
            'ı' => folded.push('i'),
            c => folded.push(c),
        }
    }
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A key for one that folds to nothing (all CJK, say): stable across imports of the same key.
fn fallback(key: &str) -> String {
    let hash = key.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("key-{hash:08x}")
}

/// The gloss key of each entry (in order; `None` for an entry that repeats another file's), and
/// the problems: a key changed is a warning (notes citing the old key must change too); two
/// entries whose keys differ only in case, or one key for two different works, are errors.
pub(crate) fn assign(entries: &[Entry]) -> (Vec<Option<String>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let wanted: Vec<String> = entries
        .iter()
        .map(|e| {
            Some(normalise(&e.key))
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| fallback(&e.key))
        })
        .collect();
    let mut keys: Vec<Option<String>> = vec![None; entries.len()];
    // Keys that need no change keep them first.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if wanted[i] != e.key {
            continue;
        }
        let lower = e.key.to_lowercase();
        let Some(&first) = taken.get(&lower) else {
            taken.insert(lower, i);
            keys[i] = Some(e.key.clone());
            continue;
        };
        let other = &entries[first];
        let same_work = other.key == e.key && other.title == e.title && same(&other.meta, &e.meta);
        if same_work {
            diags.push(e.at.warning(
                &e.key,
                &format!(
                    "the same entry as in {}{}: this copy is ignored",
                    other.at.path,
                    place(other)
                ),
            ));
        } else if other.key == e.key {
            diags.push(e.at.error(
                &e.key,
                &format!(
                    "duplicate citation key {} (first in {}{}): give one of the two works another key",
                    e.key,
                    other.at.path,
                    place(other)
                ),
            ));
        } else {
            diags.push(e.at.error(
                &e.key,
                &format!(
                    "citation key {} differs from {} ({}{}) only in case: their notes would be one file on macOS and Windows; give one of them another key",
                    e.key,
                    other.key,
                    other.at.path,
                    place(other)
                ),
            ));
        }
    }
    let mut used: HashSet<String> = taken.keys().cloned().collect();
    for (i, e) in entries.iter().enumerate() {
        if wanted[i] == e.key {
            continue;
        }
        let mut key = wanted[i].clone();
        let mut n = 2;
        while used.contains(&key.to_lowercase()) {
            key = format!("{}-{n}", wanted[i]);
            n += 1;
        }
        used.insert(key.to_lowercase());
        let why = match e
            .key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        {
            // `a--b`, `-a`: a file name, but `[@a--b]` would cite `a`.
            true => "cannot be cited as it is",
            false => "cannot be a file name",
        };
        diags.push(e.at.warning(
            &e.key,
            &format!(
                "the citation key `{}` {why}: the note is content/sources/{key}.md; cite it as [@{key}]",
                e.key
            ),
        ));
        keys[i] = Some(key);
    }
    (keys, diags)
}

/// Two entries' fields, ignoring where they were read.
fn same(a: &SourceMeta, b: &SourceMeta) -> bool {
    SourceMeta {
        doi_line: 0,
        ..a.clone()
    } == SourceMeta {
        doi_line: 0,
        ..b.clone()
    }
}

/// `, line 12` or `, item 3`: where in its file an entry is.
fn place(e: &Entry) -> String {
    match (e.at.index, e.at.line) {
        (Some(i), _) => format!(", item {i}"),
        (None, 0) => String::new(),
        (None, line) => format!(", line {line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_folded_to_ascii_file_names() {
        for (key, want) in [
            ("doe/2020", "doe-2020"),
            ("c++2019", "c-2019"),
            ("müller2020", "muller2020"),
            ("2020report", "2020report"),
            ("Smith:2020:ABC", "Smith-2020-ABC"),
            ("o'brien.2017", "o-brien-2017"),
            ("łukasiewicz_ø2021", "lukasiewicz_o2021"),
            (
                "KEY-with-CAPS_and-dashes2018",
                "KEY-with-CAPS_and-dashes2018",
            ),
            ("Straße", "Strasse"),
            // Found by fuzz/import: `[@doe--x]` cites `doe`.
            ("doe--x", "doe-x"),
            ("a-_b", "a-_b"),
            ("-a-", "a"),
        ] {
            assert_eq!(normalise(key), want, "{key}");
        }
        assert_eq!(normalise("論文"), "");
        assert_eq!(fallback("論文"), fallback("論文"));
        assert_ne!(fallback("論文"), fallback("論"));
    }
}
