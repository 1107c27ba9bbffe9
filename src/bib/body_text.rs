//! A library's abstracts and notes as the Markdown of a note's body that shows them as text:
//! CSL's rich-text subset (`<i>`, `<b>`, `<sup>`, `<sub>`, small capitals) becomes Markdown (or
//! the `<sup>`/`<sub>` Markdown lets through), and everything else that Markdown or gloss would
//! read as syntax — other tags, `*_[]<>` and the rest, `#tags`, `@citations`, `%% comments %%`,
//! `==highlights==`, `$math$`, a list or heading marker in front — is escaped.

/// The characters escaped with a backslash wherever they are (all ASCII punctuation, which
/// CommonMark lets a backslash escape).
const ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '@', '%', '=', '~', '$', '|', '!',
];

/// Pushes `c`, escaped if Markdown or gloss would read it as syntax.
fn push(out: &mut String, c: char) {
    if ESCAPED.contains(&c) {
        out.push('\\');
    }
    out.push(c);
}

/// The text with every special character escaped (see [`ESCAPED`]), for text that has no markup
/// of its own. `keep` characters are left as they are (the LaTeX reader's own syntax).
pub(crate) fn escaped_except(text: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep.contains(&c) {
            out.push(c);
        } else {
            push(&mut out, c);
        }
    }
    out
}

/// CSL-JSON rich text (an `abstract`, a `note`) as a paragraph of Markdown: `<i>`/`<em>` as
/// `*…*`, `<b>`/`<strong>` as `**…**`, `<sup>` and `<sub>` kept as those tags (the sanitiser
/// keeps them), `<span>` and `<sc>` as their text, whitespace collapsed; any other tag and every
/// special character shown as written.
pub(crate) fn from_csl(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some((markup, len)) = subset_tag(rest)
        {
            out.push_str(markup);
            rest = &rest[len..];
            continue;
        }
        push(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    leading_marker_escaped(&super::markup::collapse(&out))
}

/// The Markdown for the tag at the start of `text` when it is one of CSL's rich-text subset,
/// and the tag's length.
fn subset_tag(text: &str) -> Option<(&'static str, usize)> {
    let end = text.find('>')?;
    let inner = text[1..end].to_ascii_lowercase();
    let closing = inner.starts_with('/');
    let name = inner.trim_start_matches('/').split_whitespace().next()?;
    let markup = match (name, closing) {
        ("i" | "em", _) => "*",
        ("b" | "strong", _) => "**",
        ("sup", false) => "<sup>",
        ("sup", true) => "</sup>",
        ("sub", false) => "<sub>",
        ("sub", true) => "</sub>",
        ("span" | "sc", _) => "",
        _ => return None,
    };
    // Only the attributes CSL uses: anything else is not markup of the subset.
    let attributes = inner.trim_start_matches('/')[name.len()..].trim();
    let known = attributes.is_empty()
        || (name == "span"
            && (attributes.contains("small-caps") || attributes.contains("nocase"))
            && !attributes.contains(['<', '>']));
    known.then_some((markup, end + 1))
}

/// A paragraph's first characters escaped where Markdown would read a list item, a numbered
/// item or a thematic break (`- `, `+ `, `12. `, `3) `): the rest of the specials are escaped
/// wherever they are.
pub(crate) fn leading_marker_escaped(text: &str) -> String {
    if text.starts_with(['-', '+']) {
        return format!("\\{text}");
    }
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rich_text_subset_becomes_markdown_and_the_rest_shows_as_text() {
        assert_eq!(
            from_csl(
                "A <i>B</i> <b>C</b> x<sup>2</sup> H<sub>2</sub>O <span style=\"font-variant:small-caps\">Sc</span>"
            ),
            "A *B* **C** x<sup>2</sup> H<sub>2</sub>O Sc"
        );
        assert_eq!(
            from_csl("<script>alert(1)</script> <img src=x onerror=alert(1)>"),
            "\\<script\\>alert(1)\\</script\\> \\<img src\\=x onerror\\=alert(1)\\>"
        );
        assert_eq!(
            from_csl("<span onclick=\"x\">a</span> [x](javascript:y) @key #tag %%c%% ==h== $m$"),
            "\\<span onclick\\=\"x\"\\>a \\[x\\](javascript:y) \\@key \\#tag \\%\\%c\\%\\% \\=\\=h\\=\\= \\$m\\$"
        );
        assert_eq!(from_csl("- not a list"), "\\- not a list");
        assert_eq!(from_csl("1986. A year"), "1986\\. A year");
        assert_eq!(from_csl("a\n\n# b"), "a \\# b");
    }
}
