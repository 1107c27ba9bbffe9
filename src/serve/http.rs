//! The HTTP side of `gloss serve`: maps a request path to a file of the last good build held in
//! memory (never to an arbitrary path on disk), and answers it.

use std::fs;
use std::io::{Cursor, Read};
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live;
use super::range::{Body, Ranged, content_type, range};
use super::{Shared, Snapshot};
use crate::search;

/// The longest request target answered (browsers send far shorter ones): 414 past it.
const MAX_URL: usize = 8 * 1024;
/// The most header bytes a request may carry: 431 past it.
const MAX_HEADERS: usize = 16 * 1024;
/// How long a response may wait for a client that takes nothing of it before it is dropped.
pub(super) const STALL: Duration = Duration::from_secs(10);

/// Makes every write to a connection `listener` accepts give up after [`STALL`] without progress
/// (accepted sockets inherit the listener's send timeout), so a tab that stopped reading cannot
/// hold up a response or the live-reload broadcast. There is no receive timeout: on a listener it
/// would also time out `accept`, which ends tiny_http's accept loop (and the server with it); a
/// silent client holds only its own connection thread.
pub(super) fn limit_stalls(listener: &TcpListener) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let timeout = libc::timeval {
            tv_sec: STALL.as_secs() as libc::time_t,
            tv_usec: 0,
        };
        // SAFETY: a valid socket descriptor, a pointer to a timeval and its size.
        let set = unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDTIMEO,
                (&raw const timeout).cast(),
                size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if set != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Why a request is refused for its size, if it is.
fn oversized(request: &Request) -> Option<(u16, &'static str)> {
    if request.url().len() > MAX_URL {
        return Some((414, "the request path is longer than 8 KiB"));
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
        .sum();
    (headers > MAX_HEADERS).then_some((431, "the request's headers are longer than 16 KiB"))
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file of the site, relative to the output root.
    File(String),
    /// The same resource under a canonical URL (a missing trailing slash, the bare host).
    Redirect(String),
    /// The live-reload event stream.
    Events,
    NotFound,
    /// A malformed path or one trying to leave the site (`..`, encoded or not).
    BadRequest(&'static str),
}

/// Decodes and checks a request path (`/review/sources/x/?q` → `/review/sources/x/`).
pub(crate) fn decode_path(url: &str) -> Result<String, &'static str> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Err("the request path must start with /");
    }
    // A `%` must start an escape: percent_decode would pass a stray one through unchanged.
    let bytes = raw.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return Err("malformed %-escape in the path");
    }
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| "the path is not valid UTF-8")?
        .into_owned();
    if path.contains(['\0', '\\']) {
        return Err("the path contains a NUL byte or a backslash");
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err("the path contains a `.` or `..` segment");
    }
    Ok(path)
}

