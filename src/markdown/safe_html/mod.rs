//! Raw HTML in a note, made safe: a body that holds any is cleaned whole by `ammonia` after it is
//! rendered, keeping what [`policy`] allows; [`detect`] finds what the cleaning takes out, for the
//! note's one warning. `unsafe_html: true` in `site.yaml` turns both off.
//!
//! Why the whole body and not the raw pieces alone: raw HTML in Markdown comes in fragments (a
//! `<details>` in one block, its `</details>` three blocks later, an `<a href>` opened in one
//! inline piece and closed in another), which only make elements together with the Markdown
//! between them, and cleaning each fragment alone would close or drop them. Cleaning gloss's own
//! markup with them is safe because the policy keeps all of it (a test renders every kind of
//! markup gloss writes and checks that cleaning leaves the same document); pieces swapped out
//! for placeholders and back after cleaning would not be, since a placeholder can land inside an
//! attribute or a frame's text and the swap then writes markup there. A body without raw HTML
//! (nearly every note) is never parsed again: its output is exactly what it was.

mod detect;
mod policy;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub(crate) use detect::{Removal, removals};

/// The cleaner, built once from [`policy`].
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let set = |items: &[&'static str]| items.iter().copied().collect::<HashSet<_>>();
        let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> =
            policy::TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, set(attrs)))
                .collect();
        for tag in policy::MATH_TAGS {
            tag_attributes.insert(tag, set(policy::MATH_ATTRIBUTES));
        }
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(
                set(policy::HTML_TAGS)
                    .union(&set(policy::MATH_TAGS))
                    .copied()
                    .collect(),
            )
            .clean_content_tags(set(policy::DROPPED_WHOLE))
            .generic_attributes(set(policy::GENERIC_ATTRIBUTES))
            .generic_attribute_prefixes(set(policy::ATTRIBUTE_PREFIXES))
            .tag_attributes(tag_attributes)
            // The schemes any URL attribute may have; `policy::value_allowed` narrows them
            // by element (a frame only `https:`, `data:` only an image).
            .url_schemes(set(&["http", "https", "mailto", "data"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            // An input is a task list's checkbox, whatever it was written as.
            .set_tag_attribute_values(HashMap::from([(
                "input",
                HashMap::from([("type", "checkbox"), ("disabled", "")]),
            )]))
            .link_rel(None)
            .strip_comments(true)
            .filter_style_properties(set(policy::STYLE_PROPERTIES))
            .attribute_filter(|tag, attr, value| {
                policy::value_allowed(tag, attr, value).then_some(Cow::Borrowed(value))
            });
        builder
    })
}

/// `html` with everything [`policy`] does not allow taken out.
pub(crate) fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// What cleaning does to a heading's attribute (`# Title {key=value}`, which pulldown-cmark
/// writes as given): `None` when it is kept.
pub(crate) fn heading_attribute(attr: &str, value: &str) -> Option<Removal> {
    detect::attribute_removal("h1", &attr.to_ascii_lowercase(), value)
}

/// What cleaning takes out of the raw HTML of `body` (a note's body as Markdown), each piece
/// with the byte offset in `body` where it is written.
pub(crate) fn unsafe_pieces(body: &str) -> Vec<(usize, Removal)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // A block's lines come as one event each: a tag may span them, so a block is read whole,
    // each of its events remembered as (where it starts in the block's text, in the body).
    let mut fragment = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut in_block = false;
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => in_block = true,
            Event::End(TagEnd::HtmlBlock) => {
                in_block = false;
                locate(body, &fragment, &starts, &mut found);
                fragment.clear();
                starts.clear();
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                starts.push((fragment.len(), range.start));
                fragment.push_str(&html);
                if !in_block {
                    locate(body, &fragment, &starts, &mut found);
                    fragment.clear();
                    starts.clear();
                }
            }
            _ => {}
        }
    }
    found
}

/// The removals of one fragment of raw HTML, placed in the body.
fn locate(body: &str, fragment: &str, starts: &[(usize, usize)], out: &mut Vec<(usize, Removal)>) {
    for f in removals(fragment) {
        let line_start = match f.line {
            0 => 0,
            n => fragment
                .match_indices('\n')
                .nth(n - 1)
                .map_or(fragment.len(), |(i, _)| i + 1),
        };
        let (from, at) = starts
            .iter()
            .rev()
            .find(|(from, _)| *from <= line_start)
            .copied()
            .unwrap_or((0, 0));
        let mut offset = (at + line_start - from).min(body.len());
        while !body.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = body[offset..].split('\n').next().unwrap_or("");
        let column = line.to_ascii_lowercase().find(&f.needle).unwrap_or(0);
        out.push((offset + column, f.removal));
    }
}

/// The note's one warning about its raw HTML, given every piece cleaning takes out (the first
/// is named; the warning stands at it).
pub(crate) fn warning(pieces: &[(usize, Removal)]) -> Option<(usize, String)> {
    let (at, first) = pieces.iter().min_by_key(|(at, _)| *at)?;
    let more = match pieces.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more piece of this note's HTML)".to_string(),
        n => format!(" (and {n} more pieces of this note's HTML)"),
    };
    Some((
        *at,
        format!(
            "{} is left out of the page{more}: raw HTML is published without scripts, styles, event handlers or links that are not http, https, mailto or relative; set `unsafe_html: true` in site.yaml to publish it as written, if you trust every note's author",
            first.describe()
        ),
    ))
}

#[cfg(test)]
mod tests;
