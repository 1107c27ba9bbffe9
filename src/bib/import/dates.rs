//! Dates as libraries write them: BibLaTeX's `date` (ISO 8601, ranges, `?` and `~`), BibTeX's
//! `year` + `month` (numbers, names, macros), CSL's `date-parts`, `raw` and `literal`; read to a
//! gloss year and a partial date, with what does not fit named as lost.

use std::collections::BTreeSet;

use super::bibtex_fields::Reader;
use serde_json::Value;

use super::csl_fields::scalar;

use super::entry::lost;
use crate::bib::model::{PartialDate, SourceMeta, Year};

/// A date read from text, and what of it was dropped.
pub(super) struct ReadDate {
    pub(super) date: Option<PartialDate>,
    /// The year when no calendar date could be read (`Spring 2018` → 2018).
    pub(super) year: Option<i32>,
    pub(super) lost: Option<String>,
}

/// Reads `2020`, `2020-05`, `2020-05-15` (a time after it is ignored), the first of a range
/// `2019/2020`, an uncertain `2020?`; failing that, the first four-digit year in the text.
pub(super) fn parse(field: &str, text: &str) -> ReadDate {
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
fn first_year(text: &str) -> Option<i32> {
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
pub(super) fn month(text: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    NAMES
        .iter()
        .position(|m| t.len() >= 3 && m.starts_with(&t))
        .map(|i| i as u8 + 1)
}

/// Sets the year and issue date from the date fields of a BibTeX entry (its own `date` or
/// `year`, else what it inherited), the access date from `urldate` and the original year from
/// `origdate`.
pub(super) fn bibtex(
    r: &mut Reader<'_>,
    own: &BTreeSet<String>,
    meta: &mut SourceMeta,
    pubstate: Option<&str>,
) {
    let date_text = r.plain("date");
    let year_text = r.plain("year");
    let month_text = r.plain("month");
    let day_text = r.plain("day");
    let use_date = date_text.is_some() && (own.contains("date") || !own.contains("year"));
    if use_date {
        let read = parse("date", date_text.as_deref().unwrap_or_default());
        apply(meta, &read);
        r.lost.extend(read.lost);
        for (field, value) in [("year", &year_text), ("month", &month_text)] {
            if let Some(v) = value {
                r.lost.push(lost(field, v));
            }
        }
    } else if let Some(year) = &year_text {
        match year_of(year) {
            Ok(y) => meta.year = y,
            Err(found) => {
                meta.year = found.map_or(Year::Unknown, Year::Known);
                r.lost.push(lost("year", year));
            }
        }
        let month = month_text.as_deref().and_then(month);
        if let (Some(text), None) = (&month_text, month) {
            r.lost.push(lost("month", text));
        }
        if let (Year::Known(y), Some(m)) = (meta.year, month) {
            let day = day_text
                .as_deref()
                .and_then(|d| d.trim().parse::<u8>().ok())
                .filter(|d| (1..=31).contains(d));
            meta.issued = Some(PartialDate {
                year: y,
                month: Some(m),
                day,
            });
        }
    }
    match pubstate {
        Some("inpress" | "in press" | "forthcoming") if meta.year == Year::Unknown => {
            meta.year = Year::InPress;
        }
        None | Some("prepublished") => {}
        Some(other) => r.lost.push(lost("pubstate", other)),
    }
    if let Some(text) = r.plain("urldate") {
        let read = parse("urldate", &text);
        meta.accessed = read.date;
        r.lost.extend(read.lost);
    }
    if let Some(text) = r.plain("origdate") {
        let read = parse("origdate", &text);
        meta.original_year = read.date.map(|d| d.year).or(read.year);
        if read.date.is_some_and(|d| d.month.is_some()) {
            r.lost.push(lost("origdate's month and day", &text));
        }
        r.lost.extend(read.lost);
    }
}

/// Sets year and issued from a read date: the full date only when it says more than a year.
pub(super) fn apply(meta: &mut SourceMeta, read: &ReadDate) {
    match read.date {
        Some(d) => {
            meta.year = Year::Known(d.year);
            meta.issued = d.month.is_some().then_some(d);
        }
        None => meta.year = read.year.map_or(Year::Unknown, Year::Known),
    }
}

/// A BibTeX year: `2019`, `n.d.`, `in press`, `2019a` (a letter a style added, dropped); any
/// other text is an error carrying the year found in it, if any.
fn year_of(text: &str) -> Result<Year, Option<i32>> {
    if let Ok(y) = Year::parse(text) {
        return Ok(y);
    }
    let t = text.trim();
    let digits = t.trim_end_matches(|c: char| c.is_ascii_lowercase());
    if t.len() - digits.len() == 1
        && let Ok(Year::Known(y)) = Year::parse(digits)
    {
        return Ok(Year::Known(y));
    }
    Err(first_year(t))
}

/// A CSL date: `date-parts` (numbers or numeric strings), `raw`, `literal`, or an EDTF string.
pub(super) fn csl(field: &str, v: &Value) -> ReadDate {
    let none = |lost: Option<String>| ReadDate {
        date: None,
        year: None,
        lost,
    };
    let obj = match v {
        Value::String(s) => return parse(field, s),
        // CSL-YAML as pandoc writes it: `issued: 2020`.
        Value::Number(n) => return parse(field, &n.to_string()),
        Value::Object(obj) => obj,
        other => return none(Some(lost(field, &other.to_string()))),
    };
    let mut extra = Vec::new();
    for k in ["season", "circa"] {
        if let Some(v) = obj.get(k) {
            extra.push(lost(
                &format!("{field} {k}"),
                &scalar(v).unwrap_or_default(),
            ));
        }
    }
    let mut read = if let Some(Value::Array(parts)) = obj.get("date-parts") {
        let number = |v: &Value| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let first: Vec<i64> = match parts.first() {
            Some(Value::Array(p)) => p
                .iter()
                .map(number)
                .collect::<Option<_>>()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        if parts.len() > 1 {
            extra.push(lost(
                &format!("{field} range"),
                &Value::Array(parts.clone()).to_string(),
            ));
        }
        let month = first
            .get(1)
            .map(|&m| m as u8)
            .filter(|m| (1..=12).contains(m));
        let day = first
            .get(2)
            .map(|&d| d as u8)
            .filter(|d| (1..=31).contains(d));
        match first.first() {
            Some(&y) if (0..=9999).contains(&y) => ReadDate {
                date: Some(PartialDate {
                    year: y as i32,
                    month,
                    day: day.filter(|_| month.is_some()),
                }),
                year: None,
                lost: None,
            },
            _ => none(Some(lost(field, &Value::Array(parts.clone()).to_string()))),
        }
    } else if let Some(raw) = obj.get("raw").and_then(scalar) {
        parse(field, &raw)
    } else if let Some(literal) = obj.get("literal").and_then(scalar) {
        let mut read = parse(field, &literal);
        if read.date.is_none() {
            read.lost = Some(match read.year {
                Some(y) => format!("{field} \"{literal}\" (kept as {y})"),
                None => lost(field, &literal),
            });
        }
        read
    } else {
        none(None)
    };
    if let Some(l) = read.lost.take() {
        extra.insert(0, l);
    }
    read.lost = (!extra.is_empty()).then(|| extra.join(", "));
    read
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
        assert_eq!(year_of("2019a"), Ok(Year::Known(2019)));
        assert_eq!(year_of("forthcoming"), Ok(Year::InPress));
        assert_eq!(year_of("c. 1890"), Err(Some(1890)));
        assert_eq!(year_of("20210128"), Err(Some(2021)));
        assert_eq!(year_of("123456"), Err(None));
    }
}
