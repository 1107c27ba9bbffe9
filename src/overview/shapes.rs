//! How a node of a graph is drawn, in the global graph and a note's local one alike: its size
//! by how many notes cite it, and its outline by its kind.

use super::round;
use crate::note::NoteKind;

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
