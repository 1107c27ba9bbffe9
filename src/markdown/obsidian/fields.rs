//! Dataview fields: paragraphs of `key:: value` lines as field lists, a list item starting with
//! one with its key set off, and inline `[key:: value]` fields read out of text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;
use crate::markdown::matching_end;

/// A Dataview field line, `key:: value`: the key and where the value starts.
fn field(text: &str) -> Option<(&str, usize)> {
    let at = text.find("::")?;
    let key = text[..at].trim_end();
    let after = &text[at + 2..];
    let plausible = !key.is_empty()
        && !key.starts_with(' ')
        && key.chars().count() <= 40
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-'))
        // `std::vector` is not a field: a value is set off by a space.
        && (after.is_empty() || after.starts_with(char::is_whitespace));
    let value = at + 2 + (after.len() - after.trim_start().len());
    plausible.then_some((key, value))
}

/// Paragraphs of `key:: value` lines as field lists, and a list item starting with one with its
/// key set off.
pub(in crate::markdown) fn fields(events: Events<'_>) -> Events<'_> {
    let has_field = |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains("::"));
    if !events.iter().any(|(e, _)| has_field(e)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Paragraph) => {
                let end = matching_end(&events, i);
                if let Some(rewritten) = field_paragraph(&events[i..=end]) {
                    out.extend(rewritten);
                    i = end + 1;
                    continue;
                }
            }
            Event::Start(Tag::Item) => {
                // `- Status:: read`: the key set off, the rest of the item as it is.
                let end = matching_end(&events, i);
                let line_end = (i + 1..end)
                    .find(|&j| {
                        matches!(
                            events[j].0,
                            Event::SoftBreak
                                | Event::HardBreak
                                | Event::Start(Tag::List(_))
                                | Event::Start(Tag::Paragraph)
                        )
                    })
                    .unwrap_or(end);
                if let Some((key, value)) = field_line(&events[i + 1..line_end]) {
                    let range = &events[i].1;
                    out.push(events[i].clone());
                    out.push(html(r#"<span class="field-key">"#, range));
                    out.push((Event::Text(CowStr::from(key)), range.clone()));
                    out.push(html("</span> ", range));
                    out.extend(value);
                    i = line_end;
                    continue;
                }
            }
            _ => {}
        }
        out.push(events[i].clone());
        i += 1;
    }
    out
}

fn html<'a>(s: &'static str, range: &Range<usize>) -> (Event<'a>, Range<usize>) {
    (Event::InlineHtml(CowStr::Borrowed(s)), range.clone())
}

/// A line of a paragraph that is a Dataview field: its key and the events of its value.
/// The key is plain (`Status:: read`) or bold or italic (`**Status**:: read`).
fn field_line<'a>(line: &[(Event<'a>, Range<usize>)]) -> Option<(String, Events<'a>)> {
    let (key, rest_at, text, range) = match line.first()? {
        (Event::Text(t), r) => {
            let (key, value) = field(t)?;
            (
                key.to_string(),
                1,
                t.get(value..)?.to_string(),
                r.start + value..r.end,
            )
        }
        (Event::Start(Tag::Strong | Tag::Emphasis), _) => {
            let end = matching_end(line, 0);
            let key: String = line[1..end]
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Text(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let (Event::Text(after), r) = &line.get(end + 1)? else {
                return None;
            };
            let joined = format!("{key}{after}");
            let (k, value) = field(&joined)?;
            if k != key.trim_end() {
                return None;
            }
            let value = value - key.len();
            (
                key,
                end + 2,
                after.get(value..)?.to_string(),
                r.start + value..r.end,
            )
        }
        _ => return None,
    };
    let mut value = Vec::new();
    if !text.is_empty() {
        value.push((Event::Text(CowStr::from(text)), range));
    }
    value.extend(line[rest_at..].iter().cloned());
    Some((key, value))
}

/// A paragraph (its events, `Start` to `End`) with field lines, as a `<dl>` for each run of them
/// and a paragraph for each run of other lines; `None` when no line is a field.
fn field_paragraph<'a>(para: &[(Event<'a>, Range<usize>)]) -> Option<Events<'a>> {
    let inner = &para[1..para.len() - 1];
    let mut lines: Vec<&[(Event<'a>, Range<usize>)]> = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (j, (e, _)) in inner.iter().enumerate() {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => {
                lines.push(&inner[start..j]);
                start = j + 1;
            }
            _ => {}
        }
    }
    lines.push(&inner[start..]);
    let fields: Vec<Option<(String, Events<'a>)>> = lines.iter().map(|l| field_line(l)).collect();
    if fields.iter().all(Option::is_none) {
        return None;
    }
    let range = &para[0].1;
    let mut out = Vec::new();
    let mut in_list = false;
    let mut in_para = false;
    for (line, field) in lines.into_iter().zip(fields) {
        match field {
            Some((key, value)) => {
                if in_para {
                    out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    in_para = false;
                }
                if !in_list {
                    out.push((
                        Event::Html(CowStr::Borrowed("<dl class=\"fields\">")),
                        range.clone(),
                    ));
                    in_list = true;
                }
                out.push(html("<dt>", range));
                out.push((Event::Text(CowStr::from(key)), range.clone()));
                out.push(html("</dt><dd>", range));
                out.extend(value);
                out.push(html("</dd>", range));
            }
            None => {
                if in_list {
                    out.push((Event::Html(CowStr::Borrowed("</dl>\n")), range.clone()));
                    in_list = false;
                }
                if in_para {
                    out.push((Event::SoftBreak, range.clone()));
                } else {
                    out.push((Event::Start(Tag::Paragraph), range.clone()));
                    in_para = true;
                }
                out.extend(line.iter().cloned());
            }
        }
    }
    if in_para {
        out.push((Event::End(TagEnd::Paragraph), range.clone()));
    }
    if in_list {
        out.push((Event::Html(CowStr::Borrowed("</dl>\n")), range.clone()));
    }
    Some(out)
}

/// An inline Dataview field at byte `at` of `text` (a `[` or `(`): `[year:: 2011]` shows its key,
/// `(hidden:: yes)` only its value. Returns where it ends, the key and the value.
pub(in crate::markdown) fn inline_field(
    text: &str,
    at: usize,
) -> Option<(usize, String, String, bool)> {
    let close = match text.as_bytes()[at] {
        b'[' => ']',
        b'(' => ')',
        _ => return None,
    };
    let inner_len = text[at + 1..].find([close, '[', '(', '\n'])?;
    if !text[at + 1 + inner_len..].starts_with(close) {
        return None;
    }
    let inner = &text[at + 1..at + 1 + inner_len];
    let (key, value) = field(inner)?;
    Some((
        at + inner_len + 2,
        key.to_string(),
        inner[value..].trim().to_string(),
        close == ')',
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_need_a_key_and_a_space_after_the_colons() {
        assert_eq!(field("rating:: 5"), Some(("rating", 9)));
        assert_eq!(field("Reading status:: done"), Some(("Reading status", 17)));
        assert_eq!(field("std::vector"), None);
        assert_eq!(field(":: x"), None);
        assert_eq!(field("see https://e.org:: x"), None);
    }
}
