//! The bibliographic model of a source: its type, year, names and fields, as gloss keeps them.

use std::fmt;

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
    /// A preprint (arXiv and the like).
    Preprint,
    Dataset,
    Software,
    Other,
}

impl EntryType {
    pub const ALL: [EntryType; 13] = [
        EntryType::Article,
        EntryType::Magazine,
        EntryType::Newspaper,
        EntryType::Book,
        EntryType::Chapter,
        EntryType::Conference,
        EntryType::Report,
        EntryType::Thesis,
        EntryType::Web,
        EntryType::Preprint,
        EntryType::Dataset,
        EntryType::Software,
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
            "incollection" | "inbook" | "book-chapter" | "entry-encyclopedia" => EntryType::Chapter,
            "paper-conference" | "inproceedings" | "conference-paper" | "paper" => {
                EntryType::Conference
            }
            "techreport" => EntryType::Report,
            "phdthesis" | "mastersthesis" | "dissertation" => EntryType::Thesis,
            "webpage" | "website" | "online" | "post-weblog" | "blog-post" | "post" => {
                EntryType::Web
            }
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
            EntryType::Preprint => "preprint",
            EntryType::Dataset => "dataset",
            EntryType::Software => "software",
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

/// A person or an organisation.
///
/// Written in front matter as `"Family, Given"`, `"Family, Suffix, Given"` (`"King, Jr.,
/// Martin Luther"`) or `"particle Family, Given"` (`"van der Berg, Jan"`: lower-case words before
/// the family name are its particle, as in BibTeX); a name with no comma (an organisation, a
/// one-name person) is kept whole, and so is one in braces (`"{University of California,
/// Berkeley}"`). A YAML map (`{family, given, particle, dropping, suffix}` or `{name}`) says
/// the same explicitly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Name {
    /// The family name without its particle, or the whole name of an organisation.
    pub family: String,
    pub given: Option<String>,
    /// A particle always shown with the family name (`van der`, `de`): CSL's
    /// non-dropping particle, BibTeX's "von" part.
    pub particle: Option<String>,
    /// A particle shown after the given name when the family name leads (`von` in
    /// "Mises, L. von"): CSL's dropping particle.
    pub dropping: Option<String>,
    /// `Jr.`, `III`.
    pub suffix: Option<String>,
}

impl Name {
    /// A name written as a string (see [`Name`]); `None` for an empty or malformed one.
    pub fn parse(text: &str) -> Option<Name> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            return Some(Name::literal(inner.trim()));
        }
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let (family, suffix, given) = match parts.as_slice() {
            [whole] => return Some(Name::literal(whole)),
            [family, given] => (*family, None, *given),
            [family, suffix, given] => (*family, Some(*suffix), *given),
            _ => return None,
        };
        if family.is_empty() {
            return None;
        }
        let (particle, family) = split_particle(family);
        Some(Name {
            family: family.to_string(),
            given: Some(given.to_string()).filter(|g| !g.is_empty()),
            particle: particle.map(str::to_string),
            dropping: None,
            suffix: suffix.filter(|s| !s.is_empty()).map(str::to_string),
        })
    }

    /// An organisation, or a person known by one name.
    pub fn literal(name: &str) -> Name {
        Name {
            family: name.to_string(),
            ..Name::default()
        }
    }

    /// Whether it is written whole (no given name): an organisation or a one-name person.
    pub fn is_literal(&self) -> bool {
        self.given.is_none() && self.particle.is_none() && self.suffix.is_none()
    }

    /// The family name with its particle: `van der Berg`.
    pub fn full_family(&self) -> String {
        match &self.particle {
            Some(p) => format!("{p} {}", self.family),
            None => self.family.clone(),
        }
    }

    /// The name as front matter writes it, when a string can say it all (see [`Name`]).
    pub fn display(&self) -> String {
        let family = self.full_family();
        if self.is_literal() {
            return if family.contains(',') {
                format!("{{{family}}}")
            } else {
                family
            };
        }
        let given = match (&self.given, &self.dropping) {
            (Some(g), Some(d)) => format!("{g} {d}"),
            (Some(g), None) => g.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => String::new(),
        };
        match &self.suffix {
            Some(s) => format!("{family}, {s}, {given}"),
            None => format!("{family}, {given}"),
        }
    }
}

