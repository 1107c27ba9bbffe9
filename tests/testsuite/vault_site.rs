//! A vault's site read as a vault (issue 26): small vaults written here, built with
//! `content_dir: .`, their pages parsed. Obsidian's rendering details (callouts with metadata,
//! a note embedding its own block, an unclosed `%%`), the navigation and home page of a site
//! without sources or themes, folder pages and breadcrumbs, the graph of links and citations,
//! labels shortened at a word.

use crate::common;

use std::io::Read;

use common::{TestSite, attrs, snapshot, stderr, texts};
use scraper::{Html, Selector};

/// A vault: the notes at the site's root, as a vault with a `site.yaml` beside its notes.
fn vault(notes: &[(&str, &str)]) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Field Notes\nbase_url: https://x.github.io/garden/\ncontent_dir: .\n",
    );
    for (rel, text) in notes {
        site.write(rel, text);
    }
    site
}

fn count(html: &Html, css: &str) -> usize {
    html.select(&Selector::parse(css).unwrap()).count()
}

/// Every output file's text, the search index decompressed.
fn output_texts(site: &TestSite) -> Vec<(String, String)> {
    snapshot(&site.out())
        .into_iter()
        .map(|(path, bytes)| {
            let mut plain = Vec::new();
            let bytes = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain) {
                Ok(_) => plain,
                Err(_) => bytes,
            };
            (
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

const READING: &str = "> [!quote|yellow]+ Highlight (page 3)\n> The marked passage, as a reading plugin writes it.\n\n> [!note|wide-2]- Folded away\n> Only shown when opened.\n\n> [!tip|1<2 & 3>2]\n> Metadata is text, never markup.\n\n> [!info]\n> A callout with no metadata.\n";

#[test]
fn callouts_keep_the_metadata_after_a_bar() {
    let site = vault(&[("Reading.md", READING)]);
    site.build_ok();
    let html = site.html("reading/index.html");
    assert_eq!(count(&html, ".prose .callout"), 4);
    assert_eq!(
        attrs(&html, ".prose .callout", "data-callout"),
        ["quote", "note", "tip", "info"]
    );
    assert_eq!(
        attrs(&html, ".prose .callout", "data-callout-metadata"),
        ["yellow", "wide-2", "1<2 & 3>2"]
    );
    assert!(
        site.read_out("reading/index.html")
            .contains(r#"data-callout-metadata="1&lt;2 &amp; 3&gt;2""#)
    );
    assert_eq!(count(&html, ".prose details.callout[open]"), 1);
    assert_eq!(count(&html, ".prose details.callout:not([open])"), 1);
    assert_eq!(
        texts(&html, ".prose .callout-title"),
        ["Highlight (page 3)", "Folded away", "Tip", "Info"]
    );
    let text = texts(&html, ".prose").join(" ");
    assert!(!text.contains("[!"), "{text}");
}

#[test]
fn a_note_embeds_its_own_block_and_only_a_real_loop_is_a_cycle() {
    let site = vault(&[
        (
            "Compactness.md",
            "# Compactness\n\nA space is compact when each open cover has a finite subcover. ^def\n\n## Recap\n\n![[Compactness#^def]]\n\n![[#^def]]\n",
        ),
        (
            "Loop.md",
            "Intro.\n\n## Again\n\nThis section shows itself: ![[#Again]]\n",
        ),
        ("Ping.md", "Ping text.\n\n![[Pong]]\n"),
        ("Pong.md", "Pong text.\n\n![[Ping]]\n"),
    ]);
    let out = site.build_ok();
    let err = stderr(&out);
    let html = site.html("compactness/index.html");
    let recap = texts(&html, ".prose .embed").join(" | ");
    assert_eq!(
        recap
            .matches("each open cover has a finite subcover")
            .count(),
        2,
        "{recap}"
    );
    assert!(!err.contains("Compactness.md"), "{err}");
    // A section that embeds itself, and two notes embedding each other, are cycles.
    assert!(
        err.contains("Loop.md:5:28: warning: embeds go round in a cycle (Loop#again → Loop#again)"),
        "{err}"
    );
    assert_eq!(
        err.matches("Ping.md").count() + err.matches("Pong.md").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("Ping → Pong → Ping") || err.contains("Pong → Ping → Pong"),
        "{err}"
    );
}

#[test]
fn an_unclosed_comment_hides_the_rest_and_says_where_it_opens() {
    let site = vault(&[
        (
            "Batteries.md",
            "---\ntags: [energy]\n---\nCells keep about 90%% of their charge after a year.\n\nThe rest is hidden, with leakedwordafter.\n",
        ),
        (
            "Paired.md",
            "Shown. %% a closed comment with closedsecretword %% Shown again.\n",
        ),
    ]);
    let out = site.build_ok();
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("%%")).collect();
    assert_eq!(
        warnings,
        [
            "Batteries.md:4:20: warning: this `%%` opens a comment that no `%%` closes, so the rest of the note is hidden, as Obsidian hides it: close it with `%%`, or write one `%` if a percent sign was meant"
        ],
        "{err}"
    );
    let html = site.html("batteries/index.html");
    assert_eq!(texts(&html, ".prose"), ["Cells keep about 90"]);
    for (path, text) in output_texts(&site) {
        for secret in ["leakedwordafter", "closedsecretword", "their charge"] {
            assert!(!text.contains(secret), "{path} holds `{secret}`");
        }
    }
    assert_eq!(
        texts(&site.html("paired/index.html"), ".prose"),
        ["Shown. Shown again."]
    );
}

/// A vault with no sources and no themes: linked notes in folders, one tag, no home note.
/// `Orchard.md` sits beside the folder `Orchard/`, `Streams/_index.md` introduces its folder.
const GARDEN: [(&str, &str); 9] = [
    (
        "Meadow.md",
        "---\nsummary: Where the walk starts.\n---\nBees visit the [[Flowers]] and the [[Orchard]].\n",
    ),
    (
        "Flowers.md",
        "Flowers feed the [[Bees]] and shelter [[Hedgehogs]].\n",
    ),
    ("Orchard.md", "The orchard holds old [[Apples]] trees.\n"),
    (
        "Orchard/Apples.md",
        "Windfall apples feed the [[Hedgehogs]] in autumn.\n",
    ),
    (
        "Wildlife/Bees.md",
        "Bees carry pollen between [[Flowers]].\n",
    ),
    (
        "Wildlife/Hedgehogs.md",
        "---\ntags: [mammal]\n---\nHedgehogs hunt [[Beetles]] at night.\n",
    ),
    (
        "Wildlife/Insects/Beetles.md",
        "Beetles hide under logs at the edge of the [[Meadow]].\n",
    ),
    (
        "Streams/_index.md",
        "---\ntitle: Running water\n---\nTwo streams cross the garden.\n",
    ),
    ("Streams/Trout.md", "Trout rise at dusk.\n"),
];

fn garden() -> TestSite {
    let site = vault(&GARDEN);
    site.build_ok();
    site
}

/// The notes a list names, as (title, href).
fn listed(html: &Html, css: &str) -> Vec<(String, String)> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel)
        .map(|a| {
            let title = a.text().collect::<String>().trim().to_string();
            (title, a.value().attr("href").unwrap_or("").to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_vault_shows_only_the_sections_it_has() {
    let site = garden();
    let home = site.html("index.html");
    assert_eq!(texts(&home, ".site-nav li > a"), ["Graph", "Tags"]);
    for gone in ["themes", "sources", "bibliography", "matrix", "timeline"] {
        assert!(
            !site.out().join(gone).join("index.html").exists(),
            "/{gone}/ was written"
        );
    }
    assert_eq!(
        texts(&home, ".glance-counts"),
        ["9 pages · 9 links between notes"]
    );
    let headings = texts(&home, "main h2, main h3");
    assert_eq!(
        headings,
        ["At a glance", "Most linked", "Folders", "Notes"],
        "{headings:?}"
    );
    let text = texts(&home, "main").join(" ");
    for empty in [
        "0 sources",
        "0 themes",
        "cited by at least one theme",
        "citation",
    ] {
        assert!(
            !text.contains(empty),
            "the home page says `{empty}`: {text}"
        );
    }
    // Only the notes two others link to; only the views the site has.
    assert_eq!(
        texts(&home, ".glance-bars li"),
        ["Flowers linked from 2", "Hedgehogs linked from 2"]
    );
    assert_eq!(
        texts(&home, ".glance-views"),
        ["The whole site: the graph."]
    );
    // The footer offers no exports of sources the site does not have.
    assert_eq!(texts(&home, ".site-footer a").len(), 0);
    // A review keeps every section (and each page its plural).
    let review = small_review();
    let nav = texts(&review.html("index.html"), ".site-nav li > a");
    assert_eq!(
        nav,
        [
            "Themes",
            "Sources",
            "Bibliography",
            "Matrix",
            "Timeline",
            "Graph",
            "Tags"
        ]
    );
    let matrix = review.html("matrix/index.html");
    assert_eq!(texts(&matrix, "caption"), ["1 source × 1 theme"]);
}

#[test]
fn every_folder_of_pages_has_a_page_listing_it() {
    let site = garden();
    let base = "/garden/";
    let home = site.html("index.html");
    assert_eq!(
        listed(&home, ".folder-items.folders a"),
        pairs(&[
            ("Orchard", "/garden/orchard/"),
            ("Streams", "/garden/streams/"),
            ("Wildlife", "/garden/wildlife/"),
        ])
    );
    assert_eq!(
        texts(&home, ".folder-items.folders .count"),
        ["1 note", "1 note", "3 notes"]
    );
    assert_eq!(
        listed(&home, ".folder-items.notes a"),
        pairs(&[
            ("Flowers", "/garden/flowers/"),
            ("Meadow", "/garden/meadow/")
        ])
    );
    // Each entry shows the note's summary, else its first words, links as their titles.
    assert_eq!(
        texts(&home, ".folder-items p"),
        [
            "The orchard holds old Apples trees.",
            "Two streams cross the garden.",
            "Flowers feed the Bees and shelter Hedgehogs.",
            "Where the walk starts.",
        ]
    );
    // A folder no note introduces: its own page, subfolders first.
    let wildlife = site.html("wildlife/index.html");
    assert_eq!(texts(&wildlife, "h1"), ["Wildlife"]);
    assert_eq!(
        listed(&wildlife, ".folder-items a"),
        pairs(&[
            ("Insects", "/garden/wildlife/insects/"),
            ("Bees", "/garden/wildlife/bees/"),
            ("Hedgehogs", "/garden/wildlife/hedgehogs/"),
        ])
    );
    assert_eq!(
        listed(&wildlife, ".breadcrumbs a"),
        pairs(&[("Home", base)])
    );
    let insects = site.html("wildlife/insects/index.html");
    assert_eq!(
        listed(&insects, ".folder-items a"),
        pairs(&[("Beetles", "/garden/wildlife/insects/beetles/")])
    );
    // A note beside its folder, and a folder's `_index.md`, are the folder's page: their text,
    // then the folder's list.
    let orchard = site.html("orchard/index.html");
    assert_eq!(texts(&orchard, "h1"), ["Orchard"]);
    assert_eq!(
        texts(&orchard, ".prose"),
        ["The orchard holds old Apples trees."]
    );
    assert_eq!(
        listed(&orchard, ".folder-items a"),
        pairs(&[("Apples", "/garden/orchard/apples/")])
    );
    let streams = site.html("streams/index.html");
    assert_eq!(texts(&streams, "h1"), ["Running water"]);
    assert_eq!(
        listed(&streams, ".folder-items a"),
        pairs(&[("Trout", "/garden/streams/trout/")])
    );
    // Breadcrumbs lead up through the folders; a note at the top has none.
    let beetles = site.html("wildlife/insects/beetles/index.html");
    assert_eq!(
        listed(&beetles, ".breadcrumbs a"),
        pairs(&[
            ("Home", base),
            ("Wildlife", "/garden/wildlife/"),
            ("Insects", "/garden/wildlife/insects/"),
        ])
    );
    assert_eq!(count(&site.html("meadow/index.html"), ".breadcrumbs"), 0);
    // Folder pages are in the sitemap, and no page is left that nothing lists.
    let sitemap = site.read_out("sitemap.xml");
    for url in ["wildlife/", "wildlife/insects/", "orchard/", "streams/"] {
        assert!(
            sitemap.contains(&format!("https://x.github.io/garden/{url}<")),
            "{url} not in the sitemap"
        );
    }
}

#[test]
fn the_graph_draws_links_and_citations_apart() {
    let site = garden();
    let graph = site.html("graph/index.html");
    assert_eq!(count(&graph, "#graph .edges path.e-link"), 9);
    assert_eq!(count(&graph, "#graph .edges path.e-cite"), 0);
    let mut nodes = attrs(&graph, "#graph .nodes a.node", "href");
    nodes.sort();
    assert_eq!(
        nodes,
        [
            "/garden/flowers/",
            "/garden/meadow/",
            "/garden/orchard/",
            "/garden/orchard/apples/",
            "/garden/wildlife/bees/",
            "/garden/wildlife/hedgehogs/",
            "/garden/wildlife/insects/beetles/",
        ]
    );
    assert_eq!(
        texts(&graph, "#graph-label"),
        ["Graph: 7 notes and 9 links among them"]
    );
    assert_eq!(
        texts(&graph, ".legend li"),
        [
            "page",
            "a note links to another",
            "the larger, the more notes link to it"
        ]
    );
    // Every line of the graph's list counts links, none citations.
    let head = texts(&graph, ".graph-list thead th");
    assert_eq!(head, ["Note", "Kind", "Linked from", "Links to"]);
    // A review's graph draws both, told apart in the legend.
    let review = small_review();
    let graph = review.html("graph/index.html");
    let cite = attrs(&graph, "#graph .edges path.e-cite", "data-from");
    let link = attrs(&graph, "#graph .edges path.e-link", "data-from");
    assert_eq!((cite.len(), link.len()), (1, 2), "{cite:?} {link:?}");
    let legend = texts(&graph, ".legend li");
    assert!(
        legend.contains(&"a note cites a work".to_string())
            && legend.contains(&"a note links to another".to_string()),
        "{legend:?}"
    );
}

/// A review in a site's `content/`: a theme citing a source and linking to a page, the source
/// linking back to the theme.
fn small_review() -> TestSite {
    let review = TestSite::new();
    review
        .source(
            "okafor2018",
            &["Okafor, C."],
            "2018",
            "Ports",
            "Shipping [[trust]].",
        )
        .write(
            "content/themes/trust.md",
            "---\ntitle: Trust\n---\nSee [@okafor2018] and [[notes]].\n",
        )
        .write(
            "content/notes.md",
            "---\ntitle: Notes\ntags: [trust]\n---\nText.\n",
        )
        .build_ok();
    review
}

#[test]
fn labels_shorten_at_a_word_and_counts_agree_with_their_nouns() {
    let site = TestSite::new();
    let themes = ["alpha", "beta", "gamma", "delta"];
    for t in themes {
        site.write(
            &format!("content/themes/{t}.md"),
            &format!("---\ntitle: \"{t} and the longest question of sovereignty\"\n---\nOn [@okafor2018].\n"),
        );
    }
    site.source(
        "okafor2018",
        &["Okafor, C."],
        "2018",
        "Ports",
        "Shipping, see [[hub]].",
    )
    .write(
        "content/sources/okafor2018.md",
        "---\ntype: book\ntitle: \"Ports\"\nauthors: [\"Okafor, C.\"]\nyear: 2018\npublisher: \"P\"\ntags: [alpha, beta, gamma, delta]\n---\nShipping, see [[hub]].\n",
    );
    // Six sources link to one page (Okafor and five more): five are shown, one folded away.
    for n in 1..=5 {
        site.source(
            &format!("s{n}"),
            &["Lee, A."],
            &format!("200{n}"),
            "Work",
            "See [[hub]].",
        );
    }
    site.write("content/hub.md", "---\ntitle: Hub\n---\nThe hub.\n");
    site.build_ok();
    let bib = site.html("bibliography/index.html");
    let meta = texts(&bib, ".ref-meta").join(" | ");
    assert!(meta.ends_with("and 1 more theme"), "{meta}");
    assert!(!meta.contains("more themes"), "{meta}");
    let hub = site.html("hub/index.html");
    assert_eq!(texts(&hub, ".backlink-more summary"), ["1 more source"]);
    // A theme's label in the graph ends at a word; its tooltip has the whole title.
    let graph = site.html("graph/index.html");
    let sel = Selector::parse("#graph a.node.n-theme").unwrap();
    let alpha = graph
        .select(&sel)
        .find(|a| a.value().attr("href") == Some("/review/themes/alpha/"))
        .expect("alpha is drawn");
    let label: String = alpha
        .select(&Selector::parse("text").unwrap())
        .flat_map(|t| t.text())
        .collect();
    assert_eq!(label, "alpha and the longest…");
    let title: String = alpha
        .select(&Selector::parse("title").unwrap())
        .flat_map(|t| t.text())
        .collect();
    assert!(
        title.starts_with("alpha and the longest question of sovereignty (theme;"),
        "{title}"
    );
}
