//! Which note a wikilink names, as Obsidian finds it: by key; else by file name (without `.md`)
//! or alias, ignoring case, anywhere in the notes' folder; a name with folders (`Chapter 2/Notes`)
//! by the end of the note's path. Among several notes of one name, the one in the linking
//! note's own folder wins; otherwise the name is ambiguous.

use rustc_hash::FxHashMap as HashMap;

use crate::note::Note;

/// What a name finds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    One(usize),
    /// Several notes, none of them in the linking note's folder (their indices, in note order).
    Ambiguous(Vec<usize>),
    None,
}

/// The notes by every name a link may use.
#[derive(Default)]
pub(crate) struct NameIndex {
    keys: HashMap<String, usize>,
    /// File names without `.md`, aliases and keys, lower-cased → notes.
    names: HashMap<String, Vec<usize>>,
    /// Each note's path relative to the notes' folder, lower-cased, without `.md`.
    paths: Vec<String>,
}

fn fold(name: &str) -> String {
    name.trim().to_lowercase()
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
            names.extend(note.aliases.iter().map(|a| fold(a)));
            names.sort();
            names.dedup();
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                index.names.entry(name).or_default().push(i);
            }
        }
        index
    }

    /// The note `target` names, written in note `from` (whose folder is `from_dir`).
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
        let mut candidates: Vec<usize> = if wanted.contains('/') {
            let suffix = format!("/{wanted}");
            (0..self.paths.len())
                .filter(|&i| self.paths[i] == wanted || self.paths[i].ends_with(&suffix))
                .collect()
        } else {
            self.names.get(&wanted).cloned().unwrap_or_default()
        };
        candidates.sort_unstable();
        candidates.dedup();
        match candidates.as_slice() {
            [] => Found::None,
            [one] => Found::One(*one),
            many => {
                let here = notes[from].dir();
                let near: Vec<usize> = many
                    .iter()
                    .copied()
                    .filter(|&i| notes[i].dir() == here)
                    .collect();
                match near.as_slice() {
                    [one] => Found::One(*one),
                    _ => Found::Ambiguous(many.to_vec()),
                }
            }
        }
    }
}
