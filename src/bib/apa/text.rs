//! The pieces of text an APA entry is made of, built as HTML and plain text side by side: titles
//! (Markdown italics, typographic quotes), title case, page ranges and dates.

use crate::bib::model::{MONTHS, PartialDate};
use crate::cite::{expanded_pages, pages_plural};
use crate::html::escape_html;

use super::typography::{punctuation_in_quotes, smart_quotes_at};

/// An entry (or part of one) as HTML and as plain text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Out {
    pub(crate) html: String,
    pub(crate) text: String,
}

impl Out {
    /// Plain text, escaped for the HTML.
    pub(crate) fn push(&mut self, s: &str) {
        self.html.push_str(&escape_html(s));
        self.text.push_str(s);
    }

    /// A field's text (a publisher, a series, a kind of work), with typographic quotes.
    pub(crate) fn field(&mut self, s: &str) {
        self.push(&smart_quotes(s));
    }

    /// Text that may hold Markdown italics (`*Homo sapiens*`) and straight quotes; `italic`
    /// sets the whole in italics, inside which the Markdown italics turn roman (APA's reverse
    /// italics for a title inside a title).
    pub(crate) fn title(&mut self, s: &str, italic: bool) {
        let s = punctuation_in_quotes(&smart_quotes(s));
        for (n, piece) in split_italics(&s).into_iter().enumerate() {
            if piece.is_empty() {
                continue;
            }
            // The odd pieces were between stars: italic in roman text, roman in italic text.
            // An escaped star is a star.
            let piece = piece.replace("\\*", "*");
            if italic != (n % 2 == 1) {
                self.italic(&piece);
            } else {
                self.push(&piece);
            }
        }
    }

    /// Plain text in italics (volume numbers).
    pub(crate) fn italic(&mut self, s: &str) {
        self.html.push_str("<i>");
        self.push(s);
        self.html.push_str("</i>");
    }

