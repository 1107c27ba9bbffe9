//! The bibliography page: every source in the style's order, grouped by letter (a numbered
//! style's in one group), with what the filters need (type, decade, themes) and how often each
//! is cited.

use super::jobs::is_theme;

use super::entries::{BibEntryView, LetterView};
use super::views::Views;
use crate::bib::{CitationStyle, SourceInput, base_letter, filing_letter};
use crate::overview::decade;

impl Views<'_> {
    /// The reference list by initial letter, each letter once and in the list's order: in APA
    /// the letter the entry is sorted by (`von Luxburg` under V, a work with no author under its
    /// title's), in a CSL style the entry's as printed (a numbered style's list is one group,
    /// with no letter). An entry the collation files among another letter's (a letter met
    /// again) stays where it is sorted, under the heading it follows.
    pub(super) fn letters(&self) -> Vec<LetterView> {
        let site = self.site;
        let mut letters: Vec<LetterView> = Vec::new();
        for key in &site.bibliography_order {
            let i = site.by_key[key.as_str()];
            let note = &site.notes[i];
            let Some(meta) = &note.source else { continue };
            let previous = letters.last().map(|l| l.letter.as_str());
            let letter = match &site.style {
                CitationStyle::Apa => filing_letter(&SourceInput {
                    key,
                    title: &note.title,
                    meta,
                }),
                CitationStyle::Csl(style) if style.numeric => String::new(),
                CitationStyle::Csl(_) => printed_letter(&site.references[key].text, previous),
            };
            let entry = BibEntryView {
                key: key.clone(),
                url: site.url_of(i),
                reference: site.references[key].html.clone(),
                entry_type: meta.entry_type.as_str(),
                decade: decade(meta.year),
                themes: note
                    .tags
                    .iter()
                    .filter(|t| is_theme(self.site, &t.slug))
                    .map(|t| self.tag_view(&t.slug))
                    .collect(),
                cited_count: site.citing_notes(i),
                annotated: site.has_text(i),
            };
            let seen = letters.iter().any(|l| l.letter == letter);
            match letters.last_mut() {
                Some(l) if l.letter == letter || seen => l.entries.push(entry),
                _ => letters.push(LetterView {
                    anchor: if letter.chars().all(char::is_alphabetic) {
                        format!("letter-{letter}")
                    } else {
                        "letter-other".to_string()
                    },
                    letter,
                    entries: vec![entry],
                }),
            }
        }
        letters
    }
}

/// The letter an entry files under as printed: its first letter (past opening quotation marks),
/// `#` for a digit, and the previous entry's for a repeated author's dash (`———.`).
fn printed_letter(text: &str, previous: Option<&str>) -> String {
    let first = text
        .chars()
        .find(|c| !matches!(c, '“' | '"' | '‘' | '\'' | '(' | '['));
    match first {
        Some(c) if c.is_alphabetic() => base_letter(c),
        Some(c) if !c.is_alphanumeric() && previous.is_some() => {
            previous.unwrap_or_default().to_string()
        }
        _ => "#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::printed_letter;

    #[test]
    fn entries_file_under_the_letter_they_are_printed_with() {
        assert_eq!(printed_letter("Berg, Pieter van der. 2016.", None), "B");
        assert_eq!(printed_letter("“Annual Report.” 2020.", Some("A")), "A");
        assert_eq!(printed_letter("Çelik, A. 2020.", None), "C");
        assert_eq!(printed_letter("———. 2019. Second Book.", Some("W")), "W");
        assert_eq!(printed_letter("1984 Society. 2001.", None), "#");
    }
}
