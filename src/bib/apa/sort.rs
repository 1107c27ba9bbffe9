//! APA's reference-list order (Publication Manual §9.44–9.48), as byte strings that compare in
//! that order: letter by letter on what the entry leads with (family name, then initials, for
//! each author in turn, "nothing precedes something"), ignoring diacritics, case, spaces and
//! punctuation (a real Unicode collation, ICU4X's); then n.d. before the years before "in press";
//! then the date of a work dated to the day; then the title without an initial A, An or The (a
//! series in series order, spaces and punctuation counted). The same order sorts the works
//! inside one pair of parentheses (§8.12).

use std::sync::OnceLock;

use icu_collator::options::{AlternateHandling, CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};

use super::full_date;
use super::names::initials;
use crate::bib::model::{EntryType, Year};
use crate::bib::reference::SourceInput;

fn collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        // Spaces and punctuation weigh nothing: "U.S. Census Bureau" files as "USCensusBureau",
        // after "University of California".
        options.alternate_handling = Some(AlternateHandling::Shifted);
        Collator::try_new(Default::default(), options)
            .expect("ICU4X's compiled collation data is built in")
    })
}

/// The collation of titles among one author's works of a year: spaces and punctuation count
/// (a space before a period, before a letter), so that `Milet 1980 III` precedes
/// `Milet 1980. Arbeiten`, as pandoc's citeproc orders and letters them.
fn title_collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        options.alternate_handling = Some(AlternateHandling::NonIgnorable);
        Collator::try_new(Default::default(), options)
            .expect("ICU4X's compiled collation data is built in")
    })
}

/// Appends one component's collation key and the byte that ends a component (lower than any
/// byte of a key, so a shorter component sorts first).
fn push_component(key: &mut Vec<u8>, text: &str) {
    let _ = collator().write_sort_key_to(text, key);
    key.push(0);
}

/// The same for a title after the year (see [`title_collator`]).
fn push_title_component(key: &mut Vec<u8>, text: &str) {
    let _ = title_collator().write_sort_key_to(text, key);
    key.push(0);
}

/// The collation key of a text on its own (what the CSL styles' reference lists are merged by).
pub(crate) fn collation_key(text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() + 8);
    push_component(&mut key, text);
    key
}

/// A title without an initial article, for sorting (§9.47–9.48).
pub(crate) fn without_article(title: &str) -> &str {
    let t = title.trim_start_matches(['*', '"', '“', '\'', '‘']);
    for article in ["A ", "An ", "The "] {
        if let Some(head) = t.get(..article.len())
            && t.len() > article.len()
            && head.eq_ignore_ascii_case(article)
        {
            return &t[article.len()..];
        }
    }
    t
}

/// The key that sorts `source` into the reference list.
pub(crate) fn sort_key(source: &SourceInput<'_>) -> Vec<u8> {
    let meta = source.meta;
    let mut key = Vec::with_capacity(64);
    let names = if !meta.authors.is_empty() {
        &meta.authors
    } else if meta.entry_type != EntryType::Chapter {
        &meta.editors
    } else {
        &meta.authors
    };
    if names.is_empty() {
        push_component(&mut key, without_article(source.title));
    }
    for name in names {
        push_component(&mut key, &name.full_family());
        let given = name.given.as_deref().map(initials).unwrap_or_default();
        push_component(&mut key, &given);
    }
    // The end of the names: before any further name, so a work by one author precedes a work
    // by that author and others (§9.45).
    key.push(0);
    match meta.year {
        Year::Unknown => key.push(1),
        Year::Known(y) => {
            key.push(2);
            key.extend_from_slice(&(i64::from(y) + (1 << 31)).to_be_bytes()[4..]);
        }
        Year::InPress => key.push(3),
    }
    // A work dated to the month or day (a newspaper article, a web page) comes in date order
    // among one author's works of a year, as its letter does (apa.csl sorts them so).
    let (month, day) = match (&meta.issued, full_date(meta)) {
        (Some(d), true) => (d.month.unwrap_or(0), d.day.unwrap_or(0)),
        _ => (0, 0),
    };
    key.extend_from_slice(&[month, day]);
    push_title(&mut key, without_article(source.title));
    // The citation key last, so that the order is total and the same on every build.
    key.extend_from_slice(source.key.as_bytes());
    key
}

