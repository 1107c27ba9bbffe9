//! The render pass: a note body as HTML, with citations and links answered by a [`Resolver`].

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use std::collections::HashSet;

use super::highlight::highlight;
use super::{
    CITE_SCHEME, Resolver, events, heading_ids, link_target, local_url, matching_end,
    narrative_citations,
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

/// Renders a body to HTML. `note_dir` is the note's folder relative to `content/`.
pub(crate) fn render(body: &str, note_dir: &str, resolver: &dyn Resolver) -> String {
    let events = events(body);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut ids = heading_ids(&events).into_iter();
    let mut heading_id = String::new();
    let mut cited = Cited::default();
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
                        out.push(Event::InlineHtml(cited.html(&citation, resolver).into()));
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
                id: _,
                classes,
                attrs,
            }) => {
                heading_id = ids.next().unwrap_or_default();
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(heading_id.clone().into()),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::InlineHtml(
                    format!(r##" <a class="anchor" href="#{}" aria-label="Link to this section">#</a>"##, escape_html(&heading_id)).into(),
                ));
                out.push(Event::End(TagEnd::Heading(level)));
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
            e => push_text_or(&mut out, &e, resolver, &mut cited),
        }
        i += 1;
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // CommonMark's insecure character: a NUL becomes U+FFFD (pulldown-cmark passes it through).
    if html.contains('\0') {
        html = html.replace('\0', "\u{FFFD}");
    }
    html
}

/// Pushes an event, turning narrative `@key` citations in text into their HTML.
fn push_text_or<'a>(
    out: &mut Vec<Event<'a>>,
    event: &Event<'a>,
    resolver: &dyn Resolver,
    cited: &mut Cited,
) {
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
            Some(c) => out.push(Event::InlineHtml(cited.html(&c, resolver).into())),
            None => out.push(Event::Text(text[range].to_string().into())),
        }
    }
}
