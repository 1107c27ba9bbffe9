//! The managed section of a source note: its annotations in reading order (each highlight a
//! quote ending in its citation, `> text [@key, p. 12]`, its comment after it; notes, images
//! and drawings named with their page), grouped under the colour legend's labels when site.yaml
//! has one, then the item's child notes. Each annotation keeps a `zotero://` link to open it
//! in Zotero inside a `%% … %%` comment: the author clicks it in Obsidian, the site never shows
//! it. Pure.

use super::notes::{Converter, escape_gloss, safe_locator};
use super::query::{Annotation, Attachment};

/// The line that opens the section, and the one that closes it.
pub(crate) const BEGIN: &str = "%% zotero: begin %%";
pub(crate) const END: &str = "%% zotero: end %%";

/// One annotation with the attachment it is on.
pub(super) struct Placed<'a> {
    pub(super) annotation: &'a Annotation,
    pub(super) attachment: &'a Attachment,
}

/// The section for one item (`key`), or an empty string when it has nothing to hold.
pub(super) fn section(
    key: &str,
    annotations: &[Placed<'_>],
    notes: &[String],
    legend: &[(String, String)],
    converter: &Converter,
) -> String {
    let mut body = String::new();
    if annotations.iter().any(|p| !shown(p.annotation).is_empty()) {
        body.push_str("\n## Annotations\n");
        if legend.is_empty() {
            for placed in annotations {
                push(&mut body, &one(key, placed, converter));
            }
        } else {
            let colour = |p: &&Placed<'_>| p.annotation.color.to_lowercase();
            for (hex, label) in legend {
                let group: Vec<_> = annotations.iter().filter(|p| colour(p) == *hex).collect();
                group_under(&mut body, key, label, &group, converter);
            }
            let rest: Vec<_> = annotations
                .iter()
                .filter(|p| !legend.iter().any(|(hex, _)| colour(p) == *hex))
                .collect();
            group_under(&mut body, key, "Other annotations", &rest, converter);
        }
    }
    let notes: Vec<&String> = notes.iter().filter(|n| !n.trim().is_empty()).collect();
    if !notes.is_empty() {
        body.push_str("\n## Notes from Zotero\n");
        for note in notes {
            push(&mut body, note);
        }
    }
    if body.is_empty() {
        return String::new();
    }
    format!(
        "{BEGIN}\n%% Written by `gloss import --zotero`, and rewritten by every import: write outside this section. %%\n{body}\n{END}\n"
    )
}

fn group_under(
    body: &mut String,
    key: &str,
    label: &str,
    group: &[&Placed<'_>],
    converter: &Converter,
) {
    let blocks: Vec<String> = group.iter().map(|p| one(key, p, converter)).collect();
    if blocks.iter().all(String::is_empty) {
        return;
    }
    body.push_str(&format!("\n### {}\n", escape(label)));
    for block in &blocks {
        push(body, block);
    }
}

fn push(body: &mut String, block: &str) {
    if !block.is_empty() {
        body.push('\n');
        body.push_str(block);
        body.push('\n');
    }
}

/// The text an annotation shows: its highlighted text, else its comment.
fn shown(annotation: &Annotation) -> &str {
    match annotation.text.trim() {
        "" => annotation.comment.trim(),
        text => text,
    }
}

/// One annotation's Markdown (empty when it has nothing to show).
fn one(key: &str, placed: &Placed<'_>, converter: &Converter) -> String {
    let a = placed.annotation;
    let cite = match a.page_label.trim() {
        label if safe_locator(label) => format!("[@{key}, p. {label}]"),
        _ => format!("[@{key}]"),
    };
    let link = format!("%%[open in Zotero]({})%%", link(placed));
    let comment = comment(&a.comment, converter);
    let text = a.text.trim();
    match a.kind {
        1 | 5 if !text.is_empty() => {
            let quote: Vec<String> = text.lines().map(|l| format!("> {}", escape(l))).collect();
            let mut out = format!("{} {cite} {link}", quote.join("\n"));
            if !comment.is_empty() {
                out.push_str(&format!("\n\n{comment}"));
            }
            out
        }
        3 | 4 => {
            let what = if a.kind == 3 { "Image" } else { "Drawing" };
            let page = match a.page_label.trim() {
                label if safe_locator(label) => format!(" on p. {label}"),
                _ => String::new(),
            };
            let mut out = format!("*{what}{page}, to see in Zotero* {cite} {link}");
            if !comment.is_empty() {
                out.push_str(&format!("\n\n{comment}"));
            }
            out
        }
        _ if !comment.is_empty() => format!("{comment} {cite} {link}"),
        _ => String::new(),
    }
}

/// A comment: Zotero 7 keeps a little HTML in it (`<b>`, `<i>`, `<sup>`), older ones plain text.
fn comment(text: &str, converter: &Converter) -> String {
    let text = text.trim();
    if text.contains('<') && text.contains('>') {
        return converter.markdown(text);
    }
    let lines: Vec<String> = text.lines().map(|l| escape(l.trim())).collect();
    escape_gloss(&lines.join("\n"))
}

/// The `zotero://` link that opens the annotation: a PDF's page is its index + 1 (the first
/// number of `sortIndex`), not its label.
fn link(placed: &Placed<'_>) -> String {
    let (a, file) = (placed.annotation, placed.attachment);
    if file.content_type == "application/pdf" {
        let index: u64 = a
            .sort_index
            .split('|')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        return format!(
            "zotero://open-pdf/library/items/{}?page={}&annotation={}",
            file.key,
            index + 1,
            a.key
        );
    }
    format!(
        "zotero://open/library/items/{}?annotation={}",
        file.key, a.key
    )
}

/// Text that reads back as itself in Markdown and in gloss: every character Markdown or gloss
/// could take for syntax (emphasis, links, citations, tags, comments, math, HTML) escaped, and
/// what could start a list or heading at the start of a line.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '$' | '~' | '=' | '|' | '^' | '@'
            | '#' | '%' | '&' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\u{0}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if out.starts_with(['-', '+']) || (digits > 0 && out[digits..].starts_with(['.', ')'])) {
        let at = if digits > 0 { digits } else { 0 };
        out.insert(at, '\\');
    }
    out
}
