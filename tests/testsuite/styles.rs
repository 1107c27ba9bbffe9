//! The citation styles other than APA, held to the reference implementation: the twelve works
//! of tests/fixtures/csl/styles-subset.json and the eighteen citations of styles-citations.txt,
//! built by gloss with `citation_style:` naming each bundled style (and naming the same style as
//! a `.csl` file in the site), against pandoc 3.9's citeproc with the same `.csl`
//! (tests/fixtures/csl/expected/<style>.json, made by generate.py there), entry by entry,
//! citation by citation and in the reference list's order, normalised only for whitespace and
//! markup. Where gloss's engine (hayagriva) prints otherwise, the case is listed in `KNOWN`
//! (or, when only the markup differs, `KNOWN_MARKUP`) with the reason; the test expects gloss's
//! form for exactly those. The same in German (`locale: de-DE`, the lines of
//! styles-citations.de-DE.txt) for IEEE and for DIN 1505-2, a style gloss does not bundle, read
//! from the site's own `.csl` file.

use crate::common;

use std::collections::BTreeMap;

use common::csl::{self, emphasis, fixture, markup, plain};
use serde_json::Value;

/// Where gloss and pandoc differ: (style, fixture, what gloss prints as plain text, why). A
/// fixture is a reference id or `line N` of styles-citations.txt.
const KNOWN: &[(&str, &str, &str, &str)] = &[
    (
        "ieee",
        "worldhealthorganization2020",
        "[9] World Health Organization, “World report on health literacy,” World Health Organization, 2020. [Online]. Available: https://example.org/who/health-literacy-2020",
        "hayagriva, like citeproc-js, prints [Online]. before the URL of a report; pandoc prints it only for the web page",
    ),
    (
        "ieee.de-DE",
        "worldhealthorganization2020",
        "[9] World Health Organization, „World report on health literacy“, World Health Organization, 2020. [Online]. Verfügbar unter: https://example.org/who/health-literacy-2020",
        "as in English: [Online]. before a report's URL",
    ),
    (
        "din-1505-2.de-DE",
        "ofori2020",
        "Ofori, S. X. E.: Funding models for open annotation infrastructure, Working Paper Series ( Nr. 128) : Institute for Reading Policy, 2020",
        "gloss spaces initials written together (S.X.E.) so that the engine reads three; pandoc prints a given name that the style does not initialise as written",
    ),
    (
        "din-1505-2.de-DE",
        "line 16",
        "(Lee, 2020a; a; Lee, 2020b; b)",
        "the style prints the year letter twice, in the date and as `year-suffix`: pandoc runs them together (2020aa), hayagriva sets the citation's delimiter between them",
    ),
    (
        "din-1505-2.de-DE",
        "line 17",
        "Lee (2020a, S. 7; a)",
        "as line 16",
    ),
    (
        "din-1505-2.de-DE",
        "line 18",
        "(Lee, 2020b, S. 3; b)",
        "as line 16",
    ),
];

/// Where the text is the same but the markup is not: (style, fixture, why). The text is still
/// compared.
const KNOWN_MARKUP: &[(&str, &str, &str)] = &[
    (
        "din-1505-2.de-DE",
        "haddad2022",
        "pandoc links a title to its DOI when the style prints none, and sets each name in small capitals on its own (gloss: the list, delimiters too)",
    ),
    ("din-1505-2.de-DE", "nguyen2020", "as haddad2022"),
    ("din-1505-2.de-DE", "okafor2018", "as haddad2022"),
    (
        "din-1505-2.de-DE",
        "lee2020",
        "pandoc links the title to its DOI",
    ),
    (
        "din-1505-2.de-DE",
        "lee2020a",
        "pandoc links the title to its DOI",
    ),
    (
        "din-1505-2.de-DE",
        "desouza2019",
        "the editors' small capitals, as haddad2022",
    ),
    (
        "din-1505-2.de-DE",
        "vanderberg2016",
        "pandoc links the title to its DOI",
    ),
    (
        "din-1505-2.de-DE",
        "worldhealthorganization2020",
        "pandoc links the title to its URL",
    ),
    (
        "din-1505-2.de-DE",
        "universityofcaliforniaberkeley2020",
        "hayagriva sets the period after an italic title in italics",
    ),
];

struct Outcome {
    exact: usize,
    known: usize,
    problems: Vec<String>,
}

