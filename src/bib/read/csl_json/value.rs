//! The values of a CSL item as JSON holds them: scalars (a string, or a number written as one)
//! and text cleaned of NULs.

use serde_json::Value;

use crate::bib::markup;
use crate::bib::read::entry::without_nul;

/// A string, or a number written as one.
pub(super) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(markup::collapse(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An item with every NUL in its text as U+FFFD (JSON's `\u0000`, YAML's `"\0"`).
pub(super) fn clean(value: Value) -> Value {
    match value {
        Value::String(s) if s.contains('\0') => Value::String(without_nul(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (without_nul(&k).into_owned(), clean(v)))
                .collect(),
        ),
        other => other,
    }
}
