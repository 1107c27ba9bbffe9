//! Reads a note's front matter and body into a [`Note`], with every problem located in the file.

use std::borrow::Cow;

use super::bibliographic::Fields;
use super::raw::{RawEvent, RawFrontMatter, ScalarText, text_of};
use super::{DatedEvent, Note, NoteKind, PartialDate, Tag};
use crate::bib::{Library, LibraryEntry};
use crate::error::Diagnostic;
use crate::frontmatter::{self, FieldLines, yaml_diagnostic};
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
    let split = match frontmatter::split(path, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let line_offset = split.yaml_line - 1;
    let (mut raw, yaml, mut diags) = match read_yaml(path, split.yaml, line_offset) {
        Ok(read) => read,
        Err(d) => return (None, vec![d]),
    };
    let lines = FieldLines::new(&yaml, line_offset);
    let who = Identity::of(kind, key, path, raw.citekey.take(), raw.key.take(), library);
    if let Some(warning) = who.not_in_library(path, &lines, library) {
        diags.push(warning);
    }
    warn_of_unknown_fields(who.kind, path, &lines, &mut diags);

    // Private text never goes further than this: not even into a title from a heading.
    let body = private::prepare(split.body).into_owned();
    let title = who
        .title(text_of(raw.title.take()), &body)
        .unwrap_or_else(|| {
            diags.push(Diagnostic::error(
                path,
                lines.line("title"),
                1,
                "missing required field `title`",
            ));
            String::new()
        });
    let tags = tags(std::mem::take(&mut raw.tags), &yaml, &lines);
    let aliases = std::mem::take(&mut raw.aliases)
        .into_iter()
        .map(|a| a.0.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    let source = (who.kind == NoteKind::Source).then(|| {
        let mut fields = Fields {
            path,
            key: &who.key,
            lines: &lines,
            diags: &mut diags,
            entry: who.entry,
            literature: who.literature,
        };
        fields.source_meta(&mut raw)
    });
    let date = note_date("date", raw.date.as_ref(), path, &lines, &mut diags);
    let updated = note_date("updated", raw.updated.as_ref(), path, &lines, &mut diags);
    let events = events(raw.events, path, &lines, &mut diags);

    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let note = Note {
        kind: who.kind,
        key: who.key,
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

/// The front matter's fields as YAML reads them, the YAML they were read from and the warnings
/// of reading it; or the error that leaves the note unusable.
fn read_yaml<'y>(
    path: &str,
    yaml: &'y str,
    line_offset: usize,
) -> Result<(RawFrontMatter, Cow<'y, str>, Vec<Diagnostic>), Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok((RawFrontMatter::default(), Cow::Borrowed(yaml), Vec::new()));
    }
    let e = match yaml_serde::from_str(yaml) {
        Ok(raw) => return Ok((raw, Cow::Borrowed(yaml), Vec::new())),
        Err(e) => e,
    };
    // The Citations plugin writes `title: A: B` unquoted: read it as meant, and say so.
    let fixed = frontmatter::quote_colon_values(yaml)
        .and_then(|(text, lines)| Some((yaml_serde::from_str(&text).ok()?, text, lines)));
    let Some((raw, text, lines)) = fixed else {
        return Err(yaml_diagnostic(path, line_offset, yaml, &e));
    };
    let at = e.location().map(|l| (l.line(), l.column()));
    let warnings = lines
        .into_iter()
        .map(|line| {
            let col = match at {
                Some((l, c)) if l == line + 1 => c,
                _ => 1,
            };
            Diagnostic::warning(
                path,
                line + 1 + line_offset,
                col,
                "a value holding `: ` is not valid YAML unquoted; it was read as text: put it in quotes",
            )
        })
        .collect();
    Ok((raw, Cow::Owned(text), warnings))
}

/// What a note is and whose it is: its kind and key (a literature note's `citekey:` makes it a
/// source with that key, wherever it lives) and the bibliography file's entry for it.
struct Identity<'a> {
    kind: NoteKind,
    key: String,
    file_name: &'a str,
    /// A literature note (an Obsidian plugin's: `citekey:` or an `@key` file name).
    literature: bool,
    entry: Option<&'a LibraryEntry>,
}

