//! What the biblatex crate would read otherwise than LaTeX and biber do, taken from the file's
//! own text: a tie (`~`) is a no-break space in prose (the crate keeps it, as it keeps the `~`
//! of `\textasciitilde`, so the two could not be told apart after it), and a verbatim field
//! (`url`, `doi`, `eprint`) is its characters as written (the crate makes `---` an em dash,
//! which breaks a link).

use std::borrow::Cow;

use biblatex::{Chunk, RawBibliography, RawChunk, RawEntry, Spanned};

/// Fields read verbatim by biblatex (its data model's `verbatim` and `uri` fields gloss reads).
pub(super) const VERBATIM: &[&str] = &["url", "doi", "eprint", "urlraw", "uri"];

/// Stands for a tie while the crate reads the text (it makes every space, a no-break space too,
/// a plain one): a private-use character, one for one, so every line and column stays true.
const TIE: char = '\u{e000}';

/// The text with every tie in a prose field's value (a `~` not after a backslash) marked, for
/// [`set_verbatim`] to make a no-break space once the crate has read it.
pub(super) fn with_ties(text: &str) -> Cow<'_, str> {
    if !text.contains('~') {
        return Cow::Borrowed(text);
    }
    let Ok(raw) = RawBibliography::parse(text) else {
        return Cow::Borrowed(text);
    };
    let mut ties = Vec::new();
    for entry in &raw.entries {
        for pair in &entry.v.fields {
            if VERBATIM.contains(&pair.key.v.to_ascii_lowercase().as_str()) {
                continue;
            }
            for chunk in &pair.value.v {
                let RawChunk::Normal(s) = chunk.v else {
                    continue;
                };
                let start = chunk.span.start;
                let Some(here) = text.get(start..start + s.len()).filter(|t| *t == s) else {
                    continue;
                };
                let bytes = here.as_bytes();
                for (i, b) in bytes.iter().enumerate() {
                    if *b == b'~' && (i == 0 || bytes[i - 1] != b'\\') {
                        ties.push(start + i);
                    }
                }
            }
        }
    }
    if ties.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + ties.len());
    let mut last = 0;
    for at in ties {
        out.push_str(&text[last..at]);
        out.push(TIE);
        last = at + 1;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The verbatim fields of a raw entry, each as written (braces and the line breaks of a wrapped
/// value taken out); a value made of @string macros is left to the crate.
pub(super) fn verbatim_fields(entry: &RawEntry<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for pair in &entry.fields {
        let name = pair.key.v.to_ascii_lowercase();
        if !VERBATIM.contains(&name.as_str()) {
            continue;
        }
        let mut value = String::new();
        for chunk in &pair.value.v {
            match chunk.v {
                RawChunk::Normal(s) => value.push_str(s),
                RawChunk::Abbreviation(_) => {
                    value.clear();
                    break;
                }
            }
        }
        let value: String = value
            .chars()
            .filter(|c| !matches!(c, '{' | '}'))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !value.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// Puts the verbatim values into the crate's entry, in place of its reading of them, and makes
/// the marked ties no-break spaces.
pub(super) fn set_verbatim(entry: &mut biblatex::Entry, fields: Vec<(String, String)>) {
    for chunks in entry.fields.values_mut() {
        for chunk in chunks.iter_mut() {
            if let Chunk::Normal(s) | Chunk::Verbatim(s) | Chunk::Math(s) = &mut chunk.v
                && s.contains(TIE)
            {
                *s = s.replace(TIE, "\u{a0}");
            }
        }
    }
    for (name, value) in fields {
        entry.set(&name, vec![Spanned::detached(Chunk::Verbatim(value))]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_in_prose_become_no_break_spaces_and_nothing_else_moves() {
        let text = "@book{a~b,\n  title = {Les~quais \\~{n} x\\textasciitilde{}y},\n  url = {https://x.org/~me}\n}\n";
        let tied = with_ties(text);
        assert!(tied.contains("title = {Les\u{e000}quais \\~{n} x\\textasciitilde{}y}"));
        assert!(tied.contains("@book{a~b,"), "{tied}");
        assert!(tied.contains("https://x.org/~me"), "{tied}");
        assert_eq!(tied.chars().count(), text.chars().count());
    }

    #[test]
    fn verbatim_fields_are_read_as_written() {
        let text = "@misc{a,\n  url = {https://x.org/a---b--c/{d}},\n  doi = {10.1/x--y},\n  title = {T---U}\n}\n";
        let raw = RawBibliography::parse(text).unwrap();
        assert_eq!(
            verbatim_fields(&raw.entries[0].v),
            [
                ("url".to_string(), "https://x.org/a---b--c/d".to_string()),
                ("doi".to_string(), "10.1/x--y".to_string()),
            ]
        );
    }
}
