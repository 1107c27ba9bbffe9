//! The values of a CSL item as JSON holds them: scalars (a string, or a number written as one),
//! text cleaned of NULs, a name's parts, an abstract's JATS markup taken out.

use serde_json::Value;

use crate::bib::markup;
use crate::bib::model::Name;
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

/// A CSL name: `literal`, or `family` with `given`, particles and `suffix`.
pub(super) fn name(v: &Value) -> Option<Name> {
    let obj = match v {
        Value::String(s) => {
            return Some(Name::literal(&markup::collapse(s))).filter(|n| !n.family.is_empty());
        }
        Value::Object(obj) => obj,
        _ => return None,
    };
    let part = |k: &str| obj.get(k).and_then(scalar).filter(|s| !s.is_empty());
    if let Some(literal) = part("literal") {
        return Some(Name::literal(&literal));
    }
    let given = part("given");
    let Some(family) = part("family") else {
        return given.map(|g| Name::literal(&g));
    };
    Some(Name {
        family,
        given,
        particle: part("non-dropping-particle"),
        dropping: part("dropping-particle"),
        suffix: part("suffix"),
    })
}

/// Crossref's JATS markup in abstracts (`<jats:p>`, `<jats:title>`), removed.
pub(super) fn strip_jats(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let tag = &rest[start + 1..];
        let end = tag
            .find('>')
            .filter(|_| tag.starts_with("jats:") || tag.starts_with("/jats:"));
        match end {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &tag[end + 1..];
            }
            None => {
                out.push_str(&rest[..=start]);
                rest = tag;
            }
        }
    }
    out.push_str(rest);
    markup::collapse(&out)
}