/// Builds the subset with `site_yaml` (its `citation_style:`, a bundled name or a path, and any
/// `locale:`) and the citation lines of `lines`, and compares it with pandoc's output for
/// `expected` (a file of expected/, without `.json`).
fn compare(expected: &str, lines: &str, site_yaml: &str, extra_files: &[(&str, &str)]) -> Outcome {
    let want: Value = serde_json::from_str(&fixture(&format!("expected/{expected}.json"))).unwrap();
    let library: Vec<Value> = serde_json::from_str(&fixture("library.json")).unwrap();
    let subset: Value = serde_json::from_str(&fixture("styles-subset.json")).unwrap();
    let ids: Vec<&str> = subset["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let items: Vec<&Value> = ids
        .iter()
        .map(|id| library.iter().find(|i| i["id"] == *id).unwrap())
        .collect();
    let lines = fixture(lines);
    let lines: Vec<&str> = lines.lines().filter(|l| !l.trim().is_empty()).collect();
    let site = csl::site(&items, &lines, site_yaml);
    for (path, text) in extra_files {
        site.write(path, text);
    }
    let (refs, citations) = csl::built(&site);
    let known: BTreeMap<&str, &str> = KNOWN
        .iter()
        .filter(|(s, ..)| *s == expected)
        .map(|(_, fixture, form, _)| (*fixture, *form))
        .collect();
    let mut outcome = Outcome {
        exact: 0,
        known: 0,
        problems: Vec::new(),
    };
    // Entries are compared with their links, citations with their emphasis (gloss links each
    // work of a citation to its source).
    let mut check = |fixture: &str, ours: &str, theirs: &str| {
        let marks = |html: &str| {
            if fixture.starts_with("line ") {
                emphasis(html)
            } else {
                markup(html)
            }
        };
        let markup_known = KNOWN_MARKUP
            .iter()
            .any(|(s, f, _)| *s == expected && *f == fixture);
        let (want_text, want_markup) = match known.get(fixture) {
            Some(form) => (form.to_string(), None),
            None if markup_known => (plain(theirs), None),
            None => (plain(theirs), Some(marks(theirs))),
        };
        if plain(ours) != want_text {
            outcome.problems.push(format!(
                "{expected}: {fixture}\n  want {want_text}\n  got  {}",
                plain(ours)
            ));
        } else if markup_known && marks(ours) == marks(theirs) {
            outcome.problems.push(format!(
                "{expected}: {fixture} is in KNOWN_MARKUP but its markup now matches"
            ));
        } else if let Some(m) = want_markup {
            if marks(ours) == m {
                outcome.exact += 1;
            } else {
                outcome.problems.push(format!(
                    "{expected}: {fixture} (markup)\n  want {m}\n  got  {}",
                    marks(ours)
                ));
            }
        } else {
            outcome.known += 1;
        }
    };
    let want_refs = want["references"].as_array().unwrap();
    let got: BTreeMap<&str, &str> = refs.iter().map(|(k, h)| (k.as_str(), h.as_str())).collect();
    for r in want_refs {
        let id = r["id"].as_str().unwrap();
        check(
            id,
            got.get(id).copied().unwrap_or(""),
            r["html"].as_str().unwrap(),
        );
    }
    let want_citations = want["citations"].as_array().unwrap();
    assert_eq!(
        citations.len(),
        want_citations.len(),
        "one paragraph a line"
    );
    for (n, (ours, theirs)) in citations.iter().zip(want_citations).enumerate() {
        check(
            &format!("line {}", n + 1),
            ours,
            theirs["html"].as_str().unwrap(),
        );
    }
    let want_order: Vec<&str> = want_refs
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let got_order: Vec<&str> = refs.iter().map(|(id, _)| id.as_str()).collect();
    if got_order != want_order {
        outcome.problems.push(format!(
            "{expected}: order\n  want {}\n  got  {}",
            want_order.join(" "),
            got_order.join(" ")
        ));
    }
    outcome
}

fn assert_matches(style: &str) {
    assert_matches_in(style, None);
}

/// The style bundled and as a `.csl` file of the site, in `locale` (`None`: en-US, with the
/// lines of styles-citations.txt) against expected/<style>[.<locale>].json.
fn assert_matches_in(style: &str, locale: Option<&str>) {
    let (expected, lines, locale_yaml) = match locale {
        Some(l) => (
            format!("{style}.{l}"),
            format!("styles-citations.{l}.txt"),
            format!("locale: {l}\n"),
        ),
        None => (
            style.to_string(),
            "styles-citations.txt".into(),
            String::new(),
        ),
    };
    let bundled = compare(
        &expected,
        &lines,
        &format!("citation_style: {style}\n{locale_yaml}"),
        &[],
    );
    let csl_file = fixture(&format!("styles/{style}.csl"));
    let from_file = compare(
        &expected,
        &lines,
        &format!("citation_style: styles/mine.csl\n{locale_yaml}"),
        &[("styles/mine.csl", &csl_file)],
    );
    report(bundled, from_file);
}

fn report(first: Outcome, second: Outcome) {
    let problems: Vec<String> = first.problems.into_iter().chain(second.problems).collect();
    assert!(
        problems.is_empty(),
        "{} differences ({} exact, {} known):\n{}",
        problems.len(),
        first.exact,
        first.known,
        problems.join("\n")
    );
}

#[test]
fn chicago_author_date_matches_pandoc() {
    assert_matches("chicago-author-date");
}

#[test]
fn harvard_cite_them_right_matches_pandoc() {
    assert_matches("harvard-cite-them-right");
}

#[test]
fn ieee_matches_pandoc() {
    assert_matches("ieee");
}

#[test]
fn modern_language_association_matches_pandoc() {
    assert_matches("modern-language-association");
}

#[test]
fn ieee_in_german_matches_pandoc() {
    assert_matches_in("ieee", Some("de-DE"));
}

/// A style gloss does not bundle, from the site's own `.csl` file: with `locale: de-DE`, and
/// with no locale (the style's own `default-locale` is de-DE).
#[test]
fn a_style_of_the_sites_own_matches_pandoc() {
    let csl_file = fixture("styles/din-1505-2.csl");
    let files = [("styles/din-1505-2.csl", csl_file.as_str())];
    let lines = "styles-citations.de-DE.txt";
    let chosen = compare(
        "din-1505-2.de-DE",
        lines,
        "citation_style: styles/din-1505-2.csl\nlocale: de-DE\n",
        &files,
    );
    let its_own = compare(
        "din-1505-2.de-DE",
        lines,
        "citation_style: styles/din-1505-2.csl\n",
        &files,
    );
    report(chosen, its_own);
}

// What a reader and a writer see of a site in another style: the bibliography page, the
// exports, and the errors of a style that cannot be used.

/// The fixture subset's site in `site_yaml`'s style, built.
fn subset_site(site_yaml: &str) -> common::TestSite {
    let library: Vec<Value> = serde_json::from_str(&fixture("library.json")).unwrap();
    let subset: Value = serde_json::from_str(&fixture("styles-subset.json")).unwrap();
    let items: Vec<&Value> = subset["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| library.iter().find(|i| i["id"] == *id).unwrap())
        .collect();
    let lines = fixture("styles-citations.txt");
    let lines: Vec<&str> = lines.lines().filter(|l| !l.trim().is_empty()).collect();
    let site = csl::site(&items, &lines, site_yaml);
    site.build_ok();
    site
}

fn select<'a>(html: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// IEEE's bibliography page: one list, no letters, the works numbered 1 to 10 in the order of
/// their first citations (pandoc's order), each entry opening with its number and its
/// annotation a link away; the summary names the style.
#[test]
fn a_numeric_styles_bibliography_page_is_one_list_in_citation_order() {
    let site = subset_site("citation_style: ieee\n");
    let page = site.html("bibliography/index.html");
    assert!(select(&page, ".letter-bar").is_empty(), "no letter bar");
    assert!(select(&page, "section.letter, h2[id^='letter-']").is_empty());
    let lists = select(&page, "ol.bibliography");
    assert_eq!(lists.len(), 1, "one list");
    let want: Value = serde_json::from_str(&fixture("expected/ieee.json")).unwrap();
    let order: Vec<String> = want["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("ref-{}", r["id"].as_str().unwrap()))
        .collect();
    let items = select(&page, "ol.bibliography > li");
    let ids: Vec<&str> = items
        .iter()
        .map(|li| li.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids, order);
    for (n, li) in items.iter().enumerate() {
        let reference = text(&select_in(li, ".ref")[0]);
        assert!(
            reference.starts_with(&format!("[{}] ", n + 1)),
            "entry {} reads {reference}",
            n + 1
        );
        let key = &li.value().attr("id").unwrap()["ref-".len()..];
        let links: Vec<&str> = select_in(li, ".ref-meta a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(
            links.contains(&format!("/review/sources/{key}/").as_str()),
            "{links:?}"
        );
    }
    let summary = text(&select(&page, ".summary")[0]);
    assert!(
        summary.contains("IEEE Reference Guide") && !summary.contains("APA"),
        "{summary}"
    );
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    e.select(&scraper::Selector::parse(css).unwrap()).collect()
}

/// Chicago's bibliography page: a section per letter that entries are printed with, in the
/// letter bar's order, each entry filed under its first letter (van der Berg under B, as
/// Chicago prints him: `Berg, Pieter van der`), the entries in the style's (pandoc's) order.
#[test]
fn an_author_date_styles_bibliography_page_is_grouped_by_printed_letter() {
    let site = subset_site("citation_style: chicago-author-date\n");
    let page = site.html("bibliography/index.html");
    let bar: Vec<String> = select(&page, ".letter-bar a").iter().map(text).collect();
    let sections = select(&page, "section.letter");
    let headings: Vec<String> = sections
        .iter()
        .map(|s| text(&select_in(s, "h2")[0]))
        .collect();
    assert_eq!(bar, headings);
    assert_eq!(
        headings,
        ["B", "H", "L", "N", "O", "S", "T", "U", "W"].map(String::from)
    );
    let mut order = Vec::new();
    for (section, letter) in sections.iter().zip(&headings) {
        for li in select_in(section, "li") {
            let reference = text(&select_in(&li, ".ref")[0]);
            assert!(
                reference.to_uppercase().starts_with(letter.as_str()),
                "{reference} under {letter}"
            );
            order.push(li.value().attr("id").unwrap()["ref-".len()..].to_string());
        }
    }
    let want: Value = serde_json::from_str(&fixture("expected/chicago-author-date.json")).unwrap();
    let pandoc: Vec<&str> = want["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, pandoc);
}

/// The exports are the sources' data: the same bytes whatever the style.
#[test]
fn the_exports_do_not_depend_on_the_style() {
    let apa = subset_site("");
    for style in ["ieee", "chicago-author-date"] {
        let other = subset_site(&format!("citation_style: {style}\n"));
        for file in ["references.bib", "references.json"] {
            assert!(
                apa.read_out(file) == other.read_out(file),
                "{file} differs in {style}"
            );
        }
    }
}

/// `gloss build` and `gloss check` of a site whose style cannot be used: exit 1, one located
/// line (the previous output left as it was).
fn refused(site_yaml: &str) -> String {
    let site = common::TestSite::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    site.build_ok();
    let before = site.read_out("index.html");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}{site_yaml}"));
    let build = site.build();
    let check = site.check();
    assert_eq!(build.status.code(), Some(1), "{}", common::stderr(&build));
    assert_eq!(check.status.code(), Some(1), "{}", common::stderr(&check));
    let message = common::stderr(&build);
    assert_eq!(message, common::stderr(&check), "build and check agree");
    assert_eq!(
        site.read_out("index.html"),
        before,
        "the output is untouched"
    );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert_eq!(lines[1], "1 error, 0 warnings");
    lines[0].to_string()
}

#[test]
fn an_unknown_style_is_an_error_naming_the_bundled_styles() {
    let line = refused("citation_style: iee\n");
    assert!(
        line.starts_with("site.yaml:4:1: error: `iee` is neither a bundled citation style nor a .csl file: did you mean ieee? "),
        "{line}"
    );
    for style in [
        "chicago-author-date",
        "harvard-cite-them-right",
        "institute-of-electrical-and-electronics-engineers (ieee)",
        "modern-language-association (mla, modern-language-association-8, mla-8)",
        "apa (the default, gloss's own)",
    ] {
        assert!(line.contains(style), "{style} not named: {line}");
    }
    assert!(
        !line.contains("chicago-notes"),
        "note styles cannot be used: {line}"
    );
}

#[test]
fn an_unknown_locale_is_an_error_naming_the_locales() {
    let line = refused("citation_style: ieee\nlocale: xx-YY\n");
    assert!(
        line.starts_with("site.yaml:5:1: error: locale `xx-YY` is not one of the CSL locales gloss has: use one of "),
        "{line}"
    );
    for locale in ["de-DE", "en-GB", "fr-FR", "ja-JP"] {
        assert!(line.contains(locale), "{locale}: {line}");
    }
}

/// A bundled name is found in any case, and a locale by its language alone.
#[test]
fn style_names_and_locales_are_found_as_people_write_them() {
    let site = subset_site("citation_style: IEEE\nlocale: de\n");
    let page = site.html("citations/index.html");
    let citations: Vec<String> = select(&page, ".prose p .citation")
        .iter()
        .map(text)
        .collect();
    assert!(
        citations.contains(&"[4], p. 550".to_string())
            || citations.contains(&"[4, S. 550]".to_string()),
        "{citations:?}"
    );
}
