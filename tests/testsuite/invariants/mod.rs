//! The properties every input must keep, checked by the property tests (`tests/testsuite/properties.rs`)
//! and by the fuzz targets (`fuzz/`), which include this file: each check returns the first
//! broken property as a message, so a failure says what went wrong with which input.
#![allow(dead_code, unreachable_pub)]

pub mod vault;

use std::cell::RefCell;
use std::path::Path;

use gloss::Diagnostic;
use gloss::fuzzing::{self, Citation, Embedded, LinkTarget, ResolvedLink, Resolver};
use scraper::{Html, Selector};

/// A resolver that answers every citation and link and remembers what it was asked, in order.
#[derive(Default)]
pub struct Recorder {
    pub citations: RefCell<Vec<Citation>>,
    pub links: RefCell<Vec<(LinkTarget, Option<String>)>>,
}

impl Resolver for Recorder {
    fn citation_html(&self, citation: &Citation, _first_use: &[bool]) -> String {
        self.citations.borrow_mut().push(citation.clone());
        format!("<span class=\"cite\">{}</span>", citation.items.len())
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        self.links
            .borrow_mut()
            .push((target.clone(), anchor.map(str::to_string)));
        Some(ResolvedLink {
            url: "/review/note/".into(),
            label: "A note".into(),
        })
    }

    fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded> {
        // An embed is a link the page shows in place: the scan lists it among the links.
        self.resolve(target, anchor).map(|link| Embedded::Html {
            html: "<p>embedded</p>".into(),
            link,
        })
    }

    fn asset(&self, name: &str) -> Option<String> {
        Some(format!("/review/{name}"))
    }

    fn tag_url(&self, tag: &str) -> String {
        format!("/review/tags/{tag}/")
    }

    fn base_path(&self) -> &str {
        "/review/"
    }
}

/// A diagnostic names `path` and, when it has a position, one inside `text`.
pub fn located_in(d: &Diagnostic, path: &str, text: &str) -> Result<(), String> {
    if d.path != path {
        return Err(format!("diagnostic names {:?}, not {path:?}: {d}", d.path));
    }
    position_in(d.line, d.col, text).map_err(|e| format!("{e}: {d}"))
}

/// A 1-based (line, column) inside `text`; 0 means "unknown" (the column may then be 0 too).
pub fn position_in(line: usize, col: usize, text: &str) -> Result<(), String> {
    let lines: Vec<&str> = text.split('\n').collect();
    if line == 0 {
        return match col {
            0 => Ok(()),
            _ => Err(format!("column {col} without a line")),
        };
    }
    let Some(content) = lines.get(line - 1) else {
        return Err(format!("line {line} of a file of {} lines", lines.len()));
    };
    // A `\r` before the `\n` ends the line with it; one at the very end of the file is a
    // character of the last line, which the end of the file comes after.
    let content = match line < lines.len() {
        true => content.strip_suffix('\r').unwrap_or(content),
        false => content,
    };
    let width = content.chars().count();
    if col > width + 1 {
        return Err(format!(
            "column {col} of line {line}, which has {width} characters"
        ));
    }
    Ok(())
}

