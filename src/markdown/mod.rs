//! Markdown with Pandoc citations, wikilinks, `.md` links and Obsidian's additions: what both
//! passes share.
//!
//! Two passes over the same event stream ([`events`]), both pure:
//! 1. [`scan()`] records what a note refers to (citations, links, embeds, attachments, heading
//!    and block ids, inline tags) with file positions and the sentence around each reference,
//!    for the graph and for backlinks;
//! 2. [`render()`] produces HTML, asking a [`Resolver`] for citation text, link URLs and embedded
//!    notes, with code highlighted by [`highlight`] and formulas made MathML by [`math`].
//!
//! Before either, [`private::prepare`] has blanked `%% comments %%` out of the body, and
//! [`obsidian`] rewrites callouts and Dataview fields in the event stream. Heading ids come from
//! one function, [`heading_ids`], so the anchors `gloss check` accepts are exactly the ones the
//! page has.

mod highlight;
mod math;
mod obsidian;
pub(crate) mod private;
mod render;
mod scan;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag};

use crate::cite::{Citation, parse_citation_label};
use crate::html::slugify;

pub(crate) use highlight::HIGHLIGHT_CLASS_STYLE;
pub(crate) use render::render;
pub(crate) use scan::scan;

/// Marker URL scheme carrying a bracketed citation's label from the parser's callback to the renderer.
const CITE_SCHEME: &str = "gloss-cite:";
/// Brackets placed around a citation's index inside a backlink context (private-use characters).
pub(crate) const CONTEXT_MARK_OPEN: char = '\u{E000}';
pub(crate) const CONTEXT_MARK_CLOSE: char = '\u{E001}';
/// A link inside a context: `\u{E002}j\u{E001}` (link `j` of the scan), its text as written, then
/// `\u{E003}`; a bare `[[key]]` has no text between the markers.
pub(crate) const LINK_MARK_OPEN: char = '\u{E002}';
pub(crate) const LINK_MARK_END: char = '\u{E003}';
/// About how many words of a body's first paragraphs [`Scan::lead`] keeps.
pub(crate) const LEAD_WORDS: usize = 60;
/// At most this many bytes of them: a first paragraph may be a whole 50 MB note, and a preview
/// shows 40 words.
pub(crate) const LEAD_BYTES: usize = 4096;

/// How bodies are read, from `site.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Settings {
    /// Every line break is a break (Obsidian's "strict line breaks" off), not a space.
    pub(crate) hard_breaks: bool,
    /// The body is shown inside another note's page (an embed): its headings and blocks get no
    /// ids, which the page around it may use too.
    pub(crate) embedded: bool,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Where a link points, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// `[[name]]`: a key, a file name, an alias or a path.
    Key(String),
    /// `[text](../themes/x.md)`: a content file, as a path relative to the notes' folder.
    File(String),
}

/// A reference to another note found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub target: LinkTarget,
    pub anchor: Option<String>,
    /// `![[note]]`: the note is shown in place.
    pub embed: bool,
    pub line: usize,
    pub col: usize,
    /// Index into [`Scan::contexts`].
    pub context: usize,
    /// Where its marker starts in that context, in bytes (0 for an embed, which has none).
    pub at: usize,
}

/// A citation found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteRef {
    pub citation: Citation,
    pub line: usize,
    pub col: usize,
    pub context: usize,
    /// Where its marker starts in that context, in bytes: a backlink passage is cut around it
    /// without searching the context, which may be a paragraph of 200,000 citations.
    pub at: usize,
}

/// A file a body shows or links by name (`![[figure.png|400]]`, `![[paper.pdf]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRef {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

/// Something in a body that renders, but not as written: a warning at its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// What a note body refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub citations: Vec<CiteRef>,
    pub links: Vec<LinkRef>,
    pub attachments: Vec<AttachmentRef>,
    /// Heading ids, for checking `#anchor` links.
    pub heading_ids: Vec<String>,
    /// Block ids (`^id`, with the caret), for checking `#^id` links.
    pub block_ids: Vec<String>,
    /// Inline `#tags`, as written without the `#`, with their lines.
    pub tags: Vec<(String, usize)>,
    /// Links that open nothing on the web (`zotero://`, `file://`): their lines and columns.
    pub local_links: Vec<(usize, usize)>,
    pub problems: Vec<Problem>,
    /// The text of each block holding a reference; citation `i` appears as `\u{E000}i\u{E001}`,
    /// link `j` as described at [`LINK_MARK_OPEN`].
    pub contexts: Vec<String>,
    /// Every heading, in order (the ids are [`Scan::heading_ids`]), its text marked as contexts are.
    pub headings: Vec<HeadingRef>,
    /// The body's first paragraphs, at least [`LEAD_WORDS`] words when it has them, marked as
    /// contexts are: what a preview shows.
    pub lead: String,
}