/// `van der Berg` → (`van der`, `Berg`): leading words that start in lower case, as BibTeX
/// reads a "von" part. A family name that is all lower case is not split.
fn split_particle(family: &str) -> (Option<&str>, &str) {
    let mut end = 0;
    for word in family.split(' ') {
        let lower = word.chars().next().is_some_and(char::is_lowercase);
        if !lower {
            break;
        }
        end += word.len() + 1;
    }
    if end == 0 || end >= family.len() {
        return (None, family);
    }
    (Some(family[..end - 1].trim()), family[end..].trim())
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
            doi_line: self.doi_line,
        }
    }
}

/// A DOI without the resolver or scheme it is often written with: `https://doi.org/10.1/x`,
/// `doi:10.1/x` → `10.1/x`. Anything else is kept as written (`gloss check` warns about it).
pub(crate) fn bare_doi(doi: &str) -> String {
    let doi = doi.trim();
    let lower = doi.to_ascii_lowercase();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
    ] {
        if lower.starts_with(prefix) {
            return doi[prefix.len()..].trim().to_string();
        }
    }
    doi.to_string()
}

/// A calendar date as precise as the source gives it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Reads `2020`, `2020-03` or `2020-03-05` (a time after the day, as some plugins write it,
    /// is ignored); anything else is an error message.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let day_part = text.split([' ', 'T']).next().unwrap_or(text);
        let bad = || format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = day_part.split('-').collect();
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = number(parts[0], 4).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(
                number(m, 2)
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(bad)? as u8,
            ),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => Some(
                number(d, 2)
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(bad)? as u8,
            ),
            None => None,
        };
        if parts.len() > 3 || (day_part.len() != text.len() && day.is_none()) {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_particles_suffixes_and_organisations() {
        let n = Name::parse("van der Berg, Jan").unwrap();
        assert_eq!(
            (n.particle.as_deref(), n.family.as_str(), n.given.as_deref()),
            (Some("van der"), "Berg", Some("Jan"))
        );
        assert_eq!(n.display(), "van der Berg, Jan");
        let n = Name::parse("King, Jr., Martin Luther").unwrap();
        assert_eq!(
            (n.family.as_str(), n.suffix.as_deref(), n.given.as_deref()),
            ("King", Some("Jr."), Some("Martin Luther"))
        );
        assert_eq!(n.display(), "King, Jr., Martin Luther");
        let n = Name::parse("{University of California, Berkeley}").unwrap();
        assert!(n.is_literal());
        assert_eq!(n.family, "University of California, Berkeley");
        assert_eq!(n.display(), "{University of California, Berkeley}");
        assert_eq!(
            Name::parse("World Health Organization").unwrap().family,
            "World Health Organization"
        );
        // A family name in lower case throughout is not a particle.
        assert_eq!(Name::parse("bell hooks, x").unwrap().particle, None);
        assert_eq!(Name::parse("d'Alembert, Jean").unwrap().particle, None);
        assert!(Name::parse(", x").is_none());
        assert!(Name::parse("a, b, c, d").is_none());
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let d = |s| PartialDate::parse(s).map(|d| d.to_string());
        assert_eq!(d("2001").as_deref(), Ok("2001"));
        assert_eq!(d("2001-09").as_deref(), Ok("2001-09"));
        assert_eq!(d("2024-08-02 09:59").as_deref(), Ok("2024-08-02"));
        assert!(d("2001-13").is_err());
        assert!(d("01-09").is_err());
        assert!(d("2001-09-11-1").is_err());
        assert!(d("2001 sometime").is_err());
        assert!(PartialDate::parse("2001").unwrap() < PartialDate::parse("2001-09").unwrap());
    }

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
