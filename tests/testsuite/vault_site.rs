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
