//! The markers a reference leaves in the text of its context (the block that holds it), and
//! where each one stands once the context is finished, so a backlink's passage is cut around it
//! without searching.

use super::{CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN, LINK_MARK_OPEN, Scan};

/// Marks reference `index` in the context being written.
pub(super) fn push_marker(block: &mut String, index: usize) {
    block.push(CONTEXT_MARK_OPEN);
    block.push_str(&index.to_string());
    block.push(CONTEXT_MARK_CLOSE);
}

/// Records where each reference of the context being finished has its marker, in one pass over
/// the context's final text (trimmed, escapes restored). The first marker of an index wins, as a
/// search for it would find.
pub(super) fn locate_markers(scan: &mut Scan, text: &str) {
    let context = scan.contexts.len();
    let mut seen_citations = std::collections::HashSet::new();
    let mut seen_links = std::collections::HashSet::new();
    for (at, mark) in text.match_indices([CONTEXT_MARK_OPEN, LINK_MARK_OPEN]) {
        let after = &text[at + mark.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if !after[digits..].starts_with(CONTEXT_MARK_CLOSE) {
            continue;
        }
        let Ok(index) = after[..digits].parse::<usize>() else {
            continue;
        };
        if mark.starts_with(CONTEXT_MARK_OPEN) {
            match scan.citations.get_mut(index) {
                Some(c) if c.context == context && seen_citations.insert(index) => c.at = at,
                _ => {}
            }
        } else {
            match scan.links.get_mut(index) {
                Some(l) if l.context == context && seen_links.insert(index) => l.at = at,
                _ => {}
            }
        }
    }
}
