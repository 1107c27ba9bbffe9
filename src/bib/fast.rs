//! A specialised APA 7 formatter for the common shapes of source (journal articles, books,
//! chapters, reports, web pages with initials-only given names and no editors). It exists for
//! speed (hayagriva's CSL engine costs about a millisecond per entry) and is held to hayagriva's
//! output by differential tests (`differential.rs`); anything outside its shapes returns `None` and goes to
//! hayagriva. Disambiguation happens afterwards, for both, in `disambiguate`.

use hayagriva::lang::{Case, TitleCase};

use super::model::{EntryType, Name};
use super::reference::{Reference, SourceInput, sort_key};
use crate::cite::InText;
use crate::html::escape_html;

/// At most this many authors are listed before APA's ellipsis form (left to hayagriva).
const MAX_LISTED_AUTHORS: usize = 20;

/// Formats one source, or `None` when it is not a shape this formatter reproduces exactly.
pub(super) fn format(source: &SourceInput<'_>) -> Option<Reference> {
    let meta = source.meta;
    if meta.authors.is_empty()
        || meta.authors.len() > MAX_LISTED_AUTHORS
        || !meta.editors.is_empty()
    {
        return None;
    }
    if !meta.authors.iter().all(plain_name) || !plain_title(source.title) {
        return None;
    }
    // A journal's name may end in a period ("J. Pol. Stud."): no period is added after it. In
    // other positions hayagriva moves such a period out of the italics, so those go to hayagriva.
    let container_ok = |c: &str| match meta.entry_type {
        EntryType::Article => plain_title(c.trim_end_matches('.')),
        _ => plain_title(c),
    };
    if meta.container.as_deref().is_some_and(|c| !container_ok(c))
        || meta.publisher.as_deref().is_some_and(|p| !plain_title(p))
    {
        return None;
    }
    for field in [&meta.volume, &meta.issue] {
        if field
            .as_deref()
            .is_some_and(|v| !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '/'))
        {
            return None;
        }
    }
    let pages = match &meta.pages {
        Some(p) => Some(page_range(p)?),
        None => None,
    };
    if meta
        .url
        .as_deref()
        .is_some_and(|u| u.contains(['"', '<', '>', ' ']))
        || meta
            .doi
            .as_deref()
            .is_some_and(|d| d.contains(['"', '<', '>', ' ']))
    {
        return None;
    }

    // Entries printed as a standalone title (no journal, web pages) carry none of these here.
    let has_parts_or_publisher = meta.volume.is_some()
        || meta.issue.is_some()
        || pages.is_some()
        || meta.publisher.is_some();
    // APA puts no period after a title that ends in its own question or exclamation mark.
    let title_stop = if source.title.ends_with(['?', '!']) {
        ""
    } else {
        "."
    };
    let mut out = Html::default();
    out.text(&author_list(&meta.authors));
    out.text(&format!(" ({}). ", meta.year));
    let vol_issue_pages = || {
        let mut parts = Vec::new();
        if let Some(v) = &meta.volume {
            parts.push(format!("Vol. {v}"));
        }
        if let Some(i) = &meta.issue {
            parts.push(format!("Issue {i}"));
        }
        if let Some(p) = &pages {
            parts.push(format!(
                "{} {p}",
                if p.contains('–') { "pp." } else { "p." }
            ));
        }
        parts
    };
    match meta.entry_type {
        EntryType::Article => match &meta.container {
            Some(container) => {
                out.text(&format!("{}{title_stop} ", source.title));
                // APA capitalises periodical names (title case); hayagriva's own case folder
                // does it, so both paths agree.
                out.italic(&Case::Title(TitleCase::new()).transform(container));
                match (&meta.volume, &meta.issue) {
                    (Some(v), issue) => {
                        out.text(", ");
                        out.italic(v);
                        if let Some(i) = issue {
                            out.text(&format!("({i})"));
                        }
                    }
                    (None, Some(_)) => return None,
                    (None, None) => {}
                }
                if let Some(p) = &pages {
                    out.text(&format!(", {p}"));
                }
                out.stop();
            }
            None => {
                if has_parts_or_publisher {
                    return None;
                }
                out.italic(source.title);
                out.text(title_stop);
            }
        },
        EntryType::Chapter => {
            let container = meta.container.as_ref()?;
            out.text(&format!("{}{title_stop} In ", source.title));
            out.italic(container);
            let parts = vol_issue_pages();
            if !parts.is_empty() {
                out.text(&format!(" ({})", parts.join(", ")));
            }
            out.stop();
            if let Some(p) = &meta.publisher {
                out.text(&format!(" {p}"));
                out.stop();
            }
        }
        EntryType::Book | EntryType::Report => {
            out.italic(source.title);
            let parts = vol_issue_pages();
            if parts.is_empty() {
                out.text(title_stop);
            } else {
                out.text(&format!(" ({}).", parts.join(", ")));
            }
            if let Some(p) = meta.publisher.as_ref().or(meta.container.as_ref()) {
                out.text(&format!(" {p}"));
                out.stop();
            }
        }
        EntryType::Web => {
            if has_parts_or_publisher {
                return None;
            }
            out.italic(source.title);
            out.text(title_stop);
            if let Some(c) = &meta.container {
                out.text(&format!(" {c}"));
                out.stop();
            }
        }
        _ => return None,
    }
    if let Some(doi) = &meta.doi {
        let url = format!("https://doi.org/{doi}");
        out.text(" ");
        out.link(&url);
    } else if let Some(url) = &meta.url {
        out.text(" ");
        out.link(url);
    }

    let author = in_text_author(&meta.authors);
    Some(Reference {
        in_text: InText {
            narrative_author: if meta.authors.len() == 2 {
                author.replacen(" & ", " and ", 1)
            } else {
                author.clone()
            },
            author,
            year: meta.year.to_string(),
        },
        html: out.html,
        text: out.text,
        sort_key: sort_key(source),
    })
}

