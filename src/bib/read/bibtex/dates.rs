//! The dates of a BibTeX or BibLaTeX entry: BibLaTeX's `date` (ISO 8601, ranges, `?` and `~`),
//! BibTeX's `year` + `month` + `day` (numbers, names, macros), `urldate`, `origdate` and
//! `pubstate`.

use std::collections::BTreeSet;

use super::reader::Reader;
use crate::bib::model::{SourceMeta, Year};
use crate::bib::read::dates::{apply, first_year, month, on_calendar, parse};
use crate::bib::read::entry::lost;

/// Sets the year and issue date from the date fields of a BibTeX entry (its own `date` or
/// `year`, else what it inherited), the access date from `urldate` and the original year from
/// `origdate`.
pub(super) fn read(
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
            let day = day_text.as_deref().map(|d| d.trim().parse::<u8>().ok());
            let (date, dropped) = on_calendar(y, Some(m), day.flatten());
            if let (Some(text), true) = (&day_text, dropped || day == Some(None)) {
                r.lost.push(lost("day", text));
            }
            meta.issued = Some(date);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_as_bibtex_writes_them() {
        assert_eq!(year_of("2019a"), Ok(Year::Known(2019)));
        assert_eq!(year_of("forthcoming"), Ok(Year::InPress));
        assert_eq!(year_of("c. 1890"), Err(Some(1890)));
        assert_eq!(year_of("20210128"), Err(Some(2021)));
        assert_eq!(year_of("123456"), Err(None));
    }
}
