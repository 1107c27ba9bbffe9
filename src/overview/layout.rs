//! The global graph's layout: a force simulation (`fjadra`, a port of d3-force: seeded, so the
//! same input always gives the same picture), remembered for the next build, and scaled into
//! the drawing's box.

use fjadra::{Collide, Link, ManyBody, Node, PositionX, PositionY, SimulationBuilder};

/// The drawing's width, in SVG units.
pub(super) const WIDTH: f64 = 1000.0;

/// The last layout made, with what it was made from: the simulation is a pure function of the
/// nodes' sizes and the citations among them, and `gloss serve` rebuilds the graph page after
/// any edit of a title or a tag, which leaves both as they were.
type LayoutMemo = (Vec<f64>, Vec<(usize, usize)>, Vec<[f64; 2]>);
static LAST_LAYOUT: std::sync::Mutex<Option<LayoutMemo>> = std::sync::Mutex::new(None);

/// The positions [`simulate`] gives, reusing the last layout when its input is the same.
pub(super) fn layout(radii: &[f64], edges: &[(usize, usize)]) -> Vec<[f64; 2]> {
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
pub(super) fn fit(positions: &[[f64; 2]], radii: &[f64]) -> (Vec<[f64; 2]>, f64) {
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
