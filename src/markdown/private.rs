//! The body as gloss reads it, before any parsing: Obsidian's `%% comments %%` (inline,
//! multi-line, or opened and never closed) blanked out, so that no later stage — pages, search,
//! previews, backlink passages, exports — can ever see their text; and an escaped `\@` (or
//! `&#64;`) kept from being read as a citation. Code spans and fenced code blocks are left as
//! written. Every line keeps its length in characters, so positions in diagnostics stay true.

use std::borrow::Cow;

/// Stands for a literal `@` that must not start a citation.
pub(crate) const LITERAL_AT: char = '\u{E004}';
/// Fills the place of the characters an escape took, keeping columns (dropped when rendered).
pub(crate) const FILLER: char = '\u{E005}';

/// The body with comments blanked (as spaces, newlines kept) and escaped `@`s marked.
pub(crate) fn prepare(body: &str) -> Cow<'_, str> {
    if !body.contains("%%") && !body.contains("\\@") && !body.contains("&#64;") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    for line in body.split_inclusive('\n') {
        if !in_comment {
            if let Some((c, n)) = fence {
                out.push_str(line);
                if closes_fence(line, c, n) {
                    fence = None;
                }
                continue;
            }
            if let Some(opened) = opens_fence(line) {
                fence = Some(opened);
                out.push_str(line);
                continue;
            }
        }
        in_comment = scan_line(line, in_comment, &mut out);
    }
    Cow::Owned(out)
}

/// A fence opening a code block: up to three spaces, then three or more backticks or tildes.
fn opens_fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

fn closes_fence(line: &str, c: char, n: usize) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= n && trimmed.chars().all(|x| x == c)
}

/// Copies one line to `out`, blanking comments and marking escapes outside code spans; returns
/// whether a comment is still open at its end.
fn scan_line(line: &str, mut in_comment: bool, out: &mut String) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_comment {
            if c == '%' && chars.get(i + 1) == Some(&'%') {
                in_comment = false;
                out.push_str("  ");
                i += 2;
            } else {
                out.push(if c == '\n' || c == '\r' { c } else { ' ' });
                i += 1;
            }
            continue;
        }
        match c {
            '`' => {
                // A code span: copied as it is up to its closing run of as many backticks.
                let run = chars[i..].iter().take_while(|&&x| x == '`').count();
                let close = (i + run..chars.len()).find(|&j| {
                    chars[j..].iter().take_while(|&&x| x == '`').count() == run
                        && (j == 0 || chars[j - 1] != '`')
                });
                let end = close.map_or(i + run, |j| j + run);
                out.extend(&chars[i..end]);
                i = end;
            }
            '%' if chars.get(i + 1) == Some(&'%') => {
                in_comment = true;
                out.push_str("  ");
                i += 2;
            }
            '\\' if chars.get(i + 1) == Some(&'@') => {
                out.push(LITERAL_AT);
                out.push(FILLER);
                i += 2;
            }
            '&' if chars[i..].starts_with(&['&', '#', '6', '4', ';']) => {
                out.push(LITERAL_AT);
                out.extend([FILLER; 4]);
                i += 5;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    in_comment
}

/// Text as the reader sees it: the marks of [`prepare`] made back into `@`, or dropped.
pub(crate) fn restore(text: &str) -> Cow<'_, str> {
    if !text.contains([LITERAL_AT, FILLER]) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| c != FILLER)
            .map(|c| if c == LITERAL_AT { '@' } else { c })
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
    fn escaped_at_signs_are_not_citations_but_read_as_at_signs() {
        let out = prepare("Mail \\@handle or &#64;other, `\\@code`.");
        assert!(!out.contains('@') || out.contains("`\\@code`"), "{out}");
        assert_eq!(restore(&out), "Mail @handle or @other, `\\@code`.");
    }
}
