//! Obsidian's Markdown on top of CommonMark: callouts (`> [!note]- Title`) and Dataview fields
//! (`key:: value` lines), rewritten in the event stream before either pass sees it, and the
//! inline pieces both passes read out of text: `#tags`, `==highlights==` and block ids (`^id`).
//!
//! The rewrites keep every `Start` matched by its `End`, so the passes can still find the end of
//! any element by depth.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Callouts as `<aside>` (or `<details>` when foldable), in place of their block quotes.
pub(super) fn callouts(events: Events<'_>) -> Events<'_> {
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
                    let (open, title_open, title_close, close) = if header.foldable {
                        let open = if header.open { " open" } else { "" };
                        (
                            format!(
                                r#"<details class="callout callout-{}" data-callout="{}"{open}>"#,
                                header.family, header.kind
                            ),
                            r#"<summary class="callout-title">"#,
                            "</summary>",
                            "</div></details>\n",
                        )
                    } else {
                        (
                            format!(
                                r#"<aside class="callout callout-{}" data-callout="{}">"#,
                                header.family, header.kind
                            ),
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

/// The first line of a callout: `[!type]`, an optional `+` or `-`, and its title.
struct Header<'a> {
    kind: String,
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
        let kind = &rest[..close];
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
            foldable: fold.is_some(),
            open: fold == Some('+'),
            title_text: (!title.is_empty()).then(|| CowStr::from(title.to_string())),
            title_events: i + 3..j,
            continues,
            resume: j + 1,
        })
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

/// A Dataview field line, `key:: value`: the key and where the value starts.
pub(super) fn field(text: &str) -> Option<(&str, usize)> {
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
pub(super) fn fields(events: Events<'_>) -> Events<'_> {
    let has_field = |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains("::"));
    if !events.iter().any(|(e, _)| has_field(e)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Paragraph) => {
                let end = super::matching_end(&events, i);
                if let Some(rewritten) = field_paragraph(&events[i..=end]) {
                    out.extend(rewritten);
                    i = end + 1;
                    continue;
                }
            }
            Event::Start(Tag::Item) => {
                // `- Status:: read`: the key set off, the rest of the item as it is.
                let end = super::matching_end(&events, i);
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
            let end = super::matching_end(line, 0);
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
pub(super) fn inline_field(text: &str, at: usize) -> Option<(usize, String, String, bool)> {
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
    fn fields_need_a_key_and_a_space_after_the_colons() {
        assert_eq!(field("rating:: 5"), Some(("rating", 9)));
        assert_eq!(field("Reading status:: done"), Some(("Reading status", 17)));
        assert_eq!(field("std::vector"), None);
        assert_eq!(field(":: x"), None);
        assert_eq!(field("see https://e.org:: x"), None);
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
