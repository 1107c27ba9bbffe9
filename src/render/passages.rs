//! Marked text as the reader sees it: backlink passages (the sentence around a reference), the
//! headings of a table of contents and the opening words of a preview. The scan marks each
//! citation and link in them (see [`crate::markdown::Scan::contexts`]); here citations become
//! their in-text form and links their displayed text, never a raw key or slug.

use crate::graph::{BodyResolver, Site};
use crate::html::escape_html;
use crate::markdown::{
    CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN, LINK_MARK_END, LINK_MARK_OPEN, Resolver,
};

/// The reference a passage is about, shown marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Focus {
    None,
    Citation(usize),
    Link(usize),
}

impl Focus {
    /// The marker the scan put where the reference starts.
    fn marker(self) -> Option<String> {
        match self {
            Focus::None => None,
            Focus::Citation(i) => Some(format!("{CONTEXT_MARK_OPEN}{i}{CONTEXT_MARK_CLOSE}")),
            Focus::Link(j) => Some(format!("{LINK_MARK_OPEN}{j}{CONTEXT_MARK_CLOSE}")),
        }
    }
}

/// A run of displayed text; `marked` for the focus.
#[derive(Debug, PartialEq)]
struct Run {
    text: String,
    marked: bool,
}

/// The sentence of note `from`'s context `context` around `focus`, as HTML, the focus in `<mark>`.
pub(super) fn context_html(site: &Site, from: usize, context: usize, focus: Focus) -> String {
    let raw = &site.scans[from].contexts[context];
    let text = trim_to_sentence(raw, focus.marker().as_deref());
    to_html(&runs(site, from, &text, focus))
}

/// Marked text of note `from` (a heading) as HTML.
pub(super) fn marked_html(site: &Site, from: usize, text: &str) -> String {
    to_html(&runs(site, from, text, Focus::None))
}

/// Marked text of note `from` as plain text, cut after about `words` words.
pub(super) fn marked_words(site: &Site, from: usize, text: &str, words: usize) -> String {
    let plain: String = runs(site, from, text, Focus::None)
        .into_iter()
        .map(|r| r.text)
        .collect();
    let all: Vec<&str> = plain.split_whitespace().collect();
    if all.len() <= words {
        return all.join(" ");
    }
    let mut cut = all[..words].join(" ");
    cut.truncate(cut.trim_end_matches([',', ';', ':', '.', '—', '–']).len());
    cut.push('…');
    cut
}

fn to_html(runs: &[Run]) -> String {
    let mut out = String::new();
    for r in runs {
        let text = escape_html(&r.text);
        if r.marked {
            out.push_str("<mark>");
            out.push_str(&text);
            out.push_str("</mark>");
        } else {
            out.push_str(&text);
        }
    }
    out
}

/// Splits marked text into displayed runs.
fn runs(site: &Site, from: usize, text: &str, focus: Focus) -> Vec<Run> {
    let scan = &site.scans[from];
    let mut out: Vec<Run> = Vec::new();
    let mut push = |text: String, marked: bool| match out.last_mut() {
        Some(last) if last.marked == marked => last.text.push_str(&text),
        _ => out.push(Run { text, marked }),
    };
    let mut rest = text;
    while let Some(start) = rest.find([CONTEXT_MARK_OPEN, LINK_MARK_OPEN]) {
        push(strip(&rest[..start]), false);
        let is_link = rest[start..].starts_with(LINK_MARK_OPEN);
        let after = &rest[start + CONTEXT_MARK_OPEN.len_utf8()..];
        let Some(end) = after.find(CONTEXT_MARK_CLOSE) else {
            rest = "";
            break;
        };
        let idx: usize = after[..end].parse().unwrap_or(usize::MAX);
        rest = &after[end + CONTEXT_MARK_CLOSE.len_utf8()..];
        if is_link {
            let close = rest.find(LINK_MARK_END).unwrap_or(rest.len());
            let written = strip(&rest[..close]);
            rest = rest.get(close + LINK_MARK_END.len_utf8()..).unwrap_or("");
            let shown = match (written.trim().is_empty(), scan.links.get(idx)) {
                (true, Some(link)) => BodyResolver::new(site, from)
                    .resolve(&link.target, None)
                    .map(|r| r.label)
                    .unwrap_or_default(),
                _ => written,
            };
            push(shown, focus == Focus::Link(idx));
        } else if let Some(c) = scan.citations.get(idx) {
            let shown = site.citation_text(&c.citation);
            push(shown, focus == Focus::Citation(idx));
        }
    }
    push(strip(rest), false);
    out.retain(|r| !r.text.is_empty());
    out
}

/// Text with any stray marker character removed (a marker cut off by trimming).
fn strip(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(*c, '\u{E000}'..='\u{E003}'))
        .collect()
}

/// The sentence holding `focus` (or the start of the block), at most ~320 characters. A
/// sentence ends after `.`, `?` or `!` followed by a space, or after such a `:` once it holds a
/// few words (so "Jabeen (2011): …" does not stop at its first word).
fn trim_to_sentence(text: &str, focus: Option<&str>) -> String {
    const MAX: usize = 320;
    const COLON_WORDS: usize = 8;
    let at = focus.and_then(|f| text.find(f)).unwrap_or(0);
    let bytes = text.as_bytes();
    let stop =
        |i: usize| matches!(bytes[i], b'.' | b'?' | b'!' | b':') && bytes.get(i + 1) == Some(&b' ');
    let start = (0..at.saturating_sub(1))
        .rev()
        .find(|&i| stop(i))
        .map_or(0, |i| i + 2);
    let end = (at.saturating_sub(1)..bytes.len())
        .find(|&i| {
            stop(i)
                && (bytes[i] != b':' || text[start..i].split_whitespace().count() >= COLON_WORDS)
        })
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
        let t = format!("Ça va? Déjà {mark} vu, as the long sentence says: here! Next. 3.5 stays");
        assert_eq!(
            trim_to_sentence(&t, Some(mark)),
            format!("…Déjà {mark} vu, as the long sentence says: …")
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

    /// A list item such as "[[jabeen2011]]: what it adds. More." keeps what follows the colon.
    #[test]
    fn a_colon_right_after_the_reference_does_not_end_the_sentence() {
        let mark = "\u{E002}0\u{E001}\u{E003}";
        let t = format!("{mark}: adds the view from Islamabad. Second sentence.");
        assert_eq!(
            trim_to_sentence(&t, Some("\u{E002}0\u{E001}")),
            format!("{mark}: adds the view from Islamabad. …")
        );
    }
}
