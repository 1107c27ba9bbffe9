//! APA 7 formatting through hayagriva's CSL engine: each source's reference-list entry and the
//! author and year parts of its in-text citations, formatted once per build.
//!
//! Disambiguation (2019a/2019b, added initials) only ever involves works whose first authors share
//! a family name, so sources are formatted in clusters of that family name: each cluster is one
//! hayagriva driver run, and clusters run in parallel.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use hayagriva::citationberg::{FontStyle, IndependentStyle, Locale, Style};
use hayagriva::types::{
    Date, EntryType as HEntryType, FormatString, MaybeTyped, Numeric, PageRanges, Person,
    Publisher, QualifiedUrl,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, Entry,
};
use rayon::prelude::*;

use crate::cite::InText;
use crate::markdown::escape_html;
use crate::note::{EntryType, Name, SourceMeta, Year};

/// A source formatted in APA 7.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    pub in_text: InText,
    /// The reference-list entry as HTML (italics, DOI and URL links).
    pub html: String,
    /// The same entry as plain text (tooltips, feeds).
    pub text: String,
    /// APA order: first author's family name, then year, then title (lowercased).
    pub sort_key: String,
}

/// What the formatter needs of a source.
pub struct SourceInput<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub meta: &'a SourceMeta,
}

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

/// Formats every source; the map is keyed by citation key.
pub fn format_all(sources: &[SourceInput<'_>]) -> BTreeMap<String, Reference> {
    let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in sources {
        let family = s
            .meta
            .authors
            .first()
            .map(|a| a.family.to_lowercase())
            .unwrap_or_default();
        clusters.entry(family).or_default().push(s);
    }
    let mut clusters: Vec<Vec<&SourceInput<'_>>> = clusters.into_values().collect();
    // Year suffixes follow citation order in the driver: cite in APA reference-list order
    // (author, year, title) so that 2019a is the work whose title sorts first.
    for cluster in &mut clusters {
        cluster.sort_by_cached_key(|s| (sort_key(s), s.key.to_string()));
    }
    clusters
        .par_iter()
        .flat_map_iter(|cluster| format_cluster(cluster))
        .collect()
}

fn format_cluster(cluster: &[&SourceInput<'_>]) -> Vec<(String, Reference)> {
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
            let author_only = hayagriva::standalone_citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(entry).kind(CitePurpose::Author)],
                style,
                locales,
            ));
            // The author-only form still carries the style's parentheses.
            let author = plain(&author_only)
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_string();
            let parenthetical = plain(&citation.citation);
            let year =
                year_part(&parenthetical, &author).unwrap_or_else(|| source.meta.year.to_string());
            let content = bib
                .remove(entry.key())
                .unwrap_or_else(|| ElemChildren(Vec::new()));
            let text = plain(&content);
            let reference = Reference {
                in_text: InText {
                    narrative_author: narrative(&author, &source.meta.authors),
                    author,
                    year,
                },
                html: html(&content),
                sort_key: sort_key(source),
                text,
            };
            (source.key.to_string(), reference)
        })
        .collect()
}

/// `(Ali & Anwar, 2023a)` minus `Ali & Anwar` → `2023a`.
fn year_part(parenthetical: &str, author: &str) -> Option<String> {
    let inner = parenthetical.strip_prefix('(')?.strip_suffix(')')?;
    let rest = inner.strip_prefix(author)?.strip_prefix(", ")?;
    Some(rest.to_string())
}

/// APA 7 joins two authors with "and" in running text, and "&" inside parentheses.
fn narrative(author: &str, authors: &[Name]) -> String {
    if authors.len() == 2 {
        author.replacen(" & ", " and ", 1)
    } else {
        author.to_string()
    }
}

