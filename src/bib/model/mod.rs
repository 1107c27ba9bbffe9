//! The bibliographic model of a source: its type, year, names (`name`), dates (`date`) and
//! fields, as gloss keeps them.

mod date;
mod name;

use std::fmt;

pub use date::PartialDate;
pub(crate) use date::{MONTHS, is_iso_date};
pub use name::Name;

/// The bibliographic type of a source (the names are gloss's; the importers and exports map
/// them to BibTeX's and CSL's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum EntryType {
    /// A journal article.
    #[default]
    Article,
    Magazine,
    Newspaper,
    Book,
    /// A chapter (or entry) in an edited book.
    Chapter,
    /// A paper in conference proceedings.
    Conference,
    Report,
    Thesis,
    Web,
    /// A post on a blog (CSL's `post-weblog`): the blog is its container.
    Post,
    /// An entry in an encyclopedia or a dictionary (Wikipedia's too).
    Entry,
    /// A preprint (arXiv and the like).
    Preprint,
    Dataset,
    Software,
    /// A court decision (CSL's `legal_case`).
    Case,
    /// A statute, a bill, a regulation.
    Legislation,
    Other,
}

impl EntryType {
    pub const ALL: [EntryType; 17] = [
        EntryType::Article,
        EntryType::Magazine,
        EntryType::Newspaper,
        EntryType::Book,
        EntryType::Chapter,
        EntryType::Conference,
        EntryType::Report,
        EntryType::Thesis,
        EntryType::Web,
        EntryType::Post,
        EntryType::Entry,
        EntryType::Preprint,
        EntryType::Dataset,
        EntryType::Software,
        EntryType::Case,
        EntryType::Legislation,
        EntryType::Other,
    ];

    /// Reads gloss's name of a type, or a common other spelling of it (`article-journal`,
    /// `inproceedings`, `webpage`, `phdthesis`, …).
    pub fn parse(text: &str) -> Option<EntryType> {
        let text = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        if let Some(t) = EntryType::ALL.into_iter().find(|t| t.as_str() == text) {
            return Some(t);
        }
        Some(match text.as_str() {
            "journal-article" | "article-journal" | "journal" => EntryType::Article,
            "article-magazine" => EntryType::Magazine,
            "article-newspaper" => EntryType::Newspaper,
            "edited-book" | "collection" => EntryType::Book,
            "incollection" | "inbook" | "book-chapter" => EntryType::Chapter,
            "entry-encyclopedia" | "entry-dictionary" | "inreference" | "encyclopedia-entry" => {
                EntryType::Entry
            }
            "legal-case" | "court-case" | "jurisdiction" => EntryType::Case,
            "statute" | "bill" | "law" => EntryType::Legislation,
            "paper-conference" | "inproceedings" | "conference-paper" | "paper" => {
                EntryType::Conference
            }
            "techreport" => EntryType::Report,
            "phdthesis" | "mastersthesis" | "dissertation" => EntryType::Thesis,
            "webpage" | "website" | "online" => EntryType::Web,
            "post-weblog" | "blog-post" | "blogpost" | "blog" => EntryType::Post,
            "data" | "data-set" => EntryType::Dataset,
            "misc" | "document" => EntryType::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Article => "article",
            EntryType::Magazine => "magazine",
            EntryType::Newspaper => "newspaper",
            EntryType::Book => "book",
            EntryType::Chapter => "chapter",
            EntryType::Conference => "conference",
            EntryType::Report => "report",
            EntryType::Thesis => "thesis",
            EntryType::Web => "web",
            EntryType::Post => "post",
            EntryType::Entry => "entry",
            EntryType::Preprint => "preprint",
            EntryType::Dataset => "dataset",
            EntryType::Software => "software",
            EntryType::Case => "case",
            EntryType::Legislation => "legislation",
            EntryType::Other => "other",
        }
    }

    /// Whether the work appears in a periodical (journal, magazine, newspaper).
    pub fn is_periodical(self) -> bool {
        matches!(
            self,
            EntryType::Article | EntryType::Magazine | EntryType::Newspaper
        )
    }
}

/// A publication year: a year, `n.d.` when the source gives none, or `in press`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Year {
    Known(i32),
    #[default]
    Unknown,
    InPress,
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Year::Known(y) => write!(f, "{y}"),
            Year::Unknown => f.write_str("n.d."),
            Year::InPress => f.write_str("in press"),
        }
    }
}

impl Year {
    /// Reads `2009`, `n.d.` (or `nd`), `in press`; anything else is an error message.
    pub fn parse(text: &str) -> Result<Year, String> {
        let trimmed = text.trim();
        match trimmed.to_ascii_lowercase().as_str() {
            "n.d." | "nd" | "n.d" => return Ok(Year::Unknown),
            "in press" | "inpress" | "forthcoming" => return Ok(Year::InPress),
            _ => {}
        }
        match trimmed.parse::<i32>() {
            Ok(y) if (0..=9999).contains(&y) => Ok(Year::Known(y)),
            _ => Err(format!(
                "invalid year `{trimmed}`: write a year such as 2009, n.d. when the source gives none, or in press"
            )),
        }
    }

    pub fn known(self) -> Option<i32> {
        match self {
            Year::Known(y) => Some(y),
            _ => None,
        }
    }
}

