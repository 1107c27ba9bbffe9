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
}
