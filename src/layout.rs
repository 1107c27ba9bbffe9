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
}

impl SiteLayout {
    pub fn new(root: impl Into<PathBuf>) -> SiteLayout {
        SiteLayout { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
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

/// A note's path relative to `content/`, from its path relative to the root
/// (`content/sources/x.md` → `sources/x.md`); only the first `content/` is the folder's.
pub(crate) fn content_relative(path: &str) -> &str {
    path.strip_prefix(CONTENT_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_content_folder_is_stripped() {
        assert_eq!(content_relative("content/sources/x.md"), "sources/x.md");
        assert_eq!(content_relative("content/content/x.md"), "content/x.md");
        assert_eq!(content_relative("contents/x.md"), "contents/x.md");
    }
}
