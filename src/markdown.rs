//! Markdown → HTML (pulldown-cmark + syntect), with Pandoc citations, wikilinks and `.md` links.
//!
//! Two passes over the same event stream, both pure:
//! 1. [`scan`] records what a note refers to (citations, links, heading ids) with file positions
//!    and the sentence around each reference, for the graph and for backlinks;
//! 2. [`render`] produces HTML, asking a [`Resolver`] for citation text and link URLs.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::cite::{Citation, parse_citation_label};
use crate::error::line_col;
use crate::note::slugify;

/// Marker URL scheme carrying a bracketed citation's label from the parser's callback to the renderer.
const CITE_SCHEME: &str = "gloss-cite:";
/// Class prefix for syntect's highlighting spans (the theme's CSS is generated with the same).
pub const HIGHLIGHT_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Brackets placed around a citation's index inside a backlink context (private-use characters).
pub const CONTEXT_MARK_OPEN: char = '\u{E000}';
pub const CONTEXT_MARK_CLOSE: char = '\u{E001}';

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Where a link points, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// `[[key]]`: a source key, theme slug or page path.
    Key(String),
    /// `[text](../themes/x.md)`: a content file, as a path relative to `content/`.
    File(String),
}

/// A reference to another note found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub target: LinkTarget,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
    /// Index into [`Scan::contexts`].
    pub context: usize,
}

/// A citation found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteRef {
    pub citation: Citation,
    pub line: usize,
    pub col: usize,
    pub context: usize,
}

/// What a note body refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub citations: Vec<CiteRef>,
    pub links: Vec<LinkRef>,
    /// Heading ids, for checking `#anchor` links.
    pub heading_ids: Vec<String>,
    /// The text of each block holding a reference; citation `i` appears as `\u{E000}i\u{E001}`.
    pub contexts: Vec<String>,
}

/// A resolved link: where it goes, and the text to show for a bare `[[key]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLink {
    pub url: String,
    pub label: String,
}

/// What the renderer asks of the rest of the site.
pub trait Resolver {
    /// The HTML of a citation (linked, with tooltip). Unknown keys still render, visibly.
    fn citation_html(&self, citation: &Citation) -> String;
    /// The URL of a link target, or `None` if there is no such note.
    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink>;
    /// The site's base path (`/review/`, or `/`), for links to files that are not notes.
    fn base_path(&self) -> &str;
}

/// The events of a body with their byte ranges; citations arrive as links to `gloss-cite:<label>`.
fn events(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let callback = |link: BrokenLink<'_>| {
        let label = link.reference.as_ref();
        parse_citation_label(label).is_some().then(|| {
            (
                CowStr::from(format!("{CITE_SCHEME}{label}")),
                CowStr::from(""),
            )
        })
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    merge_text(parser.into_offset_iter().collect())
}

