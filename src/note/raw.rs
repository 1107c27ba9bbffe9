//! The front matter as YAML gives it: every field gloss knows, before any checking.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::Name;

/// Every front-matter field gloss knows, for any kind of note.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawFrontMatter {
    #[serde(rename = "type")]
    pub(super) entry_type: Option<ScalarText>,
    pub(super) title: Option<ScalarText>,
    #[serde(alias = "description")]
    pub(super) summary: Option<ScalarText>,
    #[serde(default, deserialize_with = "names")]
    pub(super) authors: Vec<RawName>,
    #[serde(default, deserialize_with = "names")]
    pub(super) editors: Vec<RawName>,
    #[serde(default, deserialize_with = "names")]
    pub(super) translators: Vec<RawName>,
    pub(super) year: Option<ScalarText>,
    pub(super) issued: Option<ScalarText>,
    pub(super) original_year: Option<ScalarText>,
    pub(super) accessed: Option<ScalarText>,
    pub(super) container: Option<ScalarText>,
    pub(super) publisher: Option<ScalarText>,
    pub(super) publisher_place: Option<ScalarText>,
    pub(super) volume: Option<ScalarText>,
    pub(super) issue: Option<ScalarText>,
    pub(super) pages: Option<ScalarText>,
    pub(super) number: Option<ScalarText>,
    pub(super) series: Option<ScalarText>,
    pub(super) edition: Option<ScalarText>,
    pub(super) genre: Option<ScalarText>,
    pub(super) event: Option<ScalarText>,
    pub(super) version: Option<ScalarText>,
    pub(super) doi: Option<ScalarText>,
    pub(super) url: Option<ScalarText>,
    pub(super) isbn: Option<ScalarText>,
    pub(super) issn: Option<ScalarText>,
    pub(super) language: Option<ScalarText>,
    pub(super) abbreviation: Option<ScalarText>,
    pub(super) archive: Option<ScalarText>,
    pub(super) eprint: Option<ScalarText>,
    pub(super) container_short: Option<ScalarText>,
    pub(super) short_title: Option<ScalarText>,
    pub(super) volumes: Option<ScalarText>,
    pub(super) page_count: Option<ScalarText>,
    pub(super) catalog: Option<ScalarText>,
    pub(super) authority: Option<ScalarText>,
    pub(super) section: Option<ScalarText>,
    pub(super) jurisdiction: Option<ScalarText>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(super) tags: Vec<ScalarText>,
    pub(super) weight: Option<i64>,
    pub(super) draft: Option<bool>,
    pub(super) publish: Option<bool>,
    /// A source's citation key when its file name is not (`gloss import` writes one for a key
    /// that cannot be a file name on every system).
    pub(super) key: Option<ScalarText>,
    /// The citation key an Obsidian literature note records: it makes the note a source with
    /// that key, wherever it lives.
    pub(super) citekey: Option<ScalarText>,
    /// Other names wikilinks may use for the note (Obsidian's).
    #[serde(default, alias = "alias", deserialize_with = "one_or_many")]
    pub(super) aliases: Vec<ScalarText>,
    pub(super) date: Option<ScalarText>,
    pub(super) updated: Option<ScalarText>,
    #[serde(default)]
    pub(super) events: Vec<RawEvent>,
}

/// One entry of `events:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    pub(super) date: ScalarText,
    pub(super) title: ScalarText,
    #[serde(default, deserialize_with = "one_or_many")]
    pub(super) cites: Vec<ScalarText>,
}

/// A YAML scalar (string, number or boolean) read as text, so `volume: 24` and `volume: "24"` agree.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ScalarText(pub(super) String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ScalarText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

pub(super) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ScalarText>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(ScalarText),
        Many(Vec<ScalarText>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A name as written: a string (`"Family, Given"`, see [`Name`]) or a map of its parts (never a
/// list, which serde would otherwise read as the map's fields by position).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum RawName {
    Text(ScalarText),
    Parts(NameParts),
}

impl<'de> Deserialize<'de> for RawName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a name (\"Family, Given\") or a map such as {family: Berg, given: Jan}",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawName, E> {
                Ok(RawName::Text(ScalarText(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawName, E> {
                Ok(RawName::Text(ScalarText(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawName, E> {
                Ok(RawName::Text(ScalarText(v.to_string())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawName, A::Error> {
                NameParts::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawName::Parts)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NameParts {
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    given: Option<String>,
    #[serde(default)]
    particle: Option<String>,
    #[serde(default)]
    dropping: Option<String>,
    #[serde(default)]
    suffix: Option<String>,
    /// An organisation's (or one-name person's) whole name.
    #[serde(default)]
    name: Option<String>,
}

impl RawName {
    /// The name, or why it is not one.
    pub(super) fn to_name(&self) -> Result<Name, String> {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match self {
            RawName::Text(text) => Name::parse(&text.0).ok_or_else(|| {
                format!("`{}` is not a name: write `Family, Given`, `Family, Jr., Given` or an organisation's name", text.0)
            }),
            RawName::Parts(parts) => match (clean(&parts.name), clean(&parts.family)) {
                (Some(name), None) => Ok(Name::literal(&name)),
                (None, Some(family)) => Ok(Name {
                    family,
                    given: clean(&parts.given),
                    particle: clean(&parts.particle),
                    dropping: clean(&parts.dropping),
                    suffix: clean(&parts.suffix),
                }),
                _ => Err("a name written as a map needs `family` (a person) or `name` (an organisation), not both".to_string()),
            },
        }
    }
}

fn names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawName>, D::Error> {
    // A list first: serde would read a list of two strings as a map's fields by position.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<RawName>),
        One(RawName),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A trimmed, non-empty text; a NUL (YAML's `"\0"`) becomes U+FFFD, as in a body.
pub(super) fn text_of(s: Option<ScalarText>) -> Option<String> {
    s.map(|s| s.0.trim().replace('\0', "\u{FFFD}"))
        .filter(|s| !s.is_empty())
}
