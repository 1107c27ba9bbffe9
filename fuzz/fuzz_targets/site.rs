//! A note inside a small site, built in memory by the real pipeline with the built-in theme: a
//! failed build reports only located diagnostics; every page parses back as HTML; no front-matter
//! value becomes a `<script` (`tests/invariants/`, `check_site`).
#![no_main]

#[path = "../../tests/testsuite/invariants/mod.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

const SOURCE: &str = "---\ntype: article\ntitle: A study\nauthors: [Smith, Ann]\nyear: 2020\ncontainer: Journal\n---\nSee [[trust]].\n";
const THEME: &str = "---\ntitle: Trust\n---\nAs @smith2020 shows [@smith2020, p. 3].\n";

/// The first byte chooses which note the input replaces, or a page beside them.
const PLACES: [&str; 3] = ["sources/smith2020.md", "themes/trust.md", "about.md"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let rel = PLACES[usize::from(first) % PLACES.len()];
    let text = String::from_utf8_lossy(rest);
    let mut notes = vec![("sources/smith2020.md", SOURCE), ("themes/trust.md", THEME)];
    notes.retain(|(r, _)| *r != rel);
    notes.push((rel, &text));
    let scratch = std::env::temp_dir().join(format!("gloss-fuzz-site-{}", std::process::id()));
    if let Err(e) = invariants::check_site(&scratch, &notes) {
        panic!("{e}");
    }
});
