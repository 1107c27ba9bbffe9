//! Small gloss sites written into a temporary folder for the integration tests, built with the
//! library; shared by `tests/links.rs` and `tests/publish.rs`.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// The repository root, which is also the bundled review's site root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site root in a temporary folder, with the bundled default theme copied in.
pub struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// A site with this `site.yaml` and the default theme.
    pub fn new(site_yaml: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        let fixture = Fixture { dir };
        copy_dir(
            &repo_root().join("themes/default"),
            &fixture.root().join("themes/default"),
        );
        fixture.write("site.yaml", site_yaml)
    }

    /// The site root.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Writes a file below the site root, creating its folders.
    pub fn write(self, rel: &str, text: &str) -> Fixture {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Writes a binary file below the site root, creating its folders.
    pub fn write_bytes(self, rel: &str, bytes: &[u8]) -> Fixture {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, bytes).expect("write a fixture file");
        self
    }

    /// Builds the site with `base_url` into a fresh folder beside the site root; returns it.
    pub fn build(&self, base_url: &str) -> PathBuf {
        let out = self.dir.path().join(format!("out-{}", slug(base_url)));
        build_site(&self.root(), &out, base_url);
        out
    }
}

/// Builds the site at `root` into `out` with the library, panicking with every diagnostic.
pub fn build_site(root: &Path, out: &Path, base_url: &str) {
    let options = gloss::BuildOptions {
        load: gloss::LoadOptions {
            root: root.to_path_buf(),
            base_url: Some(base_url.to_string()),
        },
        out: out.to_path_buf(),
    };
    if let Err(e) = gloss::build(&options) {
        panic!(
            "building {} with --base-url {base_url} failed: {e:?}",
            root.display()
        );
    }
}

/// Builds the bundled review (the repository root) with `base_url` into a new temporary folder.
/// Returns the folder (keep it alive) and the output path inside it.
pub fn build_review(base_url: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("public");
    build_site(&repo_root(), &out, base_url);
    (dir, out)
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the theme");
        let target = to.join(entry.path().strip_prefix(from).expect("below the theme"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy a theme file");
        }
    }
}

/// A minimal but complete site: a home page, a dated theme, a dated source, an undated source
/// and an undated page. The home page links the page, so nothing is an orphan.
pub fn small_site(site_yaml: &str) -> Fixture {
    Fixture::new(site_yaml)
        .write(
            "content/_index.md",
            "---\ntitle: \"Home\"\nsummary: \"A fixture review.\"\n---\n\nSee [[method]] and [[trust|the trust theme]].\n",
        )
        .write(
            "content/method.md",
            "---\ntitle: \"Method\"\n---\n\n## How it was made\n\nFrom [@doe2020] and [the theme](themes/trust.md#a-section).\n",
        )
        .write(
            "content/themes/trust.md",
            "---\ntitle: \"Trust\"\nsummary: \"Trust & its limits.\"\ndate: 2024-03-01\nupdated: 2024-05-02\n---\n\n## A section\n\nAs @doe2020 says, and [@roe2019].\n",
        )
        .write(
            "content/sources/doe2020.md",
            "---\ntype: article\ntitle: \"On <trust>\"\nauthors: [\"Doe, J.\"]\nyear: 2020\ncontainer: \"Journal\"\ndate: 2024-04-15\ntags: [trust]\n---\n\nAn annotation citing [@roe2019].\n",
        )
        .write(
            "content/sources/roe2019.md",
            "---\ntype: book\ntitle: \"Undated note\"\nauthors: [\"Roe, R.\"]\nyear: 2019\npublisher: \"Press\"\ntags: [trust, other-tag]\n---\n\nNo date in the front matter.\n",
        )
}