/// A heading of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingRef {
    /// 1 to 6.
    pub level: u8,
    pub text: String,
}

/// A resolved link: where it goes, and the text to show for a bare `[[key]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLink {
    pub url: String,
    pub label: String,
}

/// What an embed (`![[note]]`, `![[note#Heading]]`) shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Embedded {
    /// The rendered note or section, and a link to where it comes from.
    Html { html: String, link: ResolvedLink },
    /// Only a link: the embed would repeat a note already being shown (a cycle), or nest too deep.
    Link(ResolvedLink),
}

/// What the renderer asks of the rest of the site.
pub trait Resolver {
    /// The HTML of a citation (linked, with tooltip); `first_use` tells, item by item, whether
    /// this is the body's first citation of the source. Unknown keys still render, visibly.
    fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String;
    /// The URL of a link target, or `None` if there is no such note.
    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink>;
    /// What `![[target#anchor]]` shows, or `None` if there is no such note or section.
    fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded>;
    /// The URL of a file the body names (`figure.png`, `attachments/paper.pdf`), if there is one.
    fn asset(&self, name: &str) -> Option<String>;
    /// The URL of a tag's page (or of the theme the tag names).
    fn tag_url(&self, tag: &str) -> String;
    /// The site's base path (`/review/`, or `/`), for links to files that are not notes.
    fn base_path(&self) -> &str;
}

/// How an attachment is shown, by its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    Image,
    Audio,
    Video,
    /// A PDF or any other file: a link.
    File,
}

/// What kind of file `name` is, by its extension; `None` for a note (`.md`) or a name with no
/// known type (`Chapter 2.1` is a note's name).
pub(crate) fn media_of(name: &str) -> Option<Media> {
    let path = name.split(['#', '|']).next().unwrap_or(name).trim();
    if path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let mime = mime_guess::from_path(path).first()?;
    Some(match mime.type_() {
        mime_guess::mime::IMAGE => Media::Image,
        mime_guess::mime::AUDIO => Media::Audio,
        mime_guess::mime::VIDEO => Media::Video,
        _ => Media::File,
    })
}

/// Links that open an application on the author's computer and nothing on the web.
fn is_local_link(dest: &str) -> bool {
    let lower = dest.trim_start().to_ascii_lowercase();
    [
        "zotero:",
        "file:",
        "obsidian:",
        "x-devonthink-item:",
        "hook:",
    ]
    .iter()
    .any(|scheme| lower.starts_with(scheme))
}

/// A piece of a text event.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Plain,
    /// A narrative citation, `@key`.
    Cite(Citation),
    /// An inline `#tag`, as written without the `#`.
    Tag(String),
    /// `==`, opening or closing a highlight.
    Mark,
    /// An inline Dataview field, `[key:: value]` (or `(key:: value)`, its key hidden).
    Field {
        key: String,
        value: String,
        hidden: bool,
    },
}

