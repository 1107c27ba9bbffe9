//! A library entry into a note's text: a new note, or an existing note whose bibliographic
//! fields are replaced while every other line (the body, `tags`, `draft`, comments, fields
//! gloss does not know) is kept byte for byte. Pure: text in, text out.

use std::collections::{BTreeMap, HashSet};

use super::yaml::blocks;
use crate::bib::model::SourceMeta;
use crate::error::Diagnostic;
use crate::frontmatter::{self, top_level_keys};
use crate::note::fields::SOURCE;
use crate::note::{self, NoteKind};

/// The text of a new note: its citation key when its file name is not it, the fields, then the
/// abstract and notes the library holds.
pub(crate) fn new_note(
    key: Option<&str>,
    title: &str,
    meta: &SourceMeta,
    abstract_text: Option<&str>,
    notes: &[String],
) -> String {
    let mut text = String::from("---\n");
    if let Some(key) = key {
        text.push_str(&format!("key: {}\n", super::yaml::quoted(key)));
    }
    for (_, block) in blocks(title, meta, "\n") {
        text.push_str(&block);
    }
    text.push_str("---\n");
    if let Some(a) = abstract_text {
        text.push_str(&format!("\n## Abstract\n\n{a}\n"));
    }
    for note in notes {
        text.push_str(&format!("\n{note}\n"));
    }
    text
}

/// The note's text with its bibliographic fields set to `meta`'s: a field whose value is the
/// same keeps its lines as they are, a changed one is rewritten in place, a new one goes after
/// the bibliographic field before it, one the library no longer has is removed.
pub(crate) fn update(
    path: &str,
    key: &str,
    text: &str,
    title: &str,
    meta: &SourceMeta,
) -> Result<String, Diagnostic> {
    let split = frontmatter::split(path, text)?;
    if split.body_line == 1 {
        // No front matter yet: the fields go on top of the text, which stays as it is.
        let (bom, rest) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text),
        };
        return Ok(format!(
            "{bom}{}{rest}",
            new_note(None, title, meta, None, &[])
        ));
    }
    let yaml = split.yaml;
    if !yaml.trim().is_empty()
        && let Err(e) = yaml_serde::from_str::<yaml_serde::Value>(yaml)
    {
        return Err(frontmatter::yaml_diagnostic(
            path,
            split.yaml_line - 1,
            split.yaml,
            &e,
        ));
    }
    let eol = if yaml.contains("\r\n") || text.contains("---\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let new: BTreeMap<&str, String> = blocks(title, meta, eol).into_iter().collect();
    // The old values, when the note reads: a field whose value has not changed is not rewritten.
    let old: BTreeMap<&str, String> = match note::parse(NoteKind::Source, key, path, text).0 {
        Some(n) => n
            .source
            .as_ref()
            .map(|m| blocks(&n.title, m, eol).into_iter().collect())
            .unwrap_or_default(),
        None => BTreeMap::new(),
    };
    let mut chunks = chunks(yaml, &new, &old);
    add_missing(&mut chunks, &new);
    let new_yaml: String = chunks.into_iter().map(|(_, t)| t).collect();
    let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let new_yaml = if !new_yaml.is_empty() && !new_yaml.ends_with('\n') {
        format!("{new_yaml}{eol}")
    } else {
        new_yaml
    };
    Ok(format!(
        "{}{new_yaml}{}",
        &text[..start],
        &text[start + yaml.len()..]
    ))
}

/// The front matter as chunks: each top-level field with its lines (without the blank and
/// comment lines that follow it), and the lines between fields. A bibliographic field is
/// rewritten as `new` has it unless its value is the same as `old`'s, or removed when `new`
/// has none; every other field keeps its lines.
fn chunks<'y>(
    yaml: &'y str,
    new: &BTreeMap<&str, String>,
    old: &BTreeMap<&str, String>,
) -> Vec<(Option<&'y str>, String)> {
    let bibliographic: HashSet<&str> = SOURCE.iter().map(|f| f.name).collect();
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let keys = top_level_keys(yaml);
    let mut chunks: Vec<(Option<&str>, String)> = Vec::new();
    let mut next = 0;
    for (n, (start, name)) in keys.iter().enumerate() {
        let end = keys.get(n + 1).map_or(lines.len(), |(l, _)| *l);
        let mut last = end;
        while last > start + 1 && is_between(lines[last - 1]) {
            last -= 1;
        }
        chunks.push((None, lines[next..*start].concat()));
        let own = lines[*start..last].concat();
        let kept = if bibliographic.contains(name) {
            match new.get(name) {
                None => String::new(),
                Some(block) if old.get(name) == Some(block) => own,
                Some(block) => block.clone(),
            }
        } else {
            own
        };
        chunks.push((Some(*name), kept));
        next = last;
    }
    chunks.push((None, lines[next..].concat()));
    chunks
}

