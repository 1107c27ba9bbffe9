//! Locators: read into what they point at (the label, the number or range, and any words after
//! it), as pandoc's citeproc reads them with the terms of the en-US locale (`p.`, `chap.`,
//! `vol.`, `no.`, `n.`, `l.`, `fol.`, `bk.`, `op.`, `v.`, `s.v.`, … in every form, roman numbers
//! too: `p. xiv`); and printed as APA does (§8.13,
//! apa.csl): `p.`, `pp.`, `para.` abbreviated, every other label spelled out and capitalised
//! (`Volume 2`, `Issue 7`, `Note 14`, `Folio 3`). Page ranges are written by `super::pages`.

use super::pages::{expanded, is_plural, range};

/// What a locator points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Page,
    Chapter,
    Figure,
    Section,
    Paragraph,
    Volume,
    Line,
    Note,
    /// An issue number (`no. 7`: CSL's `issue` locator).
    Number,
    Part,
    Column,
    Folio,
    Book,
    Opus,
    Verse,
    SubVerbo,
}

/// How a label may be written, what it points at, and how APA prints it (singular, plural).
type LabelForms = (&'static [&'static str], Label, &'static str, &'static str);

/// The labels the en-US locale names, in the forms pandoc's citeproc reads (each term's long and
/// short forms, singular and plural). `tab.`, `app.`, `art.`, `ch.`, `sc.` are not among them:
/// pandoc keeps them as written, and so does gloss.
const LABELS: &[LabelForms] = &[
    (
        &["p", "p.", "pp", "pp.", "page", "pages"],
        Label::Page,
        "p.",
        "pp.",
    ),
    (
        &["chap", "chap.", "chaps.", "chapter", "chapters"],
        Label::Chapter,
        "Chapter",
        "Chapters",
    ),
    (
        &["fig", "fig.", "figs.", "figure", "figures"],
        Label::Figure,
        "Figure",
        "Figures",
    ),
    (
        &["sec", "sec.", "secs.", "section", "sections", "§", "§§"],
        Label::Section,
        "Section",
        "Sections",
    ),
    (
        &[
            "para",
            "para.",
            "paras",
            "paras.",
            "paragraph",
            "paragraphs",
            "¶",
            "¶¶",
        ],
        Label::Paragraph,
        "para.",
        "paras.",
    ),
    (
        &["vol", "vol.", "vols.", "volume", "volumes"],
        Label::Volume,
        "Volume",
        "Volumes",
    ),
    (
        &["l", "l.", "ll.", "line", "lines"],
        Label::Line,
        "Line",
        "Lines",
    ),
    (
        &["n", "n.", "nn.", "note", "notes"],
        Label::Note,
        "Note",
        "Notes",
    ),
    (
        &["no", "no.", "nos.", "issue", "issues"],
        Label::Number,
        "Issue",
        "Issues",
    ),
    (
        &["pt", "pt.", "pts.", "part", "parts"],
        Label::Part,
        "Part",
        "Parts",
    ),
    (
        &["col", "col.", "cols.", "column", "columns"],
        Label::Column,
        "Column",
        "Columns",
    ),
    (
        &["fol.", "fols.", "folio", "folios"],
        Label::Folio,
        "Folio",
        "Folios",
    ),
    (
        &["bk.", "bks.", "book", "books"],
        Label::Book,
        "Book",
        "Books",
    ),
    (
        &["op.", "opp.", "opus", "opera"],
        Label::Opus,
        "Opus",
        "Opera",
    ),
    (
        &["v.", "vv.", "verse", "verses"],
        Label::Verse,
        "Verse",
        "Verses",
    ),
    (
        &["s.v.", "s.vv.", "sub verbo", "sub verbis"],
        Label::SubVerbo,
        "Sub verbo",
        "Sub verbis",
    ),
];

