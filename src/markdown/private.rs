//! The body as gloss reads it, before any parsing: Obsidian's `%% comments %%` (inline,
//! multi-line, or opened and never closed) blanked out, so that no later stage — pages, search,
//! previews, backlink passages, exports — can ever see their text; and an escaped `\@` (or
//! `&#64;`) kept from being read as a citation, an escaped `\#` as a tag. Code spans and code blocks, where Markdown
//! itself finds them, are left as written. Every line keeps its length in characters, so
//! positions in diagnostics stay true.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::error::{Diagnostic, LineIndex};

/// Stands for a literal `@` that must not start a citation.
pub(crate) const LITERAL_AT: char = '\u{E004}';
/// Stands for a literal `#` that must not start a tag (`\#tag`, as Obsidian reads it).
pub(crate) const LITERAL_HASH: char = '\u{E006}';
/// Fills the place of the characters an escape took, keeping columns (dropped when rendered).
pub(crate) const FILLER: char = '\u{E005}';

/// The body with comments blanked (as spaces, newlines kept) and escaped `@`s marked.
#[cfg(test)]
pub(crate) fn prepare(body: &str) -> Cow<'_, str> {
    prepare_noting(body).0
}

/// [`prepare`]'s body, and the byte offset of a `%%` that opens a comment no `%%` closes: the
/// rest of the note is hidden, as Obsidian hides it, and the writer should hear of it (`90%% of`
/// is more often a typo than a comment).
pub(crate) fn prepare_noting(body: &str) -> (Cow<'_, str>, Option<usize>) {
    if !body.contains("%%")
        && !body.contains("\\@")
        && !body.contains("&#64;")
        && !body.contains("\\#")
    {
        return (Cow::Borrowed(body), None);
    }
    let code = code_ranges(body);
    let mut next = 0;
    let mut out = String::with_capacity(body.len());
    let mut in_comment = false;
    let mut opened = 0;
    let mut i = 0;
    while let Some(c) = body[i..].chars().next() {
        let rest = &body[i..];
        while code.get(next).is_some_and(|r| r.start < i) {
            // Code that a comment opened before reached into: its start is hidden, so the rest
            // is no code (and a `%%` in it is one).
            next += 1;
        }
        if in_comment {
            if rest.starts_with("%%") {
                in_comment = false;
                out.push_str("  ");
                i += 2;
            } else {
                out.push(if c == '\n' || c == '\r' { c } else { ' ' });
                i += c.len_utf8();
            }
            continue;
        }
        if let Some(r) = code.get(next).filter(|r| r.start == i) {
            out.push_str(&body[r.clone()]);
            i = r.end;
            next += 1;
        } else if rest.starts_with("%%") {
            in_comment = true;
            opened = i;
            out.push_str("  ");
            i += 2;
        } else if rest.starts_with("\\@") {
            out.push(LITERAL_AT);
            out.push(FILLER);
            i += 2;
        } else if rest.starts_with("\\#") {
            out.push(LITERAL_HASH);
            out.push(FILLER);
            i += 2;
        } else if rest.starts_with("&#64;") {
            out.push(LITERAL_AT);
            out.extend([FILLER; 4]);
            i += 5;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    (Cow::Owned(out), in_comment.then_some(opened))
}

/// The warning for a comment opened at byte `at` of `body` (which starts on file line
/// `first_line`) and never closed.
pub(crate) fn unclosed_warning(path: &str, body: &str, first_line: usize, at: usize) -> Diagnostic {
    let (line, col) = LineIndex::new(body).locate(at);
    Diagnostic::warning(
        path,
        line + first_line - 1,
        col,
        "this `%%` opens a comment that no `%%` closes, so the rest of the note is hidden, as Obsidian hides it: close it with `%%`, or write one `%` if a percent sign was meant",
    )
}

/// Where the body's code spans and code blocks are, as Markdown reads them (fences and
/// backticks included), in order: what is written there stays as it is.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_)))
            && ranges.last().is_none_or(|last| last.end <= range.start)
        {
            ranges.push(range);
        }
    }
    ranges
}

/// Text as the reader sees it: the marks of [`prepare`] made back into `@`, or dropped.
pub(crate) fn restore(text: &str) -> Cow<'_, str> {
    if !text.contains([LITERAL_AT, LITERAL_HASH, FILLER]) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| c != FILLER)
            .map(|c| match c {
                LITERAL_AT => '@',
                LITERAL_HASH => '#',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_wherever_they_are_but_in_code() {
        let body = "Visible %% SECRET-1 %% text.\n%%\nSECRET-2\n%%\n`%% kept %%`\n```\n%% kept too %%\n```\nEnd %% SECRET-3 never closed\nSECRET-4\n";
        let out = prepare(body);
        for secret in ["SECRET-1", "SECRET-2", "SECRET-3", "SECRET-4"] {
            assert!(!out.contains(secret), "{secret} in {out:?}");
        }
        assert!(
            out.contains("`%% kept %%`") && out.contains("%% kept too %%"),
            "{out}"
        );
        assert!(out.starts_with("Visible "), "{out}");
        // Every line keeps its length, so positions after a comment stay true.
        for (a, b) in body.lines().zip(out.lines()) {
            assert_eq!(a.chars().count(), b.chars().count(), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn an_escaped_hash_is_a_literal_hash_and_reads_back_as_one() {
        let out = prepare("a \\#tag b");
        assert!(!out.contains('#'), "{out}");
        assert_eq!(out.chars().count(), "a \\#tag b".chars().count());
        assert_eq!(restore(&out), "a #tag b");
    }

    #[test]
    fn an_unclosed_comment_is_noted_where_it_opens() {
        let body = "Closed %% a %% here.\nAbout 90%% of it.\nHidden.\n";
        let (out, unclosed) = prepare_noting(body);
        assert_eq!(unclosed, Some(body.find("90%%").unwrap() + 2));
        assert!(!out.contains("Hidden") && out.contains("About 90"), "{out}");
        assert_eq!(prepare_noting("%% a %% and `%%` in code").1, None);
        assert_eq!(prepare_noting("no comment").1, None);
    }

    #[test]
    fn code_is_where_markdown_finds_it() {
        // Found by fuzz/vault: a line of backticks whose info string holds a backtick opens no
        // code block, and an escaped backtick opens no code span, yet both kept the comments
        // after them.
        for body in [
            "``` a`b\n%% SECRET-1 %%\n",
            "\\`%% SECRET-2 %%`",
            "%% `x %% y %% SECRET-3 %%`",
            "<a title=\"`\">%% SECRET-4 %%`",
        ] {
            assert!(
                !prepare(body).contains("SECRET"),
                "{body:?}: {}",
                prepare(body)
            );
        }
        // Indented code, and fences inside a list item, are code.
        let body = "Text.\n\n    %% kept %%\n\n- item\n\n  ```\n  %% kept too %%\n  ```\n";
        assert_eq!(prepare(body), body);
    }

    #[test]
    fn escaped_at_signs_are_not_citations_but_read_as_at_signs() {
        let out = prepare("Mail \\@handle or &#64;other, `\\@code`.");
        assert!(!out.contains('@') || out.contains("`\\@code`"), "{out}");
        assert_eq!(restore(&out), "Mail @handle or @other, `\\@code`.");
    }
}