/// Joins adjacent text events, so `@key` and sentences are never split across events.
fn merge_text(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(next);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// Splits text into plain runs and narrative citations (`@key` not preceded by a word character).
fn narrative_citations(text: &str) -> Vec<(Range<usize>, Option<Citation>)> {
    if !text.contains('@') {
        // The common case, found with a fast byte search.
        return match text.is_empty() {
            true => Vec::new(),
            false => vec![(0..text.len(), None)],
        };
    }
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut plain_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' {
            let prev_ok = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@')));
            let key_len = crate::cite::key_length(&text[i + 1..]);
            if prev_ok && key_len > 0 {
                if plain_start < i {
                    out.push((plain_start..i, None));
                }
                let end = i + 1 + key_len;
                out.push((i..end, Some(Citation::narrative(&text[i + 1..end]))));
                plain_start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if plain_start < text.len() {
        out.push((plain_start..text.len(), None));
    }
    out
}

fn link_target(
    dest: &str,
    link_type: LinkType,
    note_dir: &str,
) -> Option<(LinkTarget, Option<String>)> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    if matches!(link_type, LinkType::WikiLink { .. }) {
        return Some((LinkTarget::Key(path.trim().to_string()), anchor));
    }
    if path.contains("://")
        || path.starts_with('/')
        || path.starts_with("mailto:")
        || !path.ends_with(".md")
    {
        return None;
    }
    Some((LinkTarget::File(join_relative(note_dir, path)?), anchor))
}

/// The URL of a link or image that is neither a note nor external, so that it works under any
/// base path: `/x` is relative to the site's root (`/review/x`), and a relative path such as
/// `figure.svg` is relative to the note's file in `content/`, like a `.md` link
/// (`themes/figure.svg` → `/review/themes/figure.svg`). `None` leaves the URL as written: a URL
/// with a scheme, `//host`, a bare `#anchor` or `?query`, or a path climbing out of `content/`.
fn local_url(dest: &str, note_dir: &str, base_path: &str) -> Option<String> {
    let split = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(split);
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    if path.is_empty() || has_scheme || path.starts_with("//") {
        return None;
    }
    let joined = match path.strip_prefix('/') {
        Some(from_root) => from_root.to_string(),
        None => {
            let mut joined = join_relative(note_dir, path)?;
            if path.ends_with('/') && !joined.is_empty() {
                joined.push('/');
            }
            joined
        }
    };
    Some(format!("{base_path}{joined}{suffix}"))
}

/// `themes` + `../sources/x.md` → `sources/x.md`; `None` if the path climbs out of `content/`.
fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Records the references of a body. `note_dir` is the note's folder relative to `content/`;
/// `first_line` is the file line on which the body starts.
pub fn scan(body: &str, note_dir: &str, first_line: usize) -> Scan {
    let mut scan = Scan::default();
    let mut block = String::new();
    let mut block_has_refs = false;
    let mut in_code = false;
    let mut heading_text: Option<String> = None;
    let mut used_ids = HashSet::new();
    // Line starts, so that each reference's position costs a binary search, not a rescan.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let position = |offset: usize| {
        let line = line_starts.partition_point(|&start| start <= offset);
        let start = line_starts[line - 1];
        let (_, col) = line_col(&body[start..], offset - start);
        (line + first_line - 1, col)
    };
    let events = events(body);
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let end = matching_end(&events, i);
                if let Some(label) = dest_url.strip_prefix(CITE_SCHEME) {
                    if let Some(citation) = parse_citation_label(label) {
                        let (line, col) = position(range.start);
                        push_marker(&mut block, scan.citations.len());
                        scan.citations.push(CiteRef {
                            citation,
                            line,
                            col,
                            context: scan.contexts.len(),
                        });
                        block_has_refs = true;
                    }
                    i = end + 1;
                    continue;
                }
                if let Some((target, anchor)) = link_target(dest_url, *link_type, note_dir) {
                    let (line, col) = position(range.start);
                    scan.links.push(LinkRef {
                        target,
                        anchor,
                        line,
                        col,
                        context: scan.contexts.len(),
                    });
                    block_has_refs = true;
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { id, .. }) => {
                heading_text = Some(String::new());
                if let Some(id) = id {
                    used_ids.insert(id.to_string());
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = heading_text.take().unwrap_or_default();
                if let Some(id) = heading_id_at(&events, i).map(str::to_string) {
                    scan.heading_ids.push(id);
                } else {
                    scan.heading_ids.push(unique_id(&text, &mut used_ids));
                }
                finish_block(&mut scan, &mut block, &mut block_has_refs);
            }
            Event::Text(text) if !in_code => {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(text);
                }
                for (sub, cite) in narrative_citations(text) {
                    match cite {
                        Some(citation) => {
                            let (line, col) = position(range.start + sub.start);
                            push_marker(&mut block, scan.citations.len());
                            scan.citations.push(CiteRef {
                                citation,
                                line,
                                col,
                                context: scan.contexts.len(),
                            });
                            block_has_refs = true;
                        }
                        None => block.push_str(&text[sub]),
                    }
                }
            }
            Event::Code(code) => {
                block.push_str(code);
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(code);
                }
            }
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            Event::End(TagEnd::TableCell) => block.push_str(" · "),
            Event::End(TagEnd::Paragraph | TagEnd::TableRow | TagEnd::TableHead | TagEnd::Item) => {
                finish_block(&mut scan, &mut block, &mut block_has_refs)
            }
            _ => {}
        }
        i += 1;
    }
    finish_block(&mut scan, &mut block, &mut block_has_refs);
    scan
}

fn push_marker(block: &mut String, index: usize) {
    block.push(CONTEXT_MARK_OPEN);
    block.push_str(&index.to_string());
    block.push(CONTEXT_MARK_CLOSE);
}

