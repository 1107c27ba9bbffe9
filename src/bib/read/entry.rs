//! One library entry as a reader makes it: the note's title and bibliographic fields, the text
//! a new note's body starts with, and what could not be kept; and what both formats' readers
//! share about it (where it is, a lost field named, an e-print archive's spelling).

use crate::bib::model::SourceMeta;
use crate::error::Diagnostic;

/// An entry of a library file, ready to become a source note.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The citation key as the library writes it.
    pub(crate) key: String,
    pub(crate) at: Origin,
    pub(crate) title: String,
    pub(crate) meta: SourceMeta,
    /// Moved into a new note's body, under `## Abstract`.
    pub(crate) abstract_text: Option<String>,
    /// Free-text notes (`note`, `addendum`, `annotation`), moved into a new note's body.
    pub(crate) notes: Vec<String>,
    /// What could not be kept, each with its value: `keywords (borders, militancy)`.
    pub(crate) lost: Vec<String>,
    /// Changes worth knowing that lose nothing (a synthesised title).
    pub(crate) remarks: Vec<String>,
}

/// Where an entry is: its file as the user named it, its line, and for JSON its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) path: String,
    /// 1-based; 0 when unknown (YAML items).
    pub(crate) line: usize,
    /// The 0-based position of a JSON or YAML item in its list.
    pub(crate) index: Option<usize>,
}

impl Origin {
    /// The entry named as messages name it: `smith2020` or `item 12 (smith2020)`.
    pub(crate) fn name(&self, key: &str) -> String {
        match self.index {
            Some(i) => format!("item {i} ({key})"),
            None => key.to_string(),
        }
    }

    pub(crate) fn warning(&self, key: &str, message: &str) -> Diagnostic {
        Diagnostic::warning(
            &self.path,
            self.line,
            0,
            format!("{}: {message}", self.name(key)),
        )
    }

    pub(crate) fn error(&self, key: &str, message: &str) -> Diagnostic {
        Diagnostic::error(
            &self.path,
            self.line,
            0,
            format!("{}: {message}", self.name(key)),
        )
    }
}

/// Text with every NUL as U+FFFD, as the note reader makes it (and CommonMark in a body), so
/// that a note written from it reads back the same.
pub(crate) fn without_nul(text: &str) -> std::borrow::Cow<'_, str> {
    match text.contains('\0') {
        true => text.replace('\0', "\u{FFFD}").into(),
        false => text.into(),
    }
}

/// `name (value)`, the value shortened to a readable length.
pub(crate) fn lost(name: &str, value: &str) -> String {
    const MAX: usize = 60;
    let value = crate::bib::markup::collapse(value);
    if value.is_empty() {
        return name.to_string();
    }
    let shown: String = if value.chars().count() > MAX {
        let cut: String = value.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    } else {
        value
    };
    format!("{name} ({shown})")
}

/// The first of the identifiers a `doi` or `url` field holds, the others named in `lost`: two
/// DOIs or URLs in one field (separated by spaces, which neither can hold) would make one broken
/// link.
pub(crate) fn first_identifier(
    field: &str,
    value: Option<String>,
    lost_list: &mut Vec<String>,
) -> Option<String> {
    let value = value?;
    let parts: Vec<&str> = value.split_whitespace().collect();
    // A URL with a space not encoded (`…/my file.pdf`) is one URL: each part must be one.
    let starts = |p: &&str| {
        let p = p.to_ascii_lowercase();
        ["http://", "https://", "www.", "10.", "doi:", "ftp://"]
            .iter()
            .any(|s| p.starts_with(s))
    };
    if parts.len() < 2 || !parts.iter().all(starts) {
        return Some(value);
    }
    let first = parts[0].to_string();
    let rest = &parts[1..];
    if !rest.is_empty() {
        lost_list.push(lost(
            &format!("{field} after the first, {first}"),
            &rest.join(" "),
        ));
    }
    Some(first)
}

/// Drops what says a field twice: a `number` that is the e-print identifier with its archive
/// (`arXiv:2101.00001` beside `eprint = {2101.00001}`), as Better BibTeX exports preprints.
pub(crate) fn tidy(meta: &mut SourceMeta) {
    if let (Some(number), Some(eprint)) = (&meta.number, &meta.eprint) {
        let (prefix, id) = number.split_once(':').unwrap_or(("", number));
        let archive = meta.archive.as_deref().unwrap_or("arXiv");
        if id.trim() == eprint && (prefix.is_empty() || prefix.trim().eq_ignore_ascii_case(archive))
        {
            meta.number = None;
        }
    }
}

/// An e-print archive in its usual spelling (`arxiv` → `arXiv`).
pub(crate) fn archive_name(text: &str) -> String {
    match text.to_ascii_lowercase().as_str() {
        "arxiv" => "arXiv".into(),
        "biorxiv" => "bioRxiv".into(),
        "medrxiv" => "medRxiv".into(),
        "pubmed" => "PubMed".into(),
        "jstor" => "JSTOR".into(),
        "hdl" => "Handle".into(),
        "googlebooks" => "Google Books".into(),
        "ssrn" => "SSRN".into(),
        _ => text.to_string(),
    }
}
