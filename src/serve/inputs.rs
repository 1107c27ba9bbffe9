//! What `gloss serve` watches: the inputs `site.yaml` names (the notes' folder, `templates/`,
//! `themes/`, `static/`, the bibliography and style files), and which changed paths among the
//! file system's events can affect a build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::build::configure;
use crate::layout::{CONFIG_FILE, INPUT_DIRS, OUTPUT_DIR, SiteLayout};

/// What a build reads, as the watcher sees it: folders (relative to the root; `.` is the root
/// itself, when the notes live there) and single files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Inputs {
    pub(super) dirs: Vec<String>,
    pub(super) files: Vec<String>,
}

impl Inputs {
    /// The inputs `site.yaml` names (the default folders while it does not parse).
    pub(super) fn of(root: &Path) -> Inputs {
        let (layout, config) = match configure(root, None) {
            Ok((layout, config)) => (layout, Some(config)),
            Err(_) => (SiteLayout::new(root), None),
        };
        let mut dirs = vec![layout.content().trim_end_matches('/').to_string()];
        dirs.extend(INPUT_DIRS[1..].iter().map(|d| d.to_string()));
        dirs.dedup();
        let mut files = vec![CONFIG_FILE.to_string()];
        if let Some(config) = &config {
            let style = &config.citation_style.0;
            let style = style
                .to_ascii_lowercase()
                .ends_with(".csl")
                .then_some(style);
            files.extend(
                config
                    .bibliography
                    .iter()
                    .map(|(name, _)| name)
                    .chain(style)
                    .map(|name| name.trim_start_matches("./").to_string()),
            );
        }
        Inputs { dirs, files }
    }

    /// The folders of the input files that no watched folder holds (`styles/` for
    /// `styles/mine.csl`, or a folder outside the site), each watched on its own.
    pub(super) fn file_folders(&self, root: &Path) -> BTreeSet<PathBuf> {
        self.files
            .iter()
            .filter(|f| !self.holds_folder_of(f))
            .filter_map(|f| root.join(f).parent()?.canonicalize().ok())
            .filter(|dir| dir != root)
            .collect()
    }

    /// Whether a recursively watched input folder holds file `rel`.
    fn holds_folder_of(&self, rel: &str) -> bool {
        let parts: Vec<String> = rel.split('/').map(str::to_string).collect();
        parts.len() > 1 && !rel.starts_with("../") && {
            let folder = &parts[..parts.len() - 1];
            self.at_root() || self.holds(folder)
        }
    }

    pub(super) fn at_root(&self) -> bool {
        self.dirs.iter().any(|d| d == ".")
    }

    /// Whether a path relative to the root (in parts) is an input.
    fn holds(&self, parts: &[String]) -> bool {
        let rel = parts.join("/");
        if self.files.contains(&rel) {
            return true;
        }
        if parts.iter().any(|p| p.starts_with('.')) {
            return false;
        }
        if self.at_root() {
            return parts.first().is_some_and(|first| first != OUTPUT_DIR);
        }
        self.dirs
            .iter()
            .any(|d| rel == *d || rel.starts_with(&format!("{d}/")))
    }
}

/// `path` relative to `root` if a change there can affect the build, else `None`.
pub(super) fn relevant(root: &Path, path: &Path, inputs: &Inputs) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if !inputs.holds(&parts) || parts.last().is_some_and(|name| is_editor_temp(name)) {
        return None;
    }
    Some(parts.join("/"))
}

/// Files editors write while saving, and never part of a site: vim's swap and probe files,
/// Emacs lock and autosave files, JetBrains' and gedit's temporaries, backup files.
pub(super) fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name.starts_with(".goutputstream-")
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            "x.md~",
            "4913",
            ".#x.md",
            "#x.md#",
            ".x.md.swp",
            "x.md___jb_tmp___",
            ".goutputstream-AB12",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["x.md", "style.css", "photo.png", ".htaccess"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    fn inputs(dirs: &[&str], files: &[&str]) -> Inputs {
        Inputs {
            dirs: dirs.iter().map(|d| d.to_string()).collect(),
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn a_vault_at_the_root_is_watched_but_its_hidden_folders_and_output_are_not() {
        let root = Path::new("/vault");
        let vault = inputs(&[".", "templates"], &["site.yaml", "library.bib"]);
        let at = |p: &str| relevant(root, Path::new(p), &vault);
        assert_eq!(at("/vault/My Note.md").as_deref(), Some("My Note.md"));
        assert_eq!(
            at("/vault/Literature/@k.md").as_deref(),
            Some("Literature/@k.md")
        );
        assert_eq!(at("/vault/library.bib").as_deref(), Some("library.bib"));
        assert_eq!(at("/vault/.obsidian/workspace.json"), None);
        assert_eq!(at("/vault/.git/index"), None);
        assert_eq!(at("/vault/public/index.html"), None);
        let notes = inputs(&["notes", "templates"], &["site.yaml", "refs.json"]);
        assert_eq!(
            relevant(root, Path::new("/vault/notes/a.md"), &notes).as_deref(),
            Some("notes/a.md")
        );
        assert_eq!(
            relevant(root, Path::new("/vault/content/a.md"), &notes),
            None
        );
        assert_eq!(
            relevant(root, Path::new("/vault/refs.json"), &notes).as_deref(),
            Some("refs.json")
        );
    }

    #[test]
    fn the_style_file_and_the_folders_of_input_files_are_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for folder in ["content", "styles", "refs"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\ncitation_style: styles/Mine.CSL\nbibliography: [refs/a.bib, content/b.bib, c.json]\n",
        )
        .unwrap();
        let inputs = Inputs::of(&root);
        for file in ["styles/Mine.CSL", "refs/a.bib", "content/b.bib", "c.json"] {
            assert!(
                inputs.files.contains(&file.to_string()),
                "{file}: {inputs:?}"
            );
        }
        let folders: Vec<PathBuf> = inputs.file_folders(&root).into_iter().collect();
        assert_eq!(folders, [root.join("refs"), root.join("styles")]);
        let at = |p: &str| relevant(&root, &root.join(p), &inputs);
        assert_eq!(at("styles/Mine.CSL").as_deref(), Some("styles/Mine.CSL"));
        assert_eq!(at("styles/other.csl"), None);
    }

    #[test]
    fn only_site_inputs_are_relevant() {
        let root = Path::new("/site");
        let site = inputs(
            &["content", "templates", "themes", "static"],
            &["site.yaml"],
        );
        let relevant = |root: &Path, path: &Path| super::relevant(root, path, &site);
        assert_eq!(
            relevant(root, Path::new("/site/site.yaml")).as_deref(),
            Some("site.yaml")
        );
        assert_eq!(
            relevant(root, Path::new("/site/content/sources/a.md")).as_deref(),
            Some("content/sources/a.md")
        );
        assert_eq!(
            relevant(root, Path::new("/site/content")).as_deref(),
            Some("content")
        );
        assert_eq!(relevant(root, Path::new("/site/public/index.html")), None);
        assert_eq!(
            relevant(root, Path::new("/site/content/sources/.a.md.swp")),
            None
        );
        assert_eq!(relevant(root, Path::new("/elsewhere/site.yaml")), None);
        assert_eq!(relevant(root, Path::new("/site/notes/site.yaml")), None);
    }
}
