//! Reading CSL-JSON (as Zotero and Better BibTeX export it) and CSL-YAML (the same items in
//! YAML, as pandoc writes them): the list, each item's line, duplicate ids; each item is mapped
//! to gloss's fields by `fields` (its dates by `dates`).

mod dates;
mod fields;
mod value;

use std::collections::HashMap;

use serde_json::Value;

use super::entry::{Entry, Origin};
use crate::error::Diagnostic;
use value::clean;

/// The sources of a CSL-JSON file, with every problem found.
pub(crate) fn read(path: &str, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |i| &message[..i]);
            let diag = Diagnostic::error(
                path,
                e.line(),
                char_column(text, e.line(), e.column()),
                format!("invalid JSON: {message}"),
            );
            return (Vec::new(), vec![diag]);
        }
    };
    let lines = item_lines(text);
    items(path, value, &|i| lines.get(i).copied().unwrap_or(0))
}

/// The sources of a CSL-YAML file: a list of items, or a map whose `references` is one.
pub(crate) fn read_yaml(path: &str, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    let value: Value = match yaml_serde::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return (
                Vec::new(),
                vec![crate::frontmatter::yaml_diagnostic(path, 0, text, &e)],
            );
        }
    };
    let value = match value {
        Value::Object(mut map) if map.contains_key("references") => {
            map.remove("references").unwrap_or_default()
        }
        other => other,
    };
    items(path, value, &|_| 0)
}

fn items(
    path: &str,
    value: Value,
    line_of: &dyn Fn(usize) -> usize,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let Value::Array(items) = value else {
        let diag = Diagnostic::error(
            path,
            1,
            1,
            "not a CSL-JSON library: expected a list of items ([{\"id\": …, \"type\": …}, …])",
        );
        return (Vec::new(), vec![diag]);
    };
    let mut diags = Vec::new();
    let mut entries = Vec::new();
    let mut seen: HashMap<String, (usize, Value)> = HashMap::new();
    if items.is_empty() {
        diags.push(Diagnostic::warning(path, 0, 0, "no entries found"));
    }
    for (index, item) in items.into_iter().enumerate() {
        let at = Origin {
            path: path.to_string(),
            line: line_of(index),
            index: Some(index),
        };
        let item = clean(item);
        let Value::Object(map) = &item else {
            diags.push(at.error(
                "?",
                "not an item: expected an object {\"id\": …, \"type\": …}",
            ));
            continue;
        };
        let key = fields::key_of(map);
        let Some(key) = key else {
            diags.push(at.error("?", "item has no id or citation-key"));
            continue;
        };
        match seen.get(&key) {
            Some((first, value)) if *value == item => {
                diags.push(at.warning(
                    &key,
                    &format!("exact duplicate of item {first}: this copy is ignored"),
                ));
                continue;
            }
            // Two works under one key: the import keeps the last, as pandoc does (and says so).
            Some(_) => {}
            None => {
                seen.insert(key.clone(), (index, item.clone()));
            }
        }
        match fields::entry(map, key.clone(), at.clone()) {
            Ok(e) => entries.push(e),
            Err(why) => diags.push(at.warning(&key, &format!("not imported: {why}"))),
        }
    }
    (entries, diags)
}

/// serde_json's column (bytes into the line) as gloss gives columns, in characters: the
/// character that holds the byte is the column.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(content) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.min(content.len());
    while !content.is_char_boundary(end) {
        end += 1;
    }
    content[..end].chars().count()
}

/// The file line on which each item of a JSON list starts (items of a nested list are not
/// counted).
fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped, mut expecting) = (false, false, false);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !b.is_ascii_whitespace() && b != b']' {
            lines.push(line);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_on_their_lines() {
        let text = "[\n  {\"id\": \"a\", \"x\": [1, {\"y\": \"]\"}]},\n\n  {\"id\": \"b\"}\n]";
        assert_eq!(item_lines(text), [2, 4]);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // Found by the property tests: serde_json counts bytes, so an error after accented
        // letters or emoji was placed past the end of its line.
        let (_, diags) = read("l.json", "[\"ü🛰東");
        assert_eq!((diags[0].line, diags[0].col), (1, 5), "{}", diags[0]);
        let (_, diags) = read("l.json", "[\n  {\"title\": \"Zürich\" \"id\": \"a\"}]");
        assert_eq!((diags[0].line, diags[0].col), (2, 22), "{}", diags[0]);
    }

    #[test]
    fn a_missing_comma_is_an_error_at_its_position() {
        let text = "[\n {\"id\":\"a\",\"type\":\"book\",\"title\":\"T\" \"author\":[]}\n]";
        let (entries, diags) = read("x.json", text);
        assert!(entries.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].col), (2, 38), "{}", diags[0]);
        assert!(diags[0].is_error());
    }
}
