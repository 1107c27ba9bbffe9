//! Full-text search: Pagefind's index of the pages gloss rendered, written under `pagefind/`.
//!
//! The pages are handed over as rendered (never read back from disk), in path order, so that the
//! same pages always give the same index. Only pages marked `data-pagefind-body` (notes) are
//! indexed: listings (the bibliography, tag pages, 404) are not. Their filters (kind, theme,
//! decade) and metadata (a source's short form) come from `data-pagefind-filter` and
//! `data-pagefind-meta` attributes the templates write. The site's own search box
//! (`reading.js`) uses `pagefind.js`'s API, so Pagefind's bundled UI files are left out.

use std::sync::{Mutex, PoisonError};

use crate::error::{Error, Result};
use crate::output::{Bytes, CopiedFile, OutputFile, Sink};

/// The folder of the search files in the output, as Pagefind names it.
pub(crate) const DIR: &str = "pagefind";

/// Whether a rendered page is one the index takes.
pub(crate) fn indexable(path: &str, html: &[u8]) -> bool {
    path.ends_with(".html") && memchr_find(html, b"data-pagefind-body")
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A sink that passes every file on and keeps the pages the index takes.
pub(crate) struct Collect<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<(String, Bytes)>>,
}

impl<'a> Collect<'a> {
    pub(crate) fn new(inner: &'a dyn Sink) -> Collect<'a> {
        Collect {
            inner,
            pages: Mutex::new(Vec::new()),
        }
    }

    /// The pages kept, in no particular order.
    pub(crate) fn into_pages(self) -> Vec<(String, Bytes)> {
        self.pages
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Collect<'_> {
    fn copy(&self, copies: &[CopiedFile]) -> Result<()> {
        self.inner.copy(copies)
    }

    fn prepare(&self, paths: &[String]) {
        self.inner.prepare(paths);
    }

    fn emit(&self, file: OutputFile) -> Result<()> {
        if indexable(&file.path, &file.bytes) {
            self.pages
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((file.path.clone(), file.bytes.clone()));
        }
        self.inner.emit(file)
    }
}

/// Pagefind's bundled UIs, its highlighter and the playground: gloss's search box uses none.
fn is_unused(name: &str) -> bool {
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name == "pagefind-highlight.js"
        || name.starts_with("playground/")
}

#[cfg(feature = "search")]
fn fail(e: impl std::fmt::Display) -> Error {
    Error::Io(format!("could not build the search index: {e}"))
}

/// The search files for `pages` (output path and HTML), whatever order they come in.
#[cfg(feature = "search")]
pub(crate) fn index(mut pages: Vec<(String, Bytes)>, language: &str) -> Result<Vec<OutputFile>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("could not start the search indexer: {e}")))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(fail)?;
        for (path, html) in pages {
            let html = String::from_utf8_lossy(&html).into_owned();
            index
                .add_html_file(Some(path), None, html)
                .await
                .map_err(fail)?;
        }
        let mut files: Vec<OutputFile> = index
            .get_files()
            .await
            .map_err(fail)?
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (!is_unused(&name)).then(|| OutputFile::new(format!("{DIR}/{name}"), f.contents))
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    })
}

/// Without the `search` feature there is no index (and the templates show no search box).
#[cfg(not(feature = "search"))]
pub(crate) fn index(_pages: Vec<(String, Bytes)>, _language: &str) -> Result<Vec<OutputFile>> {
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_note_pages_are_indexed() {
        assert!(indexable("a/index.html", b"<article data-pagefind-body>"));
        assert!(!indexable("bibliography/index.html", b"<main>"));
        assert!(!indexable("references.json", b"data-pagefind-body"));
    }
}
