//! APA in-text citations composed from each source's pre-formatted author and year parts:
//! `(Jabeen, 2009, p. 180)`, `Ali and Anwar (2023)`, `(Fischer, n.d., 2017; Walt, 1990)`.
//!
//! Inside one pair of parentheses the works follow the reference list's order (§8.12), one
//! author's works given once with their years; a work cited with a prefix (`see also`) starts a
//! group of its own, sorted on its own. A group author with an abbreviation is introduced with it
//! at its first citation in a page and cited by it afterwards (§8.21).

use super::locator::apa as apa_locator;
use super::syntax::{Citation, CiteItem, CiteMode};
use crate::html::escape_html;

/// How a citation shows its author part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub(crate) enum AuthorStyle {
    /// Names: `Walt`, `Ali & Anwar`.
    #[default]
    Plain,
    /// A work with no author, cited by its title in quotation marks (an article, a chapter).
    Quoted,
    /// A work with no author, cited by its title in italics (a book, a report, a web page).
    Italic,
}

/// The in-text parts of one source, formatted once per build (see `bib::apa`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct InText {
    /// Parenthetical author form: `Ali & Anwar`, `Khan et al.`, `Noor-e-Hera`, or a title.
    pub author: String,
    /// Narrative author form (APA 7 joins two authors with "and"): `Ali and Anwar`.
    pub narrative_author: String,
    /// Year with its disambiguating suffix: `2019a`, `n.d.`.
    pub year: String,
    pub(crate) style: AuthorStyle,
    /// A group author's short form (`NIMH`), used after its first citation in a page.
    pub(crate) abbreviation: Option<String>,
}

/// What composing a citation needs to know about a cited key.
pub(crate) struct CitedSource<'a> {
    pub(crate) in_text: &'a InText,
    pub(crate) url: &'a str,
    /// Plain-text full reference, shown as a tooltip.
    pub(crate) reference: &'a str,
    /// The reference-list order.
    pub(crate) sort_key: &'a [u8],
    /// A CSL style's citation of the source on its own (`None` in APA).
    pub(crate) styled: Option<&'a str>,
}

/// One item of a citation, resolved (or not) and ready to print.
struct Item<'a, 'c> {
    item: &'c CiteItem,
    /// The text before it: its own prefix, or its group's once the group is sorted.
    prefix: Option<String>,
    source: Option<CitedSource<'a>>,
    /// The first citation of this source in the page.
    first: bool,
}

/// Composes the HTML of a citation. `lookup` returns `None` for unknown keys, which render as
/// `@key?` so a serve session still shows the page while the error is reported; `first_use`
/// tells, item by item, whether it is the source's first citation in the page.
pub(crate) fn citation_html<'a>(
    citation: &Citation,
    first_use: &[bool],
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> String {
    let items = resolve(citation, first_use, lookup);
    compose(citation.mode, &items, true)
}

/// The citation as plain text, for backlink passages and feeds (abbreviations spelled out).
pub(crate) fn citation_text<'a>(
    citation: &Citation,
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> String {
    let firsts = vec![false; citation.items.len()];
    let items = resolve(citation, &firsts, lookup);
    compose(citation.mode, &items, false)
}

fn resolve<'a, 'c>(
    citation: &'c Citation,
    first_use: &[bool],
    lookup: impl Fn(&str) -> Option<CitedSource<'a>>,
) -> Vec<Item<'a, 'c>> {
    let mut items: Vec<Item<'a, 'c>> = citation
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| Item {
            item,
            prefix: item.prefix.clone(),
            source: lookup(&item.key),
            first: first_use.get(i).copied().unwrap_or(false),
        })
        .collect();
    if citation.mode == CiteMode::Parenthetical {
        order(&mut items);
    }
    items
}

/// Sorts each group (a run of items starting at one with a prefix) into reference-list order,
/// the prefix staying at the group's head.
fn order(items: &mut [Item<'_, '_>]) {
    let mut start = 0;
    while start < items.len() {
        let end = (start + 1..items.len())
            .find(|&i| items[i].prefix.is_some())
            .unwrap_or(items.len());
        let group = &mut items[start..end];
        if group.iter().all(|i| i.source.is_some()) {
            // The prefix introduces the group, whichever work comes first once sorted.
            let prefix = group[0].prefix.take();
            group.sort_by(|a, b| {
                let (x, y) = (a.source.as_ref(), b.source.as_ref());
                x.map(|s| s.sort_key).cmp(&y.map(|s| s.sort_key))
            });
            group[0].prefix = prefix;
        }
        start = end;
    }
}

