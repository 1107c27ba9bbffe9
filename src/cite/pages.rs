//! Page ranges, one rule for every place that writes them: a citation's locator (`pp. 5–7`), a
//! reference's pages in APA and in the CSL styles, the pages the importers store, and the
//! exports (CSL-JSON's en dash, BibTeX's `--`, Highwire's first and last page).
//!
//! The rule is pandoc's citeproc's and biber's: a hyphen, two hyphens or an en dash between two
//! letters or digits, spaces around it allowed, separates a range, written with an en dash and
//! no spaces: `15-30`, `15--30` and `15 – 30` are `15–30`, `S12-S20` is `S12–S20`, `xii-xv` is
//! `xii–xv`, and `A-7` is the range `A–7` (both read it so; a page whose name holds a hyphen is
//! not something either can tell from a range). A single page or article number (`e0248123`),
//! and three dashes or more, are kept as written.

/// Pages or a locator's number with every range written with an en dash, its spaces collapsed.
pub(crate) fn range(text: &str) -> String {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let is_dash = |c: char| c == '-' || c == '–';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if is_dash(chars[i]) {
            let run = chars[i..].iter().take_while(|c| is_dash(**c)).count();
            let after = i + run + usize::from(chars.get(i + run) == Some(&' '));
            let left = out.trim_end().chars().next_back();
            let right = chars.get(after);
            if run <= 2
                && left.is_some_and(char::is_alphanumeric)
                && right.is_some_and(|c| c.is_alphanumeric())
            {
                out.truncate(out.trim_end().len());
                out.push('–');
                i = after;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Whether pages or a locator's number (as [`range`] writes it) are more than one: a range or a
/// list (`pp.`, not `p.`).
pub(crate) fn is_plural(pages: &str) -> bool {
    pages.contains(['–', ',', '&']) || pages.contains(" and ")
}

/// The first page and, for a range, the last (`15–30` → `15`, `30`), as the Highwire Press
/// tags give them.
pub(crate) fn first_and_last(pages: &str) -> (Option<String>, Option<String>) {
    let pages = range(pages);
    let mut parts = pages.splitn(2, '–');
    let first = parts.next().map(str::trim).filter(|p| !p.is_empty());
    let last = parts.next().map(|p| p.trim_matches(['-', '–', ' ']));
    (first.map(str::to_string), last.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_get_an_en_dash_and_the_rest_is_kept() {
        for (written, range_of) in [
            ("412--428", "412–428"),
            ("412-428", "412–428"),
            ("412 – 428", "412–428"),
            ("412 -  428", "412–428"),
            ("E112–E130", "E112–E130"),
            ("S1-S10, 12-14", "S1–S10, 12–14"),
            ("xii-xv", "xii–xv"),
            ("A-7", "A–7"),
            ("e0245123", "e0245123"),
            ("12---14", "12---14"),
            ("-5", "-5"),
            ("5-", "5-"),
        ] {
            assert_eq!(range(written), range_of, "{written}");
        }
        assert!(is_plural(&range("A-7")));
        assert!(is_plural("5, 7") && is_plural("5 and 7") && !is_plural("e0245123"));
        let bounds = |p: &str| first_and_last(p);
        assert_eq!(bounds("15--30"), (Some("15".into()), Some("30".into())));
        assert_eq!(bounds("e0245123"), (Some("e0245123".into()), None));
    }
}
