//! The scan pass: what a note body refers to (citations, links, heading ids), with file
//! positions and the passage around each reference.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{
    CITE_SCHEME, CONTEXT_MARK_CLOSE, CONTEXT_MARK_OPEN, CiteRef, LinkRef, Scan, events,
    heading_ids, link_target, matching_end, narrative_citations,
};
use crate::cite::parse_citation_label;
use crate::error::line_col;

/// Records the references of a body. `note_dir` is the note's folder relative to `content/`;
/// `first_line` is the file line on which the body starts.
pub(crate) fn scan(body: &str, note_dir: &str, first_line: usize) -> Scan {
    let mut scan = Scan::default();
    let mut block = String::new();
    let mut block_has_refs = false;
    let mut in_code = false;
    // The text of a link to a note is the link's label, never a citation: render prints it as is.
    let mut label_end = 0;
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
                    label_end = end;
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::End(TagEnd::Heading(_)) => {
                finish_block(&mut scan, &mut block, &mut block_has_refs)
            }
            Event::Text(text) if i < label_end => block.push_str(text),
            Event::Text(text) if !in_code => {
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
        scan.contexts
            .push(block.trim().trim_end_matches(" ·").to_string());
    }
    block.clear();
    *has_refs = false;
}