/// A locator read: what it points at, its number or range as written (`5-7`, `xiv`), and any
/// text after it (`, emphasis added`). `None` for text that is not a locator (`for example`,
/// `s.v. grammar`). A CSL style's locale terms are read by `bib::csl::locator`.
pub(crate) fn split(locator: &str) -> Option<(Label, &str, &str)> {
    let locator = locator.trim();
    let (label, value) = match label_at_start(locator) {
        Some((label, len)) => (label, locator[len..].trim_start()),
        // A bare number is a page; a bare roman number is not read (as pandoc).
        None if locator.starts_with(|c: char| c.is_ascii_digit()) => (Label::Page, locator),
        None => return None,
    };
    let end = number_end(value);
    (end > 0).then(|| (label, value[..end].trim_end(), &value[end..]))
}

/// The label a locator starts with and its length in bytes: the longest form known, followed by
/// a space, a digit or (for a form ending in a period or a symbol) anything.
fn label_at_start(locator: &str) -> Option<(Label, usize)> {
    let lower = locator.to_lowercase();
    // Lower-casing may change lengths (rarely): only then are the forms compared on the original.
    let text = if lower.len() == locator.len() {
        lower.as_str()
    } else {
        locator
    };
    LABELS
        .iter()
        .flat_map(|(forms, label, ..)| forms.iter().map(move |f| (*f, *label)))
        .filter(|(form, _)| {
            text.starts_with(form) && {
                let next = text[form.len()..].chars().next();
                let closed = form.ends_with(|c: char| !c.is_alphanumeric());
                next.is_some_and(|c| c.is_whitespace() || c.is_ascii_digit())
                    || (closed && next.is_some())
            }
        })
        .max_by_key(|(form, _)| form.len())
        .map(|(form, label)| (label, form.len()))
}

/// Where the number or range at the start of `value` ends (0 if it does not start with one):
/// words with a digit (`12`, `12a`, `S12`, `2.1`) or roman numbers (`xiv`), joined by a dash,
/// a comma or `&` (`5–7, 9`); a comma that a word follows ends it (`5, emphasis added`).
fn number_end(value: &str) -> usize {
    let mut end = match word_end(value) {
        0 => return 0,
        n => n,
    };
    loop {
        let rest = &value[end..];
        let after_space = rest.trim_start();
        let joiner = ["--", "-", "–", ",", "&"]
            .into_iter()
            .find(|j| after_space.starts_with(j));
        let Some(joiner) = joiner else {
            return end;
        };
        let next = after_space[joiner.len()..].trim_start();
        match word_end(next) {
            0 => return end,
            n => end = value.len() - next.len() + n,
        }
    }
}