/// Resolves a request URL against the files of a build served under `base_path`.
pub(crate) fn target(url: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let path = match decode_path(url) {
        Ok(p) => p,
        Err(why) => return Target::BadRequest(why),
    };
    if path == live::EVENTS_URL {
        return Target::Events;
    }
    let Some(rel) = path.strip_prefix(base_path) else {
        let bare = base_path.trim_end_matches('/');
        return if path == "/" || path == bare {
            Target::Redirect(base_path.to_string())
        } else {
            Target::NotFound
        };
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if exists(&file) {
        Target::File(file)
    } else if !rel.is_empty() && !rel.ends_with('/') && exists(&format!("{rel}/index.html")) {
        let raw = url.split(['?', '#']).next().unwrap_or(url);
        Target::Redirect(format!("{raw}/"))
    } else {
        Target::NotFound
    }
}

/// Whether a `Host` header names this machine (guards a loopback server against DNS rebinding).
pub(super) fn is_local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(
    request: Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) {
    let len = body.len() as u64;
    respond_with(
        request,
        status,
        content_type,
        Box::new(Cursor::new(body)),
        len,
        extra,
    );
}

fn respond_with(
    request: Request,
    status: u16,
    content_type: &str,
    body: Box<dyn Read + Send>,
    len: u64,
    extra: &[(&str, &str)],
) {
    // Content-Length rather than chunks, whatever the size: a player seeking in a video reads it.
    let mut response = Response::new(
        StatusCode(status),
        Vec::new(),
        body,
        usize::try_from(len).ok(),
        None,
    )
    .with_chunked_threshold(usize::MAX);
    let mut headers = vec![
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    headers.extend_from_slice(extra);
    for (name, value) in headers {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    // The client may have gone away; there is nobody left to tell.
    let _ = request.respond(response);
}

fn text(request: Request, status: u16, message: &str) {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        format!("{message}\n").into_bytes(),
        &[],
    );
}

/// Answers one request.
pub(super) fn handle(request: Request, shared: &Shared) {
    if let Some((status, why)) = oversized(&request) {
        return text(request, status, why);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(
            request,
            405,
            "gloss serve only answers GET and HEAD requests",
        );
    }
    if shared.loopback
        && let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host"))
        && !is_local_host(host.value.as_str())
    {
        return text(
            request,
            400,
            "gloss serve only answers requests addressed to this machine (localhost)",
        );
    }
    let snapshot = shared.snapshot();
    let Some(site) = &snapshot.site else {
        if request.url().split('?').next() == Some(live::EVENTS_URL) {
            return shared.join_events(request, &snapshot);
        }
        let overlay = snapshot.overlay.as_deref().unwrap_or("");
        return respond(
            request,
            503,
            "text/html; charset=utf-8",
            live::waiting_page(&snapshot.state, overlay),
            &[],
        );
    };
    let in_search = |rel: &str| rel.starts_with(search::DIR) && site.search().contains_key(rel);
    match target(request.url(), &shared.base_path, |rel| {
        site.files.contains_key(rel) || site.copies.contains_key(rel) || in_search(rel)
    }) {
        Target::Events => shared.join_events(request, &snapshot),
        Target::BadRequest(why) => text(request, 400, &format!("bad request: {why}")),
        Target::Redirect(to) => respond(
            request,
            302,
            "text/plain; charset=utf-8",
            Vec::new(),
            &[("Location", &to)],
        ),
        Target::NotFound => not_found(request, &snapshot),
        Target::File(rel) => {
            let body = match site.files.get(&rel).or_else(|| site.search().get(&rel)) {
                Some(bytes) => Body::Memory(bytes.clone()),
                None => match site
                    .copies
                    .get(&rel)
                    .and_then(|c| open_copy(&c.abs, &shared.root))
                {
                    Some(body) => body,
                    None => return not_found(request, &snapshot),
                },
            };
            send_file(request, &snapshot, &rel, body);
        }
    }
}

fn not_found(request: Request, snapshot: &Snapshot) {
    match snapshot.site.as_ref().and_then(|s| s.files.get("404.html")) {
        Some(page) => send_page(request, snapshot, page.to_vec(), 404),
        None => text(request, 404, "not found"),
    }
}

/// A page, with the live-reload script (and the overlay of a failed build) injected.
fn send_page(request: Request, snapshot: &Snapshot, html: Vec<u8>, status: u16) {
    let body = live::inject(&html, &snapshot.state, snapshot.overlay.as_deref());
    respond(request, status, "text/html; charset=utf-8", body, &[]);
}

/// A file of the site: a page as [`send_page`] sends it, anything else whole or, when the request
/// asks for a byte range, in part (a video's seeking).
fn send_file(request: Request, snapshot: &Snapshot, rel: &str, body: Body) {
    let content_type = content_type(rel);
    if content_type.starts_with("text/html") {
        return match body.into_vec() {
            Ok(html) => send_page(request, snapshot, html, 200),
            Err(_) => not_found(request, snapshot),
        };
    }
    let len = body.len();
    let asked = |name: &'static str| {
        let header = request.headers().iter().find(|h| h.field.equiv(name));
        header.map(|h| h.value.as_str().to_string())
    };
    // A range of a version the client names by date or tag is never this one (none is given).
    let ranged = match asked("If-Range") {
        Some(_) => Ranged::Whole,
        None => range(asked("Range").as_deref(), len),
    };
    let accept = ("Accept-Ranges", "bytes");
    match ranged {
        Ranged::Whole => match body.part(0, len.saturating_sub(1)) {
            Ok(reader) if len > 0 => {
                respond_with(request, 200, &content_type, reader, len, &[accept]);
            }
            _ => respond(request, 200, &content_type, Vec::new(), &[accept]),
        },
        Ranged::Part { first, last } => match body.part(first, last) {
            Ok(reader) => {
                let range = format!("bytes {first}-{last}/{len}");
                let extra = [accept, ("Content-Range", range.as_str())];
                respond_with(
                    request,
                    206,
                    &content_type,
                    reader,
                    last + 1 - first,
                    &extra,
                );
            }
            Err(_) => not_found(request, snapshot),
        },
        Ranged::Unsatisfiable => {
            let range = format!("bytes */{len}");
            let extra = [accept, ("Content-Range", range.as_str())];
            respond(request, 416, &content_type, Vec::new(), &extra);
        }
    }
}

/// Opens a copied file (static or content asset) if it is still a regular file inside the site.
fn open_copy(abs: &Path, root: &Path) -> Option<Body> {
    let meta = fs::symlink_metadata(abs).ok()?;
    if !meta.file_type().is_file() || !abs.canonicalize().ok()?.starts_with(root) {
        return None;
    }
    let file = fs::File::open(abs).ok()?;
    let len = file.metadata().ok()?.len();
    Some(Body::File(file, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(url: &str, base: &str) -> Target {
        target(url, base, |rel| {
            ["index.html", "about/index.html", "style.css"].contains(&rel)
        })
    }

    #[test]
    fn traversal_is_refused() {
        for url in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/%2E%2E/site.yaml",
            "/review/..%2fsite.yaml",
            "/a/./b",
            "/%5c..",
            "/%zz",
            "/%ff",
        ] {
            assert!(
                matches!(resolve(url, "/review/"), Target::BadRequest(_)),
                "{url}"
            );
        }
        assert!(matches!(resolve("site.yaml", "/"), Target::BadRequest(_)));
    }

    #[test]
    fn paths_map_to_files_under_the_base_path() {
        assert_eq!(
            resolve("/review/", "/review/"),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/review/about/?x=1", "/review/"),
            Target::File("about/index.html".into())
        );
        assert_eq!(
            resolve("/review/about", "/review/"),
            Target::Redirect("/review/about/".into())
        );
        assert_eq!(
            resolve("/", "/review/"),
            Target::Redirect("/review/".into())
        );
        assert_eq!(
            resolve("/review", "/review/"),
            Target::Redirect("/review/".into())
        );
        assert_eq!(resolve("/style.css", "/review/"), Target::NotFound);
        assert_eq!(resolve("/style.css", "/"), Target::File("style.css".into()));
        assert_eq!(resolve("/site.yaml", "/"), Target::NotFound);
        assert_eq!(resolve(live::EVENTS_URL, "/review/"), Target::Events);
    }

    #[test]
    fn only_local_host_names_pass() {
        for host in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.1",
            "app.localhost:1",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "192.168.1.4:1111",
            "localhost.evil.example",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
