//! The bibliographic front matter of a source note written as YAML that `gloss check` reads back
//! to the same fields: one block per field, in the order `gloss new` uses, every text quoted.

use crate::bib::model::{Name, PartialDate, SourceMeta, Year};
use crate::note::fields::SOURCE;

/// Each field that has a value, as its YAML block (ending in `eol`), in `gloss new`'s order.
pub(crate) fn blocks(title: &str, meta: &SourceMeta, eol: &str) -> Vec<(&'static str, String)> {
    SOURCE
        .iter()
        .filter_map(|f| Some((f.name, value(f.name, title, meta, eol)?)))
        .map(|(name, value)| {
            let block = if value.starts_with(eol) {
                format!("{name}:{value}{eol}")
            } else {
                format!("{name}: {value}{eol}")
            };
            (name, block)
        })
        .collect()
}

/// The YAML of a field's value (a block list starts with `eol`).
fn value(name: &str, title: &str, meta: &SourceMeta, eol: &str) -> Option<String> {
    let text = |v: &Option<String>| v.as_deref().map(quoted);
    let date = |d: &Option<PartialDate>| d.map(|d| d.to_string());
    match name {
        "type" => Some(meta.entry_type.as_str().to_string()),
        "title" => Some(quoted(title)),
        "authors" => names(&meta.authors, eol),
        "editors" => names(&meta.editors, eol),
        "translators" => names(&meta.translators, eol),
        "year" => Some(match meta.year {
            Year::Known(y) => y.to_string(),
            other => quoted(&other.to_string()),
        }),
        "issued" => date(&meta.issued),
        "original_year" => meta.original_year.map(|y| y.to_string()),
        "accessed" => date(&meta.accessed),
        "container" => text(&meta.container),
        "publisher" => text(&meta.publisher),
        "publisher_place" => text(&meta.publisher_place),
        "edition" => text(&meta.edition),
        "volume" => text(&meta.volume),
        "issue" => text(&meta.issue),
        "pages" => text(&meta.pages),
        "number" => text(&meta.number),
        "series" => text(&meta.series),
        "genre" => text(&meta.genre),
        "event" => text(&meta.event),
        "version" => text(&meta.version),
        "doi" => text(&meta.doi),
        "url" => text(&meta.url),
        "isbn" => text(&meta.isbn),
        "issn" => text(&meta.issn),
        "language" => text(&meta.language),
        "abbreviation" => text(&meta.abbreviation),
        "archive" => text(&meta.archive),
        "eprint" => text(&meta.eprint),
        "container_short" => text(&meta.container_short),
        "short_title" => text(&meta.short_title),
        "volumes" => text(&meta.volumes),
        "page_count" => text(&meta.page_count),
        "catalog" => text(&meta.catalog),
        "authority" => text(&meta.authority),
        "section" => text(&meta.section),
        "jurisdiction" => text(&meta.jurisdiction),
        _ => None,
    }
}

fn names(list: &[Name], eol: &str) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let items: Vec<String> = list
        .iter()
        .map(|n| format!("{eol}  - {}", name(n)))
        .collect();
    Some(items.concat())
}

/// A name as a string when the string reads back to the same parts, else as a map.
fn name(n: &Name) -> String {
    let shown = n.display();
    if Name::parse(&shown).as_ref() == Some(n) {
        return quoted(&shown);
    }
    if n.is_literal() {
        return format!("{{name: {}}}", quoted(&n.family));
    }
    let mut parts = vec![format!("family: {}", quoted(&n.family))];
    for (key, value) in [
        ("given", &n.given),
        ("particle", &n.particle),
        ("dropping", &n.dropping),
        ("suffix", &n.suffix),
    ] {
        if let Some(v) = value {
            parts.push(format!("{key}: {}", quoted(v)));
        }
    }
    format!("{{{}}}", parts.join(", "))
}

/// A YAML double-quoted scalar: `"` and `\` escaped, and every character YAML does not allow
/// as it is (controls, the byte-order mark, non-characters) written as an escape.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || matches!(
                    c,
                    '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_text_is_quoted_so_yaml_reads_it_back() {
        for text in [
            "Trust: a: b",
            "\"Quoted\" and 'single'",
            "# not a comment",
            "@starts with at",
            "* a star",
            "back\\slash",
            "Ünïcödé – “curly”",
            "tab\there",
            "bell\u{7}",
            "yes",
            "123",
            "",
        ] {
            let yaml = format!("x: {}\n", quoted(text));
            let back: std::collections::BTreeMap<String, String> =
                yaml_serde::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(back["x"], text, "{yaml}");
        }
    }
}
