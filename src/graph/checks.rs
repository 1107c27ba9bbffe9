//! The site's other problems, each a diagnostic: pages two notes would share, and what the
//! bodies hold that renders but not as written (missing attachments, embeds that come round to
//! themselves, formulas that do not parse, links that open nothing on the web).

use rustc_hash::FxHashMap as HashMap;

use super::Site;
use crate::error::Diagnostic;
use crate::markdown::LinkRef;

impl Site {
    /// Two notes whose pages would have one URL (`My Note.md` and `my-note.md`): an error naming
    /// both, as only one page could be written.
    pub(super) fn check_urls(&mut self) {
        let mut first: HashMap<&str, usize> = HashMap::default();
        let mut diags = Vec::new();
        for (i, url) in self.urls.iter().enumerate() {
            if let Some(&other) = first.get(url.as_str()) {
                diags.push(Diagnostic::error(
                    &self.notes[i].path,
                    0,
                    0,
                    format!(
                        "this note's page would be {url}, which is {}'s page too: rename one of them",
                        self.notes[other].path
                    ),
                ));
            } else {
                first.insert(url, i);
            }
        }
        self.diagnostics.extend(diags);
    }

    /// What the bodies hold that renders but not as written: attachments that are not there,
    /// embeds that come round to themselves, formulas that do not parse, and links that open
    /// nothing on the web (one line for all of them).
    pub(super) fn check_bodies(&mut self) {
        let mut diags = Vec::new();
        let mut local: Vec<(usize, (usize, usize))> = Vec::new();
        for (from, scan) in self.scans.iter().enumerate() {
            let path = &self.notes[from].path;
            for a in &scan.attachments {
                if self.find_asset(&a.name, from).is_none() {
                    diags.push(
                        Diagnostic::new(
                            self.strictness(),
                            path,
                            a.line,
                            a.col,
                            format!(
                                "[[{}]] names no file in {} (looked for by name in every folder)",
                                a.name, self.content_name
                            ),
                        )
                        .in_family("embeds name a file that is in no folder of the notes"),
                    );
                }
            }
            for p in &scan.problems {
                diags.push(Diagnostic::warning(path, p.line, p.col, p.message.clone()));
            }
            if let Some(p) = scan
                .raw_html
                .as_ref()
                .filter(|_| !self.markdown.unsafe_html)
            {
                diags.push(Diagnostic::warning(path, p.line, p.col, p.message.clone()));
            }
            local.extend(scan.local_links.iter().map(|&at| (from, at)));
        }
        if let Some(&(from, (line, col))) = local.first() {
            diags.push(Diagnostic::warning(
                &self.notes[from].path,
                line,
                col,
                format!(
                    "{} link{} to zotero://, file:// or obsidian:// open nothing on the web: shown as their text",
                    local.len(),
                    if local.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        diags.extend(self.embed_cycles());
        self.diagnostics.extend(diags);
    }

    /// Embeds that lead back to the note they are in (A embeds B, B embeds A): one warning for
    /// each, where it closes the cycle. The page shows the repeated embed as a link.
    fn embed_cycles(&self) -> Vec<Diagnostic> {
        let edges: Vec<Vec<(usize, &LinkRef)>> = self
            .scans
            .iter()
            .enumerate()
            .map(|(from, scan)| {
                scan.links
                    .iter()
                    .filter(|l| l.embed)
                    .filter_map(|l| Some((self.target_of(&l.target, from).ok()?, l)))
                    .collect()
            })
            .collect();
        // Depth-first, iteratively: 0 unseen, 1 on the path, 2 done.
        let mut state = vec![0u8; edges.len()];
        let mut diags = Vec::new();
        for start in 0..edges.len() {
            if state[start] != 0 || edges[start].is_empty() {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let Some(&(target, link)) = edges[node].get(*next) else {
                    state[node] = 2;
                    path.pop();
                    continue;
                };
                *next += 1;
                match state[target] {
                    0 => {
                        state[target] = 1;
                        path.push((target, 0));
                    }
                    1 => {
                        let at = path.iter().position(|&(n, _)| n == target).unwrap_or(0);
                        let names: Vec<&str> = path[at..]
                            .iter()
                            .map(|&(n, _)| self.notes[n].title.as_str())
                            .chain([self.notes[target].title.as_str()])
                            .collect();
                        diags.push(Diagnostic::warning(
                            &self.notes[node].path,
                            link.line,
                            link.col,
                            format!(
                                "embeds go round in a cycle ({}): where it repeats, the page shows a link instead",
                                names.join(" → ")
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
        diags
    }
}
