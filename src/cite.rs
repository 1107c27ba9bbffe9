//! Pandoc citation syntax (`[@key, p. 4; @other]`, `[-@key]`, narrative `@key`) and the composition
//! of APA in-text citations from each source's pre-formatted author and year parts.

use crate::html::escape_html;

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// `p. 180`, `chap. 2`, … as written after the key.
    pub locator: Option<String>,
    /// Text before the key, such as `see`.
    pub prefix: Option<String>,
    /// `[-@key]`: print the year only.
    pub suppress_author: bool,
}

/// Parenthetical `(Jabeen, 2009)` or narrative `Jabeen (2009)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteMode {
    Parenthetical,
    Narrative,
}

/// A citation as written in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    pub mode: CiteMode,
}

impl Citation {
    pub fn narrative(key: &str) -> Citation {
        Citation {
            items: vec![CiteItem {
                key: key.to_string(),
                locator: None,
                prefix: None,
                suppress_author: false,
            }],
            mode: CiteMode::Narrative,
        }
    }
}

/// Length in bytes of a citation key at the start of `s` (0 if none). Keys start with a letter,
/// digit or `_`, and may contain `-:.` between such characters, as in Pandoc.
pub(crate) fn key_length(s: &str) -> usize {
    let bytes = s.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if bytes.first().is_none_or(|b| !word(*b)) {
        return 0;
    }
    let mut end = 1;
    while end < bytes.len() {
        if word(bytes[end]) {
            end += 1;
        } else if matches!(bytes[end], b'-' | b':' | b'.')
            && bytes.get(end + 1).is_some_and(|b| word(*b))
        {
            end += 2;
        } else {
            break;
        }
    }
    end
}

/// Parses the inside of a bracketed citation (`@a, p. 4; see -@b`). `None` if it is not one.
pub(crate) fn parse_citation_label(label: &str) -> Option<Citation> {
    let mut items = Vec::new();
    for part in label.split(';') {
        let at = part.find('@')?;
        let (mut prefix, rest) = (part[..at].trim(), &part[at + 1..]);
        let suppress_author = prefix.ends_with('-');
        if suppress_author {
            prefix = prefix[..prefix.len() - 1].trim_end();
        }
        let len = key_length(rest);
        if len == 0 {
            return None;
        }
        let locator = rest[len..].trim_start_matches([',', ' ']).trim();
        items.push(CiteItem {
            key: rest[..len].to_string(),
            locator: (!locator.is_empty()).then(|| locator.to_string()),
            prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
            suppress_author,
        });
    }
    (!items.is_empty()).then_some(Citation {
        items,
        mode: CiteMode::Parenthetical,
    })
}

/// The in-text parts of one source, formatted once per build (see `apa`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct InText {
    /// Parenthetical author form: `Ali & Anwar`, `Khan et al.`, `Noor-e-Hera`.
    pub author: String,
    /// Narrative author form (APA 7 joins two authors with "and"): `Ali and Anwar`.
    pub narrative_author: String,
    /// Year with its disambiguating suffix: `2019a`, `n.d.`.
    pub year: String,
}

/// What composing a citation needs to know about a cited key.
pub(crate) struct CitedSource<'a> {
    pub in_text: &'a InText,
    pub url: &'a str,
    /// Plain-text full reference, shown as a tooltip.
    pub reference: &'a str,
}

