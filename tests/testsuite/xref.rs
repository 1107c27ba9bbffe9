//! Cross-references: citation forms and their APA text, wikilinks, tags and themes, backlinks,
//! the bibliography and its exports, and `gloss check`'s diagnostics.

use crate::common;

use common::{TestSite, attrs, stderr, stdout, texts};

/// A review with the citation cases of the issue.
fn review() -> TestSite {
    let site = TestSite::new();
    site.source("jabeen2009", &["Jabeen, M."], "2009", "Either you are with us or against us", "On 9/11.")
        .source("ali2023", &["Ali, I.", "Anwar, M. F."], "2023", "Pak-US relations", "History. See [[rath2011]].")
        .source("rath2011", &["Rath, S. K."], "2011", "Pakistan's double game", "Double game.")
        .source("plaw2011", &["Plaw, A.", "Fricker, M. S.", "Williams, B. G."], "2011", "Practice makes perfect?", "Drones.")
        .source("khan2019a", &["Khan, M."], "2019", "Beta study", "First.")
        .source("khan2019b", &["Khan, M."], "2019", "Alpha study", "Second.")
        .source("pew2012", &["Pew Research Center"], "n.d.", "Global attitudes", "Survey.")
        .write(
            "content/sources/tagged.md",
            "---\ntype: book\ntitle: \"Tagged only\"\nauthors: [\"Zed, Z.\"]\nyear: 2001\npublisher: \"Press\"\ndoi: \"10.1000/abc\"\ntags: [trust-deficit, drones, method-notes]\n---\nA book.\n",
        )
        .write(
            "content/themes/trust-deficit.md",
            "---\ntitle: The trust deficit\nsummary: Why trust fails.\ntags: [drones]\n---\n## History\n\nTrust fell after 2001 [@jabeen2009]. Page cite [@jabeen2009, p. 180].\nTwo works [@ali2023; @rath2011]. Year only [-@jabeen2009]. As @jabeen2009 argued.\n\nThree authors [@plaw2011]. Same year [@khan2019a; @khan2019b]. Organisation [@pew2012].\n",
        )
        .write(
            "content/themes/drones.md",
            "---\ntitle: Drone strikes\n---\nSee [[trust-deficit]], [[trust-deficit|the deficit]], [[trust-deficit#history]] and [[jabeen2009]].\nAlso [a relative link](trust-deficit.md) and [[about]].\n",
        )
        .write("content/about.md", "---\ntitle: About\n---\nMethod, with [a link](themes/drones.md).\n")
        .write("content/_index.md", "---\ntitle: Home\n---\nStart at [[trust-deficit]].\n");
    site
}

fn citation_texts(site: &TestSite, page: &str) -> Vec<String> {
    let html = site.html(page);
    texts(&html, ".prose .citation, .prose a.citation")
}

#[test]
fn citation_forms_render_in_apa() {
    let site = review();
    site.build_ok();
    let cites = citation_texts(&site, "themes/trust-deficit/index.html");
    assert_eq!(
        cites,
        [
            "(Jabeen, 2009)",
            "(Jabeen, 2009, p. 180)",
            "(Ali & Anwar, 2023; Rath, 2011)",
            "(2009)",
            "Jabeen (2009)",
            "(Plaw et al., 2011)",
            "(Khan, 2019a, 2019b)",
            "(Pew Research Center, n.d.)",
        ]
    );
}

#[test]
fn citations_link_to_their_source_with_the_full_reference_as_tooltip() {
    let site = review();
    site.build_ok();
    let html = site.html("themes/trust-deficit/index.html");
    let hrefs = attrs(&html, ".prose .citation a", "href");
    assert_eq!(hrefs[0], "/review/sources/jabeen2009/");
    assert!(hrefs.contains(&"/review/sources/rath2011/".to_string()));
    let titles = attrs(&html, ".prose .citation a", "title");
    assert!(
        titles[0].starts_with("Jabeen, M. (2009). Either you are with us or against us."),
        "{}",
        titles[0]
    );
}

