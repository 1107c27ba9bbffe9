//! Reads a note's front matter and body into a [`Note`], with every problem located in the file.

use super::bibliographic::Fields;
use super::raw::{RawFrontMatter, text_of};
use super::{DatedEvent, Note, NoteKind, PartialDate, Tag};
use crate::bib::Library;
use crate::error::Diagnostic;
use crate::frontmatter::{self, yaml_diagnostic};
use crate::html::tag_slug;
use crate::markdown::private;

/// Parses one note. `path` is relative to the site root; `key` comes from the file name.
/// Returns the note (if it is usable) and every problem found, warnings included.
pub fn parse(kind: NoteKind, key: &str, path: &str, text: &str) -> (Option<Note>, Vec<Diagnostic>) {
    parse_with(kind, key, path, text, &Library::default())
}

/// Parses one note of a site whose bibliography files are `library`: a source note whose key is
/// an entry there takes the entry's fields for those it does not give.
pub(crate) fn parse_with(
    kind: NoteKind,
    key: &str,
    path: &str,
    text: &str,
    library: &Library,
) -> (Option<Note>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let split = match frontmatter::split(path, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let line_offset = split.yaml_line - 1;
    let repaired;
    let mut yaml = split.yaml;
    let mut raw: RawFrontMatter = if yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        match yaml_serde::from_str(yaml) {
            Ok(raw) => raw,
            Err(e) => {
                // The Citations plugin writes `title: A: B` unquoted: read it as meant, and say so.
                let fixed = frontmatter::quote_colon_values(yaml).and_then(|(text, lines)| {
                    Some((yaml_serde::from_str(&text).ok()?, text, lines))
                });
                let Some((raw, text, lines)) = fixed else {
                    return (
                        None,
                        vec![yaml_diagnostic(path, line_offset, split.yaml, &e)],
                    );
                };
                let at = e.location().map(|l| (l.line(), l.column()));
                for line in lines {
                    let col = match at {
                        Some((l, c)) if l == line + 1 => c,
                        _ => 1,
                    };
                    diags.push(Diagnostic::warning(
                        path,
                        line + 1 + line_offset,
                        col,
                        "a value holding `: ` is not valid YAML unquoted; it was read as text: put it in quotes",
                    ));
                }
                repaired = text;
                yaml = &repaired;
                raw
            }
        }
    };
    let keys = frontmatter::top_level_keys(yaml);
    // A literature note's `citekey:` makes it a source with that key, wherever it lives.
    let citekey = text_of(raw.citekey.take()).map(|k| k.trim_start_matches('@').to_string());
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let literature = citekey.is_some() || file_name.starts_with('@');
    let (kind, key) = match &citekey {
        Some(k) if !k.is_empty() => (NoteKind::Source, k.as_str()),
        _ => (kind, key),
    };
    let entry = (kind == NoteKind::Source)
        .then(|| library.get(key))
        .flatten();
    if literature && entry.is_none() && !library.is_empty() {
        let line = keys
            .iter()
            .find(|(_, k)| *k == "citekey")
            .map_or(1, |(l, _)| l + 1 + line_offset);
        diags.push(Diagnostic::warning(
            path,
            line,
            1,
            format!(
                "`{key}` is in no bibliography file: its entry is made from the note's own fields"
            ),
        )
        .in_family("literature notes are in no bibliography file: their entries are made from their own fields"));
    }
    let known = super::fields::known(kind);
    for (line, name) in &keys {
        if known.contains(name) {
            continue;
        }
        // A field gloss does not know is the writer's own (Obsidian notes carry many): only a
        // likely misspelling of a known one is worth a word.
        if let Some(s) = crate::suggest::closest(name, known.iter().copied()) {
            diags.push(Diagnostic::warning(
                path,
                line + 1 + line_offset,
                1,
                format!("unknown front-matter field `{name}` is ignored (did you mean `{s}`?)"),
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

    // Private text never goes further than this: not even into a title from a heading.
    let body = private::prepare(split.body).into_owned();
    let own_title = text_of(raw.title.take());
    let title = match (entry, literature) {
        // A literature note's title is often the plugin's (`@key`, `Title - Author`): the
        // library's is the work's.
        (Some(e), true) if !e.title.is_empty() => Some(e.title.clone()),
        (e, _) => own_title.or_else(|| e.map(|e| e.title.clone())),
    }
    .unwrap_or_default();
    let title = if title.is_empty() {
        match kind {
            NoteKind::Page => first_heading(&body).unwrap_or_else(|| fallback_title(key)),
            // A map of content or a literature note may leave its title to its file name.
            NoteKind::Theme | NoteKind::Source if literature || kind == NoteKind::Theme => {
                first_heading(&body)
                    .unwrap_or_else(|| file_name.trim_end_matches(".md").to_string())
            }
            _ => {
                missing(&mut diags, "title");
                String::new()
            }
        }
    } else {
        title
    };

    let tags = std::mem::take(&mut raw.tags)
        .into_iter()
        // Obsidian also takes `tags: "a, b"` and `tags: "#a #b"`.
        .flat_map(|t| {
            t.0.split(',')
                .flat_map(|piece| match piece.trim_start().starts_with('#') {
                    true => piece.split_whitespace().collect::<Vec<_>>(),
                    false => vec![piece],
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter_map(|t| {
            let slug = tag_slug(&t);
            (!slug.is_empty()).then(|| Tag {
                line: tag_line(yaml, &t).map_or(field_line("tags"), |l| l + 1 + line_offset),
                slug,
            })
        })
        .collect();
    let aliases = std::mem::take(&mut raw.aliases)
        .into_iter()
        .map(|a| a.0.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();

    let source = (kind == NoteKind::Source).then(|| {
        let mut fields = Fields {
            path,
            key,
            yaml,
            line_offset,
            keys: &keys,
            diags: &mut diags,
            entry,
            literature,
        };
        fields.source_meta(&mut raw)
    });

    let mut dates = Vec::new();
    for (name, value) in [("date", &raw.date), ("updated", &raw.updated)] {
        let value = value.as_ref().map(|v| v.0.trim().to_string());
        let date = value.as_deref().and_then(date_part);
        if let (Some(v), None) = (&value, &date) {
            diags.push(Diagnostic::error(
                path,
                field_line(name),
                1,
                format!("`{name}: {v}` is not a date: write it as YYYY-MM-DD"),
            ));
        }
        dates.push(date);
    }
    let updated = dates.pop().flatten();

    let events_line = field_line("events");
    let mut events = Vec::new();
    for raw in raw.events {
        let line = line_after(yaml, events_line - 1 - line_offset, &raw.title.0)
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
        // Until the caller, who knows the notes' folder, says otherwise.
        rel: path.to_string(),
        title,
        summary: text_of(raw.summary),
        tags,
        aliases,
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        publish: raw.publish,
        date,
        updated,
        source,
        body,
        body_line: split.body_line,
        events,
    };
    (Some(note), diags)
}

/// The date of a `date:` value: `2024-08-02`, or with a time as plugins write it
/// (`2024-08-02 09:59`, `2024-08-02T09:59:00Z`).
fn date_part(value: &str) -> Option<String> {
    let date = value.get(..10)?;
    let rest = &value[10..];
    let time_ok = rest.is_empty()
        || (rest.starts_with([' ', 'T'])
            && rest[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | ' ')));
    (is_iso_date(date) && time_ok).then(|| date.to_string())
}

fn is_iso_date(s: &str) -> bool {
    crate::bib::model::is_iso_date(s)
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

/// The text of the body's first `# ` line (`body` as [`private::prepare`] makes it).
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| private::restore(t.trim()).into_owned())
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
    use crate::note::{Name, Year};

    const SOURCE: &str = "---\ntype: article\ntitle: \"Either you are with us\"\nauthors:\n  - \"Jabeen, M.\"\n  - Noor-e-Hera\nyear: 2009\nvolume: 24\ntags: [trust-deficit]\n---\nBody text.\n";

    #[test]
    fn a_title_from_a_heading_is_never_from_a_comment() {
        // Found by fuzz/vault: a heading inside a comment became the page's title.
        let title = |text: &str| {
            let (note, _) = parse(NoteKind::Page, "a", "content/a.md", text);
            note.unwrap().title
        };
        assert_eq!(title("%%\n# Secret plan\n%%\n# Public\n"), "Public");
        assert_eq!(title("Text %% never closed\n# Secret plan\n"), "A");
        assert_eq!(title("# Trust %% in whom? %%\n"), "Trust");
        assert_eq!(title("# Mail \\@me\n"), "Mail @me");
    }

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
                given: Some("M.".into()),
                ..Name::default()
            }
        );
        assert_eq!(meta.authors[1], Name::literal("Noor-e-Hera"));
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
    fn a_work_with_no_author_is_valid_and_nd_is_a_year() {
        let text = "---\ntitle: T\nyear: n.d.\n---\n";
        let (note, diags) = parse(NoteKind::Source, "k", "k.md", text);
        assert!(diags.is_empty(), "{diags:?}");
        let meta = note.unwrap().source.unwrap();
        assert!(meta.authors.is_empty());
        assert_eq!(meta.year, Year::Unknown);
    }

    #[test]
    fn every_bibliographic_field_is_read() {
        let text = "---\ntype: chapter\ntitle: On trust\nauthors:\n  - \"van der Berg, Jan\"\n  - {family: Mises, given: Ludwig, dropping: von}\n  - \"{University of California, Berkeley}\"\neditors: [\"Cook, M.\"]\ntranslators: \"Roe, R.\"\nissued: 2020-03-05\noriginal_year: 1936\naccessed: 2021-07-03\ncontainer: Book\npublisher: Press\npublisher_place: Lahore\nedition: 2\nnumber: e0248123\nseries: Studies\ngenre: Doctoral dissertation\nevent: Conf\nversion: 1.2\ndoi: https://doi.org/10.1/x\nisbn: 978-0\nissn: 1234-5678\nlanguage: en\nabbreviation: UCB\narchive: arXiv\neprint: 2101.00001\n---\n";
        let (note, diags) = parse(NoteKind::Source, "k", "k.md", text);
        assert!(diags.is_empty(), "{diags:?}");
        let m = note.unwrap().source.unwrap();
        assert_eq!(m.entry_type.as_str(), "chapter");
        assert_eq!(m.authors[0].particle.as_deref(), Some("van der"));
        assert_eq!(m.authors[1].dropping.as_deref(), Some("von"));
        assert_eq!(m.authors[2].family, "University of California, Berkeley");
        assert_eq!((m.editors.len(), m.translators.len()), (1, 1));
        assert_eq!(
            (m.year, m.issued.map(|d| d.to_string())),
            (Year::Known(2020), Some("2020-03-05".into()))
        );
        assert_eq!(m.original_year, Some(1936));
        assert_eq!(
            m.accessed.map(|d| d.to_string()).as_deref(),
            Some("2021-07-03")
        );
        assert_eq!(m.doi.as_deref(), Some("10.1/x"));
        for (got, want) in [
            (&m.publisher_place, "Lahore"),
            (&m.edition, "2"),
            (&m.number, "e0248123"),
            (&m.series, "Studies"),
            (&m.genre, "Doctoral dissertation"),
            (&m.event, "Conf"),
            (&m.version, "1.2"),
            (&m.isbn, "978-0"),
            (&m.issn, "1234-5678"),
            (&m.language, "en"),
            (&m.abbreviation, "UCB"),
            (&m.archive, "arXiv"),
            (&m.eprint, "2101.00001"),
        ] {
            assert_eq!(got.as_deref(), Some(want));
        }
    }

    #[test]
    fn a_year_that_disagrees_with_the_date_is_an_error_on_its_line() {
        let text = "---\ntitle: T\nyear: 2019\nissued: 2020-03\n---\n";
        let (note, diags) = parse(NoteKind::Source, "k", "k.md", text);
        assert!(note.is_none());
        assert_eq!(diags[0].line, 3, "{diags:?}");
        assert!(diags[0].message.contains("issued: 2020-03"), "{diags:?}");
    }
}
