//! The CSL engine adapter: a source formatted in APA 7 through hayagriva, its reference-list
//! entry and the author and year parts of its in-text citations.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use super::model::{EntryType, Name, Year};
use super::reference::{Reference, SourceInput, sort_key};
use crate::cite::InText;
use crate::html::escape_html;
use hayagriva::citationberg::{FontStyle, IndependentStyle, Locale, Style};
use hayagriva::types::{
    Date, EntryType as HEntryType, FormatString, MaybeTyped, Numeric, PageRanges, Person,
    Publisher, QualifiedUrl,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Entry,
};

fn style() -> &'static (IndependentStyle, Vec<Locale>) {
    static STYLE: OnceLock<(IndependentStyle, Vec<Locale>)> = OnceLock::new();
    STYLE.get_or_init(|| {
        let Style::Independent(style) =
            hayagriva::archive::ArchivedStyle::AmericanPsychologicalAssociation.get()
        else {
            unreachable!("the bundled APA style is an independent style")
        };
        (style, hayagriva::archive::locales())
    })
}

/// Formats one source through hayagriva's CSL engine.
pub(crate) fn format_with_library(source: &SourceInput<'_>) -> Reference {
    format_cluster_with_library(&[source]).remove(0).1
}

/// Formats a cluster through hayagriva's CSL engine with the bundled APA style.
pub(crate) fn format_cluster_with_library(
    cluster: &[&SourceInput<'_>],
) -> Vec<(String, Reference)> {
    let (style, locales) = style();
    let entries: Vec<Entry> = cluster.iter().map(|s| to_entry(s)).collect();
    let mut driver = BibliographyDriver::new();
    for entry in &entries {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(entry)],
            style,
            locales,
        ));
    }
    let rendered = driver.finish(BibliographyRequest {
        style,
        locale: None,
        locale_files: locales,
    });
    let mut bib: BTreeMap<String, ElemChildren> = rendered
        .bibliography
        .map(|b| b.items.into_iter().map(|i| (i.key, i.content)).collect())
        .unwrap_or_default();
    entries
        .iter()
        .zip(rendered.citations)
        .zip(cluster)
        .map(|((entry, citation), source)| {
            // The driver's citation carries the disambiguation (initials, 2019a), so the author
            // and year parts are split out of it rather than formatted separately.
            let parenthetical = plain(&citation.citation);
            let (author, year) = split_citation(&parenthetical).unwrap_or_else(|| {
                let family = source
                    .meta
                    .authors
                    .first()
                    .map(|a| a.family.clone())
                    .unwrap_or_default();
                (family, source.meta.year.to_string())
            });
            let content = bib
                .remove(entry.key())
                .unwrap_or_else(|| ElemChildren(Vec::new()));
            let titles = [source.title, source.meta.container.as_deref().unwrap_or("")];
            let text = repair(&plain(&content), &titles, false);
            let reference = Reference {
                in_text: InText {
                    narrative_author: narrative(&author, &source.meta.authors),
                    author,
                    year,
                },
                html: repair(&html(&content), &titles, true),
                sort_key: sort_key(source),
                text,
            };
            (source.key.to_string(), reference)
        })
        .collect()
}

/// Mends known defects of hayagriva's APA output: an entry with no container prints its date
/// as `(2009,).`, and a title ending in a question or exclamation mark gets a period after it.
/// Only the titles are mended: a `?.` elsewhere (in a URL, say) is left as it is.
fn repair(entry: &str, titles: &[&str], html: bool) -> String {
    let mut entry = entry.to_string();
    for title in titles.iter().map(|t| t.trim_end()) {
        if !title.ends_with(['?', '!']) {
            continue;
        }
        // The title's last word, as it appears in the entry.
        let word = title.rsplit(' ').next().unwrap_or(title);
        let word = if html {
            escape_html(word)
        } else {
            word.to_string()
        };
        for closing in ["", "</i>"] {
            let wrong = format!("{word}{closing}.");
            if let Some(at) = entry.find(&wrong) {
                entry.replace_range(at + wrong.len() - 1..at + wrong.len(), "");
                break;
            }
        }
    }
    match entry.find(",). ") {
        Some(i)
            if entry[..i]
                .rfind(" (")
                .is_some_and(|open| !entry[open + 2..i].contains([' ', '('])) =>
        {
            format!("{}{}", &entry[..i], &entry[i + 1..])
        }
        _ => entry,
    }
}

/// `(Ali & Anwar, 2023a)` → (`Ali & Anwar`, `2023a`).
fn split_citation(parenthetical: &str) -> Option<(String, String)> {
    let inner = parenthetical.strip_prefix('(')?.strip_suffix(')')?;
    let (author, year) = inner.rsplit_once(", ")?;
    Some((author.to_string(), year.to_string()))
}

/// APA 7 joins two authors with "and" in running text, and "&" inside parentheses.
fn narrative(author: &str, authors: &[Name]) -> String {
    if authors.len() == 2 {
        author.replacen(" & ", " and ", 1)
    } else {
        author.to_string()
    }
}

fn person(name: &Name) -> Person {
    Person {
        name: name.family.clone(),
        given_name: name.given.clone(),
        prefix: None,
        suffix: None,
        comma_suffix: false,
        alias: None,
    }
}

fn text(s: &str) -> FormatString {
    FormatString::from(s.to_string())
}

