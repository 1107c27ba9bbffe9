//! The paths `site.yaml` names that lead out of the site (`content_dir`, `bibliography`, a
//! `.csl` `citation_style`), refused unless `--allow-outside`: a build of someone else's site
//! (a pull request in CI) reads nothing but that site's folder.

use std::path::{Component, Path};

use crate::config::Config;
use crate::error::Diagnostic;
use crate::layout::{CONFIG_FILE, SiteLayout};

/// An error for each path of `site.yaml` that is absolute, climbs out with `..`, or leads out
/// through a symbolic link (the notes' folder too, when it is one), each on its line.
pub(super) fn outside(layout: &SiteLayout, config: &Config) -> Vec<Diagnostic> {
    let root = layout.root();
    let mut named: Vec<(&str, &str, usize)> = Vec::new();
    if let Some(dir) = &config.content_dir {
        named.push(("content_dir", dir, config.content_dir_line));
    }
    for (file, line) in &config.bibliography {
        named.push(("bibliography", file, *line));
    }
    let (style, line) = &config.citation_style;
    if style.to_ascii_lowercase().ends_with(".csl") {
        named.push(("citation_style", style, *line));
    }
    let mut diags: Vec<Diagnostic> = named
        .into_iter()
        .filter_map(|(key, value, line)| {
            let why = leaves(root, Path::new(value))?;
            Some(Diagnostic::error(
                CONFIG_FILE,
                line,
                usize::from(line > 0),
                format!(
                    "`{key}: {value}` is outside the site ({why}): gloss reads only the site's folder; move it inside, or build with --allow-outside if you trust it"
                ),
            ))
        })
        .collect();
    if config.content_dir.is_none()
        && let Some(why) = leaves(root, &layout.content_dir())
    {
        diags.push(Diagnostic::error(
            layout.relative(&layout.content_dir()),
            0,
            0,
            format!(
                "the notes' folder is outside the site ({why}): replace the link with the folder itself, or build with --allow-outside if you trust it"
            ),
        ));
    }
    diags
}

/// Why `path` (relative to `root`, or absolute) is not inside `root`, or `None` when it is.
fn leaves(root: &Path, path: &Path) -> Option<String> {
    if path.is_absolute() && !path.starts_with(root) {
        return Some("an absolute path".into());
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Some("it climbs out with `..`".into());
    }
    // A symbolic link on the way is followed only if it stays in the site.
    let real_root = root.canonicalize().ok()?;
    let real = root.join(path).canonicalize().ok()?;
    (!real.starts_with(&real_root)).then(|| format!("a link to {}", real.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_parent_and_linked_paths_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert_eq!(leaves(&root, Path::new("content")), None);
        assert_eq!(leaves(&root, Path::new("refs/missing.bib")), None);
        assert!(leaves(&root, Path::new("/etc/passwd")).is_some());
        assert!(leaves(&root, Path::new("../elsewhere")).is_some());
        assert!(leaves(&root, Path::new("content/../../x.bib")).is_some());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
            assert!(leaves(&root, Path::new("up")).unwrap().contains("a link"));
        }
    }
}
