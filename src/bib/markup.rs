//! The inline markup of bibliographic text as gloss stores it (Markdown: `*italics*`,
//! `**bold**`, `\*` for a literal asterisk), read from LaTeX leftovers and CSL's HTML-like tags
//! and written back to both, plus the small normalisations every importer applies (whitespace,
//! page ranges).

/// A run of text and how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) text: String,
    pub(crate) italic: bool,
    pub(crate) bold: bool,
}

/// Splits stored text into runs: `*…*` is italic, `**…**` bold, `\*` and `\\` are literal.
/// An asterisk that closes nothing is literal, so `C*-algebras` stays as written.
pub(crate) fn pieces(text: &str) -> Vec<Piece> {
    enum Token {
        Text(String),
        Stars(usize),
    }
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*' | '\\')) => {
                current.push(chars.next().unwrap_or('\\'));
            }
            '*' => {
                let mut n = 1;
                while chars.peek() == Some(&'*') && n < 2 {
                    chars.next();
                    n += 1;
                }
                if !current.is_empty() {
                    tokens.push(Token::Text(std::mem::take(&mut current)));
                }
                tokens.push(Token::Stars(n));
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(Token::Text(current));
    }
    // A marker counts only when a later marker of the same width closes it.
    let widths: Vec<Option<usize>> = tokens
        .iter()
        .map(|t| match t {
            Token::Stars(n) => Some(*n),
            Token::Text(_) => None,
        })
        .collect();
    let mut paired = vec![false; tokens.len()];
    for width in [1, 2] {
        let mut open: Option<usize> = None;
        for (i, w) in widths.iter().enumerate() {
            if *w == Some(width) {
                match open.take() {
                    Some(o) => {
                        paired[o] = true;
                        paired[i] = true;
                    }
                    None => open = Some(i),
                }
            }
        }
    }
    let (mut italic, mut bold) = (false, false);
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |text: &str, italic: bool, bold: bool| match out.last_mut() {
        Some(last) if last.italic == italic && last.bold == bold => last.text.push_str(text),
        _ => out.push(Piece {
            text: text.to_string(),
            italic,
            bold,
        }),
    };
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Text(t) => push(t, italic, bold),
            Token::Stars(1) if paired[i] => italic = !italic,
            Token::Stars(_) if paired[i] => bold = !bold,
            Token::Stars(n) => push(&"*".repeat(*n), italic, bold),
        }
    }
    out.retain(|p| !p.text.is_empty());
    out
}

/// Text as it reads, without markup (meta tags, comparisons).
pub(crate) fn plain(text: &str) -> String {
    pieces(text).into_iter().map(|p| p.text).collect()
}

/// Trims and collapses runs of whitespace (line breaks of a wrapped BibTeX value) to one space.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads what the biblatex crate leaves of LaTeX in a field's text (not its math, which the crate
/// keeps apart): commands it does not know (`\\emph{X}`, `\\textit{X}`, `\\url{X}`,
/// `\\textsc{X}`, …). Italic commands become `*X*`, bold ones `**X**`; the others keep their
/// text, and a command whose meaning is lost is named in `lost`. Literal asterisks are escaped.
/// Whitespace is left as it is, for the caller to collapse once the pieces are joined.
pub(crate) fn from_latex_raw(text: &str, lost: &mut Vec<String>) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    latex_into(&chars, &mut out, lost);
    out
}

/// [`from_latex_raw`] with its whitespace collapsed.
pub(crate) fn from_latex(text: &str, lost: &mut Vec<String>) -> String {
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

/// Reads CSL-JSON's HTML-like markup: `<i>` and `<em>` become `*…*`, `<b>` and `<strong>`
/// `**…**`; `<span class="nocase">`, `<sup>`, `<sub>` and small capitals keep their text. Any
/// other `<` is text. Literal asterisks are escaped.
pub(crate) fn from_csl(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
            && let Some(end) = rest.find('>')
        {
            let tag = rest[1..end].to_ascii_lowercase();
            let name = tag
                .trim_start_matches('/')
                .split_whitespace()
                .next()
                .unwrap_or("");
            let markup = match name {
                "i" | "em" => Some("*"),
                "b" | "strong" => Some("**"),
                "span" | "sup" | "sub" | "sc" => Some(""),
                _ => None,
            };
            if let Some(markup) = markup {
                out.push_str(markup);
                rest = &rest[end + 1..];
                continue;
            }
        }
        match c {
            '*' => out.push_str("\\*"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    collapse(&out)
}

/// Stored text as CSL-JSON writes it: `<i>…</i>`, `<b>…</b>`, other text as it is.
pub(crate) fn to_csl(text: &str) -> String {
    let mut out = String::new();
    for p in pieces(text) {
        match (p.italic, p.bold) {
            (false, false) => out.push_str(&p.text),
            (true, false) => out.push_str(&format!("<i>{}</i>", p.text)),
            (false, true) => out.push_str(&format!("<b>{}</b>", p.text)),
            (true, true) => out.push_str(&format!("<b><i>{}</i></b>", p.text)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_italics_bold_and_literal_asterisks() {
        let p = pieces("Reading *Kim* again, **bold**, C\\*-algebras and a lone * star");
        let italic: Vec<&str> = p
            .iter()
            .filter(|p| p.italic)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(italic, ["Kim"]);
        assert_eq!(plain("C\\*-algebras and 5 * 3"), "C*-algebras and 5 * 3");
        assert_eq!(plain("*Homo* **x**"), "Homo x");
    }

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
    }

    #[test]
    fn csl_markup_becomes_markdown_and_back() {
        let text = from_csl(
            "Why <i>Homo economicus</i> misreads: <span class=\"nocase\">eBay</span>-style a<b>b</b> 5 * 3 p<0.05 a < b > c",
        );
        assert_eq!(
            text,
            "Why *Homo economicus* misreads: eBay-style a**b** 5 \\* 3 p<0.05 a < b > c"
        );
        assert_eq!(
            to_csl(&text),
            "Why <i>Homo economicus</i> misreads: eBay-style a<b>b</b> 5 * 3 p<0.05 a < b > c"
        );
    }
}
