//! Citations a CSL style printed (`bib::csl` makes them), as a page shows them: each work's part
//! a link to its source (its reference as the tooltip), the style's punctuation around them, and
//! a key with no source as `@key?`, as APA's citations show it.

use super::compose::{CitedSource, unresolved};
use super::syntax::{Citation, CiteMode};
use crate::html::escape_html;

/// A citation as the style prints it, in parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct StyledCitation {
    pub(crate) parts: Vec<StyledPart>,
}

/// A piece of a printed citation: one work's, or the punctuation and words between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StyledPart {
    /// The work it prints (its index among the citation's items), or `None`.
    pub(crate) item: Option<usize>,
    pub(crate) html: String,
    pub(crate) text: String,
}

/// The HTML of a citation. `styled` is the style's printing of it (`None` if it was not made,
/// which the site's scan prevents; the works' own citations stand in).
pub(crate) fn styled_html<'a>(
    citation: &Citation,
    styled: Option<&StyledCitation>,
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> String {
    let sources: Vec<Option<CitedSource<'a>>> =
        citation.items.iter().map(|i| lookup(&i.key)).collect();
    let missing: Vec<String> = citation
        .items
        .iter()
        .zip(&sources)
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| unresolved(&i.key, true))
        .collect();
    let link = |i: usize, html: &str, class: &str| match &sources[i] {
        Some(s) => format!(
            r#"<a{class} href="{}" title="{}">{html}</a>"#,
            s.url,
            escape_html(s.reference)
        ),
        None => html.to_string(),
    };
    let mut out = String::new();
    let fallback;
    let parts = match styled {
        Some(styled) => &styled.parts,
        None => {
            fallback = stand_in(&sources);
            &fallback
        }
    };
    if !parts.is_empty() {
        let narrative = citation.mode == CiteMode::Narrative;
        match (narrative, parts.as_slice()) {
            (
                true,
                [
                    StyledPart {
                        item: Some(i),
                        html,
                        ..
                    },
                ],
            ) => {
                out.push_str(&link(*i, html, r#" class="citation""#));
            }
            _ => {
                out.push_str(r#"<span class="citation">"#);
                for part in parts {
                    match part.item {
                        Some(i) => out.push_str(&link(i, &part.html, "")),
                        None => out.push_str(&part.html),
                    }
                }
                out.push_str("</span>");
            }
        }
    }
    for m in missing {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&m);
    }
    out
}

/// The citation as plain text, for backlink passages and feeds.
pub(crate) fn styled_text<'a>(
    citation: &Citation,
    styled: Option<&StyledCitation>,
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> String {
    let sources: Vec<Option<CitedSource<'a>>> =
        citation.items.iter().map(|i| lookup(&i.key)).collect();
    let fallback;
    let parts = match styled {
        Some(styled) => &styled.parts,
        None => {
            fallback = stand_in(&sources);
            &fallback
        }
    };
    let mut out: String = parts.iter().map(|p| p.text.as_str()).collect();
    for (item, source) in citation.items.iter().zip(&sources) {
        if source.is_none() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&unresolved(&item.key, false));
        }
    }
    out
}

/// Each work's citation on its own, side by side.
fn stand_in(sources: &[Option<CitedSource<'_>>]) -> Vec<StyledPart> {
    let mut parts = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let Some(cited) = s.as_ref().and_then(|s| s.styled) else {
            continue;
        };
        if !parts.is_empty() {
            parts.push(StyledPart {
                item: None,
                html: "; ".to_string(),
                text: "; ".to_string(),
            });
        }
        parts.push(StyledPart {
            item: Some(i),
            html: escape_html(cited),
            text: cited.to_string(),
        });
    }
    parts
}