#[test]
fn same_author_same_year_letters_agree_in_text_and_bibliography() {
    let site = review();
    site.build_ok();
    let source = site.html("sources/khan2019b/index.html");
    let reference = texts(&source, ".reference").join(" ");
    // APA orders same-author, same-year works by title: "Alpha study" (khan2019b) is 2019a.
    assert!(
        reference.starts_with("Khan, M. (2019a). Alpha study."),
        "{reference}"
    );
    let bib = site.html("bibliography/index.html");
    let entries = texts(&bib, ".bibliography .ref");
    let alpha = entries
        .iter()
        .position(|e| e.contains("(2019a). Alpha study"))
        .expect("2019a in bibliography");
    let beta = entries
        .iter()
        .position(|e| e.contains("(2019b). Beta study"))
        .expect("2019b in bibliography");
    assert!(alpha < beta);
}

#[test]
fn wikilinks_and_markdown_links_resolve() {
    let site = review();
    site.build_ok();
    let html = site.html("themes/drones/index.html");
    let links: Vec<(String, String)> = {
        let sel = scraper::Selector::parse(".prose a").unwrap();
        html.select(&sel)
            .map(|a| {
                (
                    a.text().collect::<String>(),
                    a.value().attr("href").unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let expected = [
        ("The trust deficit", "/review/themes/trust-deficit/"),
        ("the deficit", "/review/themes/trust-deficit/"),
        ("The trust deficit", "/review/themes/trust-deficit/#history"),
        ("Jabeen (2009)", "/review/sources/jabeen2009/"),
        ("a relative link", "/review/themes/trust-deficit/"),
        ("About", "/review/about/"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(links, expected);
    let about = site.html("about/index.html");
    assert_eq!(
        attrs(&about, ".prose a", "href"),
        ["/review/themes/drones/"]
    );
}

#[test]
fn backlinks_show_citing_notes_with_context_both_ways() {
    let site = review();
    site.build_ok();
    let source = site.html("sources/jabeen2009/index.html");
    // Grouped by the referring note's kind, then ordered by title; cited and linked together.
    assert_eq!(texts(&source, ".backlinks h3"), ["Themes 2"]);
    let from = texts(&source, ".backlinks .backlink-list li > a");
    assert_eq!(from, ["Drone strikes", "The trust deficit"]);
    let contexts = texts(&source, ".backlinks blockquote");
    assert!(
        contexts[0].contains("Jabeen (2009)") && !contexts[0].contains("jabeen2009"),
        "a bare [[key]] shows as the reader sees it: {contexts:?}"
    );
    assert!(
        contexts[1].contains("Trust fell after 2001 (Jabeen, 2009)."),
        "{contexts:?}"
    );
    assert_eq!(texts(&source, ".backlinks mark")[0], "Jabeen (2009)");
    assert_eq!(texts(&source, ".backlinks mark")[1], "(Jabeen, 2009)");
    // The other direction: a note lists what it cites.
    let ali = site.html("sources/ali2023/index.html");
    assert_eq!(texts(&ali, ".backlinks li > a"), ["The trust deficit"]);
    let rath = site.html("sources/rath2011/index.html");
    let linked = texts(&rath, ".backlinks li > a");
    assert!(
        linked.contains(&"Ali and Anwar (2023) Pak-US relations".to_string()),
        "{linked:?}"
    );
    let theme = site.html("themes/trust-deficit/index.html");
    let from: Vec<String> = texts(&theme, ".backlinks li > a");
    assert!(
        from.contains(&"Drone strikes".to_string()) && from.contains(&"Home".to_string()),
        "{from:?}"
    );
}

#[test]
fn theme_pages_list_tagged_notes_and_related_themes() {
    let site = review();
    site.build_ok();
    let theme = site.html("themes/trust-deficit/index.html");
    // One line each: the short form and the title.
    assert_eq!(texts(&theme, ".members li"), ["Zed (2001) Tagged only"]);
    assert_eq!(texts(&theme, ".related a"), ["Drone strikes 1"]);
    let tags = site.html("tags/index.html");
    let all = texts(&tags, ".tag-cloud a");
    assert!(all.contains(&"method-notes 1".to_string()), "{all:?}");
    assert!(all.contains(&"The trust deficit 1".to_string()), "{all:?}");
    let tag = site.html("tags/method-notes/index.html");
    assert_eq!(
        attrs(&tag, ".item-list a", "href"),
        ["/review/sources/tagged/"]
    );
    assert!(
        !site.out().join("tags/trust-deficit").exists(),
        "a tag naming a theme is the theme"
    );
}

#[test]
fn bibliography_is_in_apa_order_with_letters_filters_and_links() {
    let site = review();
    site.build_ok();
    let bib = site.html("bibliography/index.html");
    let keys = attrs(&bib, ".bibliography > li", "id");
    assert_eq!(
        keys,
        [
            "ref-ali2023",
            "ref-jabeen2009",
            "ref-khan2019b",
            "ref-khan2019a",
            "ref-pew2012",
            "ref-plaw2011",
            "ref-rath2011",
            "ref-tagged"
        ]
    );
    assert_eq!(texts(&bib, ".letter-bar a"), ["A", "J", "K", "P", "R", "Z"]);
    let tagged = texts(&bib, "#ref-tagged .ref").join("");
    assert!(tagged.contains("https://doi.org/10.1000/abc"), "{tagged}");
    // The reference is the APA entry as it is (tests/testsuite/apa.rs holds it to pandoc's), with its
    // DOI link; the entry's first link is its note.
    assert_eq!(
        attrs(&bib, "#ref-tagged .ref a", "href"),
        ["https://doi.org/10.1000/abc"]
    );
    assert_eq!(
        attrs(&bib, "#ref-tagged a", "href")[1],
        "/review/sources/tagged/"
    );
    assert_eq!(
        texts(&bib, "#ref-jabeen2009 .ref i"),
        ["Journal of Tests", "3"]
    );
    assert_eq!(attrs(&bib, "#ref-tagged", "data-type"), ["book"]);
    assert_eq!(attrs(&bib, "#ref-tagged", "data-decade"), ["2000s"]);
    assert_eq!(
        attrs(&bib, "#ref-jabeen2009 .ref-meta a", "href")[0],
        "/review/sources/jabeen2009/"
    );
    assert!(
        texts(&bib, "#ref-jabeen2009 .ref-meta")
            .join("")
            .contains("cited by 1 note")
    );
}

#[test]
fn exports_round_trip_to_the_notes() {
    let site = review();
    site.build_ok();
    let bib =
        biblatex::Bibliography::parse(&site.read_out("references.bib")).expect("valid BibTeX");
    assert_eq!(bib.len(), 8);
    let plaw = bib.get("plaw2011").unwrap();
    assert_eq!(plaw.entry_type, biblatex::EntryType::Article);
    let authors: Vec<String> = plaw
        .author()
        .unwrap()
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(authors, ["Plaw", "Fricker", "Williams"]);
    assert_eq!(
        plaw.title()
            .unwrap()
            .iter()
            .map(|c| c.v.get())
            .collect::<String>(),
        "Practice makes perfect?"
    );
    let pew = bib.get("pew2012").unwrap();
    assert_eq!(
        pew.author().unwrap()[0].name,
        "Pew Research Center",
        "an organisation stays whole"
    );
    assert!(pew.get("year").is_none(), "n.d. has no year");
    let tagged = bib.get("tagged").unwrap();
    assert_eq!(tagged.doi().unwrap(), "10.1000/abc");

    let items: Vec<gloss::CslItem> =
        serde_json::from_str(&site.read_out("references.json")).expect("CSL-JSON");
    assert_eq!(items.len(), 8);
    let ali = items.iter().find(|i| i.id == "ali2023").unwrap();
    assert_eq!(ali.kind, "article-journal");
    assert_eq!(ali.author[1].family.as_deref(), Some("Anwar"));
    assert_eq!(ali.author[1].given.as_deref(), Some("M. F."));
    assert_eq!(ali.issued.as_ref().unwrap().date_parts, [[2023]]);
    assert_eq!(
        (
            ali.volume.as_deref(),
            ali.issue.as_deref(),
            ali.page.as_deref()
        ),
        (Some("3"), Some("1"), Some("1–10"))
    );
    let pew = items.iter().find(|i| i.id == "pew2012").unwrap();
    assert_eq!(
        pew.author[0].literal.as_deref(),
        Some("Pew Research Center")
    );
    assert!(pew.issued.is_none());
}

#[test]
fn unknown_citation_key_fails_with_location_and_suggestion() {
    let site = review();
    site.write(
        "content/themes/drones.md",
        "---\ntitle: Drone strikes\n---\nIntro.\n\nA typo [@jabeen2008] here.\n",
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/themes/drones.md:6:8: error: citation key `jabeen2008` has no source note: did you mean jabeen2009?"),
        "{err}"
    );
    let check = site.check();
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("did you mean jabeen2009?"));
}

/// A link to a missing note, heading or file is a warning with a suggestion, and the page
/// reads on: the missing note is an unresolved link, the missing heading links to its note.
#[test]
fn broken_wikilinks_and_anchors_are_warnings_that_suggest() {
    let site = review();
    site.write("content/themes/drones.md", "---\ntitle: Drone strikes\n---\n[[trust-defecit]] [[trust-deficit#histroy]] [x](nope.md)\n");
    let err = stderr(&site.build_ok());
    assert!(err.contains("content/themes/drones.md:4:1: warning: wikilink [[trust-defecit]] points to no note: did you mean [[trust-deficit]]?"), "{err}");
    assert!(
        err.contains(
            "has no heading `#histroy`, so the link opens the note: did you mean #history?"
        ),
        "{err}"
    );
    assert!(
        err.contains("link to `themes/nope.md` points to no file"),
        "{err}"
    );
    let page = site.html("themes/drones/index.html");
    assert_eq!(texts(&page, ".prose .unresolved"), ["trust-defecit", "x"]);
    assert_eq!(
        attrs(&page, ".prose a", "href"),
        ["/review/themes/trust-deficit/"]
    );
}

#[test]
fn check_reports_warnings_without_writing() {
    let site = review();
    site.source("orphan2020", &["Orphan, O."], "2020", "Nobody cites me", "Alone.")
        .write(
            "content/sources/baddoi.md",
            "---\ntitle: Bad DOI\nauthors: [\"Doe, J.\"]\nyear: 2000\ndoi: \"doi 10-1-x\"\ntags: [trust-defict]\n---\n[@jabeen2009]\n",
        );
    let out = site.check();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("content/sources/orphan2020.md:1:1: warning: no note cites or links to source `orphan2020`"), "{report}");
    assert!(report.contains("content/sources/baddoi.md:5:1: warning: doi `doi 10-1-x` is not of the form 10.NNNN/suffix"), "{report}");
    assert!(report.contains("content/sources/baddoi.md:6:1: warning: tag `trust-defict` names no theme (probably a typo for `trust-deficit`)"), "{report}");
    assert!(
        report.contains("warning: tag `method-notes` names no theme"),
        "{report}"
    );
    assert!(
        report.trim_end().ends_with("0 errors, 4 warnings"),
        "{report}"
    );
    assert!(!site.out().exists(), "check writes nothing");
}

#[test]
fn check_warns_when_two_works_still_read_alike() {
    let site = review();
    // Same family names and year, different co-author initials: APA has no rule to separate
    // two-author works like these, so the reader sees "(Ma & Chen, 2013)" twice.
    site.source("ma2013", &["Ma, H.", "Chen, L."], "2013", "One", "x")
        .source("ma2013b", &["Ma, H.", "Chen, P."], "2013", "Two", "y")
        .write(
            "content/cites-ma.md",
            "---\ntitle: Ma\n---\n[@ma2013] and [@ma2013b].\n",
        );
    let report = stdout(&site.check());
    assert!(
        report.contains(
            "warning: in-text citation (Ma & Chen, 2013) is the same for `ma2013` and `ma2013b`"
        ),
        "{report}"
    );
}

/// "Cited by" has one definition everywhere: other notes citing the source (a source citing
/// itself does not count), on the source index as in the bibliography.
#[test]
fn cited_by_counts_agree_and_leave_out_self_citations() {
    let site = TestSite::new();
    site.source(
        "selfish2020",
        &["Self, S."],
        "2020",
        "On myself",
        "As I argued before [@selfish2020], and as @other2019 did.",
    )
    .source(
        "other2019",
        &["Other, O."],
        "2019",
        "On others",
        "Unrelated.",
    )
    .write(
        "content/themes/t.md",
        "---\ntitle: T\n---\nOne cite [@selfish2020], another [@selfish2020, p. 2].\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
    site.build_ok();
    let index = site.html("sources/index.html");
    let items = texts(&index, ".item-list li");
    let selfish = items.iter().find(|i| i.contains("On myself"));
    assert!(
        selfish.is_some_and(|i| i.ends_with("cited by 1")),
        "{items:?}"
    );
    let bibliography = site.html("bibliography/index.html");
    let metas = texts(&bibliography, ".ref-meta");
    assert!(
        metas.iter().any(|m| m.contains("cited by 1 note")),
        "{metas:?}"
    );
    assert!(!metas.iter().any(|m| m.contains("cited by 2")), "{metas:?}");
}
