//! The views of the whole review: the synthesis matrix and its CSV, the timeline, the citation
//! graph (global and local), the themes' sparklines and the home page's "at a glance". Each test
//! builds a site with the real binary and reads what a reader gets; the expectations are written
//! by hand from the notes below, or taken from other pages of the same build (the references of
//! a theme page, the tags of a source page), never from the views themselves.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TestSite, attrs, repo_root, stderr, texts};
use scraper::{ElementRef, Html, Selector};

/// Two themes and five sources. `drones` cites Ahmed twice, Baig and Chen once; `trust` cites
/// Chen; Ahmed's annotation cites Dar. Ahmed and Chen are tagged `drones`, Chen and Ejaz `trust`.
/// Dar and Ejaz are cited by no theme. A chronology holds two dated events.
fn site() -> TestSite {
    let site = TestSite::new();
    let source = |key: &str, author: &str, year: &str, kind: &str, tags: &str, body: &str| {
        format!(
            "---\ntype: {kind}\ntitle: \"Work of {key}\"\nauthors: [\"{author}\"]\nyear: {year}\ncontainer: \"Journal\"\npublisher: \"Press\"\ntags: [{tags}]\n---\n{body}\n"
        )
    };
    site.write("content/sources/ahmed2001.md", &source("ahmed2001", "Ahmed, A.", "2001", "article", "drones", "Builds on [@dar]."))
        .write("content/sources/baig1995.md", &source("baig1995", "Baig, B.", "1995", "article", "", "An early study."))
        .write("content/sources/chen2010.md", &source("chen2010", "Chen, C.", "2010", "article", "trust, drones", "A synthesis."))
        .write("content/sources/dar.md", &source("dar", "Dar, D.", "n.d.", "report", "", "Undated."))
        .write("content/sources/ejaz2010.md", &source("ejaz2010", "Ejaz, E.", "2010", "book", "trust", "Tagged, never cited."))
        .write(
            "content/themes/drones.md",
            "---\ntitle: Drone strikes\nweight: 1\n---\nEarly work [@baig1995]. Later [@ahmed2001; @chen2010, p. 3]. Again @ahmed2001.\n",
        )
        .write(
            "content/themes/trust.md",
            "---\ntitle: Trust\nweight: 2\n---\nA short theme [@chen2010].\n",
        )
        .write(
            "content/chronology.md",
            "---\ntitle: Chronology\nevents:\n  - date: \"1995-03\"\n    title: \"An event in 1995\"\n    cites: [baig1995]\n  - date: \"2005\"\n    title: \"A later event\"\n---\nA chronology.\n",
        )
        .write("content/_index.md", "---\ntitle: Home\n---\nStart at [[drones]].\n");
    site
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).collect()
}