impl<'a> Identity<'a> {
    fn of(
        kind: NoteKind,
        key: &str,
        path: &'a str,
        citekey: Option<ScalarText>,
        own_key: Option<ScalarText>,
        library: &'a Library,
    ) -> Identity<'a> {
        let citekey = text_of(citekey).map(|k| k.trim_start_matches('@').to_string());
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let literature = citekey.is_some() || file_name.starts_with('@');
        // A source note's `key:` is its citation key when the file could not be named so
        // (`nemanić:2003` in `nemanic-2003.md`), as `gloss import` writes it.
        let own_key = text_of(own_key).filter(|k| kind == NoteKind::Source && !k.is_empty());
        let (kind, key) = match (citekey, own_key) {
            (Some(k), _) if !k.is_empty() => (NoteKind::Source, k),
            (_, Some(k)) => (kind, k),
            _ => (kind, key.to_string()),
        };
        let entry = (kind == NoteKind::Source)
            .then(|| library.get(&key))
            .flatten();
        Identity {
            kind,
            key,
            file_name,
            literature,
            entry,
        }
    }

    /// The warning that a literature note's key is in none of the site's bibliography files.
    fn not_in_library(
        &self,
        path: &str,
        lines: &FieldLines,
        library: &Library,
    ) -> Option<Diagnostic> {
        (self.literature && self.entry.is_none() && !library.is_empty()).then(|| {
            Diagnostic::warning(
                path,
                lines.line("citekey"),
                1,
                format!(
                    "`{}` is in no bibliography file: its entry is made from the note's own fields",
                    self.key
                ),
            )
            .in_family("literature notes are in no bibliography file: their entries are made from their own fields")
        })
    }

    /// The note's title: its own, the library's, or one its kind may take from the body or the
    /// file name; `None` when a title is required and there is none.
    fn title(&self, own: Option<String>, body: &str) -> Option<String> {
        let title = match (self.entry, self.literature) {
            // A literature note's title is often the plugin's (`@key`, `Title - Author`): the
            // library's is the work's.
            (Some(e), true) if !e.title.is_empty() => Some(e.title.clone()),
            (e, _) => own.or_else(|| e.map(|e| e.title.clone())),
        }
        .unwrap_or_default();
        if !title.is_empty() {
            return Some(title);
        }
        match self.kind {
            NoteKind::Page => {
                Some(first_heading(body).unwrap_or_else(|| fallback_title(&self.key)))
            }
            // A map of content or a literature note may leave its title to its file name.
            NoteKind::Theme | NoteKind::Source
                if self.literature || self.kind == NoteKind::Theme =>
            {
                Some(
                    first_heading(body)
                        .unwrap_or_else(|| self.file_name.trim_end_matches(".md").to_string()),
                )
            }
            _ => None,
        }
    }
}

/// Warns of a field gloss does not know that is likely a misspelling of one it does. Other
/// unknown fields are the writer's own (Obsidian notes carry many) and pass without a word.
fn warn_of_unknown_fields(
    kind: NoteKind,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) {
    let known = super::fields::known(kind);
    for (line, name) in lines.keys() {
        if known.contains(name) {
            continue;
        }
        if let Some(s) = crate::suggest::closest(name, known.iter().copied()) {
            diags.push(Diagnostic::warning(
                path,
                lines.file_line(*line),
                1,
                format!("unknown front-matter field `{name}` is ignored (did you mean `{s}`?)"),
            ));
        }
    }
}

/// The note's tags, each with the line it is written on.
fn tags(raw: Vec<ScalarText>, yaml: &str, lines: &FieldLines) -> Vec<Tag> {
    raw.into_iter()
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
                line: tag_line(yaml, &t).map_or(lines.line("tags"), |l| lines.file_line(l)),
                slug,
            })
        })
        .collect()
}

/// A `date:` or `updated:` field's date, or an error on its line when it is none.
fn note_date(
    name: &str,
    value: Option<&ScalarText>,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = value.map(|v| v.0.trim().to_string())?;
    let date = date_part(&value);
    if date.is_none() {
        diags.push(Diagnostic::error(
            path,
            lines.line(name),
            1,
            format!("`{name}: {value}` is not a date: write it as YYYY-MM-DD"),
        ));
    }
    date
}

/// The `events:` entries, each located on the line of its title; an entry whose date is none
/// is an error there.
fn events(
    raw: Vec<RawEvent>,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) -> Vec<DatedEvent> {
    let mut events = Vec::new();
    for raw in raw {
        // Searched for from the `events:` line, or from the top when `events` is no plain key
        // at the start of a line (in a flow mapping, or quoted).
        let line = lines.item_line("events", raw.title.0.trim());
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
    events
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

    /// `events:` in a flow mapping or under a quoted key is no column-0 key: its events are
    /// still read, and located on the line holding each (this subtracted past zero).
    #[test]
    fn events_under_a_key_not_at_the_start_of_a_line_are_located() {
        let flow =
            "---\n{title: Chronology, events: [{date: \"2001-09\", title: Attacks}]}\n---\nBody\n";
        let quoted = "---\ntitle: Chronology\n\"events\":\n  - date: 2001-09\n    title: Attacks\n---\nBody\n";
        for (text, line) in [(flow, 2), (quoted, 5)] {
            let (note, diags) = parse(NoteKind::Page, "c", "content/c.md", text);
            assert!(diags.is_empty(), "{diags:?}");
            let events = note.unwrap().events;
            assert_eq!(
                (events[0].date.to_string(), events[0].line),
                ("2001-09".into(), line)
            );
            let bad = text.replace("2001-09", "Sept 2001");
            let (note, diags) = parse(NoteKind::Page, "c", "content/c.md", &bad);
            assert!(note.is_none());
            assert_eq!(diags[0].line, line, "{diags:?}");
            assert!(diags[0].message.contains("Sept 2001"), "{diags:?}");
        }
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
