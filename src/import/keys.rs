//! Citation keys and the file names of their notes: a key kept as the library writes it
//! whenever Pandoc can cite it, its file name folded to ASCII letters, digits, `-` and `_` when
//! it cannot be one on every system (the note's `key:` then says the key); collisions numbered;
//! of two works under one key, the last.

use std::collections::{BTreeMap, HashMap, HashSet};

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

/// Where an entry's note goes: its file name (without `.md`) and its citation key, which the
/// note's `key:` field gives when the two differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assigned {
    pub(crate) file: String,
    pub(crate) key: String,
}

/// Whether Pandoc can cite the key, plainly or in braces (`[@{a--b}]`): no space, no control
/// character, braces balanced.
fn citable(key: &str) -> bool {
    let mut depth = 0i32;
    for c in key.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if c.is_whitespace() || c.is_control() => return false,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !key.is_empty()
}

/// Whether the key can be a file name as it is, on every system and in every URL: ASCII
/// letters, digits, `-`, `_` and `.` inside.
fn file_safe(key: &str) -> bool {
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !key.starts_with(['.', '-'])
        && !key.ends_with('.')
}

/// The file name and key of each entry (in order; `None` for an entry another replaces or
/// repeats), and the problems. A key is kept as the library writes it whenever Pandoc can cite
/// it (any script, `:`, `/`, `&` …); its file name is then folded to ASCII when it must be.
/// A key is changed only when it cannot be cited (a space in it) or when it differs from an
/// earlier one only in case (one file, one URL on macOS and Windows): said once per library
/// file. Of two works under one key, the last is imported, as Pandoc reads the file.
pub(crate) fn assign(entries: &[Entry]) -> (Vec<Option<Assigned>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out: Vec<Option<Assigned>> = vec![None; entries.len()];
    // The last entry of each key (a repeat of the same work keeps the first).
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(&before) = last.get(e.key.as_str()) else {
            last.insert(&e.key, i);
            continue;
        };
        let other = &entries[before];
        if other.title == e.title && same(&other.meta, &e.meta) {
            diags.push(e.at.warning(
                &e.key,
                &format!(
                    "the same entry as in {}{}: this copy is ignored",
                    other.at.path,
                    place(other)
                ),
            ));
            continue;
        }
        diags.push(e.at.warning(
            &e.key,
            &format!(
                "a second work under the key {} (the first in {}{}, \"{}\"): this one is imported, as pandoc reads the file; give the other another key to keep both",
                e.key,
                other.at.path,
                place(other),
                other.title
            ),
        ));
        last.insert(&e.key, i);
    }
    let mut files: HashSet<String> = HashSet::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut renamed: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if last.get(e.key.as_str()) != Some(&i) {
            continue;
        }
        let folded = || {
            Some(normalise(&e.key))
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| fallback(&e.key))
        };
        let case_twin = keys.contains_key(&e.key.to_lowercase());
        let key = if citable(&e.key) && !case_twin {
            e.key.clone()
        } else {
            let key = numbered(&folded(), |k| keys.contains_key(&k.to_lowercase()));
            let why = if case_twin {
                "differs from another only in case"
            } else {
                "cannot be cited"
            };
            renamed
                .entry(&e.at.path)
                .or_default()
                .push(format!("`{}` → {key} ({why})", e.key));
            key
        };
        keys.insert(key.to_lowercase(), i);
        out[i] = Some(Assigned {
            file: String::new(),
            key,
        });
    }
    // File names: first those that are their keys, then the folded ones, numbered past them.
    for safe in [true, false] {
        for a in out.iter_mut().flatten() {
            if file_safe(&a.key) != safe {
                continue;
            }
            let wanted = if safe {
                a.key.clone()
            } else {
                Some(normalise(&a.key))
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| fallback(&a.key))
            };
            a.file = numbered(&wanted, |f| files.contains(&f.to_lowercase()));
            files.insert(a.file.to_lowercase());
        }
    }
    for (path, list) in renamed {
        let n = list.len();
        diags.push(Diagnostic::warning(
            path,
            0,
            0,
            format!(
                "{n} citation key{} renamed, cite {} as renamed: {}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" },
                list.join("; ")
            ),
        ));
    }
    (out, diags)
}

/// `base`, or `base-2`, `base-3` … when `taken` says it is.
fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
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
