//! Reading and finding: the reference list every citing page ends with, the table of contents,
//! preview cards, the search index, page metadata and what is loaded where. Each test builds a
//! small site with the real binary and reads the HTML (or the index) a reader's browser gets.

use crate::common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::{TestSite, attrs, snapshot, texts};

/// Two themes and four sources; `drones` cites two works and links to a third, and a draft
/// carries text that must never be published.
fn site() -> TestSite {
    let site = TestSite::new();
    site.source("jabeen2009", &["Jabeen, M."], "2009", "Either you are with us", "Jabeen studies the alliance after 2001 in depth.")
        .source("rath2011", &["Rath, S. K."], "2011", "Pakistan's double game", "Rath names the double game. See [[walt1990]] for the theory.")
        .source("walt1990", &["Walt, S. M."], "1990", "The origins of alliances", "Balance of threat.")
        .source("zed2001", &["Zed, Z."], "2001", "Tagged only", "Tagged but never cited.")
        .write(
            "content/sources/zed2001.md",
            "---\ntype: book\ntitle: \"Tagged only\"\nauthors: [\"Zed, Z.\"]\nyear: 2001\npublisher: \"Press\"\ntags: [drones]\n---\nTagged but never cited.\n",
        )
        .write(
            "content/themes/drones.md",
            "---\ntitle: Drone strikes\nsummary: Why the strikes strain the alliance.\n---\n## Origins\n\nStrikes began early [@rath2011]. The alliance was thin [@jabeen2009, p. 4].\n\n## Effects\n\nSee also [[walt1990]] and [[trust]].\n\n## Gaps\n\nNone yet.\n",
        )
        .write(
            "content/themes/trust.md",
            "---\ntitle: Trust\n---\nA short theme citing [@rath2011].\n",
        )
        .write(
            "content/themes/secret.md",
            "---\ntitle: Secret\ndraft: true\n---\nPRIVATE-DRAFT-TEXT about [@walt1990].\n",
        )
        .write("content/_index.md", "---\ntitle: Home\n---\nStart at [[drones]].\n");
    site
}

#[test]
fn a_theme_ends_with_exactly_the_works_it_cites_in_apa_order() {
    let site = site();
    site.build_ok();
    let theme = site.html("themes/drones/index.html");
    // Jabeen and Rath are cited; Walt is only linked, Zed only tagged.
    assert_eq!(
        attrs(&theme, ".references li", "id"),
        ["cite-jabeen2009", "cite-rath2011"]
    );
    let refs = texts(&theme, ".references li");
    assert!(
        refs[0].starts_with("Jabeen, M. (2009). Either you are with us."),
        "{refs:?}"
    );
    assert_eq!(
        attrs(&theme, ".references li a.ref-note", "href"),
        ["/review/sources/jabeen2009/", "/review/sources/rath2011/"]
    );
    // The tagged notes stay, apart and one line each.
    assert_eq!(texts(&theme, ".members li"), ["Zed (2001) Tagged only"]);
    // A source's page lists what its own annotation cites; a page citing nothing has no list.
    let rath = site.html("sources/rath2011/index.html");
    assert!(texts(&rath, ".references li").is_empty());
    let trust = site.html("themes/trust/index.html");
    assert_eq!(attrs(&trust, ".references li", "id"), ["cite-rath2011"]);
    let home = site.html("index.html");
    assert!(texts(&home, ".references").is_empty());
}

#[test]
fn pages_with_several_sections_get_a_table_of_contents() {
    let site = site();
    site.build_ok();
    let theme = site.html("themes/drones/index.html");
    assert_eq!(texts(&theme, ".toc li"), ["Origins", "Effects", "Gaps"]);
    let targets = attrs(&theme, ".toc a", "href");
    let ids = attrs(&theme, ".prose h2", "id");
    assert_eq!(
        targets,
        ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>()
    );
    let trust = site.html("themes/trust/index.html");
    assert!(texts(&trust, ".toc").is_empty(), "one section: no contents");
}

#[test]
fn backlinks_are_grouped_by_kind_and_show_links_as_the_reader_sees_them() {
    let site = site();
    site.build_ok();
    let walt = site.html("sources/walt1990/index.html");
    assert_eq!(texts(&walt, ".backlinks h3"), ["Themes 1", "Sources 1"]);
    assert_eq!(
        texts(&walt, ".backlinks li > a"),
        ["Drone strikes", "Rath (2011) Pakistan's double game"]
    );
    let quotes = texts(&walt, ".backlinks blockquote");
    assert!(
        quotes.iter().all(|q| !q.contains("walt1990")),
        "no raw key: {quotes:?}"
    );
    assert_eq!(
        texts(&walt, ".backlinks mark"),
        ["Walt (1990)", "Walt (1990)"]
    );
}

