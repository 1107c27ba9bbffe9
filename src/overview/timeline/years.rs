//! The timeline as a list: the sources and events of each year, for readers the chart does not
//! serve (a screen reader, a search in the page, a printout).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::Site;
use crate::note::{DatedEvent, Year};
use crate::overview::{label, type_of, year_of};

/// A source in the list.
#[derive(Serialize)]
pub(crate) struct ListedSource {
    label: String,
    title: String,
    url: String,
    entry_type: &'static str,
}

/// An event in the list.
#[derive(Serialize)]
pub(crate) struct ListedEvent {
    date: String,
    title: String,
    url: String,
    /// The sources it names.
    cites: Vec<ListedSource>,
}

#[derive(Serialize)]
pub(crate) struct YearGroup {
    label: String,
    sources: Vec<ListedSource>,
    events: Vec<ListedEvent>,
}

/// The group of `year`, made when it is first needed: years in order, then n.d., then in press.
fn group(groups: &mut BTreeMap<(u8, i32), YearGroup>, year: Year) -> &mut YearGroup {
    let order = match year {
        Year::Known(y) => (0, y),
        Year::Unknown => (1, 0),
        Year::InPress => (2, 0),
    };
    groups.entry(order).or_insert_with(|| YearGroup {
        label: year.to_string(),
        sources: Vec::new(),
        events: Vec::new(),
    })
}

/// The sources (in reference-list order) and events (by date) of each year.
pub(super) fn groups(
    site: &Site,
    sources: &[usize],
    events: &[(usize, &DatedEvent)],
) -> Vec<YearGroup> {
    let mut groups: BTreeMap<(u8, i32), YearGroup> = BTreeMap::new();
    let listed = |s: usize| ListedSource {
        label: label(site, s),
        title: site.notes[s].title.clone(),
        url: site.url_of(s),
        entry_type: type_of(site, s),
    };
    for &s in sources {
        group(&mut groups, year_of(site, s)).sources.push(listed(s));
    }
    for &(i, e) in events {
        group(&mut groups, Year::Known(e.date.year))
            .events
            .push(ListedEvent {
                date: e.date.to_string(),
                title: e.title.clone(),
                url: site.url_of(i),
                cites: e
                    .cites
                    .iter()
                    .filter_map(|k| site.by_key.get(k.as_str()).map(|&s| listed(s)))
                    .collect(),
            });
    }
    groups.into_values().collect()
}
