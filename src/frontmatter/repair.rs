//! Front matter as vaults write it, read as its writer meant it: unrun template placeholders
//! (`{{title}}`, which YAML would read as a map) and, in YAML that does not parse, plain values
//! YAML cannot hold unquoted (`title: Trust: A History`, `title: !Important`), put in quotes.
//! Lines are never added or removed, so every position stays the file's.

/// Why a value was put in quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoted {
    /// An unrun template placeholder (`{{title}}`): quoted always, as YAML would read a map.
    Placeholder,
    /// A value YAML refuses unquoted: quoted only when the YAML does not parse otherwise.
    Invalid(&'static str),
}

/// The YAML with its template placeholders quoted (`every`: also each value YAML refuses
/// unquoted), and the 0-based lines quoted with why; `None` when no line needed it.
pub(crate) fn quote_values(yaml: &str, every: bool) -> Option<(String, Vec<(usize, Quoted)>)> {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut quoted = Vec::new();
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        match value_of(body).and_then(|(at, value, key)| Some((at, value, why(value, key, every)?)))
        {
            Some((at, value, why)) => {
                let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                out.push_str(&format!("{}\"{escaped}\"", &body[..at]));
                quoted.push((i, why));
            }
            None => out.push_str(body),
        }
        out.push_str(ending);
    }
    (!quoted.is_empty()).then_some((out, quoted))
}

/// A line's plain value: its byte offset, the value (trimmed) and whether it is a field's
/// (`key: value`) rather than a list item's (`- value`).
fn value_of(line: &str) -> Option<(usize, &str, bool)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let (start, key) = if let Some(item) = rest.strip_prefix("- ") {
        (indent + 2 + (item.len() - item.trim_start().len()), false)
    } else {
        let is_key = indent == 0
            && super::top_level_keys(line)
                .first()
                .is_some_and(|(_, k)| !k.is_empty());
        if !is_key {
            return None;
        }
        let colon = line.find(':')?;
        let after = &line[colon + 1..];
        if !after.is_empty() && !after.starts_with([' ', '\t']) {
            return None;
        }
        (colon + 1 + (after.len() - after.trim_start().len()), true)
    };
    let value = line[start..].trim_end();
    (!value.is_empty()).then_some((start, value, key))
}

/// Why a plain value must be quoted, if it must.
fn why(value: &str, key: bool, every: bool) -> Option<Quoted> {
    if value.starts_with(['"', '\'', '[', '|', '>', '#']) {
        return None;
    }
    if value.starts_with("{{") {
        return Some(Quoted::Placeholder);
    }
    if !every || value.starts_with('{') {
        return None;
    }
    let start = ["!", "@", "`", "%", "*", "&"]
        .into_iter()
        .find(|c| value.starts_with(c));
    match start {
        Some("!") => Some(Quoted::Invalid("starts with `!`")),
        Some("@") => Some(Quoted::Invalid("starts with `@`")),
        Some("`") => Some(Quoted::Invalid("starts with a backtick")),
        Some("%") => Some(Quoted::Invalid("starts with `%`")),
        Some(_) => Some(Quoted::Invalid("starts with `*` or `&`")),
        None if key && value.contains(": ") => Some(Quoted::Invalid("holds `: `")),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_colons_in_values_are_quoted() {
        let (fixed, lines) = quote_values(
            "title: Trust: A \"History\"\nyear: 2020\nurl: https://e.org\n",
            true,
        )
        .unwrap();
        assert_eq!(
            fixed,
            "title: \"Trust: A \\\"History\\\"\"\nyear: 2020\nurl: https://e.org\n"
        );
        assert_eq!(lines, [(0, Quoted::Invalid("holds `: `"))]);
        assert!(quote_values("title: \"Fine: quoted\"\n", true).is_none());
    }

    #[test]
    fn placeholders_are_quoted_always_and_other_values_only_when_asked() {
        let yaml = "title: {{title}}\ncreated: {{date}}T{{time}}\ntags:\n  - {{tag}}\n  - a: b\nname: !Boss\nlink: [[x]]\n";
        let (fixed, lines) = quote_values(yaml, false).unwrap();
        assert_eq!(
            fixed,
            "title: \"{{title}}\"\ncreated: \"{{date}}T{{time}}\"\ntags:\n  - \"{{tag}}\"\n  - a: b\nname: !Boss\nlink: [[x]]\n"
        );
        assert_eq!(lines.len(), 3);
        let (fixed, _) = quote_values(yaml, true).unwrap();
        assert!(fixed.contains("name: \"!Boss\"\n"), "{fixed}");
        // A map item's `: ` is YAML's own.
        assert!(fixed.contains("  - a: b\n"), "{fixed}");
    }
}
