//! The render pass: a note body as HTML, with citations, links, embeds and attachments answered
//! by a [`Resolver`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::events::events;
use super::highlight::highlight;
use super::links::{Media, is_local_link, link_target, local_url, media_of};
use super::pieces::{Piece, pieces};
use super::sections::heading_ids;
use super::{
    CITE_SCHEME, Embedded, LinkTarget, Resolver, Settings, matching_end, math, obsidian, private,
};
use crate::cite::{Citation, parse_citation_label};
use crate::html::escape_html;

/// The sources a body has cited so far, so that each citation knows which of its works it cites
/// for the first time (APA introduces a group author's abbreviation there).
#[derive(Default)]
struct Cited(HashSet<String>);

impl Cited {
    fn html(&mut self, citation: &Citation, resolver: &dyn Resolver) -> String {
        let first: Vec<bool> = citation
            .items
            .iter()
            .map(|item| self.0.insert(item.key.clone()))
            .collect();
        resolver.citation_html(citation, &first)
    }
}

/// Renders a body to HTML. `note_dir` is the note's folder relative to the notes' folder.
pub(crate) fn render(
    body: &str,
    note_dir: &str,
    resolver: &dyn Resolver,
    settings: &Settings,
) -> String {
    let events = events(body);
    let mut r = Renderer {
        events: &events,
        out: Vec::with_capacity(events.len()),
        note_dir,
        resolver,
        settings,
        cited: Cited::default(),
        in_link: 0,
        cuts: HashMap::new(),
        in_para: false,
        para_open: false,
        reopen: Vec::new(),
        tables: 0,
    };
    r.run();
    pair_marks(&mut r.out);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
    // CommonMark's insecure character: a NUL becomes U+FFFD (pulldown-cmark passes it through).
    if html.contains('\0') {
        html = html.replace('\0', "\u{FFFD}");
    }
    private::restore(&html).into_owned()
}

struct Renderer<'e, 'a> {
    events: &'e [(Event<'a>, Range<usize>)],
    out: Vec<Event<'a>>,
    note_dir: &'e str,
    resolver: &'e dyn Resolver,
    settings: &'e Settings,
    cited: Cited,
    /// Inside a link's text, where `#tags` stay text.
    in_link: usize,
    /// Text events whose end is a block id, and where their text ends (by event: a note may
    /// hold thousands of block ids).
    cuts: HashMap<usize, usize>,
    /// Inside a paragraph, and whether its `<p>` is open (an embed closes it).
    in_para: bool,
    para_open: bool,
    /// The inline elements (emphasis, links) an embed closed, to open again after it.
    reopen: Vec<Tag<'a>>,
    /// Tables so far, each named by its number.
    tables: usize,
}

