//! The site as one note's body sees it while rendering: citations, links resolved from that
//! note (a name in its own folder wins), embedded notes and sections (`![[note#Heading]]`,
//! rendered in place, cycles cut: a note may embed its own sections and blocks, never one that
//! holds the embed), and attachments found by file name.

use super::Site;
use super::cycles::Piece;
use crate::cite::{Citation, CiteMode};
use crate::html::escape_html;
use crate::markdown::{self, Embedded, LinkTarget, ResolvedLink, Resolver};
use crate::note::NoteKind;

/// How deep embeds may nest (an embed inside an embedded note inside …).
const MAX_DEPTH: usize = 4;

/// A [`Resolver`] for the body of note `from`.
pub(crate) struct BodyResolver<'a> {
    pub(crate) site: &'a Site,
    pub(crate) from: usize,
    /// The part of `from` being rendered: its whole body, or the section an embed shows.
    section: Option<String>,
    /// The parts being rendered around this one (embeds), outermost first.
    around: Vec<Piece>,
}

impl<'a> BodyResolver<'a> {
    pub(crate) fn new(site: &'a Site, from: usize) -> BodyResolver<'a> {
        BodyResolver {
            site,
            from,
            section: None,
            around: Vec::new(),
        }
    }

    /// A link to note `target`, labelled as a bare `[[name]]` shows it: an alias as written, a
    /// source as its citation, any other note by its title.
    fn link_to(&self, target: usize, name: &str, anchor: Option<&str>) -> ResolvedLink {
        let site = self.site;
        let note = &site.notes[target];
        let written = name.trim();
        let alias = note
            .aliases
            .iter()
            .find(|a| a.to_lowercase() == written.to_lowercase());
        let mut label = match (alias, note.kind, site.short_form(&note.key)) {
            (Some(_), _, _) => written.to_string(),
            (None, NoteKind::Source, Some(short)) => short,
            _ => note.title.clone(),
        };
        // `[[#Heading]]`, in the note itself: the heading is the label.
        if let Some(heading) = anchor.filter(|a| !a.is_empty() && !a.starts_with('^'))
            && written.is_empty()
        {
            label = heading.rsplit('#').next().unwrap_or(heading).to_string();
        }
        // The anchor as the page has it; a heading that does not exist links to the note.
        let anchor = anchor
            .filter(|a| !a.is_empty())
            .and_then(|a| site.anchor_id(target, a))
            .map(|id| format!("#{id}"))
            .unwrap_or_default();
        ResolvedLink {
            url: format!("{}{anchor}", site.url_of(target)),
            label,
        }
    }
}

impl Resolver for BodyResolver<'_> {
    fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String {
        // A bare `@word` that names no source is text, as in Obsidian (`@Transactional`).
        if citation.mode == CiteMode::Narrative
            && let Some(item) = citation.items.first()
            && self.site.source_of(&item.key).is_none()
        {
            let locator = item.locator.as_ref().map(|l| format!(" [{l}]"));
            return escape_html(&format!("@{}{}", item.key, locator.unwrap_or_default()));
        }
        self.site.citation_html(citation, first_use)
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        let found = self.site.target_of(target, self.from).ok()?;
        Some(self.link_to(found, target_name(target), anchor))
    }

    fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded> {
        let site = self.site;
        let name = target_name(target);
        let target = site.target_of(target, self.from).ok()?;
        let link = self.link_to(target, name, anchor);
        let note = &site.notes[target];
        let section = match anchor.filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => match site.anchor_id(target, a) {
                Some(id) => Some(id),
                None => return Some(Embedded::Link(link)),
            },
        };
        // A part already being rendered would show itself again, without end.
        let part = (target, section);
        let current = (self.from, self.section.clone());
        let cycle = part == current || self.around.contains(&part);
        if cycle || self.around.len() >= MAX_DEPTH {
            return Some(Embedded::Link(link));
        }
        let text = match &part.1 {
            None => super::without_title(&note.body, &note.title),
            // A section the note does not have: a link to the note, which Obsidian would open.
            Some(id) => match markdown::section(&note.body, id) {
                Some(section) => section,
                None => return Some(Embedded::Link(link)),
            },
        };
        let mut around = self.around.clone();
        around.push(current);
        let inner = BodyResolver {
            site,
            from: target,
            section: part.1,
            around,
        };
        let settings = markdown::Settings {
            embedded: true,
            ..site.markdown
        };
        let html = markdown::render(text, note.dir(), &inner, &settings);
        Some(Embedded::Html { html, link })
    }

    fn asset(&self, name: &str) -> Option<String> {
        let rel = self.site.find_asset(name, self.from)?;
        Some(format!(
            "{}{}",
            self.site.config.base_path,
            encode_path(&rel)
        ))
    }

    fn tag_url(&self, tag: &str) -> String {
        self.site.tag_url(tag)
    }

    fn base_path(&self) -> &str {
        &self.site.config.base_path
    }
}

/// The name a link was written with (a file's path for a Markdown link).
fn target_name(target: &LinkTarget) -> &str {
    match target {
        LinkTarget::Key(k) => k,
        LinkTarget::File(f) => f,
    }
}

/// A path made safe for a URL: spaces and other reserved characters percent-encoded, `/` kept.
pub(crate) fn encode_path(path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'%');
    utf8_percent_encode(path, PATH).to_string()
}
