//! Front-matter fields gloss does not know: the writer's own, passed without a word, unless
//! plainly a misspelling of one gloss reads.

use crate::error::Diagnostic;
use crate::frontmatter::FieldLines;
use crate::note::NoteKind;

/// Warns of a field gloss does not know that is plainly a misspelling of one it reads
/// (`volumne`, `public`). Other unknown fields are the writer's own (Obsidian notes carry many:
/// `created-at`, `status`, `hp`) and pass without a word. The warnings of one field name are one
/// line across the site (see `build::load`): their message is the same in every note.
pub(crate) fn warn_of_unknown(
    kind: NoteKind,
    path: &str,
    lines: &FieldLines,
    diags: &mut Vec<Diagnostic>,
) {
    let known = super::known(kind);
    let read = super::read(kind);
    for (line, name) in lines.keys() {
        if known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            continue;
        }
        if let Some(s) = misspelt(name, &read) {
            diags.push(
                Diagnostic::warning(
                    path,
                    lines.file_line(*line),
                    1,
                    format!("unknown front-matter field `{name}` is ignored (did you mean `{s}`?)"),
                )
                .in_family(UNKNOWN_FIELD),
            );
        }
    }
}

/// The family of the warnings about unknown fields, summed up by field name.
pub(crate) const UNKNOWN_FIELD: &str = "unknown front-matter field";

/// The field `name` is plainly a misspelling of: one edit away (two for names of six letters or
/// more), `-` and `_` alike. `name` is not `date`, nor `stats` `tags`.
fn misspelt<'a>(name: &str, fields: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace('-', "_");
    let wrong = norm(name);
    let allowed = if wrong.chars().count() >= 6 { 2 } else { 1 };
    fields
        .iter()
        .map(|f| (strsim::damerau_levenshtein(&wrong, &norm(f)), *f))
        .filter(|(d, _)| *d <= allowed)
        .min()
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_misspellings_are_suggested() {
        let fields = ["publish", "tags", "date", "volume", "publisher_place"];
        assert_eq!(misspelt("public", &fields), Some("publish"));
        assert_eq!(misspelt("volumne", &fields), Some("volume"));
        assert_eq!(
            misspelt("publisher-place", &fields),
            Some("publisher_place")
        );
        for own in ["name", "stats", "created-at", "createdAt", "hp", "status"] {
            assert_eq!(misspelt(own, &fields), None, "{own}");
        }
    }
}