/// Splits text into plain runs, narrative citations (`@key` not after a word character), inline
/// tags and highlight marks.
fn pieces(text: &str) -> Vec<(Range<usize>, Piece)> {
    let bytes = text.as_bytes();
    let fields = text.contains("::");
    if !fields && !bytes.iter().any(|b| matches!(b, b'@' | b'#' | b'=')) {
        // The common case, found with a fast byte search.
        return match text.is_empty() {
            true => Vec::new(),
            false => vec![(0..text.len(), Piece::Plain)],
        };
    }
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let mut brackets = Brackets::default();
    let push = |out: &mut Vec<_>, plain_start: usize, range: Range<usize>, piece: Piece| {
        if plain_start < range.start {
            out.push((plain_start..range.start, Piece::Plain));
        }
        out.push((range, piece));
    };
    while i < bytes.len() {
        let found = match bytes[i] {
            b'@' => narrative_citation(text, i),
            b'#' => match obsidian::tag_length(text, i) {
                0 => None,
                len => Some((i + len, Piece::Tag(text[i + 1..i + len].to_string()))),
            },
            b'=' if obsidian::is_mark(bytes, i) => Some((i + 2, Piece::Mark)),
            b'[' => long_cluster(text, i, &mut brackets).or_else(|| {
                fields
                    .then(|| obsidian::inline_field(text, i))
                    .flatten()
                    .map(|(end, key, value, hidden)| (end, Piece::Field { key, value, hidden }))
            }),
            b'(' if fields => obsidian::inline_field(text, i)
                .map(|(end, key, value, hidden)| (end, Piece::Field { key, value, hidden })),
            _ => None,
        };
        match found {
            Some((end, piece)) => {
                push(&mut out, plain_start, i..end, piece);
                plain_start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if plain_start < text.len() {
        out.push((plain_start..text.len(), Piece::Plain));
    }
    out
}

/// A link label this long is no link label to CommonMark (pulldown-cmark gives up at 1,000
/// code points), so a bracketed citation longer than that reaches the text as written.
const LONG_LABEL: usize = 1000;

/// Where the next `[` and `]` of a text are, found once for every `[` between them.
#[derive(Default)]
struct Brackets {
    /// The next `]` at or after the last place asked, and the next `[` after it.
    close: Option<usize>,
    open: Option<usize>,
}

/// A citation cluster at byte `i` (a `[`) too long for a link label, such as 200,000 works in one
/// `[@a; @b; …]`: a citation as Pandoc reads it, where it would otherwise be its narrative
/// citations in brackets. Each `]` is looked for once and tried with the one `[` right before
/// it, so a text of many brackets costs its length. (Such a cluster must be plain text on one
/// line: an emphasis or a line break inside it splits the text it is read from.)
fn long_cluster(text: &str, i: usize, brackets: &mut Brackets) -> Option<(usize, Piece)> {
    let next = |from: usize, c: char| text[from..].find(c).map_or(usize::MAX, |j| from + j);
    if brackets.close.is_none_or(|close| close < i) {
        brackets.close = Some(next(i, ']'));
    }
    if brackets.open.is_none_or(|open| open <= i) {
        brackets.open = Some(next(i + 1, '['));
    }
    let (close, open) = (brackets.close?, brackets.open?);
    if close == usize::MAX || open < close || close - i - 1 < LONG_LABEL {
        return None;
    }
    let citation = crate::cite::parse_citation_label(&text[i + 1..close])?;
    Some((close + 1, Piece::Cite(citation)))
}

/// The narrative citation at byte `i` (an `@`), with where it ends.
fn narrative_citation(text: &str, i: usize) -> Option<(usize, Piece)> {
    let prev_ok = text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@')));
    let key_len = crate::cite::key_length(&text[i + 1..]);
    if !prev_ok || key_len == 0 {
        return None;
    }
    let key_end = i + 1 + key_len;
    let mut citation = Citation::narrative(&text[i + 1..key_end]);
    // Pandoc's `@key [p. 33]`: a narrative citation with a locator.
    let mut end = key_end;
    if let Some((locator, len)) = narrative_locator(&text[key_end..]) {
        citation.items[0].locator = Some(locator.to_string());
        end += len;
    }
    Some((end, Piece::Cite(citation)))
}

/// The events of a body with their byte ranges; citations arrive as links to `gloss-cite:<label>`.
fn events(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
    // The callback gives a citation an empty destination, made `gloss-cite:<label>` afterwards
    // from the label pulldown-cmark keeps as the link's id: the destinations and titles it
    // gives count against pulldown-cmark's budget for expanding link references (the body's
    // length, at least 100 kB), which a paragraph of 9,000 `[@key]` used up, the rest of its
    // citations then left as bracketed text.
    let callback = |link: BrokenLink<'_>| {
        parse_citation_label(&link.reference)
            .is_some()
            .then(|| (CowStr::from(""), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let events = parser
        .into_offset_iter()
        .map(|(event, range)| (cite_url(event), range));
    obsidian::fields(obsidian::callouts(merge_text(events)))
}

/// A link or image the callback made (only it makes links of an unknown reference) with its
/// destination `gloss-cite:<label>`.
fn cite_url(event: Event<'_>) -> Event<'_> {
    let unknown = |t: LinkType| {
        matches!(
            t,
            LinkType::ReferenceUnknown | LinkType::CollapsedUnknown | LinkType::ShortcutUnknown
        )
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            title,
            id,
            ..
        }) if unknown(link_type) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(format!("{CITE_SCHEME}{id}")),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            title,
            id,
            ..
        }) if unknown(link_type) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from(format!("{CITE_SCHEME}{id}")),
            title,
            id,
        }),
        event => event,
    }
}

