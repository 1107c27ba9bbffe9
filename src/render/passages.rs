//! Marked text as the reader sees it: backlink passages (the sentence around a reference), the
//! headings of a table of contents and the opening words of a preview. The scan marks each
//! citation and link in them (see [`crate::markdown::Scan::contexts`]); here citations become
//! their in-text form and links their displayed text, never a raw key or slug.

use std::io::Write;

use super::reads::{Around, Marks, Part, Parts, Shown};
use crate::cite::Citation;
use crate::graph::{Backlink, BodyResolver, Site};
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
    /// The reference backlink `b` is about.
    pub(super) fn of(b: &Backlink) -> Focus {
        match (b.citation, b.link) {
            (Some(c), _) => Focus::Citation(c),
            (None, Some(l)) => Focus::Link(l),
            (None, None) => Focus::None,
        }
    }
}

/// Writes what the passages of note `from` on note `t`'s page read ([`Part::Passages`]) but
/// `from`'s citations and links (which the plan compares as a whole): the part of each context
/// a passage is cut from, in which each citation appears as its index, whether the context goes
/// on beyond it, where its reference starts in it, and the index of the reference it is about.
/// Only that part: hashing the whole context for each backlink would cost a paragraph of many
/// references its size once for every note it cites.
pub(crate) fn write_passages(site: &Site, from: usize, t: usize, out: &mut dyn Write) {
    for (section, list) in [(b'c', &site.cited_by[t]), (b'l', &site.linked_from[t])] {
        let start = list.partition_point(|b| b.from < from);
        out.write_all(&[section]).ok();
        for b in list[start..].iter().take_while(|b| b.from == from) {
            let (window, at) = passage_window(site, b.from, b.context, Focus::of(b));
            let highlight = b.citation.map_or(u64::MAX, |c| c as u64);
            let link = b.link.map_or(u64::MAX, |l| l as u64);
            out.write_all(&(window.text.len() as u64).to_le_bytes())
                .ok();
            out.write_all(&(at as u64).to_le_bytes()).ok();
            out.write_all(&[u8::from(window.cut_before), u8::from(window.cut_after)])
                .ok();
            out.write_all(&highlight.to_le_bytes()).ok();
            out.write_all(&link.to_le_bytes()).ok();
            out.write_all(window.text.as_bytes()).ok();
        }
    }
}

/// What marked text (a passage, a heading, a description, a card's first words) shows of a
/// note it cites or links to: a citation's in-text form, a bare `[[link]]`'s title.
pub(super) struct Mention;

impl Shown for Mention {
    const PARTS: Parts = Parts::of(&[Part::Title, Part::Reference]);

