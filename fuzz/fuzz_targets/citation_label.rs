//! The Pandoc citation-label parser (`[see @a, p. 4; -@b]`): no panic; every item's key is a key
//! written after an `@` in the label (or in braces after it); writing the parsed items back out
//! (each key braced) parses to the same items.
#![no_main]

use gloss::fuzzing::{self, CiteItem};
use libfuzzer_sys::fuzz_target;

/// A label that says exactly `items`.
fn label_of(items: &[CiteItem]) -> String {
    items
        .iter()
        .map(|i| {
            format!(
                "{} {}@{{{}}}{}",
                i.prefix.as_deref().unwrap_or(""),
                if i.suppress_author { "-" } else { "" },
                i.key,
                i.locator
                    .as_ref()
                    .map(|l| format!(", {l}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fuzz_target!(|data: &[u8]| {
    let label = String::from_utf8_lossy(data);
    let Some(citation) = fuzzing::parse_citation_label(&label) else {
        return;
    };
    assert!(!citation.items.is_empty());
    for item in &citation.items {
        assert!(!item.key.is_empty(), "an empty key");
        assert!(
            label.contains(&format!("@{}", item.key))
                || label.contains(&format!("@{{{}}}", item.key)),
            "key {:?}",
            item.key
        );
        // Pandoc's grammar: no space in a key, braced or not.
        assert!(
            !item.key.chars().any(char::is_whitespace),
            "key {:?}",
            item.key
        );
    }
    let again = label_of(&citation.items);
    let reparsed = fuzzing::parse_citation_label(&again).map(|c| c.items);
    assert_eq!(reparsed.as_ref(), Some(&citation.items), "{again:?}");
});
