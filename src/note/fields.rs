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

use EntryType::{
    Article, Book, Chapter, Conference, Dataset, Magazine, Newspaper, Other, Preprint, Report,
    Software, Thesis, Web,
};

/// A source's fields, in the order `gloss new` writes them.
pub(crate) const SOURCE: &[Field] = &[
    Field {
        name: "type",
        doc: "article | magazine | newspaper | book | chapter | conference | report | thesis | web | preprint | dataset | software | other",
        example: "article",
        filled: true,
        types: &[],
        bibtex: "entry type",
        csl: "type",
    },
    Field {
        name: "title",
        doc: "the work's title, as the work gives it; *italics* for a species or a book named in it",
        example: "\"\"",
        filled: true,
        types: &[],
        bibtex: "title",
        csl: "title",
    },
    Field {
        name: "authors",
        doc: "\"Family, Given\"; \"van der Berg, Jan\"; \"King, Jr., Martin\"; an organisation by its name",
        example: "[\"Family, G.\"]",
        filled: true,
        types: &[],
        bibtex: "author",
        csl: "author",
    },
    Field {
        name: "editors",
        doc: "of an edited book, or of the book a chapter is in",
        example: "[\"Family, G.\"]",
        filled: false,
        types: &[Book, Chapter, Conference, Report, Other],
        bibtex: "editor",
        csl: "editor",
    },
    Field {
        name: "translators",
        doc: "",
        example: "[\"Family, G.\"]",
        filled: false,
        types: &[Book, Chapter, Article, Other],
        bibtex: "translator",
        csl: "translator",
    },
    Field {
        name: "year",
        doc: "the year of publication, n.d. or in press",
        example: "n.d.",
        filled: true,
        types: &[],
        bibtex: "year / date / pubstate (in press)",
        csl: "issued / status (in press)",
    },
    Field {
        name: "issued",
        doc: "the full date, for newspapers, magazines, blogs and web pages: 2020-03-05 or 2020-03",
        example: "2020-03-05",
        filled: false,
        types: &[Magazine, Newspaper, Web, Other],
        bibtex: "date (or year + month)",
        csl: "issued",
    },
    Field {
        name: "original_year",
        doc: "first published, for a republished or translated work",
        example: "1936",
        filled: false,
        types: &[Book, Chapter, Other],
        bibtex: "origdate",
        csl: "original-date",
    },
    Field {
        name: "accessed",
        doc: "when a page that changes was read (APA then prints \"Retrieved …\")",
        example: "2024-01-31",
        filled: false,
        types: &[Web, Dataset, Software, Other],
        bibtex: "urldate",
        csl: "accessed",
    },
    Field {
        name: "container",
        doc: "the journal, magazine, newspaper, book, proceedings or website",
        example: "\"\"",
        filled: false,
        types: &[
            Article, Magazine, Newspaper, Chapter, Conference, Web, Preprint, Other,
        ],
        bibtex: "journal / journaltitle / booktitle / maintitle / organization (@online) / howpublished",
        csl: "container-title",
    },
    Field {
        name: "publisher",
        doc: "the publisher, institution or university",
        example: "\"\"",
        filled: false,
        types: &[
            Book, Chapter, Conference, Report, Thesis, Preprint, Dataset, Software, Other,
        ],
        bibtex: "publisher / institution / school / organization",
        csl: "publisher",
    },
    Field {
        name: "publisher_place",
        doc: "",
        example: "\"\"",
        filled: false,
        types: &[Book, Chapter, Report, Other],
        bibtex: "address / location",
        csl: "publisher-place",
    },
    Field {
        name: "edition",
        doc: "2 for the second edition",
        example: "\"\"",
        filled: false,
        types: &[Book, Chapter, Other],
        bibtex: "edition",
        csl: "edition",
    },
    Field {
        name: "volume",
        doc: "",
        example: "\"\"",
        filled: false,
        types: &[
            Article, Magazine, Newspaper, Book, Chapter, Conference, Other,
        ],
        bibtex: "volume",
        csl: "volume",
    },
    Field {
        name: "issue",
        doc: "",
        example: "\"\"",
        filled: false,
        types: &[Article, Magazine, Newspaper, Other],
        bibtex: "number (of an article) / issue",
        csl: "issue",
    },
    Field {
        name: "pages",
        doc: "first-last, e.g. 15-30",
        example: "\"\"",
        filled: false,
        types: &[Article, Magazine, Newspaper, Chapter, Conference, Other],
        bibtex: "pages",
        csl: "page",
    },
    Field {
        name: "number",
        doc: "a report number, an article number (e0248123), an arXiv id",
        example: "\"\"",
        filled: false,
        types: &[Article, Report, Preprint, Other],
        bibtex: "number / eid (of an article)",
        csl: "number / collection-number (of a book)",
    },
    Field {
        name: "series",
        doc: "the series of a book or report",
        example: "\"\"",
        filled: false,
        types: &[Book, Chapter, Report, Other],
        bibtex: "series",
        csl: "collection-title",
    },
    Field {
        name: "genre",
        doc: "the kind of thesis or report: Doctoral dissertation, Working paper",
        example: "\"\"",
        filled: false,
        types: &[Thesis, Report, Dataset, Other],
        bibtex: "type",
        csl: "genre",
    },
    Field {
        name: "event",
        doc: "the conference",
        example: "\"\"",
        filled: false,
        types: &[Conference],
        bibtex: "eventtitle",
        csl: "event-title",
    },
    Field {
        name: "version",
        doc: "of software or a dataset",
        example: "\"\"",
        filled: false,
        types: &[Software, Dataset],
        bibtex: "version",
        csl: "version",
    },
    Field {
        name: "doi",
        doc: "the DOI itself (10.1234/abcd), not its URL",
        example: "\"\"",
        filled: false,
        types: &[],
        bibtex: "doi",
        csl: "DOI",
    },
    Field {
        name: "url",
        doc: "where to read it, when there is no DOI",
        example: "\"\"",
        filled: false,
        types: &[],
        bibtex: "url",
        csl: "URL",
    },
    Field {
        name: "isbn",
        doc: "",
        example: "\"\"",
        filled: false,
        types: &[Book, Chapter, Report],
        bibtex: "isbn",
        csl: "ISBN",
    },
    Field {
        name: "issn",
        doc: "",
        example: "\"\"",
        filled: false,
        types: &[Article, Magazine, Newspaper],
        bibtex: "issn",
        csl: "ISSN",
    },
    Field {
        name: "language",
        doc: "the work's language, e.g. de",
        example: "\"\"",
        filled: false,
        types: &[],
        bibtex: "langid / language",
        csl: "language",
    },
    Field {
        name: "abbreviation",
        doc: "a group author's short form (WHO), used in the text after the first citation",
        example: "\"\"",
        filled: false,
        types: &[],
        bibtex: "shortauthor",
        csl: "custom.author-short",
    },
    Field {
        name: "archive",
        doc: "where it is kept: arXiv, ProQuest Dissertations and Theses",
        example: "\"\"",
        filled: false,
        types: &[Thesis, Preprint, Dataset, Other],
        bibtex: "eprinttype / archiveprefix",
        csl: "archive",
    },
    Field {
        name: "eprint",
        doc: "an e-print identifier: 2101.00001",
        example: "\"\"",
        filled: false,
        types: &[Preprint],
        bibtex: "eprint",
        csl: "number (arXiv:2101.00001) / custom.eprint",
    },
];

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
        doc: "false keeps it out; with site.yaml's `publish: explicit`, only true is published",
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
    // What Obsidian and its plugins write, understood or ignored without a word: the citation
    // key of a literature note (which makes it a source), other names for wikilinks, and the
    // publishing plugins' styling and URL fields.
    names.extend(OBSIDIAN);
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
        let line = if field.filled {
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
