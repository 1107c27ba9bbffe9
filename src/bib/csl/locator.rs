//! A citation's locator as pandoc reads it (`p. 5, emphasis added`): a label that is one of the
//! locale's locator terms in any form (`p.`, `pages`, `fol.`, `§`), or none for a page, then the
//! locator itself, words holding a digit or a roman numeral (`33-35`, `xiv`, `4(a)`) separated by
//! commas; what follows is the citation's suffix. Text that is no locator (`app. 1`, `for
//! example`) is all suffix, after a comma.

use hayagriva::citationberg::taxonomy::Locator;

/// A locator read: its kind and value, and the suffix after it (with its leading punctuation).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Read<'a> {
    pub(super) locator: Option<(Locator, &'a str)>,
    pub(super) suffix: String,
}

/// Reads `text` (what follows the key and its comma) with the locale's locator terms (`terms`:
/// every form, lower case).
pub(super) fn read<'a>(text: &'a str, terms: &[(String, Locator)]) -> Read<'a> {
    let text = text.trim();
    let not_a_locator = || Read {
        locator: None,
        suffix: if text.starts_with(|c: char| c.is_ascii_punctuation()) {
            text.to_string()
        } else {
            format!(", {text}")
        },
    };
    if text.is_empty() {
        return Read {
            locator: None,
            suffix: String::new(),
        };
    }
    let lower = text.to_lowercase();
    // The longest term the text starts with that a locator follows.
    let labelled = terms
        .iter()
        .filter(|(form, _)| {
            lower.starts_with(form.as_str())
                && text.is_char_boundary(form.len())
                && lower.len() == text.len()
        })
        .filter_map(|(form, kind)| {
            let rest = &text[form.len()..];
            let boundary = form.ends_with(|c: char| !c.is_alphanumeric())
                || rest.starts_with(|c: char| c.is_whitespace());
            let value = value_len(rest.trim_start(), true)?;
            boundary.then_some((form.len(), *kind, value))
        })
        .max_by_key(|(len, ..)| *len);
    let (start, kind, explicit) = match labelled {
        Some((len, kind, _)) => (len, kind, true),
        None => (0, Locator::Page, false),
    };
    let rest = &text[start..];
    let skipped = rest.len() - rest.trim_start().len();
    let Some(len) = value_len(rest.trim_start(), explicit) else {
        return not_a_locator();
    };
    let at = start + skipped;
    Read {
        locator: Some((kind, text[at..at + len].trim())),
        suffix: text[at + len..].to_string(),
    }
}

/// A locator that is one range of pages (`101-9`, `101–109`): its start and end.
pub(super) fn range(value: &str) -> Option<(&str, &str)> {
    let (start, end) = value.split_once(['-', '–'])?;
    let digits = |s: &str| !s.trim().is_empty() && s.trim().chars().all(|c| c.is_alphanumeric());
    (digits(start) && digits(end) && !end.contains(['-', '–']))
        .then_some((start.trim(), end.trim()))
}

/// The length of the locator at the start of `text`: words with a digit (or, after a label, a
/// roman numeral) separated by `,` or `;`. `None` when there is none.
fn value_len(text: &str, romans: bool) -> Option<usize> {
    let mut end = 0;
    let mut at = 0;
    loop {
        let start = at;
        let word_at = if start == 0 {
            0
        } else {
            // A separator, then spaces.
            let after_sep = text[start..]
                .strip_prefix([',', ';'])
                .map_or(start, |r| text.len() - r.len());
            after_sep + (text[after_sep..].len() - text[after_sep..].trim_start().len())
        };
        let len = word_len(&text[word_at..]);
        let word = &text[word_at..word_at + len];
        let counts = word.chars().any(|c| c.is_ascii_digit()) || (romans && is_roman(word));
        if len == 0 || !counts {
            break;
        }
        end = word_at + len;
        at = end;
    }
    (end > 0).then_some(end)
}

/// A word of a locator: up to a space or punctuation other than a range's dash, `:` or a `.`
/// between two parts (`1.2`), with brackets kept whole.
fn word_len(text: &str) -> usize {
    let mut depth = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let next_alnum = chars.get(n + 1).is_some_and(|(_, d)| d.is_alphanumeric());
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c if c.is_whitespace() => return i,
            '-' | '–' | ':' => {}
            '.' if next_alnum && i > 0 => {}
            c if c.is_ascii_punctuation() || matches!(c, '§' | '¶' | '…') => return i,
            _ => {}
        }
    }
    text.len()
}

