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

/// Pages with every range written in full, as APA writes them (apa.csl's `expanded`
/// page-range format, pandoc's citeproc): `101-9` → `101–109`, `1381--95` → `1381–1395`. Only a
/// range of two plain numbers whose second is shorter is expanded (`S12–20` stays).
pub(crate) fn expanded(text: &str) -> String {
    let ranged = range(text);
    let chars: Vec<char> = ranged.chars().collect();
    let mut out = String::with_capacity(ranged.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if chars[i] == '–' {
            let digits = |c: &char| c.is_ascii_digit();
            let before: String = {
                let head = &chars[..i];
                let n = head.iter().rev().take_while(|c| digits(c)).count();
                head[head.len() - n..].iter().collect()
            };
            let after: String = chars[i + 1..].iter().take_while(|c| digits(c)).collect();
            let start_of_number =
                i < before.len() + 1 || !chars[i - before.len() - 1].is_alphanumeric();
            let end_of_number = chars
                .get(i + 1 + after.len())
                .is_none_or(|c| !c.is_alphanumeric());
            if !before.is_empty()
                && !after.is_empty()
                && after.len() < before.len()
                && start_of_number
                && end_of_number
            {
                out.push_str(&before[..before.len() - after.len()]);
            }
        }
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
        for (written, full) in [
            ("101-9", "101–109"),
            ("1381--95", "1381–1395"),
            ("321-28", "321–328"),
            ("1100-1", "1100–1101"),
            ("99-101", "99–101"),
            ("5-7, 12-4", "5–7, 12–14"),
            ("S12-20", "S12–20"),
            ("12-4a", "12–4a"),
            ("xii-xv", "xii–xv"),
        ] {
            assert_eq!(expanded(written), full, "{written}");
        }
        assert!(is_plural("5, 7") && is_plural("5 and 7") && !is_plural("e0245123"));
        let bounds = |p: &str| first_and_last(p);
        assert_eq!(bounds("15--30"), (Some("15".into()), Some("30".into())));
        assert_eq!(bounds("e0245123"), (Some("e0245123".into()), None));
    }
}
