//! What an entry loses, told apart: fields no citation style prints (keywords, attached files,
//! a reference manager's timestamps and call numbers), summed up in one line per library file,
//! and the rest, which changes what a reader sees and is named entry by entry.

use std::collections::BTreeMap;

use crate::error::Diagnostic;

/// Fields a reference manager keeps for itself, which no style prints.
const NOISE: &[&str] = &[
    "keywords",
    "keyword",
    "file",
    "files",
    "timestamp",
    "groups",
    "call-number",
    "callnumber",
    "copyright",
    "license",
    "rights",
    "primaryclass",
    "eprintclass",
    "mendeley-tags",
    "owner",
    "creationdate",
    "modificationdate",
    "date-added",
    "date-modified",
    "added-at",
    "biburl",
    "bibsource",
    "interhash",
    "intrahash",
    "pmid",
    "pmcid",
    "lccn",
    "mrnumber",
    "zbl",
    "dimensions",
    "tex.ids",
    "ids",
];

/// Whether a lost item (`keywords (borders, militancy)`) names a field no style prints.
pub(super) fn is_noise(lost: &str) -> bool {
    let name = lost.split(" (").next().unwrap_or(lost).trim();
    NOISE.contains(&name.to_ascii_lowercase().as_str())
}

/// The noise fields left out, per library file: field → how many entries had it.
#[derive(Debug, Default)]
pub(super) struct Noise {
    files: BTreeMap<String, (usize, BTreeMap<String, usize>)>,
}

impl Noise {
    /// Counts what one entry of `path` left out.
    pub(super) fn add(&mut self, path: &str, lost: &[&String]) {
        if lost.is_empty() {
            return;
        }
        let (entries, fields) = self.files.entry(path.to_string()).or_default();
        *entries += 1;
        for item in lost {
            let name = item.split(" (").next().unwrap_or(item).trim();
            *fields.entry(name.to_string()).or_default() += 1;
        }
    }

    /// One warning per file: `zotero.bib: warning: 312 entries have fields no style prints,
    /// left out: keywords (300), file (120); --verbose names them entry by entry`.
    pub(super) fn warnings(self) -> Vec<Diagnostic> {
        self.files
            .into_iter()
            .map(|(path, (entries, fields))| {
                let mut fields: Vec<(String, usize)> = fields.into_iter().collect();
                fields.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let list: Vec<String> = fields.iter().map(|(f, n)| format!("{f} ({n})")).collect();
                let subject = if entries == 1 {
                    "1 entry has".to_string()
                } else {
                    format!("{entries} entries have")
                };
                Diagnostic::warning(
                    path,
                    0,
                    0,
                    format!(
                        "{subject} fields no citation style prints, left out: {}; --verbose names them entry by entry",
                        list.join(", ")
                    ),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_counted_per_file_in_one_line() {
        assert!(is_noise("keywords (borders, militancy)"));
        assert!(is_noise("file (2 attachments)"));
        assert!(!is_noise("shortjournal (J. Things)"));
        assert!(!is_noise("the LaTeX command \\foo (its text is kept)"));
        let mut noise = Noise::default();
        let (k, f) = ("keywords (a)".to_string(), "file".to_string());
        noise.add("a.bib", &[&k, &f]);
        noise.add("a.bib", &[&k]);
        noise.add("b.json", &[]);
        let lines: Vec<String> = noise.warnings().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            [
                "a.bib: warning: 2 entries have fields no citation style prints, left out: keywords (2), file (1); --verbose names them entry by entry"
            ]
        );
    }
}
