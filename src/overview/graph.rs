//! The citation graph of the whole site: a node per note (a theme a square, a source a circle, a
//! page a diamond, sized by how many notes cite it), an edge from each note to each work it
//! cites, laid out at build time by a force simulation (`fjadra`, a port of d3-force: seeded,
//! so the same site always gives the same picture). A large site shows its themes and its most
//! cited works, and the citations among them.

use fjadra::{Collide, Link, ManyBody, Node, PositionX, PositionY, SimulationBuilder};
use serde::Serialize;

use super::{kind_name, label, round, short_label, themes_in_order};
use crate::graph::Site;
use crate::note::NoteKind;

/// The most notes the global graph shows: beyond this it is a hairball, and its layout and
/// its SVG grow with the square of what it holds.
const MOST_NODES: usize = 160;
/// How many of the most cited sources carry a label beside the themes.
const LABELLED_SOURCES: usize = 12;
const LABEL_CHARS: usize = 28;
const WIDTH: f64 = 1000.0;

/// A drawn note.
#[derive(Serialize, Clone)]
pub(crate) struct NodeView {
    /// The node's number in this graph, for the script's highlighting.
    pub(crate) id: usize,
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// The shape's outline as an SVG path.
    pub(crate) d: String,
    /// "theme", "source" or "page".
    pub(crate) kind: &'static str,
    pub(crate) url: String,
    /// The full name, for the tooltip and screen readers.
    pub(crate) title: String,
    /// The label drawn beside it ("" for none), where, and its anchor ("start" or "end").
    pub(crate) label: String,
    pub(crate) lx: f64,
    pub(crate) ly: f64,
    pub(crate) anchor: &'static str,
}

/// A drawn note in the list beside the graph.
#[derive(Serialize)]
pub(crate) struct RowView {
    label: String,
    title: String,
    url: String,
    kind: &'static str,
    /// How many other notes cite it, and how many works it cites (of the whole site).
    cited_by: usize,
    cites: usize,
}

/// A drawn citation, from the citing note to the cited one.
#[derive(Serialize, Clone)]
pub(crate) struct EdgeView {
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// The line or curve as an SVG path.
    pub(crate) d: String,
}

/// The graph page's input.
#[derive(Serialize)]
pub(crate) struct GraphView {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) nodes: Vec<NodeView>,
    pub(crate) edges: Vec<EdgeView>,
    /// The drawn notes, most cited first.
    pub(crate) rows: Vec<RowView>,
    /// Notes and citations in the site, against those drawn.
    pub(crate) total_nodes: usize,
    pub(crate) total_edges: usize,
    /// Whether it shows only part of the site.
    pub(crate) partial: bool,
}

/// The radius of a node cited by `cited_by` notes.
pub(crate) fn radius(kind: NoteKind, cited_by: usize) -> f64 {
    match kind {
        NoteKind::Theme => 8.0,
        _ => (4.5 + 2.0 * (cited_by as f64).sqrt()).min(20.0),
    }
}

/// The outline of a node of `kind` at (x, y) with radius `r`: a square, a circle or a diamond.
pub(crate) fn shape(kind: NoteKind, x: f64, y: f64, r: f64) -> String {
    let (x, y) = (round(x), round(y));
    match kind {
        NoteKind::Theme => {
            let s = round(r * 0.9);
            format!(
                "M{},{}h{}v{}h-{}z",
                round(x - s),
                round(y - s),
                2.0 * s,
                2.0 * s,
                2.0 * s
            )
        }
        NoteKind::Source => {
            let r = round(r);
            format!(
                "M{},{}a{r},{r} 0 1,0 {},0a{r},{r} 0 1,0 -{},0",
                round(x - r),
                y,
                2.0 * r,
                2.0 * r
            )
        }
        NoteKind::Page => {
            let s = round(r * 1.15);
            format!("M{x},{}l{s},{s} -{s},{s} -{s},-{s}z", round(y - s))
        }
    }
}

/// What a node's tooltip says; with `with_cites`, how many works it cites too (the global graph:
/// a local graph's tooltips would otherwise change with every citation of every neighbour).
pub(crate) fn node_title(site: &Site, i: usize, with_cites: bool) -> String {
    let note = &site.notes[i];
    let name = match note.kind {
        NoteKind::Source => format!("{} {}", label(site, i), note.title),
        _ => note.title.clone(),
    };
    let kind = kind_name(note.kind);
    let cited = site.citing_notes(i);
    if with_cites {
        let cites = cites(site, i).len();
        format!("{name} ({kind}; cited by {cited}, cites {cites})")
    } else {
        format!("{name} ({kind}; cited by {cited})")
    }
}