fn compose(mode: CiteMode, items: &[Item<'_, '_>], html: bool) -> String {
    let esc = |s: &str| if html { escape_html(s) } else { s.to_string() };
    let mut out = String::new();
    if mode == CiteMode::Narrative {
        let Some(first) = items.first() else {
            return out;
        };
        let Some(s) = &first.source else {
            return unresolved(&first.item.key, html);
        };
        let t = s.in_text;
        let locator = locator_of(first);
        let (name, year) = match (&t.abbreviation, first.first) {
            // National Institute of Mental Health (NIMH, 2021)
            (Some(abbr), true) => (
                author_label(t, &t.narrative_author, html),
                format!("{}, {}", esc(abbr), esc(&t.year)),
            ),
            (Some(abbr), false) => (esc(abbr), esc(&t.year)),
            (None, _) => (author_label(t, &t.narrative_author, html), esc(&t.year)),
        };
        let label = format!("{name} ({year}{})", esc(&locator));
        return if html {
            format!(
                r#"<a class="citation" href="{}" title="{}">{label}</a>"#,
                s.url,
                escape_html(s.reference)
            )
        } else {
            label
        };
    }
    if html {
        out.push_str(r#"<span class="citation">"#);
    }
    out.push('(');
    // The author of the previous work, and whether it had a locator.
    let mut previous_author: Option<(&str, bool)> = None;
    for (n, entry) in items.iter().enumerate() {
        let item = entry.item;
        let prefix = entry.prefix.as_deref();
        let Some(s) = &entry.source else {
            if n > 0 {
                out.push_str("; ");
            }
            out.push_str(&unresolved(&item.key, html));
            previous_author = None;
            continue;
        };
        let t = s.in_text;
        // One author's works once, the years in order; after a work with a locator the next
        // year follows a semicolon: `(Derrida, 2001a, Chapter 2; 2001b)`.
        let same_author = previous_author.is_some_and(|(a, _)| a == t.author.as_str())
            && !item.suppress_author
            && prefix.is_none();
        match previous_author {
            Some((_, false)) if same_author => out.push_str(", "),
            _ if n > 0 => out.push_str("; "),
            _ => {}
        }
        if let Some(prefix) = prefix {
            out.push_str(&esc(prefix));
            out.push(' ');
        }
        let year = esc(&t.year);
        let label = if item.suppress_author || same_author {
            year
        } else {
            match (&t.abbreviation, entry.first) {
                (Some(abbr), true) => {
                    format!(
                        "{} [{}], {year}",
                        author_label(t, &t.author, html),
                        esc(abbr)
                    )
                }
                (Some(abbr), false) => format!("{}, {year}", esc(abbr)),
                (None, _) => match t.style {
                    // “Marginalia Make a Comeback,” 2019: the comma inside the quotation marks,
                    // and none after a title's own period or question mark.
                    AuthorStyle::Quoted if t.author.ends_with(['.', '?', '!']) => {
                        format!("“{}” {year}", italics(&t.author, false, html))
                    }
                    AuthorStyle::Quoted => {
                        format!("“{},” {year}", italics(&t.author, false, html))
                    }
                    _ => format!("{}, {year}", author_label(t, &t.author, html)),
                },
            }
        };
        let locator = esc(&locator_of(entry));
        if html {
            out.push_str(&format!(
                r#"<a href="{}" title="{}">{label}{locator}</a>"#,
                s.url,
                escape_html(s.reference)
            ));
        } else {
            out.push_str(&label);
            out.push_str(&locator);
        }
        previous_author = Some((t.author.as_str(), item.locator.is_some()));
    }
    out.push(')');
    if html {
        out.push_str("</span>");
    }
    out
}

/// The author part as shown: names, a title in quotation marks, or a title in italics.
fn author_label(t: &InText, author: &str, html: bool) -> String {
    match t.style {
        AuthorStyle::Plain if html => escape_html(author),
        AuthorStyle::Plain => author.to_string(),
        AuthorStyle::Quoted => format!("“{}”", italics(author, false, html)),
        AuthorStyle::Italic => italics(author, true, html),
    }
}

/// A title with its Markdown italics (`*Rheinische Zeitung*`): in HTML, set in italics, or
/// in roman inside a title that is itself in italics; in plain text, the stars taken off. An
/// escaped star (`\*`) is a star.
fn italics(title: &str, italic: bool, html: bool) -> String {
    let mut out = String::with_capacity(title.len() + 16);
    let mut inside = false;
    let mut run = String::new();
    let flush = |out: &mut String, run: &mut String, on: bool| {
        if run.is_empty() {
            return;
        }
        if html && on {
            out.push_str(&format!("<i>{}</i>", escape_html(run)));
        } else if html {
            out.push_str(&escape_html(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    let stars = title.matches('*').count() - title.matches("\\*").count();
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => run.push(chars.next().unwrap_or('*')),
            '*' if stars >= 2 => {
                flush(&mut out, &mut run, italic != inside);
                inside = !inside;
            }
            c => run.push(c),
        }
    }
    flush(&mut out, &mut run, italic != inside);
    out
}

/// `, p. 5` as APA prints it, or nothing.
fn locator_of(item: &Item<'_, '_>) -> String {
    item.item
        .locator
        .as_deref()
        .map(|l| format!(", {}", apa_locator(l)))
        .unwrap_or_default()
}

pub(super) fn unresolved(key: &str, html: bool) -> String {
    if html {
        format!(
            r#"<span class="citation unresolved" title="no source note with this key">@{}?</span>"#,
            escape_html(key)
        )
    } else {
        format!("@{key}")
    }
}
