//! `$…$` and `$$…$$` as MathML, made at build time (no script, no web font): the page reads
//! the same offline, in print and in a feed reader. A formula that does not parse is shown as
//! its source and reported with the reason.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use crate::html::escape_html;

/// How deep a formula's groups (`{…}`, `\left…\right`, `\begin…\end`) may nest: the parser
/// takes time growing with the square of the depth (50,000 levels, 16 s), and no formula a
/// reader can follow nests more than a few.
const MAX_DEPTH: usize = 100;

/// The MathML of a formula, or why it cannot be read.
pub(super) fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    if too_deep(tex) {
        return Err(format!(
            "its groups (`{{…}}`, `\\left…\\right`, `\\begin…\\end`) nest more than {MAX_DEPTH} deep"
        ));
    }
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage)
        .collect::<Result<_, _>>()
        .map_err(|e| reason(&e.to_string()))?;
    // pulldown-latex writes the annotation as given: it gets the source escaped.
    let annotation = escape_html(tex);
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, pulldown_latex::ParserError>),
        config,
    )
    .map_err(|e| e.to_string())?;
    Ok(escape_operators(&out))
}

/// Whether the groups of `tex` nest more than [`MAX_DEPTH`] deep, counted in one pass (an
/// escaped `\{` is a brace character, no group).
fn too_deep(tex: &str) -> bool {
    let bytes = tex.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        // `\\left` but not `\\leftarrow`.
        let at = |w: &&&[u8]| {
            rest.starts_with(w)
                && (w.len() == 1 || rest.get(w.len()).is_none_or(|b| !b.is_ascii_alphabetic()))
        };
        let opens = [&b"\\left"[..], b"\\begin", b"{"];
        let closes = [&b"\\right"[..], b"\\end", b"}"];
        if let Some(open) = opens.iter().find(at) {
            depth += 1;
            if depth > MAX_DEPTH {
                return true;
            }
            i += open.len();
        } else if let Some(close) = closes.iter().find(at) {
            depth = depth.saturating_sub(1);
            i += close.len();
        } else {
            // A backslash and the byte after it: an escaped `\{` is a brace, no group.
            i += if rest[0] == b'\\' { 2 } else { 1 };
        }
    }
    false
}

/// pulldown-latex 0.8 escapes text but writes an operator or relation character as it is, so
/// `$a<b$` gives `<mo><</mo>`, which no HTML parser reads back. Such a character is alone
/// between a tag's end and the next closing tag; the markup itself never is.
fn escape_operators(mathml: &str) -> String {
    if !mathml.contains("><</") && !mathml.contains(">></") && !mathml.contains(">&</") {
        return mathml.to_string();
    }
    mathml
        .replace("><</", ">&lt;</")
        .replace(">></", ">&gt;</")
        .replace(">&</", ">&amp;</")
}

/// The HTML of a formula: MathML, or its source marked as an error.
pub(super) fn html(tex: &str, display: bool) -> String {
    match to_mathml(tex, display) {
        Ok(mathml) => mathml,
        Err(why) => {
            let delim = if display { "$$" } else { "$" };
            format!(
                r#"<code class="math-error" title="{}">{delim}{}{delim}</code>"#,
                escape_html(&why),
                escape_html(tex)
            )
        }
    }
}

/// The first line of the parser's message (the rest is a drawing of the context).
fn reason(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("the formula does not parse")
        .trim_start_matches("error: ")
        .to_string()
}

/// A `$…$` in text that the Markdown parser did not take for a formula because its braces do not
/// balance (`$\frac{1}{$`): its byte offset in `text`, for a warning. `$5 and $10` is not one.
pub(super) fn unbalanced(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = text[i..].find('$') {
        let open = i + found;
        let next = bytes.get(open + 1).copied();
        if open > 0 && bytes[open - 1] == b'\\'
            || next.is_none_or(|b| b.is_ascii_whitespace() || b == b'$')
        {
            i = open + 1;
            continue;
        }
        let len = text[open + 1..].find('$')?;
        let close = open + 1 + len;
        let inner = &text[open + 1..close];
        let tight = !inner.ends_with(char::is_whitespace);
        let braces = inner.matches('{').count() as isize - inner.matches('}').count() as isize;
        if tight && braces != 0 && inner.contains('\\') {
            return Some(open);
        }
        i = close;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A formula nested 50,000 deep took 16 s to refuse; now one pass over it says it is too
    /// deep, and a formula just within the limit still reads.
    #[test]
    fn formulas_nested_too_deep_are_refused_at_once() {
        let nested = |n: usize| format!("{}x{}", "{".repeat(n), "}".repeat(n));
        let why = to_mathml(&nested(50_000), false).unwrap_err();
        assert!(why.contains("nest more than 100 deep"), "{why}");
        assert!(to_mathml(&nested(100), false).is_ok());
        let lefts = format!("{}x{}", "\\left( ".repeat(101), "\\right) ".repeat(101));
        assert!(to_mathml(&lefts, true).is_err());
        // Arrows are no groups, escaped braces neither.
        let arrows = "a \\leftarrow b \\rightarrow c ".repeat(200);
        assert!(!too_deep(&arrows));
        assert!(!too_deep(&"\\{".repeat(500)));
        assert!(!too_deep("é\\é{}"));
    }

    #[test]
    fn formulas_become_mathml_and_errors_say_why() {
        let ok = to_mathml(r"\frac{a}{b} + \sqrt{x}", false).unwrap();
        assert!(ok.starts_with("<math") && ok.contains("<mfrac>"), "{ok}");
        let display = to_mathml("x^2", true).unwrap();
        assert!(display.contains(r#"display="block""#), "{display}");
        let bad = to_mathml(r"\frac{a", false).unwrap_err();
        assert!(!bad.is_empty() && !bad.contains('\n'), "{bad}");
        assert!(html(r"\frac{a", false).contains("math-error"));
    }

    #[test]
    fn operators_and_the_source_are_escaped() {
        for tex in ["<", "a < b", "a>b", r"\text{<b>}", "x & y"] {
            let mathml = to_mathml(tex, false).unwrap_or_default();
            let page = scraper::Html::parse_fragment(&mathml);
            assert!(page.errors.is_empty(), "{tex}: {mathml} {:?}", page.errors);
            assert!(!mathml.contains("<b>"), "{mathml}");
        }
    }

    #[test]
    fn unbalanced_formulas_left_as_text_are_found_and_prices_are_not() {
        assert_eq!(unbalanced(r"see $\frac{1}{$ here"), Some(4));
        assert_eq!(unbalanced("it cost $5 and $10"), None);
        assert_eq!(unbalanced(r"\$20 and $x$"), None);
    }
}