fn sort_key(source: &SourceInput<'_>) -> String {
    let names: Vec<String> = source
        .meta
        .authors
        .iter()
        .map(|a| a.display().to_lowercase())
        .collect();
    let year = match source.meta.year {
        Year::Known(y) => format!("{y:04}"),
        Year::Unknown => "0000".to_string(),
    };
    format!(
        "{}\u{1}{year}\u{1}{}",
        names.join("\u{2}"),
        source.title.to_lowercase()
    )
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
        EntryType::Article => HEntryType::Article,
        EntryType::Book => HEntryType::Book,
        EntryType::Chapter => HEntryType::Chapter,
        EntryType::Report => HEntryType::Report,
        EntryType::Thesis => HEntryType::Thesis,
        EntryType::Web => HEntryType::Web,
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
        EntryType::Article | EntryType::Chapter | EntryType::Web => {
            let parent_kind = match meta.entry_type {
                EntryType::Article => HEntryType::Periodical,
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

    fn meta(authors: &[&str], year: Year) -> SourceMeta {
        SourceMeta {
            entry_type: EntryType::Article,
            authors: authors.iter().filter_map(|a| Name::parse(a)).collect(),
            editors: vec![],
            year,
            container: Some("South Asian Studies".into()),
            publisher: None,
            volume: Some("24".into()),
            issue: Some("2".into()),
            pages: Some("175-191".into()),
            doi: Some("10.1000/xyz".into()),
            doi_line: 1,
            url: None,
        }
    }

    #[test]
    fn formats_in_text_parts_the_apa_way() {
        let one = meta(&["Jabeen, M."], Year::Known(2009));
        let two = meta(&["Ali, I.", "Anwar, M. F."], Year::Known(2023));
        let three = meta(
            &["Plaw, A.", "Fricker, M. S.", "Williams, B. G."],
            Year::Known(2011),
        );
        let org = meta(&["Pew Research Center"], Year::Unknown);
        let inputs = [
            SourceInput {
                key: "j",
                title: "Either you are with us",
                meta: &one,
            },
            SourceInput {
                key: "a",
                title: "Pak-US relations",
                meta: &two,
            },
            SourceInput {
                key: "p",
                title: "Practice makes perfect?",
                meta: &three,
            },
            SourceInput {
                key: "o",
                title: "Global attitudes",
                meta: &org,
            },
        ];
        let refs = format_all(&inputs);
        assert_eq!(
            (
                refs["j"].in_text.author.as_str(),
                refs["j"].in_text.year.as_str()
            ),
            ("Jabeen", "2009")
        );
        assert_eq!(refs["a"].in_text.author, "Ali & Anwar");
        assert_eq!(refs["a"].in_text.narrative_author, "Ali and Anwar");
        assert_eq!(refs["p"].in_text.author, "Plaw et al.");
        assert_eq!(
            (
                refs["o"].in_text.author.as_str(),
                refs["o"].in_text.year.as_str()
            ),
            ("Pew Research Center", "n.d.")
        );
        assert!(
            refs["j"].html.contains("<i>South Asian Studies</i>"),
            "{}",
            refs["j"].html
        );
        assert!(
            refs["j"]
                .html
                .contains(r#"<a href="https://doi.org/10.1000/xyz">"#),
            "{}",
            refs["j"].html
        );
    }

    #[test]
    fn same_author_and_year_get_letters() {
        let a = meta(&["Khan, M."], Year::Known(2019));
        let inputs = [
            SourceInput {
                key: "k1",
                title: "Beta",
                meta: &a,
            },
            SourceInput {
                key: "k2",
                title: "Alpha",
                meta: &a,
            },
        ];
        let refs = format_all(&inputs);
        let mut years = [
            refs["k1"].in_text.year.clone(),
            refs["k2"].in_text.year.clone(),
        ];
        years.sort();
        assert_eq!(years, ["2019a".to_string(), "2019b".to_string()]);
        assert!(
            refs["k2"]
                .text
                .contains(&format!("({})", refs["k2"].in_text.year)),
            "{}",
            refs["k2"].text
        );
    }
}
