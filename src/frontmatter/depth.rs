//! How deep `[…]` and `{…}` nest in front matter, found in one pass before YAML reads it.

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
    use super::*;

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
}
