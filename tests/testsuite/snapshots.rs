//! Reviewed snapshots of built pages (issue 25): a small fixture site
//! (`tests/fixtures/snapshot-site/`) is built and each page's main content is written out as a
//! reader meets it — headings, paragraphs, list items and quotes one per line, every link with
//! its target — and held to the snapshot committed in `tests/testsuite/snapshots/`. A change to
//! what a page says shows as a diff to review: `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test --test testsuite snapshots::` and read the `.snap` files before committing).

use scraper::{ElementRef, Html, Node, Selector};

use crate::common::{TestSite, copy_dir, repo_root};

/// The built fixture site.
fn built() -> TestSite {
    let site = TestSite::new();
    copy_dir(
        &repo_root().join("tests/fixtures/snapshot-site"),
        site.root(),
    );
    site.build_ok();
    site
}

/// The blocks a reader sees in `main`, one per line, links written `[text](href)`.
fn reader_view(html: &Html) -> String {
    let main = Selector::parse("main").unwrap();
    let blocks = Selector::parse("h1, h2, h3, p, li, blockquote > p, dt, dd, td, th").unwrap();
    let Some(main) = html.select(&main).next() else {
        return String::new();
    };
    let mut lines = Vec::new();
    for block in main.select(&blocks) {
        // A list item's or a cell's own paragraphs are lines of their own.
        if block.value().name() == "li"
            && block
                .children()
                .any(|c| c.value().as_element().is_some_and(|e| e.name() == "p"))
        {
            continue;
        }
        let mut line = String::new();
        inline(block, &mut line);
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            lines.push(format!("{}: {line}", block.value().name()));
        }
    }
    lines.join("\n")
}

/// The text of `el`, links as `[text](href)`, hidden parts (`aria-hidden`, templates) left out.
fn inline(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.attr("aria-hidden") == Some("true") || e.name() == "template" => {
            }
            Node::Element(e) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if e.name() == "a" {
                    let mut text = String::new();
                    inline(child, &mut text);
                    out.push_str(&format!(
                        "[{}]({})",
                        text.trim(),
                        e.attr("href").unwrap_or("")
                    ));
                } else {
                    inline(child, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn built_pages_read_as_their_reviewed_snapshots() {
    let site = built();
    for (name, page) in [
        ("home", "index.html"),
        ("theme", "themes/border-trust/index.html"),
        ("source", "sources/okoro2019/index.html"),
        ("bibliography", "bibliography/index.html"),
    ] {
        let view = reader_view(&site.html(page));
        insta::assert_snapshot!(name, view);
    }
}