/// Adds the fields of `new` the note did not have, each after the nearest one before it in
/// `gloss new`'s order (or before the first bibliographic field, or on top).
fn add_missing(chunks: &mut Vec<(Option<&str>, String)>, new: &BTreeMap<&str, String>) {
    let bibliographic: HashSet<&str> = SOURCE.iter().map(|f| f.name).collect();
    for (i, field) in SOURCE.iter().enumerate() {
        let Some(block) = new.get(field.name) else {
            continue;
        };
        if chunks.iter().any(|(k, _)| *k == Some(field.name)) {
            continue;
        }
        let before: Vec<&str> = SOURCE[..i].iter().map(|f| f.name).collect();
        let at = chunks
            .iter()
            .rposition(|(k, _)| k.is_some_and(|k| before.contains(&k)))
            .map(|p| p + 1)
            .or_else(|| {
                chunks
                    .iter()
                    .position(|(k, _)| k.is_some_and(|k| bibliographic.contains(k)))
            })
            .unwrap_or(0);
        chunks.insert(at, (Some(field.name), block.clone()));
    }
}

/// A line that belongs to no field: blank, or a comment at the start of the line.
fn is_between(line: &str) -> bool {
    line.trim().is_empty() || line.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{EntryType, Name, Year};

    fn meta() -> SourceMeta {
        SourceMeta {
            entry_type: EntryType::Article,
            authors: vec![Name::parse("Jabeen, M.").unwrap()],
            year: Year::Known(2009),
            container: Some("South Asian Studies".into()),
            volume: Some("24".into()),
            ..SourceMeta::default()
        }
    }

    const NOTE: &str = "---\ntype: article\ntitle: \"Either you are with us\"\nauthors:\n  - \"Jabeen, M.\"\n# my comment\nyear: 2009\nvolume: 24\ntags: [trust-deficit]   # themes\ndraft: true\nmood: curious\n---\nMy *annotation*,\nkept as it is.\n\n---\nEven after a rule.\n";

    #[test]
    fn unchanged_fields_keep_their_lines_and_the_rest_is_untouched() {
        let mut m = meta();
        m.container = None;
        let out = update("n.md", "k", NOTE, "Either you are with us", &m).unwrap();
        assert_eq!(out, NOTE);
    }

    #[test]
    fn changed_added_and_removed_fields() {
        let mut m = meta();
        m.volume = None;
        m.issue = Some("2".into());
        let out = update("n.md", "k", NOTE, "Either you are with us: a study", &m).unwrap();
        assert_eq!(
            out,
            "---\ntype: article\ntitle: \"Either you are with us: a study\"\nauthors:\n  - \"Jabeen, M.\"\n# my comment\nyear: 2009\ncontainer: \"South Asian Studies\"\nissue: \"2\"\ntags: [trust-deficit]   # themes\ndraft: true\nmood: curious\n---\nMy *annotation*,\nkept as it is.\n\n---\nEven after a rule.\n"
        );
    }

    #[test]
    fn crlf_notes_get_crlf_lines_and_a_note_without_front_matter_gets_one() {
        let crlf = NOTE.replace('\n', "\r\n");
        let mut m = meta();
        m.pages = Some("1–10".into());
        let out = update("n.md", "k", &crlf, "Either you are with us", &m).unwrap();
        assert!(out.contains("pages: \"1–10\"\r\n"), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let bare = "Just text.\n";
        let out = update("n.md", "k", bare, "T", &m).unwrap();
        assert!(
            out.starts_with("---\ntype: article\ntitle: \"T\"\n"),
            "{out}"
        );
        assert!(out.ends_with("---\nJust text.\n"), "{out}");
    }

    #[test]
    fn broken_yaml_is_an_error_not_a_rewrite() {
        let text = "---\ntitle: [unclosed\n---\nbody\n";
        let err = update("n.md", "k", text, "T", &meta()).unwrap_err();
        assert_eq!(err.path, "n.md");
        assert!(err.line >= 2, "{err}");
    }
}
