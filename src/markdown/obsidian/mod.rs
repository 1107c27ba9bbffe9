//! Obsidian's Markdown on top of CommonMark: callouts (`> [!note]- Title`) and Dataview fields
//! (`key:: value` lines), rewritten in the event stream before either pass sees it, and the
//! inline pieces both passes read out of text: `#tags`, `==highlights==` and block ids (`^id`).
//!
//! The rewrites (`callouts`, `fields`) keep every `Start` matched by its `End`, so the passes can
//! still find the end of any element by depth; this file holds the inline pieces.

mod callouts;
mod fields;

use std::ops::Range;

use pulldown_cmark::{Event, Tag};

pub(super) use callouts::callouts;
pub(super) use fields::{fields, inline_field};

/// A body's events with their byte ranges, as the rewrites take and give them.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The length of an inline `#tag` starting at byte `at` of `text` (the `#` included), or 0.
/// A tag follows a space or the start of the text, and is letters, digits, `_`, `-`, `/` and
/// emoji, not all digits (`#1` is not a tag), not a heading's `# `.
pub(super) fn tag_length(text: &str, at: usize) -> usize {
    let before_ok = text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(');
    if !before_ok {
        return 0;
    }
    let rest = &text[at + 1..];
    let mut len = rest
        .char_indices()
        .find(|&(_, c)| !is_tag_char(c))
        .map_or(rest.len(), |(i, _)| i);
    while rest[..len].ends_with(['/', '-']) {
        len -= 1;
    }
    let name = &rest[..len];
    let ok = !name.is_empty()
        && !name.starts_with('/')
        && name.chars().any(|c| !c.is_ascii_digit() && c != '/');
    if ok { len + 1 } else { 0 }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '_' | '-' | '/')
        // Emoji and their joiners; not the general punctuation block (dashes, quotes).
        || (!c.is_ascii()
            && !c.is_whitespace()
            && !('\u{2000}'..='\u{206F}').contains(&c)
            && !('\u{3000}'..='\u{303F}').contains(&c)
            && !matches!(c, '\u{00A0}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}'))
        || c == '\u{200D}'
}

/// Where `==` marks a highlight: at `at`, two `=` not part of a longer run.
pub(super) fn is_mark(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'=')
        && bytes.get(at + 1) == Some(&b'=')
        && bytes.get(at + 2) != Some(&b'=')
        && (at == 0 || bytes[at - 1] != b'=')
}

/// A block id at the end of a block's text (`… ^quote-1`): the id (with its `^`) and where the
/// text before it ends.
pub(super) fn block_id(text: &str) -> Option<(String, usize)> {
    let trimmed = text.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = &trimmed[caret + 1..];
    let before = &trimmed[..caret];
    let ok = !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && before.chars().next_back().is_none_or(char::is_whitespace);
    ok.then(|| (format!("^{id}"), before.trim_end().len()))
}

/// The text event carrying the block id of the block from `start` to `end` (a paragraph, or a
/// list item up to its first nested block), if its text ends with one.
pub(super) fn block_id_event(
    events: &[(Event<'_>, Range<usize>)],
    start: usize,
    end: usize,
) -> Option<(usize, String, usize)> {
    let stop = (start + 1..end)
        .find(|&j| {
            matches!(
                events[j].0,
                Event::Start(
                    Tag::List(_)
                        | Tag::Paragraph
                        | Tag::BlockQuote(_)
                        | Tag::CodeBlock(_)
                        | Tag::Table(_)
                )
            )
        })
        .unwrap_or(end);
    let last = stop.checked_sub(1).filter(|&j| j > start)?;
    match &events[last].0 {
        Event::Text(text) => block_id(text).map(|(id, cut)| (last, id, cut)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_a_space_and_are_not_numbers_or_anchors() {
        fn tag(text: &str) -> &str {
            let at = text.find('#').unwrap();
            &text[at..at + tag_length(text, at)]
        }
        assert_eq!(tag("see #policy/drones now"), "#policy/drones");
        assert_eq!(tag("#🧠 thinking"), "#🧠");
        assert_eq!(tag("#état-des-lieux."), "#état-des-lieux");
        assert_eq!(tag("issue #12"), "");
        assert_eq!(tag("page#anchor"), "");
        assert_eq!(tag("# heading"), "");
        assert_eq!(tag("(#inner)"), "#inner");
    }

    #[test]
    fn block_ids_end_a_block() {
        assert_eq!(block_id("A claim. ^claim-1"), Some(("^claim-1".into(), 8)));
        assert_eq!(block_id("^solo"), Some(("^solo".into(), 0)));
        assert_eq!(block_id("x^2"), None);
        assert_eq!(block_id("a ^b c"), None);
    }

    #[test]
    fn marks_are_pairs_of_equals_signs() {
        let b = b"a ==b== c === d";
        assert!(is_mark(b, 2) && is_mark(b, 5));
        assert!(!is_mark(b, 10) && !is_mark(b, 11));
    }
}