fn text(e: &ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each row's theme cells as (class, spoken text), by the row's source link.
type Rows = BTreeMap<String, Vec<(String, String)>>;

/// The matrix as the page shows it: for each row's source link, the (class, spoken text) of each
/// theme cell, with the theme links of the header.
fn matrix_cells(html: &Html) -> (Vec<String>, Rows) {
    let themes = attrs(html, "#matrix thead th.m-theme a", "href");
    let mut rows = BTreeMap::new();
    let cell = Selector::parse("td").unwrap();
    let link = Selector::parse("th a").unwrap();
    let spoken = Selector::parse(".vh").unwrap();
    for row in select(html, "#matrix tbody tr") {
        let href = row
            .select(&link)
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        // The first two cells are the year and the number of themes.
        let cells: Vec<(String, String)> = row
            .select(&cell)
            .skip(2)
            .map(|td| {
                let class = td.value().attr("class").unwrap_or("").to_string();
                let said = td.select(&spoken).map(|s| text(&s)).collect::<String>();
                (class, said)
            })
            .collect();
        assert_eq!(cells.len(), themes.len(), "{href}: a cell per theme");
        rows.insert(href, cells);
    }
    (themes, rows)
}

#[test]
fn the_matrix_cells_are_the_sites_citations_and_tags() {
    let site = site();
    site.build_ok();
    let html = site.html("matrix/index.html");
    let (themes, rows) = matrix_cells(&html);
    assert_eq!(themes, ["/review/themes/drones/", "/review/themes/trust/"]);
    let c = |class: &str, said: &str| (class.to_string(), said.to_string());
    let none = c("", "");
    let expected: Rows = [
        (
            "ahmed2001",
            vec![c("m-both", "cited 2 times, tagged"), none.clone()],
        ),
        ("baig1995", vec![c("m-cited", "cited 1 time"), none.clone()]),
        (
            "chen2010",
            vec![
                c("m-both", "cited 1 time, tagged"),
                c("m-both", "cited 1 time, tagged"),
            ],
        ),
        ("dar", vec![none.clone(), none.clone()]),
        ("ejaz2010", vec![none.clone(), c("m-tagged", "tagged")]),
    ]
    .into_iter()
    .map(|(k, v)| (format!("/review/sources/{k}/"), v))
    .collect();
    assert_eq!(rows, expected);
    // Rows in reference-list order, the sources no theme cites marked and named.
    assert_eq!(
        texts(&html, "#matrix tbody th a"),
        [
            "Ahmed (2001)",
            "Baig (1995)",
            "Chen (2010)",
            "Dar (n.d.)",
            "Ejaz (2010)"
        ]
    );
    assert_eq!(
        attrs(&html, "#matrix tbody tr.gap th a", "href"),
        ["/review/sources/dar/", "/review/sources/ejaz2010/"]
    );
    let gaps = texts(&html, ".matrix-gaps p").join(" ");
    assert!(gaps.contains("2 sources no theme cites"), "{gaps}");
    assert_eq!(
        texts(&html, ".matrix-gaps a")[..2],
        ["Dar (n.d.)", "Ejaz (2010)"]
    );
    // The totals under each column: sources cited, sources tagged.
    assert_eq!(
        texts(&html, "#matrix tfoot tr:first-child td.m-total"),
        ["3", "1"]
    );
    assert_eq!(
        texts(&html, "#matrix tfoot tr:last-child td.m-total"),
        ["2", "2"]
    );
    // The phone's list per theme holds the same marks.
    let lists = texts(&html, ".matrix-lists li");
    assert_eq!(
        lists,
        [
            "◉ 2 Ahmed (2001) — cited 2 times, tagged",
            "● 1 Baig (1995) — cited 1 time",
            "◉ 1 Chen (2010) — cited 1 time, tagged",
            "◉ 1 Chen (2010) — cited 1 time, tagged",
            "○ Ejaz (2010) — tagged",
        ]
    );
}

/// On the bundled review, the matrix agrees with the other pages of the same build: a theme's
/// cells marked "cited" are exactly the works of its reference list, how often is the number of
/// citation links to the work in its text, and "tagged" is exactly the source page's theme tags.
#[test]
fn the_bundled_reviews_matrix_agrees_with_its_theme_and_source_pages() {
    let site = TestSite::new();
    let out = site.root().join("public");
    let output = site.gloss(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://x.github.io/review/",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let matrix = site.html("matrix/index.html");
    let (themes, rows) = matrix_cells(&matrix);
    assert_eq!(rows.len(), 47);
    assert_eq!(themes.len(), 16);
    let page = |url: &str| site.html(&format!("{}index.html", url.trim_start_matches("/review/")));
    for (c, theme) in themes.iter().enumerate() {
        let html = page(theme);
        let references: BTreeSet<String> = attrs(&html, ".references li a.ref-note", "href")
            .into_iter()
            .collect();
        let mut links: BTreeMap<String, usize> = BTreeMap::new();
        for href in attrs(&html, ".prose .citation a, .prose a.citation", "href") {
            *links.entry(href).or_default() += 1;
        }
        for (source, cells) in &rows {
            let (class, said) = &cells[c];
            let cited = class == "m-cited" || class == "m-both";
            assert_eq!(
                cited,
                references.contains(source),
                "{theme} × {source}: {class}"
            );
            if cited {
                let n = links[source];
                let times = if n == 1 {
                    "1 time".to_string()
                } else {
                    format!("{n} times")
                };
                assert!(
                    said.starts_with(&format!("cited {times}")),
                    "{theme} × {source}: {said}"
                );
            }
        }
    }
    for (source, cells) in &rows {
        let tags: BTreeSet<String> = attrs(&page(source), ".note-header .tag-list a", "href")
            .into_iter()
            .collect();
        for (c, theme) in themes.iter().enumerate() {
            let tagged = cells[c].0 == "m-tagged" || cells[c].0 == "m-both";
            assert_eq!(tagged, tags.contains(theme), "{source} tagged {theme}");
        }
    }
}

#[test]
fn the_csv_parses_back_to_the_matrix() {
    let site = site();
    site.build_ok();
    let text = site.read_out("matrix.csv");
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "key",
            "citation",
            "year",
            "type",
            "title",
            "url",
            "themes citing",
            "themes tagging",
            "Drone strikes: cites",
            "Drone strikes: tagged",
            "Trust: cites",
            "Trust: tagged",
        ]
    );
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let row = |key: &str, citation: &str, year: &str, kind: &str, counts: [&str; 6]| {
        let mut r = vec![
            key.to_string(),
            citation.to_string(),
            year.to_string(),
            kind.to_string(),
            format!("Work of {key}"),
            format!("https://x.github.io/review/sources/{key}/"),
        ];
        r.extend(counts.iter().map(|c| c.to_string()));
        r
    };
    assert_eq!(
        records,
        [
            row(
                "ahmed2001",
                "Ahmed (2001)",
                "2001",
                "article",
                ["1", "1", "2", "1", "0", "0"]
            ),
            row(
                "baig1995",
                "Baig (1995)",
                "1995",
                "article",
                ["1", "0", "1", "0", "0", "0"]
            ),
            row(
                "chen2010",
                "Chen (2010)",
                "2010",
                "article",
                ["2", "2", "1", "1", "1", "1"]
            ),
            row(
                "dar",
                "Dar (n.d.)",
                "n.d.",
                "report",
                ["0", "0", "0", "0", "0", "0"]
            ),
            row(
                "ejaz2010",
                "Ejaz (2010)",
                "2010",
                "book",
                ["0", "1", "0", "0", "0", "1"]
            ),
        ]
    );
}

