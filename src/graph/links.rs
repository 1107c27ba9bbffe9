//! Which note a wikilink names, as Obsidian finds it: by key; else by file name (without `.md`),
//! ignoring case, anywhere in the notes' folder, and only when no file has that name by an
//! alias; a name with folders (`Chapter 2/Notes`) by the end of the note's path. Among several
//! notes of one name, the one in the linking note's own folder is meant; otherwise Obsidian
//! opens one and never refuses: here the one nearest the root (fewest folders, then the shortest
//! path, then the first in order), and the link is reported as naming several.

use rustc_hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

use crate::note::Note;

/// What a name finds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    One(usize),
    /// Several notes of that name: the one the link goes to, and all of them in note order.
    Several(usize, Vec<usize>),
    None,
}

impl Found {
    /// The note the link goes to, if any.
    pub(crate) fn note(&self) -> Option<usize> {
        match self {
            Found::One(i) | Found::Several(i, _) => Some(*i),
            Found::None => None,
        }
    }
}

/// The notes by every name a link may use.
#[derive(Default)]
pub(crate) struct NameIndex {
    keys: HashMap<String, usize>,
    /// File names without `.md` and keys, lower-cased → notes.
    names: HashMap<String, Vec<usize>>,
    /// Aliases, lower-cased → notes: a link reaches them only when no file has the name.
    aliases: HashMap<String, Vec<usize>>,
    /// Each note's path relative to the notes' folder, lower-cased, without `.md`.
    paths: Vec<String>,
}

/// A name as links compare it: without case, and composed (`café` typed, or written by macOS
/// as `e` and a combining accent, is one name).
fn fold(name: &str) -> String {
    let name = name.trim();
    match name.is_ascii() {
        true => name.to_lowercase(),
        false => name.nfc().collect::<String>().to_lowercase(),
    }
}

impl NameIndex {
    pub(crate) fn new(notes: &[Note], keys: &HashMap<String, usize>) -> NameIndex {
        let mut index = NameIndex {
            keys: keys.clone(),
            ..NameIndex::default()
        };
        for (i, note) in notes.iter().enumerate() {
            let path = note.rel.strip_suffix(".md").unwrap_or(&note.rel);
            let stem = path.rsplit('/').next().unwrap_or(path);
            index.paths.push(fold(path));
            let mut names: Vec<String> = vec![fold(stem), fold(&note.key)];
            names.sort();
            names.dedup();
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                index.names.entry(name).or_default().push(i);
            }
            let mut aliases: Vec<String> = note.aliases.iter().map(|a| fold(a)).collect();
            aliases.sort();
            aliases.dedup();
            for alias in aliases.into_iter().filter(|a| !a.is_empty()) {
                index.aliases.entry(alias).or_default().push(i);
            }
        }
        index
    }

    /// The note `target` names, written in note `from`.
    pub(crate) fn find(&self, notes: &[Note], target: &str, from: usize) -> Found {
        let target = target.trim();
        let target = target.strip_suffix(".md").unwrap_or(target);
        if target.is_empty() {
            return Found::One(from);
        }
        if let Some(&i) = self.keys.get(target) {
            return Found::One(i);
        }
        let wanted = fold(target);
        let stem = wanted.rsplit('/').next().unwrap_or(&wanted);
        let by_name = |index: &HashMap<String, Vec<usize>>| -> Vec<usize> {
            let found = index.get(stem).map_or(&[][..], Vec::as_slice);
            if !wanted.contains('/') {
                return found.to_vec();
            }
            // `Chapter 2/Notes`: the notes of that file name whose path ends so.
            let suffix = format!("/{wanted}");
            found
                .iter()
                .copied()
                .filter(|&i| self.paths[i] == wanted || self.paths[i].ends_with(&suffix))
                .collect()
        };
        let mut candidates = by_name(&self.names);
        if candidates.is_empty() {
            candidates = by_name(&self.aliases);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let here = notes[from].dir();
        let mut near = candidates.iter().filter(|&&i| notes[i].dir() == here);
        match (candidates.as_slice(), near.next(), near.next()) {
            ([], _, _) => Found::None,
            ([one], _, _) => Found::One(*one),
            // The one in the linking note's folder is the one meant.
            (_, Some(&mine), None) => Found::One(mine),
            (many, _, _) => Found::Several(self.nearest(many), many.to_vec()),
        }
    }

    /// The note of `many` (none of them alone in the linking note's folder) a link opens: the
    /// one nearest the root.
    fn nearest(&self, many: &[usize]) -> usize {
        *many
            .iter()
            .min_by_key(|&&i| {
                let path = &self.paths[i];
                (path.matches('/').count(), path.len(), i)
            })
            .expect("several notes")
    }
}
