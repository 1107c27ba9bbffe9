//! YAML's and serde's error messages said in gloss's words, with what to do next: a user never
//! reads "while scanning a tag" or "did not match any variant of untagged enum OneOrMany".

/// The message of a YAML error (its positions already taken out) in gloss's words.
pub(crate) fn explain(message: &str) -> String {
    let (field, problem) = split_field(message);
    let said = typed(field, problem).unwrap_or_else(|| syntax(problem).to_string());
    match field {
        Some(field) if !said.contains(&format!("`{field}`")) => format!("`{field}`: {said}"),
        _ => said,
    }
}

/// `strict: invalid type: …` → the field the message is about, and the rest.
fn split_field(message: &str) -> (Option<&str>, &str) {
    if let Some((field, rest)) = message.split_once(": ")
        && !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
        && !SYNTAX.iter().any(|(phrase, _)| field.contains(phrase))
        && !matches!(field, "invalid type" | "invalid value" | "unknown variant")
    {
        return (Some(field), rest);
    }
    (None, message)
}

/// A problem with a value's kind or name (serde's messages).
fn typed(field: Option<&str>, problem: &str) -> Option<String> {
    if let Some(rest) = problem
        .strip_prefix("invalid type: ")
        .or_else(|| problem.strip_prefix("invalid value: "))
    {
        let (got, want) = rest.split_once(", expected ")?;
        let whole = want.starts_with("struct ");
        if whole && field.is_none() {
            return Some(format!(
                "holds {} where a list of fields (`key: value` lines) is expected",
                kind(got)
            ));
        }
        return Some(format!(
            "is {} where {} is expected",
            kind(got),
            wanted(want)
        ));
    }
    if let Some(rest) = problem.strip_prefix("unknown field ") {
        let (name, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let known: Vec<&str> = want
            .trim_start_matches("one of ")
            .split([',', ' '])
            .map(|w| w.trim_matches('`'))
            .filter(|w| !w.is_empty() && *w != "or")
            .collect();
        let guess = crate::suggest::closest(name.trim_matches('`'), known.iter().copied());
        return Some(match (guess, want) {
            (_, "") => format!("unknown field {name}"),
            (Some(guess), _) => format!(
                "unknown field {name} (did you mean `{guess}`?): the fields are {}",
                choices(want)
            ),
            (None, _) => format!("unknown field {name}: the fields are {}", choices(want)),
        });
    }
    if let Some(rest) = problem.strip_prefix("unknown variant ") {
        let (name, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Some(format!("{name} is not one of {}", choices(want)));
    }
    if let Some(name) = problem.strip_prefix("missing field ") {
        return Some(format!("missing required field {name}"));
    }
    if problem.starts_with("data did not match any variant") {
        return Some("holds a value of a kind this field cannot have".to_string());
    }
    if let Some(key) = problem.strip_prefix("duplicate entry with key ") {
        return Some(format!(
            "the field `{}` is given twice: keep one",
            key.trim_matches('"')
        ));
    }
    None
}

/// What serde says a value was, as a user wrote it.
fn kind(got: &str) -> String {
    let got = got.trim();
    for (prefix, what) in [
        ("string ", ""),
        ("boolean ", ""),
        ("integer ", ""),
        ("floating point ", ""),
        ("character ", ""),
    ] {
        if let Some(value) = got.strip_prefix(prefix) {
            return format!("{what}{}", value.trim_matches('`'));
        }
    }
    match got {
        "sequence" => "a list".to_string(),
        "map" => "a map (`key: value` lines, or `{…}`)".to_string(),
        "unit" | "null" => "empty".to_string(),
        other => other.to_string(),
    }
}

/// What serde says was expected, as a user would write it.
fn wanted(want: &str) -> String {
    let want = want.trim();
    match want {
        "a boolean" => "true or false".to_string(),
        "a string" | "a string or a number" => "a text".to_string(),
        "a sequence" => "a list".to_string(),
        "i64" | "u64" | "i32" | "u32" | "usize" | "an integer" => "a whole number".to_string(),
        w if w.starts_with("struct ") || w.starts_with("a map") => {
            "fields (`key: value` lines)".to_string()
        }
        w if w.starts_with("enum ") => "one of the allowed values".to_string(),
        w => w.to_string(),
    }
}

/// "`all` or `explicit`", "one of `a`, `b`" → "`all` or `explicit`", "`a`, `b`".
fn choices(want: &str) -> String {
    want.trim_start_matches("one of ").to_string()
}

/// libyaml's phrases, and what each means for someone writing front matter or `site.yaml`.
const SYNTAX: [(&str, &str); 17] = [
    ("duplicate entry", "a field is given twice: keep one"),
    (
        "recursion limit exceeded",
        "lists and maps are nested here more than 128 deep: gloss reads no deeper",
    ),
    (
        "mapping values are not allowed",
        "a `:` stands where YAML expects none: put a value holding `: ` in quotes, and indent the lines of one field alike",
    ),
    (
        "cannot start any token",
        "a value starting with `@`, a backtick or `%` must be in quotes",
    ),
    (
        "unknown anchor",
        "a value starting with `*` must be in quotes (YAML reads it as a reference)",
    ),
    (
        "found undefined alias",
        "a value starting with `*` must be in quotes (YAML reads it as a reference)",
    ),
    (
        "scanning a tag",
        "a value starting with `!` must be in quotes (YAML reads it as a type)",
    ),
    (
        "undefined tag handle",
        "a value starting with `!` must be in quotes (YAML reads it as a type)",
    ),
    (
        "scanning a quoted scalar",
        "a quote is opened and never closed: close it, or write the value without it",
    ),
    (
        "expected ',' or ']'",
        "a list in `[…]` is never closed, or an item holds `[`, `]` or `,`: close it, or put the items in quotes",
    ),
    (
        "expected ',' or '}'",
        "a `{` opens a map that is never closed: put a value starting with `{` (a template placeholder such as `{{date}}`) in quotes",
    ),
    (
        "tab character",
        "a tab indents this line: YAML indents with spaces only",
    ),
    (
        "expected key",
        "this line neither continues the field above it nor starts one (`key: value`): indent the lines of one field alike, or put the value in quotes",
    ),
    (
        "expected ':'",
        "a field's name must be followed by `:` (`key: value`)",
    ),
    (
        "expected '-' indicator",
        "a list item is not indented like the items before it",
    ),
    (
        "unexpected end of stream",
        "the fields end inside a value: close its quotes or brackets",
    ),
    (
        "limit exceeded",
        "it nests or repeats values too deeply to be read: write it plainly",
    ),
];

/// A syntax error's meaning; the general one when libyaml's phrase is not known.
fn syntax(problem: &str) -> &'static str {
    SYNTAX
        .iter()
        .find(|(phrase, _)| problem.contains(phrase))
        .map_or(
            "is not valid YAML here: check its quotes, colons and indentation (a value holding `: `, or starting with `{`, `[`, `!`, `@` or `*`, goes in quotes)",
            |(_, said)| said,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages of the issue, and every kind of message a user could see, in gloss's words.
    #[test]
    fn no_library_wording_reaches_a_user() {
        let cases = [
            (
                "strict: invalid type: string \"maybe\", expected a boolean",
                "`strict`: is \"maybe\" where true or false is expected",
            ),
            (
                "unknown field `theem`, expected one of `title`, `theme`",
                "unknown field `theem` (did you mean `theme`?): the fields are `title`, `theme`",
            ),
            (
                "publish: unknown variant `some`, expected `all` or `explicit`",
                "`publish`: `some` is not one of `all` or `explicit`",
            ),
            (
                "invalid type: sequence, expected struct RawConfig",
                "holds a list where a list of fields (`key: value` lines) is expected",
            ),
            (
                "data did not match any variant of untagged enum OneOrMany",
                "holds a value of a kind this field cannot have",
            ),
            (
                "did not find expected whitespace or line break, while scanning a tag",
                "a value starting with `!` must be in quotes (YAML reads it as a type)",
            ),
            (
                "duplicate entry with key \"title\"",
                "the field `title` is given twice: keep one",
            ),
        ];
        for (yaml, gloss) in cases {
            assert_eq!(explain(yaml), gloss);
        }
        for words in ["untagged enum", "struct", "scanning", "scalar", "serde"] {
            for (yaml, _) in cases {
                assert!(!explain(yaml).contains(words), "{yaml}: {}", explain(yaml));
            }
        }
        assert!(explain("something libyaml says").starts_with("is not valid YAML"));
    }
}