    /// The pages of the notes citing or linking to it (headings, description), the pages
    /// showing their passages, and their cards' first words, compared again.
    fn shown_on(around: &Around<'_>, j: usize, marks: &mut dyn Marks) {
        let site = around.site;
        for b in site.cited_by[j].iter().chain(&site.linked_from[j]) {
            marks.page(b.from);
            for &t in &around.targets[b.from] {
                marks.page(t);
            }
            marks.preview(b.from);
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
    let (window, at) = passage_window(site, from, context, focus);
    let text = trim_to_sentence(window.text, at, window.cut_before, window.cut_after);
    to_html(&runs(site, from, &text, focus))
}

/// The part of a context a passage is cut from, and whether the context goes on before and
/// after it.
struct Window<'a> {
    text: &'a str,
    cut_before: bool,
    cut_after: bool,
}

/// The part of note `from`'s context `context` that the passage around `focus` is made from,
/// and where the focus's marker starts in it. A context is read only within [`WINDOW`] bytes on
/// each side of the reference, found from the offset the scan recorded: a passage then costs its
/// own size, not its paragraph's, where searching the paragraph for each reference made a
/// paragraph of n citations cost n² (200,000 citations: over a minute).
fn passage_window(site: &Site, from: usize, context: usize, focus: Focus) -> (Window<'_>, usize) {
    let scan = &site.scans[from];
    let raw = scan.contexts.get(context).map_or("", String::as_str);
    let at = match focus {
        Focus::None => None,
        Focus::Citation(i) => scan.citations.get(i).map(|c| c.at),
        Focus::Link(j) => scan.links.get(j).map(|l| l.at),
    }
    .filter(|&at| raw.is_char_boundary(at))
    .unwrap_or(0);
    let mut lo = floor_boundary(raw, at.saturating_sub(WINDOW));
    // Not inside a marker: its index would show as digits.
    let rest = &raw[lo..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if lo > 0 && rest[digits..].starts_with(CONTEXT_MARK_CLOSE) && lo + digits < at {
        lo += digits + CONTEXT_MARK_CLOSE.len_utf8();
    }
    let hi = ceil_boundary(raw, at.saturating_add(WINDOW));
    let window = Window {
        text: &raw[lo..hi],
        cut_before: lo > 0,
        cut_after: hi < raw.len(),
    };
    (window, at - lo)
}

/// How far on each side of its reference a passage reads its context: more than a passage
/// shows ([`MAX`] characters of at most 4 bytes each).
const WINDOW: usize = 2048;
/// The longest passage, in characters of the context (markers counted).
const MAX: usize = 320;
/// The works of a cluster a passage names before "…".
const MAX_ITEMS: usize = 20;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
            push(
                passage_citation(site, &c.citation),
                focus == Focus::Citation(idx),
            );
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

/// A citation as a passage shows it: a cluster of more than [`MAX_ITEMS`] works names its first
/// ones and "…", so that a passage stays short and costs little even when it quotes a cluster
/// of 200,000 works (the page itself shows them all).
fn passage_citation(site: &Site, citation: &Citation) -> String {
    if citation.items.len() <= MAX_ITEMS {
        return site.citation_text(citation);
    }
    let first = Citation {
        items: citation.items[..MAX_ITEMS].to_vec(),
        mode: citation.mode,
    };
    let mut text = site.citation_text(&first);
    match text.strip_suffix(')') {
        Some(open) => text = format!("{open}; …)"),
        None => text.push_str(" …"),
    }
    text
}

/// The sentence of `text` holding the marker at byte `at` (0: the start of the block), at most
/// [`MAX`] characters. A sentence ends after `.`, `?` or `!` followed by a space, or after such a
/// `:` once it holds a few words (so "Jabeen (2011): …" does not stop at its first word).
/// `cut_before` and `cut_after` say that the context goes on beyond `text`. One pass over
/// `text`: the words before each colon are counted on, not again from the sentence's start.
fn trim_to_sentence(text: &str, at: usize, cut_before: bool, cut_after: bool) -> String {
    const COLON_WORDS: usize = 8;
    let bytes = text.as_bytes();
    let stop =
        |i: usize| matches!(bytes[i], b'.' | b'?' | b'!' | b':') && bytes.get(i + 1) == Some(&b' ');
    let start = (0..at.saturating_sub(1))
        .rev()
        .find(|&i| stop(i))
        .map_or(0, |i| i + 2);
    // The words of text[start..counted], counted on as the search for the end goes.
    let (mut counted, mut words, mut in_word) = (start, 0, false);
    let end = (at.saturating_sub(1).max(start)..bytes.len())
        .find(|&i| {
            if !stop(i) {
                return false;
            }
            if bytes[i] != b':' {
                return true;
            }
            for c in text[counted..i].chars() {
                let space = c.is_whitespace();
                words += usize::from(!space && !in_word);
                in_word = !space;
            }
            counted = i;
            words >= COLON_WORDS
        })
        .map_or(text.len(), |i| i + 2);
    let sentence = text[start..end].trim();
    let prefix = if start > 0 || cut_before { "…" } else { "" };
    let suffix = if end < text.len() || cut_after {
        " …"
    } else {
        ""
    };
    if sentence.chars().count() <= MAX {
        return format!("{prefix}{sentence}{suffix}");
    }
    // Too long: the MAX characters around the focus, an ellipsis on each side cut.
    let chars: Vec<char> = sentence.chars().collect();
    let focus_char = text[start..at.max(start)].trim_start().chars().count();
    let from = focus_char
        .saturating_sub(MAX / 2)
        .min(chars.len().saturating_sub(MAX));
    let piece: String = chars[from..(from + MAX).min(chars.len())].iter().collect();
    let before = if from > 0 || !prefix.is_empty() {
        "…"
    } else {
        ""
    };
    let after = if from + MAX < chars.len() || !suffix.is_empty() {
        "…"
    } else {
        ""
    };
    format!("{before}{}{after}", piece.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentence around the first `mark` in `t`, `t` being a whole context.
    fn trim_to_sentence_at(t: &str, mark: Option<&str>) -> String {
        let at = mark.and_then(|m| t.find(m)).unwrap_or(0);
        trim_to_sentence(t, at, false, false)
    }

    #[test]
    fn contexts_are_trimmed_to_the_sentence() {
        let t = "First one. Second has \u{E000}0\u{E001} here. Third.";
        assert_eq!(
            trim_to_sentence_at(t, Some("\u{E000}0\u{E001}")),
            "…Second has \u{E000}0\u{E001} here. …"
        );
    }

    #[test]
    fn context_sentences_end_at_any_stop_followed_by_a_space() {
        let mark = "\u{E000}0\u{E001}";
        let t = format!("Ça va? Déjà {mark} vu, as the long sentence says: here! Next. 3.5 stays");
        assert_eq!(
            trim_to_sentence_at(&t, Some(mark)),
            format!("…Déjà {mark} vu, as the long sentence says: …")
        );
        let t = format!("{mark} opens. Then more.");
        assert_eq!(
            trim_to_sentence_at(&t, Some(mark)),
            format!("{mark} opens. …")
        );
        let t = format!("One. Two 3.5 and {mark}");
        assert_eq!(
            trim_to_sentence_at(&t, Some(mark)),
            format!("…Two 3.5 and {mark}")
        );
        assert_eq!(
            trim_to_sentence_at("No stop at all", None),
            "No stop at all"
        );
    }

    /// A list item such as "[[jabeen2011]]: what it adds. More." keeps what follows the colon.
    #[test]
    fn a_colon_right_after_the_reference_does_not_end_the_sentence() {
        let mark = "\u{E002}0\u{E001}\u{E003}";
        let t = format!("{mark}: adds the view from Islamabad. Second sentence.");
        assert_eq!(
            trim_to_sentence_at(&t, Some("\u{E002}0\u{E001}")),
            format!("{mark}: adds the view from Islamabad. …")
        );
    }

    /// A sentence longer than a passage is cut around the reference, one ellipsis on each side
    /// that goes on (not one for the sentence and one for the cut).
    #[test]
    fn a_long_sentence_is_cut_around_the_reference_with_one_ellipsis_a_side() {
        let mark = "\u{E000}0\u{E001}";
        let words = "word ".repeat(100);
        let t = format!("Before. {words}{mark} {words}end. After.");
        let cut = trim_to_sentence_at(&t, Some(mark));
        assert!(cut.starts_with("…w") && cut.ends_with('…'), "{cut}");
        assert!(!cut.contains("……") && !cut.contains("… …"), "{cut}");
        assert!(cut.chars().count() <= MAX + 2, "{cut}");
        assert!(cut.contains(mark));
        // At the start of a context that goes on: the cut's own ellipsis at the end only.
        let t = format!("{mark} {words}{words}");
        let cut = trim_to_sentence(&t, 0, false, true);
        assert!(cut.starts_with(mark) && cut.ends_with('…'), "{cut}");
        assert!(!cut.contains("……") && !cut.contains("… …"), "{cut}");
    }

    /// A window that does not reach the context's start or end says so, as the whole context
    /// would.
    #[test]
    fn a_window_cut_from_a_longer_context_keeps_its_ellipses() {
        let mark = "\u{E000}0\u{E001}";
        let t = format!("short {mark} sentence");
        assert_eq!(
            trim_to_sentence(&t, t.find(mark).unwrap(), true, true),
            format!("…short {mark} sentence …")
        );
    }

    /// Colons before the reference's sentence has eight words do not end it, however many.
    #[test]
    fn colons_are_counted_on() {
        let mark = "\u{E000}0\u{E001}";
        let t = format!("{mark} a: b: c: d: e: f: g: h: i: j. Next.");
        assert_eq!(
            trim_to_sentence_at(&t, Some(mark)),
            format!("{mark} a: b: c: d: e: f: g: …")
        );
    }
}
