//! A theme's sparkline: the years of the works its synthesis cites, as a small bar chart over
//! the years of the whole site (so that two themes' sparklines compare), with the same in words.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{known_year, round};
use crate::graph::Site;

const SPARK_WIDTH: f64 = 200.0;
const SPARK_HEIGHT: f64 = 24.0;

#[derive(Serialize)]
pub(crate) struct SparkBar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The years of the works a theme cites, as a small bar chart over the site's years.
#[derive(Serialize)]
pub(crate) struct Sparkline {
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// Where its axis line runs.
    pub(crate) baseline: f64,
    pub(crate) bars: Vec<SparkBar>,
    /// The years the axis spans.
    pub(crate) from: i32,
    pub(crate) to: i32,
    /// "12 works cited, 1989–2023 (2 undated)": the chart in words.
    pub(crate) label: String,
}

impl Sparkline {
    /// Theme `theme`'s sparkline over the years `range`; `None` if it cites nothing.
    pub(crate) fn of(site: &Site, theme: usize, (lo, hi): (i32, i32)) -> Option<Sparkline> {
        let cited: Vec<usize> = site.cites[theme]
            .iter()
            .copied()
            .filter(|&t| t != theme)
            .collect();
        if cited.is_empty() {
            return None;
        }
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for &s in &cited {
            if let Some(y) = known_year(site, s) {
                *per_year.entry(y).or_default() += 1;
            }
        }
        let dated: usize = per_year.values().sum();
        let columns = (hi - lo + 1).max(1) as f64;
        let colw = SPARK_WIDTH / columns;
        let most = per_year.values().max().copied().unwrap_or(1) as f64;
        let bars = per_year
            .iter()
            .map(|(&y, &n)| {
                let h = 4.0 + (SPARK_HEIGHT - 5.0) * (n as f64 - 1.0) / (most - 1.0).max(1.0);
                let w = (colw * 0.8).max(1.5);
                SparkBar {
                    x: round(f64::from(y - lo) * colw + (colw - w) / 2.0),
                    y: round(SPARK_HEIGHT - 1.0 - h),
                    w: round(w),
                    h: round(h),
                }
            })
            .collect();
        let works = if cited.len() == 1 {
            "1 work cited".to_string()
        } else {
            format!("{} works cited", cited.len())
        };
        let years = match (per_year.keys().next(), per_year.keys().next_back()) {
            (Some(a), Some(b)) if a == b => format!(", {a}"),
            (Some(a), Some(b)) => format!(", {a}–{b}"),
            _ => String::new(),
        };
        let undated = match cited.len() - dated {
            0 => String::new(),
            n => format!(" ({n} undated)"),
        };
        Some(Sparkline {
            width: SPARK_WIDTH,
            height: SPARK_HEIGHT,
            baseline: SPARK_HEIGHT - 0.5,
            bars,
            from: lo,
            to: hi,
            label: format!("{works}{years}{undated}"),
        })
    }
}