/// Joins adjacent text events, so `@key` and sentences are never split across events. A run is
/// gathered in one growing string and made an event once, at its end: copying the text joined
/// so far at each event would be quadratic in a run of many (pulldown-cmark splits text at
/// every bracket, quote and asterisk). The events are joined as the parser gives them, so that
/// a body's events are held in one vector, not collected in one and joined into another (a 50 MB
/// note has millions of them).
fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    // The run being joined, once it has a second event.
    let mut joined: Option<String> = None;
    let close = |out: &mut Vec<(Event<'_>, Range<usize>)>, joined: &mut Option<String>| {
        if let (Some(text), Some((Event::Text(last), _))) = (joined.take(), out.last_mut()) {
            *last = CowStr::from(text);
        }
    };
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            joined
                .get_or_insert_with(|| prev.to_string())
                .push_str(next);
            prev_range.end = range.end;
            continue;
        }
        close(&mut out, &mut joined);
        out.push((event, range));
    }
    close(&mut out, &mut joined);
    out
}

/// The `[p. 33]` after a narrative citation (one space before it at most), and its length.
fn narrative_locator(after: &str) -> Option<(&str, usize)> {
    let skip = usize::from(after.starts_with(' '));
    let rest = after[skip..].strip_prefix('[')?;
    let close = rest.find(']')?;
    let inside = rest[..close].trim();
    let plausible = !inside.is_empty()
        && inside.len() <= 60
        && !inside.contains(['@', '[', '\n'])
        && inside.chars().any(|c| c.is_ascii_digit());
    plausible.then_some((inside, skip + 1 + close + 1))
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
        // In a table, `[[x\\|alias]]` escapes the bar from the table, not from the link.
        let path = path.trim().trim_end_matches('\\').trim_end();
        return Some((LinkTarget::Key(path.to_string()), anchor));
    }
    if path.contains("://")
        || path.starts_with('/')
        || path.starts_with("mailto:")
        || !path.to_ascii_lowercase().ends_with(".md")
    {
        return None;
    }
    // Obsidian writes `[x](My%20Note.md)`: the file is `My Note.md`.
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let anchor = anchor.map(|a| {
        percent_encoding::percent_decode_str(&a)
            .decode_utf8_lossy()
            .into_owned()
    });
    Some((LinkTarget::File(join_relative(note_dir, &path)?), anchor))
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

/// The Markdown of one part of a body, for `![[note#Heading]]` and `![[note#^block]]`: the
/// heading with id `id` and what follows it up to the next heading of its level or above, or the
/// block whose id is `id` (`^…`; an id on a line of its own names the block before it).
pub(crate) fn section<'b>(body: &'b str, id: &str) -> Option<&'b str> {
    let events = events(body);
    if id.starts_with('^') {
        let mut depth = 0usize;
        let mut previous: Option<Range<usize>> = None;
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(tag) => {
                    if matches!(tag, Tag::Paragraph | Tag::Item) {
                        let end = matching_end(&events, i);
                        if let Some((_, found, cut)) = obsidian::block_id_event(&events, i, end)
                            && found == id
                        {
                            let alone = cut == 0 && matches!(tag, Tag::Paragraph) && depth == 0;
                            return match alone {
                                true => previous.map(|r| &body[r]),
                                false => Some(&body[range.clone()]),
                            };
                        }
                    }
                    if depth == 0 {
                        previous = Some(range.clone());
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ if depth == 0 => previous = Some(range.clone()),
                _ => {}
            }
        }
        return None;
    }
    let ids = heading_ids(&events);
    let headings: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Heading { level, .. }) => Some((*level as usize, range.start)),
            _ => None,
        })
        .collect();
    let at = ids.iter().position(|h| h == id)?;
    let (level, start) = headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|(l, _)| *l <= level)
        .map_or(body.len(), |&(_, s)| s);
    Some(&body[start..end])
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