/// Appends a title's collation key, a series' part number compared as a number: `Part I: …`,
/// `Part II: …`, `Part III: …` and `Part 2` before `Part 10` come in series order (§9.47).
fn push_title(key: &mut Vec<u8>, title: &str) {
    match series_part(title) {
        Some((before, number, after)) => {
            push_title_component(key, before);
            key.extend_from_slice(&number.to_be_bytes());
            push_title_component(key, after);
        }
        None => {
            push_title_component(key, title);
            key.extend_from_slice(&0u32.to_be_bytes());
            push_title_component(key, "");
        }
    }
}

/// A title's part of a series: the text before the word `Part` (or `Volume`, `Book`, `Teil`,
/// `Partie`, `Parte`), the part's number (arabic or roman), and the text after it.
fn series_part(title: &str) -> Option<(&str, u32, &str)> {
    const MARKERS: &[&str] = &[
        "part", "pt.", "volume", "vol.", "book", "teil", "partie", "parte",
    ];
    let lower = title.to_lowercase();
    if lower.len() != title.len() {
        return None;
    }
    let mut from = 0;
    while let Some(found) = lower[from..].find(|c: char| c.is_alphabetic()) {
        let start = from + found;
        let word_end = lower[start..]
            .find(|c: char| c.is_whitespace())
            .map_or(lower.len(), |e| start + e);
        let at_word_start = start == 0 || !lower[..start].ends_with(char::is_alphanumeric);
        if at_word_start && MARKERS.contains(&&lower[start..word_end]) {
            let rest = title[word_end..].trim_start();
            let number_len = rest
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(rest.len());
            if let Some(n) = part_number(&rest[..number_len]) {
                let after = &rest[number_len..];
                return Some((&title[..start], n, after));
            }
        }
        from = word_end;
    }
    None
}

/// `3` → 3, `III` → 3, `xiv` → 14; anything else is not a part number.
fn part_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let value = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Vec<u32> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= i64::from(*d);
        } else {
            total += i64::from(*d);
        }
    }
    u32::try_from(total).ok().filter(|&n| n > 0)
}

/// The letter an entry is filed under in the reference list: the first letter of what it is
/// sorted by (its first author's or editor's family name with its particle, `von Luxburg`
/// under V; else its title without an article), as a base letter (`Çelik` under C); `#` for
/// a digit or nothing alphabetic.
pub(crate) fn filing_letter(source: &SourceInput<'_>) -> String {
    let meta = source.meta;
    let lead = meta
        .authors
        .first()
        .or_else(|| (meta.entry_type != EntryType::Chapter).then(|| meta.editors.first())?);
    let text = match lead {
        Some(name) => name.full_family(),
        None => without_article(source.title).to_string(),
    };
    match text.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_alphabetic() => base_letter(c),
        _ => "#".to_string(),
    }
}

/// A letter as the reference list's collation files it: the Latin capital it counts as
/// (`Ç` → `C`, `ø` → `O`), else the letter in upper case (`Ж`, `常`).
pub(crate) fn base_letter(c: char) -> String {
    static PRIMARY: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    let primary = PRIMARY.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Primary);
        Collator::try_new(Default::default(), options)
            .expect("ICU4X's compiled collation data is built in")
    });
    let mut buffer = [0u8; 4];
    let own = c.encode_utf8(&mut buffer);
    ('A'..='Z')
        .find(|latin| {
            let mut b = [0u8; 4];
            primary.compare(own, latin.encode_utf8(&mut b)) == std::cmp::Ordering::Equal
        })
        .map_or_else(|| c.to_uppercase().to_string(), |latin| latin.to_string())
}

