//! Reads a note's front matter and body into a [`Note`], with every problem located in the file.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::{DatedEvent, EntryType, Name, Note, NoteKind, PartialDate, SourceMeta, Tag, Year};
use crate::error::Diagnostic;
use crate::frontmatter::{self, yaml_diagnostic};
use crate::html::slugify;

/// Every front-matter field gloss knows, for any kind of note.
#[derive(Debug, Default, Deserialize)]
struct RawFrontMatter {
    #[serde(rename = "type")]
    entry_type: Option<ScalarText>,
    title: Option<ScalarText>,
    summary: Option<ScalarText>,
    #[serde(default, deserialize_with = "one_or_many")]
    authors: Vec<ScalarText>,
    #[serde(default, deserialize_with = "one_or_many")]
    editors: Vec<ScalarText>,
    year: Option<ScalarText>,
    container: Option<ScalarText>,
    publisher: Option<ScalarText>,
    volume: Option<ScalarText>,
    issue: Option<ScalarText>,
    pages: Option<ScalarText>,
    doi: Option<ScalarText>,
    url: Option<ScalarText>,
    #[serde(default, deserialize_with = "one_or_many")]
    tags: Vec<ScalarText>,
    weight: Option<i64>,
    draft: Option<bool>,
    publish: Option<bool>,
    /// A reference manager's citation key; it must match the file name, which is the key.
    key: Option<ScalarText>,
    date: Option<ScalarText>,
    updated: Option<ScalarText>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

/// One entry of `events:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: ScalarText,
    title: ScalarText,
    #[serde(default, deserialize_with = "one_or_many")]
    cites: Vec<ScalarText>,
}

