//! Backlink passages: the sentence around a reference, as the reader sees it.

use crate::cite::citation_text;
use crate::graph::Site;
use crate::html::escape_html;
use crate::markdown::{CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN};

/// The sentence around a reference, as HTML, with citations rendered as plain text and the
/// one at `highlight` marked.
pub(super) fn context_html(
    site: &Site,
    from: usize,
    context: usize,
    highlight: Option<usize>,
) -> String {
    let raw = &site.scans[from].contexts[context];
    let focus = highlight.map(|h| format!("{CONTEXT_MARK_OPEN}{h}{CONTEXT_MARK_CLOSE}"));
    let text = trim_to_sentence(raw, focus.as_deref());
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(CONTEXT_MARK_OPEN) {
        out.push_str(&escape_html(&rest[..start]));
        let after = &rest[start + CONTEXT_MARK_OPEN.len_utf8()..];
        let Some(end) = after.find(CONTEXT_MARK_CLOSE) else {
            break;
        };
        let idx: usize = after[..end].parse().unwrap_or(usize::MAX);
        if let Some(c) = site.scans[from].citations.get(idx) {
            let text = citation_text(&c.citation, |k| site.cited_source(k));
            let text = escape_html(&text);
            if Some(idx) == highlight {
                out.push_str(&format!("<mark>{text}</mark>"));
            } else {
                out.push_str(&text);
            }
        }
        rest = &after[end + CONTEXT_MARK_CLOSE.len_utf8()..];
    }
    out.push_str(&escape_html(rest));
    out
}

/// The sentence holding `focus` (or the start of the block), at most ~320 characters.
fn trim_to_sentence(text: &str, focus: Option<&str>) -> String {
    const MAX: usize = 320;
    let at = focus.and_then(|f| text.find(f)).unwrap_or(0);
    // A sentence ends after `.`, `?`, `!` or `:` followed by a space; the next starts two bytes on.
    let bytes = text.as_bytes();
    let boundary =
        |i: usize| matches!(bytes[i], b'.' | b'?' | b'!' | b':') && bytes.get(i + 1) == Some(&b' ');
    let start = (0..at.saturating_sub(1))
        .rev()
        .find(|&i| boundary(i))
        .map_or(0, |i| i + 2);
    let end = (at.saturating_sub(1)..bytes.len())
        .find(|&i| boundary(i))
        .map_or(text.len(), |i| i + 2);
    let mut sentence = text[start..end].trim().to_string();
    if sentence.chars().count() > MAX {
        let chars: Vec<char> = sentence.chars().collect();
        let focus_char = text[start..at.max(start)].chars().count();
        let from = focus_char
            .saturating_sub(MAX / 2)
            .min(chars.len().saturating_sub(MAX));
        let piece: String = chars[from..(from + MAX).min(chars.len())].iter().collect();
        sentence = format!(
            "{}{}{}",
            if from > 0 { "…" } else { "" },
            piece.trim(),
            if from + MAX < chars.len() { "…" } else { "" }
        );
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { " …" } else { "" };
    format!("{prefix}{sentence}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_trimmed_to_the_sentence() {
        let t = "First one. Second has \u{E000}0\u{E001} here. Third.";
        assert_eq!(
            trim_to_sentence(t, Some("\u{E000}0\u{E001}")),
            "…Second has \u{E000}0\u{E001} here. …"
        );
    }

    #[test]
    fn context_sentences_end_at_any_stop_followed_by_a_space() {
        let mark = "\u{E000}0\u{E001}";
        let t = format!("Ça va? Déjà {mark} vu: here! Next. 3.5 stays");
        assert_eq!(
            trim_to_sentence(&t, Some(mark)),
            format!("…Déjà {mark} vu: …")
        );
        let t = format!("{mark} opens. Then more.");
        assert_eq!(trim_to_sentence(&t, Some(mark)), format!("{mark} opens. …"));
        let t = format!("One. Two 3.5 and {mark}");
        assert_eq!(
            trim_to_sentence(&t, Some(mark)),
            format!("…Two 3.5 and {mark}")
        );
        assert_eq!(trim_to_sentence("No stop at all", None), "No stop at all");
    }
}