#[test]
fn a_title_with_a_comma_or_quotes_survives_the_csv() {
    let site = site();
    site.write(
        "content/sources/baig1995.md",
        "---\ntype: article\ntitle: 'Drones, \"targeted\" killing, and law'\nauthors: [\"Baig, B.\"]\nyear: 1995\ncontainer: \"J\"\n---\nText.\n",
    );
    site.build_ok();
    let text = site.read_out("matrix.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[4].to_string())
        .collect();
    assert_eq!(titles[1], "Drones, \"targeted\" killing, and law");
}

/// The centre x of every mark linking to `href`, from the timeline's SVG.
fn dot_x(html: &Html) -> BTreeMap<String, Vec<f64>> {
    let mut x: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let circle = Selector::parse("circle").unwrap();
    for a in select(html, "svg.timeline a") {
        if let Some(c) = a.select(&circle).next() {
            let cx: f64 = c.value().attr("cx").unwrap().parse().unwrap();
            x.entry(a.value().attr("href").unwrap().to_string())
                .or_default()
                .push(cx);
        }
    }
    x
}

#[test]
fn the_timelines_marks_sit_at_their_sources_years() {
    let site = site();
    site.build_ok();
    let html = site.html("timeline/index.html");
    let x = dot_x(&html);
    let at = |key: &str| {
        let xs = &x[&format!("/review/sources/{key}/")];
        assert_eq!(xs.len(), 1, "{key}: one mark");
        xs[0]
    };
    // One mark per source, on a linear axis of years; undated works after every year.
    assert_eq!(x.len(), 5, "{x:?}");
    let per_year = (at("chen2010") - at("baig1995")) / 15.0;
    assert!(per_year > 0.0);
    assert!(
        (at("ahmed2001") - at("baig1995") - 6.0 * per_year).abs() < 0.2,
        "{x:?}"
    );
    assert_eq!(at("chen2010"), at("ejaz2010"), "same year, same column");
    assert!(at("dar") > at("chen2010"));
    // Each mark names its source and its type.
    let titles = texts(&html, "svg.timeline a > title");
    assert!(
        titles.contains(&"Ahmed (2001) Work of ahmed2001 (article)".to_string()),
        "{titles:?}"
    );
    // The events, on the same axis: March 1995 in Baig's column, 2005 four years after Ahmed.
    let events = select(&html, "svg.timeline polygon.event");
    assert_eq!(events.len(), 2);
    let centre = |p: &ElementRef| {
        let points = p.value().attr("points").unwrap();
        let first: Vec<f64> = points
            .split(' ')
            .next()
            .unwrap()
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        first[0]
    };
    assert!((centre(&events[0]) - at("baig1995")).abs() < per_year / 2.0);
    assert!((centre(&events[1]) - at("ahmed2001") - 4.0 * per_year).abs() < 0.2);
    let event_titles: Vec<String> = texts(&html, "svg.timeline a:has(polygon) > title");
    assert_eq!(
        event_titles,
        ["1995-03: An event in 1995", "2005: A later event"]
    );
    // The list says the same in words.
    assert_eq!(
        texts(&html, ".year-list dt"),
        ["1995", "2001", "2005", "2010", "n.d."]
    );
    let year = |n: usize| texts(&html, &format!(".year-list dd:nth-of-type({n}) li"));
    assert_eq!(
        year(1),
        [
            "Baig (1995) Work of baig1995 article",
            "event 1995-03 An event in 1995 (Baig (1995))"
        ]
    );
    assert_eq!(
        year(4),
        [
            "Chen (2010) Work of chen2010 article",
            "Ejaz (2010) Work of ejaz2010 book"
        ]
    );
    assert_eq!(year(5), ["Dar (n.d.) Work of dar report"]);
    // The legend counts the types.
    assert_eq!(
        texts(&html, ".legend li"),
        [
            "article 3",
            "book 1",
            "report 1",
            "event 2, from Chronology"
        ]
    );
}

/// `events:` need not be a plain key at the start of a line: written in a flow mapping
/// (`{title: …, events: […]}`) or as a quoted key (`"events":`), the events still reach the
/// timeline, and a bad date among them is reported on the line that holds it (these crashed
/// the debug binary and gave a wrapped line number in release).
#[test]
fn events_in_flow_style_or_under_a_quoted_key_are_read_and_located() {
    let flow = "---\n{title: Chronology, events: [{date: \"1995-03\", title: \"Flow event\"}]}\n---\nA chronology.\n";
    let quoted = "---\ntitle: Chronology\n\"events\":\n  - date: \"2005\"\n    title: \"Quoted event\"\n---\nA chronology.\n";
    for (text, want) in [
        (flow, "1995-03: Flow event"),
        (quoted, "2005: Quoted event"),
    ] {
        let site = site();
        site.write("content/chronology.md", text);
        site.build_ok();
        let html = site.html("timeline/index.html");
        assert_eq!(
            texts(&html, "svg.timeline a:has(polygon) > title"),
            [want],
            "{text}"
        );
    }
    for (text, good, line) in [(flow, "1995-03", 2), (quoted, "2005", 5)] {
        let site = site();
        site.write("content/chronology.md", &text.replace(good, "Sept 2001"));
        let out = site.check();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let want = format!("content/chronology.md:{line}:1: error: event date");
        assert!(stderr(&out).contains(&want), "{want}\n{}", stderr(&out));
    }
}

#[test]
fn a_theme_page_has_a_sparkline_of_the_years_it_cites() {
    let site = site();
    site.build_ok();
    let drones = site.html("themes/drones/index.html");
    assert_eq!(
        texts(&drones, ".theme-span .spark-label"),
        ["3 works cited, 1995–2010"]
    );
    // One bar per year with a cited work, on the site's axis (1995–2010).
    let bars = select(&drones, ".theme-span svg rect");
    assert_eq!(bars.len(), 3);
    let trust = site.html("themes/trust/index.html");
    assert_eq!(
        texts(&trust, ".theme-span .spark-label"),
        ["1 work cited, 2010"]
    );
    let timeline = site.html("timeline/index.html");
    assert_eq!(
        texts(&timeline, ".theme-spans li > a"),
        ["Drone strikes", "Trust"]
    );
    assert_eq!(
        texts(&timeline, ".theme-spans .spark-label"),
        ["3 works cited, 1995–2010", "1 work cited, 2010"]
    );
}

/// The global graph's edges of one kind (`cite`, `link`), as (citing page, cited page) pairs.
fn graph_edges(html: &Html, kind: &str) -> (BTreeMap<String, String>, BTreeSet<(String, String)>) {
    let nodes: BTreeMap<String, String> = select(html, "svg#graph a.node")
        .iter()
        .map(|a| {
            let v = a.value();
            (
                v.attr("data-id").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let edges = select(html, &format!("svg#graph .edges path.e-{kind}"))
        .iter()
        .map(|p| {
            let v = p.value();
            (
                nodes[v.attr("data-from").unwrap()].clone(),
                nodes[v.attr("data-to").unwrap()].clone(),
            )
        })
        .collect();
    (nodes, edges)
}

#[test]
fn the_graphs_edges_are_the_citations_and_the_links() {
    let site = site();
    site.build_ok();
    let html = site.html("graph/index.html");
    let (nodes, edges) = graph_edges(&html, "cite");
    let u = |p: &str| format!("/review/{p}/");
    let expected: BTreeSet<(String, String)> = [
        ("themes/drones", "sources/ahmed2001"),
        ("themes/drones", "sources/baig1995"),
        ("themes/drones", "sources/chen2010"),
        ("themes/trust", "sources/chen2010"),
        ("sources/ahmed2001", "sources/dar"),
    ]
    .into_iter()
    .map(|(a, b)| (u(a), u(b)))
    .collect();
    assert_eq!(edges, expected);
    // The home page's link to a theme is drawn as a link.
    let (_, links) = graph_edges(&html, "link");
    assert_eq!(
        links,
        BTreeSet::from([("/review/".to_string(), u("themes/drones"))])
    );
    // Every theme and source is drawn (Ejaz, cited by none, too), and the one page that links;
    // the page that neither cites nor links is not.
    let drawn: BTreeSet<&String> = nodes.values().collect();
    let sources = ["ahmed2001", "baig1995", "chen2010", "dar", "ejaz2010"]
        .map(|k| u(&format!("sources/{k}")));
    let themes = ["drones", "trust"].map(|k| u(&format!("themes/{k}")));
    let home = "/review/".to_string();
    assert_eq!(
        drawn,
        sources.iter().chain(&themes).chain([&home]).collect()
    );
    // Themes are squares (`h`), sources circles (`a`); the most cited source is the largest.
    let shape = |href: &str| -> String {
        let sel = Selector::parse(&format!("svg#graph a.node[href=\"{href}\"] > path")).unwrap();
        html.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("d")
            .unwrap()
            .to_string()
    };
    assert!(shape(&themes[0]).contains('h'), "{}", shape(&themes[0]));
    let radius = |href: &str| -> f64 {
        let d = shape(href);
        d.split('a')
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(radius(&u("sources/chen2010")) > radius(&u("sources/ahmed2001")));
    assert!(radius(&u("sources/ahmed2001")) > radius(&u("sources/ejaz2010")));
    // The list beside it, most cited first: cited by, cites, linked from, links to.
    assert_eq!(texts(&html, ".graph-list tbody th")[0], "Chen (2010)");
    assert_eq!(
        texts(&html, ".graph-list tbody tr:first-child > *"),
        ["Chen (2010)", "source", "2", "0", "0", "0"]
    );
}

#[test]
fn a_source_page_draws_the_notes_citing_it_and_the_works_it_cites() {
    let site = site();
    site.build_ok();
    let ahmed = site.html("sources/ahmed2001/index.html");
    let linked = |html: &Html| attrs(html, ".local-graph a.node", "href");
    assert_eq!(
        linked(&ahmed),
        ["/review/themes/drones/", "/review/sources/dar/"]
    );
    assert_eq!(
        texts(&ahmed, ".local-graph .col-head"),
        ["Cited by 1", "Cites 1"]
    );
    assert_eq!(texts(&ahmed, ".local-graph .center text"), ["Ahmed (2001)"]);
    let chen = site.html("sources/chen2010/index.html");
    assert_eq!(
        linked(&chen),
        ["/review/themes/drones/", "/review/themes/trust/"]
    );
    assert_eq!(texts(&chen, ".local-graph .col-head"), ["Cited by 2"]);
    // A theme draws the works it cites; a source outside every citation has no graph.
    let drones = site.html("themes/drones/index.html");
    // Most cited first: Chen (cited by both themes), then Ahmed and Baig.
    assert_eq!(
        linked(&drones),
        [
            "/review/sources/chen2010/",
            "/review/sources/ahmed2001/",
            "/review/sources/baig1995/"
        ]
    );
    let ejaz = site.html("sources/ejaz2010/index.html");
    assert!(select(&ejaz, ".local-graph").is_empty());
}

/// A source cited by many notes draws the first few, themes first, and counts the rest.
#[test]
fn a_local_graph_caps_its_columns_and_counts_the_rest() {
    let site = site();
    for n in 0..20 {
        site.write(
            &format!("content/sources/z{n:02}.md"),
            &format!("---\ntype: article\ntitle: \"Z {n}\"\nauthors: [\"Zed{n:02}, Z.\"]\nyear: 2020\ncontainer: \"J\"\n---\nCites [@chen2010].\n"),
        );
    }
    site.build_ok();
    let chen = site.html("sources/chen2010/index.html");
    assert_eq!(texts(&chen, ".local-graph .col-head"), ["Cited by 22"]);
    let linked = attrs(&chen, ".local-graph a.node", "href");
    assert_eq!(linked.len(), 14);
    assert_eq!(
        linked[..2],
        ["/review/themes/drones/", "/review/themes/trust/"]
    );
    assert_eq!(texts(&chen, ".local-graph a.more"), ["and 8 more"]);
}

#[test]
fn the_home_page_shows_the_review_at_a_glance() {
    let site = site();
    site.build_ok();
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, ".glance-counts"),
        [
            "5 sources · 2 themes · 2 pages · 5 citations between notes · 1 link between notes · 2 dated events"
        ]
    );
    let lists = select(&home, ".glance-bars");
    let names = |e: &ElementRef| {
        let sel = Selector::parse("li").unwrap();
        e.select(&sel).map(|li| text(&li)).collect::<Vec<_>>()
    };
    assert_eq!(
        names(&lists[0]),
        [
            "Chen (2010) cited by 2",
            "Ahmed (2001) cited by 1",
            "Baig (1995) cited by 1",
            "Dar (n.d.) cited by 1"
        ]
    );
    assert_eq!(
        names(&lists[1]),
        [
            "Drone strikes 2 tagged · cites 3",
            "Trust 2 tagged · cites 1"
        ]
    );
    let uncited = texts(&home, ".glance-grid > div:last-child p");
    assert_eq!(uncited, ["2 sources: Dar (n.d.), Ejaz (2010)."]);
}

#[test]
fn the_views_are_linked_and_their_paths_reserved() {
    let site = site();
    site.build_ok();
    let home = site.html("index.html");
    let nav = attrs(&home, ".site-nav a", "href");
    for view in ["matrix", "timeline", "graph"] {
        assert!(nav.contains(&format!("/review/{view}/")), "{nav:?}");
    }
    site.write(
        "content/timeline.md",
        "---\ntitle: My timeline\n---\nMine.\n",
    );
    let out = site.check();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/timeline.md: error: this note's page would be /review/timeline/index.html, which is the timeline gloss generates"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_view_is_the_same_from_build_to_build() {
    let site = site();
    site.build_ok();
    let first: Vec<String> = [
        "matrix/index.html",
        "timeline/index.html",
        "graph/index.html",
        "matrix.csv",
        "sources/ahmed2001/index.html",
        "index.html",
    ]
    .iter()
    .map(|p| site.read_out(p))
    .collect();
    site.build_ok();
    for (n, p) in [
        "matrix/index.html",
        "timeline/index.html",
        "graph/index.html",
        "matrix.csv",
        "sources/ahmed2001/index.html",
        "index.html",
    ]
    .iter()
    .enumerate()
    {
        assert!(site.read_out(p) == first[n], "{p} differs between builds");
    }
}
