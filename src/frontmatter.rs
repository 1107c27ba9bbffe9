//! Splits a note into its YAML front matter and body, and maps YAML errors to file positions,
//! said in gloss's words ([`words`]); values vaults write that YAML cannot read are quoted first
//! ([`repair`]).

mod depth;
mod repair;
mod words;

pub(crate) use depth::{MAX_FLOW_DEPTH, too_deep};
pub(crate) use repair::{Quoted, quote_values};

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
/// file line of the YAML's first line, minus one; 0 for a whole-file YAML such as site.yaml), in
/// gloss's words. It is placed where the construct at fault starts when YAML says (the quote
/// never closed, the list never ended), else where YAML stopped. The position comes from byte
/// offsets: YAML also breaks lines at a lone `\r`, NEL, LS and PS, so its own line numbers are
/// not the file's.
pub(crate) fn yaml_diagnostic(
    path: &str,
    line_offset: usize,
    yaml: &str,
    err: &yaml_serde::Error,
) -> Diagnostic {
    let (line, col) = yaml_position(yaml, err).map_or((line_offset.max(1), 0), |(line, col)| {
        (line + line_offset, col)
    });
    let message = words::explain(&without_positions(&err.to_string()));
    // A note's YAML is its front matter (and says so); site.yaml is YAML throughout.
    let message = match line_offset {
        0 => message,
        _ => format!("front matter: {message}"),
    };
    Diagnostic::error(path, line, col, message)
}

/// Where in `yaml` (1-based line and column) the error is: the start of the construct it is
/// in (`while scanning a quoted scalar at line 1 column 8`), else where YAML stopped.
pub(crate) fn yaml_position(yaml: &str, err: &yaml_serde::Error) -> Option<(usize, usize)> {
    let problem = err.location()?;
    let text = err.to_string();
    let context = text
        .split_once(", while ")
        .and_then(|(_, context)| position_in(context));
    let index = context
        .and_then(|(line, col)| yaml_index(yaml, line, col))
        .unwrap_or(problem.index());
    Some(crate::error::line_col(yaml, index.min(yaml.len())))
}

/// The byte offset of YAML's 1-based line and column, counting lines as YAML does (a lone `\r`,
/// NEL, LS and PS break lines too).
fn yaml_index(yaml: &str, line: usize, col: usize) -> Option<usize> {
    let mut at_line = 1;
    let mut chars = yaml.char_indices().peekable();
    let mut start = 0;
    while at_line < line {
        let (i, c) = chars.next()?;
        let breaks = match c {
            '\r' => chars.peek().is_none_or(|(_, n)| *n != '\n'),
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => true,
            _ => false,
        };
        if breaks {
            at_line += 1;
            start = i + c.len_utf8();
        }
    }
    let offset = yaml[start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(yaml.len() - start, |(i, _)| i);
    Some(start + offset)
}

/// ` at line N column M` in a YAML message: (N, M).
fn position_in(text: &str) -> Option<(usize, usize)> {
    let rest = text.split_once(" at line ")?.1;
    let (line, rest) = rest.split_once(" column ")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    Some((line.trim().parse().ok()?, rest[..digits].parse().ok()?))
}

/// A YAML message without its ` at line N column M` positions (the diagnostic is placed).
fn without_positions(msg: &str) -> String {
    const AT: &str = " at line ";
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        let mut tail = after.trim_start_matches(|c: char| c.is_ascii_digit());
        if let Some(r) = tail.strip_prefix(" column ") {
            tail = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        rest = tail;
    }
    out.push_str(rest);
    out
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

/// Where the top-level fields of a note's front matter are, in file lines, for placing a
/// problem on the line that holds it.
pub(crate) struct FieldLines<'a> {
    yaml: &'a str,
    /// The file line of the YAML's first line, minus one.
    line_offset: usize,
    /// The top-level keys with their 0-based lines in the YAML ([`top_level_keys`]).
    keys: Vec<(usize, &'a str)>,
}

impl<'a> FieldLines<'a> {
    pub(crate) fn new(yaml: &'a str, line_offset: usize) -> FieldLines<'a> {
        FieldLines {
            yaml,
            line_offset,
            keys: top_level_keys(yaml),
        }
    }

    /// The 0-based line in the YAML of `name` written as a plain key at the start of a line;
    /// `None` when it is absent or written otherwise (in a flow mapping, as a quoted key).
    /// A key written with other capitals (`Title`, `Aliases`) is found when the exact one is not.
    fn key_line(&self, name: &str) -> Option<usize> {
        let exact = self.keys.iter().find(|(_, k)| *k == name);
        exact
            .or_else(|| self.keys.iter().find(|(_, k)| k.eq_ignore_ascii_case(name)))
            .map(|(l, _)| *l)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.key_line(name).is_some()
    }

    /// The file line of a line of the YAML.
    pub(crate) fn file_line(&self, yaml_line: usize) -> usize {
        yaml_line + 1 + self.line_offset
    }

    /// The file line of a field (the opening fence's when it is not found).
    pub(crate) fn line(&self, name: &str) -> usize {
        self.key_line(name).map_or(1, |l| self.file_line(l))
    }

    /// The file line of the first line holding `text` at or after field `name`'s own, or from
    /// the top when the field's line is not known: the line of one item of a list field.
    pub(crate) fn item_line(&self, name: &str, text: &str) -> usize {
        let from = self.key_line(name).unwrap_or(0);
        self.yaml
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| l.contains(text))
            .map_or(self.line(name), |(i, _)| self.file_line(i))
    }

    /// The top-level keys with their 0-based lines in the YAML.
    pub(crate) fn keys(&self) -> &[(usize, &'a str)] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_lose_their_positions_and_are_placed_where_the_construct_starts() {
        assert_eq!(
            without_positions(
                "did not find expected ',' or ']' at line 5 column 5, while parsing a flow sequence at line 3 column 10"
            ),
            "did not find expected ',' or ']', while parsing a flow sequence"
        );
        let yaml = "year: 2020\ntitle: \"Trust\n";
        let err = yaml_serde::from_str::<yaml_serde::Value>(yaml).unwrap_err();
        let d = yaml_diagnostic("a.md", 1, yaml, &err);
        assert_eq!((d.line, d.col), (3, 8), "{d}");
        assert_eq!(
            d.message,
            "front matter: a quote is opened and never closed: close it, or write the value without it"
        );
    }

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
