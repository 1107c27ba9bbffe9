//! `zotero:` in site.yaml: the highlight colours' legend, collections as themes, and the data
//! folder `gloss serve` watches.

use serde::Deserialize;

/// `zotero:` in site.yaml, for `gloss import --zotero` and `gloss serve --zotero`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawZotero {
    #[serde(default)]
    colors: yaml_serde::Mapping,
    #[serde(default)]
    collections_as_themes: Option<RawThemes>,
    #[serde(default)]
    watch: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawThemes {
    All(bool),
    Map(yaml_serde::Mapping),
}

/// What `gloss import --zotero` takes from site.yaml's `zotero:`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoteroConfig {
    /// The highlight colours' legend, in the order given: `#rrggbb` (lower case) → label. With
    /// one, annotations are grouped under their colour's label.
    pub colors: Vec<(String, String)>,
    pub collections_as_themes: CollectionThemes,
    /// The data folder `gloss serve` watches to import again when Zotero changes.
    pub watch: Option<String>,
}

/// Which Zotero collections become theme tags of their items.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum CollectionThemes {
    #[default]
    None,
    /// Every collection, as a tag of its path (`Thesis/Chapter 2` → `thesis/chapter-2`).
    All,
    /// Collection path → theme; a collection's sub-collections count as it.
    Map(Vec<(String, String)>),
}

/// Zotero's colour names (its highlight palette), as the legend may name them.
const PALETTE: &[(&str, &str)] = &[
    ("yellow", "#ffd400"),
    ("red", "#ff6666"),
    ("green", "#5fb236"),
    ("blue", "#2ea8e5"),
    ("purple", "#a28ae5"),
    ("magenta", "#e56eee"),
    ("orange", "#f19837"),
    ("gray", "#aaaaaa"),
];

/// A mapping's scalar pairs as strings, in order.
fn pairs(map: &yaml_serde::Mapping) -> Vec<(String, String)> {
    let scalar = |v: &yaml_serde::Value| match v {
        yaml_serde::Value::String(s) => Some(s.trim().to_string()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        yaml_serde::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    map.iter()
        .filter_map(|(k, v)| Some((scalar(k)?, scalar(v)?)))
        .collect()
}

impl RawZotero {
    pub(super) fn validate(self) -> ZoteroConfig {
        let colors = pairs(&self.colors)
            .into_iter()
            .map(|(color, label)| {
                let color = color.to_lowercase();
                let hex = PALETTE
                    .iter()
                    .find(|(name, _)| *name == color)
                    .map_or(color, |(_, hex)| hex.to_string());
                (hex, label)
            })
            .collect();
        let collections_as_themes = match self.collections_as_themes {
            None | Some(RawThemes::All(false)) => CollectionThemes::None,
            Some(RawThemes::All(true)) => CollectionThemes::All,
            Some(RawThemes::Map(map)) => CollectionThemes::Map(pairs(&map)),
        };
        ZoteroConfig {
            colors,
            collections_as_themes,
            watch: self.watch.filter(|w| !w.trim().is_empty()),
        }
    }
}
