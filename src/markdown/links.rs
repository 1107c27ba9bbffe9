//! Where links point: a link's target (a note by name or by file, with its anchor), the URL
//! of a link or image that is no note, the kind of file an attachment is, and links that open
//! nothing on the web.

use pulldown_cmark::LinkType;

use super::LinkTarget;
use crate::safe_url::{self, UrlKind};

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
/// known type (`Chapter 2.1` is a note's name). An Excalidraw drawing (`x.excalidraw`) is shown
/// as the image the plugin exports beside it; a canvas is a file to open.
pub(crate) fn media_of(name: &str) -> Option<Media> {
    let path = file_part(name).to_ascii_lowercase();
    if path.ends_with(".md") {
        return None;
    }
    if path.ends_with(".excalidraw") {
        return Some(Media::Image);
    }
    if path.ends_with(".canvas") {
        return Some(Media::File);
    }
    let mime = mime_guess::from_path(&path).first()?;
    Some(match mime.type_() {
        mime_guess::mime::IMAGE => Media::Image,
        mime_guess::mime::AUDIO => Media::Audio,
        mime_guess::mime::VIDEO => Media::Video,
        _ => Media::File,
    })
}

/// A wikilink's destination as it names its target: in a table, `[[x\\|alias]]` escapes the bar
/// from the table, so the `\\` before it is no part of the name.
pub(crate) fn wiki_dest(dest: &str) -> &str {
    dest.trim().trim_end_matches('\\').trim_end()
}

/// The file a wikilink to an attachment names: without a `#fragment` (`song.m4a#loop`) or a
/// `?query` after a file's extension (`map.html?img=x.jpg`), which Obsidian does not read as
/// part of the name.
pub(crate) fn file_part(dest: &str) -> &str {
    let dest = wiki_dest(dest);
    let dest = dest.split(['#', '|']).next().unwrap_or(dest).trim_end();
    match dest.split_once('?') {
        Some((file, _)) if mime_guess::from_path(file).first().is_some() => file,
        _ => dest,
    }
}

/// Links that open an application on the author's computer and nothing on the web.
pub(super) fn is_local_link(dest: &str) -> bool {
    safe_url::kind(dest) == UrlKind::Local
}

/// Why a Markdown link's destination may not be a link (`javascript:`, `data:`, any scheme but
/// `http(s)` and `mailto`), for its warning; `None` when it may.
pub(super) fn unsafe_link(dest: &str) -> Option<String> {
    match safe_url::kind(dest) {
        UrlKind::Other(scheme) => Some(format!(
            "a link to {} is shown as text: only http, https, mailto and relative links become links",
            described(&scheme)
        )),
        _ => None,
    }
}

/// Why an image's source may not be shown, for its warning; `None` when it may.
pub(super) fn unsafe_image(dest: &str) -> Option<String> {
    if safe_url::is_image_source(dest) {
        return None;
    }
    let scheme = match safe_url::kind(dest) {
        UrlKind::Other(scheme) => scheme,
        UrlKind::Local => "the author's computer".to_string(),
        _ => "mailto".to_string(),
    };
    Some(format!(
        "an image from {} is shown as its text: images come from http, https, relative paths or `data:image/`",
        described(&scheme)
    ))
}

/// `javascript` → "`javascript:`"; a description of an unreadable URL as it is.
fn described(scheme: &str) -> String {
    if scheme.contains(' ') {
        scheme.to_string()
    } else {
        format!("`{scheme}:`")
    }
}

/// What a link's destination names among the notes, with its anchor: a wikilink's name, or
/// a relative `.md` path joined to the note's folder; `None` for any other destination.
pub(super) fn link_target(
    dest: &str,
    link_type: LinkType,
    note_dir: &str,
) -> Option<(LinkTarget, Option<String>)> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    if matches!(link_type, LinkType::WikiLink { .. }) {
        let (path, anchor) = match wiki_dest(dest).split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (wiki_dest(dest), None),
        };
        return Some((LinkTarget::Key(path.trim().to_string()), anchor));
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
pub(super) fn local_url(dest: &str, note_dir: &str, base_path: &str) -> Option<String> {
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
