//! The front matter as read: every field gloss knows, before any checking.

use super::Name;

/// Every front-matter field gloss knows, for any kind of note, as [`super::read`] takes them out
/// of the YAML.
#[derive(Debug, Default)]
pub(super) struct RawFrontMatter {
    pub(super) entry_type: Option<ScalarText>,
    pub(super) title: Option<ScalarText>,
    /// `summary:`, or Quartz's `description:`.
    pub(super) summary: Option<ScalarText>,
    pub(super) authors: Vec<RawName>,
    pub(super) editors: Vec<RawName>,
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
    /// Other names wikilinks may use for the note (Obsidian's `aliases:`, or `alias:`).
    pub(super) aliases: Vec<ScalarText>,
    pub(super) date: Option<ScalarText>,
    pub(super) updated: Option<ScalarText>,
    pub(super) events: Vec<RawEvent>,
}

/// One entry of `events:` as written.
#[derive(Debug)]
pub(super) struct RawEvent {
    pub(super) date: ScalarText,
    pub(super) title: ScalarText,
    pub(super) cites: Vec<ScalarText>,
}

/// A YAML scalar (string, number or boolean) read as text, so `volume: 24` and `volume: "24"` agree.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ScalarText(pub(super) String);

/// A name as written: a string (`"Family, Given"`, see [`Name`]) or a map of its parts.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum RawName {
    Text(ScalarText),
    Parts(NameParts),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct NameParts {
    pub(super) family: Option<String>,
    pub(super) given: Option<String>,
    pub(super) particle: Option<String>,
    pub(super) dropping: Option<String>,
    pub(super) suffix: Option<String>,
    /// An organisation's (or one-name person's) whole name.
    pub(super) name: Option<String>,
}

impl NameParts {
    /// The part a map's key names (`family`, `given`, …), or `None` for a key no name has.
    pub(super) fn part(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "family" => &mut self.family,
            "given" => &mut self.given,
            "particle" => &mut self.particle,
            "dropping" => &mut self.dropping,
            "suffix" => &mut self.suffix,
            "name" => &mut self.name,
            _ => return None,
        })
    }
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

/// A trimmed, non-empty text; a NUL (YAML's `"\0"`) becomes U+FFFD, as in a body.
pub(super) fn text_of(s: Option<ScalarText>) -> Option<String> {
    s.map(|s| s.0.trim().replace('\0', "\u{FFFD}"))
        .filter(|s| !s.is_empty())
}
