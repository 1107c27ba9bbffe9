//! Dates as libraries write them, whatever the format: ISO 8601 text (`2020-05-15`, a range
//! `2019/2020`, an uncertain `2020?`), a month by number or name, free text with a year in it;
//! read to a gloss year and a partial date, with what does not fit named as lost. Each format's
//! fields are read in `bibtex::dates` and `csl_json::dates`.

use super::entry::lost;
use crate::bib::model::{MONTHS, PartialDate, SourceMeta, Year};

/// A date read from text, and what of it was dropped.
pub(crate) struct ReadDate {
    pub(crate) date: Option<PartialDate>,
    /// The year when no calendar date could be read (`Spring 2018` → 2018).
    pub(crate) year: Option<i32>,
    pub(crate) lost: Option<String>,
}

/// Reads `2020`, `2020-05`, `2020-05-15` (a time after it is ignored), the first of a range
/// `2019/2020`, an uncertain `2020?`; failing that, the first four-digit year in the text.
pub(crate) fn parse(field: &str, text: &str) -> ReadDate {
    let text = text.trim();
    let mut dropped = None;
    let (first, rest) = match text.split_once('/') {
        Some((a, b)) if !a.trim().is_empty() => (a.trim(), Some(b)),
        _ => (text, None),
    };
    if rest.is_some() {
        dropped = Some(lost(&format!("{field} range"), text));
    }
    let bare = first.trim_end_matches(['?', '~', '%']);
    if bare.len() != first.len() {
        dropped = Some(lost(&format!("{field} qualifier"), text));
    }
    if let Ok(date) = PartialDate::parse(bare) {
        return ReadDate {
            date: Some(date),
            year: None,
            lost: dropped,
        };
    }
    ReadDate {
        date: None,
        year: first_year(text),
        lost: Some(lost(field, text)),
    }
}

/// The first run of exactly four digits in `text`.
pub(crate) fn first_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            // `20210128`, a date without its dashes, starts with its year.
            if i - start == 4 || i - start == 8 {
                return chars[start..start + 4]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A month as a number, an English name or its first three letters.
pub(crate) fn month(text: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    MONTHS
        .iter()
        .position(|m| t.len() >= 3 && m.to_ascii_lowercase().starts_with(&t))
        .map(|i| i as u8 + 1)
}

/// The most of a date that is on the calendar (the day dropped when its month has no such day,
/// the month when there is no such month), and whether anything was dropped.
pub(crate) fn on_calendar(year: i32, month: Option<u8>, day: Option<u8>) -> (PartialDate, bool) {
    let date = PartialDate::new(year, month, day)
        .or_else(|| PartialDate::new(year, month, None))
        .unwrap_or(PartialDate {
            year,
            month: None,
            day: None,
        });
    (date, date.month != month || date.day != day)
}

/// Sets year and issued from a read date: the full date only when it says more than a year.
pub(crate) fn apply(meta: &mut SourceMeta, read: &ReadDate) {
    match read.date {
        Some(d) => {
            meta.year = Year::Known(d.year);
            meta.issued = d.month.is_some().then_some(d);
        }
        None => meta.year = read.year.map_or(Year::Unknown, Year::Known),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_ranges_and_free_text() {
        let d = parse("date", "2020-05-15");
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), Some("2020-05-15"));
        assert!(d.lost.is_none());
        let d = parse("date", "2019/2020");
        assert_eq!(d.date.map(|d| d.year), Some(2019));
        assert!(d.lost.unwrap().contains("2019/2020"));
        let d = parse("issued", "Spring 2018");
        assert_eq!((d.date, d.year), (None, Some(2018)));
        assert_eq!(month("may"), Some(5));
        assert_eq!(month("September"), Some(9));
        assert_eq!(month("09"), Some(9));
        assert_eq!(month("13"), None);
        assert_eq!(month("Mayday"), None);
    }
}