/// Puts sources in APA's reference-list order.
pub(crate) fn apa_order(sources: &mut [SourceInput<'_>]) {
    sources.sort_by_cached_key(sort_key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{Name, SourceMeta};

    fn keyed(authors: &[&str], year: Year, title: &'static str) -> Vec<u8> {
        let meta = SourceMeta {
            authors: authors.iter().filter_map(|a| Name::parse(a)).collect(),
            year,
            ..SourceMeta::default()
        };
        sort_key(&SourceInput {
            key: "k",
            title,
            meta: &meta,
        })
    }

    #[test]
    fn the_reference_list_sorts_as_the_manual_says() {
        let k = |a: &str| keyed(&[a], Year::Known(2000), "t");
        // Diacritics and case are ignored, letter by letter.
        assert!(k("Çelik, E.") < k("Cellini, M."));
        assert!(k("Müller, K.") < k("Murphy, D."));
        assert!(k("Øvergaard, S.") < k("Owens, T."));
        assert!(k("Celik, E.") < k("Zimmerman, P."));
        // Punctuation and spaces are ignored: University < U.S.
        assert!(k("University of California") < k("U.S. Census Bureau"));
        // Nothing precedes something.
        assert!(k("Brown, J. R.") < k("Browning, A."));
        assert!(k("Taylor, Anna") < k("Taylor, Alice B."));
        // One author before that author with others; n.d. first, in press last.
        assert!(
            keyed(&["Ali, I."], Year::Known(2023), "t")
                < keyed(&["Ali, I.", "Anwar, M."], Year::Known(2001), "t")
        );
        assert!(
            keyed(&["Fischer, H."], Year::Unknown, "t")
                < keyed(&["Fischer, H."], Year::Known(1900), "t")
        );
        assert!(
            keyed(&["Fischer, H."], Year::Known(2099), "t")
                < keyed(&["Fischer, H."], Year::InPress, "t")
        );
        // Titles without their article.
        assert!(
            keyed(&["T, A."], Year::Known(2019), "The annotated margin")
                < keyed(&["T, A."], Year::Known(2019), "Reading closely")
        );
        // A series in series order, not letter by letter; dated works by date.
        assert!(
            keyed(&["K, A."], Year::Known(1998), "Stroke. Part II: Between")
                < keyed(
                    &["K, A."],
                    Year::Known(1998),
                    "Stroke. Part III: Multiplying"
                )
        );
        assert!(
            keyed(
                &["K, A."],
                Year::Known(1998),
                "Stroke. Part I: The struggle"
            ) < keyed(&["K, A."], Year::Known(1998), "Stroke. Part II: Between")
        );
        assert!(
            keyed(&["K, A."], Year::Known(1998), "Notes, part 2")
                < keyed(&["K, A."], Year::Known(1998), "Notes, part 10")
        );
        assert!(
            keyed(&["M, W."], Year::Known(1981), "Milet 1980 III. Islamische")
                < keyed(&["M, W."], Year::Known(1981), "Milet 1980. Arbeiten")
        );
        assert_eq!(part_number("XIV"), Some(14));
        assert_eq!(base_letter('Ç'), "C");
        assert_eq!(base_letter('ø'), "O");
        assert_eq!(base_letter('ł'), "L");
        assert_eq!(base_letter('Ж'), "Ж");
        assert_eq!(part_number("of"), None);
        // Titles that start with a character of several bytes.
        assert_eq!(without_article("US–Pakistan"), "US–Pakistan");
        assert_eq!(without_article("Ün"), "Ün");
        // A work with no author files under its title's first significant word.
        assert!(
            keyed(&["Rahimi, F."], Year::Known(2019), "x")
                < keyed(&[], Year::Known(2017), "The reviewer's handbook")
        );
        assert!(
            keyed(&[], Year::Known(2017), "The reviewer's handbook")
                < keyed(&["Smith, J."], Year::Known(2015), "x")
        );
    }
}