/// The JSON cards embedded in a page: every note its text or tags link to, nothing else.
fn previews(html: &scraper::Html) -> serde_json::Value {
    let text = texts(html, "script#gloss-previews").join("");
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

#[test]
fn preview_cards_cover_what_a_page_links_to() {
    let site = site();
    site.build_ok();
    let theme = site.html("themes/drones/index.html");
    let cards = previews(&theme);
    let mut keys: Vec<&String> = cards.as_object().expect("cards").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "/review/sources/jabeen2009/",
            "/review/sources/rath2011/",
            "/review/sources/walt1990/",
            "/review/themes/trust/"
        ]
    );
    let rath = &cards["/review/sources/rath2011/"];
    assert_eq!(rath["short"], "Rath (2011)");
    assert!(
        rath["reference"]
            .as_str()
            .unwrap()
            .starts_with("Rath, S. K. (2011).")
    );
    // A card shows the note as the reader sees it: the wikilink as its target's short form.
    assert_eq!(
        rath["text"],
        "Rath names the double game. See Walt (1990) for the theory."
    );
    let trust = &cards["/review/themes/trust/"];
    assert_eq!(trust["kind"], "theme");
    assert_eq!(trust["text"], "A short theme citing (Rath, 2011).");
    // A source tagged with a theme previews the theme by its summary.
    let zed = site.html("sources/zed2001/index.html");
    assert_eq!(
        previews(&zed)["/review/themes/drones/"]["text"],
        "Why the strikes strain the alliance."
    );
    // A page linking to nothing carries no card data.
    let walt = site.html("sources/walt1990/index.html");
    assert!(texts(&walt, "script#gloss-previews").is_empty());
}

#[test]
fn pages_describe_themselves_and_load_only_what_they_use() {
    let site = site();
    site.write(
        "content/sources/code2020.md",
        "---\ntype: article\ntitle: \"With code\"\nauthors: [\"Code, C.\"]\nyear: 2020\ncontainer: \"J\"\n---\nA snippet:\n\n```rust\nfn main() {}\n```\n",
    );
    site.build_ok();
    let theme = site.html("themes/drones/index.html");
    assert_eq!(
        attrs(&theme, "meta[name=description]", "content"),
        ["Why the strikes strain the alliance."]
    );
    assert_eq!(
        attrs(&theme, "meta[property='og:title']", "content"),
        ["Drone strikes"]
    );
    assert_eq!(
        attrs(&theme, "meta[property='og:url']", "content"),
        ["https://x.github.io/review/themes/drones/"]
    );
    // A source without a summary is described by its own first words, not the site's line.
    let jabeen = site.html("sources/jabeen2009/index.html");
    assert_eq!(
        attrs(&jabeen, "meta[name=description]", "content"),
        ["Jabeen studies the alliance after 2001 in depth."]
    );
    let css = |html: &scraper::Html| attrs(html, "link[rel=stylesheet]", "href");
    assert!(!css(&theme).iter().any(|h| h.ends_with("syntax.css")));
    let code = site.html("sources/code2020/index.html");
    assert!(css(&code).iter().any(|h| h.ends_with("/review/syntax.css")));
    // No note has a date: the feed is not advertised.
    assert!(attrs(&theme, "link[rel=alternate]", "href").is_empty());
    assert!(!texts(&theme, "footer").join("").contains("Atom feed"));
    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust\ndate: 2026-01-02\n---\nA short theme citing [@rath2011].\n",
    );
    site.build_ok();
    let theme = site.html("themes/drones/index.html");
    assert_eq!(
        attrs(&theme, "link[rel=alternate]", "href"),
        ["/review/atom.xml"]
    );
}

