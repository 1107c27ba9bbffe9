//! The scan pass: what a note body refers to (citations, links, embeds, attachments, heading
//! and block ids, tags), with file positions and the passage around each reference.

use std::collections::HashMap;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::{
    AttachmentRef, CITE_SCHEME, CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN, CiteRef, HeadingRef,
    LEAD_BYTES, LEAD_WORDS, LINK_MARK_END, LINK_MARK_OPEN, LinkRef, LinkTarget, Piece, Problem,
    Scan, events, heading_ids, is_local_link, link_target, matching_end, math, media_of, obsidian,
    pieces, private,
};
use crate::cite::parse_citation_label;
use crate::error::LineIndex;

/// Records the references of a body. `note_dir` is the note's folder relative to `content/`;
/// `first_line` is the file line on which the body starts.
pub(crate) fn scan(body: &str, note_dir: &str, first_line: usize) -> Scan {
    let mut scan = Scan::default();
    let mut block = String::new();
    let mut block_has_refs = false;
    let mut in_code = false;
    let mut in_link = 0usize;
    // The closing events of the links whose text is being kept, innermost last.
    let mut open_links: Vec<usize> = Vec::new();
    let mut lead_words = 0;
    // Text events ending in a block id, and where their text ends (looked up by event, since a
    // note may hold thousands of block ids).
    let mut cuts: HashMap<usize, usize> = HashMap::new();
    // Each reference's position costs a binary search and the characters since the last one,
    // not a rescan of its line (a paragraph of 200,000 citations is one line).
    let mut lines = LineIndex::new(body);
    let mut position = |offset: usize| {
        let (line, col) = lines.locate(offset);
        (line + first_line - 1, col)
    };
    let events = events(body);
    scan.heading_ids = heading_ids(&events);
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
                            at: 0,
                        });
                        block_has_refs = true;
                    }
                    i = end + 1;
                    continue;
                }
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                if is_local_link(dest_url) {
                    scan.local_links.push(position(range.start));
                } else if wiki && media_of(dest_url).is_some() {
                    // `[[paper.pdf]]`: a link to a file, not to a note.
                    let (line, col) = position(range.start);
                    scan.attachments.push(AttachmentRef {
                        name: dest_url.to_string(),
                        line,
                        col,
                    });
                } else if let Some((target, anchor)) = link_target(dest_url, *link_type, note_dir) {
                    let (line, col) = position(range.start);
                    // The link's text is kept between markers; a bare `[[key]]` gets none (its
                    // text is the target's title, known once the site is resolved).
                    block.push(LINK_MARK_OPEN);
                    block.push_str(&scan.links.len().to_string());
                    block.push(CONTEXT_MARK_CLOSE);
                    scan.links.push(LinkRef {
                        target,
                        anchor,
                        embed: false,
                        line,
                        col,
                        context: scan.contexts.len(),
                        at: 0,
                    });
                    block_has_refs = true;
                    if matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
                        block.push(LINK_MARK_END);
                        i = end + 1;
                        continue;
                    }
                    open_links.push(end);
                }
                in_link += 1;
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                if open_links.last() == Some(&i) {
                    open_links.pop();
                    block.push(LINK_MARK_END);
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let (line, col) = position(range.start);
                if media_of(dest_url).is_some() {
                    scan.attachments.push(AttachmentRef {
                        name: dest_url.to_string(),
                        line,
                        col,
                    });
                } else {
                    let (name, anchor) = match dest_url.split_once('#') {
                        Some((n, a)) => (n, Some(a.to_string())),
                        None => (dest_url.as_ref(), None),
                    };
                    scan.links.push(LinkRef {
                        target: LinkTarget::Key(name.trim().to_string()),
                        anchor,
                        embed: true,
                        line,
                        col,
                        context: scan.contexts.len(),
                        at: 0,
                    });
                    block_has_refs = true;
                }
                i = matching_end(&events, i) + 1;
                continue;
            }
            // An image's alt text is shown as written (never a citation, tag or link).
            Event::Start(Tag::Image { .. }) => {
                i = matching_end(&events, i) + 1;
                continue;
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                let end = matching_end(&events, i);
                if let Some((at, id, cut)) = obsidian::block_id_event(&events, i, end) {
                    scan.block_ids.push(id);
                    cuts.entry(at).or_insert(cut);
                }
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                if let Err(why) = math::to_mathml(tex, display) {
                    let (line, col) = position(range.start);
                    scan.problems.push(Problem {
                        line,
                        col,
                        message: format!(
                            "formula `{}` does not parse: {why}; it is shown as written",
                            tex.trim()
                        ),
                    });
                }
                block.push_str(tex);
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                finish_block(&mut scan, &mut block, &mut block_has_refs)
            }
            Event::End(TagEnd::Heading(level)) => {
                scan.headings.push(HeadingRef {
                    level: *level as u8,
                    text: private::restore(block.trim()).into_owned(),
                });
                finish_block(&mut scan, &mut block, &mut block_has_refs)
            }
            Event::End(TagEnd::Paragraph) if lead_words < LEAD_WORDS => {
                lead_words += block.split_whitespace().count();
                if !scan.lead.is_empty() {
                    scan.lead.push(' ');
                }
                scan.lead.push_str(&private::restore(block.trim()));
                if scan.lead.len() > LEAD_BYTES {
                    // A marker cut in two is dropped when the lead is read.
                    let mut cut = LEAD_BYTES;
                    while !scan.lead.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    scan.lead.truncate(cut);
                    scan.lead.push_str(" …");
                    lead_words = LEAD_WORDS;
                }
                finish_block(&mut scan, &mut block, &mut block_has_refs)
            }
            Event::Text(text) if !in_code => {
                if let Some(at) = math::unbalanced(text) {
                    let (line, col) = position(range.start + at);
                    scan.problems.push(Problem {
                        line,
                        col,
                        message: "this `$…$` is not read as a formula: its braces `{ }` do not balance; it is shown as written".to_string(),
                    });
                }
                let text = match cuts.get(&i) {
                    Some(&cut) => &text[..cut],
                    None => text.as_ref(),
                };
                for (sub, piece) in pieces(text) {
                    match piece {
                        // A link's text is its label, printed as written: never a citation.
                        Piece::Cite(_) if in_link > 0 => block.push_str(&text[sub]),
                        Piece::Cite(citation) => {
                            let (line, col) = position(range.start + sub.start);
                            push_marker(&mut block, scan.citations.len());
                            scan.citations.push(CiteRef {
                                citation,
                                line,
                                col,
                                context: scan.contexts.len(),
                                at: 0,
                            });
                            block_has_refs = true;
                        }
                        Piece::Tag(tag) if in_link == 0 => {
                            let (line, _) = position(range.start + sub.start);
                            scan.tags.push((tag, line));
                            block.push_str(&text[sub]);
                        }
                        Piece::Mark => {}
                        Piece::Field { key, value, .. } => {
                            block.push_str(&format!("{key}: {value}"));
                        }
                        Piece::Plain | Piece::Tag(_) => block.push_str(&text[sub]),
                    }
                }
            }
            Event::Code(code) => block.push_str(code),
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
        let text = block.trim().trim_end_matches(" ·");
        let text = private::restore(text).into_owned();
        locate_markers(scan, &text);
        scan.contexts.push(text);
    }
    block.clear();
    *has_refs = false;
}

/// Records where each reference of the context being finished has its marker, in one pass over
/// the context's final text (trimmed, escapes restored). The first marker of an index wins, as a
/// search for it would find.
fn locate_markers(scan: &mut Scan, text: &str) {
    let context = scan.contexts.len();
    let mut seen_citations = std::collections::HashSet::new();
    let mut seen_links = std::collections::HashSet::new();
    for (at, mark) in text.match_indices([CONTEXT_MARK_OPEN, LINK_MARK_OPEN]) {
        let after = &text[at + mark.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if !after[digits..].starts_with(CONTEXT_MARK_CLOSE) {
            continue;
        }
        let Ok(index) = after[..digits].parse::<usize>() else {
            continue;
        };
        if mark.starts_with(CONTEXT_MARK_OPEN) {
            match scan.citations.get_mut(index) {
                Some(c) if c.context == context && seen_citations.insert(index) => c.at = at,
                _ => {}
            }
        } else {
            match scan.links.get_mut(index) {
                Some(l) if l.context == context && seen_links.insert(index) => l.at = at,
                _ => {}
            }
        }
    }
}
