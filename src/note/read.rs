//! Takes the fields gloss knows out of a front matter's YAML, as vaults write them: booleans as
//! `true`, `"true"` or `yes`; a list or one value; empty and null list items skipped; a map in a
//! list of texts skipped with a warning; `Title`, `Aliases`, `Tags` read as their lower-case
//! fields. A value of the wrong kind is a warning on its key's line and is ignored, in gloss's
//! words; only gloss's own structured fields (`events:`, names as maps) are errors.

use std::collections::BTreeMap;

use yaml_serde::Value;

use super::raw::{NameParts, RawEvent, RawFrontMatter, RawName, ScalarText};
use super::yaml::{bibtex_names, kind_of, scalar, untagged, untagged_text};
use crate::error::{Diagnostic, Level};
use crate::frontmatter::FieldLines;

/// Reads the fields of a parsed front matter; every problem goes to `diags`.
pub(super) fn fields(
    value: Value,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) -> RawFrontMatter {
    let map = match untagged(value) {
        Value::Mapping(map) => map,
        Value::Null => return RawFrontMatter::default(),
        other => {
            diags.push(Diagnostic::warning(
                path,
                lines.file_line(0),
                1,
                format!(
                    "the front matter is {} and holds no fields (`key: value` lines): it is ignored",
                    kind_of(&other)
                ),
            ));
            return RawFrontMatter::default();
        }
    };
    // By name in lower case; a field written both ways (`title`, `Title`) is read as written
    // in lower case.
    let mut fields: BTreeMap<String, Value> = BTreeMap::new();
    for (key, value) in map {
        let Some(key) = scalar(&key) else { continue };
        let lower = key.to_lowercase();
        if key == lower || !fields.contains_key(&lower) {
            fields.insert(lower, value);
        }
    }
    let mut r = Reader {
        fields,
        path,
        lines,
        diags,
    };
    let text = |r: &mut Reader, name: &str| r.text(name);
    RawFrontMatter {
        entry_type: text(&mut r, "type"),
        title: text(&mut r, "title"),
        summary: r.text("summary").or_else(|| r.text("description")),
        authors: r.names("authors"),
        editors: r.names("editors"),
        translators: r.names("translators"),
        year: text(&mut r, "year"),
        issued: text(&mut r, "issued"),
        original_year: text(&mut r, "original_year"),
        accessed: text(&mut r, "accessed"),
        container: text(&mut r, "container"),
        publisher: text(&mut r, "publisher"),
        publisher_place: text(&mut r, "publisher_place"),
        volume: text(&mut r, "volume"),
        issue: text(&mut r, "issue"),
        pages: text(&mut r, "pages"),
        number: text(&mut r, "number"),
        series: text(&mut r, "series"),
        edition: text(&mut r, "edition"),
        genre: text(&mut r, "genre"),
        event: text(&mut r, "event"),
        version: text(&mut r, "version"),
        doi: text(&mut r, "doi"),
        url: text(&mut r, "url"),
        isbn: text(&mut r, "isbn"),
        issn: text(&mut r, "issn"),
        language: text(&mut r, "language"),
        abbreviation: text(&mut r, "abbreviation"),
        archive: text(&mut r, "archive"),
        eprint: text(&mut r, "eprint"),
        container_short: text(&mut r, "container_short"),
        short_title: text(&mut r, "short_title"),
        volumes: text(&mut r, "volumes"),
        page_count: text(&mut r, "page_count"),
        catalog: text(&mut r, "catalog"),
        authority: text(&mut r, "authority"),
        section: text(&mut r, "section"),
        jurisdiction: text(&mut r, "jurisdiction"),
        tags: r.list("tags"),
        weight: r.weight(),
        draft: r.flag("draft"),
        publish: r.flag("publish"),
        key: text(&mut r, "key"),
        citekey: text(&mut r, "citekey"),
        aliases: {
            let mut aliases = r.list("aliases");
            aliases.extend(r.list("alias"));
            aliases
        },
        date: text(&mut r, "date"),
        updated: text(&mut r, "updated"),
        events: r.events(),
    }
}

struct Reader<'a, 'l> {
    fields: BTreeMap<String, Value>,
    path: &'a str,
    lines: &'a FieldLines<'l>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_, '_> {
    /// A problem with field `name`'s value, on its key's line, at its value.
    fn problem(&mut self, level: Level, name: &str, message: String) {
        let (line, col) = match self.lines.has(name) {
            true => (self.lines.line(name), name.chars().count() + 3),
            false => (self.lines.line(name), 1),
        };
        self.diags
            .push(Diagnostic::new(level, self.path, line, col, message));
    }

    /// One text: a string, a number or a boolean as written; empty is none. A list or a map is
    /// ignored with a warning.
    fn text(&mut self, name: &str) -> Option<ScalarText> {
        let value = untagged_text(self.fields.remove(name)?);
        match scalar(&value) {
            Some(text) => Some(ScalarText(text)),
            None if value.is_null() => None,
            None => {
                let message = format!(
                    "`{name}:` holds {} where one text is expected: it is ignored",
                    kind_of(&value)
                );
                self.problem(Level::Warning, name, message);
                None
            }
        }
    }

