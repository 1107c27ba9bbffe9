//! Live reload for `gloss serve`: the Server-Sent Events hub, the small script injected into
//! served HTML pages (never into `gloss build` output), and the build-error overlay.

use std::io::Write;
use std::sync::Mutex;

use crate::error::Diagnostic;
use crate::html::escape_html;

/// The URL of the event stream, outside any base path.
pub(super) const EVENTS_URL: &str = "/__gloss/events";

/// What open tabs are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Message {
    /// Pages changed: reload.
    Reload,
    /// Only these stylesheets changed (URL paths): swap them in place.
    Css(Vec<String>),
    /// The build failed: show this overlay over the page as it is.
    Broken(String),
}

/// The open event streams.
#[derive(Default)]
pub(super) struct Hub {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Hub {
    /// Takes over a connection whose response head has not been written yet: writes the head
    /// and the current state, then keeps it for later events.
    pub(super) fn join(
        &self,
        mut stream: Box<dyn Write + Send>,
        state: &str,
        broken: Option<&str>,
    ) {
        let mut hello = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n{}",
            frame("hello", state)
        );
        if let Some(overlay) = broken {
            hello.push_str(&frame("broken", &broken_data(state, overlay)));
        }
        if stream
            .write_all(hello.as_bytes())
            .and_then(|()| stream.flush())
            .is_ok()
        {
            self.lock().push(stream);
        }
    }

    /// Sends a message to every tab, forgetting the ones that went away. Returns how many got it.
    pub(super) fn send(&self, state: &str, message: &Message) -> usize {
        let event = match message {
            Message::Reload => frame("reload", state),
            Message::Css(paths) => frame(
                "css",
                &serde_json::json!({ "state": state, "paths": paths }).to_string(),
            ),
            Message::Broken(overlay) => frame("broken", &broken_data(state, overlay)),
        };
        self.broadcast(event.as_bytes())
    }

    /// A comment line that keeps idle connections open and finds closed ones.
    pub(super) fn heartbeat(&self) -> usize {
        self.broadcast(b": ping\n\n")
    }

