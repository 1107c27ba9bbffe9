//! The site's other problems, each a diagnostic: pages two notes would share, and what the
//! bodies hold that renders but not as written (missing attachments, embeds that come round to
//! themselves, formulas that do not parse, links that open nothing on the web).

use rustc_hash::FxHashMap as HashMap;

use super::Site;
use crate::error::Diagnostic;

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
}
