//! Notes huge in one way (issue 17): one paragraph of thousands of citations, one cluster of
//! thousands of works, thousands of wikilinks in a paragraph, thousands of headings of one text,
//! a table of thousands of rows, a note of megabytes. Each is built by the real binary and its
//! pages are read back: every reference is there and points where it should, the cited sources
//! list the note with a short passage, and nothing is cut from the page. The sizes are smaller
//! than the (a debug build is slow); `bench/huge_inputs.py` builds the full sizes with
//! the release binary and prints how long each takes.

use crate::common;

use common::{TestSite, attrs, stderr, texts};
use std::process::Output;

use scraper::{Html, Selector};

/// The sources every note here cites, round robin: `s0` … `s49`.
const SOURCES: usize = 50;

/// A site holding the sources and `content/huge.md` with `body`, built; and what the build said.
fn build(body: &str) -> (TestSite, Output) {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nThe home page.\n",
    );
    for k in 0..SOURCES {
        site.source(
            &format!("s{k}"),
            &[&format!("Author{k}, A.")],
            &(2000 + k % 25).to_string(),
            &format!("Source number {k}"),
            &format!("Annotation of source {k}."),
        );
    }
    site.write(
        "content/huge.md",
        &format!("---\ntitle: The huge note\n---\n{body}"),
    );
    let out = site.build_ok();
    (site, out)
}

fn source_url(k: usize) -> String {
    format!("/review/sources/s{k}/")
}

fn in_text(k: usize) -> String {
    format!("Author{k}, {}", 2000 + k % 25)
}

/// The note's entries among the backlinks of source `k`'s page: (link, passages as text, the
/// marked part of each passage).
fn backlinks_of(site: &TestSite, k: usize) -> Vec<(String, Vec<String>, Vec<String>)> {
    let page = site.html(&format!("sources/s{k}/index.html"));
    let item = Selector::parse("section.backlinks li").unwrap();
    let link = Selector::parse("a").unwrap();
    let quote = Selector::parse("blockquote").unwrap();
    let mark = Selector::parse("mark").unwrap();
    let text = |e: scraper::ElementRef<'_>| e.text().collect::<String>();
    page.select(&item)
        .map(|li| {
            let href = li.select(&link).next().unwrap().value().attr("href");
            let quotes: Vec<_> = li.select(&quote).collect();
            (
                href.unwrap().to_string(),
                quotes.iter().map(|q| text(*q)).collect(),
                quotes
                    .iter()
                    .flat_map(|q| q.select(&mark).map(text))
                    .collect(),
            )
        })
        .collect()
}

/// Source `k`'s page lists the huge note, once, with at most two passages, each short (the
/// paragraph it comes from is hundreds of thousands of characters) and marking `marked`.
fn assert_bounded_backlink(site: &TestSite, k: usize, marked: &str) {
    let backlinks = backlinks_of(site, k);
    assert_eq!(backlinks.len(), 1, "{backlinks:?}");
    let (href, passages, marks) = &backlinks[0];
    assert_eq!(href, "/review/huge/");
    assert!(!passages.is_empty() && passages.len() <= 2, "{passages:?}");
    for p in passages {
        assert!(
            p.chars().count() < 2_000,
            "a passage of {} characters",
            p.len()
        );
    }
    assert!(
        marks.iter().any(|m| m == marked),
        "{marks:?} has no {marked}"
    );
}

/// The `href` of every link in the note's text (its prose), in order.
fn prose_links(page: &Html, css: &str) -> Vec<String> {
    attrs(page, &format!(".prose {css}"), "href")
}

#[test]
fn a_paragraph_of_many_citations_links_each_to_its_source() {
    const N: usize = 20_000;
    let body: Vec<String> = (0..N).map(|i| format!("[@s{}]", i % SOURCES)).collect();
    let (site, _) = build(&format!("{}\n", body.join(" ")));
    let page = site.html("huge/index.html");
    let links = prose_links(&page, "span.citation a");
    assert_eq!(links.len(), N);
    for (i, href) in links.iter().enumerate() {
        assert_eq!(*href, source_url(i % SOURCES), "citation {i}");
    }
    let shown = texts(&page, ".prose span.citation");
    assert_eq!(shown[0], format!("({})", in_text(0)));
    assert_eq!(shown[N - 1], format!("({})", in_text((N - 1) % SOURCES)));
    // The reference list names each work once.
    assert_eq!(texts(&page, ".reference-list li").len(), SOURCES);
    for k in [0, 7, SOURCES - 1] {
        assert_bounded_backlink(&site, k, &format!("({})", in_text(k)));
    }
}

#[test]
fn one_cluster_of_many_works_is_one_citation_linking_each() {
    const N: usize = 20_000;
    let items: Vec<String> = (0..N).map(|i| format!("@s{}", i % SOURCES)).collect();
    let (site, _) = build(&format!("[{}]\n", items.join("; ")));
    let page = site.html("huge/index.html");
    assert_eq!(texts(&page, ".prose span.citation").len(), 1);
    let links = prose_links(&page, "span.citation a");
    assert_eq!(links.len(), N);
    for k in 0..SOURCES {
        let to_k = links.iter().filter(|h| **h == source_url(k)).count();
        assert_eq!(to_k, N / SOURCES, "links to s{k}");
    }
    // A source's passage names the cluster's first works, then "…".
    let backlinks = backlinks_of(&site, 3);
    assert_eq!(backlinks.len(), 1);
    let (_, passages, marks) = &backlinks[0];
    assert_eq!(passages.len(), 1);
    assert!(passages[0].chars().count() < 2_000, "{}", passages[0].len());
    assert!(
        marks[0].starts_with(&format!("({}", in_text(0))) && marks[0].ends_with("; …)"),
        "{marks:?}"
    );
}

