//! Which heading or block an `#anchor` names in a note, as Obsidian finds it: a block by its
//! `^id`; a heading by its text as written (math, quotes, links and all, ignoring case and the
//! characters a link cannot hold), else by its id or the slug of the anchor; a path of headings
//! (`#Impulse#Linear impulse`) by each heading under the one before, the last one named.

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use super::Site;
use crate::html::slugify;
use crate::markdown::Scan;

/// A note's headings and blocks, looked up rather than searched for when it has many (a note
/// linking to each of its 10,000 sections searched 10,000 ids 10,000 times, in the check and
/// again on the page).
pub(super) struct Anchors {
    /// Heading id → the first heading of that id.
    ids: HashMap<String, usize>,
    /// Heading text (folded, see [`fold`]), as written and as shown → the first such heading.
    texts: HashMap<String, usize>,
    blocks: HashMap<String, ()>,
}

impl Anchors {
    /// Below this many ids a search is as quick as a lookup, and no index is made.
    const FROM: usize = 16;

    pub(super) fn of(scan: &Scan) -> Option<Anchors> {
        if scan.heading_ids.len() + scan.block_ids.len() < Anchors::FROM {
            return None;
        }
        let mut anchors = Anchors {
            ids: HashMap::default(),
            texts: HashMap::default(),
            blocks: scan.block_ids.iter().map(|b| (b.clone(), ())).collect(),
        };
        for (i, id) in scan.heading_ids.iter().enumerate() {
            anchors.ids.entry(id.clone()).or_insert(i);
            if let Some(h) = scan.headings.get(i) {
                for text in [&h.source, &h.text] {
                    anchors.texts.entry(fold(text)).or_insert(i);
                }
            }
        }
        Some(anchors)
    }
}

/// A heading's text as links compare it: lower-cased, the characters a link cannot hold
/// (`# | ^ : [ ]`, which Obsidian replaces when it writes a link) made spaces, spaces collapsed.
fn fold(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| match c {
            '#' | '|' | '^' | ':' | '[' | ']' | '\\' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Site {
    /// The id an anchor names in note `target`: a block id (`^abc`), or the id of the heading
    /// the anchor (or its path of headings) names.
    pub(crate) fn anchor_id(&self, target: usize, anchor: &str) -> Option<String> {
        let scan = &self.scans[target];
        if anchor.starts_with('^') {
            let found = match &self.anchors[target] {
                Some(anchors) => anchors.blocks.contains_key(anchor),
                None => scan.block_ids.iter().any(|b| b == anchor),
            };
            return found.then(|| anchor.to_string());
        }
        let parts: Vec<&str> = anchor
            .split('#')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let all = 0..scan.heading_ids.len();
        let mut found = None;
        let mut under = all.clone();
        for part in &parts {
            found = self.heading(target, part, under.clone());
            let Some(i) = found else { break };
            under = i + 1..section_end(scan, i);
        }
        // A path that does not hold as written still names its last heading.
        let found = match (found, parts.as_slice()) {
            (None, [.., last]) if parts.len() > 1 => self.heading(target, last, all),
            (found, _) => found,
        };
        found.map(|i| scan.heading_ids[i].clone())
    }

    /// The first heading among `range` of note `target` that `part` names: by its text, else its
    /// id, else the slug of `part`.
    fn heading(&self, target: usize, part: &str, range: Range<usize>) -> Option<usize> {
        let scan = &self.scans[target];
        let wanted = fold(part);
        if let Some(anchors) = &self.anchors[target]
            && range == (0..scan.heading_ids.len())
        {
            return anchors
                .texts
                .get(&wanted)
                .or_else(|| anchors.ids.get(part))
                .or_else(|| anchors.ids.get(&slugify(part)))
                .copied();
        }
        let ids = &scan.heading_ids[range.clone()];
        let by_text = range.clone().find(|&i| {
            scan.headings
                .get(i)
                .is_some_and(|h| fold(&h.source) == wanted || fold(&h.text) == wanted)
        });
        by_text
            .or_else(|| {
                ids.iter()
                    .position(|id| id == part)
                    .map(|j| range.start + j)
            })
            .or_else(|| {
                let slug = slugify(part);
                ids.iter()
                    .position(|id| *id == slug)
                    .map(|j| range.start + j)
            })
    }
}

/// Where the section of heading `i` ends: at the next heading of its level or above.
fn section_end(scan: &Scan, i: usize) -> usize {
    let level = scan.headings.get(i).map_or(1, |h| h.level);
    (i + 1..scan.heading_ids.len())
        .find(|&j| scan.headings.get(j).is_none_or(|h| h.level <= level))
        .unwrap_or(scan.heading_ids.len())
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn headings_compare_as_links_can_write_them() {
        assert_eq!(fold("  Q: Why?  "), "q why?");
        assert_eq!(fold("Norm-$2$ Bound"), "norm-$2$ bound");
        assert_eq!(
            fold("Dream Pies ([idea](https://e.org/p))"),
            fold("dream pies ( idea (https //e.org/p))")
        );
    }
}
