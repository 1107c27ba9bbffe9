//! Links in the render pass: bracketed citations, links to notes (resolved, or marked as
//! unresolved), to attachments, to the author's computer, and to any other URL under the base
//! path.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Renderer;
use crate::cite::parse_citation_label;
use crate::html::escape_html;
use crate::markdown::links::{
    file_part, is_local_link, link_target, local_url, media_of, unsafe_link,
};
use crate::markdown::{CITE_SCHEME, LinkTarget, matching_end};

impl<'a> Renderer<'_, 'a> {
    /// A link at event `i`; returns the index of the next event to read.
    pub(super) fn link(
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
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        if !wiki && unsafe_link(&dest_url).is_some() {
            // `javascript:`, `data:` and other schemes that are no page on the web: the text
            // alone, and the scan's warning.
            self.inline(Event::InlineHtml(r#"<span class="unsafe-link">"#.into()));
            self.out.extend(inner());
            self.out.push(Event::InlineHtml("</span>".into()));
            return end + 1;
        }
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
        if wiki && media_of(&dest_url).is_some() {
            // `[[paper.pdf]]`: a link to the file of that name.
            let Some(url) = self.resolver.asset(file_part(&dest_url)) else {
                let name = LinkTarget::Key(file_part(&dest_url).to_string());
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
    pub(super) fn unresolved(&mut self, target: &LinkTarget, text: Vec<Event<'a>>) {
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
    pub(super) fn file_url(&self, dest: &str) -> Option<String> {
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
}
