//! A front matter's YAML, read as vaults write it: template placeholders quoted, values YAML
//! refuses unquoted read as text with a warning, YAML that cannot be read at all a warning (the
//! note is published without it); and YAML's values as the text their writer meant.

use std::borrow::Cow;

use yaml_serde::Value;

use crate::error::{Diagnostic, Level};
use crate::frontmatter::{self, Quoted, yaml_diagnostic};

/// The front matter as YAML reads it, the YAML it was read from (template placeholders and,
/// when it does not parse otherwise, values YAML refuses unquoted put in quotes: lines and
/// columns stay) and the warnings of reading it. YAML that does not parse even so is a warning
/// and no fields (the note is published without them), or the error that leaves the note out
/// when it `needs_fields`.
pub(super) fn read<'y>(
    path: &str,
    yaml: &'y str,
    line_offset: usize,
    needs_fields: bool,
) -> Result<(Value, Cow<'y, str>, Vec<Diagnostic>), Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok((Value::Null, Cow::Borrowed(yaml), Vec::new()));
    }
    if let Some(at) = frontmatter::too_deep(yaml) {
        let (line, col) = crate::error::line_col(yaml, at);
        let mut problem = Diagnostic::error(
            path,
            line + line_offset,
            col,
            format!(
                "front matter: lists and maps are nested here more than {} deep: gloss reads no deeper (is a `]` or `}}` missing?)",
                frontmatter::MAX_FLOW_DEPTH
            ),
        );
        if needs_fields {
            return Err(problem);
        }
        problem.level = Level::Warning;
        problem
            .message
            .push_str(" (the note is published without its front matter)");
        return Ok((Value::Null, Cow::Borrowed(yaml), vec![problem]));
    }
    let yaml: Cow<str> = match frontmatter::quote_values(yaml, false) {
        Some((text, _)) => Cow::Owned(text),
        None => Cow::Borrowed(yaml),
    };
    let e = match yaml_serde::from_str(&yaml) {
        Ok(value) => return Ok((value, yaml, Vec::new())),
        Err(e) => e,
    };
    let fixed = frontmatter::quote_values(&yaml, true)
        .and_then(|(text, lines)| Some((yaml_serde::from_str(&text).ok()?, text, lines)));
    let Some((value, text, lines)) = fixed else {
        let mut problem = yaml_diagnostic(path, line_offset, &yaml, &e);
        if needs_fields {
            return Err(problem);
        }
        problem.level = Level::Warning;
        problem
            .message
            .push_str(" (the note is published without its front matter)");
        let yaml = Cow::Owned(yaml.into_owned());
        return Ok((Value::Null, yaml, vec![problem]));
    };
    let at = frontmatter::yaml_position(&yaml, &e);
    let warnings = lines
        .into_iter()
        .filter_map(|(line, why)| match why {
            Quoted::Invalid(why) => Some((line, why)),
            Quoted::Placeholder => None,
        })
        .map(|(line, why)| {
            let col = match at {
                Some((l, c)) if l == line + 1 => c,
                _ => 1,
            };
            Diagnostic::warning(
                path,
                line + 1 + line_offset,
                col,
                format!("a value that {why} is not valid YAML unquoted; it was read as text: put it in quotes"),
            )
        })
        .collect();
    Ok((value, Cow::Owned(text), warnings))
}

/// `"Ortiz, Marta and Keller, Jon"` → both names, when every part is a `Family, Given` name; any
/// other text is one name (`Johnson and Johnson`).
pub(super) fn bibtex_names(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text.split(" and ").map(str::trim).collect();
    let all_names = parts.len() > 1 && parts.iter().all(|p| p.contains(',') && !p.contains('{'));
    match all_names {
        true => parts.into_iter().map(str::to_string).collect(),
        false => vec![text.to_string()],
    }
}

/// A value with its YAML tag taken off (`!!str x` is `x`).
pub(super) fn untagged(value: Value) -> Value {
    match value {
        Value::Tagged(tagged) => untagged(tagged.value),
        other => other,
    }
}

/// A value with a YAML tag read as the text its writer meant (`title: !Important news` reads
/// `!Important news`); YAML's own tags (`!!str`) are taken off.
pub(super) fn untagged_text(value: Value) -> Value {
    match value {
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            match scalar(&tagged.value) {
                Some(text) if !tag.starts_with("!!") => Value::String(format!("{tag} {text}")),
                _ => untagged(tagged.value),
            }
        }
        other => other,
    }
}

/// A scalar's text as written (`true`, `24`, `1.5`); `None` for null, a list or a map.
pub(super) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// A value's kind as a user would name it.
pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map (`key: value` lines or `{…}`)",
        Value::Null => "nothing",
        Value::Tagged(t) => kind_of(&t.value),
        _ => "a text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_author_strings_are_split_when_each_part_is_a_name() {
        assert_eq!(
            bibtex_names("Ortiz, Marta and Keller, Jon"),
            ["Ortiz, Marta", "Keller, Jon"]
        );
        assert_eq!(bibtex_names("Johnson and Johnson"), ["Johnson and Johnson"]);
    }

    #[test]
    fn front_matter_that_does_not_parse_is_a_warning_unless_fields_are_needed() {
        let yaml = "title: \"open\ntags: [a\n";
        let (value, _, warnings) = read("n.md", yaml, 1, false).unwrap();
        assert!(value.is_null());
        assert_eq!((warnings[0].line, warnings[0].col), (2, 8), "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .ends_with("(the note is published without its front matter)")
        );
        assert!(read("n.md", yaml, 1, true).unwrap_err().is_error());
    }
}
