//! What search reads of a rendered page: the element marked `data-pagefind-body`, its text less
//! the parts marked `data-pagefind-ignore` (and less what no reader reads as prose: scripts,
//! styles, forms, navigation, SVG), its first `<h1>` as the title, its headings with their ids,
//! and the `data-pagefind-filter` and `data-pagefind-meta` values it carries.
//!
//! A small tokenizer rather than an HTML parser: the pages are gloss's own output, well formed,
//! so a tag is `<name attributes>` and text is what lies between tags. It reads the page once,
//! from the start (so a marker written in a note's title in `<head>` is text, not a marker), and
//! stops where the marked element ends. The attribute names are Pagefind's, which gloss used
//! before it had its own index: a theme written for either works with both.

use std::borrow::Cow;

use super::tags::{Attrs, Kind, Tag, attr, body_start};

/// What a page gives the index.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Extract {
    /// The first `<h1>`'s text.
    pub(super) title: String,
    /// The indexed text, every run of white space made one space.
    pub(super) text: String,
    /// Where in `text` a run of words of one weight starts, and the weight: 7 for an `<h1>` down
    /// to 2 for an `<h6>` (Pagefind's weights), 1 for the rest.
    pub(super) weights: Vec<(usize, u8)>,
    /// Headings with an id: the id, the heading's text, where it starts in `text`.
    pub(super) anchors: Vec<(String, String, usize)>,
    /// `(name, value)` pairs in page order.
    pub(super) filters: Vec<(String, String)>,
    pub(super) meta: Vec<(String, String)>,
}

/// Elements whose text is never indexed (Pagefind leaves out the same).
const REMOVED: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template", "textarea", "select", "button",
];

/// Elements that hold no content, so have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements inside a word: their tags do not separate the words around them.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// An element open around the text being read.
struct Open<'a> {
    name: Cow<'a, str>,
    /// Its text is not indexed (`data-pagefind-ignore`); filters and meta inside still count
    /// unless `data-pagefind-ignore="all"`.
    ignored: bool,
    /// Nothing inside counts at all.
    removed: bool,
    weight: u8,
    /// A filter or meta value being read: (is_filter, name, text so far).
    capture: Option<(bool, String, String)>,
    /// A heading: its id (if any) and where its text starts.
    heading: Option<(Option<String>, usize)>,
}

/// Reads `html`; `None` if no element is marked `data-pagefind-body`.
pub(super) fn extract(html: &str) -> Option<Extract> {
    let mut out = Extract::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut inside = false;
    let mut title_done = false;
    let bytes = html.as_bytes();
    let mut i = body_start(html)?;
    while i < bytes.len() {
        let lt = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        if inside && lt > i {
            text(&mut out, &mut stack, &html[i..lt]);
        }
        if lt >= bytes.len() {
            break;
        }
        let Some(tag) = Tag::read(html, lt) else {
            // A lone `<` (never in gloss's output): text.
            if inside {
                text(&mut out, &mut stack, "<");
            }
            i = lt + 1;
            continue;
        };
        i = tag.end;
        match tag.kind {
            Kind::Other => {}
            Kind::End(name) if inside => {
                let Some(at) = stack.iter().rposition(|o| o.name == name) else {
                    continue;
                };
                while stack.len() > at {
                    let open = stack.pop().expect("an element above `at`");
                    close(&mut out, open, &mut title_done);
                }
                if stack.is_empty() {
                    break;
                }
            }
            Kind::End(_) => {}
            Kind::Start(name, attrs) => {
                if !inside && attr(&attrs, "data-pagefind-body").is_none() {
                    continue;
                }
                inside = true;
                if !INLINE.contains(&&*name) {
                    space(&mut out.text);
                }
                let open = open(&out, &stack, name, &attrs);
                if tag.raw_text {
                    // Script or style: its content was skipped with the tag.
                    continue;
                }
                if VOID.contains(&&*open.name) || tag.self_closing {
                    continue;
                }
                stack.push(open);
            }
        }
    }
    inside.then(|| {
        while out.text.ends_with(' ') {
            out.text.pop();
        }
        out
    })
}

/// The element a start tag opens, given the ones around it.
fn open<'a>(out: &Extract, stack: &[Open], name: Cow<'a, str>, attrs: &Attrs) -> Open<'a> {
    let parent = stack.last();
    let ignore = attr(attrs, "data-pagefind-ignore");
    let removed =
        parent.is_some_and(|p| p.removed) || REMOVED.contains(&&*name) || ignore == Some("all");
    let ignored = removed || parent.is_some_and(|p| p.ignored) || ignore.is_some();
    let level = heading_level(&name);
    let weight = match level {
        Some(l) => 8 - l,
        None => parent.map_or(1, |p| p.weight),
    };
    let capture = if removed {
        None
    } else if let Some(f) = attr(attrs, "data-pagefind-filter") {
        Some((true, f.to_string(), String::new()))
    } else {
        attr(attrs, "data-pagefind-meta").map(|m| (false, m.to_string(), String::new()))
    };
    let heading = level
        .filter(|_| !ignored)
        .map(|_| (attr(attrs, "id").map(str::to_string), out.text.len()));
    Open {
        name,
        ignored,
        removed,
        weight,
        capture,
        heading,
    }
}

