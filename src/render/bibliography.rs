//! The bibliography page: every source in APA order, grouped by letter, with what the filters
//! need (type, decade, themes) and how often each is cited.

use super::jobs::is_theme;
use super::views::{BibEntryView, LetterView, Views};
use crate::overview::decade;

impl Views<'_> {
    /// The reference list by initial letter of the first author's family name.
    pub(super) fn letters(&self) -> Vec<LetterView> {
        let site = self.site;
        let mut letters: Vec<LetterView> = Vec::new();
        for key in &site.bibliography_order {
            let i = site.by_key[key.as_str()];
            let note = &site.notes[i];
            let Some(meta) = &note.source else { continue };
            let letter = meta
                .authors
                .first()
                .and_then(|a| a.family.chars().find(|c| c.is_alphabetic()))
                .map_or_else(|| "#".to_string(), |c| c.to_uppercase().to_string());
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
            };
            match letters.last_mut() {
                Some(l) if l.letter == letter => l.entries.push(entry),
                _ => letters.push(LetterView {
                    letter,
                    entries: vec![entry],
                }),
            }
        }
        letters
    }
}
