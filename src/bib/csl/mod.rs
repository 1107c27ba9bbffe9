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

mod cite;
mod item;
mod output;
mod pass;

use std::collections::{BTreeMap, HashMap};

use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::json::Item;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose, Elem, ElemChild,
    ElemChildren, ElemMeta, Rendered,
};
use rayon::prelude::*;

use super::apa::{collation_key, sort_key};
use super::model::EntryType;
use super::reference::{Reference, SourceInput, StyledForms, cluster_key};
use super::style::CslStyle;
use crate::cite::Citation;
use output::Run;
use pass::{PASS, fixes, request};

pub(crate) use cite::cite_all;

/// Stands for a citation number until the site's numbering is known (`order`).
const NUMBER: char = '\u{E020}';

/// Formats every source: its entry, and its citation on its own. The sort keys and numbers are
/// final once [`order`] has seen the site's citations.
pub(crate) fn format_all(
    style: &CslStyle,
    sources: &[SourceInput<'_>],
) -> Vec<(String, Reference)> {
    let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
    for s in sources {
        clusters
            .entry(cluster_key(s.meta, s.title))
            .or_default()
            .push(s);
    }
    let mut passes: Vec<Vec<Vec<&SourceInput<'_>>>> = vec![Vec::new()];
    let mut size = 0;
    for (_, mut members) in clusters {
        // gloss's APA order is the first guess at the style's (see `entries`).
        members.sort_by_cached_key(|s| sort_key(s));
        if size >= PASS {
            passes.push(Vec::new());
            size = 0;
        }
        size += members.len();
        if let Some(pass) = passes.last_mut() {
            pass.push(members);
        }
    }
    passes
        .par_iter()
        .flat_map_iter(|pass| entries(style, pass))
        .collect()
}

/// One pass over whole clusters.
fn entries(style: &CslStyle, clusters: &[Vec<&SourceInput<'_>>]) -> Vec<(String, Reference)> {
    let items: HashMap<&str, Item> = clusters
        .iter()
        .flatten()
        .map(|s| (s.key, item::item(s)))
        .collect();
    let mut order: Vec<Vec<&SourceInput<'_>>> = clusters.to_vec();
    let mut rendered = render(style, &style.csl, &order, &items);
    // The engine gives year letters (2019a) in the order it is given the works, where the
    // specification wants the bibliography's: when the style orders a cluster otherwise, the
    // pass is made again in its order.
    let place: HashMap<String, usize> = rendered
        .bibliography
        .iter()
        .flat_map(|b| &b.items)
        .enumerate()
        .map(|(i, b)| (b.key.clone(), i))
        .collect();
    let mut sorted = order.clone();
    for members in &mut sorted {
        members.sort_by_key(|s| place.get(s.key).copied().unwrap_or(usize::MAX));
    }
    let keys = |c: &[Vec<&SourceInput<'_>>]| -> Vec<Vec<String>> {
        c.iter()
            .map(|m| m.iter().map(|s| s.key.to_string()).collect())
            .collect()
    };
    if keys(&sorted) != keys(&order) {
        order = sorted;
        rendered = render(style, &style.csl, &order, &items);
    }
    if may_disambiguate(&order) {
        // The engine prints an entry's names as its citations were disambiguated (`Lee, H.`
        // where the style prints `Lee, Hana`, and no given name at all under some rules): the
        // names come from a pass that disambiguates nothing; the year letters stay.
        let plain = render(style, &style.plain, &order, &items);
        restore_names(&mut rendered, &plain);
    }
    references(style, &order, &rendered)
}

/// Whether two works of a cluster share a year: the only works whose citations can read alike,
/// so the only ones the style's disambiguation touches.
fn may_disambiguate(clusters: &[Vec<&SourceInput<'_>>]) -> bool {
    clusters.iter().any(|members| {
        let mut years: Vec<_> = members.iter().map(|s| &s.meta.year).collect();
        years.sort_by_key(|y| format!("{y:?}"));
        years.windows(2).any(|w| w[0] == w[1])
    })
}

/// Gives each entry of `rendered` the names (every `cs:names` output, in order) of the same
/// entry in `plain`.
fn restore_names(rendered: &mut Rendered, plain: &Rendered) {
    let (Some(bibliography), Some(plain)) = (&mut rendered.bibliography, &plain.bibliography)
    else {
        return;
    };
    let plain: HashMap<&str, &hayagriva::BibliographyItem> =
        plain.items.iter().map(|i| (i.key.as_str(), i)).collect();
    for item in &mut bibliography.items {
        let Some(theirs) = plain.get(item.key.as_str()) else {
            continue;
        };
        let mut names = Vec::new();
        collect_names(
            theirs.first_field.iter().chain(&theirs.content.0),
            &mut names,
        );
        let mut ours = Vec::new();
        collect_names(item.first_field.iter().chain(&item.content.0), &mut ours);
        if names.len() != ours.len() {
            continue;
        }
        let mut names = names.into_iter();
        let fields = item.first_field.iter_mut().chain(item.content.0.iter_mut());
        replace_names(fields, &mut names);
    }
}

fn collect_names<'a>(children: impl Iterator<Item = &'a ElemChild>, out: &mut Vec<Elem>) {
    for child in children {
        if let ElemChild::Elem(e) = child {
            if matches!(e.meta, Some(ElemMeta::Names(..))) {
                out.push(e.clone());
            } else {
                collect_names(e.children.0.iter(), out);
            }
        }
    }
}

fn replace_names<'a>(
    children: impl Iterator<Item = &'a mut ElemChild>,
    names: &mut impl Iterator<Item = Elem>,
) {
    for child in children {
        if let ElemChild::Elem(e) = child {
            if matches!(e.meta, Some(ElemMeta::Names(..))) {
                if let Some(plain) = names.next() {
                    *e = plain;
                }
            } else {
                replace_names(e.children.0.iter_mut(), names);
            }
        }
    }
}

/// The engine's pass in `csl` (the style, or its form that disambiguates nothing): each work
/// cited once on its own, then once in running text.
fn render(
    style: &CslStyle,
    csl: &IndependentStyle,
    clusters: &[Vec<&SourceInput<'_>>],
    items: &HashMap<&str, Item>,
) -> Rendered {
    let mut driver = BibliographyDriver::new();
    let works = || clusters.iter().flatten().filter_map(|s| items.get(s.key));
    for item in works() {
        driver.citation(request(csl, style, vec![CitationItem::with_entry(item)]));
    }
    for item in works() {
        let prose = CitationItem::with_entry(item).kind(CitePurpose::Prose);
        driver.citation(request(csl, style, vec![prose]));
    }
    driver.finish(BibliographyRequest::new(
        csl,
        Some(style.locale.clone()),
        &style.locales,
    ))
}

/// The references of a pass, each cluster in the style's order.
fn references(
    style: &CslStyle,
    clusters: &[Vec<&SourceInput<'_>>],
    rendered: &Rendered,
) -> Vec<(String, Reference)> {
    let sentinel = |_: Option<usize>| NUMBER.to_string();
    let convert = |children: &ElemChildren, source: &SourceInput<'_>| -> Vec<Run> {
        let mut runs = output::runs(children, &sentinel);
        output::repair(&mut runs, &fixes(source), style.spaced_colon());
        runs
    };
    let entries: HashMap<&str, &hayagriva::BibliographyItem> = rendered
        .bibliography
        .iter()
        .flat_map(|b| &b.items)
        .map(|b| (b.key.as_str(), b))
        .collect();
    let count = clusters.iter().map(Vec::len).sum::<usize>();
    let mut out = Vec::with_capacity(count);
    let mut n = 0;
    for members in clusters {
        let mut head: Option<Vec<u8>> = None;
        for (position, source) in members.iter().enumerate() {
            let (cited, prose) = (&rendered.citations[n], &rendered.citations[count + n]);
            n += 1;
            let (mut html, mut text) = (String::new(), String::new());
            if let Some(entry) = entries.get(source.key) {
                if let Some(first) = &entry.first_field {
                    let runs = convert(&ElemChildren(vec![first.clone()]), source);
                    html = format!("{} ", output::html(&runs));
                    text = format!("{} ", output::text(&runs));
                }
                let runs = output::trimmed(convert(&entry.content, source));
                html.push_str(&output::html(&runs));
                text.push_str(&output::text(&runs));
            }
            let short = output::without_empty_parentheses(convert(&prose.citation, source));
            let head = head.get_or_insert_with(|| {
                let mut key = collation_key(&lead_name(source, style.demotes_particles()));
                key.extend(collation_key(&text));
                key
            });
            let mut key = head.clone();
            key.extend_from_slice(&(position as u32).to_be_bytes());
            out.push((
                source.key.to_string(),
                Reference {
                    html,
                    text,
                    sort_key: key,
                    styled: Some(StyledForms {
                        cited: output::text(&convert(&cited.citation, source)),
                        short: output::text(&output::trimmed(short)),
                    }),
                    ..Reference::default()
                },
            ));
        }
    }
    out
}

/// What the style sorts a work by first: its lead author's (or editor's) name, family first, the
/// particle where the style sorts it (`van der Berg` under B or V); a work with neither, its title.
fn lead_name(source: &SourceInput<'_>, demote: bool) -> String {
    let meta = source.meta;
    let lead = meta.authors.first().or_else(|| {
        (meta.entry_type != EntryType::Chapter)
            .then(|| meta.editors.first())
            .flatten()
    });
    match lead {
        Some(name) => match (&name.particle, demote) {
            (Some(particle), true) => format!("{} {particle}", name.family),
            _ => name.full_family(),
        },
        None => crate::bib::markup::plain(source.title),
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