/// Every parse error html5ever reports for an HTML fragment.
pub fn fragment_errors(html: &str) -> Vec<String> {
    Html::parse_fragment(html)
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

/// Every parse error html5ever reports for a whole page.
pub fn document_errors(html: &str) -> Vec<String> {
    Html::parse_document(html)
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

/// The number of `<script` openings, in any case.
pub fn script_openings(html: &str) -> usize {
    html.to_ascii_lowercase().matches("<script").count()
}

/// The URL schemes that run or show a page of the URL's own making when a browser follows or
/// loads them.
const RUNNING_SCHEMES: [&str; 3] = ["javascript:", "vbscript:", "data:text/html"];

/// Whether an attribute's value, read as a browser reads a URL (entities already decoded by the
/// HTML parser; spaces and control characters around it and tabs and newlines inside it
/// dropped; any case), starts with a scheme that runs. A `srcset`'s every candidate is read.
pub fn runs(value: &str) -> bool {
    value.split(',').any(|candidate| {
        let url: String = candidate
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .to_ascii_lowercase();
        RUNNING_SCHEMES.iter().any(|s| url.starts_with(s))
    })
}

/// What in `html` (a whole page when `document`, else a body) could run in a reader's browser,
/// if anything: a `<script>` element but the theme's own (`THEME_SCRIPTS`), an attribute whose
/// name starts with `on` (an event handler; the theme writes none), or an attribute whose value
/// is a `javascript:`, `vbscript:` or `data:text/html` URL. Read from the parsed document, as a
/// browser reads it, so entities and odd spacing hide nothing.
pub fn unsafe_markup(html: &str, document: bool) -> Result<(), String> {
    let parsed = match document {
        true => Html::parse_document(html),
        false => Html::parse_fragment(html),
    };
    for node in parsed.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if element.name().eq_ignore_ascii_case("script") {
            let theme = matches!(element.attr("src"), Some(src) if THEME_SCRIPTS.iter().any(|t| t.contains(&format!("src=\"{src}\""))))
                || (element.attr("type") == Some("application/json")
                    && element.attr("id") == Some("gloss-previews"));
            if !theme {
                return Err(format!("a <script> that is not the theme's:\n{html}"));
            }
        }
        for (name, value) in element.attrs() {
            if name.to_ascii_lowercase().starts_with("on") {
                return Err(format!("an event handler {name}={value:?}:\n{html}"));
            }
            if runs(value) {
                return Err(format!("a URL that runs: {name}={value:?}:\n{html}"));
            }
        }
    }
    Ok(())
}

/// A note (at `content/<rel>`) through parse, scan and render:
/// - no panic, and every diagnostic is located inside the file;
/// - every reference the scan found is located inside the file;
/// - the renderer asks about exactly the citations and links the scan found, in the same order,
///   and gives the headings exactly the ids the scan found (so `gloss check` accepts the anchors
///   the page has);
/// - nothing in the HTML could run ([`unsafe_markup`]), raw HTML or not: raw HTML is cleaned;
/// - unless the body holds raw HTML of its own, the HTML parses back without an error and has no
///   `<script`.
pub fn check_note(rel: &str, text: &str) -> Result<(), String> {
    let path = format!("content/{rel}");
    let (note, diagnostics) = fuzzing::parse_note(rel, text);
    for d in &diagnostics {
        located_in(d, &path, text)?;
    }
    let Some(note) = note else {
        if !diagnostics.iter().any(Diagnostic::is_error) {
            return Err("a note was refused without an error".into());
        }
        return Ok(());
    };
    let scan = fuzzing::scan_note(&note);
    for c in &scan.citations {
        position_in(c.line, c.col, text).map_err(|e| format!("citation: {e}"))?;
    }
    for l in &scan.links {
        position_in(l.line, l.col, text).map_err(|e| format!("link: {e}"))?;
    }
    let recorder = Recorder::default();
    let html = fuzzing::render_body(&note, &recorder);
    let scanned: Vec<&Citation> = scan.citations.iter().map(|c| &c.citation).collect();
    let rendered = recorder.citations.borrow();
    if scanned != rendered.iter().collect::<Vec<_>>() {
        return Err(format!(
            "scan found citations {scanned:?}, render asked for {rendered:?}"
        ));
    }
    let scanned: Vec<(&LinkTarget, Option<&str>)> = scan
        .links
        .iter()
        .map(|l| (&l.target, l.anchor.as_deref()))
        .collect();
    let links = recorder.links.borrow();
    let asked: Vec<(&LinkTarget, Option<&str>)> =
        links.iter().map(|(t, a)| (t, a.as_deref())).collect();
    if scanned != asked {
        return Err(format!(
            "scan found links {scanned:?}, render asked for {asked:?}"
        ));
    }
    unsafe_markup(&html, false)?;
    if fuzzing::has_raw_html(&note.body) {
        return Ok(());
    }
    let errors = fragment_errors(&html);
    if !errors.is_empty() {
        return Err(format!("the HTML does not parse back: {errors:?}\n{html}"));
    }
    if script_openings(&html) > 0 {
        return Err(format!("a <script in a body without raw HTML:\n{html}"));
    }
    let ids = heading_ids(&html);
    if ids != scan.heading_ids {
        return Err(format!(
            "scan found heading ids {:?}, the page has {ids:?}",
            scan.heading_ids
        ));
    }
    Ok(())
}

/// The `id` of every heading of an HTML fragment, in order.
pub fn heading_ids(html: &str) -> Vec<String> {
    let selector = Selector::parse("h1, h2, h3, h4, h5, h6").expect("a selector");
    Html::parse_fragment(html)
        .select(&selector)
        .map(|h| h.value().attr("id").unwrap_or("").to_string())
        .collect()
}

/// The script tags the built-in theme writes: the reading, bibliography and views scripts, and
/// the preview cards' data (JSON, made safe inside `<script>` by the renderer).
pub const THEME_SCRIPTS: [&str; 4] = [
    "<script src=\"/review/reading.js\" defer></script>",
    "<script src=\"/review/bibliography.js\" defer></script>",
    "<script src=\"/review/views.js\" defer></script>",
    "<script type=\"application/json\" id=\"gloss-previews\">",
];

/// The site.yaml of [`check_site`].
pub const SITE_YAML: &str = "title: Fuzzed review\nbase_url: https://x.github.io/review/\n";

/// A whole site of the given notes (path inside `content/`, text), built in memory by the real
/// pipeline with the built-in theme, in a folder of `scratch`:
/// - no panic; a failed build reports only located diagnostics, each in its own file;
/// - no output file holds anything that could run ([`check_output`]), raw HTML or not;
/// - every page parses back as HTML without an error and holds no `<script` but the theme's,
///   whatever the front matter says, unless a body holds raw HTML of its own.
///
/// Returns the number of pages checked (`None` when the build failed, cleanly).
pub fn check_site(scratch: &Path, notes: &[(&str, &str)]) -> Result<Option<usize>, String> {
    let _ = std::fs::remove_dir_all(scratch);
    for (rel, text) in notes {
        let file = scratch.join("content").join(rel);
        std::fs::create_dir_all(file.parent().expect("a parent")).map_err(|e| e.to_string())?;
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
    }
    std::fs::write(scratch.join("site.yaml"), SITE_YAML).map_err(|e| e.to_string())?;
    let options = gloss::LoadOptions {
        root: scratch.to_path_buf(),
        ..Default::default()
    };
    let built = match gloss::build_in_memory(&options, None) {
        Ok(built) => built,
        Err(gloss::Error::Content(diagnostics)) => {
            for d in &diagnostics {
                let text = notes
                    .iter()
                    .find(|(rel, _)| d.path == format!("content/{rel}"))
                    .map(|(_, text)| *text);
                match text {
                    Some(text) => {
                        position_in(d.line, d.col, text).map_err(|e| format!("{e}: {d}"))?
                    }
                    None if d.line == 0 => {}
                    None => return Err(format!("a diagnostic in no note of the site: {d}")),
                }
            }
            return Ok(None);
        }
        Err(other) => return Err(format!("not a content error: {other}")),
    };
    for file in &built.files {
        check_output(&file.path, &file.bytes)?;
    }
    let raw_html = notes.iter().any(|(rel, text)| {
        fuzzing::parse_note(rel, text)
            .0
            .is_some_and(|n| fuzzing::has_raw_html(&n.body))
    });
    if raw_html {
        return Ok(Some(0));
    }
    let mut pages = 0;
    for file in built.files.iter().filter(|f| f.path.ends_with(".html")) {
        pages += 1;
        let html = String::from_utf8(file.bytes.to_vec())
            .map_err(|_| format!("{} is not UTF-8", file.path))?;
        let scripts = script_openings(&html);
        let allowed: usize = THEME_SCRIPTS.iter().map(|t| html.matches(t).count()).sum();
        if scripts > allowed {
            return Err(format!("{}: a <script from the notes:\n{html}", file.path));
        }
        let errors = document_errors(&html);
        if !errors.is_empty() {
            return Err(format!(
                "{} does not parse back: {errors:?}\n{html}",
                file.path
            ));
        }
    }
    Ok(Some(pages))
}

/// One output file holds nothing that could run in a reader's browser: a page (`.html`)
/// passes [`unsafe_markup`]; a feed or sitemap (`.xml`) holds no `<script` (its text is
/// escaped, so one would be markup). Scripts (`.js`), styles and data files (JSON, BibTeX, CSV)
/// are not pages: what they hold is data the theme reads as text.
pub fn check_output(path: &str, bytes: &[u8]) -> Result<(), String> {
    if path.ends_with(".html") {
        let html = String::from_utf8_lossy(bytes);
        return unsafe_markup(&html, true).map_err(|e| format!("{path}: {e}"));
    }
    if path.ends_with(".xml") && script_openings(&String::from_utf8_lossy(bytes)) > 0 {
        return Err(format!("{path}: a <script in a feed or sitemap"));
    }
    Ok(())
}

/// A library file (named `path`, in `format`) through `gloss import`'s planning, nothing
/// written:
/// - no panic, and every diagnostic names the library file at a place inside it (a problem in
///   a note gloss itself would write, such as a note that does not read back, names the note);
/// - every note is new, at `content/sources/<file>.md`, a file name of ASCII letters, digits,
///   `-`, `_` and `.` inside, no two notes one file on a case-insensitive file system; its
///   citation key (the file name, or the note's `key:`) is cited by `[@key]` or `[@{key}]`;
/// - every note reads back with gloss's own note reader, without an error, as a source of that
///   citation key;
/// - importing the same file again, over the notes written and annotated by their reader,
///   changes nothing.
///
/// Returns the number of notes planned.
pub fn check_import(
    path: &str,
    format: fuzzing::LibraryFormat,
    text: &str,
) -> Result<usize, String> {
    let (notes, diagnostics) = fuzzing::plan_import(path, format, text, &[]);
    for d in &diagnostics {
        located_in(d, path, text)?;
    }
    let mut files = std::collections::HashSet::new();
    for note in &notes {
        let key = &note.key;
        if note.status != fuzzing::Status::New {
            return Err(format!("{key}: {:?} in an empty site", note.status));
        }
        if note.path != format!("content/sources/{key}.md") {
            return Err(format!("{key} is written to {}", note.path));
        }
        if key.is_empty()
            || key.starts_with('.')
            || key.ends_with('.')
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(format!("{key:?} is not a plain file name"));
        }
        if !files.insert(key.to_lowercase()) {
            return Err(format!("two notes are {key}.md on macOS and Windows"));
        }
        // The citation key, cited as Pandoc cites it: plainly, or in braces.
        let citekey = &note.citekey;
        let cites = |label: String| {
            fuzzing::parse_citation_label(&label)
                .map(|c| c.items.into_iter().map(|i| i.key).collect::<Vec<_>>())
        };
        let own = Some(vec![citekey.clone()]);
        if cites(format!("@{citekey}")) != own && cites(format!("@{{{citekey}}}")) != own {
            return Err(format!(
                "neither [@{citekey}] nor [@{{{citekey}}}] cites {citekey}"
            ));
        }
        let Some(text) = &note.text else {
            return Err(format!("{key}: a new note without text"));
        };
        let (read, problems) = fuzzing::parse_note(&format!("sources/{key}.md"), text);
        if let Some(e) = problems.iter().find(|d| d.is_error()) {
            return Err(format!("{key} does not read back: {e}\n{text}"));
        }
        match read {
            Some(n) if n.kind == fuzzing::NoteKind::Source && n.key == *citekey => {}
            other => {
                return Err(format!(
                    "{key} reads back as {:?}\n{text}",
                    other.map(|n| (n.kind, n.key))
                ));
            }
        }
    }
    // The notes as written, each with the reader's annotation below it.
    let written: Vec<(String, String)> = notes
        .iter()
        .filter_map(|n| {
            let text = n.text.as_ref()?;
            Some((
                n.key.clone(),
                format!("{text}\nMy reading of [@{{{}}}].\n", n.citekey),
            ))
        })
        .collect();
    let (again, _) = fuzzing::plan_import(path, format, text, &written);
    let changed: Vec<(&str, fuzzing::Status)> = again
        .iter()
        .filter(|n| n.status != fuzzing::Status::Unchanged)
        .map(|n| (n.key.as_str(), n.status))
        .collect();
    let keys =
        |notes: &[fuzzing::PlannedNote]| notes.iter().map(|n| n.key.clone()).collect::<Vec<_>>();
    if !changed.is_empty() || keys(&again) != keys(&notes) {
        let first = changed
            .first()
            .and_then(|(k, _)| again.iter().find(|n| n.key == *k))
            .and_then(|n| n.text.clone())
            .unwrap_or_default();
        return Err(format!(
            "a second import changes {changed:?} (keys {:?}, then {:?}):\n{first}",
            keys(&notes),
            keys(&again)
        ));
    }
    Ok(notes.len())
}