/// The length of the number word at the start of `s`: letters, digits and inner periods with at
/// least one digit, or a roman number; 0 if there is none.
fn word_end(s: &str) -> usize {
    let mut end = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let inner_period =
            c == '.' && n > 0 && chars.get(n + 1).is_some_and(|(_, d)| d.is_alphanumeric());
        if c.is_alphanumeric() || inner_period {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let word = &s[..end];
    let roman = !word.is_empty() && word.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
    if word.contains(|c: char| c.is_ascii_digit()) || roman {
        end
    } else {
        0
    }
}

/// A locator as APA prints it (apa.csl's `label-locator`); text that is not a locator (`for
/// example`, `tbl. 2`) is kept as written.
pub(crate) fn apa(locator: &str) -> String {
    let Some((label, number, after)) = split(locator) else {
        return locator.trim().to_string();
    };
    let number = match label {
        // Pages as APA writes them in full: `101–109`.
        Label::Page => expanded(number),
        _ => range(number),
    };
    let plural = is_plural(&number);
    let (one, many) = LABELS
        .iter()
        .find(|(_, l, ..)| *l == label)
        .map(|(_, _, one, many)| (*one, *many))
        .unwrap_or(("", ""));
    let numeric = number.starts_with(|c: char| c.is_ascii_digit());
    // A chapter, line or verse that is not a number (`II`) is known by its form alone.
    if !numeric && matches!(label, Label::Chapter | Label::Line | Label::Verse) {
        return format!("{number}{after}");
    }
    let word = if plural { many } else { one };
    format!("{word} {number}{after}")
}

#[cfg(test)]
mod tests {
    use super::{Label, apa, split};

    #[test]
    fn locators_read_with_the_english_terms() {
        assert_eq!(split("p. 550"), Some((Label::Page, "550", "")));
        assert_eq!(split("5-7"), Some((Label::Page, "5-7", "")));
        assert_eq!(split("chap. 2"), Some((Label::Chapter, "2", "")));
        // A German label is no English one: CSL styles read their locale's terms themselves.
        assert_eq!(split("S. 5"), None);
        assert_eq!(
            split("pp. 5, 7, emphasis added"),
            Some((Label::Page, "5, 7", ", emphasis added"))
        );
        assert_eq!(split("for example"), None);
        // Every label of the locale, roman numbers, labels glued to their number.
        assert_eq!(split("p. xiv"), Some((Label::Page, "xiv", "")));
        assert_eq!(split("v. 16"), Some((Label::Verse, "16", "")));
        assert_eq!(split("verse 3"), Some((Label::Verse, "3", "")));
        assert_eq!(split("fol. 3r"), Some((Label::Folio, "3r", "")));
        assert_eq!(split("bk. 2"), Some((Label::Book, "2", "")));
        assert_eq!(split("op. 9"), Some((Label::Opus, "9", "")));
        assert_eq!(split("ll. 3-5"), Some((Label::Line, "3-5", "")));
        assert_eq!(split("s.v. 3"), Some((Label::SubVerbo, "3", "")));
        assert_eq!(split("§4"), Some((Label::Section, "4", "")));
        assert_eq!(split("p.5"), Some((Label::Page, "5", "")));
        assert_eq!(split("sec. 2.1"), Some((Label::Section, "2.1", "")));
        assert_eq!(split("p. 42 n. 3"), Some((Label::Page, "42", " n. 3")));
        // Not locators: no number, or a label the locale does not have.
        assert_eq!(split("s.v. grammar"), None);
        assert_eq!(split("xiv"), None);
        assert_eq!(split("tbl. 2"), None);
        assert_eq!(split("pages"), None);
    }

    #[test]
    fn locators_as_apa_spells_them() {
        for (written, printed) in [
            ("p. 5", "p. 5"),
            ("pp. 5-7", "pp. 5–7"),
            ("5", "p. 5"),
            ("5-7", "pp. 5–7"),
            ("p. 5-7", "pp. 5–7"),
            ("pages 3", "p. 3"),
            ("chap. 2", "Chapter 2"),
            ("chapters 2-3", "Chapters 2–3"),
            ("fig. 3", "Figure 3"),
            ("sec. 4", "Section 4"),
            ("§ 4", "Section 4"),
            ("para. 2", "para. 2"),
            ("paras. 2-3", "paras. 2–3"),
            // apa.csl's terms, spelled out and capitalised.
            ("vol. 2", "Volume 2"),
            ("vols. 1-2", "Volumes 1–2"),
            ("no. 7", "Issue 7"),
            ("n. 14", "Note 14"),
            ("l. 12", "Line 12"),
            ("ll. 3-5", "Lines 3–5"),
            ("fol. 3", "Folio 3"),
            ("bk. 2", "Book 2"),
            ("col. 4", "Column 4"),
            ("op. 9", "Opus 9"),
            ("v. 16", "Verse 16"),
            ("pt. 2", "Part 2"),
            ("vol. II", "Volume II"),
            // A chapter, line or verse that is not a number has no label.
            ("chap. II", "II"),
            ("v. iv", "iv"),
            // Roman page numbers; page ranges in full.
            ("p. xiv", "p. xiv"),
            ("pp. 101-9", "pp. 101–109"),
            ("101-9", "pp. 101–109"),
            ("pp. 1381--95", "pp. 1381–1395"),
            // A suffix after the locator keeps it singular.
            ("p. 5, emphasis added", "p. 5, emphasis added"),
            ("p. 5 and 7", "p. 5 and 7"),
            ("p. 5, well-known", "p. 5, well-known"),
            ("pp. 17-19, for a critique", "pp. 17–19, for a critique"),
            ("5 - 7", "pp. 5–7"),
            // Labels the locale does not have are kept as written.
            ("ch. 2", "ch. 2"),
            ("app. 1", "app. 1"),
            ("tbl. 2", "tbl. 2"),
            ("s.v. grammar", "s.v. grammar"),
            ("for example", "for example"),
            ("emphasis added", "emphasis added"),
        ] {
            assert_eq!(apa(written), printed, "{written}");
        }
    }
}
