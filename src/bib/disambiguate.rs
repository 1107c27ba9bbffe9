//! APA 7 in-text disambiguation (Publication Manual §8.18–8.20), applied after every source has
//! been formatted on its own:
//! 1. first authors who share a family name but not their initials are cited with initials
//!    (`A. B. Taylor, 2019` beside `A. Taylor, 2021`), in every year; "J." and "John" with one
//!    family name are one person, so they get none;
//! 2. works whose shortened `et al.` forms collide list as many names as distinguish them
//!    (`Ma, Chen, et al., 2013`), and all of them where `et al.` would stand for a single name;
//! 3. works by the same authors in the same year get letters in reference-list order, in the text
//!    and in the reference list (`2019a`, `n.d.-a`).

use std::collections::{BTreeMap, HashMap};

use super::apa::initials;
use super::model::{EntryType, Name, SourceMeta};
use super::reference::{Reference, SourceInput};

/// Rewrites the in-text forms (and the year of reference entries) of `refs` so that no two works
/// read alike where APA can tell them apart. `inputs` must be in APA reference-list order.
pub(super) fn disambiguate(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    add_initials(inputs, refs);
    expand_names(inputs, refs);
    add_letters(inputs, refs);
}

/// Whoever leads the entry: the authors, else (for anything but a chapter) the editors.
fn lead(meta: &SourceMeta) -> &[Name] {
    if !meta.authors.is_empty() || meta.entry_type == EntryType::Chapter {
        &meta.authors
    } else {
        &meta.editors
    }
}

/// An author list as APA tells people apart.
type People = Vec<(String, String)>;

/// A name as APA tells people apart: family name and initials.
fn identity(name: &Name) -> (String, String) {
    (
        name.full_family(),
        name.given.as_deref().map(initials).unwrap_or_default(),
    )
}

/// Rule 1: namesakes among first authors get their initials in the text.
fn add_initials(inputs: &[&SourceInput<'_>], refs: &mut HashMap<String, Reference>) {
    let mut by_family: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in inputs {
        if let Some(first) = lead(s.meta).first()
            && !first.is_literal()
        {
            by_family
                .entry(first.full_family().to_lowercase())
                .or_default()
                .push(s);
        }
    }
    for members in by_family.values() {
        let mut people: Vec<String> = members
            .iter()
            .filter_map(|s| lead(s.meta).first().map(|n| identity(n).1))
            .filter(|i| !i.is_empty())
            .collect();
        people.sort_unstable();
        people.dedup();
        if people.len() < 2 {
            continue;
        }
        for s in members {
            let Some(first) = lead(s.meta).first() else {
                continue;
            };
            let given = identity(first).1;
            let Some(r) = refs.get_mut(s.key).filter(|_| !given.is_empty()) else {
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
        let lists: Vec<Vec<String>> = group
            .iter()
            .map(|s| lead(s.meta).iter().map(Name::full_family).collect())
            .collect();
        if lists.iter().any(|l| l.len() < 3) || lists.iter().all(|l| *l == lists[0]) {
            continue;
        }
        // A work's form with its first `n` names: the full list when `n` reaches its length.
        let form = |list: &[String], n: usize| -> (Vec<String>, bool) {
            (list[..n.min(list.len())].to_vec(), n >= list.len())
        };
        for (i, s) in group.iter().enumerate() {
            let own = &lists[i];
            // Works by the very same authors are told apart by their letters, not by names.
            let Some(mut needed) = (2..=own.len()).find(|&n| {
                lists
                    .iter()
                    .all(|other| other == own || form(other, n) != form(own, n))
            }) else {
                continue;
            };
            // `et al.` is plural: it may not stand for one name (§8.18).
            if needed + 1 == own.len() {
                needed = own.len();
            }
            let Some(r) = refs.get_mut(s.key) else {
                continue;
            };
            let Some(first) = r.in_text.author.strip_suffix(" et al.").map(str::to_string) else {
                continue;
            };
            let rest = &own[1..needed];
            if needed == own.len() {
                let (init, last) = rest.split_at(rest.len() - 1);
                let head: Vec<&str> = std::iter::once(first.as_str())
                    .chain(init.iter().map(String::as_str))
                    .collect();
                r.in_text.author = format!("{}, & {}", head.join(", "), last[0]);
                r.in_text.narrative_author = format!("{}, and {}", head.join(", "), last[0]);
            } else {
                let names: Vec<&str> = std::iter::once(first.as_str())
                    .chain(rest.iter().map(String::as_str))
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
        let mut by_authors: Vec<(People, Vec<&SourceInput<'_>>)> = Vec::new();
        for s in group {
            let people: People = lead(s.meta).iter().map(identity).collect();
            match by_authors.iter_mut().find(|(p, _)| *p == people) {
                Some((_, works)) => works.push(s),
                None => by_authors.push((people, vec![s])),
            }
        }
        for (_, same) in by_authors
            .into_iter()
            .filter(|(_, w)| w.len() > 1 && w.len() <= 26)
        {
            for (n, s) in same.iter().enumerate() {
                let Some(r) = refs.get_mut(s.key) else {
                    continue;
                };
                let letter = (b'a' + n as u8) as char;
                let year = r.in_text.year.clone();
                // Words take a hyphen before the letter (`n.d.-a`, `in press-a`), years none.
                let suffix = if year.starts_with(|c: char| c.is_ascii_digit()) {
                    letter.to_string()
                } else {
                    format!("-{letter}")
                };
                let (html_at, text_at) = r.year_end;
                r.html.insert_str(html_at, &suffix);
                r.text.insert_str(text_at, &suffix);
                r.in_text.year = format!("{year}{suffix}");
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
