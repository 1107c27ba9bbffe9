//! The event stream both passes read: pulldown-cmark's events with their byte ranges,
//! bracketed citations marked as links to `gloss-cite:<label>`, adjacent text joined, and
//! Obsidian's callouts and Dataview fields rewritten.

use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::{CITE_SCHEME, obsidian, options};
use crate::cite::parse_citation_label;

/// The events of a body with their byte ranges; citations arrive as links to `gloss-cite:<label>`.
pub(super) fn events(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    events_and_raw_html(body).0
}

/// The events of a body, and whether the author wrote raw HTML in it (the rewrites below add
/// HTML events of gloss's own, so this is told before them).
pub(super) fn events_and_raw_html(body: &str) -> (Vec<(Event<'_>, Range<usize>)>, bool) {
    // The callback gives a citation an empty destination, made `gloss-cite:<label>` afterwards
    // from the label pulldown-cmark keeps as the link's id: the destinations and titles it
    // gives count against pulldown-cmark's budget for expanding link references (the body's
    // length, at least 100 kB), which a paragraph of 9,000 `[@key]` used up, the rest of its
    // citations then left as bracketed text.
    let callback = |link: BrokenLink<'_>| {
        parse_citation_label(&link.reference)
            .is_some()
            .then(|| (CowStr::from(""), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let mut raw_html = false;
    let events = parser.into_offset_iter().map(|(event, range)| {
        raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
        (cite_url(event), range)
    });
    let events = links_in_wikilinks(body, merge_text(events));
    (obsidian::fields(obsidian::callouts(events)), raw_html)
}

/// A wikilink whose name holds a Markdown link (`[[Village#Pies ([idea](https://e.org))|Pies]]`,
/// a link to a heading that holds a link): the parser reads the inner link and leaves the
/// wikilink's brackets as text around it. Made one wikilink again, from its source, when the
/// text around is as written (no escapes or typographic quotes to map back).
fn links_in_wikilinks<'a>(body: &'a str, events: Vec<(Event<'a>, Range<usize>)>) -> Events<'a> {
    if !body.contains("[[") {
        return events;
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match rejoin(body, &events, i) {
            Some(span) => {
                i = span.1 + 1;
                spans.push(span);
            }
            None => i += 1,
        }
    }
    if spans.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut spans = spans.into_iter().peekable();
    for (i, event) in events.into_iter().enumerate() {
        match spans.peek_mut() {
            Some((first, last, made)) if (*first..=*last).contains(&i) => {
                if i == *last {
                    out.append(made);
                    spans.next();
                }
            }
            _ => out.push(event),
        }
    }
    out
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The events from `i` (a text ending in an open `[[`) to the text holding its `]]`, and the
/// wikilink they are, if they are one.
fn rejoin<'a>(body: &'a str, events: &Events<'a>, i: usize) -> Option<(usize, usize, Events<'a>)> {
    let (Event::Text(text), range) = &events[i] else {
        return None;
    };
    let source = &body[range.clone()];
    let open_at = source
        .rfind("[[")
        .filter(|&at| !source[at..].contains("]]"))?;
    let tail = &source[open_at..];
    let prefix = text.strip_suffix(tail)?;
    if !matches!(events.get(i + 1), Some((Event::Start(Tag::Link { .. }), _))) {
        return None;
    }
    let open = range.start + open_at;
    for j in i + 1..events.len().min(i + 24) {
        match &events[j] {
            (Event::Text(text), range) => {
                let source = &body[range.clone()];
                let Some(at) = source.find("]]") else {
                    continue;
                };
                let head = &source[..at + 2];
                let suffix = text.strip_prefix(head)?;
                let close = range.start + at;
                let inner = &body[open + 2..close];
                if inner.contains('\n') {
                    return None;
                }
                let (dest, label, has_pothole) = match inner.split_once('|') {
                    Some((dest, label)) => (dest, label, true),
                    None => (inner, inner, false),
                };
                let whole = open..close + 2;
                let mut made = Vec::new();
                if !prefix.is_empty() {
                    made.push((
                        Event::Text(prefix.to_string().into()),
                        range_of(events, i).start..open,
                    ));
                }
                made.push((
                    Event::Start(Tag::Link {
                        link_type: LinkType::WikiLink { has_pothole },
                        dest_url: CowStr::Borrowed(dest),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    whole.clone(),
                ));
                made.push((Event::Text(CowStr::Borrowed(label)), whole.clone()));
                made.push((Event::End(TagEnd::Link), whole));
                if !suffix.is_empty() {
                    made.push((Event::Text(suffix.to_string().into()), close + 2..range.end));
                }
                return Some((i, j, made));
            }
            (
                Event::Start(Tag::Link { .. } | Tag::Emphasis | Tag::Strong)
                | Event::End(TagEnd::Link | TagEnd::Emphasis | TagEnd::Strong)
                | Event::Code(_)
                | Event::InlineMath(_),
                _,
            ) => {}
            _ => return None,
        }
    }
    None
}

fn range_of(events: &Events<'_>, i: usize) -> Range<usize> {
    events[i].1.clone()
}

/// A link or image the callback made (only it makes links of an unknown reference) with its
/// destination `gloss-cite:<label>`.
fn cite_url(event: Event<'_>) -> Event<'_> {
    let unknown = |t: LinkType| {
        matches!(
            t,
            LinkType::ReferenceUnknown | LinkType::CollapsedUnknown | LinkType::ShortcutUnknown
        )
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            title,
            id,
            ..
        }) if unknown(link_type) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(format!("{CITE_SCHEME}{id}")),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            title,
            id,
            ..
        }) if unknown(link_type) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from(format!("{CITE_SCHEME}{id}")),
            title,
            id,
        }),
        event => event,
    }
}

/// Joins adjacent text events, so `@key` and sentences are never split across events. A run is
/// gathered in one growing string and made an event once, at its end: copying the text joined
/// so far at each event would be quadratic in a run of many (pulldown-cmark splits text at
/// every bracket, quote and asterisk). The events are joined as the parser gives them, so that
/// a body's events are held in one vector, not collected in one and joined into another (a 50 MB
/// note has millions of them).
fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    // The run being joined, once it has a second event.
    let mut joined: Option<String> = None;
    let close = |out: &mut Vec<(Event<'_>, Range<usize>)>, joined: &mut Option<String>| {
        if let (Some(text), Some((Event::Text(last), _))) = (joined.take(), out.last_mut()) {
            *last = CowStr::from(text);
        }
    };
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            joined
                .get_or_insert_with(|| prev.to_string())
                .push_str(next);
            prev_range.end = range.end;
            continue;
        }
        close(&mut out, &mut joined);
        out.push((event, range));
    }
    close(&mut out, &mut joined);
    out
}