#[test]
fn a_paragraph_of_many_wikilinks_resolves_every_one() {
    const N: usize = 20_000;
    let body: Vec<String> = (0..N)
        .map(|i| match i % 2 {
            0 => format!("[[s{}]]", i % SOURCES),
            _ => format!("[[s{}|text {i}]]", i % SOURCES),
        })
        .collect();
    let (site, _) = build(&format!("{}\n", body.join(" ")));
    let page = site.html("huge/index.html");
    assert!(texts(&page, ".prose .unresolved").is_empty());
    let links = prose_links(&page, "a");
    assert_eq!(links.len(), N);
    for (i, href) in links.iter().enumerate() {
        assert_eq!(*href, source_url(i % SOURCES), "link {i}");
    }
    let shown = texts(&page, ".prose a");
    assert_eq!(shown[0], "Author0 (2000)");
    assert_eq!(shown[N - 1], format!("text {}", N - 1));
    assert_bounded_backlink(&site, 0, "Author0 (2000)");
}

#[test]
fn thousands_of_headings_of_one_text_get_unique_ids_and_a_table_of_contents() {
    const N: usize = 2_000;
    let sections: String = (0..N)
        .map(|i| format!("## Notes\n\nText of section {i} [@s{}].\n\n", i % SOURCES))
        .collect();
    let toc: String = (1..N)
        .map(|i| format!("- [[#notes-{i}|section {i}]]\n"))
        .collect();
    let (site, _) = build(&format!("{sections}{toc}"));
    let page = site.html("huge/index.html");
    let ids = attrs(&page, ".prose h2", "id");
    assert_eq!(ids.len(), N);
    assert_eq!(ids[0], "notes");
    for (i, id) in ids.iter().enumerate().skip(1) {
        assert_eq!(*id, format!("notes-{i}"));
    }
    let contents = attrs(&page, "nav.toc a", "href");
    let expected: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    assert_eq!(contents, expected);
    // Every link to a section reaches it.
    let to_sections = prose_links(&page, "li a");
    assert_eq!(to_sections.len(), N - 1);
    for (i, href) in to_sections.iter().enumerate() {
        assert_eq!(*href, format!("/review/huge/#notes-{}", i + 1));
    }
}

#[test]
fn a_table_of_thousands_of_rows_keeps_every_row_and_reference() {
    const N: usize = 2_000;
    let rows: String = (0..N)
        .map(|i| {
            format!(
                "| row {i} | [@s{}] | [[s{}]] |\n",
                i % SOURCES,
                (i + 1) % SOURCES
            )
        })
        .collect();
    let (site, _) = build(&format!("| name | cited | linked |\n|---|---|---|\n{rows}"));
    let page = site.html("huge/index.html");
    let row = Selector::parse(".prose table tbody tr").unwrap();
    let cell = Selector::parse("td").unwrap();
    let link = Selector::parse("a").unwrap();
    let rows: Vec<_> = page.select(&row).collect();
    assert_eq!(rows.len(), N);
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<_> = r.select(&cell).collect();
        assert_eq!(cells.len(), 3, "row {i}");
        assert_eq!(cells[0].text().collect::<String>(), format!("row {i}"));
        let href = |c: usize| {
            let a = cells[c].select(&link).next();
            a.and_then(|a| a.value().attr("href")).map(str::to_string)
        };
        assert_eq!(href(1), Some(source_url(i % SOURCES)));
        assert_eq!(href(2), Some(source_url((i + 1) % SOURCES)));
    }
    assert_bounded_backlink(&site, 5, &format!("({})", in_text(5)));
}

/// A note of megabytes builds whole; the search index reads its first 4 MiB, and the build
/// says so, naming the note.
#[test]
fn a_note_of_megabytes_builds_whole_and_is_searched_in_its_beginning() {
    let mut body = String::new();
    let mut paragraphs = 0;
    while body.len() < 2_000_000 {
        let k = paragraphs % SOURCES;
        if paragraphs % 50 == 0 {
            body.push_str(&format!("## Section {}\n\n", paragraphs / 50));
        }
        body.push_str(&format!(
            "Paragraph {paragraphs} on trust and aid [@s{k}, p. {}]. **Drones** and sovereignty \
             [[s{}]], as @s{} said.\n\n",
            paragraphs % 300,
            (k + 1) % SOURCES,
            (k + 2) % SOURCES
        ));
        paragraphs += 1;
    }
    let (site, out) = build(&body);
    let warnings: Vec<&str> = std::str::from_utf8(&out.stderr)
        .unwrap()
        .lines()
        .filter(|l| l.contains("search finds only"))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/huge.md: warning: this note's page is over 4 MiB: search finds only what its first 4 MiB hold"
        ],
        "{}",
        stderr(&out)
    );
    let page = site.html("huge/index.html");
    let shown = texts(&page, ".prose p");
    assert_eq!(shown.len(), paragraphs);
    assert!(
        shown[paragraphs - 1].starts_with(&format!("Paragraph {}", paragraphs - 1)),
        "{}",
        shown[paragraphs - 1]
    );
    assert_eq!(texts(&page, ".prose h2").len(), paragraphs.div_ceil(50));
    assert_eq!(prose_links(&page, "span.citation a").len(), paragraphs);
    assert!(site.out().join("search/entry.json").is_file());
    // Paragraph 7 is the first to mention s9: `as @s9 said`.
    assert_bounded_backlink(&site, 9, "Author9 (2009)");
}
