//! Reads a note's front matter and body into a [`Note`], with every problem located in the file.

use super::bibliographic::Fields;
use super::raw::{RawEvent, ScalarText, text_of};
use super::{DatedEvent, Note, NoteKind, PartialDate, Tag, read, title, yaml};
use crate::bib::{Library, LibraryEntry};
use crate::error::Diagnostic;
use crate::frontmatter::{self, FieldLines};
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
    // A note of gloss's own sources folder cannot be a source without its fields; any other
    // note whose front matter does not parse is published without it, as Obsidian shows it.
    let needs_fields = kind == NoteKind::Source && !file_name(path).starts_with('@');
    let (value, yaml, mut diags) = match yaml::read(path, split.yaml, line_offset, needs_fields) {
        Ok(read) => read,
        Err(d) => return (None, vec![d]),
    };
    let lines = FieldLines::new(&yaml, line_offset);
    let mut raw = read::fields(value, path, &lines, &mut diags);
    let who = Identity::of(kind, key, path, raw.citekey.take(), raw.key.take(), library);
    if let Some(warning) = who.not_in_library(path, &lines, library) {
        diags.push(warning);
    }
    super::fields::warn_of_unknown(who.kind, path, &lines, &mut diags);

    // Private text never goes further than this.
    let (body, unclosed) = private::prepare_noting(split.body);
    if let Some(at) = unclosed {
        diags.push(private::unclosed_warning(
            path,
            split.body,
            split.body_line,
            at,
        ));
    }
    let body = body.into_owned();
    let title = who.title(text_of(raw.title.take())).unwrap_or_else(|| {
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
        url_suffix: 0,
    };
    (Some(note), diags)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What a note is and whose it is: its kind and key (a literature note's `citekey:` makes it a
/// source with that key, wherever it lives) and the bibliography file's entry for it.
struct Identity<'a> {
    kind: NoteKind,
    key: String,
    path: &'a str,
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
        // `citekey: "[@key]"`, as some Zotero Integration templates write it, is `key`.
        let citekey = text_of(citekey).map(|k| {
            let k = k
                .strip_prefix('[')
                .and_then(|k| k.strip_suffix(']'))
                .unwrap_or(&k);
            k.trim().trim_start_matches('@').to_string()
        });
        let file_name = file_name(path);
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
            path,
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

    /// The note's title: its own (a wikilink in it is its text; a placeholder is none), the
    /// library's, else its file name's; `None` for a source of gloss's own folder, which must
    /// give the work's title.
    fn title(&self, own: Option<String>) -> Option<String> {
        // A note that may be titled by its file name is, rather than by an unrun placeholder;
        // a source of gloss's own folder keeps the text it gives.
        let own_source = self.kind == NoteKind::Source && !self.literature;
        let own = own
            .filter(|t| own_source || !title::is_placeholder(t))
            .map(|t| title::plain(&t))
            .filter(|t| !t.trim().is_empty());
        let library = self
            .entry
            .map(|e| e.title.clone())
            .filter(|t| !t.is_empty());
        let title = match self.literature {
            // A literature note's title is often the plugin's (`@key`, `Title - Author`): the
            // library's is the work's.
            true => library.or(own),
            false => own.or(library),
        };
        match (title, self.kind) {
            (Some(title), _) => Some(title),
            (None, NoteKind::Source) if !self.literature => None,
            (None, _) => Some(title::from_file(self.path)),
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

/// A `date:` or `updated:` field's date. A value that is no date is left out with a warning
/// (an unrun placeholder such as `<% tp.file.creation_date() %>`, a date in words), unless it is
/// written as a date that is not on the calendar (`2024-13-45`): a typo, an error on its line.
fn note_date(
    name: &str,
    value: Option<&ScalarText>,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = value.map(|v| v.0.trim().to_string())?;
    let date = date_part(&value);
    if date.is_some() {
        return date;
    }
    let line = lines.line(name);
    let looks_iso = value.len() >= 10
        && value.as_bytes()[..10]
            .iter()
            .enumerate()
            .all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
    if looks_iso {
        diags.push(Diagnostic::error(
            path,
            line,
            1,
            format!("`{name}: {value}` is not a date: write it as YYYY-MM-DD"),
        ));
    } else {
        let what = match title::is_placeholder(&value) {
            true => "an unrun template placeholder",
            false => "not a date",
        };
        diags.push(Diagnostic::warning(
            path,
            line,
            1,
            format!("`{name}: {value}` is {what}: the note is published without it; write it as YYYY-MM-DD"),
        ));
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{Name, Year};

    const SOURCE: &str = "---\ntype: article\ntitle: \"Either you are with us\"\nauthors:\n  - \"Jabeen, M.\"\n  - Noor-e-Hera\nyear: 2009\nvolume: 24\ntags: [trust-deficit]\n---\nBody text.\n";

    /// Titled as Obsidian shows it: by the file name, never by a heading (not one in a comment,
    /// in code, or the first of many).
    #[test]
    fn a_title_is_never_a_heading() {
        let title = |text: &str| {
            let (note, _) = parse(NoteKind::Page, "Open sets", "content/Open sets.md", text);
            note.unwrap().title
        };
        assert_eq!(title("%%\n# Secret plan\n%%\n# Public\n"), "Open sets");
        assert_eq!(title("```sh\n# a comment\n```\n"), "Open sets");
        assert_eq!(
            title("---\ntitle: \"[[2025]] plans\"\n---\n# Other\n"),
            "2025 plans"
        );
        assert_eq!(title("---\ntitle: \"{{title}}\"\n---\n"), "Open sets");
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