/// A roman numeral, in either case (`xiv`, `IV`).
fn is_roman(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    if upper.is_empty() || !upper.chars().all(|c| "IVXLCDM".contains(c)) {
        return false;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let digits: Vec<u32> = upper.chars().map(value).collect();
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        match digits.get(i + 1) {
            Some(next) if next > d => total -= *d as i64,
            _ => total += *d as i64,
        }
    }
    // Written back the canonical way, it must read the same (`IIII` and `IC` are no numerals).
    total > 0 && to_roman(total as u32) == upper
}

fn to_roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<(String, Locator)> {
        [
            ("p.", Locator::Page),
            ("pp.", Locator::Page),
            ("page", Locator::Page),
            ("chap.", Locator::Chapter),
            ("chapter", Locator::Chapter),
            ("fol.", Locator::Folio),
            ("bk.", Locator::Book),
            ("v.", Locator::Verse),
            ("vol.", Locator::Volume),
            ("vols.", Locator::Volume),
            ("§", Locator::Section),
            ("s.v.", Locator::SubVerbo),
        ]
        .into_iter()
        .map(|(f, l)| (f.to_string(), l))
        .collect()
    }

    fn read_(text: &str) -> (Option<(Locator, String)>, String) {
        let r = read(text, &terms());
        (r.locator.map(|(k, v)| (k, v.to_string())), r.suffix)
    }

    #[test]
    fn labels_values_and_suffixes_read_as_pandoc_reads_them() {
        let page = |v: &str| Some((Locator::Page, v.to_string()));
        assert_eq!(read_("p. 5"), (page("5"), String::new()));
        assert_eq!(read_("5-7"), (page("5-7"), String::new()));
        assert_eq!(
            read_("p. 5, emphasis added"),
            (page("5"), ", emphasis added".into())
        );
        assert_eq!(
            read_("pp. 33-35, my translation"),
            (page("33-35"), ", my translation".into())
        );
        assert_eq!(read_("p. xiv"), (page("xiv"), String::new()));
        assert_eq!(read_("pp. 5, 7"), (page("5, 7"), String::new()));
        assert_eq!(
            read_("fol. 3"),
            (Some((Locator::Folio, "3".into())), String::new())
        );
        assert_eq!(
            read_("bk. 2"),
            (Some((Locator::Book, "2".into())), String::new())
        );
        assert_eq!(
            read_("v. 16"),
            (Some((Locator::Verse, "16".into())), String::new())
        );
        assert_eq!(
            read_("vols. 1-2"),
            (Some((Locator::Volume, "1-2".into())), String::new())
        );
        assert_eq!(
            read_("§ 4"),
            (Some((Locator::Section, "4".into())), String::new())
        );
        assert_eq!(
            read_("chapter 6"),
            (Some((Locator::Chapter, "6".into())), String::new())
        );
        assert_eq!(read_("app. 1"), (None, ", app. 1".into()));
        assert_eq!(read_("s.v. grammar"), (None, ", s.v. grammar".into()));
        assert_eq!(read_("for example"), (None, ", for example".into()));
        assert_eq!(read_("xiv"), (None, ", xiv".into()));
        assert_eq!(
            read_("sec. 2.1"),
            (None, ", sec. 2.1".into()),
            "a term the locale does not have"
        );
    }

    #[test]
    fn a_range_is_one_dash_between_two_numbers() {
        assert_eq!(range("101-9"), Some(("101", "9")));
        assert_eq!(range("101–109"), Some(("101", "109")));
        assert_eq!(range("5"), None);
        assert_eq!(range("5, 7-9"), None);
        assert_eq!(range("1-2-3"), None);
    }

    #[test]
    fn roman_numerals_are_written_the_canonical_way() {
        assert!(is_roman("xiv") && is_roman("IV") && is_roman("mcmxc"));
        assert!(!is_roman("iiii") && !is_roman("ic") && !is_roman("vols"));
    }
}
