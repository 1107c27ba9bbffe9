//! Highlights and nesting in the rendered events: `==` marks paired into `<mark>` within one
//! element, and the inline elements open where an embed must close a paragraph.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Where a `==` was, until [`pair_marks`] knows whether it opens a highlight, closes one, or is
/// text (raw HTML always starts with `<`, so this is never the author's).
pub(super) const MARK: &str = "\u{E006}";

/// Every `==` paired up with the next one inside the same element (a highlight never crosses
/// the edge of an emphasis, a link or a block, which would leave the HTML misnested); one that
/// finds no partner is text.
pub(super) fn pair_marks(out: &mut [Event<'_>]) {
    // For each element open around the current event, innermost last: its open `==`, if any.
    let mut open: Vec<Option<usize>> = vec![None];
    for i in 0..out.len() {
        match &out[i] {
            Event::InlineHtml(h) if h.as_ref() == MARK => {
                let top = open.last_mut().expect("the block's own entry");
                match top.take() {
                    Some(start) => {
                        out[start] = Event::InlineHtml("<mark>".into());
                        out[i] = Event::InlineHtml("</mark>".into());
                    }
                    None => *top = Some(i),
                }
            }
            Event::Start(tag) if is_inline(tag) => open.push(None),
            Event::End(end) if is_inline_end(*end) && open.len() > 1 => {
                if let Some(Some(start)) = open.pop() {
                    out[start] = Event::Text("==".into());
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_) => {}
            // Anything else starts or ends a block.
            _ => {
                for start in open.drain(..).flatten() {
                    out[start] = Event::Text("==".into());
                }
                open.push(None);
            }
        }
    }
    for start in open.into_iter().flatten() {
        out[start] = Event::Text("==".into());
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The inline elements open at the end of `out`, in the paragraph it is in, outermost first.
pub(super) fn open_inline<'a>(out: &[Event<'a>]) -> Vec<Tag<'a>> {
    let mut open = Vec::new();
    let mut closed = 0usize;
    for event in out.iter().rev() {
        match event {
            Event::End(end) if is_inline_end(*end) => closed += 1,
            Event::Start(tag) if is_inline(tag) => match closed {
                0 => open.push(tag.clone()),
                _ => closed -= 1,
            },
            // The paragraph's start (`<p id=…>` is written as HTML).
            Event::Start(Tag::Paragraph) | Event::Html(_) => break,
            _ => {}
        }
    }
    open.reverse();
    open
}
