//! Embeds that come round to themselves: the parts of notes an embed shows (a whole body, or
//! one section or block), and the embeds each part holds, searched for a loop. A note may embed
//! its own block (`![[Self#^id]]`, as Obsidian renders it): only a part that ends up showing
//! itself is a cycle.

use rustc_hash::FxHashMap as HashMap;

use super::Site;
use crate::error::{Diagnostic, LineIndex};
use crate::markdown::{self, LinkRef};

/// A note's whole body (`None`) or one of its sections or blocks (its id), as an embed shows it.
pub(super) type Piece = (usize, Option<String>);

/// A part on the search's path: the embeds it holds and the next one to follow.
type Step<'a> = (Piece, Vec<(Piece, &'a LinkRef)>, usize);

impl Site {
    /// Embeds that lead back to the part they are in (A embeds B, B embeds A; a section that
    /// embeds itself): one warning for each, where it closes the cycle. The page shows the
    /// repeated embed as a link.
    pub(super) fn embed_cycles(&self) -> Vec<Diagnostic> {
        // Depth-first, iteratively: on the path (true) or done (false).
        let mut state: HashMap<Piece, bool> = HashMap::default();
        let mut diags = Vec::new();
        for start in 0..self.notes.len() {
            let piece: Piece = (start, None);
            if state.contains_key(&piece) || !self.scans[start].links.iter().any(|l| l.embed) {
                continue;
            }
            let mut path: Vec<Step<'_>> = vec![(piece.clone(), self.embeds_in(&piece), 0)];
            state.insert(piece, true);
            while let Some((piece, edges, next)) = path.last_mut() {
                let Some((target, link)) = edges.get(*next).cloned() else {
                    state.insert(piece.clone(), false);
                    path.pop();
                    continue;
                };
                *next += 1;
                match state.get(&target) {
                    None => {
                        state.insert(target.clone(), true);
                        let edges = self.embeds_in(&target);
                        path.push((target, edges, 0));
                    }
                    Some(true) => {
                        let from = piece.0;
                        let at = path.iter().position(|(p, _, _)| *p == target).unwrap_or(0);
                        let names: Vec<String> = path[at..]
                            .iter()
                            .map(|(p, _, _)| self.piece_name(p))
                            .chain([self.piece_name(&target)])
                            .collect();
                        diags.push(Diagnostic::warning(
                            &self.notes[from].path,
                            link.line,
                            link.col,
                            format!(
                                "embeds go round in a cycle ({}): where it repeats, the page shows a link instead",
                                names.join(" → ")
                            ),
                        ));
                    }
                    Some(false) => {}
                }
            }
        }
        diags
    }

    /// The embeds written in `piece`, with the part each shows (embeds of what is not there
    /// show nothing, and lead nowhere).
    fn embeds_in(&self, (n, section): &Piece) -> Vec<(Piece, &LinkRef)> {
        let note = &self.notes[*n];
        // Where the section is in the file, as (line, column) from its start to its end.
        let span = match section {
            None => None,
            Some(id) => {
                let Some(text) = markdown::section(&note.body, id) else {
                    return Vec::new();
                };
                let start = text.as_ptr() as usize - note.body.as_ptr() as usize;
                let mut lines = LineIndex::new(&note.body);
                let at = |(line, col): (usize, usize)| (line + note.body_line - 1, col);
                Some((
                    at(lines.locate(start)),
                    at(lines.locate(start + text.len())),
                ))
            }
        };
        self.scans[*n]
            .links
            .iter()
            .filter(|l| l.embed)
            .filter(|l| span.is_none_or(|(from, to)| (from..to).contains(&(l.line, l.col))))
            .filter_map(|l| {
                let target = self.target_of(&l.target, *n).ok()?;
                let section = match l.anchor.as_deref().filter(|a| !a.is_empty()) {
                    None => None,
                    Some(a) => Some(self.anchor_id(target, a)?),
                };
                Some(((target, section), l))
            })
            .collect()
    }

    /// A part as a cycle's message names it: the note's title, and `#section` for a part.
    fn piece_name(&self, (n, section): &Piece) -> String {
        let title = &self.notes[*n].title;
        match section {
            None => title.clone(),
            Some(id) => format!("{title}#{id}"),
        }
    }
}
