//! Entry points for the fuzz targets (`fuzz/`) and the property tests (`tests/testsuite/properties.rs`):
//! the parsers a researcher's files reach, exposed as they are and nothing more. Not a stable API.

use crate::cite;
use crate::error::Diagnostic;
use crate::frontmatter;
use crate::import;
use crate::markdown;
use crate::serve::http;

pub use crate::cite::{Citation, CiteItem, CiteMode};
pub use crate::import::Status;
pub use crate::markdown::{Embedded, LinkTarget, ResolvedLink, Resolver, Scan};
pub use crate::note::{Note, NoteKind};

/// A note split at its front-matter fences (see `frontmatter::split`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub yaml: String,
    /// The file line on which `yaml` starts.
    pub yaml_line: usize,
    pub body: String,
    /// The file line on which `body` starts.
    pub body_line: usize,
}

/// Splits a note's text at its `---` fences.
pub fn split_front_matter(path: &str, text: &str) -> Result<Split, Diagnostic> {
    frontmatter::split(path, text).map(|s| Split {
        yaml: s.yaml.to_string(),
        yaml_line: s.yaml_line,
        body: s.body.to_string(),
        body_line: s.body_line,
    })
}

/// Parses a note as `gloss build` does. `rel` is its path inside `content/`
/// (`sources/key.md`, `themes/slug.md`, `about.md`).
pub fn parse_note(rel: &str, text: &str) -> (Option<Note>, Vec<Diagnostic>) {
    let folders = crate::source::Folders {
        sources: vec!["sources".into()],
        themes: vec!["themes".into()],
        home: Some("_index.md".into()),
    };
    let (kind, key) = crate::source::classify(rel, &folders);
    crate::note::parse(kind, &key, &format!("content/{rel}"), text)
}

/// What a note's body refers to, with file positions.
pub fn scan_note(note: &Note) -> Scan {
    crate::note::scan(note)
}

/// A note's body as HTML, with citations and links answered by `resolver`.
pub fn render_body(note: &Note, resolver: &dyn Resolver) -> String {
    markdown::render(
        &note.body,
        note.dir(),
        resolver,
        &markdown::Settings::default(),
    )
}

/// Whether a body holds raw HTML, which gloss cleans but does not repair (so the rendered page
/// is only as well-formed as that HTML).
pub fn has_raw_html(body: &str) -> bool {
    use pulldown_cmark::{Event, Parser};
    Parser::new_ext(body, markdown::options())
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
}

/// Where Markdown (CommonMark with gloss's extensions) reads code in a body: every code span
/// and code block, backticks and fences included, as byte ranges in order. A `%%` there is text.
pub fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(body, markdown::options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect()
}

/// Parses the inside of a bracketed Pandoc citation (`see @a, p. 4; -@b`).
pub fn parse_citation_label(label: &str) -> Option<Citation> {
    cite::parse_citation_label(label)
}

/// What `gloss serve` makes of a request URL: `Ok(path)` decoded, or why it is refused.
pub fn decode_request_path(url: &str) -> Result<String, &'static str> {
    http::decode_path(url)
}

/// Where `gloss serve` sends a request URL, as text: `file <rel>`, `redirect <url>`, `events`,
/// `not found` or `bad request: <why>`, given the base path and the files that exist.
pub fn request_target(url: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> String {
    match http::target(url, base_path, exists) {
        http::Target::File(rel) => format!("file {rel}"),
        http::Target::Redirect(to) => format!("redirect {to}"),
        http::Target::Events => "events".into(),
        http::Target::NotFound => "not found".into(),
        http::Target::BadRequest(why) => format!("bad request: {why}"),
    }
}

/// A library file's format: BibTeX or BibLaTeX (`.bib`), CSL-JSON (`.json`), CSL-YAML (`.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryFormat {
    Bibtex,
    CslJson,
    CslYaml,
}

/// One note `gloss import` would write, or leave as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedNote {
    pub status: Status,
    /// Its file name (without `.md`).
    pub key: String,
    /// What `[@key]` cites: the file name, or the note's `key:` field.
    pub citekey: String,
    /// Its path relative to the site root (`content/sources/<key>.md`).
    pub path: String,
    /// Its new text (`None` when unchanged).
    pub text: Option<String>,
}

/// What `gloss import` makes of one library file (named `path` in messages) beside the given
/// source notes (key, text): the notes it would write and every problem, nothing written.
pub fn plan_import(
    path: &str,
    format: LibraryFormat,
    text: &str,
    existing: &[(String, String)],
) -> (Vec<PlannedNote>, Vec<Diagnostic>) {
    let format = match format {
        LibraryFormat::Bibtex => import::Format::Bibtex,
        LibraryFormat::CslJson => import::Format::CslJson,
        LibraryFormat::CslYaml => import::Format::CslYaml,
    };
    let (changes, diagnostics) = import::plan_text(path, format, text, existing);
    let notes = changes
        .into_iter()
        .map(|c| PlannedNote {
            status: c.status,
            text: c.text().map(str::to_string),
            key: c.key,
            citekey: c.citekey,
            path: c.path,
        })
        .collect();
    (notes, diagnostics)
}
