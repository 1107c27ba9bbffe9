//! Diagnostics (`path:line:col: level: message`) and the error type the library returns.

use std::fmt;

/// How serious a diagnostic is: errors fail `build` and `check`, warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// One problem found in the site, located in a file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
    pub level: Level,
    pub message: String,
    /// Warnings of one kind that a large site has by the hundred (sources nothing cites, notes
    /// in no bibliography file): what [`summarise`] says of them all at once.
    pub family: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(
        level: Level,
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line,
            col,
            level,
            message: message.into(),
            family: None,
        }
    }

    /// The warning as one of a family that is summed up when it is large (see [`summarise`]).
    pub(crate) fn in_family(mut self, family: &'static str) -> Self {
        self.family = Some(family);
        self
    }

    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Level::Error, path, line, col, message)
    }

    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Level::Warning, path, line, col, message)
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        match (self.line, self.col) {
            (0, _) => write!(f, "{}: {level}: {}", self.path, self.message),
            (line, 0) => write!(f, "{}:{line}: {level}: {}", self.path, self.message),
            (line, col) => write!(f, "{}:{line}:{col}: {level}: {}", self.path, self.message),
        }
    }
}

/// More warnings of one family than this are one line (unless `--verbose`).
const FAMILY_LINES: usize = 10;

/// The diagnostics with each large family of warnings made one line, at its first member's
/// place: `409 literature notes give no year …; --verbose lists each`. In order, as given.
pub(crate) fn summarise(diags: Vec<Diagnostic>, verbose: bool) -> Vec<Diagnostic> {
    if verbose {
        return diags;
    }
    let mut sizes: std::collections::HashMap<&'static str, usize> = Default::default();
    for family in diags.iter().filter_map(|d| d.family) {
        *sizes.entry(family).or_default() += 1;
    }
    let mut said = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(diags.len());
    for d in diags {
        match d.family.map(|f| (f, sizes[f])) {
            Some((family, n)) if n > FAMILY_LINES && !d.is_error() => {
                if said.insert(family) {
                    out.push(Diagnostic {
                        message: format!("{n} {family} (this is the first; --verbose lists each)"),
                        ..d
                    });
                }
            }
            _ => out.push(d),
        }
    }
    out
}

/// Why a command failed. `main` maps each variant to an exit code.
#[derive(Debug)]
pub enum Error {
    /// The site's content is wrong (exit 1): every diagnostic found, warnings included.
    Content(Vec<Diagnostic>),
    /// The command line asks for something impossible or unsafe (exit 2).
    Usage(String),
    /// Reading or writing failed (exit 1); the message names the path.
    Io(String),
}

impl Error {
    pub fn io(path: &std::path::Path, err: std::io::Error) -> Self {
        Error::Io(format!("{}: {err}", path.display()))
    }

    /// The process exit code the CLI uses for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Content(_) | Error::Io(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(diags) => {
                for d in diags {
                    writeln!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Usage(msg) => write!(f, "error: {msg}"),
            Error::Io(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Converts a byte offset in `text` into a 1-based (line, column), counting columns in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_families_of_warnings_are_one_line_unless_verbose() {
        let many: Vec<Diagnostic> = (1..=12)
            .map(|i| {
                Diagnostic::warning(format!("n{i:02}.md"), 1, 1, "no year")
                    .in_family("notes give no year")
            })
            .chain([Diagnostic::error("x.md", 2, 3, "broken")])
            .collect();
        let short = summarise(many.clone(), false);
        assert_eq!(short.len(), 2);
        assert_eq!(
            short[0].to_string(),
            "n01.md:1:1: warning: 12 notes give no year (this is the first; --verbose lists each)"
        );
        assert!(short[1].is_error());
        assert_eq!(summarise(many, true).len(), 13);
        let few = vec![Diagnostic::warning("a.md", 1, 1, "w").in_family("f")];
        assert_eq!(summarise(few, false)[0].message, "w");
    }

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncé@x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('@').unwrap()), (2, 3));
    }

    #[test]
    fn display_omits_unknown_positions() {
        assert_eq!(
            Diagnostic::error("site.yaml", 0, 0, "x").to_string(),
            "site.yaml: error: x"
        );
        assert_eq!(
            Diagnostic::warning("a.md", 3, 0, "y").to_string(),
            "a.md:3: warning: y"
        );
        assert_eq!(
            Diagnostic::error("a.md", 3, 4, "z").to_string(),
            "a.md:3:4: error: z"
        );
    }
}
