//! The dates of a CSL item: `date-parts` (numbers or numeric strings), `raw`, `literal`, an EDTF
//! string, or a bare year as pandoc's CSL-YAML writes it.

use serde_json::Value;

use super::value::scalar;
use crate::bib::read::dates::{ReadDate, on_calendar, parse};
use crate::bib::read::entry::lost;

/// A CSL date: `date-parts` (numbers or numeric strings), `raw`, `literal`, or an EDTF string.
pub(super) fn read(field: &str, v: &Value) -> ReadDate {
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
        let part = |i: usize| first.get(i).map(|&n| u8::try_from(n).unwrap_or(0));
        let shown = || lost(field, &Value::Array(parts.clone()).to_string());
        match first.first() {
            Some(&y) if (0..=9999).contains(&y) => {
                let (date, dropped) = on_calendar(y as i32, part(1), part(2));
                ReadDate {
                    date: Some(date),
                    year: None,
                    lost: dropped.then(shown),
                }
            }
            _ => none(Some(shown())),
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
