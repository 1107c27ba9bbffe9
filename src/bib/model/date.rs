//! Calendar dates as precise as a source gives them (a year, a month or a day), and the one
//! check that a date is on the calendar, for every date gloss reads: a note's `date` and
//! `updated`, a source's `issued` and `accessed`, an event's date, a library's dates.

use std::fmt;

/// A calendar date as precise as the source gives it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The months, as the reference list writes them (and the importers read them).
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// A date from its parts when they are on the calendar: a month from 1 to 12, a day the
    /// month has (29 February in a leap year only), and no day without a month.
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        let on_calendar = match (month, day) {
            (None, None) => true,
            (Some(m), None) => (1..=12).contains(&m),
            (Some(m), Some(d)) => (1..=12).contains(&m) && (1..=days_in(year, m)).contains(&d),
            (None, Some(_)) => false,
        };
        on_calendar.then_some(PartialDate { year, month, day })
    }

    /// Reads `2020`, `2020-03` or `2020-03-05` (a time after the day, as some plugins write it,
    /// is ignored), a date on the calendar; anything else is an error message.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let day_part = text.split([' ', 'T']).next().unwrap_or(text);
        let bad = || format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = day_part.split('-').collect();
        let number = |s: &str, len: usize| -> Result<u16, String> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
                .ok_or_else(bad)
        };
        if parts.len() > 3 || (day_part.len() != text.len() && parts.len() < 3) {
            return Err(bad());
        }
        let year = i32::from(number(parts[0], 4)?);
        // Two digits each: below 100, so a `u8`.
        let month = parts
            .get(1)
            .map(|m| number(m, 2))
            .transpose()?
            .map(|m| m as u8);
        let day = parts
            .get(2)
            .map(|d| number(d, 2))
            .transpose()?
            .map(|d| d as u8);
        PartialDate::new(year, month, day).ok_or_else(|| match month {
            Some(m) if (1..=12).contains(&m) => format!(
                "`{text}` is not a date: {} {year} has {} days",
                MONTHS[usize::from(m - 1)],
                days_in(year, m)
            ),
            _ => format!("`{text}` is not a date: a month is 01 to 12, a day 01 to 31"),
        })
    }
}

/// Whether `text` is a full date written `YYYY-MM-DD`, on the calendar: a note's `date:` and
/// `updated:`, which the feed and the sitemap carry.
pub(crate) fn is_iso_date(text: &str) -> bool {
    PartialDate::parse(text).is_ok_and(|d| d.day.is_some() && d.to_string() == text)
}

/// The number of days of a month (1–12) in a year of the Gregorian calendar.
fn days_in(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_keep_their_precision() {
        let d = |s| PartialDate::parse(s).map(|d| d.to_string());
        assert_eq!(d("2001").as_deref(), Ok("2001"));
        assert_eq!(d("2001-09").as_deref(), Ok("2001-09"));
        assert_eq!(d("2024-08-02 09:59").as_deref(), Ok("2024-08-02"));
        assert!(d("2001-13").is_err());
        assert!(d("01-09").is_err());
        assert!(d("2001-09-11-1").is_err());
        assert!(d("2001 sometime").is_err());
        assert!(PartialDate::parse("2001").unwrap() < PartialDate::parse("2001-09").unwrap());
    }

    #[test]
    fn a_date_must_be_on_the_calendar() {
        for bad in [
            "2023-02-31",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-13-45",
            "2024-00-10",
            "2024-01-00",
        ] {
            let err = PartialDate::parse(bad).expect_err(bad);
            assert!(err.starts_with(&format!("`{bad}` is not a date")), "{err}");
        }
        assert_eq!(
            PartialDate::parse("2023-02-31").unwrap_err(),
            "`2023-02-31` is not a date: February 2023 has 28 days"
        );
        for good in ["2024-02-29", "2000-02-29", "2023-12-31", "2024-04-30"] {
            assert_eq!(
                PartialDate::parse(good).map(|d| d.to_string()).as_deref(),
                Ok(good)
            );
        }
        assert!(is_iso_date("2024-02-29"));
        for bad in [
            "2024-13-45",
            "2023-02-31",
            "2024-1-05",
            "2024-01",
            "2024-01-05 ",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