/// Ends an element: its filter, meta value, title or anchor is complete.
fn close(out: &mut Extract, open: Open, title_done: &mut bool) {
    if let Some((is_filter, name, value)) = open.capture {
        // `data-pagefind-filter="name:value"` names its value itself.
        let (name, value) = match name.split_once(':') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (name, collapse(&value)),
        };
        if !value.is_empty() {
            let list = if is_filter {
                &mut out.filters
            } else {
                &mut out.meta
            };
            list.push((name, value));
        }
    }
    if let Some((id, start)) = open.heading {
        let heading = out.text[start..].trim().to_string();
        if open.name == "h1" && !*title_done && !heading.is_empty() {
            out.title = heading.clone();
            *title_done = true;
        }
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            out.anchors.push((id, heading, start));
        }
    }
    if !INLINE.contains(&&*open.name) {
        space(&mut out.text);
    }
}

/// Text between tags: into the captures around it, and into the index unless ignored.
fn text(out: &mut Extract, stack: &mut [Open], raw: &str) {
    if stack.last().is_some_and(|o| o.removed) {
        return;
    }
    let decoded: Cow<str> = if raw.contains('&') {
        html_escape::decode_html_entities(raw)
    } else {
        Cow::Borrowed(raw)
    };
    for open in stack.iter_mut() {
        if let Some((_, _, value)) = &mut open.capture {
            value.push_str(&decoded);
        }
    }
    let Some(top) = stack.last() else { return };
    if top.ignored {
        return;
    }
    let weight = top.weight;
    for (k, word) in decoded.split(char::is_whitespace).enumerate() {
        if k > 0 {
            space(&mut out.text);
        }
        if word.is_empty() {
            continue;
        }
        if out.weights.last().map(|w| w.1) != Some(weight) {
            out.weights.push((out.text.len(), weight));
        }
        out.text.push_str(word);
    }
}

/// One space after the text so far (never two, never leading).
fn space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// `s` with its runs of white space made one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Extract {
        extract(&format!(
            "<!doctype html><html><head><title>data-pagefind-body HEAD</title></head><body>\
             <header>Site name</header><main>{body}</main><footer>after</footer></body></html>"
        ))
        .expect("a marked body")
    }

    #[test]
    fn reads_the_marked_element_only_less_its_ignored_parts() {
        let p = page(
            "<p>before</p><article data-pagefind-body><h1 id=\"t\">The &amp; title</h1>\
             <p>One <em>emph</em>asis, <a href=\"/x/\">link</a>.</p>\
             <section data-pagefind-ignore><p>QUOTED passage</p></section>\
             <nav>toc</nav><script>var x = \"<p>\";</script><p>Two&nbsp;words</p></article>\
             <p>outside</p>",
        );
        assert_eq!(p.title, "The & title");
        assert_eq!(p.text, "The & title One emphasis, link. Two words");
        assert_eq!(p.weights, [(0, 7), (12, 1)]);
        assert_eq!(p.anchors, [("t".into(), "The & title".into(), 0)]);
    }

    #[test]
    fn filters_and_meta_are_read_inside_ignored_parts() {
        let p = page(
            "<article data-pagefind-body><h1>T</h1><div hidden data-pagefind-ignore>\
             <span data-pagefind-filter=\"kind\">Source</span>\
             <span data-pagefind-filter=\"theme\">Trust &amp; aid</span>\
             <span data-pagefind-meta=\"short\">Rath (2011)</span></div>\
             <div data-pagefind-ignore=\"all\"><span data-pagefind-filter=\"kind\">No</span></div>\
             <p data-pagefind-filter=\"decade:1990s\">Body</p></article>",
        );
        assert_eq!(
            p.filters,
            [
                ("kind".into(), "Source".into()),
                ("theme".into(), "Trust & aid".into()),
                ("decade".into(), "1990s".into())
            ]
        );
        assert_eq!(p.meta, [("short".into(), "Rath (2011)".into())]);
        assert_eq!(p.text, "T Body");
    }

    #[test]
    fn headings_weigh_by_level_and_keep_their_ids() {
        let p = page(
            "<article data-pagefind-body><h2 id=\"a-b\">A <code>b</code></h2><p>x</p>\
             <h3>No id</h3><br><img alt=\"\" src=\"i.png\"><p>y</p></article>",
        );
        assert_eq!(p.text, "A b x No id y");
        assert_eq!(p.weights, [(0, 6), (4, 1), (6, 5), (12, 1)]);
        assert_eq!(p.anchors, [("a-b".into(), "A b".into(), 0)]);
        assert_eq!(p.title, "");
    }

    #[test]
    fn a_page_without_the_marker_gives_nothing() {
        assert_eq!(extract("<p>data-pagefind-body</p>"), None);
        assert_eq!(extract("<title>data-pagefind-body</title><p>x</p>"), None);
    }
}
