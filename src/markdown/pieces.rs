//! The pieces of a text event both passes read: narrative citations (`@key`, `@key [p. 3]`),
//! citation clusters too long for a link label, inline `#tags`, `==` highlight marks and inline
//! Dataview fields.

use std::ops::Range;

use super::obsidian;
use crate::cite::Citation;

/// A piece of a text event.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Plain,
    /// A narrative citation, `@key`.
    Cite(Citation),
    /// An inline `#tag`, as written without the `#`.
    Tag(String),
    /// `==`, opening or closing a highlight.
    Mark,
    /// An inline Dataview field, `[key:: value]` (or `(key:: value)`, its key hidden).
    Field {
        key: String,
        value: String,
        hidden: bool,
    },
}

/// Splits text into plain runs, narrative citations (`@key` not after a word character), inline
/// tags and highlight marks.
pub(super) fn pieces(text: &str) -> Vec<(Range<usize>, Piece)> {
    let bytes = text.as_bytes();
    let fields = text.contains("::");
    if !fields && !bytes.iter().any(|b| matches!(b, b'@' | b'#' | b'=')) {
        // The common case, found with a fast byte search.
        return match text.is_empty() {
            true => Vec::new(),
            false => vec![(0..text.len(), Piece::Plain)],
        };
    }
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let mut brackets = Brackets::default();
    let push = |out: &mut Vec<_>, plain_start: usize, range: Range<usize>, piece: Piece| {
        if plain_start < range.start {
            out.push((plain_start..range.start, Piece::Plain));
        }
        out.push((range, piece));
    };
    while i < bytes.len() {
        let found = match bytes[i] {
            b'@' => narrative_citation(text, i),
            b'#' => match obsidian::tag_length(text, i) {
                0 => None,
                len => Some((i + len, Piece::Tag(text[i + 1..i + len].to_string()))),
            },
            b'=' if obsidian::is_mark(bytes, i) => Some((i + 2, Piece::Mark)),
            b'[' => long_cluster(text, i, &mut brackets).or_else(|| {
                fields
                    .then(|| obsidian::inline_field(text, i))
                    .flatten()
                    .map(|(end, key, value, hidden)| (end, Piece::Field { key, value, hidden }))
            }),
            b'(' if fields => obsidian::inline_field(text, i)
                .map(|(end, key, value, hidden)| (end, Piece::Field { key, value, hidden })),
            _ => None,
        };
        match found {
            Some((end, piece)) => {
                push(&mut out, plain_start, i..end, piece);
                plain_start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if plain_start < text.len() {
        out.push((plain_start..text.len(), Piece::Plain));
    }
    out
}

/// A link label this long is no link label to CommonMark (pulldown-cmark gives up at 1,000
/// code points), so a bracketed citation longer than that reaches the text as written.
pub(super) const LONG_LABEL: usize = 1000;

/// Where the next `[` and `]` of a text are, found once for every `[` between them.
#[derive(Default)]
struct Brackets {
    /// The next `]` at or after the last place asked, and the next `[` after it.
    close: Option<usize>,
    open: Option<usize>,
}

/// A citation cluster at byte `i` (a `[`) too long for a link label, such as 200,000 works in one
/// `[@a; @b; …]`: a citation as Pandoc reads it, where it would otherwise be its narrative
/// citations in brackets. Each `]` is looked for once and tried with the one `[` right before
/// it, so a text of many brackets costs its length. (Such a cluster must be plain text on one
/// line: an emphasis or a line break inside it splits the text it is read from.)
fn long_cluster(text: &str, i: usize, brackets: &mut Brackets) -> Option<(usize, Piece)> {
    let next = |from: usize, c: char| text[from..].find(c).map_or(usize::MAX, |j| from + j);
    if brackets.close.is_none_or(|close| close < i) {
        brackets.close = Some(next(i, ']'));
    }
    if brackets.open.is_none_or(|open| open <= i) {
        brackets.open = Some(next(i + 1, '['));
    }
    let (close, open) = (brackets.close?, brackets.open?);
    if close == usize::MAX || open < close || close - i - 1 < LONG_LABEL {
        return None;
    }
    let citation = crate::cite::parse_citation_label(&text[i + 1..close])?;
    Some((close + 1, Piece::Cite(citation)))
}

/// The narrative citation at byte `i` (an `@`), with where it ends.
fn narrative_citation(text: &str, i: usize) -> Option<(usize, Piece)> {
    let prev_ok = text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@')));
    let (key, key_len) = crate::cite::key_at(&text[i + 1..])?;
    if !prev_ok {
        return None;
    }
    let key_end = i + 1 + key_len;
    let mut citation = Citation::narrative(key);
    // Pandoc's `@key [p. 33]`: a narrative citation with a locator.
    let mut end = key_end;
    if let Some((locator, len)) = narrative_locator(&text[key_end..]) {
        citation.items[0].locator = Some(locator.to_string());
        end += len;
    }
    Some((end, Piece::Cite(citation)))
}

/// The `[p. 33]` after a narrative citation (one space before it at most), and its length.
fn narrative_locator(after: &str) -> Option<(&str, usize)> {
    let skip = usize::from(after.starts_with(' '));
    let rest = after[skip..].strip_prefix('[')?;
    let close = rest.find(']')?;
    let inside = rest[..close].trim();
    let plausible = !inside.is_empty()
        && inside.len() <= 60
        && !inside.contains(['@', '[', '\n'])
        && inside.chars().any(|c| c.is_ascii_digit());
    plausible.then_some((inside, skip + 1 + close + 1))
}
