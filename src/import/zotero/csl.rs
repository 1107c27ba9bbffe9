//! A Zotero item as the CSL-JSON item Zotero's own export would write (its `itemToCSLJSON`):
//! the type by table, each text variable from the first non-empty of its base fields (a
//! type-specific field stands for its base, `bookTitle` for `publicationTitle`), names by
//! creator type, dates as date-parts from Zotero's stored `YYYY-MM-DD original` form. Pure.

use serde_json::{Map, Value, json};

use super::csl_tables::{DATES, NAMES, PRIMARY, TEXT, TYPES};
use super::query::{Creator, Item};

/// Types whose `place` is where the event happened (Zotero's hard-coded exception).
const EVENT_PLACE: &[&str] = &["audioRecording", "presentation", "videoRecording"];

fn lookup<'a>(table: &'a [(&str, &str)], key: &str) -> Option<&'a str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A field by its base name: the item's own field of that name, else the type-specific field
/// mapped to it; empty values count as none.
fn field<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.fields
        .get(name)
        .or_else(|| item.base.get(name))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
}

/// The CSL-JSON item, with `id` and `citation-key` set to `key`; `None` for an item type CSL
/// has no type for.
pub(super) fn item(item: &Item, key: &str) -> Option<Value> {
    let kind = lookup(TYPES, &item.item_type)?;
    let mut csl = Map::new();
    csl.insert("id".into(), json!(key));
    csl.insert("type".into(), json!(kind));
    let event = EVENT_PLACE.contains(&item.item_type.as_str());
    for (variable, fields) in TEXT {
        let fields: &[&str] = match (*variable, event) {
            ("event-place", true) => &["place"],
            ("publisher-place", true) => continue,
            _ => fields,
        };
        let Some((name, value)) = fields.iter().find_map(|f| Some((*f, field(item, f)?))) else {
            continue;
        };
        let value = match name {
            "ISBN" => first_isbn(value).unwrap_or(value),
            _ => unquoted(value),
        };
        csl.insert((*variable).into(), json!(value));
    }
    let primary = lookup(PRIMARY, &item.item_type).unwrap_or("author");
    for creator in &item.creators {
        let variable =
            lookup(NAMES, &creator.role).or((creator.role == primary).then_some("author"));
        if let Some(variable) = variable
            && let Value::Array(list) = csl.entry(variable).or_insert_with(|| json!([]))
        {
            list.push(name(creator));
        }
    }
    for (variable, name) in DATES {
        if let Some(value) = field(item, name) {
            csl.insert((*variable).into(), date(value));
        }
    }
    csl.insert("citation-key".into(), json!(key));
    Some(Value::Object(csl))
}

/// `"A title"` as Zotero unwraps it: a value wholly inside one pair of quotes.
fn unquoted(value: &str) -> &str {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if !inner.is_empty() && !inner.contains('"') => inner,
        _ => value,
    }
}

fn name(creator: &Creator) -> Value {
    if creator.single || creator.first.trim().is_empty() {
        return json!({ "literal": creator.last.trim() });
    }
    json!({ "family": creator.last.trim(), "given": creator.first.trim() })
}

/// Zotero stores a date as `YYYY-MM-DD original` (`2018-07-00 Jul 2018`), with `0000` for a
/// year it could not read (then the original is a literal); `accessDate` as a UTC timestamp.
pub(super) fn date(value: &str) -> Value {
    let number = |at: std::ops::Range<usize>| value.get(at).and_then(|s| s.parse::<u32>().ok());
    let bytes = value.as_bytes();
    if bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
    {
        if year == 0 {
            let original = value.get(10..).unwrap_or("").trim();
            return json!({ "literal": original });
        }
        let parts: Vec<u32> = match (month, day) {
            (0, _) => vec![year],
            (m, 0) => vec![year, m],
            (m, d) => vec![year, m, d],
        };
        return json!({ "date-parts": [parts] });
    }
    json!({ "literal": value })
}

/// The first ISBN of a field that may hold several (`978-… 0-…`).
fn first_isbn(value: &str) -> Option<&str> {
    value
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .find(|s| {
            let digits = s
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x');
            matches!(digits.count(), 10 | 13)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zotero_dates_become_date_parts_or_literals() {
        assert_eq!(
            date("2018-07-00 Jul 2018"),
            json!({"date-parts": [[2018, 7]]})
        );
        assert_eq!(date("2010-00-00 2010"), json!({"date-parts": [[2010]]}));
        assert_eq!(
            date("0000-00-00 Spring term"),
            json!({"literal": "Spring term"})
        );
        assert_eq!(
            date("2019-04-08 07:18:40"),
            json!({"date-parts": [[2019, 4, 8]]})
        );
        assert_eq!(date("n.d."), json!({"literal": "n.d."}));
    }

    #[test]
    fn type_specific_fields_fill_their_base_variable_and_places_follow_the_type() {
        let mut chapter = Item {
            item_type: "bookSection".into(),
            ..Item::default()
        };
        chapter.fields.insert("bookTitle".into(), "Handbook".into());
        chapter
            .base
            .insert("publicationTitle".into(), "Handbook".into());
        chapter.fields.insert("place".into(), "Paris".into());
        chapter
            .fields
            .insert("ISBN".into(), "978-3-16-148410-0 3-16-148410-X".into());
        let csl = item(&chapter, "k").unwrap();
        assert_eq!(csl["type"], "chapter");
        assert_eq!(csl["container-title"], "Handbook");
        assert_eq!(csl["publisher-place"], "Paris");
        assert_eq!(csl["ISBN"], "978-3-16-148410-0");
        let mut talk = Item {
            item_type: "presentation".into(),
            ..Item::default()
        };
        talk.fields.insert("place".into(), "Lyon".into());
        talk.creators.push(Creator {
            role: "presenter".into(),
            first: "Ana".into(),
            last: "Doe".into(),
            single: false,
        });
        let csl = item(&talk, "k").unwrap();
        assert_eq!(csl["event-place"], "Lyon");
        assert!(csl.get("publisher-place").is_none());
        assert_eq!(csl["author"], json!([{"family": "Doe", "given": "Ana"}]));
    }
}