    /// A DOI or URL, as a link showing itself.
    pub(crate) fn link(&mut self, url: &str) {
        let url = escape_html(url);
        self.html.push_str(&format!(r#"<a href="{url}">{url}</a>"#));
        self.text.push_str(url.as_str());
    }

    /// Another part's output.
    pub(crate) fn append(&mut self, other: &Out) {
        self.html.push_str(&other.html);
        self.text.push_str(&other.text);
    }

    /// Closes an element with a period, unless its text already ends with one, or with a
    /// question or exclamation mark, a colon or a semicolon (APA: "Clientelism?" takes no
    /// period; citeproc collapses `:.` and `;.`). A period after closing quotation marks goes
    /// inside them, as American English punctuates (`“Dependent Contractors.”`), unless they end
    /// italics.
    pub(crate) fn stop(&mut self) {
        let end = self.text.trim_end_matches(['”', '’', '"']);
        if end.ends_with(['.', '?', '!', ':', ';', '…']) {
            return;
        }
        let quotes = self.text.len() - end.len();
        let closing = &self.text[end.len()..];
        if closing.contains('”')
            && let Some(at) = self.html.len().checked_sub(quotes)
            && self.html.ends_with(closing)
        {
            self.html.insert(at, '.');
            self.text.insert(end.len(), '.');
            return;
        }
        self.push(".");
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// `a *b* c` → [`a `, `b`, ` c`]: the odd pieces are in italics. An unpaired `*` is text.
fn split_italics(s: &str) -> Vec<&str> {
    let stars: Vec<usize> = s
        .char_indices()
        .filter(|&(i, c)| c == '*' && (i == 0 || !s[..i].ends_with('\\')))
        .map(|(i, _)| i)
        .collect();
    let usable = stars.len() - stars.len() % 2;
    let mut pieces = Vec::new();
    let mut from = 0;
    for &at in &stars[..usable] {
        pieces.push(&s[from..at]);
        from = at + 1;
    }
    pieces.push(&s[from..]);
    pieces
}

/// Straight quotes made typographic and alternated by depth (see `typography`).
pub(crate) fn smart_quotes(s: &str) -> String {
    smart_quotes_at(s, 0)
}

/// Pages with their label: `p. 7`, `pp. 15–30` (the range in full, by `crate::cite`'s rule).
pub(crate) fn labelled_pages(pages: &str) -> String {
    let pages = expanded_pages(pages);
    let label = if pages_plural(&pages) { "pp." } else { "p." };
    format!("{label} {pages}")
}

/// `2020, March 5`, `2021, June`, `2019`: the date of an entry, after the year.
pub(crate) fn month_day(date: &PartialDate) -> String {
    match (date.month, date.day) {
        (Some(m), Some(d)) => format!(", {} {d}", MONTHS[usize::from(m - 1)]),
        (Some(m), None) => format!(", {}", MONTHS[usize::from(m - 1)]),
        _ => String::new(),
    }
}

/// `November 2, 2024`: a retrieval date.
pub(crate) fn long_date(date: &PartialDate) -> String {
    match (date.month, date.day) {
        (Some(m), Some(d)) => format!("{} {d}, {}", MONTHS[usize::from(m - 1)], date.year),
        (Some(m), None) => format!("{} {}", MONTHS[usize::from(m - 1)], date.year),
        _ => date.year.to_string(),
    }
}

/// Whether a number field is a number as CSL reads one (its label then goes before it): digits
/// with letters around them (`2`, `2nd`, `P20`), alone or in a range or list (`2-3`, `5, 7`);
/// `arXiv:2105.15183`, `III` and `2nd edition` are not.
pub(crate) fn is_numeric(value: &str) -> bool {
    let parts: Vec<&str> = value
        .split(['-', '–', ',', '&'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty()
        && parts
            .iter()
            .all(|p| p.chars().all(char::is_alphanumeric) && p.chars().any(|c| c.is_ascii_digit()))
}

/// An edition as apa.csl prints it: a number as an ordinal with `ed.` (`2` → `2nd ed.`,
/// `2nd` → `2nd ed.`), anything else as written (`Rev.`, `3e édition revue`).
pub(crate) fn edition(edition: &str) -> String {
    let e = edition.trim();
    let digits: String = e.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<u32>() {
        Ok(n) if is_numeric(e) && !e.contains(['-', '–', ',', '&']) => {
            let suffix = match (n % 10, n % 100) {
                (1, x) if x != 11 => "st",
                (2, x) if x != 12 => "nd",
                (3, x) if x != 13 => "rd",
                _ => "th",
            };
            format!("{n}{suffix} ed.")
        }
        _ => e.to_string(),
    }
}

/// A numeric volume with its label: `Vol. 3`, `Vols. 2-3` (written as given, as apa.csl does).
pub(crate) fn volume(volume: &str) -> String {
    let label = if volume.contains(['-', '–', ',', '&']) {
        "Vols."
    } else {
        "Vol."
    };
    format!("{label} {volume}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_their_markdown_italics_and_get_typographic_quotes() {
        let mut out = Out::default();
        out.title("Reading habits of *Homo sapiens* in \"the\" archive", false);
        assert_eq!(
            out.html,
            "Reading habits of <i>Homo sapiens</i> in “the” archive"
        );
        assert_eq!(out.text, "Reading habits of Homo sapiens in “the” archive");
        let mut out = Out::default();
        out.title("On *Ulysses*", true);
        assert_eq!(out.html, "<i>On </i>Ulysses");
        let mut out = Out::default();
        out.title("Şekiller\\* / Figures\\*", true);
        assert_eq!(out.text, "Şekiller* / Figures*");
        assert_eq!(
            smart_quotes("America's \"long war\""),
            "America’s “long war”"
        );
    }

    #[test]
    fn page_ranges_and_editions() {
        assert_eq!(labelled_pages("15--30"), "pp. 15–30");
        assert_eq!(labelled_pages("e0248123"), "p. e0248123");
        assert_eq!(labelled_pages("1381--95"), "pp. 1381–1395");
        assert_eq!(edition("2"), "2nd ed.");
        assert_eq!(edition("11"), "11th ed.");
        assert_eq!(edition("2nd"), "2nd ed.");
        assert_eq!(edition("3rd ed."), "3rd ed.");
        // Free text is printed as written: no `ed.` after it.
        assert_eq!(edition("Rev."), "Rev.");
        assert_eq!(edition("Reissue edition"), "Reissue edition");
        assert_eq!(
            edition("3e édition revue et augmentée"),
            "3e édition revue et augmentée"
        );
        assert_eq!(edition("7. Auflage"), "7. Auflage");
        assert!(is_numeric("3") && is_numeric("2-3") && is_numeric("P20-585"));
        assert!(!is_numeric("III") && !is_numeric("arXiv:2105.15183") && !is_numeric("Band 3"));
    }
}
