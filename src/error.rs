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
        }
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
