//! Splits a note into its YAML front matter and body, and maps YAML errors to file positions.

use crate::error::Diagnostic;

/// A note split at its `---` fences. Line numbers are 1-based positions in the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences ("" when the note has no front matter).
    pub yaml: &'a str,
    /// The file line on which `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_line: usize,
}

/// Splits `text` at its front-matter fences. A note that does not start with `---` has none.
pub(crate) fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = strip_fence(text) else {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for (line, raw_line) in (2..).zip(after_open.split_inclusive('\n')) {
        let trimmed = raw_line.trim_end_matches(['\n', '\r']).trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + raw_line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "front matter opened with `---` is never closed: add a line `---` after the last field",
    ))
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Turns a YAML error in `yaml` into a diagnostic at the right file line (`line_offset` is the
/// file line of the YAML's first line, minus one; 0 for a whole-file YAML such as site.yaml).
/// The position comes from the error's byte offset: YAML also breaks lines at a lone `\r`, NEL,
/// LS and PS, so its own line numbers are not the file's.
pub(crate) fn yaml_diagnostic(
    path: &str,
    line_offset: usize,
    yaml: &str,
    err: &yaml_serde::Error,
) -> Diagnostic {
    let (line, col) = err.location().map_or((line_offset.max(1), 0), |l| {
        let (line, col) = crate::error::line_col(yaml, l.index());
        (line + line_offset, col)
    });
    // A note's YAML is its front matter (and says so); site.yaml is YAML throughout.
    let message = match line_offset {
        0 => yaml_message(err),
        _ => format!("front matter: {}", yaml_message(err)),
    };
    Diagnostic::error(path, line, col, message)
}

/// The YAML error's message without its trailing " at line N column M".
fn yaml_message(err: &yaml_serde::Error) -> String {
    let msg = err.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// The top-level keys of a YAML mapping with their 0-based line inside the YAML text.
/// A light textual scan: keys start at column 0 and are followed by `:`.
pub(crate) fn top_level_keys(yaml: &str) -> Vec<(usize, &str)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let first = line.chars().next()?;
            if !(first.is_ascii_alphanumeric() || first == '_') {
                return None;
            }
            let colon = line.find(':')?;
            let key = line[..colon].trim_end();
            key.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                .then_some((i, key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fences_and_keeps_line_numbers() {
        let s = split("a.md", "---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(
            (s.yaml, s.yaml_line, s.body, s.body_line),
            ("title: x\n", 2, "body\n", 4)
        );
    }

    #[test]
    fn a_later_rule_in_the_body_is_not_front_matter() {
        let s = split("a.md", "---\na: 1\n---\ntext\n\n---\n\nmore").unwrap();
        assert_eq!((s.yaml, s.body), ("a: 1\n", "text\n\n---\n\nmore"));
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_front_matter_is_allowed() {
        let s = split("a.md", "# Hello").unwrap();
        assert_eq!((s.yaml, s.body), ("", "# Hello"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split("content/x.md", "---\ntitle: x\nbody").unwrap_err();
        assert_eq!((d.line, d.col), (1, 1));
    }

    #[test]
    fn yaml_errors_are_placed_on_file_lines() {
        // A lone `\r` and U+2028 break YAML lines, not the file's.
        for yaml in ["a: 1\rb: [\n@", "a: \"x\u{2028}y\"\n@"] {
            let err = yaml_serde::from_str::<yaml_serde::Value>(yaml).unwrap_err();
            let d = yaml_diagnostic("a.md", 1, yaml, &err);
            assert_eq!((d.line, d.col), (3, 1), "{yaml:?}: {d}");
        }
    }

    #[test]
    fn finds_top_level_keys() {
        assert_eq!(
            top_level_keys("a: 1\n  b: 2\n- c\nd-e :\n"),
            vec![(0, "a"), (3, "d-e")]
        );
    }
}
