//! APA 7 in-text disambiguation (Publication Manual §8.18–8.20), applied after every source has
//! been formatted on its own:
//! 1. first authors who share a family name but not their initials are cited with initials
//!    (`H. Akhtar et al., 2021` beside `N. Akhtar & Holland, 2023`), in every year;
//! 2. works whose shortened `et al.` forms collide list as many names as distinguish them
//!    (`Ma, Chen, et al., 2013`);
//! 3. works by the same authors in the same year get letters in reference-list order, in the text
//!    and in the reference list (`2019a`, `n.d.-a`).
//!
//! hayagriva 0.10 gets these wrong (it drops initials from namesakes' reference entries, shortens
//! whole author lists to "et al." in the reference list, and gives undated works no letters), so
//! gloss applies them itself; the tests hold each rule to the Manual's examples.

use std::collections::{BTreeMap, HashMap};

use super::model::Name;
use super::reference::{Reference, SourceInput};

/// Rewrites the in-text forms (and the year of reference entries) of `refs` so that no two works
/// read alike where APA can tell them apart. `inputs` must be in APA reference-list order.
pub(super) fn disambiguate(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    add_initials(inputs, refs);
    expand_names(inputs, refs);
    add_letters(inputs, refs);
}

fn first_family(meta_authors: &[Name]) -> String {
    meta_authors
        .first()
        .map(|a| a.family.to_lowercase())
        .unwrap_or_default()
}

/// Rule 1: namesakes among first authors get their initials in the text.
fn add_initials(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    let mut by_family: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in inputs {
        by_family
            .entry(first_family(&s.meta.authors))
            .or_default()
            .push(s);
    }
    for members in by_family.values() {
        let mut givens: Vec<&str> = members
            .iter()
            .filter_map(|s| s.meta.authors.first()?.given.as_deref())
            .collect();
        givens.sort_unstable();
        givens.dedup();
        if givens.len() < 2 {
            continue;
        }
        for s in members {
            let Some(first) = s.meta.authors.first() else {
                continue;
            };
            let (Some(given), Some(r)) = (first.given.as_deref(), refs.get_mut(s.key)) else {
                continue;
            };
            r.in_text.author = format!("{given} {}", r.in_text.author);
            r.in_text.narrative_author = format!("{given} {}", r.in_text.narrative_author);
        }
    }
}

/// Rule 2: colliding `et al.` forms list enough family names to tell the works apart.
fn expand_names(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    for group in collisions(inputs, refs) {
        let lists: Vec<Vec<&str>> = group
            .iter()
            .map(|s| s.meta.authors.iter().map(|a| a.family.as_str()).collect())
            .collect();
        if group.iter().any(|s| s.meta.authors.len() < 3) || lists.iter().all(|l| *l == lists[0]) {
            continue;
        }
        // A work's form with its first `n` names: the full list when `n` reaches its length.
        let form = |list: &[&str], n: usize| -> (Vec<String>, bool) {
            (
                list[..n.min(list.len())]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                n >= list.len(),
            )
        };
        for (i, s) in group.iter().enumerate() {
            let own = &lists[i];
            let needed = (2..=own.len()).find(|&n| {
                lists
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || form(other, n) != form(own, n))
            });
            let Some(n) = needed else { continue };
            let Some(r) = refs.get_mut(s.key) else {
                continue;
            };
            let prefix = r
                .in_text
                .author
                .strip_suffix(" et al.")
                .map(|p| p.to_string());
            let Some(first) = prefix else { continue };
            let rest = &own[1..n];
            if n == own.len() {
                let (init, last) = rest.split_at(rest.len() - 1);
                let head: Vec<&str> = std::iter::once(first.as_str())
                    .chain(init.iter().copied())
                    .collect();
                r.in_text.author = format!("{}, & {}", head.join(", "), last[0]);
                r.in_text.narrative_author = format!("{}, and {}", head.join(", "), last[0]);
            } else {
                let names: Vec<&str> = std::iter::once(first.as_str())
                    .chain(rest.iter().copied())
                    .collect();
                r.in_text.author = format!("{}, et al.", names.join(", "));
                r.in_text.narrative_author = r.in_text.author.clone();
            }
        }
    }
}

/// Rule 3: the same authors in the same year get letters, in reference-list order.
fn add_letters(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    for group in collisions(inputs, refs) {
        let mut by_authors: Vec<Vec<&SourceInput<'_>>> = Vec::new();
        for s in group {
            match by_authors
                .iter_mut()
                .find(|g| g[0].meta.authors == s.meta.authors)
            {
                Some(g) => g.push(s),
                None => by_authors.push(vec![s]),
            }
        }
        for same in by_authors
            .into_iter()
            .filter(|g| g.len() > 1 && g.len() <= 26)
        {
            for (n, s) in same.iter().enumerate() {
                let Some(r) = refs.get_mut(s.key) else {
                    continue;
                };
                let letter = (b'a' + n as u8) as char;
                let year = r.in_text.year.clone();
                let lettered = if year == "n.d." {
                    format!("n.d.-{letter}")
                } else {
                    format!("{year}{letter}")
                };
                let (from, to) = (format!(" ({year}). "), format!(" ({lettered}). "));
                r.text = r.text.replacen(&from, &to, 1);
                r.html = r.html.replacen(&from, &to, 1);
                r.in_text.year = lettered;
            }
        }
    }
}

/// Groups of two or more works (in input order) whose in-text forms are currently identical.
fn collisions<'a>(
    inputs: &[&'a SourceInput<'a>],
    refs: &HashMap<String, Reference>,
) -> Vec<Vec<&'a SourceInput<'a>>> {
    let mut groups: BTreeMap<(String, String), Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in inputs {
        if let Some(r) = refs.get(s.key) {
            groups
                .entry((r.in_text.author.clone(), r.in_text.year.clone()))
                .or_default()
                .push(s);
        }
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}
