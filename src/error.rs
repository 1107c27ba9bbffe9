//! Diagnostics (`path:line:col: level: message`) and the error type the library returns.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// How serious a diagnostic is: errors fail `build` and `check`, warnings are printed only, and
/// notes say how the site was read (no `site.yaml`: a vault; explicit publishing) without being a
/// problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Note,
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
    pub family: Option<Cow<'static, str>>,
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
    pub(crate) fn in_family(mut self, family: impl Into<Cow<'static, str>>) -> Self {
        self.family = Some(family.into());
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

    /// How the site was read, said once (no problem: never an error, whatever `strict` says).
    pub fn note(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Note, path, 0, 0, message)
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    pub fn is_note(&self) -> bool {
        self.level == Level::Note
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
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
    let mut sizes: HashMap<Cow<'static, str>, usize> = HashMap::new();
    for family in diags.iter().filter_map(|d| d.family.clone()) {
        *sizes.entry(family).or_default() += 1;
    }
    let mut said = HashSet::new();
    let mut out = Vec::with_capacity(diags.len());
    for d in diags {
        match d.family.as_ref().map(|f| (f.clone(), sizes[f])) {
            Some((family, n)) if n > FAMILY_LINES && !d.is_error() => {
                if said.insert(family.clone()) {
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
    /// Reading or writing failed (exit 1). Shown as `context: source`, the context naming the
    /// path (or what was being done); the system's error stays reachable as the source.
    Io {
        context: String,
        source: std::io::Error,
    },
    /// Something beside the content failed (exit 1): the file watcher, the HTTP server, the
    /// search indexer, a bug. The message says what happened and what to do in gloss's words;
    /// the error that caused it, when there is one, is its source.
    Failed {
        message: String,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    /// A failed read or write of `path`.
    pub fn io(path: &std::path::Path, err: std::io::Error) -> Self {
        Error::io_in(path.display().to_string(), err)
    }

    /// A failed system operation, `context` saying which (`cannot lock --out public`).
    pub fn io_in(context: impl Into<String>, err: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source: err,
        }
    }

    /// A failure beside the content, explained by `message`, caused by `source`.
    pub fn failed(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Failed {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A failure beside the content with no error of the system behind it.
    pub fn failed_plainly(message: impl Into<String>) -> Self {
        Error::Failed {
            message: message.into(),
            source: None,
        }
    }

    /// The process exit code the CLI uses for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Content(_) | Error::Io { .. } | Error::Failed { .. } => 1,
        }
    }

    /// The one-line message of an error that is not about the content (without `error: `).
    pub fn message(&self) -> Option<String> {
        match self {
            Error::Content(_) => None,
            Error::Usage(message) | Error::Failed { message, .. } => Some(message.clone()),
            Error::Io { context, source } => Some(format!("{context}: {source}")),
        }
    }

    /// The error with `prefix` put before its message (`public is left as it was: …`); content
    /// errors are left as they are.
    pub(crate) fn prefixed(self, prefix: &str) -> Error {
        match self {
            Error::Io { context, source } => Error::Io {
                context: format!("{prefix}{context}"),
                source,
            },
            Error::Failed { message, source } => Error::Failed {
                message: format!("{prefix}{message}"),
                source,
            },
            Error::Usage(message) => Error::Usage(format!("{prefix}{message}")),
            content @ Error::Content(_) => content,
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
            other => write!(f, "error: {}", other.message().unwrap_or_default()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Failed {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

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

/// The lines and columns of many offsets into one text, each answered without rescanning the
/// text: the line by a binary search of the line starts, the column by counting characters from
/// the offset asked before when that one is on the same line and not after it. Offsets asked in
/// order (a scan's references) thus cost O(the text) in all, where [`line_col`] for each would
/// cost O(offset) each: quadratic on a note of one long line with many references.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last offset answered and its column.
    last: (usize, usize),
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: (0, 1),
        }
    }

    /// The 1-based (line, column) of a byte offset, as [`line_col`] gives it.
    pub(crate) fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let (from, col) = match self.last {
            (at, col) if start <= at && at <= offset => (at, col),
            _ => (start, 1),
        };
        let col = col + self.text[from..offset].chars().count();
        self.last = (offset, col);
        (line, col)
    }
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
    fn a_line_index_answers_as_line_col_in_any_order() {
        let text = "ab\ncé@x yz\n\nlast é line";
        let mut index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2)
            .chain((0..text.len()).rev())
            .chain([7, 2, 9, 3, 0, 20])
            .collect();
        for offset in offsets {
            assert_eq!(
                index.locate(offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn an_io_error_names_its_path_and_keeps_its_source() {
        let cause = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let shown = cause.to_string();
        let e = Error::io(std::path::Path::new("public/a/index.html"), cause);
        assert_eq!(
            e.to_string(),
            format!("error: public/a/index.html: {shown}")
        );
        assert_eq!(e.exit_code(), 1);
        let source = std::error::Error::source(&e).expect("a source");
        let source = source
            .downcast_ref::<std::io::Error>()
            .expect("the io error");
        assert_eq!(source.kind(), std::io::ErrorKind::PermissionDenied);
        let e = e.prefixed("public is left as it was: ");
        assert_eq!(
            e.to_string(),
            format!("error: public is left as it was: public/a/index.html: {shown}")
        );
        assert!(std::error::Error::source(&e).is_some());
        let plain = Error::failed_plainly("the file watcher stopped");
        assert!(std::error::Error::source(&plain).is_none());
        assert_eq!(plain.to_string(), "error: the file watcher stopped");
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
