//! A whole note (front matter, Markdown, citations, wikilinks) through parse, scan and render,
//! held to `tests/invariants/`: located diagnostics and references, scan and render agreeing on
//! citations, links and heading ids, HTML that parses back, no `<script` of gloss's making.
#![no_main]

#[path = "../../tests/testsuite/invariants/mod.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

/// The first byte chooses where the note lives: a source, a theme, a page, a nested page.
const PLACES: [&str; 4] = [
    "sources/smith2020.md",
    "themes/trust.md",
    "about.md",
    "notes/deep/page.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let rel = PLACES[usize::from(first) % PLACES.len()];
    let text = String::from_utf8_lossy(rest);
    if let Err(e) = invariants::check_note(rel, &text) {
        panic!("{e}");
    }
});