/// The HTML and plain text of an entry, built side by side.
#[derive(Default)]
struct Html {
    html: String,
    text: String,
}

impl Html {
    fn text(&mut self, s: &str) {
        self.html.push_str(&escape_html(s));
        self.text.push_str(s);
    }

    /// Closes an element with a period, unless its text already ends with one ("Stud.").
    fn stop(&mut self) {
        if !self.text.ends_with('.') {
            self.text(".");
        }
    }

    fn italic(&mut self, s: &str) {
        self.html.push_str("<i>");
        self.html.push_str(&escape_html(s));
        self.html.push_str("</i>");
        self.text.push_str(s);
    }

    fn link(&mut self, url: &str) {
        self.html
            .push_str(&format!(r#"<a href="{0}">{0}</a>"#, escape_html(url)));
        self.text.push_str(url);
    }
}

/// A family name and initials (`Jabeen, M.`, `Ali, M. F.`, `Noor-e-Hera`): the forms whose
/// rendering hayagriva leaves as written.
fn plain_name(name: &Name) -> bool {
    let family_ok = !name.family.is_empty()
        && name
            .family
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | ' '))
        && name.family.chars().next().is_some_and(char::is_uppercase);
    let given_ok = name.given.as_deref().is_none_or(|g| {
        g.split([' ', '-']).all(|part| {
            let mut chars = part.chars();
            matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
        })
    });
    family_ok && given_ok
}

/// Text that hayagriva prints unchanged: no markup, quotes or final punctuation of its own.
fn plain_title(text: &str) -> bool {
    !text.is_empty()
        && !text.ends_with(['.', ':', ';', ','])
        && !text.contains([
            '"', '“', '”', '‘', '*', '_', '<', '>', '{', '}', '\\', '$', '`', '~',
        ])
        && !text.contains("  ")
}

/// `175-191` → `175–191`; a single page stays. Anything else is left to hayagriva.
fn page_range(pages: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match pages.split_once('-') {
        Some((a, b)) if digits(a) && digits(b) => Some(format!("{a}–{b}")),
        None if digits(pages) => Some(pages.to_string()),
        _ => None,
    }
}

fn display(name: &Name) -> String {
    match &name.given {
        Some(g) => format!("{}, {g}", name.family),
        None => name.family.clone(),
    }
}

/// APA reference-list authors: `A, B., & C, D.`, closed with a period.
fn author_list(authors: &[Name]) -> String {
    let names: Vec<String> = authors.iter().map(display).collect();
    let mut out = match names.len() {
        1 => names[0].clone(),
        n => format!("{}, & {}", names[..n - 1].join(", "), names[n - 1]),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// APA in-text authors: one or two family names, or the first with "et al.".
fn in_text_author(authors: &[Name]) -> String {
    match authors {
        [one] => one.family.clone(),
        [a, b] => format!("{} & {}", a.family, b.family),
        [first, ..] => format!("{} et al.", first.family),
        [] => String::new(),
    }
}
