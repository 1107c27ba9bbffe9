//! The bibliographic model of a source: its type, year, names and fields, as gloss keeps them.

use std::fmt;

/// The bibliographic type of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryType {
    Article,
    Book,
    Chapter,
    Report,
    Thesis,
    Web,
    Other,
}

impl EntryType {
    pub const ALL: [EntryType; 7] = [
        EntryType::Article,
        EntryType::Book,
        EntryType::Chapter,
        EntryType::Report,
        EntryType::Thesis,
        EntryType::Web,
        EntryType::Other,
    ];

    pub fn parse(text: &str) -> Option<EntryType> {
        let text = text.trim().to_ascii_lowercase();
        EntryType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Article => "article",
            EntryType::Book => "book",
            EntryType::Chapter => "chapter",
            EntryType::Report => "report",
            EntryType::Thesis => "thesis",
            EntryType::Web => "web",
            EntryType::Other => "other",
        }
    }
}

/// A publication year, or `n.d.` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Year {
    Known(i32),
    Unknown,
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Year::Known(y) => write!(f, "{y}"),
            Year::Unknown => f.write_str("n.d."),
        }
    }
}

impl Year {
    /// Reads `2009`, `n.d.` (or `nd`); anything else is an error message.
    pub fn parse(text: &str) -> Result<Year, String> {
        let trimmed = text.trim();
        if matches!(trimmed.to_ascii_lowercase().as_str(), "n.d." | "nd" | "n.d") {
            return Ok(Year::Unknown);
        }
        match trimmed.parse::<i32>() {
            Ok(y) if (0..=9999).contains(&y) => Ok(Year::Known(y)),
            _ => Err(format!(
                "invalid year `{trimmed}`: write a year such as 2009, or n.d. when the source gives none"
            )),
        }
    }
}

/// A person or organisation: `Family, Given` is split at the first comma; a name with no comma
/// (an organisation, or a one-name person such as `Noor-e-Hera`) is kept whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    pub family: String,
    pub given: Option<String>,
}

impl Name {
    pub fn parse(text: &str) -> Option<Name> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.split_once(',') {
            Some((family, given)) if !family.trim().is_empty() => Some(Name {
                family: family.trim().to_string(),
                given: Some(given.trim().to_string()).filter(|g| !g.is_empty()),
            }),
            Some(_) => None,
            None => Some(Name {
                family: text.to_string(),
                given: None,
            }),
        }
    }

    /// `Family, Given` as written in front matter and BibTeX.
    pub fn display(&self) -> String {
        match &self.given {
            Some(g) => format!("{}, {g}", self.family),
            None => self.family.clone(),
        }
    }
}

/// The bibliographic fields of a source note.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMeta {
    pub entry_type: EntryType,
    pub authors: Vec<Name>,
    pub editors: Vec<Name>,
    pub year: Year,
    pub container: Option<String>,
    pub publisher: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub doi: Option<String>,
    /// The file line of the `doi` field, for diagnostics.
    pub doi_line: usize,
    pub url: Option<String>,
}