/// A YAML scalar (string, number or boolean) read as text, so `volume: 24` and `volume: "24"` agree.
#[derive(Debug, Clone, PartialEq)]
struct ScalarText(String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ScalarText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ScalarText>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(ScalarText),
        Many(Vec<ScalarText>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// Parses one note. `path` is relative to the site root; `key` comes from the file name.
/// Returns the note (if it is usable) and every problem found, warnings included.
pub fn parse(kind: NoteKind, key: &str, path: &str, text: &str) -> (Option<Note>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let split = match frontmatter::split(path, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let line_offset = split.yaml_line - 1;
    let raw: RawFrontMatter = if split.yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        match yaml_serde::from_str(split.yaml) {
            Ok(raw) => raw,
            Err(e) => return (None, vec![yaml_diagnostic(path, line_offset, &e)]),
        }
    };
    let keys = frontmatter::top_level_keys(split.yaml);
    let known = super::fields::known(kind);
    for (line, name) in &keys {
        if !known.contains(name) {
            let hint = crate::suggest::closest(name, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            diags.push(Diagnostic::warning(
                path,
                line + 1 + line_offset,
                1,
                format!("unknown front-matter field `{name}` is ignored{hint}"),
            ));
        }
    }
    let field_line = |name: &str| {
        keys.iter()
            .find(|(_, k)| *k == name)
            .map_or(1, |(l, _)| l + 1 + line_offset)
    };
    // On the field's line when it is there but empty, else on the opening fence.
    let missing = |diags: &mut Vec<Diagnostic>, what: &str| {
        let name = what.split('`').next().unwrap_or(what);
        let present = keys.iter().any(|(_, k)| *k == name);
        diags.push(Diagnostic::error(
            path,
            if present { field_line(name) } else { 1 },
            1,
            format!("missing required field `{what}`"),
        ));
    };

    let title = text_of(raw.title).unwrap_or_default();
    let title = if title.is_empty() {
        match kind {
            NoteKind::Page => first_heading(split.body).unwrap_or_else(|| fallback_title(key)),
            _ => {
                missing(&mut diags, "title");
                String::new()
            }
        }
    } else {
        title
    };

    let tags = raw
        .tags
        .into_iter()
        .filter_map(|t| {
            let slug = slugify(&t.0);
            (!slug.is_empty()).then(|| Tag {
                line: tag_line(split.yaml, &t.0)
                    .map_or(field_line("tags"), |l| l + 1 + line_offset),
                slug,
            })
        })
        .collect();

    let source = if kind == NoteKind::Source {
        let mut authors = Vec::new();
        for a in &raw.authors {
            match Name::parse(&a.0) {
                Some(n) => authors.push(n),
                None => diags.push(Diagnostic::error(
                    path,
                    field_line("authors"),
                    1,
                    format!("author `{}` is not a name: write `Family, Given` or an organisation's name", a.0),
                )),
            }
        }
        if raw.authors.is_empty() {
            missing(&mut diags, "authors");
        }
        let editors = raw
            .editors
            .iter()
            .filter_map(|e| Name::parse(&e.0))
            .collect();
        if let Some(k) = &raw.key
            && k.0.trim() != key
        {
            diags.push(Diagnostic::error(
                path,
                field_line("key"),
                6,
                format!("`key: {}` differs from the file name: the citation key is `{key}`; rename the file or fix the field", k.0.trim()),
            ));
        }
        let year = match raw.year.as_ref().map(|y| Year::parse(&y.0)) {
            Some(Ok(year)) => year,
            Some(Err(message)) => {
                diags.push(Diagnostic::error(path, field_line("year"), 7, message));
                Year::Unknown
            }
            None => {
                missing(
                    &mut diags,
                    "year` (write `year: n.d.` when the source gives none",
                );
                Year::Unknown
            }
        };
        let entry_type = match &raw.entry_type {
            None => EntryType::Article,
            Some(t) => EntryType::parse(&t.0).unwrap_or_else(|| {
                let names: Vec<&str> = EntryType::ALL.iter().map(|t| t.as_str()).collect();
                diags.push(Diagnostic::error(
                    path,
                    field_line("type"),
                    7,
                    format!(
                        "unknown source type `{}`: use one of {}",
                        t.0,
                        names.join(", ")
                    ),
                ));
                EntryType::Other
            }),
        };
        Some(SourceMeta {
            entry_type,
            authors,
            editors,
            year,
            container: text_of(raw.container),
            publisher: text_of(raw.publisher),
            volume: text_of(raw.volume),
            issue: text_of(raw.issue),
            pages: text_of(raw.pages),
            doi: text_of(raw.doi),
            doi_line: field_line("doi"),
            url: text_of(raw.url),
        })
    } else {
        None
    };

    let mut dates = Vec::new();
    for (name, value) in [("date", &raw.date), ("updated", &raw.updated)] {
        let value = value.as_ref().map(|v| v.0.trim().to_string());
        if let Some(v) = &value
            && !is_iso_date(v)
        {
            diags.push(Diagnostic::error(
                path,
                field_line(name),
                1,
                format!("`{name}: {v}` is not a date: write it as YYYY-MM-DD"),
            ));
        }
        dates.push(value.filter(|v| is_iso_date(v)));
    }
    let updated = dates.pop().flatten();

    let events_line = field_line("events");
    let mut events = Vec::new();
    for raw in raw.events {
        let line = line_after(split.yaml, events_line - 1 - line_offset, &raw.title.0)
            .map_or(events_line, |l| l + 1 + line_offset);
        match PartialDate::parse(&raw.date.0) {
            Ok(date) => events.push(DatedEvent {
                date,
                title: raw.title.0.trim().to_string(),
                cites: raw
                    .cites
                    .into_iter()
                    .map(|c| c.0.trim().to_string())
                    .collect(),
                line,
            }),
            Err(message) => diags.push(Diagnostic::error(
                path,
                line,
                1,
                format!("event date {message}"),
            )),
        }
    }
    let date = dates.pop().flatten();

    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let note = Note {
        kind,
        key: key.to_string(),
        path: path.to_string(),
        title,
        summary: text_of(raw.summary),
        tags,
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        publish: raw.publish,
        date,
        updated,
        source,
        body: split.body.to_string(),
        body_line: split.body_line,
        events,
    };
    (Some(note), diags)
}

fn text_of(s: Option<ScalarText>) -> Option<String> {
    s.map(|s| s.0.trim().to_string()).filter(|s| !s.is_empty())
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The 0-based line, at or after `from`, of the first line of `yaml` containing `text`.
fn line_after(yaml: &str, from: usize, text: &str) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(text.trim()))
        .map(|(i, _)| i)
}

fn tag_line(yaml: &str, tag: &str) -> Option<usize> {
    let start = yaml.lines().position(|l| l.starts_with("tags"))?;
    yaml.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(tag))
        .map(|(i, _)| i)
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

fn fallback_title(key: &str) -> String {
    let last = key.rsplit('/').next().unwrap_or(key);
    let words = last.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Home".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "---\ntype: article\ntitle: \"Either you are with us\"\nauthors:\n  - \"Jabeen, M.\"\n  - Noor-e-Hera\nyear: 2009\nvolume: 24\ntags: [trust-deficit]\n---\nBody text.\n";

    #[test]
    fn parses_a_source() {
        let (note, diags) = parse(
            NoteKind::Source,
            "jabeen2009",
            "content/sources/jabeen2009.md",
            SOURCE,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let note = note.unwrap();
        let meta = note.source.unwrap();
        assert_eq!(
            meta.authors[0],
            Name {
                family: "Jabeen".into(),
                given: Some("M.".into())
            }
        );
        assert_eq!(
            meta.authors[1],
            Name {
                family: "Noor-e-Hera".into(),
                given: None
            }
        );
        assert_eq!(meta.year, Year::Known(2009));
        assert_eq!(meta.volume.as_deref(), Some("24"));
        assert_eq!(
            note.tags,
            vec![Tag {
                slug: "trust-deficit".into(),
                line: 9
            }]
        );
        assert_eq!(note.body_line, 11);
    }

    #[test]
    fn events_are_read_with_their_dates_and_lines() {
        let text = "---\ntitle: Chronology\nevents:\n  - date: 2001-09\n    title: Attacks\n    cites: [adilnd]\n  - date: \"1980\"\n    title: Soviet war\n---\nBody\n";
        let (note, diags) = parse(NoteKind::Page, "chronology", "content/chronology.md", text);
        assert!(diags.is_empty(), "{diags:?}");
        let events = note.unwrap().events;
        assert_eq!(events.len(), 2);
        assert_eq!(
            (events[0].date.to_string(), events[0].line),
            ("2001-09".into(), 5)
        );
        assert_eq!(events[0].cites, ["adilnd"]);
        assert_eq!((events[1].date.year, events[1].date.month), (1980, None));
        let bad = text.replace("2001-09", "Sept 2001");
        let (note, diags) = parse(NoteKind::Page, "chronology", "content/chronology.md", &bad);
        assert!(note.is_none());
        assert_eq!(diags[0].line, 5, "{diags:?}");
        assert!(diags[0].message.contains("Sept 2001"), "{diags:?}");
    }

    #[test]
    fn a_wrong_year_names_its_line() {
        let text = SOURCE.replace("year: 2009", "year: twenty");
        let (note, diags) = parse(NoteKind::Source, "k", "k.md", &text);
        assert!(note.is_none());
        assert_eq!(diags[0].line, 7, "{diags:?}");
        assert!(diags[0].message.contains("twenty"));
    }

    #[test]
    fn unknown_fields_warn_with_a_suggestion() {
        let text = SOURCE.replace("volume: 24", "volumne: 24");
        let (note, diags) = parse(NoteKind::Source, "k", "k.md", &text);
        assert!(note.is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 8);
        assert!(
            diags[0].message.contains("did you mean `volume`"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn missing_authors_is_an_error_and_nd_is_a_year() {
        let text = "---\ntitle: T\nyear: n.d.\n---\n";
        let (_, diags) = parse(NoteKind::Source, "k", "k.md", text);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("authors"));
    }
}