#[test]
fn tables_scroll_in_a_region_keyboards_can_reach() {
    let site = site();
    site.write(
        "content/table.md",
        "---\ntitle: Table\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    site.build_ok();
    let page = site.html("table/index.html");
    assert_eq!(attrs(&page, ".prose .table-wrap", "tabindex"), ["0"]);
    assert_eq!(texts(&page, ".prose .table-wrap table td"), ["1", "2"]);
}

/// Every file of the search index with its bytes, gzip ones decompressed (every `.bin` is).
fn search_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(&out.join("search"))
        .into_iter()
        .map(|(path, bytes)| {
            let mut plain = Vec::new();
            let text = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain) {
                Ok(_) => plain,
                Err(_) => bytes,
            };
            let rel = path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, text)
        })
        .collect()
}

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut n, mut shift) = (0, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// Every word the index's term chunks hold (as written, lower case), with the pages (numbers in
/// path order) of its term, read as search.js reads them.
fn indexed_words(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Vec<u64>> {
    let mut words = BTreeMap::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("search/terms/")) {
        let mut at = 0;
        let mut surfaces = Vec::new();
        let mut previous: Vec<u8> = Vec::new();
        for _ in 0..varint(bytes, &mut at) {
            let shared = varint(bytes, &mut at) as usize;
            let len = varint(bytes, &mut at) as usize;
            let mut word = previous[..shared].to_vec();
            word.extend_from_slice(&bytes[at..at + len]);
            at += len;
            surfaces.push((
                String::from_utf8(word.clone()).unwrap(),
                varint(bytes, &mut at),
            ));
            previous = word;
        }
        let mut pages = Vec::new();
        for _ in 0..varint(bytes, &mut at) {
            let stem = varint(bytes, &mut at) as usize;
            at += stem;
            let len = varint(bytes, &mut at) as usize;
            let block = &bytes[at..at + len];
            at += len;
            let (mut b, mut page, mut list) = (0, 0, Vec::new());
            for _ in 0..varint(block, &mut b) {
                page += varint(block, &mut b);
                list.push(page);
                // The positions, then the heavier words' indexes and weights (a byte each).
                let head = varint(block, &mut b);
                let (words, heavy) = match head & 1 {
                    1 => (head >> 1, varint(block, &mut b)),
                    _ => (head >> 1, 0),
                };
                for _ in 0..words {
                    varint(block, &mut b);
                }
                for _ in 0..heavy {
                    varint(block, &mut b);
                    b += 1;
                }
            }
            pages.push(list);
        }
        assert_eq!(at, bytes.len(), "{path} read to its end");
        for (word, term) in surfaces {
            words.insert(word, pages[term as usize].clone());
        }
    }
    words
}

/// The index holds the notes' own words (not the passages their backlinks quote, not a draft's
/// or a comment's), finds every form of a word, and is the same bytes build after build.
#[test]
fn the_search_index_holds_the_notes_words_is_deterministic_and_keeps_private_text_out() {
    let site = site();
    site.write(
        "content/themes/quoting.md",
        "---\ntitle: Quoting\n---\nBalancing quotesonly words [@walt1990]. %% Zyxcommentword %%\n",
    )
    .write(
        "content/themes/hidden.md",
        "---\ntitle: Hidden\ndraft: true\n---\nZyxdraftword about [@walt1990].\n",
    );
    site.build_ok();
    let out = site.out();
    let files = search_files(&out);
    let entry: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| p == "search/entry.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let fragments: Vec<serde_json::Value> = (0..entry["pages"].as_u64().unwrap())
        .map(|n| {
            let (_, bytes) = files
                .iter()
                .find(|(p, _)| *p == format!("search/page/{n}.bin"))
                .unwrap();
            serde_json::from_slice(bytes).unwrap()
        })
        .collect();
    let urls: Vec<&str> = fragments
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    // The notes, in path order; the bibliography is a listing, not a note.
    assert_eq!(
        urls,
        [
            "",
            "sources/jabeen2009/",
            "sources/rath2011/",
            "sources/walt1990/",
            "sources/zed2001/",
            "themes/drones/",
            "themes/quoting/",
            "themes/trust/"
        ]
    );
    let walt = &fragments[3];
    assert_eq!(walt["meta"]["short"], "Walt (1990)");
    assert_eq!(walt["meta"]["title"], "The origins of alliances");
    assert_eq!(walt["filters"]["kind"], serde_json::json!(["Source"]));
    assert!(
        walt["text"]
            .as_str()
            .unwrap()
            .contains("Balance of threat.")
    );
    let words = indexed_words(&files);
    // "Balance" on Walt's page and "Balancing" on the theme are one term.
    assert_eq!(words["balance"], [3, 6]);
    assert_eq!(words["balancing"], [3, 6]);
    // The theme's words are quoted in Walt's backlinks, which the index leaves out.
    assert_eq!(words["quotesonly"], [6]);
    assert!(!walt["text"].as_str().unwrap().contains("quotesonly"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for private in ["zyxcommentword", "zyxdraftword", "private-draft-text"] {
            assert!(!text.contains(private), "{path} holds {private}");
        }
    }
    for private in ["zyxcommentword", "zyxdraftword", "private"] {
        assert!(!words.contains_key(private), "{private} is indexed");
    }
    std::fs::remove_dir_all(&out).unwrap();
    site.build_ok();
    assert!(
        search_files(&out) == files,
        "the same notes give a byte-identical index"
    );
}

/// `search: false` in site.yaml: no index and no search box, the rest of the site as before.
#[test]
fn a_site_can_turn_search_off() {
    let site = site();
    site.build_ok();
    assert!(site.out().join("search/entry.json").is_file());
    assert_eq!(
        site.html("index.html").select(&sel("#search-open")).count(),
        1
    );
    site.write(
        "site.yaml",
        "title: Test review\nbase_url: https://x.github.io/review/\nsearch: false\n",
    );
    site.build_ok();
    assert!(!site.out().join("search").exists());
    for page in ["index.html", "themes/drones/index.html", "404.html"] {
        let html = site.html(page);
        assert_eq!(
            html.select(&sel("#search-open, #search-dialog")).count(),
            0,
            "{page}"
        );
    }
    assert_eq!(
        texts(&site.html("themes/drones/index.html"), ".toc li").len(),
        3
    );
}

fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

/// Drafts reach no output file at all: not a page, not the preview cards, not the search index.
#[test]
fn draft_text_reaches_no_output_file() {
    let site = site();
    site.build_ok();
    let out = site.out();
    for (path, bytes) in snapshot(&out) {
        let mut plain = Vec::new();
        let text = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain) {
            Ok(_) => plain,
            Err(_) => bytes,
        };
        assert!(
            !String::from_utf8_lossy(&text).contains("PRIVATE-DRAFT-TEXT"),
            "{} holds a draft's text",
            path.display()
        );
    }
    let theme = site.html("themes/drones/index.html");
    assert!(!previews(&theme).to_string().contains("secret"));
}
