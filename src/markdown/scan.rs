//! The scan pass: what a note body refers to (citations, links, embeds, attachments, heading
//! and block ids, tags), with file positions and the passage around each reference.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::events::events_and_raw_html;
use super::links::{
    file_part, is_local_link, link_target, media_of, unsafe_image, unsafe_link, wiki_dest,
};
use super::markers::{locate_markers, push_marker};
use super::pieces::{Piece, pieces};
use super::sections::{self, heading_ids};
use super::{
    AttachmentRef, CITE_SCHEME, CONTEXT_MARK_CLOSE, CiteRef, FormulaRef, HeadingRef, LEAD_BYTES,
    LEAD_WORDS, LINK_MARK_END, LINK_MARK_OPEN, LinkRef, LinkTarget, Problem, Scan, matching_end,
    math, obsidian, private, safe_html,
};
use crate::cite::{Citation, parse_citation_label};
use crate::error::LineIndex;

/// Records the references of a body. `note_dir` is the note's folder relative to `content/`;
/// `first_line` is the file line on which the body starts.
pub(crate) fn scan(body: &str, note_dir: &str, first_line: usize) -> Scan {
    let (events, raw_html) = events_and_raw_html(body);
    let mut scanner = Scanner {
        scan: Scan {
            heading_ids: heading_ids(&events),
            ..Scan::default()
        },
        events: &events,
        body,
        note_dir,
        first_line,
        lines: LineIndex::new(body),
        heading_source: String::new(),
        block: String::new(),
        block_has_refs: false,
        in_code: false,
        in_link: 0,
        open_links: Vec::new(),
        lead_words: 0,
        cuts: HashMap::new(),
        unsafe_html: Vec::new(),
    };
    let mut i = 0;
    while i < events.len() {
        i = scanner.event(i);
    }
    scanner.finish_block();
    if raw_html {
        scanner.unsafe_html.extend(safe_html::unsafe_pieces(body));
    }
    if let Some((at, message)) = safe_html::warning(&scanner.unsafe_html) {
        let (line, col) = scanner.position(at);
        scanner.scan.raw_html = Some(Problem { line, col, message });
    }
    scanner.scan
}

/// The scan of one body, as its events are read.
struct Scanner<'e, 'a> {
    scan: Scan,
    events: &'e [(Event<'a>, Range<usize>)],
    body: &'e str,
    note_dir: &'e str,
    first_line: usize,
    /// Each reference's position costs a binary search and the characters since the last one,
    /// not a rescan of its line (a paragraph of 200,000 citations is one line).
    lines: LineIndex<'e>,
    /// The heading being read, as written.
    heading_source: String,
    /// The text of the block being read, with a marker for each reference in it.
    block: String,
    block_has_refs: bool,
    in_code: bool,
    /// Inside a link's text, where a citation or a tag is text.
    in_link: usize,
    /// The closing events of the links whose text is being kept, innermost last.
    open_links: Vec<usize>,
    lead_words: usize,
    /// Text events ending in a block id, and where their text ends (looked up by event, since a
    /// note may hold thousands of block ids).
    cuts: HashMap<usize, usize>,
    /// What cleaning takes out (heading attributes, raw HTML), by byte offset.
    unsafe_html: Vec<(usize, safe_html::Removal)>,
}

