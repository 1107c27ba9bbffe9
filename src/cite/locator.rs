//! Locators as APA writes them (§8.13): `p. 5`, `pp. 5–7` (a bare number is a page), and the
//! spelled-out `Chapter 2`, `Figure 3`, `Section 4`, `Table 1`, with `para.`/`paras.` abbreviated.

/// What a locator's label may be written as, and how APA prints it (singular, plural).
const LABELS: &[(&[&str], &str, &str)] = &[
    (
        &["p", "p.", "pp", "pp.", "page", "pages", "pg", "pg."],
        "p.",
        "pp.",
    ),
    (
        &[
            "chap", "chap.", "chaps.", "ch", "ch.", "chapter", "chapters",
        ],
        "Chapter",
        "Chapters",
    ),
    (
        &["fig", "fig.", "figs.", "figure", "figures"],
        "Figure",
        "Figures",
    ),
    (
        &["sec", "sec.", "secs.", "section", "sections", "§", "§§"],
        "Section",
        "Sections",
    ),
    (&["tab", "tab.", "table", "tables"], "Table", "Tables"),
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
        "para.",
        "paras.",
    ),
    (
        &["vol", "vol.", "vols.", "volume", "volumes"],
        "Vol.",
        "Vols.",
    ),
    (&["l", "l.", "ll.", "line", "lines"], "line", "lines"),
    (&["n", "n.", "nn.", "note", "notes"], "note", "notes"),
    (&["no", "no.", "nos.", "number"], "No.", "Nos."),
    (&["pt", "pt.", "part"], "Part", "Parts"),
    (&["col", "col.", "cols.", "column"], "col.", "cols."),
    (&["app", "app.", "appendix"], "Appendix", "Appendices"),
    (&["min", "min.", "minute"], "min", "min"),
];

/// A locator as APA prints it; text that is not a locator (`for example`) is kept as written.
pub(crate) fn normalize(locator: &str) -> String {
    let locator = locator.trim();
    let (label, rest) = match locator.find(|c: char| c.is_ascii_digit()) {
        Some(0) => ("", locator),
        Some(at) => (locator[..at].trim(), &locator[at..]),
        None => return locator.to_string(),
    };
    let number = dashes(rest.trim());
    if label.is_empty() {
        // A bare number or range is a page.
        return format!("{} {number}", if plural(&number) { "pp." } else { "p." });
    }
    let lower = label.to_lowercase();
    match LABELS
        .iter()
        .find(|(forms, _, _)| forms.contains(&lower.as_str()))
    {
        Some((_, one, many)) => {
            let word = if plural(&number) { many } else { one };
            format!("{word} {number}")
        }
        None => locator.to_string(),
    }
}

/// Hyphens between numbers become en dashes: `5-7` → `5–7`.
fn dashes(s: &str) -> String {
    let chars: Vec<char> = s.replace("--", "–").chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        out.push(if c == '-' && between { '–' } else { c });
    }
    out
}

/// A range or a list of numbers.
fn plural(number: &str) -> bool {
    number.contains(['–', ',', '&']) || number.contains(" and ")
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
            ("paras. 2-3", "paras. 2–3"),
            ("for example", "for example"),
            ("emphasis added", "emphasis added"),
        ] {
            assert_eq!(normalize(written), printed, "{written}");
        }
    }
}