    /// true or false, as vaults write them: `true`, `"true"`, `yes`, `no` in any case; empty is
    /// unset; anything else is unset with a warning.
    fn flag(&mut self, name: &str) -> Option<bool> {
        let value = untagged(self.fields.remove(name)?);
        match &value {
            Value::Bool(b) => return Some(*b),
            Value::Null => return None,
            _ => {}
        }
        let text = scalar(&value).unwrap_or_default();
        match text.trim().to_lowercase().as_str() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            "" => None,
            _ => {
                let shown = scalar(&value).unwrap_or_else(|| kind_of(&value).to_string());
                let message = format!(
                    "`{name}: {shown}` is not true or false: it is ignored (write true or false)"
                );
                self.problem(Level::Warning, name, message);
                None
            }
        }
    }

    /// The items of field `name` taken out: its list, or its one value as a list of one, or none
    /// when it is absent or empty; each item's tag dropped.
    fn items(&mut self, name: &str) -> Vec<Value> {
        let Some(value) = self.fields.remove(name) else {
            return Vec::new();
        };
        let items = match untagged(value) {
            Value::Sequence(items) => items,
            Value::Null => Vec::new(),
            one => vec![one],
        };
        items.into_iter().map(untagged_text).collect()
    }

    /// A list of texts, or one text: null and empty items are skipped, a map or list item is
    /// skipped with a warning on its line.
    fn list(&mut self, name: &str) -> Vec<ScalarText> {
        let mut texts = Vec::new();
        for item in self.items(name) {
            match scalar(&item) {
                Some(text) if !text.trim().is_empty() => texts.push(ScalarText(text)),
                Some(_) => {}
                None if item.is_null() => {}
                None => self.skipped_item(name, &item),
            }
        }
        texts
    }

    /// A warning for a list item that is no text (`- mindmap-plugin: basic` among tags).
    fn skipped_item(&mut self, name: &str, item: &Value) {
        let shown = match item {
            Value::Mapping(map) => map.keys().next().and_then(scalar).unwrap_or_default(),
            _ => String::new(),
        };
        let line = match shown.is_empty() {
            true => self.lines.line(name),
            false => self.lines.item_line(name, &shown),
        };
        let what = match shown.is_empty() {
            true => kind_of(item).to_string(),
            false => format!("the map `{shown}: …`"),
        };
        self.diags.push(Diagnostic::warning(
            self.path,
            line,
            1,
            format!("`{name}:` holds {what} among its items: it is ignored (an item is one text)"),
        ));
    }

    /// Names: a list, or one; each a text or a map of its parts. One text of several
    /// `Family, Given` names joined by ` and ` (BibTeX's way) is each of them.
    fn names(&mut self, name: &str) -> Vec<RawName> {
        let mut names = Vec::new();
        for item in self.items(name) {
            match item {
                Value::Mapping(map) => names.extend(self.name_parts(name, map)),
                Value::Null => {}
                other => match scalar(&other) {
                    Some(text) => names.extend(
                        bibtex_names(&text)
                            .into_iter()
                            .map(|t| RawName::Text(ScalarText(t))),
                    ),
                    None => self.skipped_item(name, &other),
                },
            }
        }
        names
    }

    /// A name written as a map (`{family: Mises, given: Ludwig, dropping: von}`).
    fn name_parts(&mut self, name: &str, map: yaml_serde::Mapping) -> Option<RawName> {
        let mut parts = NameParts::default();
        for (key, value) in map {
            let key = scalar(&key).unwrap_or_default();
            match parts.part(&key) {
                Some(part) => *part = scalar(&untagged_text(value)),
                None => {
                    let line = self.lines.item_line(name, &key);
                    self.diags.push(Diagnostic::error(
                        self.path,
                        line,
                        1,
                        format!(
                            "`{name}:` has a name with `{key}:`, which no name has: use family, given, particle, dropping, suffix, or name for an organisation"
                        ),
                    ));
                    return None;
                }
            }
        }
        Some(RawName::Parts(parts))
    }

    /// `weight:`, a whole number; anything else is ignored with a warning.
    fn weight(&mut self) -> Option<i64> {
        let value = untagged(self.fields.remove("weight")?);
        let number = match &value {
            Value::Number(n) => n.as_i64(),
            Value::Null => return None,
            other => scalar(other).and_then(|t| t.trim().parse().ok()),
        };
        if number.is_none() {
            let shown = scalar(&value).unwrap_or_else(|| kind_of(&value).to_string());
            let message = format!("`weight: {shown}` is not a whole number: it is ignored");
            self.problem(Level::Warning, "weight", message);
        }
        number
    }

    /// `events:`, gloss's own field: a list of `{date, title, cites}`; anything else is an error
    /// on its line.
    fn events(&mut self) -> Vec<RawEvent> {
        let Some(value) = self.fields.remove("events") else {
            return Vec::new();
        };
        let items = match untagged(value) {
            Value::Sequence(items) => items,
            Value::Null => return Vec::new(),
            other => {
                let message = format!(
                    "`events:` holds {} where a list of events is expected: write `- {{date: 2001-09, title: \"…\"}}`",
                    kind_of(&other)
                );
                self.problem(Level::Error, "events", message);
                return Vec::new();
            }
        };
        let mut events = Vec::new();
        for item in items {
            match self.event(item) {
                Ok(event) => events.push(event),
                Err((line, message)) => self.diags.push(Diagnostic::error(
                    self.path,
                    line,
                    1,
                    format!("an event {message}: write `- {{date: 2001-09, title: \"…\", cites: [key]}}`"),
                )),
            }
        }
        events
    }

    /// One event, or its line and what is wrong with it.
    fn event(&mut self, item: Value) -> Result<RawEvent, (usize, String)> {
        let whole = self.lines.line("events");
        let Value::Mapping(map) = untagged(item) else {
            return Err((
                whole,
                "is no map of `date`, `title` and `cites`".to_string(),
            ));
        };
        let mut date = None;
        let mut title = None;
        let mut cites = Vec::new();
        for (key, value) in map {
            let key = scalar(&key).unwrap_or_default();
            let value = untagged_text(value);
            match key.as_str() {
                "date" => date = scalar(&value),
                "title" => title = scalar(&value),
                "cites" => {
                    self.fields.insert("cites".to_string(), value);
                    cites = self.list("cites");
                }
                _ => {
                    let line = self.lines.item_line("events", &key);
                    return Err((line, format!("has `{key}:`, which events do not have")));
                }
            }
        }
        match (date, title) {
            (Some(date), Some(title)) => Ok(RawEvent {
                date: ScalarText(date),
                title: ScalarText(title),
                cites,
            }),
            (date, title) => {
                let near = title.or(date).unwrap_or_default();
                let line = match near.is_empty() {
                    true => whole,
                    false => self.lines.item_line("events", &near),
                };
                Err((line, "needs both `date` and `title`".to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> (RawFrontMatter, Vec<Diagnostic>) {
        let lines = FieldLines::new(yaml, 1);
        let mut diags = Vec::new();
        let value = yaml_serde::from_str(yaml).unwrap();
        (fields(value, "n.md", &lines, &mut diags), diags)
    }

    #[test]
    fn booleans_as_vaults_write_them() {
        for (yaml, want) in [
            ("publish: true\n", Some(true)),
            ("publish: \"true\"\n", Some(true)),
            ("publish: yes\n", Some(true)),
            ("publish: \"Yes\"\n", Some(true)),
            ("publish: false\n", Some(false)),
            ("publish: \"false\"\n", Some(false)),
            ("publish: no\n", Some(false)),
            ("publish:\n", None),
            ("publish: \"\"\n", None),
        ] {
            let (raw, diags) = read(yaml);
            assert_eq!((raw.publish, diags.len()), (want, 0), "{yaml}");
        }
        let (raw, diags) = read("title: T\ndraft: maybe\n");
        assert_eq!(raw.draft, None);
        assert_eq!(
            diags[0].to_string(),
            "n.md:3:8: warning: `draft: maybe` is not true or false: it is ignored (write true or false)"
        );
    }

    #[test]
    fn lists_skip_empty_items_and_maps() {
        let (raw, diags) =
            read("aliases:\n  - \n  - Rain\ntags:\n- planning\n- mindmap-plugin: basic\n- ~\n");
        assert_eq!(raw.aliases, [ScalarText("Rain".into())]);
        assert_eq!(raw.tags, [ScalarText("planning".into())]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 7, "{diags:?}");
        assert!(
            diags[0].message.contains("`mindmap-plugin: …`"),
            "{diags:?}"
        );
    }

    #[test]
    fn capitalised_fields_are_read_and_lower_case_wins() {
        let (raw, _) = read("Title: Big\nAliases: [A]\nTags: x\n");
        assert_eq!(raw.title, Some(ScalarText("Big".into())));
        assert_eq!((raw.aliases.len(), raw.tags.len()), (1, 1));
        let (raw, _) = read("Title: Big\ntitle: small\n");
        assert_eq!(raw.title, Some(ScalarText("small".into())));
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_ignored_at_its_key() {
        let (raw, diags) = read("year: 2020\ntitle: [a, b]\n");
        assert_eq!(raw.title, None);
        assert_eq!((diags[0].line, diags[0].col), (3, 8));
        assert!(
            diags[0].message.starts_with("`title:` holds a list"),
            "{diags:?}"
        );
    }

    #[test]
    fn bibtex_author_strings_are_split_when_each_part_is_a_name() {
        let (raw, _) = read("authors: \"Johnson and Johnson\"\n");
        assert_eq!(raw.authors.len(), 1);
        let (raw, _) = read("authors: \"Ortiz, Marta and Keller, Jon and Li, Wei\"\n");
        assert_eq!(raw.authors.len(), 3);
    }

    #[test]
    fn tags_written_by_hand_are_text() {
        let (raw, diags) = read("title: !Important news\n");
        assert_eq!(raw.title, Some(ScalarText("!Important news".into())));
        assert!(diags.is_empty());
    }
}
