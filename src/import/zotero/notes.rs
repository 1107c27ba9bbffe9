//! Zotero's child notes (the HTML its note editor saves) as Markdown a gloss note can hold:
//! htmd converts, with Zotero's own markup handled on top (a citation span becomes a Pandoc
//! citation `[@key, p. 12]`, math stays TeX), scripts and styles dropped, links that would run
//! something kept as their text; then the text gloss would read as its own syntax (`@key`,
//! `%%`) is escaped and headings move under the section's own.

use std::collections::HashMap;
use std::sync::Arc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};

/// Stands for the `@` of a citation the converter made, which the escaping must keep.
const CITE_AT: char = '\u{E006}';

/// A converter for one library: Zotero item keys → citation keys, for citations in notes.
pub(super) struct Converter {
    htmd: HtmlToMarkdown,
}

fn attribute<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    element
        .attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// `[@a, p. 3; @b]` from a Zotero citation span's `data-citation` (percent-encoded JSON), or
/// `None` when an item is not one of the library's.
fn citation(data: &str, keys: &HashMap<String, String>) -> Option<String> {
    let json = percent_encoding::percent_decode_str(data)
        .decode_utf8()
        .ok()?;
    let value: serde_json::Value = serde_json::from_str(&json).ok()?;
    let mut parts = Vec::new();
    for cited in value["citationItems"].as_array()? {
        let uri = cited["uris"].as_array()?.first()?.as_str()?;
        let key = keys.get(uri.rsplit('/').next()?)?;
        let mut part = format!("{CITE_AT}{key}");
        if let Some(locator) = cited["locator"].as_str().filter(|l| safe_locator(l)) {
            let label = match cited["label"].as_str().unwrap_or("page") {
                "page" => "p.",
                other if other.chars().all(char::is_alphabetic) => other,
                _ => "p.",
            };
            part.push_str(&format!(", {label} {locator}"));
        }
        parts.push(part);
    }
    (!parts.is_empty()).then(|| format!("[{}]", parts.join("; ")))
}

/// A locator that cannot break out of a citation.
pub(super) fn safe_locator(locator: &str) -> bool {
    !locator.trim().is_empty()
        && locator
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '–' | '.' | ',' | ' ' | '/'))
}

impl Converter {
    pub(super) fn new(keys: HashMap<String, String>) -> Converter {
        let keys = Arc::new(keys);
        let options = Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        };
        let htmd = HtmlToMarkdown::builder()
            .options(options)
            .skip_tags(vec![
                "script", "style", "iframe", "object", "embed", "template",
            ])
            .add_handler(
                vec!["span"],
                move |h: &dyn Handlers, e: Element| match attribute(&e, "class") {
                    Some("citation") => {
                        match attribute(&e, "data-citation").and_then(|d| citation(d, &keys)) {
                            Some(cite) => Some(HandlerResult::from(cite)),
                            None => h.fallback(e),
                        }
                    }
                    Some("math") => Some(h.walk_children(e.node).content.into()),
                    _ => h.fallback(e),
                },
            )
            .add_handler(vec!["pre"], |h: &dyn Handlers, e: Element| {
                if attribute(&e, "class") == Some("math") {
                    let tex = h.walk_children(e.node).content;
                    return Some(format!("\n\n{}\n\n", tex.trim()).into());
                }
                h.fallback(e)
            })
            .add_handler(vec!["a"], |h: &dyn Handlers, e: Element| {
                let href = attribute(&e, "href")
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let web = ["http:", "https:", "mailto:", "zotero:", "doi:"];
                if web.iter().any(|s| href.starts_with(s)) {
                    return h.fallback(e);
                }
                Some(h.walk_children(e.node).content.into())
            })
            .add_handler(vec!["img"], |_: &dyn Handlers, e: Element| {
                let alt = attribute(&e, "alt").unwrap_or("").trim().to_string();
                let name = if alt.is_empty() {
                    "an image".into()
                } else {
                    alt
                };
                Some(format!("*({name}: open the note in Zotero to see it)*").into())
            })
            .build();
        Converter { htmd }
    }

    /// A note's HTML as Markdown (empty for a note with no text).
    pub(super) fn markdown(&self, html: &str) -> String {
        let html = html.replace(CITE_AT, "");
        let markdown = self.htmd.convert(&html).unwrap_or_default();
        escape_gloss(markdown.trim())
    }
}

/// Markdown from a converter, with what gloss reads as its own syntax escaped outside code: a
/// `%` (two make a private comment) and an `@` that could start a citation; headings two levels
/// down, under the section's `## Notes from Zotero`.
pub(super) fn escape_gloss(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(f) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(f);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        if (1..=4).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            out.push_str("##");
        }
        let mut in_code = false;
        let mut previous = ' ';
        for c in line.chars() {
            match c {
                '`' => in_code = !in_code,
                '%' if !in_code => out.push('\\'),
                '@' if !in_code && !previous.is_alphanumeric() && previous != '\\' => {
                    out.push('\\')
                }
                _ => {}
            }
            out.push(c);
            previous = c;
        }
        out.push('\n');
    }
    out.trim_end().replace(CITE_AT, "@")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zotero_markup_scripts_and_gloss_syntax() {
        let keys = HashMap::from([("ITEM0001".to_string(), "doe2020".to_string())]);
        let converter = Converter::new(keys);
        let html = r#"<div data-schema-version="9"><h1>Reading</h1><p>Claim <span class="citation" data-citation="%7B%22citationItems%22%3A%5B%7B%22uris%22%3A%5B%22http%3A%2F%2Fzotero.org%2Fusers%2Flocal%2Fab%2Fitems%2FITEM0001%22%5D%2C%22locator%22%3A%2212%22%7D%5D%7D">(Doe, 2020, p. 12)</span> holds for 50%% of @someone.</p><script>alert(1)</script><p><a href="javascript:alert(2)">click</a> <code>a@b %%</code></p></div>"#;
        let md = converter.markdown(html);
        assert!(md.starts_with("### Reading"), "{md}");
        assert!(md.contains("Claim [@doe2020, p. 12] holds"), "{md}");
        assert!(md.contains(r"50\%\% of \@someone"), "{md}");
        assert!(!md.contains("alert"), "{md}");
        assert!(!md.contains("javascript"), "{md}");
        assert!(md.contains("click `a@b %%`"), "{md}");
    }
}
