//! APA 7 formatting through hayagriva's CSL engine: each source's reference-list entry and the
//! author and year parts of its in-text citations, formatted once per build.
//!
//! Each source is formatted on its own, in parallel: by `apa_fast` where it reproduces hayagriva
//! exactly (the common shapes), by hayagriva otherwise. Disambiguation across sources (initials,
//! more names, 2019a) is then applied by `disambiguate`.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::OnceLock;

use hayagriva::citationberg::{FontStyle, IndependentStyle, Locale, Style};
use hayagriva::types::{
    Date, EntryType as HEntryType, FormatString, MaybeTyped, Numeric, PageRanges, Person,
    Publisher, QualifiedUrl,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
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

/// The cluster a source belongs to: its first author's family name, lowercased. Disambiguation
/// (initials, more names, 2019a) only ever involves works whose first authors share a family
/// name, so works in different clusters never affect each other's formatting (`gloss serve` relies on this to
/// format again only the clusters whose sources changed).
pub fn cluster_key(meta: &SourceMeta) -> String {
    meta.authors
        .first()
        .map(|a| a.family.to_lowercase())
        .unwrap_or_default()
}

/// Formats every source; the map is keyed by citation key. Each source is formatted on its own
/// (the fast formatter where it applies, hayagriva otherwise), in parallel; then the in-text
/// forms are disambiguated within each first-author family (see `disambiguate`).
pub fn format_all(sources: &[SourceInput<'_>]) -> BTreeMap<String, Reference> {
    let mut refs: HashMap<String, Reference> = sources
        .par_iter()
        .map(|s| {
            let reference = crate::apa_fast::format(s).unwrap_or_else(|| format_with_library(s));
            (s.key.to_string(), reference)
        })
        .collect();
    let mut ordered: Vec<&SourceInput<'_>> = sources.iter().collect();
    ordered.sort_by_cached_key(|s| (sort_key(s), s.key.to_string()));
    crate::disambiguate::disambiguate(&ordered, &mut refs);
    refs.into_iter().collect()
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
            let text = repair(&plain(&content));
            let reference = Reference {
                in_text: InText {
                    narrative_author: narrative(&author, &source.meta.authors),
                    author,
                    year,
                },
                html: repair(&html(&content)),
                sort_key: sort_key(source),
                text,
            };
            (source.key.to_string(), reference)
        })
        .collect()
}

