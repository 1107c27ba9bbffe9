//! What the biblatex crate leaves of LaTeX in a field's text, read as gloss stores text: italic
//! and bold commands as Markdown, text commands as their characters (`\textasciicaron` ˇ,
//! `\textdegree` °), control symbols (`\*`, `\/`) as LaTeX prints them, and every command
//! whose meaning is lost named.

use crate::bib::markup::collapse;

/// The character of a LaTeX text command the biblatex crate does not decode.
fn text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "textasciicaron" => "ˇ",
        "textasciibreve" => "˘",
        "textasciiacute" => "´",
        "textasciidieresis" => "¨",
        "textasciimacron" => "¯",
        "textdegree" => "°",
        "textcelsius" => "℃",
        "textmu" => "µ",
        "texttimes" => "×",
        "textdiv" => "÷",
        "textpm" => "±",
        "textminus" => "−",
        "textonehalf" => "½",
        "textonequarter" => "¼",
        "textthreequarters" => "¾",
        "textperthousand" => "‰",
        "textcent" => "¢",
        "texteuro" | "euro" => "€",
        "textyen" => "¥",
        "textsterling" => "£",
        "textcurrency" => "¤",
        "textcopyright" => "©",
        "textbrokenbar" => "¦",
        "textlnot" => "¬",
        "textnumero" => "№",
        "textlangle" => "⟨",
        "textrangle" => "⟩",
        "textdagger" | "dag" => "†",
        "j" => "ȷ",
        "slash" => "/",
        "textendash" => "–",
        "textemdash" => "—",
        _ => return None,
    })
}

/// Reads what the biblatex crate leaves of LaTeX in a field's text (not its math, which the crate
/// keeps apart): commands it does not know (`\\emph{X}`, `\\textit{X}`, `\\url{X}`,
/// `\\textsc{X}`, …). Italic commands become `*X*`, bold ones `**X**`; the others keep their
/// text, and a command whose meaning is lost is named in `lost`. Literal asterisks are escaped.
/// Whitespace is left as it is, for the caller to collapse once the pieces are joined.
pub(super) fn from_latex_raw(text: &str, lost: &mut Vec<String>) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    latex_into(&chars, &mut out, lost);
    out
}

/// [`from_latex_raw`] with its whitespace collapsed.
pub(super) fn from_latex(text: &str, lost: &mut Vec<String>) -> String {
    collapse(&from_latex_raw(text, lost))
}

fn latex_into(chars: &[char], out: &mut String, lost: &mut Vec<String>) {
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                out.push_str("\\*");
                i += 1;
            }
            // A control symbol the crate leaves: `\*` and `\/` print nothing, `\,` a thin space.
            // (`\ ` is not read: the crate leaves a literal backslash, `\textbackslash`, so.)
            '\\' if chars.get(i + 1).is_some_and(|c| "*/@,;".contains(*c)) => {
                if matches!(chars[i + 1], ',' | ';') {
                    out.push('\u{202f}');
                }
                i += 2;
            }
            '\\' if chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
                let name: String = chars[start..j].iter().collect();
                let (arg, next) = match chars.get(j) {
                    Some('{') => {
                        let close = matching_brace(chars, j);
                        (Some(&chars[j + 1..close.min(chars.len())]), close + 1)
                    }
                    // `\relax Text`: the command ends at the space, which it swallows.
                    Some(' ') => (None, j + 1),
                    _ => (None, j),
                };
                command(&name, arg, out, lost);
                i = next;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// The index of the `}` closing the `{` at `open` (the end of the text when none does).
fn matching_brace(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    chars.len()
}

fn command(name: &str, arg: Option<&[char]>, out: &mut String, lost: &mut Vec<String>) {
    let inner = |out: &mut String, lost: &mut Vec<String>| {
        if let Some(arg) = arg {
            latex_into(arg, out, lost);
        }
    };
    match name {
        "emph" | "textit" | "textsl" | "mkbibemph" | "itshape" | "em" | "it" => {
            out.push('*');
            inner(out, lost);
            out.push('*');
        }
        "textbf" | "mkbibbold" | "bfseries" | "bf" => {
            out.push_str("**");
            inner(out, lost);
            out.push_str("**");
        }
        "ldots" => out.push('…'),
        // How gloss's own export writes a brace (BibTeX counts `\{` as one).
        "textbraceleft" => out.push('{'),
        "textbraceright" => out.push('}'),
        _ if text_symbol(name).is_some() => {
            out.push_str(text_symbol(name).unwrap_or_default());
            inner(out, lost);
        }
        // Spacing and line-breaking hints: a space at most.
        "hspace" | "vspace" | "hfill" | "quad" | "qquad" | "allowbreak" | "linebreak"
        | "newline" | "par" | "smallskip" | "medskip" | "bigskip" => out.push(' '),
        "mkbibquote" | "enquote" => {
            out.push('“');
            inner(out, lost);
            out.push('”');
        }
        // Commands whose text is all there is to them.
        "url" | "path" | "nolinkurl" | "texttt" | "textsc" | "textup" | "textrm" | "textsf"
        | "textnormal" | "textmd" | "mbox" | "hbox" | "text" | "NoCaseChange" | "nocase"
        | "ensuremath" | "mathrm" | "textsuperscript" | "textsubscript" | "mkbibsuperscript"
        | "mkbibsubscript" | "relax" | "protect" | "noopsort" | "hyphen" => {
            if name == "noopsort" {
                // `{\noopsort{a}}Title`: a sort key, not text.
                return;
            }
            inner(out, lost);
        }
        _ => {
            let shown = format!("\\{name}");
            if !lost.contains(&shown) {
                lost.push(shown);
            }
            inner(out, lost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_leftovers_become_markdown() {
        let mut lost = Vec::new();
        assert_eq!(
            from_latex("Reading \\emph{Kim} Again", &mut lost),
            "Reading *Kim* Again"
        );
        assert_eq!(
            from_latex("A Commentary on \\textit{The Prince}", &mut lost),
            "A Commentary on *The Prince*"
        );
        assert_eq!(
            from_latex("\\url{https://x.example/a}", &mut lost),
            "https://x.example/a"
        );
        assert_eq!(from_latex("5 * 3", &mut lost), "5 \\* 3");
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(
            from_latex("a\\ldots{} b\\hspace{0pt} c", &mut lost),
            "a… b c"
        );
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(from_latex("\\foo{Bar} baz", &mut lost), "Bar baz");
        assert_eq!(lost, ["\\foo"]);
        lost.clear();
        // As the crate leaves them: `{\textasciicaron}` and `\*` followed by a space.
        assert_eq!(
            from_latex(
                "Huba\\textasciicaron cek, 20\\textdegree{}C, Figures\\* / x",
                &mut lost
            ),
            "Hubaˇcek, 20°C, Figures / x"
        );
        assert!(lost.is_empty(), "{lost:?}");
    }
}
