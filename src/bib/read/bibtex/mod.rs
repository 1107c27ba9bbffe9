//! Reading a `.bib` file (BibTeX or BibLaTeX) with the biblatex crate: syntax errors located to
//! the field that causes them, duplicate keys, `crossref` and `xdata` inherited as biber does
//! (`crossref`); each entry is then mapped to gloss's fields (`fields`, with `reader` and
//! `dates`).

mod crossref;
mod dates;
mod fields;
mod latex;
mod raw;
mod reader;

use std::collections::{BTreeMap, HashMap};

use biblatex::{
    Bibliography, ParseError, ParseErrorKind, RawBibliography, RawChunk, RawEntry, Spanned,
};

use super::entry::{Entry, Origin, without_nul};
use crate::error::{Diagnostic, LineIndex, line_col};
use crossref::{Links, Parsed};

/// The sources of a `.bib` file, with every problem found; on an error the entries are not
/// to be written.
pub(crate) fn read(path: &str, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    // One character for another: every position stays true.
    let text = &*without_nul(text);
    let tied = raw::with_ties(text);
    let text = &*tied;
    // One index for every entry: a big library is not rescanned from its start for each.
    let mut lines = LineIndex::new(text);
    let raw = match RawBibliography::parse(text) {
        Ok(raw) => raw,
        Err(whole) => return (Vec::new(), syntax_errors(path, text, &whole)),
    };
    let mut diags = Vec::new();
    let kept = unique(path, text, &raw, &mut lines, &mut diags);
    let (parsed, order) = resolve(path, text, &raw, kept, &mut lines, &mut diags);
    let mut entries = Vec::new();
    for key in &order {
        let (entry, links, line, kind) = &parsed[key];
        if matches!(kind.as_str(), "xdata" | "set") {
            if kind == "set" {
                diags.push(Diagnostic::warning(
                    path,
                    *line,
                    0,
                    format!(
                        "{key}: an @set groups other entries and is not a source: not imported"
                    ),
                ));
            }
            continue;
        }
        let origin = Origin {
            path: path.to_string(),
            line: *line,
            index: None,
        };
        let mut resolved = entry.clone();
        let mut own = links.own.clone();
        let mut missing = Vec::new();
        crossref::inherit(
            &mut resolved,
            &mut own,
            kind,
            links,
            &parsed,
            &mut missing,
            0,
        );
        for parent in missing {
            diags.push(origin.warning(
                key,
                &format!(
                    "`{parent}` (crossref or xdata) is not in the file: nothing inherited from it"
                ),
            ));
        }
        match fields::entry(&resolved, kind, &own, origin.clone()) {
            Ok(e) => entries.push(e),
            Err(why) => diags.push(origin.warning(key, &format!("not imported: {why}"))),
        }
    }
    if raw.entries.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::warning(path, 0, 0, "no entries found"));
    }
    (entries, diags)
}

