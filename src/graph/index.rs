//! The indexes resolving starts from: the sources formatted and in reference-list order, the
//! notes by key and by file (a key used twice is an error), and the notes by tag, inline
//! `#tags` included.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use unicode_normalization::UnicodeNormalization;

use crate::bib::{Failure, Formatted, Reference, SourceInput};
use crate::cite::Citation;
use crate::error::Diagnostic;
use crate::html::tag_slug;
use crate::markdown::Scan;
use crate::note::{Note, NoteKind, Tag};

/// Every source formatted by `format`, given the site's distinct citations in reading order.
pub(super) fn format_sources(
    notes: &[Note],
    scans: &[Scan],
    format: &mut dyn FnMut(&[SourceInput<'_>], &[&Citation]) -> Formatted,
) -> Formatted {
    let inputs: Vec<SourceInput<'_>> = notes
        .iter()
        .filter_map(|n| {
            n.source.as_ref().map(|meta| SourceInput {
                key: &n.key,
                title: &n.title,
                meta,
            })
        })
        .collect();
    let mut seen = HashSet::default();
    let cited: Vec<&Citation> = scans
        .iter()
        .flat_map(|s| &s.citations)
        .map(|c| &c.citation)
        .filter(|c| seen.insert(*c))
        .collect();
    format(&inputs, &cited)
}

/// An error on each source the citation style's engine failed on, naming the others it failed
/// on with it.
pub(super) fn engine_failures(
    failures: &[Failure],
    notes: &[Note],
    by_key: &HashMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for failure in failures {
        for key in &failure.keys {
            let Some(&i) = by_key.get(key) else {
                continue;
            };
            let others: Vec<String> = failure
                .keys
                .iter()
                .filter(|k| *k != key)
                .map(|k| format!("@{k}"))
                .collect();
            let with = match others.as_slice() {
                [] => String::new(),
                some => format!(" together with {}", some.join(", ")),
            };
            diagnostics.push(Diagnostic::error(
                &notes[i].path,
                0,
                0,
                format!(
                    "the citation style could not format @{key}{with}: its CSL engine (hayagriva) failed ({}); change one of these sources' fields or choose another citation_style, and please report it",
                    failure.message
                ),
            ));
        }
    }
    diagnostics
}

/// Source keys in reference-list order.
pub(super) fn bibliography_order(references: &BTreeMap<String, Reference>) -> Vec<String> {
    // Sorted as (sort key, key) pairs: looking both keys up in the map at every comparison
    // cost more than the rest of resolving at 10,000 sources.
    let mut order: Vec<(&[u8], &String)> = references
        .iter()
        .map(|(k, r)| (r.sort_key.as_slice(), k))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, k)| k.clone()).collect()
}

/// The notes by key (the home page has none) and by path relative to the notes' folder; a key
/// that two notes share is an error on the second, and two files whose paths are one name in
/// two Unicode forms (`café` composed and decomposed) a warning naming both.
pub(super) fn keys_and_files(
    notes: &[Note],
    diagnostics: &mut Vec<Diagnostic>,
) -> (HashMap<String, usize>, HashMap<String, usize>) {
    let mut by_key: HashMap<String, usize> = HashMap::default();
    let mut by_file = HashMap::default();
    let mut by_nfc: HashMap<String, usize> = HashMap::default();
    for (i, note) in notes.iter().enumerate() {
        by_file.insert(note.rel.clone(), i);
        if !note.path.is_ascii() {
            let nfc: String = note.path.nfc().collect();
            match by_nfc.get(&nfc) {
                Some(&first) => diagnostics.push(unicode_twins(note, &notes[first])),
                None => {
                    by_nfc.insert(nfc, i);
                }
            }
        }
        if note.kind == NoteKind::Page && note.key.is_empty() {
            continue;
        }
        if let Some(&first) = by_key.get(&note.key) {
            diagnostics.push(Diagnostic::error(
                &note.path,
                0,
                0,
                format!(
                    "key `{}` is already used by {}: source keys, theme slugs and page paths share one namespace, so rename one file",
                    note.key, notes[first].path
                ),
            ));
        } else {
            by_key.insert(note.key.clone(), i);
        }
    }
    (by_key, by_file)
}

/// The warning that two notes' file names are the same letters in two Unicode forms.
fn unicode_twins(note: &Note, first: &Note) -> Diagnostic {
    Diagnostic::warning(
        &note.path,
        0,
        0,
        format!(
            "this file's name and {}'s are the same letters written in two Unicode forms (composed and decomposed, as different systems save them): they make two pages with look-alike addresses here, and one file on macOS; rename or merge one of them",
            first.path
        ),
    )
}

/// Adds each note's inline `#tags` to its tags (after those of its front matter).
pub(super) fn add_inline_tags(notes: &mut [Note], scans: &[Scan]) {
    for (note, scan) in notes.iter_mut().zip(scans) {
        if scan.tags.is_empty() {
            continue;
        }
        // Looked up, not searched: a note may hold 100,000 inline tags.
        let mut has: HashSet<String> = note.tags.iter().map(|t| t.slug.clone()).collect();
        for (name, line) in &scan.tags {
            let slug = tag_slug(name);
            if !slug.is_empty() && has.insert(slug.clone()) {
                note.tags.push(Tag { slug, line: *line });
            }
        }
    }
}

/// Tag slug → the notes carrying the tag, in note order.
pub(super) fn notes_by_tag(notes: &[Note]) -> BTreeMap<String, Vec<usize>> {
    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, note) in notes.iter().enumerate() {
        // A nested tag (`policy/drones`) puts the note under every level (`policy` too).
        let mut distinct: Vec<&str> = note
            .tags
            .iter()
            .flat_map(|t| {
                t.slug
                    .match_indices('/')
                    .map(|(at, _)| &t.slug[..at])
                    .chain([t.slug.as_str()])
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        for slug in distinct {
            // Looked up before it is copied: most notes share their tags with many others.
            match tags.get_mut(slug) {
                Some(list) => list.push(i),
                None => {
                    tags.insert(slug.to_string(), vec![i]);
                }
            }
        }
    }
    tags
}
