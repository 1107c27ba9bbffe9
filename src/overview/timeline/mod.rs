//! The timeline: every source at its publication year (a dot each, coloured by type, linked to
//! its page; stacked bars by type once a year holds too many to count by eye), the dated events
//! of the notes' `events:` lists on the same axis ([`marks`]), the same by year as a list
//! ([`years`]), and each theme's [`Sparkline`] on the site's years.

mod marks;
mod years;

use std::collections::BTreeMap;

use serde::Serialize;

use super::sparkline::Sparkline;
use super::{known_year, round, themes_in_order, type_of, year_of, year_range};
use crate::graph::Site;
use crate::note::{DatedEvent, Year};
use marks::{Bar, Dot, EventMark, Tick};
use years::YearGroup;

/// The chart's width in SVG units (it scales to the page).
const WIDTH: f64 = 960.0;
/// Room left of the first year for the events' label and the bars' counts.
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
/// Colours for the most common types; the rest share the last one.
const PALETTE: usize = 6;

/// A colour of the legend.
#[derive(Serialize)]
pub(crate) struct Swatch {
    class: String,
    label: String,
    count: usize,
}

/// A note named by its title.
#[derive(Serialize, PartialEq)]
pub(crate) struct NoteRef {
    title: String,
    url: String,
}

/// A theme's row under the chart: its sparkline.
#[derive(Serialize)]
pub(crate) struct ThemeSpan {
    title: String,
    url: String,
    sparkline: Sparkline,
}

/// The timeline page's input.
#[derive(Serialize)]
pub(crate) struct TimelineView {
    width: f64,
    height: f64,
    baseline: f64,
    /// "dots" or "bars".
    mode: &'static str,
    dots: Vec<Dot>,
    bars: Vec<Bar>,
    /// Year labels under the axis, count labels beside bars.
    ticks: Vec<Tick>,
    counts: Vec<Tick>,
    legend: Vec<Swatch>,
    events: Vec<EventMark>,
    /// Where the events' band starts (0 when there are none).
    events_top: f64,
    event_count: usize,
    /// The notes holding events.
    event_notes: Vec<NoteRef>,
    source_count: usize,
    years: Vec<YearGroup>,
    themes: Vec<ThemeSpan>,
    /// The years the themes' sparklines span.
    span: String,
}

/// The chart's columns: one per year from the first to the last (of sources and events), then,
/// after a gap, n.d. and in press when some source is.
struct Axis {
    lo: i32,
    hi: i32,
    span: usize,
    width: f64,
    undated: bool,
    in_press: bool,
}

impl Axis {
    fn of(site: &Site, sources: &[usize], events: &[(usize, &DatedEvent)]) -> Axis {
        let known = sources.iter().filter_map(|&s| known_year(site, s));
        let mut all = known.chain(events.iter().map(|(_, e)| e.date.year));
        let first = all.next().unwrap_or(0);
        let (lo, hi) = all.fold((first, first), |(lo, hi), y| (lo.min(y), hi.max(y)));
        let span = (hi - lo + 1).max(1) as usize;
        let undated = sources.iter().any(|&s| year_of(site, s) == Year::Unknown);
        let in_press = sources.iter().any(|&s| year_of(site, s) == Year::InPress);
        let columns = if undated || in_press { span + 3 } else { span };
        Axis {
            lo,
            hi,
            span,
            width: (WIDTH - LEFT - RIGHT) / columns as f64,
            undated,
            in_press,
        }
    }

    /// The column of a publication year.
    fn column(&self, year: Year) -> usize {
        match year {
            Year::Known(y) => (y - self.lo) as usize,
            Year::Unknown => self.span + 1,
            Year::InPress => self.span + 2,
        }
    }

    /// The middle of column `c`.
    fn x(&self, c: usize) -> f64 {
        LEFT + (c as f64 + 0.5) * self.width
    }
}

/// Every dated event of the site with the note it is in, by date (then note, then order).
fn events(site: &Site) -> Vec<(usize, &DatedEvent)> {
    let mut all: Vec<(usize, &DatedEvent)> = site
        .notes
        .iter()
        .enumerate()
        .flat_map(|(i, n)| n.events.iter().map(move |e| (i, e)))
        .collect();
    all.sort_by_key(|(i, e)| (e.date.year, e.date.month, e.date.day, *i));
    all
}

/// The type classes: the commonest types get a colour each, the rest share the last.
fn type_classes(site: &Site, sources: &[usize]) -> (BTreeMap<&'static str, usize>, Vec<Swatch>) {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for &s in sources {
        *counts.entry(type_of(site, s)).or_default() += 1;
    }
    let mut ranked: Vec<(&'static str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut class = BTreeMap::new();
    let mut legend: Vec<Swatch> = Vec::new();
    for (n, (t, count)) in ranked.iter().enumerate() {
        let c = n.min(PALETTE - 1);
        class.insert(*t, c);
        if n < PALETTE - 1 || ranked.len() == PALETTE {
            legend.push(Swatch {
                class: format!("t{c}"),
                label: t.to_string(),
                count: *count,
            });
        } else if n == PALETTE - 1 {
            let rest: Vec<&str> = ranked[n..].iter().map(|(t, _)| *t).collect();
            legend.push(Swatch {
                class: format!("t{c}"),
                label: format!("other types ({})", rest.join(", ")),
                count: ranked[n..].iter().map(|(_, c)| c).sum(),
            });
        }
    }
    (class, legend)
}

impl TimelineView {
    pub(crate) fn of(site: &Site) -> TimelineView {
        let sources: Vec<usize> = site
            .bibliography_order
            .iter()
            .map(|k| site.by_key[k.as_str()])
            .collect();
        let events = events(site);
        let axis = Axis::of(site, &sources, &events);
        let (class_of, legend) = type_classes(site, &sources);
        let class = |s: usize| {
            class_of
                .get(type_of(site, s))
                .copied()
                .unwrap_or(PALETTE - 1)
        };
        let shared = legend.len() == PALETTE && legend[PALETTE - 1].label.starts_with("other");
        let sources_marks = marks::sources(site, &axis, &sources, &class, shared);
        let baseline = sources_marks.baseline;
        let ticks = marks::year_ticks(&axis, baseline);
        let events_top = if events.is_empty() {
            0.0
        } else {
            baseline + 34.0
        };
        let (event_marks, depth) = marks::events(site, &axis, &events, events_top);
        let height = if events.is_empty() {
            baseline + 26.0
        } else {
            events_top + depth + 8.0
        };
        let mut event_notes: Vec<NoteRef> = Vec::new();
        for &(i, _) in &events {
            let named = NoteRef {
                title: site.notes[i].title.clone(),
                url: site.url_of(i),
            };
            if !event_notes.contains(&named) {
                event_notes.push(named);
            }
        }
        let range = year_range(site);
        TimelineView {
            width: WIDTH,
            height: round(height),
            baseline: round(baseline),
            mode: sources_marks.mode,
            dots: sources_marks.dots,
            bars: sources_marks.bars,
            ticks,
            counts: sources_marks.counts,
            legend,
            event_count: event_marks.len(),
            events: event_marks,
            events_top: round(events_top),
            event_notes,
            source_count: sources.len(),
            years: years::groups(site, &sources, &events),
            themes: themes_in_order(site)
                .into_iter()
                .filter_map(|t| {
                    Some(ThemeSpan {
                        title: site.notes[t].title.clone(),
                        url: site.url_of(t),
                        sparkline: Sparkline::of(site, t, range?)?,
                    })
                })
                .collect(),
            span: range.map_or_else(String::new, |(lo, hi)| format!("{lo}–{hi}")),
        }
    }
}