/// The entries with a key, each key once: an exact copy of an entry is ignored, and of two
/// works under one key the last is kept, as pandoc and biber read the file (both a warning).
fn unique<'r, 'a>(
    path: &str,
    text: &str,
    raw: &'r RawBibliography<'a>,
    lines: &mut LineIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'r Spanned<RawEntry<'a>>> {
    let mut kept = Vec::new();
    // First occurrence of each key: its line and the entry's text.
    let mut seen: HashMap<&str, (usize, &str)> = HashMap::new();
    for entry in raw.entries.iter() {
        let (line, col) = lines.locate(entry.span.start);
        let key = entry.v.key.v;
        if key.trim().is_empty() {
            diags.push(Diagnostic::error(
                path,
                line,
                col,
                "entry has no citation key",
            ));
            continue;
        }
        let body = &text[entry.span.clone()];
        match seen.get(key) {
            Some((first, first_body)) if *first_body == body => {
                diags.push(Diagnostic::warning(
                    path,
                    line,
                    0,
                    format!(
                        "{key}: exact duplicate of the entry at line {first}: this copy is ignored"
                    ),
                ));
            }
            Some((first, _)) => {
                diags.push(Diagnostic::warning(
                    path,
                    line,
                    0,
                    format!("{key}: a second work under the key {key} (the first at line {first}): this one is imported, as pandoc reads the file; give the other another key to keep both"),
                ));
                kept.retain(|e: &&Spanned<RawEntry<'a>>| e.v.key.v != key);
                seen.insert(key, (line, body));
                kept.push(entry);
            }
            None => {
                seen.insert(key, (line, body));
                kept.push(entry);
            }
        }
    }
    kept
}

/// Each entry resolved on its own (with every @string), so that one bad field is reported
/// without hiding the others; its `crossref` and `xdata` taken out, to be inherited by
/// `crossref` rather than by the crate, which lets a parent's date replace the child's. The
/// entries by key, and the keys in the file's order.
fn resolve(
    path: &str,
    text: &str,
    raw: &RawBibliography<'_>,
    kept: Vec<&Spanned<RawEntry<'_>>>,
    lines: &mut LineIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (Parsed, Vec<String>) {
    let mut parsed: Parsed = BTreeMap::new();
    let mut order = Vec::new();
    for entry in kept {
        let mut raw_entry = entry.v.clone();
        let verbatim = raw::verbatim_fields(&raw_entry);
        let mut links = Links::default();
        raw_entry.fields.retain(|pair| {
            let name = pair.key.v.to_ascii_lowercase();
            let value = raw_text(&pair.value.v);
            match name.as_str() {
                "crossref" => links.crossref = Some(value),
                "xdata" => links.xdata = value.split(',').map(|k| k.trim().to_string()).collect(),
                _ => {
                    links.own.insert(name);
                    return true;
                }
            }
            false
        });
        let single = RawBibliography {
            preamble: String::new(),
            entries: vec![Spanned::new(raw_entry, entry.span.clone())],
            abbreviations: raw.abbreviations.clone(),
        };
        match Bibliography::from_raw(single) {
            Ok(bib) => {
                if let Some(mut e) = bib.into_vec().into_iter().next() {
                    raw::set_verbatim(&mut e, verbatim);
                    let (line, _) = lines.locate(entry.span.start);
                    order.push(e.key.clone());
                    let kind = entry.v.kind.v.to_ascii_lowercase();
                    parsed.insert(e.key.clone(), (e, links, line, kind));
                }
            }
            Err(e) => diags.push(parse_error(path, text, &e)),
        }
    }
    (parsed, order)
}

/// The text of a raw field value (for keys in `crossref` and `xdata`).
fn raw_text(field: &[biblatex::Spanned<RawChunk<'_>>]) -> String {
    field
        .iter()
        .map(|c| match c.v {
            RawChunk::Normal(s) | RawChunk::Abbreviation(s) => s,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A field's error, at its position.
fn parse_error(path: &str, text: &str, e: &ParseError) -> Diagnostic {
    let (line, col) = line_col(text, e.span.start);
    let message = match &e.kind {
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "unknown @string `{name}`: define it with @string{{{name} = {{…}}}} or write the value in braces"
        ),
        ParseErrorKind::MalformedCommand => "malformed LaTeX command".to_string(),
        ParseErrorKind::Unexpected(token) => format!("unexpected {token}"),
        ParseErrorKind::Expected(token) => format!("expected {token}"),
        ParseErrorKind::UnexpectedEof => "the file ends inside an entry".to_string(),
        ParseErrorKind::DuplicateKey(key) => format!("duplicate citation key {key}"),
        ParseErrorKind::ResolutionError(kind) => format!("cannot resolve crossref: {kind}"),
        other => other.to_string(),
    };
    Diagnostic::error(path, line, col, message)
}

/// Every syntax error of a file that does not parse. The crate stops at the first and, for an
/// unclosed brace, only at the end of the file; so the file is cut where lines start with `@`
/// (where biber resumes) and each piece is parsed alone, an unclosed value named by its field.
fn syntax_errors(path: &str, text: &str, whole: &ParseError) -> Vec<Diagnostic> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('@') {
            starts.push(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    let mut diags = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let piece = &text[start..end];
        match RawBibliography::parse(piece) {
            Ok(raw) => {
                for entry in raw.entries {
                    if entry.v.key.v.trim().is_empty() {
                        let (line, col) = line_col(text, start + entry.span.start);
                        diags.push(Diagnostic::error(
                            path,
                            line,
                            col,
                            "entry has no citation key",
                        ));
                    }
                }
            }
            Err(e) => {
                let diag = match (&e.kind, unclosed_field(piece)) {
                    (ParseErrorKind::UnexpectedEof, Some((field, at))) => {
                        let (line, col) = line_col(text, start + at);
                        Diagnostic::error(
                            path,
                            line,
                            col,
                            format!(
                                "unclosed brace in field `{field}`: the `{{` here is never closed"
                            ),
                        )
                    }
                    _ => {
                        let mut shifted = e.clone();
                        shifted.span = start + e.span.start..start + e.span.end;
                        parse_error(path, text, &shifted)
                    }
                };
                diags.push(diag);
            }
        }
    }
    if !diags.iter().any(Diagnostic::is_error) {
        diags.push(parse_error(path, text, whole));
    }
    diags
}

/// The field of an entry whose braced value is still open at the end of `piece`, with the
/// offset of its opening brace.
fn unclosed_field(piece: &str) -> Option<(String, usize)> {
    let bytes = piece.as_bytes();
    let mut depth = 0usize;
    let mut open: Option<(String, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => {
                if depth == 1 {
                    let before = piece[..i].trim_end();
                    if let Some(eq) = before.strip_suffix('=') {
                        let name: String = eq
                            .trim_end()
                            .chars()
                            .rev()
                            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                            .collect();
                        open = Some((name.chars().rev().collect(), i));
                    }
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    open = None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    open.filter(|_| depth > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_value_is_named_by_its_field_and_the_rest_is_still_read() {
        let text = "@article{a,\n  title = {Fine},\n  year = {2019}\n}\n\n@book{,\n  title = {No key}\n}\n\n@article{b,\n  title = {The {Unclosed Brace,\n  year = {2021}\n}\n\n@article{c,\n  title = {After},\n  year = {2022}\n}\n";
        let (entries, diags) = read("x.bib", text);
        assert!(entries.is_empty());
        let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "x.bib:6:1: error: entry has no citation key",
                "x.bib:11:11: error: unclosed brace in field `title`: the `{` here is never closed",
            ]
        );
    }
}
