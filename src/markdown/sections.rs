//! Sections of a body: the id of every heading (one function, so the anchors `gloss check`
//! accepts are the ones the page has), and the Markdown of one heading's section or one block,
//! for embeds.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::events::events;
use super::{matching_end, obsidian};
use crate::html::slugify;

/// The Markdown of one part of a body, for `![[note#Heading]]` and `![[note#^block]]`: the
/// heading with id `id` and what follows it up to the next heading of its level or above, or the
/// block whose id is `id` (`^…`; an id on a line of its own names the block before it).
pub(crate) fn section<'b>(body: &'b str, id: &str) -> Option<&'b str> {
    let events = events(body);
    if id.starts_with('^') {
        let mut depth = 0usize;
        let mut previous: Option<Range<usize>> = None;
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(tag) => {
                    if matches!(tag, Tag::Paragraph | Tag::Item) {
                        let end = matching_end(&events, i);
                        if let Some((_, found, cut)) = obsidian::block_id_event(&events, i, end)
                            && found == id
                        {
                            let alone = cut == 0 && matches!(tag, Tag::Paragraph) && depth == 0;
                            return match alone {
                                true => previous.map(|r| &body[r]),
                                false => Some(&body[range.clone()]),
                            };
                        }
                    }
                    if depth == 0 {
                        previous = Some(range.clone());
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ if depth == 0 => previous = Some(range.clone()),
                _ => {}
            }
        }
        return None;
    }
    let ids = heading_ids(&events);
    let headings: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Heading { level, .. }) => Some((*level as usize, range.start)),
            _ => None,
        })
        .collect();
    let at = ids.iter().position(|h| h == id)?;
    let (level, start) = headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|(l, _)| *l <= level)
        .map_or(body.len(), |&(_, s)| s);
    Some(&body[start..end])
}

/// The id of every heading of a body, in order: its explicit `{#id}`, else a slug of its text
/// made unique against every explicit id and every earlier heading (`a`, `a-1`, …).
pub(super) fn heading_ids(events: &[(Event<'_>, Range<usize>)]) -> Vec<String> {
    let mut used = UsedIds {
        ids: events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect(),
        ..UsedIds::default()
    };
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let end = matching_end(events, i);
            ids.push(match id {
                Some(id) => id.to_string(),
                None => {
                    let text: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    unique_id(&text, &mut used)
                }
            });
            i = end;
        }
        i += 1;
    }
    ids
}

/// Ids taken so far, and for each slug the suffix to try next: ids are only ever added, so a
/// slug's next free suffix is never below the last one it got, and 10,000 headings of one text
/// cost one try each instead of trying `a-1` … `a-9999` again for the last of them.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(text: &str, used: &mut UsedIds) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    if used.ids.insert(base.clone()) {
        return base;
    }
    let n = used.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.ids.insert(id.clone()) {
            return id;
        }
    }
}

/// A heading's text as written, from its Markdown (`## Norm-$2$ bound ##` or a setext heading
/// over its underline): without the `#` marks, the closing ones, an `{#id .class}` and the
/// underline.
pub(super) fn heading_source(markdown: &str) -> String {
    let text = markdown.trim();
    let text = match text.strip_prefix('#') {
        Some(_) => {
            let text = text.trim_start_matches('#');
            // The closing `#`s count only after a space (`# C#` keeps its `#`).
            let closed = text.trim_end_matches('#');
            match closed.ends_with([' ', '\t']) || closed.is_empty() {
                true => closed,
                false => text,
            }
        }
        // Setext: every line but the underline.
        None => text.rsplit_once('\n').map_or(text, |(above, _)| above),
    };
    let text = text.trim();
    let text = match text.rfind('{') {
        Some(at) if text.ends_with('}') && text[at + 1..].trim_start().starts_with(['#', '.']) => {
            &text[..at]
        }
        _ => text,
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::heading_source;

    #[test]
    fn a_heading_as_written_loses_only_its_marks() {
        for (markdown, text) in [
            ("## Norm-$2$ bound\n", "Norm-$2$ bound"),
            ("### Closed ###", "Closed"),
            ("# C#", "C#"),
            ("## With id {#custom .x}", "With id"),
            ("Setext\ntitle\n===\n", "Setext title"),
            (
                "## Dream ([idea](https://e.org/))",
                "Dream ([idea](https://e.org/))",
            ),
        ] {
            assert_eq!(heading_source(markdown), text, "{markdown}");
        }
    }
}
