//! The inline markup of bibliographic text as gloss stores it (Markdown: `*italics*`,
//! `**bold**`, `\*` for a literal asterisk), read from CSL's HTML-like tags (LaTeX's are
//! `read::bibtex::latex`'s)
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

/// Trims and collapses runs of whitespace (line breaks of a wrapped BibTeX value) to one space;
/// a no-break space (BibTeX's `~`) is kept, as the writer meant it.
pub(crate) fn collapse(text: &str) -> String {
    let breaking = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    let joined = text
        .split(breaking)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // A tie at either end binds nothing.
    match joined.trim() {
        trimmed if trimmed.len() == joined.len() => joined,
        trimmed => trimmed.to_string(),
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