/// Composes the HTML of a citation. `lookup` returns `None` for unknown keys, which render as
/// `@key?` so a serve session still shows the page while the error is reported.
pub(crate) fn citation_html<'a>(
    citation: &Citation,
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> String {
    let mut parts: Vec<(String, Option<CitedSource<'a>>, &CiteItem)> = citation
        .items
        .iter()
        .map(|i| (i.key.clone(), lookup(&i.key), i))
        .collect();
    if citation.mode == CiteMode::Narrative {
        let (key, source, item) = &parts[0];
        return match source {
            Some(s) => format!(
                r#"<a class="citation" href="{}" title="{}">{} ({}{})</a>"#,
                s.url,
                escape_html(s.reference),
                escape_html(&s.in_text.narrative_author),
                escape_html(&s.in_text.year),
                locator_suffix(item)
            ),
            None => unresolved(key),
        };
    }
    // APA orders the works inside one pair of parentheses alphabetically, as citeproc does.
    if parts
        .iter()
        .all(|(_, s, i)| s.is_some() && i.prefix.is_none())
        && parts.len() > 1
    {
        parts.sort_by(|a, b| {
            let (x, y) = (
                a.1.as_ref().map(|s| s.in_text),
                b.1.as_ref().map(|s| s.in_text),
            );
            x.map(|t| (&t.author, &t.year))
                .cmp(&y.map(|t| (&t.author, &t.year)))
        });
    }
    let mut out = String::from(r#"<span class="citation">("#);
    let mut previous_author: Option<&str> = None;
    for (n, (key, source, item)) in parts.iter().enumerate() {
        let Some(s) = source else {
            if n > 0 {
                out.push_str("; ");
            }
            out.push_str(&unresolved(key));
            previous_author = None;
            continue;
        };
        let same_author =
            previous_author == Some(s.in_text.author.as_str()) && !item.suppress_author;
        if same_author {
            out.push_str(", ");
        } else if n > 0 {
            out.push_str("; ");
        }
        if let Some(prefix) = &item.prefix {
            out.push_str(&escape_html(prefix));
            out.push(' ');
        }
        let label = if item.suppress_author || same_author {
            s.in_text.year.clone()
        } else {
            format!("{}, {}", s.in_text.author, s.in_text.year)
        };
        out.push_str(&format!(
            r#"<a href="{}" title="{}">{}{}</a>"#,
            s.url,
            escape_html(s.reference),
            escape_html(&label),
            locator_suffix(item)
        ));
        previous_author = (item.locator.is_none()).then_some(s.in_text.author.as_str());
    }
    out.push_str(")</span>");
    out
}

/// The citation as plain text, for backlink contexts and feeds.
pub(crate) fn citation_text(
    citation: &Citation,
    lookup: impl Fn(&str) -> Option<InText>,
) -> String {
    let one = |item: &CiteItem| match lookup(&item.key) {
        Some(t) if citation.mode == CiteMode::Narrative => {
            format!("{} ({}{})", t.narrative_author, t.year, plain_locator(item))
        }
        Some(t) if item.suppress_author => format!("{}{}", t.year, plain_locator(item)),
        Some(t) => format!("{}, {}{}", t.author, t.year, plain_locator(item)),
        None => format!("@{}", item.key),
    };
    let items: Vec<String> = citation.items.iter().map(one).collect();
    match citation.mode {
        CiteMode::Narrative => items.join("; "),
        CiteMode::Parenthetical => format!("({})", items.join("; ")),
    }
}

fn plain_locator(item: &CiteItem) -> String {
    item.locator
        .as_ref()
        .map(|l| format!(", {l}"))
        .unwrap_or_default()
}

fn locator_suffix(item: &CiteItem) -> String {
    escape_html(&plain_locator(item))
}

fn unresolved(key: &str) -> String {
    format!(
        r#"<span class="citation unresolved" title="no source note with this key">@{}?</span>"#,
        escape_html(key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pandoc_citation_forms() {
        let c = parse_citation_label("@jabeen2009, p. 180").unwrap();
        assert_eq!(c.items[0].key, "jabeen2009");
        assert_eq!(c.items[0].locator.as_deref(), Some("p. 180"));
        let c = parse_citation_label("@ali2023; @rath2011").unwrap();
        assert_eq!(c.items.len(), 2);
        let c = parse_citation_label("-@jabeen2009").unwrap();
        assert!(c.items[0].suppress_author);
        let c = parse_citation_label("see @a:b.c-d, chap. 2").unwrap();
        assert_eq!(
            (c.items[0].prefix.as_deref(), c.items[0].key.as_str()),
            (Some("see"), "a:b.c-d")
        );
        assert!(parse_citation_label("just text").is_none());
        assert!(parse_citation_label("@ok; no key").is_none());
    }

    #[test]
    fn key_length_stops_at_trailing_punctuation() {
        assert_eq!(key_length("jabeen2009."), 10);
        assert_eq!(key_length("a-b's"), 3);
        assert_eq!(key_length("-x"), 0);
    }
}
