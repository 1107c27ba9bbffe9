//! The site's other problems, each a diagnostic: pages two notes would share (each is given
//! one of its own), and what the
//! bodies hold that renders but not as written (missing attachments, embeds that come round to
//! themselves, formulas that do not parse, links that open nothing on the web).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Site;
use crate::error::Diagnostic;
use crate::note::Note;

/// Notes whose pages would have one URL (`MaaS.md` and `MAAS.md`, `Smith.md` and `Smith+.md`,
/// `café` written in two Unicode forms): the first by path keeps it, each other gets the next
/// free number after it (`maas-2`), never another note's URL, with a warning naming both.
pub(super) fn distinct_urls(notes: &mut [Note], base_path: &str) -> Vec<Diagnostic> {
    let natural: Vec<String> = notes.iter().map(Note::url_path).collect();
    let natural_set: HashSet<&String> = natural.iter().collect();
    let mut taken: HashMap<String, usize> = HashMap::default();
    let mut diags = Vec::new();
    for i in 0..notes.len() {
        let Some(&first) = taken.get(&natural[i]) else {
            taken.insert(natural[i].clone(), i);
            continue;
        };
        let free = (2..).find(|&n| {
            notes[i].url_suffix = n;
            let url = notes[i].url_path();
            !taken.contains_key(&url) && !natural_set.contains(&url)
        });
        let url = notes[i].url_path();
        taken.insert(url.clone(), i);
        let why = match unicode_forms(&notes[i].key, &notes[first].key) {
            true => "their names are one name written in two Unicode forms",
            false => "their names differ only in case or punctuation",
        };
        debug_assert!(free.is_some());
        diags.push(
            Diagnostic::warning(
                &notes[i].path,
                0,
                0,
                format!(
                    "this note's page would be {base_path}{}, which is {}'s page too ({why}): it is published at {base_path}{url} instead; rename one of them to choose",
                    natural[i], notes[first].path
                ),
            )
            .in_family("notes would share a page's URL with another (each is published under a numbered URL)"),
        );
    }
    diags
}

/// Whether two different names are one name once composed (NFC).
fn unicode_forms(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    a != b && a.nfc().eq(b.nfc())
}

impl Site {
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
                        Diagnostic::warning(
                            path,
                            a.line,
                            a.col,
                            format!(
                                "[[{}]] names no file in {} (looked for by name in every folder): it is shown as an unresolved link",
                                a.name, self.content_name
                            ),
                        )
                        .in_family("embeds and links name a file that is in no folder of the notes (each is shown as an unresolved link)"),
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
            for f in &scan.formulas {
                let family = match &f.command {
                    Some(c) => format!(
                        "formulas use \\{c}, which gloss cannot draw (each is shown as its TeX source)"
                    ),
                    None => "formulas do not parse (each is shown as its TeX source)".to_string(),
                };
                diags.push(
                    Diagnostic::warning(path, f.line, f.col, f.message.clone()).in_family(family),
                );
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