/// The works note `i` cites, not itself.
pub(crate) fn cites(site: &Site, i: usize) -> Vec<usize> {
    site.cites[i].iter().copied().filter(|&t| t != i).collect()
}

/// The notes the global graph shows: every theme, then the notes that cite or are cited, most
/// cited first, up to [`MOST_NODES`]; sources outside every citation (a gap of the review) only
/// when there is room, other pages outside every citation never.
fn chosen(site: &Site) -> Vec<usize> {
    let mut nodes = themes_in_order(site);
    nodes.truncate(MOST_NODES);
    let mut rest: Vec<(bool, usize, usize, usize)> = (0..site.notes.len())
        .filter(|&i| site.notes[i].kind != NoteKind::Theme)
        .filter_map(|i| {
            let cited = site.citing_notes(i);
            let linked = cited > 0 || !cites(site, i).is_empty();
            let shown = linked || site.notes[i].kind == NoteKind::Source;
            shown.then(|| {
                (
                    !linked,
                    usize::MAX - cited,
                    usize::MAX - cites(site, i).len(),
                    i,
                )
            })
        })
        .collect();
    rest.sort_unstable();
    let room = MOST_NODES - nodes.len();
    nodes.extend(rest.into_iter().take(room).map(|(_, _, _, i)| i));
    nodes
}

impl GraphView {
    pub(crate) fn of(site: &Site) -> GraphView {
        let nodes = chosen(site);
        let mut place = vec![usize::MAX; site.notes.len()];
        for (n, &i) in nodes.iter().enumerate() {
            place[i] = n;
        }
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let mut total_edges = 0;
        for i in 0..site.notes.len() {
            for t in cites(site, i) {
                total_edges += 1;
                if place[i] != usize::MAX && place[t] != usize::MAX {
                    edges.push((place[i], place[t]));
                }
            }
        }
        let radii: Vec<f64> = nodes
            .iter()
            .map(|&i| radius(site.notes[i].kind, site.citing_notes(i)))
            .collect();
        let positions = layout(&radii, &edges);
        let (positions, height) = fit(&positions, &radii);
        // Labels: every theme, and the most cited sources.
        let mut by_cited: Vec<(usize, usize)> = nodes
            .iter()
            .enumerate()
            .filter(|&(_, &i)| site.notes[i].kind != NoteKind::Theme)
            .map(|(n, &i)| (usize::MAX - site.citing_notes(i), n))
            .collect();
        by_cited.sort_unstable();
        let labelled: Vec<usize> = by_cited
            .iter()
            .take(LABELLED_SOURCES)
            .filter(|&&(c, _)| c != usize::MAX)
            .map(|&(_, n)| n)
            .collect();
        let views = nodes
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let note = &site.notes[i];
                let [x, y] = positions[n];
                let r = radii[n];
                let shown = note.kind == NoteKind::Theme || labelled.contains(&n);
                let right = x > WIDTH * 0.72;
                NodeView {
                    id: n,
                    x: round(x),
                    y: round(y),
                    d: shape(note.kind, x, y, r),
                    kind: kind_name(note.kind),
                    url: site.url_of(i),
                    title: node_title(site, i, true),
                    label: if shown {
                        short_label(site, i, LABEL_CHARS)
                    } else {
                        String::new()
                    },
                    lx: round(if right { x - r - 4.0 } else { x + r + 4.0 }),
                    ly: round(y + 4.0),
                    anchor: if right { "end" } else { "start" },
                }
            })
            .collect();
        let edges = edges
            .iter()
            .map(|&(a, b)| EdgeView {
                from: a,
                to: b,
                d: format!(
                    "M{},{}L{},{}",
                    round(positions[a][0]),
                    round(positions[a][1]),
                    round(positions[b][0]),
                    round(positions[b][1])
                ),
            })
            .collect();
        GraphView {
            width: WIDTH,
            rows: rows(site, &nodes),
            height: round(height),
            partial: nodes.len() < site.notes.len(),
            total_nodes: site.notes.len(),
            total_edges,
            nodes: views,
            edges,
        }
    }
}

