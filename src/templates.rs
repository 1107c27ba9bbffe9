//! Loads the tera templates: the theme's, then the site's `templates/` overriding by name; and maps
//! tera's errors to `path:line:col` diagnostics.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::layout::{CONFIG_FILE, SiteLayout, TEMPLATES_DIR, THEMES_DIR};
use crate::theme;

/// Prefix under which theme templates are registered; site templates have no prefix.
const THEME_PREFIX: &str = "theme/";

/// The loaded templates and, for messages, the file each one came from.
pub(crate) struct Templates {
    pub tera: tera::Tera,
    files: HashMap<String, String>,
    /// Every template's name and text, in load order: equal sources render equal pages.
    sources: Vec<(String, String)>,
}

impl Templates {
    /// Loads the theme's templates: the built-in theme's, then a `themes/<theme>/templates/`
    /// folder's over them by name, then the site's own (`templates/`) over both.
    pub(crate) fn load(layout: &SiteLayout, theme: &str) -> Result<Templates> {
        let root = layout.root();
        let theme_dir = format!("{THEMES_DIR}/{theme}/templates");
        let on_disk = root.join(&theme_dir).is_dir();
        if !on_disk && theme != theme::BUILT_IN {
            return Err(Error::Content(vec![Diagnostic::error(
                CONFIG_FILE,
                0,
                0,
                format!(
                    "theme `{theme}` not found: there is no folder {theme_dir}/ (leave `theme` out to use the built-in theme, or run `gloss theme eject` to start one from it)"
                ),
            )]));
        }
        // Theme templates by name, each with the file it came from (for messages).
        let mut theme_templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (name, bytes) in theme::files("templates") {
            if is_template(&name) {
                let label = format!(
                    "{THEMES_DIR}/{}/templates/{name} (built in)",
                    theme::BUILT_IN
                );
                let text = String::from_utf8_lossy(bytes).into_owned();
                theme_templates.insert(name, (label, text));
            }
        }
        if on_disk {
            for (rel, text) in read_dir_sorted(&root.join(&theme_dir), &theme_dir)? {
                let name = rel[theme_dir.len() + 1..].to_string();
                theme_templates.insert(name, (rel, text));
            }
        }
        let mut sources = Vec::new();
        let mut files = HashMap::new();
        for (name, (file, text)) in theme_templates {
            let name = format!("{THEME_PREFIX}{name}");
            files.insert(name.clone(), file);
            sources.push((name, text));
        }
        for (rel, text) in read_dir_sorted(&root.join(TEMPLATES_DIR), TEMPLATES_DIR)? {
            let name = rel[TEMPLATES_DIR.len() + 1..].to_string();
            files.insert(name.clone(), rel);
            sources.push((name, text));
        }
        let mut tera = tera::Tera::new();
        tera.set_fallback_prefixes([THEME_PREFIX]).map_err(|e| {
            Error::failed("cannot set up the templates (a bug: please report it)", e)
        })?;
        tera.autoescape_on([".html", ".xml"]);
        let mut templates = Templates {
            tera: tera::Tera::new(),
            files,
            sources: sources.clone(),
        };
        tera.add_raw_templates(sources)
            .map_err(|e| Error::Content(vec![templates.diagnostic(&e, None)]))?;
        templates.tera = tera;
        Ok(templates)
    }

    /// Every template's name and text, in load order (`gloss serve` compares them between builds).
    pub(crate) fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// Renders a template, or returns a diagnostic naming the template file and line.
    pub(crate) fn render(
        &self,
        name: &str,
        context: &tera::Context,
    ) -> std::result::Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e, Some(name)))
    }

    /// Turns a tera error into a diagnostic on the template file.
    pub(crate) fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let file = |name: &str| {
            self.files
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string())
        };
        match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                let span = report.span();
                let kind = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                    "template syntax"
                } else {
                    "template"
                };
                Diagnostic::error(
                    file(report.filename()),
                    span.start_line,
                    span.start_col + 1,
                    format!("{kind} error: {}", report.message()),
                )
            }
            _ => {
                let mut message = err.to_string();
                let mut source = std::error::Error::source(err);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                Diagnostic::error(
                    rendering
                        .map(file)
                        .unwrap_or_else(|| TEMPLATES_DIR.to_string()),
                    0,
                    0,
                    format!("template error: {message}"),
                )
            }
        }
    }
}

/// Whether a file is a template: HTML pages, XML feeds, plain-text files such as `robots.txt`.
fn is_template(name: &str) -> bool {
    [".html", ".xml", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Every template file below `dir`, sorted, as (path relative to the site root, text).
fn read_dir_sorted(dir: &Path, rel_dir: &str) -> Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| crate::output::walk_error(dir, e))?;
        let path = entry.path();
        if !entry.file_type().is_file()
            || path
                .extension()
                .is_none_or(|e| e != "html" && e != "xml" && e != "txt")
        {
            continue;
        }
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let rel = format!("{rel_dir}/{rel}");
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Content(vec![Diagnostic::error(
                &rel,
                0,
                0,
                "template is not valid UTF-8",
            )])
        })?;
        out.push((rel, text));
    }
    Ok(out)
}
