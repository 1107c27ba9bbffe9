//! The front-matter fields of each kind of note, described once: what `gloss new` writes, and
//! what the parser accepts without a warning.

use super::{EntryType, NoteKind};

/// One front-matter field.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    /// What to write, as the comment beside the field.
    pub(crate) doc: &'static str,
    /// The value `gloss new` writes (YAML).
    pub(crate) example: &'static str,
    /// `gloss new` writes it uncommented (a source is not valid without it).
    pub(crate) required: bool,
    /// The source types it belongs to (empty: every type).
    pub(crate) types: &'static [EntryType],
}

use EntryType::{Article, Book, Chapter, Other, Report, Thesis, Web};

/// A source's fields, in the order `gloss new` writes them.
pub(crate) const SOURCE: &[Field] = &[
    Field {
        name: "type",
        doc: "article | book | chapter | report | thesis | web | other",
        example: "article",
        required: true,
        types: &[],
    },
    Field {
        name: "title",
        doc: "the work's title, as the work gives it",
        example: "\"\"",
        required: true,
        types: &[],
    },
    Field {
        name: "authors",
        doc: "\"Family, Given\"; an organisation by its name alone",
        example: "[\"Family, G.\"]",
        required: true,
        types: &[],
    },
    Field {
        name: "editors",
        doc: "of the book a chapter is in, or of an edited book",
        example: "[\"Family, G.\"]",
        required: false,
        types: &[Book, Chapter, Other],
    },
    Field {
        name: "year",
        doc: "the year of publication, or n.d.",
        example: "n.d.",
        required: true,
        types: &[],
    },
    Field {
        name: "container",
        doc: "the journal, the book a chapter is in, the report series or the website",
        example: "\"\"",
        required: false,
        types: &[Article, Chapter, Report, Web, Other],
    },
    Field {
        name: "publisher",
        doc: "the publisher, institution or university",
        example: "\"\"",
        required: false,
        types: &[Book, Chapter, Report, Thesis, Other],
    },
    Field {
        name: "volume",
        doc: "",
        example: "\"\"",
        required: false,
        types: &[Article, Book, Chapter, Other],
    },
    Field {
        name: "issue",
        doc: "",
        example: "\"\"",
        required: false,
        types: &[Article, Other],
    },
    Field {
        name: "pages",
        doc: "first-last, e.g. 15-30",
        example: "\"\"",
        required: false,
        types: &[Article, Chapter, Other],
    },
    Field {
        name: "doi",
        doc: "the DOI itself (10.1234/abcd), not its URL",
        example: "\"\"",
        required: false,
        types: &[Article, Book, Chapter, Report, Thesis, Other],
    },
    Field {
        name: "url",
        doc: "where to read it, when there is no DOI",
        example: "\"\"",
        required: false,
        types: &[],
    },
];

/// The fields of every kind of note.
pub(crate) const NOTE: &[Field] = &[
    Field {
        name: "tags",
        doc: "themes (by slug) and other tags",
        example: "[]",
        required: false,
        types: &[],
    },
    Field {
        name: "summary",
        doc: "one or two sentences, shown in listings",
        example: "\"\"",
        required: false,
        types: &[],
    },
    Field {
        name: "date",
        doc: "when the note was written, YYYY-MM-DD (the feed lists dated notes)",
        example: "2024-01-31",
        required: false,
        types: &[],
    },
    Field {
        name: "updated",
        doc: "when it last changed, YYYY-MM-DD",
        example: "2024-02-15",
        required: false,
        types: &[],
    },
    Field {
        name: "draft",
        doc: "true keeps it out of `gloss build` (`gloss serve` shows it)",
        example: "true",
        required: false,
        types: &[],
    },
    Field {
        name: "publish",
        doc: "false keeps it out; with site.yaml's `publish: explicit`, only true is published",
        example: "true",
        required: false,
        types: &[],
    },
];

/// Fields of themes and pages beside [`NOTE`]'s.
pub(crate) const THEME: &[Field] = &[
    Field {
        name: "title",
        doc: "",
        example: "\"\"",
        required: true,
        types: &[],
    },
    Field {
        name: "weight",
        doc: "order on the home page: lower comes first",
        example: "0",
        required: false,
        types: &[],
    },
    Field {
        name: "events",
        doc: "dated events for timelines: - {date: 2001-09, title: \"…\", cites: [key]}",
        example: "[]",
        required: false,
        types: &[],
    },
];

/// Every field name a note of `kind` may have without a warning.
pub(crate) fn known(kind: NoteKind) -> Vec<&'static str> {
    let own = match kind {
        NoteKind::Source => SOURCE,
        NoteKind::Theme | NoteKind::Page => THEME,
    };
    let mut names: Vec<&str> = own.iter().chain(NOTE).map(|f| f.name).collect();
    if kind == NoteKind::Source {
        // A reference manager's citation key, which must match the file name.
        names.push("key");
    }
    names
}

/// The front matter `gloss new` writes: required fields to fill in, the others commented out.
pub(crate) fn template(kind: NoteKind, entry_type: EntryType) -> String {
    let own = match kind {
        NoteKind::Source => SOURCE,
        NoteKind::Theme | NoteKind::Page => THEME,
    };
    let mut out = String::from("---\n");
    for field in own.iter().chain(NOTE) {
        if !field.types.is_empty() && !field.types.contains(&entry_type) {
            continue;
        }
        let value = if field.name == "type" {
            entry_type.as_str()
        } else {
            field.example
        };
        let line = format!("{}: {value}", field.name);
        let line = if field.required {
            line
        } else {
            format!("# {line}")
        };
        if field.doc.is_empty() {
            out.push_str(&format!("{line}\n"));
        } else {
            out.push_str(&format!("{line:<28} # {}\n", field.doc));
        }
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::parse;

    #[test]
    fn every_template_field_is_known_to_the_parser() {
        for entry_type in EntryType::ALL {
            let text = template(NoteKind::Source, entry_type).replace("# ", "");
            let text = text
                .lines()
                .map(|l| l.split("  #").next().unwrap_or(l).trim_end())
                .collect::<Vec<_>>()
                .join("\n");
            let (_, diags) = parse(NoteKind::Source, "k", "k.md", &text);
            assert!(
                diags.iter().all(|d| !d.message.contains("unknown")),
                "{entry_type:?}: {diags:?}\n{text}"
            );
        }
    }

    #[test]
    fn a_new_article_lists_the_journal_fields_and_not_the_publisher() {
        let text = template(NoteKind::Source, EntryType::Article);
        assert!(text.contains("\ntype: article"), "{text}");
        assert!(text.contains("# container: "), "{text}");
        assert!(text.contains("# issue: "), "{text}");
        assert!(!text.contains("publisher"), "{text}");
    }
}
