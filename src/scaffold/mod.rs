//! `gloss init` and `gloss new`: a working review to start from, and a new note with every field
//! of its kind. They write only files that do not exist yet, and never a note's text that is
//! there.

use std::path::{Path, PathBuf};

use crate::build::configure;
use crate::error::{Error, Result};
use crate::layout::{CONFIG_FILE, CONTENT_DIR, SiteLayout};
use crate::note::{EntryType, NoteKind, fields};
use crate::source::key_problem;

/// The files of a new review: (path relative to its folder, text).
fn starter(title: &str) -> Vec<(&'static str, String)> {
    let fill = |text: &str| {
        text.replace("{title}", &title.replace('"', "'"))
            .replace("{version}", env!("CARGO_PKG_VERSION"))
            .replace("{repository}", env!("CARGO_PKG_REPOSITORY"))
    };
    vec![
        (CONFIG_FILE, fill(include_str!("site.yaml"))),
        ("content/_index.md", fill(include_str!("_index.md"))),
        (
            "content/sources/example2024.md",
            fill(include_str!("source.md")),
        ),
        (
            "content/themes/example-theme.md",
            fill(include_str!("theme.md")),
        ),
        (
            "templates/README.md",
            fill(include_str!("templates-README.md")),
        ),
        (".gitignore", fill(include_str!("gitignore"))),
        (
            ".github/workflows/pages.yml",
            fill(include_str!("pages.yml")),
        ),
    ]
}

/// Creates a working review in `dir` (made if missing) and returns the files written. Refused,
/// with nothing written, if `dir` already holds a site or any of the files exists.
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>> {
    let layout = SiteLayout::new(dir);
    if layout.config_file().exists() {
        return Err(Error::Usage(format!(
            "{} already holds a site ({CONFIG_FILE} exists): gloss init never overwrites a file; run it in an empty folder, e.g. gloss init my-review",
            dir.display()
        )));
    }
    let content = layout.content_dir();
    if content.is_dir()
        && std::fs::read_dir(&content).is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(Error::Usage(format!(
            "{} already has notes in {CONTENT_DIR}/: add a {CONFIG_FILE} by hand (see gloss init in an empty folder), or run gloss init elsewhere",
            dir.display()
        )));
    }
    let title = title.map(str::to_string).unwrap_or_else(|| {
        // `gloss init my-review` names the folder; `gloss init` in it names it through `.`.
        let name = std::fs::canonicalize(dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
            .or_else(|| dir.file_name().map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_default();
        title_from(&name)
    });
    let files = starter(&title);
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "gloss init never overwrites a file, and these exist: {}",
            existing.join(", ")
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        written.push(write_new(&dir.join(rel), &text)?);
    }
    Ok(written)
}

/// "my-review" → "My review"; an unusable name gives "My literature review".
fn title_from(name: &str) -> String {
    let words = name.replace(['-', '_', '.'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) if words.chars().any(char::is_alphabetic) => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => "My literature review".to_string(),
    }
}

/// What `gloss new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewNote {
    Source(EntryType),
    Theme,
}

/// Writes a new note under `root` and returns its path: `content/sources/KEY.md` with every field
/// of the source's type, or `content/themes/SLUG.md` (the notes' folder and the first sources or
/// themes folder that `site.yaml` names). Refuses an invalid key, an existing note, and a folder
/// that holds no site.
pub fn new_note(root: &Path, what: NewNote, key: &str) -> Result<PathBuf> {
    if !SiteLayout::new(root).config_file().is_file() {
        return Err(Error::Usage(format!(
            "{} is not a site (there is no {CONFIG_FILE}): run gloss init first, or pass --root DIR",
            root.display()
        )));
    }
    if let Some(problem) = key_problem(key).filter(|_| !key.is_empty()) {
        return Err(Error::Usage(problem));
    }
    if key.is_empty() || key.contains('/') {
        return Err(Error::Usage(format!(
            "`{key}` cannot be a key: give a name such as khan2019 (letters, digits, `-`, `_`, `.` or `:`)"
        )));
    }
    // A site.yaml that does not parse yet: the default places (check then says what is wrong).
    let (layout, config) = match configure(root, None) {
        Ok((layout, config)) => (layout, Some(config)),
        Err(_) => (SiteLayout::new(root), None),
    };
    let first = |dirs: Option<&Vec<String>>, default: &'static str| {
        dirs.and_then(|d| d.first().cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let (folder, kind, entry_type) = match what {
        NewNote::Source(t) => (
            first(config.as_ref().map(|c| &c.source_dirs), "sources"),
            NoteKind::Source,
            t,
        ),
        NewNote::Theme => (
            first(config.as_ref().map(|c| &c.theme_dirs), "themes"),
            NoteKind::Theme,
            EntryType::Other,
        ),
    };
    let path = layout.content_dir().join(folder).join(format!("{key}.md"));
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} exists already: gloss new never overwrites a note; choose another key",
            path.display()
        )));
    }
    let mut text = ready_to_build(&fields::template(kind, entry_type), key);
    text.push_str(match what {
        NewNote::Source(_) => {
            "\nYour annotation: what the work argues, how, and how far it convinces. Cite other sources as `[@key]`.\n"
        }
        NewNote::Theme => {
            "\nThe synthesis: what the sources say together, citing them as `[@key]` or `@key`.\n"
        }
    });
    write_new(&path, &text)
}

/// The template as a note that builds at once and publishes nothing made up: titled from its key
/// (`khan2019` → "Khan2019", `border-security` → "Border security"), a draft until its author
/// removes `draft: true`, and the example names a comment rather than a value (a placeholder
/// left in would be printed as an author).
fn ready_to_build(template: &str, key: &str) -> String {
    let title = serde_json::to_string(&title_from(key)).unwrap_or_default();
    template
        .lines()
        .map(|line| {
            if let Some(rest) = line.strip_prefix("title: \"\"") {
                format!("{:<28} {}", format!("title: {title}"), rest.trim_start())
                    .trim_end()
                    .to_string()
            } else if line.starts_with("authors: ") {
                format!("# {line}")
            } else if let Some(rest) = line.strip_prefix("# draft: true") {
                format!("draft: true  {rest}")
            } else {
                line.to_string()
            }
        })
        .fold(String::new(), |mut out, line| {
            out.push_str(&line);
            out.push('\n');
            out
        })
}

/// Writes `text` to `path`, creating its folder; fails if the file exists.
fn write_new(path: &Path, text: &str) -> Result<PathBuf> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(path, e))?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(title_from("my-review"), "My review");
        assert_eq!(title_from("."), "My literature review");
        assert_eq!(title_from("2024"), "My literature review");
    }
}
