//! The settings of a folder that has no `site.yaml` but is plainly a site: an Obsidian vault (a
//! `.obsidian/` folder) built as it is, or a Quartz site (`quartz.config.ts` beside `content/`).

use std::path::Path;

use super::{Config, Origin};

/// Where a build without a `site.yaml` is viewed: a local web server on the output folder
/// (`python3 -m http.server -d public`); `--base-url` gives the real one.
const LOCAL_URL: &str = "http://localhost:8000/";

/// The configuration of the folder at `root` when it is a vault or a Quartz site with no
/// `site.yaml`; `None` when it is neither.
pub(super) fn config(root: &Path, base_url: Option<&str>) -> Option<Config> {
    let name = folder_name(root);
    let (origin, content_dir, title, url) = if root.join(".obsidian").is_dir() {
        (Origin::Vault, ".", name, None)
    } else if root.join("quartz.config.ts").is_file() && root.join("content").is_dir() {
        let quartz = std::fs::read_to_string(root.join("quartz.config.ts")).unwrap_or_default();
        let title = setting(&quartz, "pageTitle").unwrap_or(name);
        let url = setting(&quartz, "baseUrl").map(|u| match u.contains("://") {
            true => u,
            false => format!("https://{u}"),
        });
        (Origin::Quartz, "content", title, url)
    } else {
        return None;
    };
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let url = url
        .filter(|u| super::normalize_base_url(u).is_ok())
        .unwrap_or_else(|| LOCAL_URL.to_string());
    let yaml = format!(
        "title: {}\nbase_url: {}\ncontent_dir: {content_dir}\n",
        quoted(&title),
        quoted(&url)
    );
    let config = Config::parse(&yaml, base_url).ok()?;
    Some(Config { origin, ..config })
}

/// The folder's own name, as the vault's name ("Notes" when it has none to give).
fn folder_name(root: &Path) -> String {
    std::fs::canonicalize(root)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Notes".to_string())
}

/// A string setting of `quartz.config.ts` (`pageTitle: "My garden",`), read as text: the file
/// is TypeScript, never run.
fn setting(config: &str, name: &str) -> Option<String> {
    let line = config
        .lines()
        .map(str::trim_start)
        .find(|l| l.strip_prefix(name).is_some_and(|r| r.starts_with(':')))?;
    let value = line[name.len() + 1..].trim().trim_end_matches(',').trim();
    let quote = value
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = value[1..].strip_suffix(quote)?;
    Some(inner.trim().to_string()).filter(|v| !v.is_empty() && !v.contains("${"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartz_settings_are_read_as_text() {
        let ts = "  configuration: {\n    pageTitle: \"🪴 My garden\",\n    baseUrl: 'garden.example.org',\n    pageTitleSuffix: \"\",\n";
        assert_eq!(setting(ts, "pageTitle").as_deref(), Some("🪴 My garden"));
        assert_eq!(
            setting(ts, "baseUrl").as_deref(),
            Some("garden.example.org")
        );
        assert_eq!(setting(ts, "locale"), None);
        assert_eq!(setting("baseUrl: `${host}/x`,", "baseUrl"), None);
    }

    #[test]
    fn a_folder_that_is_neither_has_no_implied_settings() {
        let dir = tempfile::tempdir().unwrap();
        assert!(config(dir.path(), None).is_none());
        std::fs::create_dir(dir.path().join(".obsidian")).unwrap();
        let vault = config(dir.path(), None).unwrap();
        assert_eq!(vault.origin, Origin::Vault);
        assert_eq!(vault.content_dir.as_deref(), Some("."));
        assert_eq!(vault.base_url, LOCAL_URL);
    }
}
