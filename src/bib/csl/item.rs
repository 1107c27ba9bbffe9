//! A source as the CSL engine reads it: its CSL-JSON item (the one `references.json` exports),
//! with what the engine cannot take made plain: markup in titles (hayagriva prints `<i>` as
//! text), the `custom` map (no CSL variable), initials written together (`S.X.E.`, which
//! hayagriva reads as one initial) and a given name's lower-case part after a hyphen (`Min-jun`,
//! which it initialises as `M.-jun`); and its `language` as the specification reads it (a work is
//! English, and its titles title-cased, when the language's primary tag is `en`: `eng` is not,
//! where hayagriva tests for a leading `en`).

use hayagriva::citationberg::json::Item;
use serde_json::Value;

use crate::bib::export::csl_item;
use crate::bib::reference::SourceInput;
use crate::bib::style::FORCED;

/// The engine's item for a source.
pub(super) fn item(source: &SourceInput<'_>) -> Item {
    let mut value = serde_json::to_value(csl_item(source)).unwrap_or(Value::Null);
    if let Some(fields) = value.as_object_mut() {
        fields.remove("custom");
        fields.remove(FORCED);
        if let Some(Value::String(language)) = fields.get("language") {
            match english(language) {
                // A tag the engine would read otherwise: `eng` is not English.
                Some(false) if language.starts_with("en") => {
                    let tag = format!("x-{language}");
                    fields.insert("language".into(), Value::String(tag));
                }
                Some(_) => {}
                // No tag at all (`French`, `fr French`): the style's locale decides, as when
                // there is no language.
                None => {
                    fields.remove("language");
                }
            }
        }
        for field in fields.values_mut() {
            match field {
                Value::String(text) => *text = plain(text),
                Value::Array(names) => {
                    for given in names.iter_mut().filter_map(|n| n.get_mut("given")) {
                        if let Value::String(g) = given {
                            *g = joined_parts(&spaced_initials(g));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Every value comes from gloss's own CSL-JSON, which the engine's item type reads.
    serde_json::from_value(value).unwrap_or_else(|_| Item(Default::default()))
}

/// Whether a language tag says English (its primary subtag is `en`), `None` when it is no tag:
/// the specification's test, and pandoc's.
fn english(tag: &str) -> Option<bool> {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next()?;
    let valid = (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    valid.then(|| primary.eq_ignore_ascii_case("en"))
}

/// The work marked as one whose `disambiguate="true"` conditions hold (see `bib::style`).
pub(super) fn force_disambiguation(item: &mut Item) {
    item.0.insert(
        FORCED.into(),
        hayagriva::citationberg::json::Value::String("x".into()),
    );
}

/// CSL-JSON's inline tags (the only ones gloss writes) removed.
fn plain(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    ["<i>", "</i>", "<b>", "</b>"]
        .iter()
        .fold(text.to_string(), |t, tag| t.replace(tag, ""))
}

/// `S.X.E.` → `S. X. E.`: a space after the period of each initial.
fn spaced_initials(given: &str) -> String {
    let mut out = String::with_capacity(given.len() + 4);
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && chars.peek().is_some_and(|n| n.is_uppercase()) {
            out.push(' ');
        }
    }
    out
}

/// Stands for a hyphen inside a given name that the engine must not initialise part by part
/// (`output` prints it as a hyphen again).
pub(super) const JOINED: char = '\u{2011}';

/// `Min-jun` → `Min‑jun` (a non-breaking hyphen): a lower-case part after a hyphen belongs to
/// the name before it, so its initial is `M.`, as pandoc has it; the engine would print
/// `M.-jun`. `Jean-Paul` keeps its hyphen (`J.-P.`).
fn joined_parts(given: &str) -> String {
    let mut out = String::with_capacity(given.len() + 2);
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        let joined = c == '-' && chars.peek().is_some_and(|n| n.is_lowercase());
        out.push(if joined { JOINED } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{Name, SourceMeta, Year};

    #[test]
    fn items_carry_plain_titles_and_spaced_initials() {
        let meta = SourceMeta {
            authors: vec![Name::parse("Ofori, S.X.E.").unwrap()],
            year: Year::Known(2020),
            abbreviation: Some("SXE".into()),
            ..Default::default()
        };
        let source = SourceInput {
            key: "k",
            title: "On *Homo sapiens*",
            meta: &meta,
        };
        assert_eq!(joined_parts("Min-jun"), "Min\u{2011}jun");
        assert_eq!(joined_parts("Jean-Paul"), "Jean-Paul");
        let item = item(&source);
        let json = serde_json::to_string(&item).unwrap();
        assert!(json.contains(r#""title":"On Homo sapiens""#), "{json}");
        assert!(json.contains(r#""given":"S. X. E.""#), "{json}");
        assert!(!json.contains("custom"), "{json}");
    }

    #[test]
    fn a_language_is_english_when_its_primary_tag_is_en() {
        assert_eq!(english("en"), Some(true));
        assert_eq!(english("en-GB"), Some(true));
        assert_eq!(english("EN_us"), Some(true));
        assert_eq!(english("eng"), Some(false));
        assert_eq!(english("english"), Some(false));
        assert_eq!(english("fre"), Some(false));
        assert_eq!(english("de-DE"), Some(false));
        assert_eq!(english("fr French language"), None);
        assert_eq!(english(""), None);
    }
}