/// The id of every heading of a body, in order: its explicit `{#id}`, else a slug of its text
/// made unique against every explicit id and every earlier heading (`a`, `a-1`, …).
fn heading_ids(events: &[(Event<'_>, Range<usize>)]) -> Vec<String> {
    let mut used = UsedIds {
        ids: events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect(),
        ..UsedIds::default()
    };
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let end = matching_end(events, i);
            ids.push(match id {
                Some(id) => id.to_string(),
                None => {
                    let text: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    unique_id(&text, &mut used)
                }
            });
            i = end;
        }
        i += 1;
    }
    ids
}

/// Ids taken so far, and for each slug the suffix to try next: ids are only ever added, so a
/// slug's next free suffix is never below the last one it got, and 10,000 headings of one text
/// cost one try each instead of trying `a-1` … `a-9999` again for the last of them.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(text: &str, used: &mut UsedIds) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    if used.ids.insert(base.clone()) {
        return base;
    }
    let n = used.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.ids.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Resolver for Fake {
        fn citation_html(&self, c: &Citation, _first_use: &[bool]) -> String {
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
        fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded> {
            let link = self.resolve(target, anchor)?;
            Some(Embedded::Html {
                html: format!("<p>embedded {}</p>", link.label),
                link,
            })
        }
        fn asset(&self, name: &str) -> Option<String> {
            (!name.contains("missing")).then(|| format!("/review/files/{name}"))
        }
        fn tag_url(&self, tag: &str) -> String {
            format!("/review/tags/{}/", crate::html::tag_slug(tag))
        }
        fn base_path(&self) -> &str {
            "/review/"
        }
    }

    fn render(body: &str, dir: &str, resolver: &dyn Resolver) -> String {
        super::render(body, dir, resolver, &Settings::default())
    }

    #[test]
    fn highlights_pair_up_inside_one_element_and_embeds_close_what_is_open() {
        // Found by fuzz/vault: a highlight crossing an emphasis, and an embed inside an
        // emphasis or a highlight, left the HTML misnested.
        let cases = [
            ("==a *b== c*", "<p>==a <em>b== c</em></p>\n"),
            ("==a *b* c==", "<p><mark>a <em>b</em> c</mark></p>\n"),
            (
                "*==a==* ==b==",
                "<p><em><mark>a</mark></em> <mark>b</mark></p>\n",
            ),
            ("a == b == c ==", "<p>a <mark> b </mark> c ==</p>\n"),
            (
                "*a ![[x]] b*",
                "<p><em>a </em></p>\n<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><em> b</em></p>\n",
            ),
            (
                "![[x]] *b*",
                "<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><em>b</em></p>\n",
            ),
            (
                "**a ==b ![[x]] c== d**",
                "<p><strong>a ==b </strong></p>\n<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><strong> c== d</strong></p>\n",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(render(body, "", &Fake), want, "{body}");
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
            "![F](missing-fig.png) [bib](/bibliography/) [ext](https://e.org/) ![G](Attachments/g%201.png)",
            "themes",
            &Fake,
        );
        // A file that is not among the content's attachments keeps its path from the note…
        assert!(
            html.contains(r#"src="/review/themes/missing-fig.png""#),
            "{html}"
        );
        // …and one that is goes where the attachment is, its name decoded.
        assert!(
            html.contains(r#"src="/review/files/Attachments/g%201.png""#),
            "{html}"
        );
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
    fn a_narrative_citation_may_carry_a_locator() {
        let s = scan("As @walt1990 [p. 5] says, and @x2000 [sic] too.", "", 1);
        let items: Vec<(&str, Option<&str>)> = s
            .citations
            .iter()
            .map(|c| {
                (
                    c.citation.items[0].key.as_str(),
                    c.citation.items[0].locator.as_deref(),
                )
            })
            .collect();
        assert_eq!(items, [("walt1990", Some("p. 5")), ("x2000", None)]);
        assert!(s.contexts[0].contains("[sic]"), "{:?}", s.contexts);
        assert!(!s.contexts[0].contains("[p. 5]"), "{:?}", s.contexts);
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
            html.contains(
                r#"<span class="unresolved" title="No published note: missing">missing</span>"#
            ),
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

    /// An explicit id later in the body takes precedence over a generated one: the scan (which
    /// `gloss check` trusts) and the page must give the earlier heading the same `a-1`.
    #[test]
    fn scan_and_render_agree_on_ids_when_an_explicit_id_comes_later() {
        let body = "# A\n\n# Other {#a}\n\n# A\n";
        let s = scan(body, "", 1);
        assert_eq!(s.heading_ids, ["a-1", "a", "a-2"]);
        let html = render(body, "", &Fake);
        let page = scraper::Html::parse_fragment(&html);
        let sel = scraper::Selector::parse("h1").unwrap();
        let ids: Vec<&str> = page
            .select(&sel)
            .filter_map(|h| h.value().attr("id"))
            .collect();
        assert_eq!(ids, s.heading_ids);
    }

    /// A heading whose slug another took gets the next free suffix, skipping one a heading's
    /// own text took (`A 1` is `a-1`).
    #[test]
    fn repeated_headings_get_the_next_free_suffix() {
        let body = "# A\n\n# A\n\n# A 1\n\n# A\n\n# B\n\n# A {#a-3}\n\n# A\n";
        let s = scan(body, "", 1);
        assert_eq!(
            s.heading_ids,
            ["a", "a-1", "a-1-1", "a-2", "b", "a-3", "a-4"]
        );
    }

    /// Text split into many events (at brackets, quotes, asterisks) is one text event again, so
    /// that a narrative citation split across them is found.
    #[test]
    fn split_text_is_joined_whole() {
        let body = "a [b] \"c\" d*e [x @key y";
        let s = scan(body, "", 1);
        assert_eq!(s.citations.len(), 1);
        assert_eq!((s.citations[0].line, s.citations[0].col), (1, 22));
        let html = render(body, "", &Fake);
        assert!(
            html.starts_with("<p>a [b] “c” d*e [x <cite>key</cite> y</p>"),
            "{html}"
        );
    }

    /// Citations spend nothing of pulldown-cmark's budget for link references: a paragraph of
    /// 20,000 of them, which used it up after 9,000, is 20,000 citations.
    #[test]
    fn a_paragraph_of_twenty_thousand_citations_has_them_all() {
        let body: Vec<String> = (0..20_000).map(|i| format!("[@k{}]", i % 50)).collect();
        let s = scan(&body.join(" "), "", 1);
        assert_eq!(s.citations.len(), 20_000);
        let last = &s.citations[19_999].citation;
        assert_eq!(last.mode, crate::cite::CiteMode::Parenthetical);
        assert_eq!(last.items[0].key, "k49");
    }

    /// A cluster too long for a CommonMark link label is still one citation, in the scan and on
    /// the page; brackets around other text stay text, and an escaped bracket keeps what it
    /// holds from being a cluster (its `@key` is narrative, as in a short one).
    #[test]
    fn a_cluster_longer_than_a_link_label_is_one_citation() {
        let keys: Vec<String> = (0..300).map(|i| format!("k{i}")).collect();
        let label = keys
            .iter()
            .map(|k| format!("@{k}"))
            .collect::<Vec<_>>()
            .join("; ");
        assert!(label.len() > LONG_LABEL);
        let body = format!("Before [see {label}, p. 4] after [x] \\[@esc] and [a [b] @n.\n");
        let s = scan(&body, "", 1);
        let found: Vec<&Citation> = s.citations.iter().map(|c| &c.citation).collect();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].mode, crate::cite::CiteMode::Parenthetical);
        let scanned: Vec<&str> = found[0].items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(scanned, keys);
        assert_eq!(found[0].items[0].prefix.as_deref(), Some("see"));
        assert_eq!(found[0].items[299].locator.as_deref(), Some("p. 4"));
        assert_eq!(*found[1], Citation::narrative("esc"));
        assert_eq!(*found[2], Citation::narrative("n"));
        let html = render(&body, "", &Fake);
        let expected = format!(
            "<p>Before <cite>{}</cite> after [x] [<cite>esc</cite>] and [a [b] <cite>n</cite>.</p>",
            keys.join("+")
        );
        assert!(html.starts_with(&expected), "{html}");
    }

    #[test]
    fn links_and_citations_in_headings_are_resolved() {
        let html = render("## On [[t]] and [@a]\n", "", &Fake);
        assert!(
            html.contains(r#"<h2 id="on-t-and-a">On <a href="/t/">T</a> and <cite>a</cite>"#),
            "{html}"
        );
    }
}
