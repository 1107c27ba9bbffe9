//! A note's title as Obsidian and Quartz show it: `title:` in the front matter, else the file
//! name as written (its case, its ` - `, its `@`). Never a heading of the body: a vault's notes
//! start with "Overview" or "To do" by the hundred, and a `# comment` in a code block is no
//! heading at all.

/// The title a note's file gives it: its name without `.md`; a folder's own page (`_index.md`,
/// `index.md`) is titled by its folder, the home page "Home".
pub(super) fn from_file(path: &str) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    let mut parts = stem.rsplit('/');
    let name = parts.next().unwrap_or(stem);
    if matches!(name, "_index" | "index") {
        return match parts.next() {
            Some(folder) if !folder.is_empty() && folder != "content" => folder.to_string(),
            _ => "Home".to_string(),
        };
    }
    name.to_string()
}

/// A title as a reader sees it: a wikilink in it is its text (`[[2025]] plans` → `2025 plans`,
/// `[[Note|shown]]` → `shown`).
pub(super) fn plain(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]") else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 2..open + close];
        out.push_str(
            inner
                .rsplit_once('|')
                .map_or(inner, |(_, shown)| shown)
                .trim(),
        );
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// An unrun template placeholder (`{{title}}`, `<% tp.file.title %>`): text a template plugin
/// would have replaced, not the note's own.
pub(super) fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    (text.contains("{{") && text.contains("}}")) || (text.contains("<%") && text.contains("%>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_is_the_title_as_written() {
        assert_eq!(from_file("content/01 - Welcome.md"), "01 - Welcome");
        assert_eq!(from_file("lower case start.md"), "lower case start");
        assert_eq!(from_file("literature/@kovacs2021.md"), "@kovacs2021");
        assert_eq!(from_file("content/Lore/_index.md"), "Lore");
        assert_eq!(from_file("content/_index.md"), "Home");
        assert_eq!(from_file("index.md"), "Home");
    }

    #[test]
    fn links_in_a_title_are_their_text() {
        assert_eq!(plain("[[2025]] plans"), "2025 plans");
        assert_eq!(plain("On [[Open sets|sets]] and [[x]]"), "On sets and x");
        assert_eq!(plain("Half [[open"), "Half [[open");
    }

    #[test]
    fn placeholders_are_told_from_text() {
        assert!(is_placeholder("{{title}}"));
        assert!(is_placeholder("<% tp.file.creation_date() %>"));
        assert!(!is_placeholder("Growth {rate}"));
    }
}
