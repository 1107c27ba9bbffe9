//! Locators as APA writes them (§8.13): `p. 5`, `pp. 5–7` (a bare number is a page), and the
//! spelled-out `Chapter 2`, `Figure 3`, `Section 4`, `Table 1`, with `para.`/`paras.` abbreviated;
//! and read into what they point at, for a CSL style to print its own way (also in the terms of
//! the style's locale: `S. 5`, `Kap. 2` in German). Ranges are written by `super::pages`.

use super::pages::{is_plural, range};

/// What a locator points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Page,
    Chapter,
    Figure,
    Section,
    Table,
    Paragraph,
    Volume,
    Line,
    Note,
    Number,
    Part,
    Column,
    Appendix,
    Minute,
}

/// What a locator's label may be written as, what it points at, and how APA prints it
/// (singular, plural).
type LabelForms = (&'static [&'static str], Label, &'static str, &'static str);

const LABELS: &[LabelForms] = &[
    (
        &["p", "p.", "pp", "pp.", "page", "pages", "pg", "pg."],
        Label::Page,
        "p.",
        "pp.",
    ),
    (
        &[
            "chap", "chap.", "chaps.", "ch", "ch.", "chapter", "chapters",
        ],
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
        &["tab", "tab.", "table", "tables"],
        Label::Table,
        "Table",
        "Tables",
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
        "Vol.",
        "Vols.",
    ),
    (
        &["l", "l.", "ll.", "line", "lines"],
        Label::Line,
        "line",
        "lines",
    ),
    (
        &["n", "n.", "nn.", "note", "notes"],
        Label::Note,
        "note",
        "notes",
    ),
    (
        &["no", "no.", "nos.", "number"],
        Label::Number,
        "No.",
        "Nos.",
    ),
    (&["pt", "pt.", "part"], Label::Part, "Part", "Parts"),
    (
        &["col", "col.", "cols.", "column"],
        Label::Column,
        "col.",
        "cols.",
    ),
    (
        &["app", "app.", "appendix"],
        Label::Appendix,
        "Appendix",
        "Appendices",
    ),
    (&["min", "min.", "minute"], Label::Minute, "min", "min"),
];

/// Where the number or range at the start of `rest` ends: at a comma that a word, not another
/// number, follows (`5, 7, emphasis added`).
fn number_end(rest: &str) -> usize {
    rest.match_indices(',')
        .map(|(i, _)| i)
        .find(|&i| {
            !rest[i + 1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
        .unwrap_or(rest.len())
}

/// A locator as APA prints it; text that is not a locator (`for example`) is kept as written.
pub(crate) fn normalize(locator: &str) -> String {
    let locator = locator.trim();
    let (label, rest) = match locator.find(|c: char| c.is_ascii_digit()) {
        Some(0) => ("", locator),
        Some(at) => (locator[..at].trim(), &locator[at..]),
        None => return locator.to_string(),
    };
    // The number or range, its dashes by the one rule; what follows it is kept as written.
    let end = number_end(rest);
    let (number, after) = (range(rest[..end].trim()), &rest[end..]);
    let plural = is_plural(&number);
    if label.is_empty() {
        // A bare number or range is a page.
        return format!("{} {number}{after}", if plural { "pp." } else { "p." });
    }
    let lower = label.to_lowercase();
    match LABELS
        .iter()
        .find(|(forms, ..)| forms.contains(&lower.as_str()))
    {
        Some((_, _, one, many)) => {
            let word = if plural { many } else { one };
            format!("{word} {number}{after}")
        }
        None => locator.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn locators_as_apa_spells_them() {
        for (written, printed) in [
            ("p. 5", "p. 5"),
            ("pp. 5-7", "pp. 5–7"),
            ("5", "p. 5"),
            ("5-7", "pp. 5–7"),
            ("p. 5-7", "pp. 5–7"),
            ("chap. 2", "Chapter 2"),
            ("ch. 2-3", "Chapters 2–3"),
            ("fig. 3", "Figure 3"),
            ("sec. 4", "Section 4"),
            ("§ 4", "Section 4"),
            ("para. 2", "para. 2"),
            // Only the number is a range: the words after it keep their hyphens.
            ("p. 5, well-known", "p. 5, well-known"),
            ("pp. 17-19, for a critique", "pp. 17–19, for a critique"),
            ("5 - 7", "pp. 5–7"),
            ("paras. 2-3", "paras. 2–3"),
            ("for example", "for example"),
            ("emphasis added", "emphasis added"),
        ] {
            assert_eq!(normalize(written), printed, "{written}");
        }
    }
}
