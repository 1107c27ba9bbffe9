//! Sources and citations in a CSL style, through hayagriva's engine. One pass of the engine is
//! sequential and slow (a fraction of a millisecond per entry and per citation in a large style
//! such as Chicago's), so the work is split into independent passes run on every core:
//! 1. entries (`format_all`): the sources in groups of whole clusters (works whose first authors
//!    share a family name: the only works whose citations can read alike, so the only ones the
//!    style's disambiguation — more names, initials, 2019a — ever involves). Each pass also gives
//!    each work cited on its own and in running text;
//! 2. the order (`order`): inside a cluster the style's (the engine's sort), the clusters by
//!    their lead names as the style sorts names (a particle where its
//!    `demote-non-dropping-particle` puts it), letter by letter. A style whose bibliography has no order
//!    of its own (IEEE) follows the citations: works are numbered by their first citation
//!    through the site, its notes read in path order (as pandoc numbers one document), then the
//!    works no note cites, in the notes' order;
//! 3. citations (`cite`): every distinct citation of the site, in groups, each pass with the
//!    whole clusters of its works cited invisibly beside it, so a citation is disambiguated as
//!    the bibliography is.

//!
//! The engine panics on some inputs (see `guard`): each pass runs guarded, a pass that panics is
//! run again cluster by cluster (entries) or citation by citation, and what still panics is a
//! [`Failure`] naming its sources, which the build reports as an error.

mod case;
mod cite;
mod entries;
mod guard;
mod item;
mod locator;
mod output;
mod pass;

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::apa::sort_key;
use super::reference::{Reference, SourceInput, cluster_key};
use super::style::CslStyle;
use crate::cite::Citation;
use pass::{PASS, needs_safe};

pub(crate) use cite::cite_all;

/// Stands for a citation number until the site's numbering is known (`order`).
const NUMBER: char = '\u{E020}';

/// Sources the engine could not format: it panicked on them (`message`, in its words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The sources of the pass that failed: one cluster's, or one citation's.
    pub(crate) keys: Vec<String>,
    pub(crate) message: String,
}

/// Formats every source: its entry, and its citation on its own. The sort keys and numbers are
/// final once [`order`] has seen the site's citations.
pub(crate) fn format_all(
    style: &CslStyle,
    sources: &[SourceInput<'_>],
) -> (Vec<(String, Reference)>, Vec<Failure>) {
    let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in sources {
        clusters
            .entry(cluster_key(s.meta, s.title))
            .or_default()
            .push(s);
    }
    // A cluster that needs the style's safe form is a pass of its own (see `needs_safe`).
    let mut passes: Vec<(bool, Vec<Vec<&SourceInput<'_>>>)> = vec![(false, Vec::new())];
    let mut size = 0;
    for (_, mut members) in clusters {
        // gloss's APA order is the first guess at the style's (see `entries`).
        members.sort_by_cached_key(|s| sort_key(s));
        if needs_safe(&members) {
            passes.push((true, vec![members]));
            continue;
        }
        if size >= PASS {
            passes.push((false, Vec::new()));
            size = 0;
        }
        size += members.len();
        if let Some((_, pass)) = passes.iter_mut().rev().find(|(safe, _)| !safe) {
            pass.push(members);
        }
    }
    let results: Vec<Result<Vec<(String, Reference)>, Failure>> = passes
        .par_iter()
        .flat_map_iter(|(safe, pass)| {
            match guard::guarded(|| entries::entries(style, pass, *safe)) {
                Ok(refs) => vec![Ok(refs)],
                // Which cluster: each on its own.
                Err(_) if pass.len() > 1 => pass
                    .iter()
                    .map(|members| {
                        let one = std::slice::from_ref(members);
                        guard::guarded(|| entries::entries(style, one, *safe))
                            .map_err(|e| failure(members.iter().map(|s| s.key), e))
                    })
                    .collect(),
                Err(e) => vec![Err(failure(pass.iter().flatten().map(|s| s.key), e))],
            }
        })
        .collect();
    let mut references = Vec::with_capacity(sources.len());
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(refs) => references.extend(refs),
            Err(f) => failures.push(f),
        }
    }
    (references, failures)
}

fn failure<'a>(keys: impl Iterator<Item = &'a str>, e: guard::EnginePanic) -> Failure {
    Failure {
        keys: keys.map(str::to_string).collect(),
        message: e.0,
    }
}

/// The site's order and numbers: the keys in reference-list order, with every citation number
/// written into the references and their sort keys made final. `cited` are the citations in
/// the order a reader meets them.
pub(crate) fn order(
    style: &CslStyle,
    sources: &[SourceInput<'_>],
    references: &mut BTreeMap<String, Reference>,
    cited: &[&Citation],
) -> Vec<String> {
    let mut order: Vec<String> = if style.sorts_bibliography() {
        let mut keyed: Vec<(&[u8], &String)> = references
            .iter()
            .map(|(k, r)| (r.sort_key.as_slice(), k))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, k)| k.clone()).collect()
    } else {
        let firsts = cited.iter().flat_map(|c| &c.items).map(|i| i.key.as_str());
        let rest = sources.iter().map(|s| s.key);
        let mut seen = std::collections::HashSet::new();
        firsts
            .chain(rest)
            .filter(|k| references.contains_key(*k) && seen.insert(*k))
            .map(str::to_string)
            .collect()
    };
    order.dedup();
    for (rank, key) in order.iter().enumerate() {
        let Some(r) = references.get_mut(key) else {
            continue;
        };
        let number = (rank + 1).to_string();
        let fill = |s: &mut String| {
            if s.contains(NUMBER) {
                *s = s.replace(NUMBER, &number);
            }
        };
        fill(&mut r.html);
        fill(&mut r.text);
        if let Some(forms) = &mut r.styled {
            fill(&mut forms.cited);
            fill(&mut forms.short);
        }
        if !style.sorts_bibliography() {
            r.sort_key = (rank as u32).to_be_bytes().to_vec();
        }
    }
    order
}
