//! `$…$` and `$$…$$` as MathML, made at build time (no script, no web font): the page reads
//! the same offline, in print and in a feed reader. Commands KaTeX and MathJax know and the
//! converter does not are first written as ones it knows (`\boxed`, `\tag`, `\mod`, `\phantom`,
//! `\mathscr`, `\set`, size switches; see [`rewrite`]). A formula that still does not parse is
//! shown as its TeX source, with the command gloss cannot draw or the reason it does not parse.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use crate::html::escape_html;

/// How deep a formula's groups (`{…}`, `\left…\right`, `\begin…\end`) may nest: the parser
/// takes time growing with the square of the depth (50,000 levels, 16 s), and no formula a
/// reader can follow nests more than a few.
const MAX_DEPTH: usize = 100;

/// Why a formula is shown as its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unreadable {
    /// It uses a command gloss cannot draw (`\ce`), as written after its `\`.
    Command(String),
    /// It does not parse: the converter's reason.
    Error(String),
}

/// Colours no formula uses, given to `\textcolor` where the rewrite means a box or a phantom:
/// the group's `<mrow>` gets its style from them, replaced afterwards.
const BOX: &str = "#0b0c0d";
const HIDE: &str = "#0d0c0b";
const BOX_STYLE: (&str, &str) = (
    r#" style="color: rgb(11 12 13)""#,
    r#" style="border: 0.06em solid currentColor; padding: 0.1em 0.25em""#,
);
const HIDE_STYLE: (&str, &str) = (
    r#" style="color: rgb(13 12 11)""#,
    r#" style="visibility: hidden""#,
);

/// The MathML of a formula, or why it is shown as written.
pub(super) fn to_mathml(tex: &str, display: bool) -> Result<String, Unreadable> {
    if too_deep(tex) {
        return Err(Unreadable::Error(format!(
            "its groups (`{{…}}`, `\\left…\\right`, `\\begin…\\end`) nest more than {MAX_DEPTH} deep"
        )));
    }
    let rewritten = rewrite(tex);
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(&rewritten, &storage)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            let message = e.to_string();
            match message.contains("unknown primitive command") {
                true => unknown_command(tex)
                    .map_or_else(|| Unreadable::Error(reason(&message)), Unreadable::Command),
                false => Unreadable::Error(reason(&message)),
            }
        })?;
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
    .map_err(|e| Unreadable::Error(e.to_string()))?;
    if rewritten.contains(BOX) || rewritten.contains(HIDE) {
        out = out
            .replace(BOX_STYLE.0, BOX_STYLE.1)
            .replace(HIDE_STYLE.0, HIDE_STYLE.1);
    }
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

