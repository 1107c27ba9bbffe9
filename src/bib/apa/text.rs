//! The pieces of text an APA entry is made of, built as HTML and plain text side by side: titles
//! (Markdown italics, typographic quotes), title case, page ranges and dates.

use crate::bib::model::{MONTHS, PartialDate};
use crate::cite::{page_range, pages_plural};
use crate::html::escape_html;

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
        let s = smart_quotes(s);
        for (n, piece) in split_italics(&s).into_iter().enumerate() {
            if piece.is_empty() {
                continue;
            }
            // The odd pieces were between stars: italic in roman text, roman in italic text.
            if italic != (n % 2 == 1) {
                self.italic(piece);
            } else {
                self.push(piece);
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
    /// question or exclamation mark (APA: "Clientelism?" takes no period).
    pub(crate) fn stop(&mut self) {
        let end = self.text.trim_end_matches(['”', '’', '"']);
        if !end.ends_with(['.', '?', '!']) {
            self.push(".");
        }
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

/// Straight quotes made typographic: `"x"` → “x”, `'` → ’ (or ‘ opening a quotation).
pub(crate) fn smart_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        out.push(match c {
            '"' if opening => '“',
            '"' => '”',
            '\'' if opening => '‘',
            '\'' => '’',
            c => c,
        });
        prev = Some(c);
    }
    out
}

/// Words the CSL specification leaves in lower case in title case (unless first or last, or
/// after a colon).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
];

/// Title case as CSL defines it (and as APA wants for periodical names and for titles cited in
/// the text): a word written in lower case gets a capital unless it is a stop word in the
/// middle; a word with any capital (`mBio`, `eLife`, `NeuroImage`, `PLOS`) is left as written.
pub(crate) fn title_case(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let last = words.len().saturating_sub(1);
    let mut out = Vec::with_capacity(words.len());
    let mut after_colon = true;
    for (i, word) in words.iter().enumerate() {
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        let lower = !letters.is_empty() && letters.chars().all(char::is_lowercase);
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let stop = STOP_WORDS.contains(&bare);
        let keep = !lower || (stop && !after_colon && i != last);
        out.push(if keep {
            word.to_string()
        } else {
            capitalize_parts(word)
        });
        after_colon = word.ends_with([':', '?', '!', '.', '—']);
    }
    out.join(" ")
}

/// The first letter of each hyphenated part in upper case: `self-report` → `Self-Report`.
fn capitalize_parts(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut done = false;
            part.chars()
                .map(|c| {
                    if !done && c.is_alphabetic() {
                        done = true;
                        c.to_uppercase().collect::<String>()
                    } else {
                        c.to_string()
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Pages with their label: `p. 7`, `pp. 15–30` (the range by the one rule, `crate::cite`'s).
pub(crate) fn labelled_pages(pages: &str) -> String {
    let pages = page_range(pages);
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

/// `2` → `2nd ed.`; `Rev.` → `Rev. ed.`; `3rd ed.` stays.
pub(crate) fn edition(edition: &str) -> String {
    let e = edition.trim();
    if e.to_lowercase().contains("ed") {
        return e.to_string();
    }
    match e.parse::<u32>() {
        Ok(n) => {
            let suffix = match (n % 10, n % 100) {
                (1, x) if x != 11 => "st",
                (2, x) if x != 12 => "nd",
                (3, x) if x != 13 => "rd",
                _ => "th",
            };
            format!("{n}{suffix} ed.")
        }
        Err(_) => format!("{e} ed."),
    }
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
        assert_eq!(smart_quotes("America's 'long war'"), "America’s ‘long war’");
    }

    #[test]
    fn title_case_leaves_words_with_capitals_alone() {
        assert_eq!(title_case("south asian studies"), "South Asian Studies");
        assert_eq!(title_case("mBio"), "mBio");
        assert_eq!(
            title_case("the journal of the early book society"),
            "The Journal of the Early Book Society"
        );
        assert_eq!(
            title_case("marginalia make a comeback"),
            "Marginalia Make a Comeback"
        );
        assert_eq!(title_case("what to look for"), "What to Look For");
        assert_eq!(title_case("PLOS ONE"), "PLOS ONE");
        assert_eq!(
            title_case("self-report in the lab: an aside"),
            "Self-Report in the Lab: An Aside"
        );
    }

    #[test]
    fn page_ranges_and_editions() {
        assert_eq!(labelled_pages("15--30"), "pp. 15–30");
        assert_eq!(labelled_pages("e0248123"), "p. e0248123");
        assert_eq!(edition("2"), "2nd ed.");
        assert_eq!(edition("11"), "11th ed.");
        assert_eq!(edition("3rd ed."), "3rd ed.");
        assert_eq!(edition("Rev."), "Rev. ed.");
    }
}
