//! The vocabulary of formatted references: what a formatter is given of a source, what it
//! returns, and the groups formatting works in.

use super::model::{EntryType, SourceMeta};
use crate::cite::InText;

/// A source formatted in the site's citation style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    /// APA's author and year parts, which citations are composed of (empty in a CSL style).
    pub in_text: InText,
    /// The reference-list entry as HTML (italics, DOI and URL links).
    pub html: String,
    /// The same entry as plain text (tooltips, feeds).
    pub text: String,
    /// Sorts the entry into APA's reference-list order (see `apa::sort`): compare the bytes.
    pub sort_key: Vec<u8>,
    /// Where the entry's year ends in `html` and in `text`: a letter (`2019a`) goes there.
    pub year_end: (usize, usize),
    /// A CSL style's own forms of the source cited alone; `None` in APA, whose forms are made of
    /// `in_text`.
    pub(crate) styled: Option<StyledForms>,
}

/// How a CSL style cites a source on its own, as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct StyledForms {
    /// In parentheses (or brackets): `(Okafor and Brennan 2018)`, `[4]`.
    pub(crate) cited: String,
    /// In running text: `Okafor and Brennan (2018)`, `C. Okafor and S. Brennan [1]`.
    pub(crate) short: String,
}

impl Reference {
    /// The source cited on its own: `(Ali & Anwar, 2023)`.
    pub(crate) fn cited(&self) -> String {
        match &self.styled {
            Some(forms) => forms.cited.clone(),
            None => format!("({}, {})", self.in_text.author, self.in_text.year),
        }
    }

    /// Its short form in two parts, the names and what follows them (` (2023)`, ` [4]`), so
    /// that a figure can shorten the names and keep the rest.
    pub(crate) fn label_parts(&self) -> (String, String) {
        match &self.styled {
            Some(forms) => split_label(&forms.short),
            None => (
                self.in_text.narrative_author.clone(),
                format!(" ({})", self.in_text.year),
            ),
        }
    }

    /// APA's year with its letter (`2019a`); `None` in a CSL style, which prints it itself.
    pub(crate) fn apa_year(&self) -> Option<&str> {
        match self.styled {
            Some(_) => None,
            None => Some(&self.in_text.year),
        }
    }

    /// Its short form in running text, which names it in links, previews and search results:
    /// `Ali and Anwar (2023)`.
    pub(crate) fn short(&self) -> String {
        match &self.styled {
            Some(forms) => forms.short.clone(),
            None => format!("{} ({})", self.in_text.narrative_author, self.in_text.year),
        }
    }
}

/// A CSL style's short form split before its closing parenthesis or bracket group
/// (`Okafor and Brennan (2018)`, `C. Okafor and S. Brennan [1]`); a form without one is all
/// names.
fn split_label(short: &str) -> (String, String) {
    let open = match short.chars().last() {
        Some(')') => '(',
        Some(']') => '[',
        _ => return (short.to_string(), String::new()),
    };
    match short.rfind(open) {
        Some(at) if at > 0 => {
            let names = short[..at].trim_end();
            (names.to_string(), short[names.len()..].to_string())
        }
        _ => (short.to_string(), String::new()),
    }
}

/// What the formatter needs of a source.
pub(crate) struct SourceInput<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub meta: &'a SourceMeta,
}

/// The cluster a source belongs to: the family name of whoever leads its entry (its first
/// author, else its first editor), lowercased, or its title when it has neither. Disambiguation
/// (initials, more names, 2019a) only ever involves works in one cluster, so works in different
/// clusters never affect each other's formatting (`gloss serve` relies on this to format again
/// only the clusters whose sources changed).
pub(crate) fn cluster_key(meta: &SourceMeta, title: &str) -> String {
    let lead = meta.authors.first().or_else(|| {
        (meta.entry_type != EntryType::Chapter)
            .then(|| meta.editors.first())
            .flatten()
    });
    match lead {
        Some(name) => name.full_family().to_lowercase(),
        None => format!("\u{1}{}", title.to_lowercase()),
    }
}