/// Mends known defects of hayagriva's APA output: an entry with no container prints its date
/// as `(2009,).`, and a title ending in a question mark gets a period after it.
fn repair(entry: &str) -> String {
    // A title ending in "?" or "!" takes no period after it (hayagriva adds one: "Clientelism?.").
    let entry = entry
        .replace("?.", "?")
        .replace("!.", "!")
        .replace("?</i>.", "?</i>")
        .replace("!</i>.", "!</i>");
    let entry = entry.as_str();
    match entry.find(",). ") {
        Some(i)
            if entry[..i]
                .rfind(" (")
                .is_some_and(|open| !entry[open + 2..i].contains([' ', '('])) =>
        {
            format!("{}{}", &entry[..i], &entry[i + 1..])
        }
        _ => entry.to_string(),
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

pub(crate) fn sort_key(source: &SourceInput<'_>) -> String {
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

/// Differential tests: the fast formatter must give hayagriva's output, entry for entry.
#[cfg(test)]
mod differential {
    use super::*;
    use crate::note::{EntryType, Name, SourceMeta, Year};

    fn compare(title: &str, meta: &SourceMeta) -> bool {
        let input = SourceInput {
            key: "k",
            title,
            meta,
        };
        let Some(fast) = crate::apa_fast::format(&input) else {
            return false;
        };
        let library = format_cluster_with_library(&[&input]).remove(0).1;
        assert_eq!(fast.html, library.html, "html of {title:?} {meta:?}");
        assert_eq!(fast.text, library.text, "text of {title:?} {meta:?}");
        assert_eq!(
            fast.in_text, library.in_text,
            "in-text of {title:?} {meta:?}"
        );
        true
    }

    fn names(list: &[&str]) -> Vec<Name> {
        list.iter().filter_map(|n| Name::parse(n)).collect()
    }

    #[test]
    fn fast_formatter_matches_hayagriva_on_every_shape() {
        let author_sets: &[&[&str]] = &[
            &["Jabeen, M."],
            &["Ali, I.", "Anwar, M. F."],
            &["Plaw, A.", "Fricker, M. S.", "Williams, B. G."],
            &["Adil, N.", "Khan, M.", "Noor-e-Hera"],
            &["Pew Research Center"],
            &[
                "Yousaf, N.",
                "Ahmad, M.",
                "Shah, Z.",
                "Khan, M. A.",
                "Akbar, A.",
                "Malik, H.",
                "Farhad, A.",
            ],
            &["O'Brien, J.-P."],
            &["Ganguly, S.", "Paul Kapur, S."],
        ];
        let optional =
            |mask: u32, bit: u32, value: &str| (mask & (1 << bit) != 0).then(|| value.to_string());
        let mut compared = 0;
        let mut total = 0;
        for entry_type in EntryType::ALL {
            for mask in 0..64u32 {
                // Author sets rotate with the field mask, so every set meets every type.
                let a = (mask as usize + entry_type as usize) % author_sets.len();
                let authors = author_sets[a];
                {
                    let meta = SourceMeta {
                        entry_type,
                        authors: names(authors),
                        editors: vec![],
                        year: if a % 3 == 2 {
                            Year::Unknown
                        } else {
                            Year::Known(2009 + a as i32)
                        },
                        container: optional(
                            mask,
                            0,
                            match (mask >> 1) % 3 {
                                0 => "Journal of Strategic Studies",
                                1 => "J. Pol. Stud.",
                                _ => "Pakistan's counterterrorism challenge",
                            },
                        ),
                        publisher: optional(mask, 1, "Cornell University Press"),
                        volume: optional(mask, 2, "24"),
                        issue: optional(mask, 3, "02"),
                        pages: optional(mask, 4, if a % 2 == 0 { "175-191" } else { "263" }),
                        doi: optional(mask, 5, "10.1080/01402390.2017.1307843"),
                        doi_line: 1,
                        url: None,
                    };
                    total += 1;
                    if compare(
                        "The impact of US drone strikes on terrorism in Pakistan",
                        &meta,
                    ) {
                        compared += 1;
                    }
                }
            }
        }
        // Articles, books, chapters, reports and web pages are the common shapes; most must be
        // handled by the fast path (the rest fall back to hayagriva, which is always correct).
        assert!(
            compared >= 120,
            "fast path covered only {compared} of {total} shapes"
        );
    }

    fn article(authors: &[&str], year: Year) -> SourceMeta {
        SourceMeta {
            entry_type: EntryType::Article,
            authors: names(authors),
            editors: vec![],
            year,
            container: Some("Asian Security".into()),
            publisher: None,
            volume: Some("16".into()),
            issue: Some("2".into()),
            pages: Some("243-262".into()),
            doi: None,
            doi_line: 1,
            url: None,
        }
    }

    /// Formats (title, meta) pairs as one site and returns (in-text author, year, reference).
    fn site(works: &[(&str, SourceMeta)]) -> Vec<(String, String, String)> {
        let keys = ["a", "b", "c", "d"];
        let inputs: Vec<SourceInput<'_>> = works
            .iter()
            .enumerate()
            .map(|(i, (t, m))| SourceInput {
                key: keys[i],
                title: t,
                meta: m,
            })
            .collect();
        let refs = format_all(&inputs);
        keys[..works.len()]
            .iter()
            .map(|k| {
                (
                    refs[*k].in_text.author.clone(),
                    refs[*k].in_text.year.clone(),
                    refs[*k].text.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn same_authors_same_year_get_letters_in_title_order() {
        let got = site(&[
            ("Beta", article(&["Khan, M."], Year::Known(2019))),
            ("Alpha", article(&["Khan, M."], Year::Known(2019))),
            ("Gamma", article(&["Khan, M."], Year::Unknown)),
            ("Delta", article(&["Khan, M."], Year::Unknown)),
        ]);
        assert_eq!((got[1].1.as_str(), got[0].1.as_str()), ("2019a", "2019b"));
        assert!(
            got[1].2.starts_with("Khan, M. (2019a). Alpha."),
            "{}",
            got[1].2
        );
        assert_eq!((got[3].1.as_str(), got[2].1.as_str()), ("n.d.-a", "n.d.-b"));
        assert!(
            got[2].2.starts_with("Khan, M. (n.d.-b). Gamma."),
            "{}",
            got[2].2
        );
    }

    #[test]
    fn namesakes_get_initials_in_every_year() {
        let got = site(&[
            (
                "One",
                article(
                    &["Akhtar, H.", "Ahmad, R. E.", "Sajid, M."],
                    Year::Known(2021),
                ),
            ),
            (
                "Two",
                article(&["Akhtar, N.", "Holland, K."], Year::Known(2023)),
            ),
        ]);
        assert_eq!(got[0].0, "H. Akhtar et al.");
        assert_eq!(got[1].0, "N. Akhtar & Holland");
        assert!(
            got[0]
                .2
                .starts_with("Akhtar, H., Ahmad, R. E., & Sajid, M. (2021)."),
            "{}",
            got[0].2
        );
    }

    #[test]
    fn colliding_et_al_forms_list_enough_names() {
        let got = site(&[
            (
                "One",
                article(&["Ma, H.", "Chen, L.", "Wu, Q."], Year::Known(2013)),
            ),
            (
                "Two",
                article(&["Ma, H.", "Li, P.", "Wu, Q.", "Xu, Y."], Year::Known(2013)),
            ),
            (
                "Three",
                article(&["Ma, H.", "Chen, L.", "Zhou, R."], Year::Known(2013)),
            ),
        ]);
        assert_eq!(got[0].0, "Ma, Chen, & Wu");
        assert_eq!(got[1].0, "Ma, Li, et al.");
        assert_eq!(got[2].0, "Ma, Chen, & Zhou");
        assert!(
            got[1]
                .2
                .starts_with("Ma, H., Li, P., Wu, Q., & Xu, Y. (2013)."),
            "the reference keeps every name"
        );
    }

    #[test]
    fn fast_formatter_matches_hayagriva_on_the_bundled_review() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = crate::load(&crate::LoadOptions {
            root,
            base_url: None,
        })
        .unwrap();
        let mut compared = 0;
        for note in site.notes.iter().filter(|n| n.source.is_some()) {
            if compare(&note.title, note.source.as_ref().unwrap()) {
                compared += 1;
            }
        }
        assert!(
            compared >= 30,
            "fast path covered only {compared} bundled sources"
        );
    }
}