fn finish_block(scan: &mut Scan, block: &mut String, has_refs: &mut bool) {
    if *has_refs {
        scan.contexts
            .push(block.trim().trim_end_matches(" ·").to_string());
    }
    block.clear();
    *has_refs = false;
}

/// The explicit `{#id}` of the heading whose end is at `end`, if any.
fn heading_id_at<'a>(events: &'a [(Event<'a>, Range<usize>)], end: usize) -> Option<&'a str> {
    events[..end].iter().rev().find_map(|(e, _)| match e {
        Event::Start(Tag::Heading { id, .. }) => Some(id.as_deref()),
        _ => None,
    })?
}

fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn unique_id(text: &str, used: &mut HashSet<String>) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Renders a body to HTML. `note_dir` is the note's folder relative to `content/`.
pub fn render(body: &str, note_dir: &str, resolver: &dyn Resolver) -> String {
    let events = events(body);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut used_ids = HashSet::new();
    for (e, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            used_ids.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        let event = events[i].0.clone();
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(label) = dest_url.strip_prefix(CITE_SCHEME) {
                    if let Some(citation) = parse_citation_label(label) {
                        out.push(Event::InlineHtml(resolver.citation_html(&citation).into()));
                    }
                    i = matching_end(&events, i) + 1;
                    continue;
                }
                match link_target(&dest_url, link_type, note_dir) {
                    Some((target, anchor)) => {
                        let end = matching_end(&events, i);
                        let resolved = resolver.resolve(&target, anchor.as_deref());
                        let url = resolved
                            .as_ref()
                            .map_or_else(|| "#missing".to_string(), |r| r.url.clone());
                        out.push(Event::Start(Tag::Link {
                            link_type: LinkType::Inline,
                            dest_url: url.into(),
                            title,
                            id,
                        }));
                        let bare = matches!(link_type, LinkType::WikiLink { has_pothole: false });
                        match (&resolved, bare) {
                            (Some(r), true) => out.push(Event::Text(r.label.clone().into())),
                            _ => out.extend(events[i + 1..end].iter().map(|(e, _)| e.clone())),
                        }
                        out.push(Event::End(TagEnd::Link));
                        i = end + 1;
                        continue;
                    }
                    None => out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: local_url(&dest_url, note_dir, resolver.base_path())
                            .map_or(dest_url, CowStr::from),
                        title,
                        id,
                    })),
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type,
                dest_url: local_url(&dest_url, note_dir, resolver.base_path())
                    .map_or(dest_url, CowStr::from),
                title,
                id,
            })),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = matching_end(&events, i);
                let id = id.map(|s| s.to_string()).unwrap_or_else(|| {
                    let text: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    unique_id(&text, &mut used_ids)
                });
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.clone().into()),
                    classes,
                    attrs,
                }));
                for (e, _) in &events[i + 1..end] {
                    push_text_or(&mut out, e, resolver);
                }
                out.push(Event::InlineHtml(
                    format!(r##" <a class="anchor" href="#{id}" aria-label="Link to this section">#</a>"##).into(),
                ));
                out.push(Event::End(TagEnd::Heading(level)));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = matching_end(&events, i);
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                out.push(Event::Html(highlight(&code, &lang).into()));
                i = end + 1;
                continue;
            }
            e => push_text_or(&mut out, &e, resolver),
        }
        i += 1;
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// Pushes an event, turning narrative `@key` citations in text into their HTML.
fn push_text_or<'a>(out: &mut Vec<Event<'a>>, event: &Event<'a>, resolver: &dyn Resolver) {
    let Event::Text(text) = event else {
        out.push(event.clone());
        return;
    };
    if !text.contains('@') {
        out.push(event.clone());
        return;
    }
    for (range, cite) in narrative_citations(text) {
        match cite {
            Some(c) => out.push(Event::InlineHtml(resolver.citation_html(&c).into())),
            None => out.push(Event::Text(text[range].to_string().into())),
        }
    }
}

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A highlighted code block with CSS classes (no inline colours), or plain escaped code.
pub fn highlight(code: &str, lang: &str) -> String {
    let set = syntax_set();
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(r#" data-lang="{}""#, escape_html(lang))
    };
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let inner = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, set, HIGHLIGHT_CLASS_STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    format!("<pre class=\"code\"{lang_attr}><code>{inner}</code></pre>\n")
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain_from = 0;
    // The special characters are ASCII, so byte positions are character boundaries.
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain_from..i]);
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Resolver for Fake {
        fn citation_html(&self, c: &Citation) -> String {
            format!(
                "<cite>{}</cite>",
                c.items
                    .iter()
                    .map(|i| i.key.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            )
        }
        fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
            let key = match target {
                LinkTarget::Key(k) => k.clone(),
                LinkTarget::File(f) => f.trim_end_matches(".md").to_string(),
            };
            (key != "missing").then(|| ResolvedLink {
                url: format!(
                    "/{key}/{}",
                    anchor.map(|a| format!("#{a}")).unwrap_or_default()
                ),
                label: key.to_uppercase(),
            })
        }
        fn base_path(&self) -> &str {
            "/review/"
        }
    }

    #[test]
    fn local_links_and_images_follow_the_base_path() {
        let url = |dest: &str| local_url(dest, "themes", "/review/");
        assert_eq!(
            url("/bibliography/").as_deref(),
            Some("/review/bibliography/")
        );
        assert_eq!(url("/").as_deref(), Some("/review/"));
        assert_eq!(
            url("figure.svg").as_deref(),
            Some("/review/themes/figure.svg")
        );
        assert_eq!(
            url("../img/a.png?v=2#top").as_deref(),
            Some("/review/img/a.png?v=2#top")
        );
        assert_eq!(url("../tags/").as_deref(), Some("/review/tags/"));
        for kept in [
            "https://e.org/x",
            "mailto:a@e.org",
            "//cdn.e.org/x.js",
            "#top",
            "?q",
            "",
            "../../x.png",
        ] {
            assert_eq!(url(kept), None, "{kept}");
        }
        let html = render(
            "![F](fig.png) [bib](/bibliography/) [ext](https://e.org/)",
            "themes",
            &Fake,
        );
        assert!(html.contains(r#"src="/review/themes/fig.png""#), "{html}");
        assert!(html.contains(r#"href="/review/bibliography/""#), "{html}");
        assert!(html.contains(r#"href="https://e.org/""#), "{html}");
    }

    #[test]
    fn scans_citations_links_and_contexts() {
        let body = "Intro.\n\nTrust fell [@a2009, p. 3; @b2011]. As @c2020 shows, see [[trust]].\n\n`@notcode` [x](../themes/y.md#h)\n";
        let s = scan(body, "sources", 10);
        let keys: Vec<_> = s
            .citations
            .iter()
            .map(|c| c.citation.items[0].key.as_str())
            .collect();
        assert_eq!(keys, ["a2009", "c2020"]);
        assert_eq!((s.citations[0].line, s.citations[0].col), (12, 12));
        assert_eq!(s.links[0].target, LinkTarget::Key("trust".into()));
        assert_eq!(s.links[1].target, LinkTarget::File("themes/y.md".into()));
        assert_eq!(s.links[1].anchor.as_deref(), Some("h"));
        assert!(
            s.contexts[0].starts_with("Trust fell \u{E000}0\u{E001}."),
            "{:?}",
            s.contexts
        );
        assert_eq!(s.contexts.len(), 2);
    }

    #[test]
    fn emails_and_code_are_not_citations() {
        let s = scan("Write to me@example.org.\n\n```\n@x\n```\n", "", 1);
        assert!(s.citations.is_empty());
    }

    #[test]
    fn renders_citations_links_and_heading_anchors() {
        let html = render(
            "## Hello World\n\nSee [@a] and @b, [[t]], [[t|text]], [[missing]].\n",
            "",
            &Fake,
        );
        assert!(
            html.contains(
                r##"<h2 id="hello-world">Hello World <a class="anchor" href="#hello-world""##
            ),
            "{html}"
        );
        assert!(
            html.contains("See <cite>a</cite> and <cite>b</cite>"),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/t/">T</a>"#), "{html}");
        assert!(html.contains(r#"<a href="/t/">text</a>"#), "{html}");
        assert!(
            html.contains(r##"<a href="#missing">missing</a>"##),
            "{html}"
        );
    }

    #[test]
    fn highlights_with_classes_not_colours() {
        let html = render("```rust\nfn main() {}\n```\n", "", &Fake);
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let s = scan("# A\n\n# A\n", "", 1);
        assert_eq!(s.heading_ids, ["a", "a-1"]);
    }
}
