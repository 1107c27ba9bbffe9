//! The library a vault already holds, for a site whose `site.yaml` names none: the file the
//! Obsidian Citations plugin reads (`citationExportPath`), else the one library file at the
//! vault's top (`references.bib`) or in its `.pandoc/` folder (where Pandoc plugins keep Zotero's
//! export).

use std::path::Path;

use crate::layout::SiteLayout;

/// The library file of the vault in `layout`'s notes' folder, relative to the site root, when
/// there is exactly one to choose.
pub(super) fn find(layout: &SiteLayout) -> Option<String> {
    let dir = layout.content_dir();
    let rel = |name: &str| match layout.content_is_root() {
        true => name.to_string(),
        false => format!("{}/{name}", layout.content()),
    };
    if let Some(named) = citations_plugin(&dir) {
        return Some(rel(&named));
    }
    let mut found: Vec<String> = files(&dir, &["bib"]);
    found.extend(
        files(&dir.join(".pandoc"), &["bib", "json", "yaml", "yml"])
            .into_iter()
            .map(|name| format!(".pandoc/{name}")),
    );
    match found.as_slice() {
        [one] => Some(rel(one)),
        _ => None,
    }
}

/// The library the Citations plugin's settings name, when it is a file inside the vault.
fn citations_plugin(dir: &Path) -> Option<String> {
    let settings = dir.join(".obsidian/plugins/obsidian-citation-plugin/data.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(settings).ok()?).ok()?;
    let path = value["citationExportPath"].as_str()?.trim();
    let path = path.trim_start_matches("./");
    let inside = !path.is_empty() && !Path::new(path).is_absolute() && !path.contains("..");
    (inside && dir.join(path).is_file()).then(|| path.replace('\\', "/"))
}

/// The names of the files in `dir` with one of `extensions`, sorted.
fn files(dir: &Path, extensions: &[&str]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let lower = name.to_lowercase();
            extensions.iter().any(|x| lower.ends_with(&format!(".{x}")))
        })
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_library_is_found_two_are_not_chosen_between() {
        let dir = tempfile::tempdir().unwrap();
        let layout = SiteLayout::new(dir.path()).with_content(Some("content"));
        let notes = dir.path().join("content");
        std::fs::create_dir_all(notes.join(".pandoc")).unwrap();
        assert_eq!(find(&layout), None);
        std::fs::write(notes.join(".pandoc/apa.csl"), "").unwrap();
        std::fs::write(notes.join(".pandoc/zotero.json"), "[]").unwrap();
        assert_eq!(
            find(&layout).as_deref(),
            Some("content/.pandoc/zotero.json")
        );
        std::fs::write(notes.join("references.bib"), "").unwrap();
        assert_eq!(find(&layout), None);
        std::fs::create_dir_all(notes.join(".obsidian/plugins/obsidian-citation-plugin")).unwrap();
        std::fs::write(
            notes.join(".obsidian/plugins/obsidian-citation-plugin/data.json"),
            r#"{"citationExportPath": "references.bib"}"#,
        )
        .unwrap();
        assert_eq!(find(&layout).as_deref(), Some("content/references.bib"));
    }
}
