//! The render pass: a note body as HTML, with citations, links, embeds and attachments answered
//! by a [`Resolver`]. This file walks the events and writes blocks and text; `links` and
//! `media` write links, images and embeds; `marks` pairs highlights and finds what an embed
//! must close.

mod links;
mod marks;
mod media;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::events::events_and_raw_html;
use super::highlight::highlight;
use super::pieces::{Piece, pieces};
use super::sections::heading_ids;
use super::{Resolver, Settings, matching_end, math, obsidian, private, safe_html};
use crate::cite::Citation;
use crate::html::escape_html;
use marks::{MARK, open_inline, pair_marks};

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
    let (events, raw_html) = events_and_raw_html(body);
    let mut r = Renderer {
        events: &events,
        out: Vec::with_capacity(events.len()),
        note_dir,
        resolver,
        settings,
        cited: Cited::default(),
        heading_ids: heading_ids(&events).into_iter(),
        heading_id: String::new(),
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
    let html = private::restore(&html);
    if raw_html && !settings.unsafe_html {
        return safe_html::clean(&html);
    }
    html.into_owned()
}

struct Renderer<'e, 'a> {
    events: &'e [(Event<'a>, Range<usize>)],
    out: Vec<Event<'a>>,
    note_dir: &'e str,
    resolver: &'e dyn Resolver,
    settings: &'e Settings,
    cited: Cited,
    /// The ids of the headings still to come, and of the one being written.
    heading_ids: std::vec::IntoIter<String>,
    heading_id: String,
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
        let mut i = 0;
        while i < events.len() {
            i = match events[i].0.clone() {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => self.link(i, link_type, dest_url, title, id),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => self.image(i, link_type, dest_url, title, id),
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(i, &kind),
                event => {
                    self.event(i, event);
                    i + 1
                }
            };
        }
    }

    /// Writes event `i`, one that spans no other events of its own.
    fn event(&mut self, i: usize, event: Event<'a>) {
        match event {
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                self.close_inline(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                attrs,
            }) => self.start_heading(level, classes, attrs),
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
                self.inline(Event::Start(tag));
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                self.close_inline(event);
            }
            Event::Start(Tag::Paragraph) => {
                self.in_para = true;
                self.para_open = true;
                self.start_block(i, Tag::Paragraph, "p");
            }
            Event::End(TagEnd::Paragraph) => {
                if self.para_open {
                    self.out.push(Event::End(TagEnd::Paragraph));
                }
                self.in_para = false;
                self.para_open = false;
                self.reopen.clear();
            }
            Event::Start(Tag::Item) => self.start_block(i, Tag::Item, "li"),
            Event::Start(Tag::TableCell) => {
                self.out.push(Event::Start(Tag::TableCell));
            }
            Event::Start(Tag::Table(alignments)) => self.start_table(alignments),
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
            e @ (Event::SoftBreak | Event::HardBreak | Event::Code(_) | Event::InlineHtml(_)) => {
                self.inline(e)
            }
            e => self.out.push(e),
        }
    }

    /// A heading, with the id [`heading_ids`] gave it (none in an embedded note, whose page
    /// may use the same ids).
    fn start_heading(
        &mut self,
        level: HeadingLevel,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) {
        self.heading_id = self.heading_ids.next().unwrap_or_default();
        let id = (!self.settings.embedded).then(|| self.heading_id.clone().into());
        let mut attrs = attrs;
        if !self.settings.unsafe_html {
            // `{onclick=…}` would be written as given: only what raw HTML may have stays.
            attrs.retain(|(k, v)| {
                safe_html::heading_attribute(k, v.as_deref().unwrap_or("")).is_none()
            });
        }
        self.out.push(Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }));
    }

    /// The end of a heading, after a link to it.
    fn end_heading(&mut self, level: HeadingLevel) {
        if !self.settings.embedded {
            self.out.push(Event::InlineHtml(
                format!(
                    r##" <a class="anchor" href="#{}" aria-label="Link to this section">#</a>"##,
                    escape_html(&self.heading_id)
                )
                .into(),
            ));
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    /// A paragraph or a list item at event `i`, given the id of the block (`^id`) it ends with,
    /// as `<p id=…>` or `<li id=…>`.
    fn start_block(&mut self, i: usize, tag: Tag<'a>, element: &str) {
        let end = matching_end(self.events, i);
        match self.block_id(i, end) {
            Some(id) => self
                .out
                .push(Event::Html(format!(r#"<{element} id="{id}">"#).into())),
            None => self.out.push(Event::Start(tag)),
        }
    }

    /// A table scrolls sideways in a region of its own, which keyboards can reach. Numbered, so
    /// that each region has a name of its own.
    fn start_table(&mut self, alignments: Vec<Alignment>) {
        self.tables += 1;
        self.out.push(Event::Html(
            format!(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\">\n",
                self.tables
            )
            .into(),
        ));
        self.out.push(Event::Start(Tag::Table(alignments)));
    }

    /// A code block at event `i`, highlighted; returns the index of the next event to read.
    fn code_block(&mut self, i: usize, kind: &CodeBlockKind<'_>) -> usize {
        let end = matching_end(self.events, i);
        let code: String = self.events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        self.out.push(Event::Html(highlight(&code, lang).into()));
        end + 1
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
}