/// Builds hayagriva's entry: articles and chapters carry their journal or book as a parent.
fn to_entry(source: &SourceInput<'_>) -> Entry {
    let meta = source.meta;
    let kind = match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => HEntryType::Article,
        EntryType::Conference => HEntryType::Article,
        EntryType::Book => HEntryType::Book,
        EntryType::Chapter => HEntryType::Chapter,
        EntryType::Report => HEntryType::Report,
        EntryType::Thesis => HEntryType::Thesis,
        EntryType::Web => HEntryType::Web,
        EntryType::Preprint | EntryType::Dataset | EntryType::Software => HEntryType::Repository,
        EntryType::Other => HEntryType::Misc,
    };
    let mut entry = Entry::new(source.key, kind);
    entry.set_title(text(source.title));
    entry.set_authors(meta.authors.iter().map(person).collect());
    if let Year::Known(y) = meta.year {
        entry.set_date(Date::from_year(y));
    }
    if let Some(p) = &meta.pages {
        entry.set_page_range(
            MaybeTyped::<PageRanges>::from_str(p).unwrap_or_else(|_| MaybeTyped::String(p.clone())),
        );
    }
    if let Some(doi) = &meta.doi {
        entry.set_doi(doi.clone());
    }
    if let Some(url) = meta
        .url
        .as_ref()
        .and_then(|u| QualifiedUrl::from_str(u).ok())
    {
        entry.set_url(url);
    }
    let publisher = meta
        .publisher
        .as_ref()
        .map(|p| Publisher::new(Some(text(p)), None));
    let numeric = |s: &String| {
        MaybeTyped::<Numeric>::from_str(s).unwrap_or_else(|_| MaybeTyped::String(s.clone()))
    };
    match meta.entry_type {
        EntryType::Article
        | EntryType::Magazine
        | EntryType::Newspaper
        | EntryType::Conference
        | EntryType::Chapter
        | EntryType::Web => {
            let parent_kind = match meta.entry_type {
                EntryType::Article | EntryType::Magazine => HEntryType::Periodical,
                EntryType::Newspaper => HEntryType::Newspaper,
                EntryType::Conference => HEntryType::Proceedings,
                EntryType::Chapter => HEntryType::Book,
                _ => HEntryType::Web,
            };
            let mut parent = Entry::new(&format!("{}-parent", source.key), parent_kind);
            if let Some(c) = &meta.container {
                parent.set_title(text(c));
            }
            if let Some(v) = &meta.volume {
                parent.set_volume(numeric(v));
            }
            if let Some(i) = &meta.issue {
                parent.set_issue(numeric(i));
            }
            if !meta.editors.is_empty() {
                parent.set_editors(meta.editors.iter().map(person).collect());
            }
            if let Some(p) = publisher {
                parent.set_publisher(p);
            }
            entry.set_parents(vec![parent]);
        }
        _ => {
            if let Some(p) = publisher {
                entry.set_publisher(p);
            } else if let Some(c) = &meta.container {
                entry.set_publisher(Publisher::new(Some(text(c)), None));
            }
            if let Some(v) = &meta.volume {
                entry.set_volume(numeric(v));
            }
            if let Some(i) = &meta.issue {
                entry.set_issue(numeric(i));
            }
            if !meta.editors.is_empty() {
                entry.set_editors(meta.editors.iter().map(person).collect());
            }
        }
    }
    entry
}

/// Plain text of hayagriva's output.
fn plain(children: &ElemChildren) -> String {
    let mut out = String::new();
    walk(children, &mut |piece| match piece {
        Piece::Text(t, _) | Piece::Link(t, _, _) => out.push_str(t),
    });
    out
}

/// HTML of hayagriva's output, escaped (hayagriva's own HTML writer does not escape text).
fn html(children: &ElemChildren) -> String {
    let mut out = String::new();
    walk(children, &mut |piece| match piece {
        Piece::Text(t, italic) => push_styled(&mut out, t, italic),
        Piece::Link(t, url, italic) => {
            out.push_str(&format!(r#"<a href="{}">"#, escape_html(url)));
            push_styled(&mut out, t, italic);
            out.push_str("</a>");
        }
    });
    out
}

fn push_styled(out: &mut String, text: &str, italic: bool) {
    if italic {
        out.push_str("<i>");
    }
    out.push_str(&escape_html(text));
    if italic {
        out.push_str("</i>");
    }
}

enum Piece<'a> {
    Text(&'a str, bool),
    Link(&'a str, &'a str, bool),
}

fn walk<'a>(children: &'a ElemChildren, f: &mut impl FnMut(Piece<'a>)) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => f(Piece::Text(
                &t.text,
                t.formatting.font_style == FontStyle::Italic,
            )),
            ElemChild::Elem(e) => walk(&e.children, f),
            ElemChild::Markup(m) => f(Piece::Text(m, false)),
            ElemChild::Link { text, url } => f(Piece::Link(
                &text.text,
                url,
                text.formatting.font_style == FontStyle::Italic,
            )),
            ElemChild::Transparent { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{EntryType, SourceMeta};

    #[test]
    fn only_titles_lose_the_period_after_their_question_mark() {
        let meta = SourceMeta {
            entry_type: EntryType::Thesis,
            authors: vec![Name::parse("Khan, M.").unwrap()],
            editors: vec![],
            year: Year::Known(2019),
            container: None,
            publisher: Some("University of Peshawar".into()),
            volume: None,
            issue: None,
            pages: None,
            doi: None,
            doi_line: 1,
            url: Some("https://example.org/theses/view?.id=7".into()),
            ..Default::default()
        };
        let source = SourceInput {
            key: "k",
            title: "Is the alliance over?",
            meta: &meta,
        };
        let reference = format_with_library(&source);
        assert!(
            reference.text.contains("Is the alliance over? ") && !reference.text.contains("over?."),
            "{}",
            reference.text
        );
        assert!(
            reference
                .text
                .ends_with("https://example.org/theses/view?.id=7"),
            "the URL must stay as written: {}",
            reference.text
        );
        assert!(reference.html.contains("view?.id=7"), "{}", reference.html);
    }
}