/// The HTML of a formula: MathML, or its TeX source in code, saying why.
pub(super) fn html(tex: &str, display: bool) -> String {
    let (class, why) = match to_mathml(tex, display) {
        Ok(mathml) => return mathml,
        Err(Unreadable::Command(command)) => (
            "math-source",
            format!("gloss cannot draw \\{command}: the formula is shown as written"),
        ),
        Err(Unreadable::Error(why)) => ("math-source math-error", why),
    };
    format!(
        r#"<code class="{class}" title="{}">{}</code>"#,
        escape_html(&why),
        escape_html(tex.trim())
    )
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

thread_local! {
    /// Whether the converter knows a command, by name: asked once per name and thread.
    static KNOWN: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
}

/// The first command of `tex` the converter does not know, for a formula it rejects so.
fn unknown_command(tex: &str) -> Option<String> {
    commands(tex)
        .find(|name| {
            KNOWN.with(|known| {
                let mut known = known.borrow_mut();
                let is_known = *known.entry(name.to_string()).or_insert_with(|| {
                    let alone = format!("\\{name}");
                    let storage = Storage::new();
                    let parsed: Result<Vec<_>, _> = Parser::new(&alone, &storage).collect();
                    !parsed.is_err_and(|e| e.to_string().contains("unknown primitive command"))
                });
                !is_known
            })
        })
        .map(str::to_string)
}

/// The names of the commands of a formula (`\frac` → `frac`), in order.
fn commands(tex: &str) -> impl Iterator<Item = &str> {
    tex.match_indices('\\').filter_map(move |(at, _)| {
        let rest = &tex[at + 1..];
        let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let escaped = tex[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
        (len > 0 && !escaped).then(|| &rest[..len])
    })
}

/// The formula with the commands KaTeX and MathJax know, and the converter does not, written as
/// ones it knows: `\boxed{x}` a framed group, `\phantom{x}` a hidden one, `\tag{n}` `(n)` at the
/// end, `\mod` `\bmod`, `\mathscr` `\mathcal`, `\set{x}` `\{x\}`, `\R` `\mathbb{R}`,
/// `\displaylines` a `gathered` block; size switches (`\small`) and overlaps (`\llap`, `\smash`)
/// dropped, their argument kept.
pub(super) fn rewrite(tex: &str) -> Cow<'_, str> {
    if !tex.contains('\\') {
        return Cow::Borrowed(tex);
    }
    let mut out = String::with_capacity(tex.len() + 16);
    let mut tags: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(found) = tex[i..].find('\\') {
        let at = i + found;
        out.push_str(&tex[i..at]);
        let rest = &tex[at + 1..];
        let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if len == 0 {
            // `\\`, `\{`, `\,`: a control symbol, copied whole.
            let symbol = rest.chars().next().map_or(0, char::len_utf8);
            out.push_str(&tex[at..at + 1 + symbol]);
            i = at + 1 + symbol;
            continue;
        }
        let name = &rest[..len];
        let after = at + 1 + len;
        i = after;
        let plain = match name {
            "boxed" => format!("\\textcolor{{{BOX}}}"),
            "phantom" | "hphantom" | "vphantom" => format!("\\textcolor{{{HIDE}}}"),
            "mod" => "\\bmod".into(),
            "mathscr" => "\\mathcal".into(),
            "bold" => "\\mathbf".into(),
            "Bbb" => "\\mathbb".into(),
            "R" | "N" | "Z" | "Q" | "C" => format!("\\mathbb{{{name}}}"),
            "space" => "\\ ".into(),
            "newline" => "\\\\".into(),
            "tiny" | "scriptsize" | "footnotesize" | "small" | "normalsize" | "large" | "Large"
            | "LARGE" | "huge" | "Huge" | "llap" | "rlap" | "clap" | "mathllap" | "mathrlap"
            | "mathclap" | "smash" => String::new(),
            "tag" | "set" | "Set" | "displaylines" => {
                let star = usize::from(name == "tag" && tex[after..].starts_with('*'));
                let Some((inner, end)) = argument(tex, after + star) else {
                    out.push_str(&tex[at..after]);
                    continue;
                };
                i = end;
                match name {
                    "tag" if star == 1 => tags.push(inner.trim().to_string()),
                    "tag" => tags.push(format!("({})", inner.trim())),
                    "displaylines" => out.push_str(&format!(
                        "\\begin{{gathered}}{}\\end{{gathered}}",
                        rewrite(inner)
                    )),
                    _ => out.push_str(&format!("\\{{{}\\}}", rewrite(inner))),
                }
                continue;
            }
            _ => {
                out.push_str(&tex[at..after]);
                continue;
            }
        };
        out.push_str(&plain);
    }
    out.push_str(&tex[i..]);
    for tag in tags {
        out.push_str(&format!("\\qquad\\text{{{tag}}}"));
    }
    Cow::Owned(out)
}

/// The argument of a command whose name ends at `from`: a `{…}` group (its inside, braces
/// escaped with `\` not counted) or one character, and where it ends.
fn argument(tex: &str, from: usize) -> Option<(&str, usize)> {
    let start = from + tex[from..].len() - tex[from..].trim_start().len();
    let rest = &tex[start..];
    if !rest.starts_with('{') {
        let c = rest.chars().next()?;
        return Some((&rest[..c.len_utf8()], start + c.len_utf8()));
    }
    let mut depth = 0usize;
    let mut escaped = false;
    for (j, b) in rest.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&rest[1..j], start + j + 1));
                }
            }
            _ => {}
        }
    }
    None
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
        assert!(
            matches!(&why, Unreadable::Error(why) if why.contains("nest more than 100 deep")),
            "{why:?}"
        );
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
        let Err(Unreadable::Error(bad)) = to_mathml(r"\frac{a", false) else {
            panic!("a formula that does not parse");
        };
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

    /// What KaTeX draws and the converter does not know is written as what it knows; names
    /// that merely start the same (`\models`, `\setminus`, `\Rightarrow`, `\smallint`) are kept.
    #[test]
    fn commands_the_converter_lacks_are_rewritten() {
        for (tex, want) in [
            (r"a \mod{n}", r"a \bmod{n}"),
            (
                r"a \models b \setminus \Rightarrow \smallint",
                r"a \models b \setminus \Rightarrow \smallint",
            ),
            (r"{\small x} \mathscr{L}", r"{ x} \mathcal{L}"),
            (r"x^2 \tag{1.2} + y", r"x^2  + y\qquad\text{(1.2)}"),
            (r"x \tag*{A}", r"x \qquad\text{A}"),
            (r"\set{1, \{2\}}", r"\{1, \{2\}\}"),
            (r"\R^n \\ \N", r"\mathbb{R}^n \\ \mathbb{N}"),
            (
                r"\displaylines{a \\ b}",
                r"\begin{gathered}a \\ b\end{gathered}",
            ),
            (r"\boxed{x}", r"\textcolor{#0b0c0d}{x}"),
        ] {
            assert_eq!(rewrite(tex), want, "{tex}");
        }
    }

    /// `\boxed`, `\tag`, `\mod`, `\small`, `\phantom`, `\mathscr` and `\set` (each of which the
    /// converter rejected) are MathML; the box is a border and the phantom hidden.
    #[test]
    fn katex_commands_become_mathml() {
        for tex in [
            r"\boxed{E = mc^2}",
            r"a^2 + b^2 = c^2 \tag{1}",
            r"a \equiv b \mod{n}",
            r"{\small x}",
            r"a\phantom{b}c",
            r"\mathscr{L}",
            r"\set{1, 2}",
        ] {
            let mathml = to_mathml(tex, true).unwrap_or_else(|e| panic!("{tex}: {e:?}"));
            assert!(!mathml.contains("rgb(11 12 13)") && !mathml.contains("rgb(13 12 11)"));
            let page = scraper::Html::parse_fragment(&mathml);
            assert!(page.errors.is_empty(), "{tex}: {mathml}");
        }
        assert!(
            to_mathml(r"\boxed{x}", false)
                .unwrap()
                .contains("border: 0.06em solid")
        );
        assert!(
            to_mathml(r"a\phantom{b}c", false)
                .unwrap()
                .contains("visibility: hidden")
        );
        assert!(to_mathml(r"x \tag{7}", true).unwrap().contains("(7)"));
    }

    /// A command no rewrite covers is named, and the formula shown as its source in code.
    #[test]
    fn a_command_gloss_cannot_draw_is_named() {
        assert_eq!(
            to_mathml(r"\frac{1}{2} \ce{2H2 + O2 -> 2H2O}", false),
            Err(Unreadable::Command("ce".into()))
        );
        assert_eq!(
            to_mathml(r"\pu{9.81 m/s^2}", false),
            Err(Unreadable::Command("pu".into()))
        );
        let shown = html(r"\ce{H2O}", false);
        assert!(
            shown.starts_with(r#"<code class="math-source" title="gloss cannot draw \ce"#),
            "{shown}"
        );
        assert!(
            shown.ends_with(r"\ce{H2O}</code>") && !shown.contains('$'),
            "{shown}"
        );
    }
}
