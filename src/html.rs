//! The ground-floor text helpers every stage uses: HTML escaping and URL slugs.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain_from = 0;
    // The special characters are ASCII, so byte positions are character boundaries.
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain_from..i]);
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
    out
}

/// Lowercase slug: letters and digits kept, every other run of characters becomes `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_special_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn slugs_are_lowercase_and_dashed() {
        assert_eq!(slugify("The Trust  Deficit!"), "the-trust-deficit");
        assert_eq!(slugify("Café 2011"), "café-2011");
    }
}