    fn broadcast(&self, bytes: &[u8]) -> usize {
        let mut clients = self.lock();
        clients.retain_mut(|c| c.write_all(bytes).and_then(|()| c.flush()).is_ok());
        clients.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
        self.clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn broken_data(state: &str, overlay: &str) -> String {
    serde_json::json!({ "state": state, "html": overlay }).to_string()
}

/// One SSE event; `data` must be a single line (it is JSON or a plain token).
fn frame(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Adds the live-reload script (and the overlay, if the last build failed) to an HTML page,
/// just before its closing `</body>`.
pub(super) fn inject(html: &[u8], state: &str, overlay: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(overlay) = overlay {
        extra.push_str(overlay);
    }
    extra.push_str(&script(state));
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The id of the injected overlay element.
pub(super) const OVERLAY_ID: &str = "gloss-overlay";

/// Whether a problem is a file that could not be read as a note or a configuration (its YAML):
/// the cause of other errors, so shown first.
fn is_root_cause(d: &Diagnostic) -> bool {
    d.message.starts_with("front matter") || d.path.ends_with(".yaml")
}

/// The overlay listing a failed build's errors (file, line, message), root causes first;
/// `last_good` says whether the page under it is an earlier good build.
pub(super) fn overlay(diagnostics: &[Diagnostic], last_good: bool) -> String {
    const SHOWN: usize = 12;
    let mut errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    errors.sort_by_key(|d| !is_root_cause(d));
    let mut items = String::new();
    for d in errors.iter().take(SHOWN) {
        let place = match (d.line, d.col) {
            (0, _) => d.path.clone(),
            (l, 0) => format!("{}:{l}", d.path),
            (l, c) => format!("{}:{l}:{c}", d.path),
        };
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(
                "<span style=\"display:inline;font:inherit;font-weight:bold;color:#ffffff;background:none;padding:0\">{}</span><br>",
                escape_html(&place)
            )
        };
        items.push_str(&format!(
            "<li style=\"margin:.4em 0\">{place}{}</li>",
            escape_html(&d.message)
        ));
    }
    if errors.len() > SHOWN {
        items.push_str(&format!(
            "<li>… and {} more: see the terminal.</li>",
            errors.len() - SHOWN
        ));
    }
    let count = crate::text::count(errors.len(), "error", "errors");
    format!(
        concat!(
            "<div id=\"{id}\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;",
            "background:#2b0d0d;color:#ffe9e9;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;",
            "padding:1em 1.25em;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)\">",
            "<button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right;font:inherit;cursor:pointer\">Hide</button>",
            "<strong style=\"color:#ffffff\">gloss: {headline} ({count})</strong> — {under} ",
            "Fix the file and save: the page updates by itself.",
            "<ul style=\"margin:.5em 0 0;padding-left:1.2em\">{items}</ul></div>"
        ),
        id = OVERLAY_ID,
        count = count,
        items = items,
        headline = if last_good {
            "the last change does not build"
        } else {
            "the site does not build yet"
        },
        under = if last_good {
            "this is the last good version of the page."
        } else {
            "no version of the site has built since gloss serve started."
        }
    )
}

/// A page for when no build has succeeded yet: only the overlay and the script.
pub(super) fn waiting_page(state: &str, overlay: &str) -> Vec<u8> {
    let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gloss: the site does not build yet</title></head>\n<body><p>The site has not built yet. The problems are listed below and in the terminal.</p></body></html>\n";
    inject(page.as_bytes(), state, Some(overlay))
}

/// The client: listens to the event stream; reloads (keeping the scroll position), swaps
/// stylesheets, or shows and hides the overlay. `state` is the build the page comes from.
fn script(state: &str) -> String {
    format!(
        r#"<script>/* gloss serve: live reload (not part of gloss build output) */
(function () {{
  var state = {state}, key = "gloss-scroll:" + location.pathname;
  try {{
    var y = sessionStorage.getItem(key);
    if (y !== null) {{ sessionStorage.removeItem(key); addEventListener("load", function () {{ scrollTo(0, +y); }}); }}
  }} catch (e) {{}}
  function reload() {{
    try {{ sessionStorage.setItem(key, String(scrollY)); }} catch (e) {{}}
    location.reload();
  }}
  function overlay(html) {{
    var old = document.getElementById("{id}");
    if (old) old.remove();
    if (html) document.body.insertAdjacentHTML("beforeend", html);
  }}
  var events = new EventSource("{url}");
  events.addEventListener("hello", function (e) {{ if (e.data !== state) reload(); }});
  events.addEventListener("reload", function () {{ reload(); }});
  events.addEventListener("broken", function (e) {{ var d = JSON.parse(e.data); state = d.state; overlay(d.html); }});
  events.addEventListener("css", function (e) {{
    var d = JSON.parse(e.data), swapped = 0;
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {{
      var u = new URL(link.href, location.href);
      if (d.paths.indexOf(u.pathname) >= 0) {{ u.searchParams.set("gloss-reload", Date.now()); link.href = u.href; swapped++; }}
    }});
    if (swapped) {{ state = d.state; overlay(""); }} else reload();
  }});
}})();
</script>"#,
        state = serde_json::Value::String(state.to_string()),
        id = OVERLAY_ID,
        url = EVENTS_URL
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_closing_body() {
        let out =
            String::from_utf8(inject(b"<html><BODY><p>x</p></Body></html>", "s1", None)).unwrap();
        let script = out.find("<script>").unwrap();
        assert!(
            script > out.find("<p>x</p>").unwrap() && script < out.find("</Body>").unwrap(),
            "{out}"
        );
        let bare = String::from_utf8(inject(b"<p>no body tag</p>", "s1", None)).unwrap();
        assert!(bare.starts_with("<p>no body tag</p><script>"));
    }

    #[test]
    fn overlay_escapes_and_locates() {
        let d = Diagnostic::error("content/a.md", 3, 5, "bad <yaml>");
        let html = overlay(
            &[
                d,
                Diagnostic::warning("content/b.md", 1, 1, "just a warning"),
            ],
            true,
        );
        assert!(
            html.contains("content/a.md:3:5") && html.contains("bad &lt;yaml&gt;"),
            "{html}"
        );
        assert!(!html.contains("just a warning"));
    }

    /// A note that does not parse comes first: the errors after it may follow from it.
    #[test]
    fn overlay_puts_the_file_that_does_not_parse_first() {
        let html = overlay(
            &[
                Diagnostic::error("content/a.md", 3, 5, "citation key `x` has no source note"),
                Diagnostic::error("content/sources/x.md", 4, 1, "front matter: bad"),
            ],
            true,
        );
        assert!(
            html.find("front matter: bad").unwrap() < html.find("citation key").unwrap(),
            "{html}"
        );
    }

    /// With no good build under it, the panel does not speak of a last good version.
    #[test]
    fn overlay_wording_when_nothing_has_built() {
        let errors = [Diagnostic::error("content/a.md", 1, 1, "bad")];
        assert!(overlay(&errors, true).contains("last good version"));
        let first = overlay(&errors, false);
        assert!(!first.contains("last good version"), "{first}");
        assert!(first.contains("does not build yet"), "{first}");
    }
}
