//! Where everything of a site lives, derived from its root in one place: `site.yaml`,
//! `content/`, the theme's folders, the site's `templates/` and `static/`, and `public/`.

use std::path::{Path, PathBuf};

/// The site configuration's file name, relative to the root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";
/// The folder of the notes, relative to the root.
pub(crate) const CONTENT_DIR: &str = "content";
/// The site's own templates, overriding the theme's by name.
pub(crate) const TEMPLATES_DIR: &str = "templates";
/// The site's own static files, copied over the theme's.
pub(crate) const STATIC_DIR: &str = "static";
/// The folder of installed themes.
pub(crate) const THEMES_DIR: &str = "themes";
/// The default output folder.
pub(crate) const OUTPUT_DIR: &str = "public";

/// The folders under the root whose contents feed a build (watched by `gloss serve`, never
/// usable as an output folder).
pub(crate) const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, THEMES_DIR, STATIC_DIR];

/// The paths of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLayout {
    root: PathBuf,
    /// The notes' folder relative to the root: `content`, or `.` when the root is the folder of
    /// notes (an Obsidian vault with a site.yaml at its top).
    content: String,
}

impl SiteLayout {
    pub fn new(root: impl Into<PathBuf>) -> SiteLayout {
        SiteLayout {
            root: root.into(),
            content: CONTENT_DIR.to_string(),
        }
    }

    /// The layout with the notes' folder `site.yaml` names (`content/` when it names none: a
    /// vault at the root says `content_dir: .`, so a lost `content/` is never read as one).
    pub fn with_content(mut self, configured: Option<&str>) -> SiteLayout {
        self.content = match configured {
            Some(dir) => dir.trim_end_matches('/').to_string(),
            None => CONTENT_DIR.to_string(),
        };
        if self.content.is_empty() {
            self.content = ".".to_string();
        }
        self
    }

    /// The notes' folder relative to the root (`content`, `notes`, or `.`).
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Whether the notes live at the root (their folder is the site's folder).
    pub fn content_is_root(&self) -> bool {
        self.content == "."
    }

    /// A note's path relative to the root, from its path relative to the notes' folder.
    pub fn note_path(&self, rel: &str) -> String {
        if self.content_is_root() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.content)
        }
    }

    /// The notes' folder as messages name it (`content/`, or `./`).
    /// The notes' folder as messages name it: `content/`, or "the site's folder".
    pub fn content_name(&self) -> String {
        match self.content_is_root() {
            true => "the site's folder".to_string(),
            false => format!("{}/", self.content),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn content_dir(&self) -> PathBuf {
        if self.content_is_root() {
            self.root.clone()
        } else {
            self.root.join(&self.content)
        }
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC_DIR)
    }

    /// `themes/<theme>/`.
    pub fn theme_dir(&self, theme: &str) -> PathBuf {
        self.root.join(THEMES_DIR).join(theme)
    }

    /// The default output folder, `public/`.
    pub fn default_out(&self) -> PathBuf {
        self.root.join(OUTPUT_DIR)
    }

    /// A path relative to the root, with `/` separators (for messages), or the path itself.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_may_live_in_content_or_at_the_root() {
        let dir = tempfile::tempdir().unwrap();
        // Without a content/ folder the root is still not read as one unless site.yaml says so.
        let layout = SiteLayout::new(dir.path()).with_content(None);
        assert!(!layout.content_is_root());
        assert_eq!(layout.note_path("sources/x.md"), "content/sources/x.md");
        let layout = SiteLayout::new(dir.path()).with_content(Some("."));
        assert!(layout.content_is_root());
        assert_eq!(layout.note_path("My Note.md"), "My Note.md");
        assert_eq!(layout.content_name(), "the site's folder");
        let layout = SiteLayout::new(dir.path()).with_content(Some("notes"));
        assert_eq!(layout.note_path("a.md"), "notes/a.md");
        assert_eq!(layout.content_dir(), dir.path().join("notes"));
    }
}