impl Scanner<'_, '_> {
    /// Reads event `i`; returns the index of the next event to read.
    fn event(&mut self, i: usize) -> usize {
        let events = self.events;
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => return self.link(i, *link_type, dest_url, range.start),
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                if self.open_links.last() == Some(&i) {
                    self.open_links.pop();
                    self.block.push(LINK_MARK_END);
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                self.embed(dest_url, range.start);
                return matching_end(events, i) + 1;
            }
            // An image's alt text is shown as written (never a citation, tag or link).
            Event::Start(Tag::Image { dest_url, .. }) => {
                if !dest_url.starts_with(CITE_SCHEME)
                    && let Some(why) = unsafe_image(dest_url)
                {
                    self.problem(range.start, why);
                }
                return matching_end(events, i) + 1;
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                let end = matching_end(events, i);
                if let Some((at, id, cut)) = obsidian::block_id_event(events, i, end) {
                    self.scan.block_ids.push(id);
                    self.cuts.entry(at).or_insert(cut);
                }
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                self.formula(tex, display, range.start);
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Start(Tag::Heading { attrs, .. }) => {
                for (attr, value) in attrs {
                    if let Some(removal) =
                        safe_html::heading_attribute(attr, value.as_deref().unwrap_or(""))
                    {
                        let line = &self.body[range.clone()];
                        let at = line.find(attr.as_ref()).unwrap_or(0);
                        self.unsafe_html.push((range.start + at, removal));
                    }
                }
                self.finish_block();
                self.heading_source = sections::heading_source(&self.body[range.clone()]);
            }
            Event::End(TagEnd::Heading(level)) => {
                self.scan.headings.push(HeadingRef {
                    level: *level as u8,
                    text: private::restore(self.block.trim()).into_owned(),
                    source: private::restore(&std::mem::take(&mut self.heading_source))
                        .into_owned(),
                });
                self.finish_block()
            }
            Event::End(TagEnd::Paragraph) if self.lead_words < LEAD_WORDS => {
                self.extend_lead();
                self.finish_block()
            }
            Event::Text(text) if !self.in_code => self.text(i, text, range.start),
            Event::Code(code) => self.block.push_str(code),
            Event::SoftBreak | Event::HardBreak => self.block.push(' '),
            Event::End(TagEnd::TableCell) => self.block.push_str(" · "),
            Event::End(TagEnd::Paragraph | TagEnd::TableRow | TagEnd::TableHead | TagEnd::Item) => {
                self.finish_block()
            }
            _ => {}
        }
        i + 1
    }

