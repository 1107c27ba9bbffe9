//! One note's citation neighbourhood, for its page: the notes citing it in a column on the left,
//! the works it cites in a column on the right, and the note between them. A one-hop graph is a
//! star, which a force layout turns into a ring whose labels collide; two columns read like the
//! sentence they stand for ("these cite it; it cites those") and never overlap. Each column is
//! capped, themes first and then the most cited, with the rest counted.

use serde::Serialize;

use super::graph::{EdgeView, NodeView, cites, node_title};
use super::shapes::{radius, shape};
use super::{kind_name, label, round, short_label};
use crate::graph::Site;
use crate::note::NoteKind;

/// The most neighbours a column shows.
const MOST_PER_SIDE: usize = 14;
const ROW: f64 = 26.0;
const TOP: f64 = 34.0;
const LABEL_CHARS: usize = 20;
/// Room for a column's labels, and between a column and the note.
const LABEL_ROOM: f64 = 158.0;
const GAP: f64 = 72.0;
/// Room on either side of the note for its own label, centred under it, when a column is missing.
const HALF_LABEL: f64 = 90.0;

/// A note's local graph.
#[derive(Serialize)]
pub(crate) struct LocalGraph {
    width: f64,
    height: f64,
    nodes: Vec<NodeView>,
    edges: Vec<EdgeView>,
    /// How many notes cite it and how many works it cites, and how many of each are not drawn.
    citing: usize,
    cited: usize,
    more_citing: usize,
    more_cited: usize,
    /// Where the column headings and the "more" lines go.
    left_x: f64,
    right_x: f64,
    heading_y: f64,
    more_y: f64,
    /// The graph in words, for its `<title>`.
    label: String,
}

/// The distinct notes citing note `i` (not itself), in note order.
fn citing(site: &Site, i: usize) -> Vec<usize> {
    let mut from: Vec<usize> = site.cited_by[i]
        .iter()
        .map(|b| b.from)
        .filter(|&f| f != i)
        .collect();
    from.sort_unstable();
    from.dedup();
    from
}

/// The first [`MOST_PER_SIDE`] of `notes`: themes, then the most cited, then by label.
fn ranked(site: &Site, mut notes: Vec<usize>) -> Vec<usize> {
    notes.sort_by_cached_key(|&n| {
        let theme = site.notes[n].kind != NoteKind::Theme;
        (
            theme,
            usize::MAX - site.citing_notes(n),
            label(site, n).to_lowercase(),
            n,
        )
    });
    notes.truncate(MOST_PER_SIDE);
    notes
}

impl LocalGraph {
    /// Note `i`'s graph, or `None` when nothing cites it and it cites nothing.
    pub(crate) fn of(site: &Site, i: usize) -> Option<LocalGraph> {
        let all_citing = citing(site, i);
        let all_cited = cites(site, i);
        if all_citing.is_empty() && all_cited.is_empty() {
            return None;
        }
        let left = ranked(site, all_citing.clone());
        let right = ranked(site, all_cited.clone());
        // The columns there are, and the note between them.
        let left_x = LABEL_ROOM;
        let middle_x = if left.is_empty() {
            HALF_LABEL
        } else {
            left_x + GAP
        };
        let right_x = middle_x + GAP;
        let width = if right.is_empty() {
            middle_x + HALF_LABEL
        } else {
            right_x + LABEL_ROOM
        };
        let rows = left.len().max(right.len()).max(1) as f64;
        let more = all_citing.len() > left.len() || all_cited.len() > right.len();
        let more_y = TOP + rows * ROW + 8.0;
        let height = if more {
            more_y + 14.0
        } else {
            TOP + rows * ROW + 4.0
        };
        let middle_y = TOP + rows * ROW / 2.0;
        let column_y =
            |n: usize, len: usize| TOP + (rows - len as f64) * ROW / 2.0 + (n as f64 + 0.5) * ROW;

        let mut nodes = vec![node(site, 0, i, (middle_x, middle_y), 0)];
        let mut edges = Vec::new();
        for (side, list, x) in [(-1i8, &left, left_x), (1, &right, right_x)] {
            for (k, &n) in list.iter().enumerate() {
                let id = nodes.len();
                let y = column_y(k, list.len());
                nodes.push(node(site, id, n, (x, y), side));
                // A curve leaving the citing note and entering the cited one horizontally.
                let (from, to, (x1, y1), (x2, y2)) = if side < 0 {
                    (id, 0, (x, y), (middle_x, middle_y))
                } else {
                    (0, id, (middle_x, middle_y), (x, y))
                };
                let mid = round((x1 + x2) / 2.0);
                edges.push(EdgeView {
                    from,
                    to,
                    d: format!(
                        "M{},{}C{mid},{} {mid},{} {},{}",
                        round(x1),
                        round(y1),
                        round(y1),
                        round(y2),
                        round(x2),
                        round(y2)
                    ),
                    kind: "cite",
                });
            }
        }
        let count = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let label = format!(
            "{} cited by {} and citing {}",
            label(site, i),
            count(all_citing.len(), "note", "notes"),
            count(all_cited.len(), "work", "works")
        );
        Some(LocalGraph {
            width: round(width),
            height: round(height),
            nodes,
            edges,
            citing: all_citing.len(),
            cited: all_cited.len(),
            more_citing: all_citing.len() - left.len(),
            more_cited: all_cited.len() - right.len(),
            left_x,
            right_x,
            heading_y: 16.0,
            more_y: round(more_y),
            label,
        })
    }
}

/// Note `n` drawn as node `id` at `(x, y)`, its label on the `side` away from the note in the
/// middle (-1: left, 1: right, 0: under it).
fn node(site: &Site, id: usize, n: usize, (x, y): (f64, f64), side: i8) -> NodeView {
    let note = &site.notes[n];
    let cited_by = site.citing_notes(n);
    let r = radius(note.kind, cited_by).min(11.0);
    let (lx, anchor) = match side {
        -1 => (x - r - 5.0, "end"),
        1 => (x + r + 5.0, "start"),
        _ => (x, "middle"),
    };
    NodeView {
        id,
        x: round(x),
        y: round(y),
        d: shape(note.kind, x, y, r),
        kind: kind_name(note.kind),
        url: site.url_of(n),
        title: node_title(site, n),
        label: short_label(site, n, LABEL_CHARS),
        lx: round(lx),
        ly: round(if side == 0 { y + r + 14.0 } else { y + 4.0 }),
        anchor,
    }
}