/// The bibliographic fields of a source note. Text fields are stored as written (titles are
/// not recased; `*italics*` in them is Markdown).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMeta {
    pub entry_type: EntryType,
    pub authors: Vec<Name>,
    /// Of an edited book, or of the book a chapter is in.
    pub editors: Vec<Name>,
    pub translators: Vec<Name>,
    pub year: Year,
    /// The full or partial date of issue (newspapers, magazines, blogs, web pages).
    pub issued: Option<PartialDate>,
    /// The year of first publication of a republished or translated work.
    pub original_year: Option<i32>,
    /// When a changing page was read.
    pub accessed: Option<PartialDate>,
    /// The journal, magazine, newspaper, book, proceedings or website.
    pub container: Option<String>,
    pub publisher: Option<String>,
    pub publisher_place: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    /// A report or article number (`128`, `e0248123`), an arXiv identifier.
    pub number: Option<String>,
    /// The series of a book or report.
    pub series: Option<String>,
    pub edition: Option<String>,
    /// The kind of thesis or report (`Doctoral dissertation`, `Working paper`).
    pub genre: Option<String>,
    /// The conference of a conference paper.
    pub event: Option<String>,
    /// Of software and datasets.
    pub version: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub isbn: Option<String>,
    pub issn: Option<String>,
    pub language: Option<String>,
    /// A group author's short form (`WHO`), for the text after the first citation.
    pub abbreviation: Option<String>,
    /// Where it is kept (`arXiv`, `ProQuest Dissertations and Theses`).
    pub archive: Option<String>,
    /// An e-print identifier (`2101.00001`).
    pub eprint: Option<String>,
    /// The container's short form, as IEEE and Nature print it (`Am. J. Sociol.`).
    pub container_short: Option<String>,
    /// The title's short form, which Chicago and MLA cite a title-only work by.
    pub short_title: Option<String>,
    /// How many volumes a multi-volume work has.
    pub volumes: Option<String>,
    /// How many pages a book or report has.
    pub page_count: Option<String>,
    /// The catalogue or database it was found in (Zotero's "Library Catalog": JSTOR).
    pub catalog: Option<String>,
    /// The court of a legal case; the body that made a law.
    pub authority: Option<String>,
    /// The section of a statute or code.
    pub section: Option<String>,
    /// Where a case was decided or a law applies (`US`).
    pub jurisdiction: Option<String>,
    /// The file line of the `doi` field, for diagnostics.
    pub doi_line: usize,
}

impl SourceMeta {
    /// These fields, with `base`'s for those they leave empty: a note's own fields over its
    /// bibliography file's entry. The type and year are the note's, already resolved against
    /// the entry.
    pub fn over(self, base: &SourceMeta) -> SourceMeta {
        SourceMeta {
            entry_type: self.entry_type,
            year: self.year,
            authors: if self.authors.is_empty() {
                base.authors.clone()
            } else {
                self.authors
            },
            editors: if self.editors.is_empty() {
                base.editors.clone()
            } else {
                self.editors
            },
            translators: if self.translators.is_empty() {
                base.translators.clone()
            } else {
                self.translators
            },
            issued: self.issued.or(base.issued),
            original_year: self.original_year.or(base.original_year),
            accessed: self.accessed.or(base.accessed),
            container: self.container.or_else(|| base.container.clone()),
            publisher: self.publisher.or_else(|| base.publisher.clone()),
            publisher_place: self
                .publisher_place
                .or_else(|| base.publisher_place.clone()),
            volume: self.volume.or_else(|| base.volume.clone()),
            issue: self.issue.or_else(|| base.issue.clone()),
            pages: self.pages.or_else(|| base.pages.clone()),
            number: self.number.or_else(|| base.number.clone()),
            series: self.series.or_else(|| base.series.clone()),
            edition: self.edition.or_else(|| base.edition.clone()),
            genre: self.genre.or_else(|| base.genre.clone()),
            event: self.event.or_else(|| base.event.clone()),
            version: self.version.or_else(|| base.version.clone()),
            doi: self.doi.or_else(|| base.doi.clone()),
            url: self.url.or_else(|| base.url.clone()),
            isbn: self.isbn.or_else(|| base.isbn.clone()),
            issn: self.issn.or_else(|| base.issn.clone()),
            language: self.language.or_else(|| base.language.clone()),
            abbreviation: self.abbreviation.or_else(|| base.abbreviation.clone()),
            archive: self.archive.or_else(|| base.archive.clone()),
            eprint: self.eprint.or_else(|| base.eprint.clone()),
            container_short: self
                .container_short
                .or_else(|| base.container_short.clone()),
            short_title: self.short_title.or_else(|| base.short_title.clone()),
            volumes: self.volumes.or_else(|| base.volumes.clone()),
            page_count: self.page_count.or_else(|| base.page_count.clone()),
            catalog: self.catalog.or_else(|| base.catalog.clone()),
            authority: self.authority.or_else(|| base.authority.clone()),
            section: self.section.or_else(|| base.section.clone()),
            jurisdiction: self.jurisdiction.or_else(|| base.jurisdiction.clone()),
            doi_line: self.doi_line,
        }
    }
}

/// A DOI is stored bare, by the one rule the link checks also use.
pub(crate) use crate::safe_url::bare_doi;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_stored_bare_whatever_form_they_come_in() {
        for written in [
            "10.1080/x.2017.1",
            "https://doi.org/10.1080/x.2017.1",
            "DOI:10.1080/x.2017.1",
            "http://dx.doi.org/10.1080/x.2017.1",
        ] {
            assert_eq!(bare_doi(written), "10.1080/x.2017.1", "{written}");
        }
    }
}