    /// The file line and column of a byte offset of the body.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let (line, col) = self.lines.locate(offset);
        (line + self.first_line - 1, col)
    }

    /// A link at event `i`: a bracketed citation, a link to a file or to the author's computer,
    /// or a link to a note, whose text the context keeps between markers. Returns the index of
    /// the next event to read.
    fn link(&mut self, i: usize, link_type: LinkType, dest_url: &str, start: usize) -> usize {
        let end = matching_end(self.events, i);
        if let Some(label) = dest_url.strip_prefix(CITE_SCHEME) {
            if let Some(citation) = parse_citation_label(label) {
                self.cite(citation, start);
            }
            return end + 1;
        }
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        let unsafe_link = (!wiki).then(|| unsafe_link(dest_url)).flatten();
        if let Some(why) = unsafe_link {
            self.problem(start, why);
        } else if is_local_link(dest_url) {
            let at = self.position(start);
            self.scan.local_links.push(at);
        } else if wiki && media_of(dest_url).is_some() {
            // `[[paper.pdf]]`: a link to a file, not to a note.
            self.attachment(file_part(dest_url), start);
        } else if let Some((target, anchor)) = link_target(dest_url, link_type, self.note_dir) {
            let (line, col) = self.position(start);
            // The link's text is kept between markers; a bare `[[key]]` gets none (its text is
            // the target's title, known once the site is resolved).
            self.block.push(LINK_MARK_OPEN);
            self.block.push_str(&self.scan.links.len().to_string());
            self.block.push(CONTEXT_MARK_CLOSE);
            self.scan.links.push(LinkRef {
                target,
                anchor,
                embed: false,
                line,
                col,
                context: self.scan.contexts.len(),
                at: 0,
            });
            self.block_has_refs = true;
            if matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
                self.block.push(LINK_MARK_END);
                return end + 1;
            }
            self.open_links.push(end);
        }
        self.in_link += 1;
        i + 1
    }

    /// `![[x]]`: an attachment shown in place, or a note embedded.
    fn embed(&mut self, dest_url: &str, start: usize) {
        if media_of(dest_url).is_some() {
            self.attachment(file_part(dest_url), start);
            return;
        }
        let (line, col) = self.position(start);
        let dest_url = wiki_dest(dest_url);
        let (name, anchor) = match dest_url.split_once('#') {
            Some((n, a)) => (n, Some(a.to_string())),
            None => (dest_url, None),
        };
        self.scan.links.push(LinkRef {
            target: LinkTarget::Key(name.trim().to_string()),
            anchor,
            embed: true,
            line,
            col,
            context: self.scan.contexts.len(),
            at: 0,
        });
        self.block_has_refs = true;
    }

    fn attachment(&mut self, name: &str, start: usize) {
        let (line, col) = self.position(start);
        self.scan.attachments.push(AttachmentRef {
            name: name.to_string(),
            line,
            col,
        });
    }

    /// A citation at byte `start`, marked in the block's text.
    fn cite(&mut self, citation: Citation, start: usize) {
        let (line, col) = self.position(start);
        push_marker(&mut self.block, self.scan.citations.len());
        self.scan.citations.push(CiteRef {
            citation,
            line,
            col,
            context: self.scan.contexts.len(),
            at: 0,
        });
        self.block_has_refs = true;
    }

    /// A warning at byte `offset` of the body.
    fn problem(&mut self, offset: usize, message: String) {
        let (line, col) = self.position(offset);
        self.scan.problems.push(Problem { line, col, message });
    }

    /// A formula: its TeX is the block's text, and one shown as its source is recorded.
    fn formula(&mut self, tex: &str, display: bool, start: usize) {
        if let Err(why) = math::to_mathml(tex, display) {
            let (line, col) = self.position(start);
            let formula = shortened(tex.trim());
            let (command, message) = match why {
                math::Unreadable::Command(command) => {
                    let message = format!(
                        "formula `{formula}` uses \\{command}, which gloss cannot draw: it is shown as written"
                    );
                    (Some(command), message)
                }
                math::Unreadable::Error(why) => (
                    None,
                    format!("formula `{formula}` does not parse: {why}; it is shown as written"),
                ),
            };
            self.scan.formulas.push(FormulaRef {
                line,
                col,
                command,
                message,
            });
        }
        self.block.push_str(tex);
    }

    /// Text event `i`, at byte `start`: its narrative citations, tags and fields.
    fn text(&mut self, i: usize, text: &str, start: usize) {
        if let Some(at) = math::unbalanced(text) {
            let (line, col) = self.position(start + at);
            self.scan.problems.push(Problem {
                line,
                col,
                message: "this `$…$` is not read as a formula: its braces `{ }` do not balance; it is shown as written".to_string(),
            });
        }
        let text = match self.cuts.get(&i) {
            Some(&cut) => &text[..cut],
            None => text,
        };
        for (sub, piece) in pieces(text) {
            match piece {
                // A link's text is its label, printed as written: never a citation.
                Piece::Cite(_) if self.in_link > 0 => self.block.push_str(&text[sub]),
                Piece::Cite(citation) => self.cite(citation, start + sub.start),
                Piece::Tag(tag) if self.in_link == 0 => {
                    let (line, _) = self.position(start + sub.start);
                    self.scan.tags.push((tag, line));
                    self.block.push_str(&text[sub]);
                }
                Piece::Mark => {}
                Piece::Field { key, value, .. } => {
                    self.block.push_str(&format!("{key}: {value}"));
                }
                Piece::Plain | Piece::Tag(_) => self.block.push_str(&text[sub]),
            }
        }
    }

    /// Adds the paragraph just read to the lead, which stops at [`LEAD_WORDS`] words or
    /// [`LEAD_BYTES`] bytes.
    fn extend_lead(&mut self) {
        let lead = &mut self.scan.lead;
        self.lead_words += self.block.split_whitespace().count();
        if !lead.is_empty() {
            lead.push(' ');
        }
        lead.push_str(&private::restore(self.block.trim()));
        if lead.len() > LEAD_BYTES {
            // A marker cut in two is dropped when the lead is read.
            let mut cut = LEAD_BYTES;
            while !lead.is_char_boundary(cut) {
                cut -= 1;
            }
            lead.truncate(cut);
            lead.push_str(" …");
            self.lead_words = LEAD_WORDS;
        }
    }

    /// Ends the block being read: its text is a context when it holds a reference.
    fn finish_block(&mut self) {
        if self.block_has_refs {
            let text = self.block.trim().trim_end_matches(" ·");
            let text = private::restore(text).into_owned();
            locate_markers(&mut self.scan, &text);
            self.scan.contexts.push(text);
        }
        self.block.clear();
        self.block_has_refs = false;
    }
}

/// A formula as a message quotes it: its first 60 characters (a formula may be a whole note).
fn shortened(tex: &str) -> String {
    match tex.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &tex[..at]),
        None => tex.to_string(),
    }
}
