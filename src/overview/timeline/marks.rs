//! What the timeline draws: a dot per source stacked in its year's column (or, when a year holds
//! more than can be counted by eye, a bar per type), the year labels, and a diamond per event.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Axis, LEFT, PALETTE, TOP};
use crate::graph::Site;
use crate::note::{DatedEvent, Year};
use crate::overview::{decade, label, round, shorten, type_of, year_of};

const MAX_DOT: f64 = 7.0;
/// A year with more sources than this is drawn as bars: a column of dots that tall is
/// unreadable, and 10,000 linked dots would weigh megabytes.
const MOST_DOTS: usize = 24;
const BAR_HEIGHT: f64 = 200.0;
/// How long an event's title may be in its tooltip.
const EVENT_CHARS: usize = 160;

#[derive(Serialize)]
pub(crate) struct Dot {
    x: f64,
    y: f64,
    r: f64,
    class: String,
    url: String,
    title: String,
}

#[derive(Serialize)]
pub(crate) struct Bar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    class: String,
    url: String,
    title: String,
}

#[derive(Serialize)]
pub(crate) struct Tick {
    x: f64,
    y: f64,
    label: String,
}

#[derive(Serialize)]
pub(crate) struct EventMark {
    /// The diamond's corners, as an SVG `points` list.
    points: String,
    url: String,
    title: String,
}

/// The sources as drawn.
pub(super) struct SourceMarks {
    pub(super) mode: &'static str,
    pub(super) baseline: f64,
    pub(super) dots: Vec<Dot>,
    pub(super) bars: Vec<Bar>,
    /// The bars' scale.
    pub(super) counts: Vec<Tick>,
}

/// The sources, by column: dots when every column is short enough, else bars.
/// `class` is a source's colour; `shared`, whether the last colour stands for several types.
pub(super) fn sources(
    site: &Site,
    axis: &Axis,
    sources: &[usize],
    class: &dyn Fn(usize) -> usize,
    shared: bool,
) -> SourceMarks {
    // Each column's sources, by type then reference-list order.
    let mut by_column: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &s in sources {
        by_column
            .entry(axis.column(year_of(site, s)))
            .or_default()
            .push(s);
    }
    for list in by_column.values_mut() {
        list.sort_by_key(|&s| class(s));
    }
    let tallest = by_column.values().map(Vec::len).max().unwrap_or(0);
    let mut marks = SourceMarks {
        mode: "dots",
        baseline: 0.0,
        dots: Vec::new(),
        bars: Vec::new(),
        counts: Vec::new(),
    };
    if tallest <= MOST_DOTS {
        let r = (axis.width * 0.42).clamp(1.5, MAX_DOT);
        let step = 2.0 * r + (r * 0.35).max(1.0);
        marks.baseline = TOP + (tallest as f64 * step).max(40.0);
        for (&c, list) in &by_column {
            for (n, &s) in list.iter().enumerate() {
                marks.dots.push(Dot {
                    x: round(axis.x(c)),
                    y: round(marks.baseline - step * (n as f64 + 0.5)),
                    r: round(r),
                    class: format!("t{}", class(s)),
                    url: site.url_of(s),
                    title: format!(
                        "{} {} ({})",
                        label(site, s),
                        site.notes[s].title,
                        type_of(site, s)
                    ),
                });
            }
        }
        return marks;
    }
    marks.mode = "bars";
    marks.baseline = TOP + BAR_HEIGHT;
    let unit = BAR_HEIGHT / tallest as f64;
    for (&c, list) in &by_column {
        let mut y = marks.baseline;
        for run in list.chunk_by(|&a, &b| class(a) == class(b)) {
            let k = class(run[0]);
            let year = year_of(site, run[0]);
            let what = if k == PALETTE - 1 && shared {
                "of other types"
            } else {
                type_of(site, run[0])
            };
            let h = run.len() as f64 * unit;
            y -= h;
            marks.bars.push(Bar {
                x: round(axis.x(c) - axis.width * 0.4),
                y: round(y),
                w: round(axis.width * 0.8),
                h: round(h),
                class: format!("t{k}"),
                url: format!(
                    "{}bibliography/?decade={}",
                    site.config.base_path,
                    decade(year).replace(' ', "+")
                ),
                title: format!("{year}: {} {what}", run.len()),
            });
        }
    }
    for n in [tallest / 2, tallest] {
        marks.counts.push(Tick {
            x: LEFT - 6.0,
            y: round(marks.baseline - n as f64 * unit),
            label: n.to_string(),
        });
    }
    marks
}

/// A step between year labels that leaves them at least `room` apart.
fn label_step(column_width: f64, room: f64) -> i32 {
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&k| f64::from(k) * column_width >= room)
        .unwrap_or(1000)
}

/// The year labels under the axis: round years far enough apart, then n.d. and in press.
pub(super) fn year_ticks(axis: &Axis, baseline: f64) -> Vec<Tick> {
    let step = label_step(axis.width, 44.0);
    let tick = |c: usize, label: String| Tick {
        x: round(axis.x(c)),
        y: round(baseline + 16.0),
        label,
    };
    let mut ticks: Vec<Tick> = (axis.lo..=axis.hi)
        .filter(|y| y % step == 0 || axis.span == 1)
        .map(|y| tick(axis.column(Year::Known(y)), y.to_string()))
        .collect();
    if axis.undated {
        ticks.push(tick(axis.column(Year::Unknown), "n.d.".into()));
    }
    if axis.in_press {
        ticks.push(tick(axis.column(Year::InPress), "in press".into()));
    }
    ticks
}

/// A diamond per event in a band from `top` down, on the sources' axis; one column's events
/// stack downwards, a month placing an event within its year's column. Returns the marks and
/// the band's depth.
pub(super) fn events(
    site: &Site,
    axis: &Axis,
    events: &[(usize, &DatedEvent)],
    top: f64,
) -> (Vec<EventMark>, f64) {
    let size = (axis.width * 0.4).clamp(2.5, 5.5);
    let step = 2.0 * size + 1.5;
    let mut stacked: BTreeMap<usize, usize> = BTreeMap::new();
    let marks = events
        .iter()
        .map(|&(i, e)| {
            let c = axis.column(Year::Known(e.date.year));
            let within = e
                .date
                .month
                .map_or(0.0, |m| (f64::from(m) - 6.5) / 12.0 * axis.width * 0.6);
            let n = stacked.entry(c).or_default();
            let (x, y) = (axis.x(c) + within, top + size + *n as f64 * step);
            *n += 1;
            let corners = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)];
            let points: Vec<String> = corners
                .iter()
                .map(|&(x, y)| format!("{},{}", round(x), round(y)))
                .collect();
            EventMark {
                points: points.join(" "),
                url: site.url_of(i),
                title: format!("{}: {}", e.date, shorten(&e.title, EVENT_CHARS)),
            }
        })
        .collect();
    let deepest = stacked.values().max().copied().unwrap_or(0);
    (marks, deepest as f64 * step)
}
