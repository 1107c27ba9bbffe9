//! Images and embeds in the render pass: an attachment shown as an image, audio, video or a
//! link, with its size (`![[x.png|400]]`); a note or section shown in place (`![[note#Heading]]`).

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Renderer;
use crate::html::escape_html;
use crate::markdown::links::{Media, file_part, media_of, unsafe_image, wiki_dest};
use crate::markdown::{CITE_SCHEME, Embedded, LinkTarget, matching_end};

impl<'a> Renderer<'_, 'a> {
    /// An image or embed at event `i`; returns the index of the next event to read.
    pub(super) fn image(
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
        if !wiki && unsafe_image(&dest_url).is_some() {
            // Not an image the web can show, or one that could run: its text (the scan warns).
            self.inline(Event::Text(text.into()));
            return end + 1;
        }
        let pothole = matches!(link_type, LinkType::WikiLink { has_pothole: true });
        // `![[x.png|400]]`, `![alt|400x300](x.png)`: a size where the text would be.
        let (alt, size) = split_size(if wiki && !pothole { "" } else { &text });
        let media = media_of(&dest_url);
        if wiki && media.is_none() {
            self.embed(&dest_url, &text);
            return end + 1;
        }
        let file = if wiki {
            file_part(&dest_url)
        } else {
            &dest_url
        };
        let url = if wiki {
            self.resolver.asset(file)
        } else {
            // A web address or a `data:image/` URL, as written.
            Some(
                self.file_url(&dest_url)
                    .unwrap_or_else(|| dest_url.to_string()),
            )
        };
        let Some(url) = url else {
            let name = LinkTarget::Key(file.to_string());
            self.unresolved(&name, vec![Event::Text(file.to_string().into())]);
            return end + 1;
        };
        let file_name = file.rsplit('/').next().unwrap_or(file).to_string();
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
        let dest = wiki_dest(dest);
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
