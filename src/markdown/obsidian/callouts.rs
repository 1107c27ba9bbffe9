//! Obsidian's callouts (`> [!note]- Title`, `> [!quote|yellow]+ Title`): block quotes rewritten
//! as `<aside>`, or as `<details>` when foldable, their title and body kept as events, and what
//! follows a `|` in the marker (a colour or a width, for themes and CSS snippets) kept in
//! `data-callout-metadata`, as Obsidian and Quartz keep it.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;
use crate::html::escape_html;

/// Callouts as `<aside>` (or `<details>` when foldable), in place of their block quotes.
pub(in crate::markdown) fn callouts(events: Events<'_>) -> Events<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    // For each block quote open around the current event: the HTML closing it, if a callout.
    let mut closers: Vec<Option<&'static str>> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::BlockQuote(_)) => {
                if let Some(header) = Header::at(&events, i) {
                    let range = events[i].1.clone();
                    let html = |s: String| (Event::Html(CowStr::from(s)), range.clone());
                    let data = header.data();
                    let (open, title_open, title_close, close) = if header.foldable {
                        let open = if header.open { " open" } else { "" };
                        (
                            format!(
                                r#"<details class="callout callout-{}"{data}{open}>"#,
                                header.family
                            ),
                            r#"<summary class="callout-title">"#,
                            "</summary>",
                            "</div></details>\n",
                        )
                    } else {
                        (
                            format!(r#"<aside class="callout callout-{}"{data}>"#, header.family),
                            r#"<p class="callout-title">"#,
                            "</p>",
                            "</div></aside>\n",
                        )
                    };
                    out.push(html(format!("{open}{title_open}")));
                    match &header.title_text {
                        Some(text) => out.push((Event::Text(text.clone()), range.clone())),
                        None if header.title_events.is_empty() => out.push((
                            Event::Text(CowStr::from(header.default_title())),
                            range.clone(),
                        )),
                        None => {}
                    }
                    out.extend(events[header.title_events.clone()].iter().cloned());
                    out.push(html(format!(r#"{title_close}<div class="callout-body">"#)));
                    closers.push(Some(close));
                    if header.continues {
                        // The first paragraph goes on after the title line.
                        out.push((Event::Start(Tag::Paragraph), range.clone()));
                    }
                    i = header.resume;
                    continue;
                }
                closers.push(None);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(Some(close)) = closers.pop() {
                    out.push((Event::Html(CowStr::from(close)), events[i].1.clone()));
                    i += 1;
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

/// The first line of a callout: `[!type]` or `[!type|metadata]`, an optional `+` or `-`, and
/// its title.
struct Header<'a> {
    kind: String,
    /// What follows the `|` in the marker, trimmed; "" for none.
    metadata: String,
    family: &'static str,
    foldable: bool,
    open: bool,
    /// The title's text in the marker's own text event, if any.
    title_text: Option<CowStr<'a>>,
    /// The title's other inline events.
    title_events: Range<usize>,
    /// Whether the first paragraph has more lines after the title.
    continues: bool,
    /// Where the block quote's content goes on.
    resume: usize,
}

impl<'a> Header<'a> {
    fn at(events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<Header<'a>> {
        if !matches!(events.get(i + 1)?.0, Event::Start(Tag::Paragraph)) {
            return None;
        }
        let Event::Text(text) = &events.get(i + 2)?.0 else {
            return None;
        };
        let rest = text.strip_prefix("[!")?;
        let close = rest.find(']')?;
        let (kind, metadata) = rest[..close]
            .split_once('|')
            .unwrap_or((&rest[..close], ""));
        if kind.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return None;
        }
        let mut after = &rest[close + 1..];
        let fold = after.chars().next().filter(|c| *c == '+' || *c == '-');
        if let Some(c) = fold {
            after = &after[c.len_utf8()..];
        }
        // The title goes on to the end of its line (inline markup included).
        let mut j = i + 3;
        let mut depth = 0usize;
        while j < events.len() {
            match &events[j].0 {
                Event::SoftBreak | Event::HardBreak if depth == 0 => break,
                Event::End(TagEnd::Paragraph) if depth == 0 => break,
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            j += 1;
        }
        let continues = matches!(events.get(j)?.0, Event::SoftBreak | Event::HardBreak);
        // Trailing space is kept before inline markup that goes on with the title.
        let title = if j == i + 3 {
            after.trim()
        } else {
            after.trim_start()
        };
        let kind = kind.to_lowercase();
        Some(Header {
            family: family(&kind),
            kind,
            metadata: metadata.trim().to_string(),
            foldable: fold.is_some(),
            open: fold == Some('+'),
            title_text: (!title.is_empty()).then(|| CowStr::from(title.to_string())),
            title_events: i + 3..j,
            continues,
            resume: j + 1,
        })
    }

    /// The `data-` attributes of the callout's element (its type is checked to be a name; its
    /// metadata is the note's own text, escaped).
    fn data(&self) -> String {
        let mut data = format!(r#" data-callout="{}""#, self.kind);
        if !self.metadata.is_empty() {
            data.push_str(&format!(
                r#" data-callout-metadata="{}""#,
                escape_html(&self.metadata)
            ));
        }
        data
    }

    fn default_title(&self) -> String {
        let mut chars = self.kind.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// The callout types Obsidian draws alike, by the name its styles use.
fn family(kind: &str) -> &'static str {
    match kind {
        "abstract" | "summary" | "tldr" => "abstract",
        "info" => "info",
        "todo" => "todo",
        "tip" | "hint" | "important" => "tip",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "caution" | "attention" => "warning",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" | "bug" => "danger",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}
