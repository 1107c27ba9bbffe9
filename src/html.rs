//! The ground-floor text helpers every stage uses: HTML escaping and URL slugs.

use unicode_normalization::UnicodeNormalization;

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

/// A tag's slug: `#Policy/Drones` → `policy/drones`. Each level is slugged on its own and kept
/// apart by `/` (a nested tag has a page for every level); letters of any script, digits and
/// emoji are kept, so `#🧠` and `#état` are tags, not nothing.
pub(crate) fn tag_slug(tag: &str) -> String {
    // One name in two Unicode forms (`café` composed, or `e` and a combining accent, as macOS
    // writes file names) is one slug.
    let composed: String;
    let tag = match tag.is_ascii() {
        true => tag,
        false => {
            composed = tag.nfc().collect();
            &composed
        }
    };
    tag.trim()
        .trim_start_matches('#')
        .split('/')
        .map(|level| {
            let mut out = String::with_capacity(level.len());
            for c in level.trim().chars().flat_map(char::to_lowercase) {
                if c.is_alphanumeric() || is_emoji_part(c) {
                    out.push(c);
                } else if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
            out.trim_end_matches('-').to_string()
        })
        .filter(|level| !level.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// Pictographs, symbols and the joiners and selectors emoji are built with.
fn is_emoji_part(c: char) -> bool {
    matches!(c,
        '\u{200D}' | '\u{FE0F}' | '\u{20E3}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2460}'..='\u{27BF}'
        | '\u{2900}'..='\u{2BFF}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{E0020}'..='\u{E007F}')
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

    #[test]
    fn tag_slugs_keep_levels_scripts_and_emoji() {
        assert_eq!(tag_slug("#Policy/Drone Strikes"), "policy/drone-strikes");
        assert_eq!(tag_slug("🧠"), "🧠");
        assert_eq!(tag_slug("État"), "état");
        assert_eq!(tag_slug("to-read/"), "to-read");
        assert_eq!(tag_slug("#"), "");
    }
}
