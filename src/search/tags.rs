//! The tags of gloss's HTML, read one at a time at a `<`: a start tag's name and the attributes
//! search reads (`id` and Pagefind's `data-pagefind-*`), an end tag's name, or a comment or
//! doctype to step over; a script's or style's content is stepped over with its tag. Names are
//! borrowed from the page unless they need lower-casing, values unless they hold entities.

use std::borrow::Cow;

use memchr::memmem;

use super::BODY;

/// The attributes search reads: `id` and Pagefind's, by name (as written) with their value.
pub(super) type Attrs<'a> = Vec<(&'a str, Cow<'a, str>)>;

pub(super) fn attr<'b>(attrs: &'b Attrs, name: &str) -> Option<&'b str> {
    attrs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| &**v)
}

/// Where the element marked `data-pagefind-body` starts: the `<` of the first start tag that
/// holds the marker (not text that mentions it, as a note's title in `<title>` may).
pub(super) fn body_start(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(k) = memmem::find(&bytes[from..], BODY).map(|k| from + k) {
        if let Some(lt) = memchr::memrchr(b'<', &bytes[..k])
            && memchr::memchr(b'>', &bytes[lt..k]).is_none()
            && bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            return Some(lt);
        }
        from = k + BODY.len();
    }
    None
}

pub(super) enum Kind<'a> {
    Start(Cow<'a, str>, Attrs<'a>),
    End(Cow<'a, str>),
    /// A comment, a doctype or a processing instruction.
    Other,
}

/// A tag read at a `<`.
pub(super) struct Tag<'a> {
    pub(super) kind: Kind<'a>,
    /// Just past the tag (past a script's or style's content and end tag, for those).
    pub(super) end: usize,
    pub(super) self_closing: bool,
    pub(super) raw_text: bool,
}

impl<'a> Tag<'a> {
    pub(super) fn read(html: &'a str, lt: usize) -> Option<Tag<'a>> {
        let rest = &html[lt..];
        let b = rest.as_bytes();
        let other = |end: usize| Tag {
            kind: Kind::Other,
            end,
            self_closing: false,
            raw_text: false,
        };
        if rest.starts_with("<!--") {
            let end = memmem::find(&b[4..], b"-->").map_or(html.len(), |k| lt + 4 + k + 3);
            return Some(other(end));
        }
        if matches!(b.get(1), Some(b'!' | b'?')) {
            return Some(other(
                memchr::memchr(b'>', b).map_or(html.len(), |k| lt + k + 1),
            ));
        }
        let closing = b.get(1) == Some(&b'/');
        let start = if closing { 2 } else { 1 };
        let name_len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 || !b[start].is_ascii_alphabetic() {
            return None;
        }
        let name = lower(&rest[start..start + name_len]);
        let (attrs, after) = attributes(rest, start + name_len);
        let self_closing = after >= 2 && b[after - 2] == b'/';
        let mut end = lt + after;
        if closing {
            return Some(Tag {
                kind: Kind::End(name),
                end,
                self_closing: false,
                raw_text: false,
            });
        }
        let raw_text = matches!(&*name, "script" | "style") && !self_closing;
        if raw_text {
            let close = format!("</{name}");
            end = memmem::find(&html.as_bytes()[end..], close.as_bytes()).map_or(html.len(), |k| {
                let at = end + k;
                memchr::memchr(b'>', &html.as_bytes()[at..]).map_or(html.len(), |g| at + g + 1)
            });
        }
        Some(Tag {
            kind: Kind::Start(name, attrs),
            end,
            self_closing,
            raw_text,
        })
    }
}

/// A tag's name in lower case (gloss writes them so: no copy).
fn lower(name: &str) -> Cow<'_, str> {
    match name.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(name.to_ascii_lowercase()),
        false => Cow::Borrowed(name),
    }
}

/// The attributes search reads of a tag from `at` (just past its name) to its `>`, and where
/// the tag ends.
fn attributes(rest: &str, mut at: usize) -> (Attrs<'_>, usize) {
    let b = rest.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < b.len() && (b[at].is_ascii_whitespace() || b[at] == b'/') {
            at += 1;
        }
        if at >= b.len() {
            return (attrs, b.len());
        }
        if b[at] == b'>' {
            return (attrs, at + 1);
        }
        let name_start = at;
        while at < b.len() && !matches!(b[at], b'=' | b'>' | b'/') && !b[at].is_ascii_whitespace() {
            at += 1;
        }
        let name = &rest[name_start..at];
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = Cow::Borrowed("");
        if b.get(at) == Some(&b'=') {
            at += 1;
            while at < b.len() && b[at].is_ascii_whitespace() {
                at += 1;
            }
            let (start, end, next) = match b.get(at) {
                Some(q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(*q, &b[at + 1..]).map_or(b.len(), |k| at + 1 + k);
                    (at + 1, close, (close + 1).min(b.len()))
                }
                _ => {
                    let end = b[at..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>')
                        .map_or(b.len(), |k| at + k);
                    (at, end, end)
                }
            };
            value = html_escape::decode_html_entities(&rest[start..end]);
            at = next;
        }
        let wanted = name.eq_ignore_ascii_case("id")
            || name
                .get(..14)
                .is_some_and(|n| n.eq_ignore_ascii_case("data-pagefind-"));
        if wanted {
            attrs.push((name, value));
        }
    }
}
