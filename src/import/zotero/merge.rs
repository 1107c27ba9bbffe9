//! Zotero's part of a source note put into the note's text: the managed section replaced (or
//! appended, or removed when Zotero has nothing left for it) with every byte outside it kept,
//! and the item's tags added to the note's `tags` (never removed: the note's tags are its
//! author's too). Pure: text in, text out.

use super::section::{BEGIN, END};
use crate::error::Diagnostic;
use crate::frontmatter::{self, top_level_keys};
use crate::html::tag_slug;

/// The note's text with `section` in place of its managed section (`section` empty: removed).
/// A section opened and never closed, or two of them, is an error naming the line: the note is
/// then not touched.
pub(super) fn splice(path: &str, text: &str, section: &str) -> Result<String, Diagnostic> {
    let mut begin = None;
    let mut end = None;
    let mut offset = 0;
    for (number, line) in (1..).zip(text.split_inclusive('\n')) {
        let trimmed = line.trim();
        if trimmed == BEGIN {
            if begin.is_some() {
                return Err(Diagnostic::error(
                    path,
                    number,
                    1,
                    format!(
                        "a second Zotero section opens here: keep one `{BEGIN}` … `{END}` section (delete the other), then import again"
                    ),
                ));
            }
            begin = Some((number, offset));
        } else if trimmed == END {
            match begin {
                Some(_) if end.is_none() => end = Some(offset + line.len()),
                _ => {
                    return Err(Diagnostic::error(
                        path,
                        number,
                        1,
                        format!(
                            "`{END}` without a `{BEGIN}` line before it: delete it or add the opening line, then import again"
                        ),
                    ));
                }
            }
        }
        offset += line.len();
    }
    match (begin, end) {
        (Some((_, start)), Some(stop)) => {
            Ok(format!("{}{section}{}", &text[..start], &text[stop..]))
        }
        (Some((line, _)), None) => Err(Diagnostic::error(
            path,
            line,
            1,
            format!(
                "the Zotero section opened here is never closed: add a `{END}` line where it ends, or delete the section, then import again"
            ),
        )),
        _ if section.is_empty() => Ok(text.to_string()),
        _ => {
            let eol = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Ok(format!("{text}{eol}\n{section}"))
        }
    }
}

/// The note's text with each of `tags` its `tags` field does not have yet (compared as gloss
/// compares tags, by slug) added, written as its slug. Nothing to add: the text as it is.
pub(super) fn add_tags(path: &str, text: &str, tags: &[String]) -> Result<String, Diagnostic> {
    let split = frontmatter::split(path, text)?;
    if split.body_line == 1 {
        return Ok(text.to_string());
    }
    let yaml = split.yaml;
    let parsed: yaml_serde::Value = yaml_serde::from_str(yaml).unwrap_or_default();
    let have: Vec<String> = match parsed.get("tags") {
        Some(yaml_serde::Value::Sequence(list)) => list
            .iter()
            .filter_map(|t| t.as_str())
            .map(tag_slug)
            .collect(),
        Some(yaml_serde::Value::String(s)) => s
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(tag_slug)
            .collect(),
        _ => Vec::new(),
    };
    let mut all: Vec<String> = have.clone();
    for tag in tags.iter().map(|t| tag_slug(t)) {
        if !tag.is_empty() && !all.contains(&tag) {
            all.push(tag);
        }
    }
    if all.len() == have.len() {
        return Ok(text.to_string());
    }
    let eol = if yaml.contains("\r\n") { "\r\n" } else { "\n" };
    let quoted: Vec<String> = all.iter().map(|t| format!("\"{t}\"")).collect();
    let block = format!("tags: [{}]{eol}", quoted.join(", "));
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let keys = top_level_keys(yaml);
    let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let new_yaml = match keys.iter().position(|(_, k)| *k == "tags") {
        Some(n) => {
            let from = keys[n].0;
            let mut to = keys.get(n + 1).map_or(lines.len(), |(l, _)| *l);
            while to > from + 1 && lines[to - 1].trim().is_empty() {
                to -= 1;
            }
            format!("{}{block}{}", lines[..from].concat(), lines[to..].concat())
        }
        None => {
            let sep = if yaml.is_empty() || yaml.ends_with('\n') {
                ""
            } else {
                eol
            };
            format!("{yaml}{sep}{block}")
        }
    };
    Ok(format!(
        "{}{new_yaml}{}",
        &text[..start],
        &text[start + yaml.len()..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = "%% zotero: begin %%\nnew\n%% zotero: end %%\n";

    #[test]
    fn only_the_section_changes() {
        let text = "---\ntitle: T\n---\nMine  \r\n\n%% zotero: begin %%\nold\n%% zotero: end %%\nAfter, mine too";
        let out = splice("n.md", text, SECTION).unwrap();
        assert_eq!(
            out,
            "---\ntitle: T\n---\nMine  \r\n\n%% zotero: begin %%\nnew\n%% zotero: end %%\nAfter, mine too"
        );
        assert_eq!(
            splice("n.md", &out, "").unwrap(),
            "---\ntitle: T\n---\nMine  \r\n\nAfter, mine too"
        );
        assert_eq!(
            splice("n.md", "Body", SECTION).unwrap(),
            format!("Body\n\n{SECTION}")
        );
        let open = splice("n.md", "a\n%% zotero: begin %%\nb\n", SECTION).unwrap_err();
        assert_eq!(
            (open.line, open.message.contains("never closed")),
            (2, true)
        );
    }

    #[test]
    fn tags_are_added_once_by_slug() {
        let text = "---\ntitle: T\ntags: [Trust-Deficit]   # mine\ndraft: true\n---\nBody\n";
        let out = add_tags("n.md", text, &["trust deficit".into(), "Drones".into()]).unwrap();
        assert_eq!(
            out,
            "---\ntitle: T\ntags: [\"trust-deficit\", \"drones\"]\ndraft: true\n---\nBody\n"
        );
        assert_eq!(add_tags("n.md", &out, &["DRONES".into()]).unwrap(), out);
        let none = add_tags("n.md", "---\ntitle: T\n---\n", &["a".into()]).unwrap();
        assert_eq!(none, "---\ntitle: T\ntags: [\"a\"]\n---\n");
    }
}
