//! The child rows of each item: its attachments' annotations in reading order, its notes; and
//! the rows left out, with why (their item is in the trash, or they hang on a standalone file).

use std::collections::HashMap;

use super::query::{Annotation, Attachment, Library};
use super::section::Placed;

pub(super) struct Children<'a> {
    /// Item id → its attachments, in the order Zotero added them.
    attachments: HashMap<i64, Vec<&'a Attachment>>,
    /// Attachment id → its annotations.
    annotations: HashMap<i64, Vec<&'a Annotation>>,
    /// Item id → its notes' HTML.
    notes: HashMap<i64, Vec<&'a str>>,
}

/// `sortIndex` as numbers: PDF `00003|001234|00100`, EPUB `00003|00001234`, snapshots 7 or 8
/// digits, which text order would sort wrongly.
fn reading_order(index: &str) -> Vec<u64> {
    index
        .split('|')
        .map(|n| n.trim().parse().unwrap_or(0))
        .collect()
}

impl<'a> Children<'a> {
    pub(super) fn new(library: &'a Library) -> Children<'a> {
        let mut attachments: HashMap<i64, Vec<&Attachment>> = HashMap::new();
        for a in &library.attachments {
            if let Some(parent) = a.parent {
                attachments.entry(parent).or_default().push(a);
            }
        }
        let mut annotations: HashMap<i64, Vec<&Annotation>> = HashMap::new();
        for a in &library.annotations {
            annotations.entry(a.attachment).or_default().push(a);
        }
        for list in annotations.values_mut() {
            list.sort_by(|a, b| {
                (reading_order(&a.sort_index), &a.key).cmp(&(reading_order(&b.sort_index), &b.key))
            });
        }
        let mut notes: HashMap<i64, Vec<&str>> = HashMap::new();
        for n in &library.notes {
            notes.entry(n.parent).or_default().push(&n.html);
        }
        Children {
            attachments,
            annotations,
            notes,
        }
    }

    /// An item's annotations: attachment by attachment, each in reading order.
    pub(super) fn annotations(&self, item: i64) -> Vec<Placed<'a>> {
        let mut out = Vec::new();
        for attachment in self.attachments.get(&item).into_iter().flatten() {
            for annotation in self.annotations.get(&attachment.id).into_iter().flatten() {
                out.push(Placed {
                    annotation,
                    attachment,
                });
            }
        }
        out
    }

    pub(super) fn notes(&self, item: i64) -> impl Iterator<Item = &'a str> + '_ {
        self.notes.get(&item).into_iter().flatten().copied()
    }

    /// What was left out, a line per reason.
    pub(super) fn left_out(
        &self,
        library: &Library,
        unmapped: usize,
        excluded: usize,
    ) -> Vec<String> {
        let live: std::collections::HashSet<i64> = library.items.iter().map(|i| i.id).collect();
        let by_id: HashMap<i64, &Attachment> =
            library.attachments.iter().map(|a| (a.id, a)).collect();
        let (mut standalone, mut trashed) = (0, 0);
        for a in &library.annotations {
            match by_id.get(&a.attachment).map(|f| f.parent) {
                Some(None) => standalone += 1,
                Some(Some(parent)) if live.contains(&parent) => {}
                _ => trashed += 1,
            }
        }
        let orphan_notes = library
            .notes
            .iter()
            .filter(|n| !live.contains(&n.parent))
            .count();
        let mut out = Vec::new();
        let mut say = |n: usize, what: &str| {
            if n > 0 {
                out.push(format!("{n} {what}"));
            }
        };
        say(library.trashed, "item(s) in Zotero's trash");
        say(excluded, "item(s) outside --collection/--tag");
        say(unmapped, "item(s) of a type CSL has no type for");
        say(
            standalone,
            "annotation(s) on a file with no parent item (in Zotero: right-click the file, Create Parent Item)",
        );
        say(
            trashed,
            "annotation(s) on a file in the trash or of an item in the trash",
        );
        say(orphan_notes, "child note(s) of items in the trash");
        out
    }
}
