//! The front-matter fields of each kind of note, described once: what `gloss new` writes, and
//! what the parser accepts without a warning.

mod kinds;
mod source;
mod unknown;

use super::EntryType;

pub(crate) use kinds::{known, read, template};
pub(crate) use source::SOURCE;
pub(crate) use unknown::{UNKNOWN_FIELD, warn_of_unknown};

/// One front-matter field.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    /// What to write, as the comment beside the field.
    pub(crate) doc: &'static str,
    /// The value `gloss new` writes (YAML).
    pub(crate) example: &'static str,
    /// `gloss new` writes it uncommented, to be filled in (the others commented out).
    pub(crate) filled: bool,
    /// The source types it belongs to (empty: every type).
    pub(crate) types: &'static [EntryType],
    /// Its names in BibTeX/BibLaTeX and in CSL-JSON, for the README's table (a test holds the
    /// README to them).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) bibtex: &'static str,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) csl: &'static str,
}

/// The fields of every kind of note.
pub(crate) const NOTE: &[Field] = &[
    Field {
        name: "tags",
        doc: "themes (by slug) and other tags",
        example: "[]",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "summary",
        doc: "one or two sentences, shown in listings",
        example: "\"\"",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "date",
        doc: "when the note was written, YYYY-MM-DD (the feed lists dated notes)",
        example: "2024-01-31",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "updated",
        doc: "when it last changed, YYYY-MM-DD",
        example: "2024-02-15",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "draft",
        doc: "true keeps it out of `gloss build` (`gloss serve` shows it)",
        example: "true",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "publish",
        doc: "false keeps it out; once any note says true, only those are published",
        example: "true",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
];

/// Fields of themes and pages beside [`NOTE`]'s.
pub(crate) const THEME: &[Field] = &[
    Field {
        name: "title",
        doc: "",
        example: "\"\"",
        filled: true,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "weight",
        doc: "order on the home page: lower comes first",
        example: "0",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
    Field {
        name: "events",
        doc: "dated events for timelines: - {date: 2001-09, title: \"…\", cites: [key]}",
        example: "[]",
        filled: false,
        types: &[],
        bibtex: "",
        csl: "",
    },
];

/// Front-matter fields of Obsidian, its plugins and Quartz that any note may carry: the
/// citation key, other names, styling and URL fields, Quartz's `description` (a summary), and
/// what the Web Clipper records of a clipped page.
pub(crate) const OBSIDIAN: [&str; 11] = [
    "citekey",
    "aliases",
    "alias",
    "cssclasses",
    "cssclass",
    "permalink",
    "description",
    "author",
    "published",
    "created",
    "source",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{NoteKind, parse};

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

    /// The README's table of source fields lists every field with its BibTeX and CSL names.
    #[test]
    fn the_readme_documents_every_source_field() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        for f in SOURCE {
            let row = format!("| `{}` | {} | {} |", f.name, f.bibtex, f.csl);
            assert!(
                readme.lines().any(|l| l.starts_with(&row)),
                "README.md has no row starting {row}"
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
