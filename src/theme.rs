//! The built-in theme, compiled into the binary from `themes/default/`: gloss needs no file of
//! its repository to build a site. A site's `themes/<name>/` folder, when present, overrides it
//! file by file, and `gloss theme eject` writes it out for editing.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};

/// `themes/default/` as it was when gloss was built.
static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the built-in theme.
pub(crate) const BUILT_IN: &str = "default";

/// Every file of the built-in theme below `sub` (`templates` or `static`), sorted by path, as
/// (path relative to `sub` with `/` separators, bytes).
pub(crate) fn files(sub: &str) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    if let Some(dir) = DEFAULT.get_dir(sub) {
        collect(dir, sub, &mut out);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn collect(dir: &'static Dir<'static>, sub: &str, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(sub).unwrap_or(file.path());
        out.push((rel.to_string_lossy().replace('\\', "/"), file.contents()));
    }
    for child in dir.dirs() {
        collect(child, sub, out);
    }
}

/// Writes the built-in theme into `dir` (normally `themes/default/`), refusing to overwrite
/// anything: returns the files written, or the files that already exist.
pub fn eject(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    for sub in ["templates", "static"] {
        for (rel, bytes) in files(sub) {
            all.push((dir.join(sub).join(rel), bytes));
        }
    }
    let existing: Vec<String> = all
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "{} already holds theme files ({}); gloss never overwrites a file: move them away or eject into another folder",
            dir.display(),
            existing.join(", ")
        )));
    }
    for (path, bytes) in &all {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))?;
    }
    Ok(all.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_its_templates_and_styles() {
        let templates: Vec<String> = files("templates").into_iter().map(|f| f.0).collect();
        for name in [
            "base.html",
            "page.html",
            "source.html",
            "atom.xml",
            "partials/tags.html",
        ] {
            assert!(
                templates.iter().any(|t| t == name),
                "{name} in {templates:?}"
            );
        }
        assert!(files("static").iter().any(|f| f.0 == "style.css"));
    }

    #[test]
    fn eject_writes_every_file_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("themes/default");
        let written = eject(&target).unwrap();
        assert!(target.join("templates/base.html").is_file());
        assert_eq!(
            written.len(),
            files("templates").len() + files("static").len()
        );
        std::fs::write(target.join("static/style.css"), "/* mine */").unwrap();
        let err = eject(&target).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            std::fs::read_to_string(target.join("static/style.css")).unwrap(),
            "/* mine */"
        );
    }
}