impl<'a> Renderer<'_, 'a> {
    fn run(&mut self) {
        let events = self.events;
        let mut ids = heading_ids(events).into_iter();
        let mut heading_id = String::new();
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
                    i = self.link(i, link_type, dest_url, title, id);
                    continue;
                }
                Event::End(TagEnd::Link) => {
                    self.in_link = self.in_link.saturating_sub(1);
                    self.close_inline(Event::End(TagEnd::Link));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    i = self.image(i, link_type, dest_url, title, id);
                    continue;
                }
                Event::Start(Tag::Heading {
                    level,
                    id: _,
                    classes,
                    attrs,
                }) => {
                    heading_id = ids.next().unwrap_or_default();
                    let id = (!self.settings.embedded).then(|| heading_id.clone().into());
                    self.out.push(Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    if !self.settings.embedded {
                        self.out.push(Event::InlineHtml(
                            format!(r##" <a class="anchor" href="#{}" aria-label="Link to this section">#</a>"##, escape_html(&heading_id)).into(),
                        ));
                    }
                    self.out.push(Event::End(TagEnd::Heading(level)));
                }
                Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
                    self.inline(Event::Start(tag));
                }
                Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                    self.close_inline(event);
                }
                Event::Start(Tag::Paragraph) => {
                    self.in_para = true;
                    self.para_open = true;
                    let end = matching_end(events, i);
                    match self.block_id(i, end) {
                        Some(id) => self
                            .out
                            .push(Event::Html(format!(r#"<p id="{id}">"#).into())),
                        None => self.out.push(Event::Start(Tag::Paragraph)),
                    }
                }
                Event::End(TagEnd::Paragraph) => {
                    if self.para_open {
                        self.out.push(Event::End(TagEnd::Paragraph));
                    }
                    self.in_para = false;
                    self.para_open = false;
                    self.reopen.clear();
                }
                Event::Start(Tag::Item) => {
                    let end = matching_end(events, i);
                    match self.block_id(i, end) {
                        Some(id) => self
                            .out
                            .push(Event::Html(format!(r#"<li id="{id}">"#).into())),
                        None => self.out.push(Event::Start(Tag::Item)),
                    }
                }
                Event::Start(Tag::TableCell) => {
                    self.out.push(Event::Start(Tag::TableCell));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = matching_end(events, i);
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
                    self.out.push(Event::Html(highlight(&code, &lang).into()));
                    i = end + 1;
                    continue;
                }
                // A table scrolls sideways in a region of its own, which keyboards can reach.
                // Numbered, so that each region has a name of its own.
                Event::Start(Tag::Table(alignments)) => {
                    self.tables += 1;
                    self.out.push(Event::Html(
                        format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\">\n", self.tables)
                            .into(),
                    ));
                    self.out.push(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    self.out.push(Event::End(TagEnd::Table));
                    self.out.push(Event::Html("</div>\n".into()));
                }
                Event::InlineMath(tex) => {
                    self.inline(Event::InlineHtml(math::html(&tex, false).into()))
                }
                Event::DisplayMath(tex) => {
                    self.inline(Event::InlineHtml(math::html(&tex, true).into()))
                }
                Event::SoftBreak if self.settings.hard_breaks => self.inline(Event::HardBreak),
                Event::Text(text) => self.text(i, text),
                e @ (Event::SoftBreak
                | Event::HardBreak
                | Event::Code(_)
                | Event::InlineHtml(_)) => self.inline(e),
                e => self.out.push(e),
            }
            i += 1;
        }
    }

    /// The block id of the block from `start` to `end`, remembering to cut it from its text.
    fn block_id(&mut self, start: usize, end: usize) -> Option<String> {
        let (at, id, cut) = obsidian::block_id_event(self.events, start, end)?;
        self.cuts.entry(at).or_insert(cut);
        (!self.settings.embedded).then(|| escape_html(&id))
    }

    /// Pushes an inline event, reopening a paragraph an embed closed.
    fn inline(&mut self, event: Event<'a>) {
        if self.in_para && !self.para_open {
            let blank = match &event {
                Event::Text(t) => t.trim().is_empty(),
                Event::SoftBreak | Event::HardBreak => true,
                _ => false,
            };
            if blank {
                return;
            }
            self.out.push(Event::Start(Tag::Paragraph));
            self.para_open = true;
            let reopen = std::mem::take(&mut self.reopen);
            self.out.extend(reopen.into_iter().map(Event::Start));
        }
        self.out.push(event);
    }

    /// Pushes the end of an inline element, unless an embed closed it already (and nothing has
    /// opened it again since).
    fn close_inline(&mut self, end: Event<'a>) {
        if self.in_para && !self.para_open {
            self.reopen.pop();
        } else {
            self.out.push(end);
        }
    }

    /// Pushes block HTML (an embedded note) where a paragraph may be open: the paragraph is
    /// closed around it (or dropped, when nothing came before it).
    fn block(&mut self, html: String) {
        if self.in_para && self.para_open {
            // The emphasis and links open in the paragraph close before it and open after it.
            let open = open_inline(&self.out);
            for tag in open.iter().rev() {
                self.out.push(Event::End(tag.to_end()));
            }
            self.reopen = open;
            if matches!(self.out.last(), Some(Event::Start(Tag::Paragraph))) {
                self.out.pop();
            } else {
                self.out.push(Event::End(TagEnd::Paragraph));
            }
            self.para_open = false;
        }
        self.out.push(Event::Html(html.into()));
    }

    /// A text event: narrative citations, inline tags and highlights in it, and the block id at
    /// its end cut off.
    fn text(&mut self, i: usize, text: CowStr<'a>) {
        let text: CowStr<'a> = match self.cuts.get(&i) {
            Some(&cut) => text[..cut].to_string().into(),
            None => text,
        };
        if !text.contains(['@', '#', '=', ':']) {
            self.inline(Event::Text(text));
            return;
        }
        for (range, piece) in pieces(&text) {
            let event = match piece {
                Piece::Plain => Event::Text(text[range].to_string().into()),
                Piece::Cite(c) => Event::InlineHtml(self.cited.html(&c, self.resolver).into()),
                Piece::Tag(_) if self.in_link > 0 => Event::Text(text[range].to_string().into()),
                Piece::Tag(tag) => Event::InlineHtml(
                    format!(
                        r#"<a class="tag" href="{}">#{}</a>"#,
                        escape_html(&self.resolver.tag_url(&tag)),
                        escape_html(&tag)
                    )
                    .into(),
                ),
                Piece::Mark => Event::InlineHtml(MARK.into()),
                Piece::Field { key, value, hidden } => Event::InlineHtml(
                    match hidden {
                        true => format!(r#"<span class="field">{}</span>"#, escape_html(&value)),
                        false => format!(
                            r#"<span class="field"><span class="field-key">{}</span> {}</span>"#,
                            escape_html(&key),
                            escape_html(&value)
                        ),
                    }
                    .into(),
                ),
            };
            self.inline(event);
        }
    }

    /// A link at event `i`; returns the index of the next event to read.
    fn link(
        &mut self,
        i: usize,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
    ) -> usize {
        let events = self.events;
        let end = matching_end(events, i);
        if let Some(label) = dest_url.strip_prefix(CITE_SCHEME) {
            if let Some(citation) = parse_citation_label(label) {
                let html = self.cited.html(&citation, self.resolver);
                self.inline(Event::InlineHtml(html.into()));
            }
            return end + 1;
        }
        let inner = || events[i + 1..end].iter().map(|(e, _)| e.clone());
        if is_local_link(&dest_url) {
            // A Zotero or file link opens nothing on the web: its text, with the link as a tooltip.
            self.inline(Event::InlineHtml(
                format!(
                    r#"<span class="local-link" title="{} (opens on the author's computer)">"#,
                    escape_html(&dest_url)
                )
                .into(),
            ));
            self.out.extend(inner());
            self.out.push(Event::InlineHtml("</span>".into()));
            return end + 1;
        }
        if matches!(link_type, LinkType::WikiLink { .. }) && media_of(&dest_url).is_some() {
            // `[[paper.pdf]]`: a link to the file of that name.
            let Some(url) = self.resolver.asset(&dest_url) else {
                let name = LinkTarget::Key(dest_url.to_string());
                self.unresolved(&name, inner().collect());
                return end + 1;
            };
            self.inline(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: url.into(),
                title,
                id,
            }));
            self.out.extend(inner());
            self.out.push(Event::End(TagEnd::Link));
            return end + 1;
        }
        let Some((target, anchor)) = link_target(&dest_url, link_type, self.note_dir) else {
            let url = self.file_url(&dest_url).map_or(dest_url, CowStr::from);
            self.inline(Event::Start(Tag::Link {
                link_type,
                dest_url: url,
                title,
                id,
            }));
            self.in_link += 1;
            return i + 1;
        };
        let Some(resolved) = self.resolver.resolve(&target, anchor.as_deref()) else {
            self.unresolved(&target, inner().collect());
            return end + 1;
        };
        self.inline(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: resolved.url.into(),
            title,
            id,
        }));
        if matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
            self.out.push(Event::Text(resolved.label.into()));
        } else {
            self.out.extend(inner());
        }
        self.out.push(Event::End(TagEnd::Link));
        end + 1
    }

    /// A link to no note: its text, marked, so the page reads on (a lenient site's missing links).
    fn unresolved(&mut self, target: &LinkTarget, text: Vec<Event<'a>>) {
        let (LinkTarget::Key(name) | LinkTarget::File(name)) = target;
        self.inline(Event::InlineHtml(
            format!(
                r#"<span class="unresolved" title="No published note: {}">"#,
                escape_html(name)
            )
            .into(),
        ));
        self.out.extend(text);
        self.out.push(Event::InlineHtml("</span>".into()));
    }

    /// The URL of a file a link or image names that is not a note: the attachment of that name
    /// (Obsidian writes paths from the vault's root as often as from the note), else the path as
    /// written, under the base path.
    fn file_url(&self, dest: &str) -> Option<String> {
        let has_scheme = dest
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/'));
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        if !has_scheme && !path.is_empty() && !path.starts_with('/') && media_of(path).is_some() {
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            if let Some(url) = self.resolver.asset(&decoded) {
                return Some(url);
            }
        }
        local_url(dest, self.note_dir, self.resolver.base_path())
    }

    /// An image or embed at event `i`; returns the index of the next event to read.
    fn image(
        &mut self,
        i: usize,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
    ) -> usize {
        let events = self.events;
        let end = matching_end(events, i);
        let text: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if dest_url.starts_with(CITE_SCHEME) {
            // `![@key]` is no image: its text, as written.
            self.inline(Event::Text(format!("![{text}]").into()));
            return end + 1;
        }
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        let pothole = matches!(link_type, LinkType::WikiLink { has_pothole: true });
        // `![[x.png|400]]`, `![alt|400x300](x.png)`: a size where the text would be.
        let (alt, size) = split_size(if wiki && !pothole { "" } else { &text });
        let media = media_of(&dest_url);
        if wiki && media.is_none() {
            self.embed(&dest_url, &text);
            return end + 1;
        }
        let url = if wiki {
            self.resolver.asset(&dest_url)
        } else {
            self.file_url(&dest_url)
        };
        let Some(url) = url else {
            let name = LinkTarget::Key(dest_url.to_string());
            self.unresolved(&name, vec![Event::Text(dest_url.to_string().into())]);
            return end + 1;
        };
        let file_name = dest_url.rsplit('/').next().unwrap_or(&dest_url).to_string();
        let alt = if wiki && alt.is_empty() {
            file_name.as_str()
        } else {
            alt
        };
        let (url, alt) = (escape_html(&url), escape_html(alt));
        let dims = size.map_or_else(String::new, |(w, h)| match h {
            Some(h) => format!(r#" width="{w}" height="{h}""#),
            None => format!(r#" width="{w}""#),
        });
        let html = match media.unwrap_or(Media::Image) {
            Media::Image if !wiki && size.is_none() => {
                // As CommonMark writes it, alt text markup and all.
                self.inline(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                }));
                self.out
                    .extend(events[i + 1..end].iter().map(|(e, _)| e.clone()));
                self.out.push(Event::End(TagEnd::Image));
                return end + 1;
            }
            Media::Image => format!(r#"<img src="{url}" alt="{alt}"{dims} loading="lazy" />"#),
            Media::Audio => format!(r#"<audio controls src="{url}" title="{alt}"></audio>"#),
            Media::Video => format!(r#"<video controls src="{url}" title="{alt}"{dims}></video>"#),
            Media::File => format!(r#"<a class="attachment" href="{url}">{alt}</a>"#),
        };
        self.inline(Event::InlineHtml(html.into()));
        end + 1
    }

    /// `![[note]]`, `![[note#Heading]]`, `![[note#^block]]`: the note or part shown in place.
    fn embed(&mut self, dest: &str, text: &str) {
        let (name, anchor) = match dest.split_once('#') {
            Some((n, a)) => (n, Some(a)),
            None => (dest, None),
        };
        let target = LinkTarget::Key(name.trim().to_string());
        match self.resolver.embed(&target, anchor) {
            Some(Embedded::Html { html, link }) => self.block(format!(
                "<div class=\"embed\"><p class=\"embed-source\"><a href=\"{}\">{}</a></p>\n{html}</div>\n",
                escape_html(&link.url),
                escape_html(&link.label)
            )),
            Some(Embedded::Link(link)) => self.inline(Event::InlineHtml(
                format!(
                    r#"<a class="embed-link" href="{}">{}</a>"#,
                    escape_html(&link.url),
                    escape_html(&link.label)
                )
                .into(),
            )),
            None => self.unresolved(&target, vec![Event::Text(text.to_string().into())]),
        }
    }
}

/// Where a `==` was, until [`pair_marks`] knows whether it opens a highlight, closes one, or is
/// text (raw HTML always starts with `<`, so this is never the author's).
const MARK: &str = "\u{E006}";

/// Every `==` paired up with the next one inside the same element (a highlight never crosses
/// the edge of an emphasis, a link or a block, which would leave the HTML misnested); one that
/// finds no partner is text.
fn pair_marks(out: &mut [Event<'_>]) {
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
fn open_inline<'a>(out: &[Event<'a>]) -> Vec<Tag<'a>> {
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

/// Alt text and a size written after its last `|` (`400`, `400x300`).
fn split_size(text: &str) -> (&str, Option<(u32, Option<u32>)>) {
    let (alt, last) = match text.rsplit_once('|') {
        Some((a, l)) => (a.trim(), l.trim()),
        None => ("", text.trim()),
    };
    let parse = |s: &str| s.parse::<u32>().ok().filter(|&n| n > 0 && n <= 10_000);
    let size = match last.split_once('x') {
        Some((w, h)) => parse(w).zip(parse(h)).map(|(w, h)| (w, Some(h))),
        None => parse(last).map(|w| (w, None)),
    };
    match size {
        Some(size) => (alt, Some(size)),
        None => (text.trim(), None),
    }
}
