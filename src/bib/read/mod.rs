//! Reading a reference manager's library (BibTeX, BibLaTeX, CSL-JSON, CSL-YAML) into entries in
//! gloss's model, every loss named: for `gloss import` (`crate::import`) and for a site's
//! `bibliography:` files (`super::library`).
//!
//! `bibtex` (the file, `crossref`, the fields of an entry, its dates) and `csl_json` (the list,
//! each item's fields, its dates) each read one format; `entry` is what both make, `dates` and
//! `languages` what both share. Pure but for [`read_file`].

mod bibtex;
mod csl_json;
mod dates;
mod entry;
pub(crate) mod languages;
mod names;

use std::path::Path;

pub(crate) use entry::{Entry, archive_name, lost};

use crate::error::{Diagnostic, Error, Result};

/// The formats of library files gloss reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Bibtex,
    CslJson,
    CslYaml,
}

/// The entries of a library file's text (named `path` in messages) and the problems reading
/// them; on an error the entries are not to be written.
pub(crate) fn read(format: Format, path: &str, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    match format {
        Format::Bibtex => bibtex::read(path, text),
        Format::CslJson => csl_json::read(path, text),
        Format::CslYaml => csl_json::read_yaml(path, text),
    }
}

/// The entries of one library file (read as `path`, named `shown` in messages) and the problems
/// reading them, for a site's `bibliography:`: the same readers as the import's.
pub(crate) fn read_library(path: &Path, shown: &str) -> Result<(Vec<Entry>, Vec<Diagnostic>)> {
    let (format, text) = read_file(path)?;
    Ok(read(format, shown, &text))
}

/// Whether a file name is one `gloss import` and `bibliography:` read.
pub(crate) fn is_library_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".bib", ".bibtex", ".biblatex", ".json", ".yaml", ".yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A path as the user gave it, with `/` separators.
pub(crate) fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A library file's format (by its extension) and text. An unknown extension or a missing file
/// is a usage error; text that is not UTF-8 a content error at the first bad byte.
pub(crate) fn read_file(path: &Path) -> Result<(Format, String)> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "bib" | "bibtex" | "biblatex" => Format::Bibtex,
        "json" => Format::CslJson,
        "yaml" | "yml" => Format::CslYaml,
        _ => {
            return Err(Error::Usage(format!(
                "{}: gloss imports .bib (BibTeX, BibLaTeX), .json (CSL-JSON) and .yaml (CSL-YAML) files",
                shown(path)
            )));
        }
    };
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Usage(format!("{}: no such file", shown(path))),
        _ => Error::io(path, e),
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((format, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = crate::error::line_col(&text, valid);
            Err(Error::Content(vec![Diagnostic::error(
                shown(path),
                line,
                col,
                "file is not valid UTF-8: export the library as UTF-8 (Zotero and Better BibTeX do by default)",
            )]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::PartialDate;

    /// The issue date of the one entry `text` holds, and what reading it lost.
    fn issued(format: Format, text: &str) -> (Option<PartialDate>, Vec<String>) {
        let (entries, diags) = read(format, "lib", text);
        assert!(diags.is_empty(), "{diags:?}");
        (entries[0].meta.issued, entries[0].lost.clone())
    }

    #[test]
    fn a_day_the_month_does_not_have_is_dropped_and_said_to_be() {
        let feb = PartialDate::new(2023, Some(2), None);
        let bib =
            "@article{a,\n  title = {T},\n  year = {2023},\n  month = feb,\n  day = {31}\n}\n";
        assert_eq!(issued(Format::Bibtex, bib), (feb, vec!["day (31)".into()]));
        let json = r#"[{"id": "a", "type": "webpage", "title": "T", "issued": {"date-parts": [[2023, 2, 31]]}}]"#;
        let (date, lost) = issued(Format::CslJson, json);
        assert_eq!(date, feb);
        assert_eq!(lost, ["issued ([[2023,2,31]])"]);
        let json = r#"[{"id": "a", "type": "webpage", "title": "T", "issued": {"date-parts": [[2023, 257]]}}]"#;
        // A month past 255 was cast to a byte: 257 read as January.
        assert_eq!(
            issued(Format::CslJson, json),
            (None, vec!["issued ([[2023,257]])".into()])
        );
        let bib = "@online{a,\n  title = {T},\n  date = {2024-02-30}\n}\n";
        let (date, lost) = issued(Format::Bibtex, bib);
        assert_eq!(date, None);
        assert_eq!(lost, ["date (2024-02-30)"]);
        let bib = "@online{a,\n  title = {T},\n  date = {2024-02-29}\n}\n";
        assert_eq!(
            issued(Format::Bibtex, bib),
            (PartialDate::new(2024, Some(2), Some(29)), vec![])
        );
    }
}
