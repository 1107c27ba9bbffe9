//! `site.yaml`: the raw file (unknown keys rejected) and the validated [`Config`] built from it.

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::yaml_diagnostic;
use crate::layout::{CONFIG_FILE, SiteLayout};

mod implied;
mod zotero;

pub use zotero::{CollectionThemes, ZoteroConfig};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    publish: Publish,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    content_dir: Option<String>,
    #[serde(default)]
    sources: Option<Vec<String>>,
    #[serde(default)]
    themes: Option<Vec<String>>,
    #[serde(default)]
    strict: Option<bool>,
    #[serde(default)]
    bibliography: Vec<String>,
    #[serde(default)]
    home: Option<String>,
    #[serde(default)]
    hard_line_breaks: Option<bool>,
    #[serde(default)]
    citation_style: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    search: Option<bool>,
    #[serde(default)]
    unsafe_html: bool,
    #[serde(default)]
    zotero: zotero::RawZotero,
}

/// Which notes are published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Publish {
    /// `explicit` when any note says `publish: true` (a vault that marks what it publishes, as
    /// Obsidian Publish and Quartz's ExplicitPublish vaults do), else `all`.
    #[default]
    Auto,
    /// Every note but drafts and notes with `publish: false`.
    All,
    /// Only notes with `publish: true` (as Obsidian Publish and Quartz's ExplicitPublish do).
    Explicit,
}

