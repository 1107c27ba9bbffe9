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
        0 => yaml_message(err, 0),
        _ => format!("front matter: {}", yaml_message(err, line_offset)),
    };
    Diagnostic::error(path, line, col, message)
}

/// The YAML error's message in file lines: its " at line N column M" counts within the YAML, so
/// the position the diagnostic is located at is dropped (the label says it) and any other is
/// given as the file's line.
fn yaml_message(err: &yaml_serde::Error, line_offset: usize) -> String {
    let at = err.location().map(|l| l.line());
    let message = err.to_string();
    if message.starts_with("recursion limit exceeded") {
        return "lists and maps are nested here more than 128 deep: gloss reads no deeper".into();
    }
    file_lines(&message, line_offset, at)
}

fn file_lines(msg: &str, line_offset: usize, located: Option<usize>) -> String {
    const AT: &str = " at line ";
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line: Option<usize> = after[..digits].parse().ok();
        let mut tail = &after[digits..];
        if let Some(r) = tail.strip_prefix(" column ") {
            tail = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        match line {
            Some(l) if Some(l) != located => out.push_str(&format!("{AT}{}", l + line_offset)),
            Some(_) => {}
            None => out.push_str(AT),
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
    fn key_line(&self, name: &str) -> Option<usize> {
        self.keys.iter().find(|(_, k)| *k == name).map(|(l, _)| *l)
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

/// The YAML with every top-level plain value that holds `: ` quoted, as the Citations plugin's
/// `title: Trust: A History` means it, and the 0-based lines it quoted; `None` when no line
/// needs it. Only for YAML that failed to parse: valid YAML is never rewritten.
pub(crate) fn quote_colon_values(yaml: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut quoted = Vec::new();
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let is_key = top_level_keys(body)
            .first()
            .is_some_and(|(_, k)| !k.is_empty());
        let repaired = is_key
            .then(|| body.split_once(':'))
            .flatten()
            .and_then(|(key, value)| {
                let v = value.trim();
                let plain = !v.is_empty()
                    && !v.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '#']);
                (plain && v.contains(": ")).then(|| {
                    let escaped = v.replace('\\', "\\\\").replace('"', "\\\"");
                    format!("{key}: \"{escaped}\"")
                })
            });
        match repaired {
            Some(line) => {
                out.push_str(&line);
                quoted.push(i);
            }
            None => out.push_str(body),
        }
        out.push_str(ending);
    }
    (!quoted.is_empty()).then_some((out, quoted))
}

/// How deep `[…]` and `{…}` may nest in YAML that gloss reads: the YAML parser takes time
/// growing with the square of the depth (40,000 levels, 14 s), and no note needs more than a few.
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// The byte offset of the first `[` or `{` nested more than [`MAX_FLOW_DEPTH`] deep in `yaml`,
/// if one is: read in one pass as YAML reads brackets (those in quoted text and comments are
/// text, as is one inside a plain value such as `title: a [b]`).
pub(crate) fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    // Where a value may start: a bracket or a quote there opens a collection or a quoted text.
    let mut value_start = true;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut after_space = true;
    for (i, c) in yaml.char_indices() {
        if comment {
            comment = c != '\n';
            value_start = c == '\n';
            continue;
        }
        if let Some(q) = quote {
            match c {
                '\\' if q == '"' && !escaped => escaped = true,
                c if c == q && !escaped => quote = None,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '#' if after_space => comment = true,
            '[' | '{' if value_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
                value_start = true;
            }
            ']' | '}' if depth > 0 => depth -= 1,
            '"' | '\'' if value_start => quote = Some(c),
            ':' | '-' | '?' | ',' | '\n' => value_start = true,
            ' ' | '\t' | '\r' => {}
            _ => value_start = false,
        }
        after_space = matches!(c, ' ' | '\t' | '\n' | '\r');
    }
    None
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn brackets_nested_too_deep_are_found_in_one_pass() {
        let nested = |n: usize| format!("title: x\ntags: {}a{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep(&nested(100_000)), Some(15 + 64));
        assert_eq!(too_deep(&nested(64)), None);
        let maps = format!("tags: {}x{}\n", "{a: ".repeat(65), "}".repeat(65));
        assert!(too_deep(&maps).is_some());
        // Brackets in quoted text, comments and plain values are text.
        let quoted = format!(
            "title: \"{0}\"\nsub: '{0}'\n# {0}\nnote: it's {0}\n",
            "[".repeat(100)
        );
        assert_eq!(too_deep(&quoted), None);
        assert_eq!(too_deep("a: [\"[[\\\"\", 'it''s [', b]\n"), None);
    }

    use super::*;

    /// The message gives positions as file lines and does not repeat the one it is located at:
    /// "11:1 … at line 10" read as two places.
    #[test]
    fn yaml_positions_are_file_lines() {
        assert_eq!(
            file_lines(
                "found unexpected end of stream at line 13 column 1, while scanning a quoted scalar",
                1,
                Some(13)
            ),
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(
            file_lines(
                "did not find expected ',' or ']' at line 5 column 5, while parsing a flow sequence at line 3 column 10",
                1,
                Some(5)
            ),
            "did not find expected ',' or ']', while parsing a flow sequence at line 4"
        );
        assert_eq!(file_lines("no position", 1, None), "no position");
    }

    #[test]
    fn unquoted_colons_in_values_are_quoted() {
        let (fixed, lines) =
            quote_colon_values("title: Trust: A \"History\"\nyear: 2020\nurl: https://e.org\n")
                .unwrap();
        assert_eq!(
            fixed,
            "title: \"Trust: A \\\"History\\\"\"\nyear: 2020\nurl: https://e.org\n"
        );
        assert_eq!(lines, [0]);
        assert!(quote_colon_values("title: \"Fine: quoted\"\n").is_none());
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