/// The last layout made, with what it was made from: the simulation is a pure function of the
/// nodes' sizes and the citations among them, and `gloss serve` rebuilds the graph page after
/// any edit of a title or a tag, which leaves both as they were.
type LayoutMemo = (Vec<f64>, Vec<(usize, usize)>, Vec<[f64; 2]>);
static LAST_LAYOUT: std::sync::Mutex<Option<LayoutMemo>> = std::sync::Mutex::new(None);

/// The positions [`simulate`] gives, reusing the last layout when its input is the same.
fn layout(radii: &[f64], edges: &[(usize, usize)]) -> Vec<[f64; 2]> {
    let lock = || LAST_LAYOUT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((r, e, positions)) = lock().as_ref()
        && r.as_slice() == radii
        && e.as_slice() == edges
    {
        return positions.clone();
    }
    let positions = simulate(radii, edges);
    *lock() = Some((radii.to_vec(), edges.to_vec(), positions.clone()));
    positions
}

/// Positions from a force simulation: springs along the citations, every node repelling the
/// others, no two overlapping, and a weak pull to the middle that keeps loose notes in view.
fn simulate(radii: &[f64], edges: &[(usize, usize)]) -> Vec<[f64; 2]> {
    if radii.is_empty() {
        return Vec::new();
    }
    let collide: Vec<f64> = radii.iter().map(|r| r + 3.0).collect();
    let mut simulation = SimulationBuilder::default()
        .build(radii.iter().map(|_| Node::default()))
        .add_force("link", Link::new(edges.iter().copied()).distance(60.0))
        .add_force("charge", ManyBody::new().strength(-140.0))
        .add_force("collide", Collide::new().radius(move |i| collide[i]))
        .add_force("x", PositionX::new().strength(0.07))
        .add_force("y", PositionY::new().strength(0.07));
    simulation.step();
    simulation.positions().collect()
}

/// The positions scaled into a `WIDTH`-wide box (with a margin for labels), and the box's
/// height, which follows the layout's shape within bounds.
fn fit(positions: &[[f64; 2]], radii: &[f64]) -> (Vec<[f64; 2]>, f64) {
    // The margin holds the largest node whole (radii are not scaled with the positions).
    let margin = 12.0 + radii.iter().copied().fold(0.0, f64::max);
    let label_room = 150.0;
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for p in positions {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    if positions.is_empty() {
        return (Vec::new(), 200.0);
    }
    let w = (hi[0] - lo[0]).max(1.0);
    let h = (hi[1] - lo[1]).max(1.0);
    let inner = WIDTH - 2.0 * margin - label_room;
    let height = (inner * h / w + 2.0 * margin).clamp(360.0, 900.0);
    let scale = (inner / w).min((height - 2.0 * margin) / h);
    let dx = margin + label_room / 2.0 + (inner - w * scale) / 2.0;
    let dy = margin + (height - 2.0 * margin - h * scale) / 2.0;
    let fitted = positions
        .iter()
        .map(|p| [dx + (p[0] - lo[0]) * scale, dy + (p[1] - lo[1]) * scale])
        .collect();
    (fitted, height)
}

/// The list beside the graph: the drawn notes, most cited first, then by label.
fn rows(site: &Site, nodes: &[usize]) -> Vec<RowView> {
    let mut rows: Vec<(usize, RowView)> = nodes
        .iter()
        .map(|&i| {
            let cited_by = site.citing_notes(i);
            let row = RowView {
                label: label(site, i),
                title: site.notes[i].title.clone(),
                url: site.url_of(i),
                kind: kind_name(site.notes[i].kind),
                cited_by,
                cites: cites(site, i).len(),
            };
            (usize::MAX - cited_by, row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.label.cmp(&b.1.label)));
    rows.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered layout is reused only for the input it was made from: two graphs built in
    /// turn each get their own positions, as a fresh simulation gives them.
    #[test]
    fn a_remembered_layout_is_the_one_its_input_gives() {
        let chain = (vec![5.0, 6.0, 7.0], vec![(0, 1), (1, 2)]);
        let star = (vec![5.0, 6.0, 7.0], vec![(0, 1), (0, 2)]);
        let bigger = (vec![5.0, 6.0, 9.0], vec![(0, 1), (1, 2)]);
        assert_ne!(simulate(&chain.0, &chain.1), simulate(&star.0, &star.1));
        for (radii, edges) in [&chain, &chain, &star, &chain, &bigger, &bigger] {
            assert_eq!(layout(radii, edges), simulate(radii, edges));
        }
    }
}