/// Where a site's settings come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Its `site.yaml`.
    SiteYaml,
    /// No `site.yaml`: the folder is an Obsidian vault (it has `.obsidian/`), built with the
    /// defaults and `content_dir: .`.
    Vault,
    /// No `site.yaml`: a Quartz site (`quartz.config.ts` beside `content/`), its notes in
    /// `content/`, its title and base URL read from Quartz's configuration when it gives them.
    Quartz,
    /// No `site.yaml`: a Hugo site (`hugo.toml` or `config.toml` beside `content/`; Quartz 3 is
    /// one), its notes in `content/`, its title and base URL from its configuration.
    Hugo,
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL ending in `/`, e.g. `https://someone.github.io/review/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (`/review/`, or `/`).
    pub base_path: String,
    pub theme: String,
    pub language: String,
    pub cname: Option<String>,
    pub publish: Publish,
    /// gitignore-style patterns, relative to `content/`, of files never read, each with its line
    /// in site.yaml (for messages).
    pub ignore: Vec<(String, usize)>,
    /// The folder of the notes, relative to the root (`content`, or `.` for a vault whose root
    /// is the site's); `None`: `content/` when it exists, else the root.
    pub content_dir: Option<String>,
    /// The line of `content_dir:` in site.yaml (0 when not given), for messages.
    pub content_dir_line: usize,
    /// Folders (relative to the content folder) whose notes are sources, and themes.
    pub source_dirs: Vec<String>,
    pub theme_dirs: Vec<String>,
    /// `strict:` as site.yaml says. `Some(true)`: every warning is an error (for CI);
    /// `Some(false)`: a note that cannot be read is left out with a warning; `None` (the default):
    /// such a note is an error, and what Obsidian shows as unresolved (a missing note, heading
    /// or attachment) is a warning.
    pub strict: Option<bool>,
    /// Bibliography files (BibTeX, BibLaTeX, CSL-JSON) whose entries are citable sources, each
    /// with its line in site.yaml.
    pub bibliography: Vec<(String, usize)>,
    /// The home page's note, relative to the content folder, when it is not `_index.md`.
    pub home: Option<String>,
    /// A single newline in a paragraph is a line break (Obsidian's default); `None`: as the
    /// vault's `.obsidian/app.json` says, else not.
    pub hard_line_breaks: Option<bool>,
    /// Raw HTML in notes (and heading attributes) published as written, scripts and all; by
    /// default it is cleaned of everything that could run in a reader's browser.
    pub unsafe_html: bool,
    /// The citation style as site.yaml names it (`apa`, the default; a bundled CSL style; or a
    /// `.csl` file relative to the root), with its line (0 when not given).
    pub citation_style: (String, usize),
    /// The CSL locale (`en-GB`, `de-DE`) with its line; `None`: the style's own, else en-US.
    pub locale: Option<(String, usize)>,
    /// Whether the site has full-text search (its index and search box); `search: false` in
    /// site.yaml turns it off.
    pub search: bool,
    /// A `site.yaml`, or the defaults of a vault or Quartz site that has none.
    pub origin: Origin,
    /// `zotero:`: the highlight legend, collections as themes, the folder to watch.
    pub zotero: ZoteroConfig,
}

impl Config {
    /// Reads and validates `site.yaml` in `root`; `base_url` overrides the file's value when given.
    pub fn load(layout: &SiteLayout, base_url: Option<&str>) -> Result<Config> {
        let path = layout.config_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return implied::config(layout.root(), base_url).ok_or_else(|| {
                    Error::Content(vec![Diagnostic::error(
                        CONFIG_FILE,
                        0,
                        0,
                        format!(
                            "no site.yaml in {}: run gloss in a site's folder or an Obsidian vault (a folder with .obsidian/), pass --root DIR, or start one with gloss init",
                            layout.root().display()
                        ),
                    )])
                });
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        Config::parse(&text, base_url).map_err(|d| Error::Content(vec![d]))
    }

    /// Parses the text of `site.yaml` (pure; used by `load` and by tests).
    pub fn parse(
        text: &str,
        base_url_override: Option<&str>,
    ) -> std::result::Result<Config, Diagnostic> {
        let raw: RawConfig =
            yaml_serde::from_str(text).map_err(|e| yaml_diagnostic(CONFIG_FILE, 0, text, &e))?;
        let from_file = base_url_override.is_none();
        let base_url = base_url_override.unwrap_or(&raw.base_url);
        let (base_url, base_path) = normalize_base_url(base_url).map_err(|msg| {
            let line = if from_file {
                key_line(text, "base_url")
            } else {
                0
            };
            let msg = if from_file {
                msg
            } else {
                format!("--base-url: {msg}")
            };
            Diagnostic::error(CONFIG_FILE, line, if line > 0 { 1 } else { 0 }, msg)
        })?;
        if raw.title.trim().is_empty() {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                key_line(text, "title"),
                1,
                "`title` must not be empty",
            ));
        }
        let theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                key_line(text, "theme"),
                1,
                format!("`theme: {theme}` must be the name of a folder in themes/"),
            ));
        }
        let language = raw.language.unwrap_or_else(|| "en".to_string());
        if let Err(why) = language_tag(&language) {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                key_line(text, "language"),
                1,
                format!(
                    "`language: {}` is not a language tag ({why}): write one as BCP 47 does, e.g. en, en-GB, de-AT, zh-Hant-TW",
                    language.escape_debug()
                ),
            ));
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            theme,
            language,
            cname: raw.cname.filter(|c| !c.trim().is_empty()),
            publish: raw.publish,
            ignore: lines_of(text, "ignore", raw.ignore),
            content_dir: raw
                .content_dir
                .map(|d| d.trim().trim_end_matches('/').to_string())
                .filter(|d| !d.is_empty()),
            content_dir_line: key_line(text, "content_dir"),
            source_dirs: folders(raw.sources, "sources"),
            theme_dirs: folders(raw.themes, "themes"),
            strict: raw.strict,
            bibliography: lines_of(text, "bibliography", raw.bibliography),
            home: raw.home.filter(|h| !h.trim().is_empty()),
            hard_line_breaks: raw.hard_line_breaks,
            unsafe_html: raw.unsafe_html,
            citation_style: match raw.citation_style.map(|s| s.trim().to_string()) {
                Some(style) if !style.is_empty() => (style, key_line(text, "citation_style")),
                _ => ("apa".to_string(), 0),
            },
            locale: raw
                .locale
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .map(|l| (l, key_line(text, "locale"))),
            search: raw.search.unwrap_or(true),
            origin: Origin::SiteYaml,
            zotero: raw.zotero.validate(),
        })
    }
}

/// Checks that `tag` is a well-formed BCP 47 language tag (RFC 5646's syntax, not its
/// registry): subtags of 1 to 8 ASCII letters and digits joined by `-`, the first 2 to 8
/// letters (or `x` for a private-use tag), at most 64 characters; else says what is wrong. The
/// tag goes into every page's `lang` attribute and chooses the search index's stemmer.
pub(crate) fn language_tag(tag: &str) -> std::result::Result<(), String> {
    if tag.is_empty() {
        return Err("it is empty".into());
    }
    if tag.len() > 64 {
        return Err("it is longer than 64 characters".into());
    }
    for (i, sub) in tag.split('-').enumerate() {
        if sub.is_empty() {
            return Err("it has an empty part between hyphens".into());
        }
        if !sub.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "`{}` holds something other than ASCII letters and digits",
                sub.escape_debug()
            ));
        }
        if sub.len() > 8 {
            return Err(format!("`{sub}` is longer than 8 characters"));
        }
        let letters = sub.chars().all(|c| c.is_ascii_alphabetic());
        if i == 0 && !(letters && (sub.len() >= 2 || sub.eq_ignore_ascii_case("x"))) {
            return Err(format!(
                "it must start with a language code of letters, not `{sub}`"
            ));
        }
    }
    Ok(())
}

/// Folder names as given (`sources: [literature-notes]`), without slashes around them; the
/// default when none are given.
fn folders(given: Option<Vec<String>>, default: &str) -> Vec<String> {
    match given {
        Some(list) => list
            .into_iter()
            .map(|f| f.trim().trim_matches('/').to_string())
            .filter(|f| !f.is_empty())
            .collect(),
        None => vec![default.to_string()],
    }
}

/// Each of `values`, listed under the top-level `key:`, with the 1-based line it is on (or the
/// key's own line when it cannot be found, as in a one-line `[a, b]` list).
fn lines_of(text: &str, key: &str, values: Vec<String>) -> Vec<(String, usize)> {
    let start = key_line(text, key);
    let lines: Vec<&str> = text.lines().collect();
    let mut from = start;
    values
        .into_iter()
        .map(|value| {
            let found = (from..lines.len()).find(|&i| lines[i].contains(value.as_str()));
            if let Some(i) = found {
                from = i + 1;
            }
            let line = found.map_or(start, |i| i + 1);
            (value, line)
        })
        .collect()
}

/// The 1-based line of a top-level `key:` in a YAML text, or 0.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

/// Checks an absolute http(s) URL (parsed by the `url` crate, so hosts and paths come out in
/// their canonical, encoded form) and returns it with a trailing slash, plus its path.
pub fn normalize_base_url(url: &str) -> std::result::Result<(String, String), String> {
    let text = url.trim();
    let example = "e.g. https://someone.github.io/review/";
    if !text.starts_with("http://") && !text.starts_with("https://") {
        return Err(format!(
            "base_url `{text}` must be an absolute http:// or https:// URL, {example}"
        ));
    }
    if text.contains([' ', '"', '<', '>', '\\']) {
        return Err(format!(
            "base_url `{text}` must not contain spaces, quotes or backslashes"
        ));
    }
    let parsed = url::Url::parse(text)
        .map_err(|e| format!("base_url `{text}` is not a valid URL ({e}), {example}"))?;
    // `https:///x` would parse with `x` as its host.
    let authority = text.split_once("://").map_or("", |(_, rest)| rest);
    if authority.starts_with('/') || parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("base_url `{text}` has no host name"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base_url `{text}` must not contain a query or a fragment"
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("base_url `{text}` must not contain a user name"));
    }
    let mut path = parsed.path().to_string();
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    let origin = parsed.origin().ascii_serialization();
    Ok((format!("{origin}{path}"), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            normalize_base_url("https://x.github.io/review").unwrap(),
            (
                "https://x.github.io/review/".to_string(),
                "/review/".to_string()
            )
        );
        assert_eq!(normalize_base_url("http://localhost:1111").unwrap().1, "/");
        assert!(normalize_base_url("x.github.io/review").is_err());
        assert!(normalize_base_url("https:///review").is_err());
        assert!(normalize_base_url("https://x.org/r?q=1").is_err());
        assert!(normalize_base_url("https://me:pw@x.org/").is_err());
        // Canonical forms: a lower-case host, an encoded path, the default port dropped.
        assert_eq!(
            normalize_base_url("https://Example.ORG:443/Revue//née").unwrap(),
            (
                "https://example.org/Revue/n%C3%A9e/".to_string(),
                "/Revue/n%C3%A9e/".to_string()
            )
        );
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err =
            Config::parse("title: T\nbase_url: https://e.org/\ntheem: x\n", None).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("theem"), "{}", err.message);
    }

    #[test]
    fn language_tags_are_bcp47_or_an_error_on_their_line() {
        for good in [
            "en",
            "de-AT",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "x-private",
            "es-419",
        ] {
            assert_eq!(language_tag(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "e",
            "1a",
            "en_",
            "en--GB",
            "zh-Hant-TW-x-private-extension1",
            "en\"><s>",
        ] {
            assert!(language_tag(bad).is_err(), "{bad}");
        }
        let err = Config::parse(
            "title: T\nbase_url: https://e.org/\nlanguage: \"en x\"\n",
            None,
        )
        .unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
        assert!(
            err.message.contains("not a language tag"),
            "{}",
            err.message
        );
    }

    #[test]
    fn defaults_apply() {
        let c = Config::parse("title: T\nbase_url: https://e.org/r\n", None).unwrap();
        assert_eq!(
            (c.theme.as_str(), c.language.as_str(), c.base_path.as_str()),
            ("default", "en", "/r/")
        );
    }
}
