//! The entries of one pass: every work of some clusters cited on its own and in running text,
//! and the bibliography, in the engine; each work's entry, its citation alone and in running
//! text, and its sort key.

use std::collections::HashMap;

use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::json::Item;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose, Elem, ElemChild,
    ElemChildren, ElemMeta, Rendered,
};

use super::output::{self, Run};
use super::pass::{fixes, request, still_alike};
use super::{NUMBER, item};
use crate::bib::apa::collation_key;
use crate::bib::model::EntryType;
use crate::bib::reference::{Reference, SourceInput, StyledForms};
use crate::bib::style::CslStyle;

/// One pass over whole clusters, in the style's form for them (`safe`: see
/// `bib::style::Forms`).
pub(super) fn entries(
    style: &CslStyle,
    clusters: &[Vec<&SourceInput<'_>>],
    safe: bool,
) -> Vec<(String, Reference)> {
    let mut items: HashMap<&str, Item> = clusters
        .iter()
        .flatten()
        .map(|s| (s.key, item::item(s)))
        .collect();
    let csl = style.forms.entries.get(safe);
    let mut order: Vec<Vec<&SourceInput<'_>>> = clusters.to_vec();
    let mut rendered = render(style, csl, &order, &items);
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
    let mut again = keys(&sorted) != keys(&order);
    if style.forms.conditions {
        // Works the style's disambiguation leaves alike get its `disambiguate` branch (see
        // `bib::style`), all of them.
        let works: Vec<&str> = order.iter().flatten().map(|s| s.key).collect();
        for key in still_alike(&works, &rendered.citations[..works.len()]) {
            if let Some(item) = items.get_mut(key.as_str()) {
                item::force_disambiguation(item);
                again = true;
            }
        }
    }
    if again {
        order = sorted;
        rendered = render(style, csl, &order, &items);
    }
    if may_disambiguate(style, &order) {
        // The engine prints an entry's names as its citations were disambiguated (`Lee, H.`
        // where the style prints `Lee, Hana`, and no given name at all under some rules): the
        // names come from a pass that disambiguates nothing; the year letters stay.
        let plain = render(style, &style.forms.plain, &order, &items);
        restore_names(&mut rendered, &plain);
    }
    references(style, &order, &rendered)
}

/// Whether two works of a cluster may be cited alike: in one year, or at all in a style whose
/// citations have no year (MLA): the only works the style's disambiguation touches.
fn may_disambiguate(style: &CslStyle, clusters: &[Vec<&SourceInput<'_>>]) -> bool {
    let yearless = !style.forms.style().citation.disambiguate_add_year_suffix;
    clusters.iter().any(|members| {
        let mut years: Vec<_> = members.iter().map(|s| &s.meta.year).collect();
        years.sort_by_key(|y| format!("{y:?}"));
        (yearless && members.len() > 1) || years.windows(2).any(|w| w[0] == w[1])
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
pub(super) fn render(
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
