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

/// How much of a page the index reads, in bytes of HTML: a page larger than this (a note of
/// many megabytes) is indexed in its beginning only. Pagefind's work grows with the words it
/// stems, and a single 50 MB note cost it 7 s of CPU, more than the rest of the build; the
/// words of such a note would also make every index chunk a search downloads large. A
/// book-length note is about 1 MB, so no ordinary page is cut (full-text engines cap a
/// document likewise: Meilisearch at 65,536 words).
pub(crate) const MAX_INDEXED: usize = 4 << 20;

/// The search files, and the pages indexed only in their first [`MAX_INDEXED`] bytes.
#[derive(Default)]
pub(crate) struct Index {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) cut: Vec<String>,
}

/// What the index reads of a page: all of it, or its first [`MAX_INDEXED`] bytes up to the last
/// tag starting there (so no tag is cut in two; the elements left open end with the text).
fn indexed_part(html: &str) -> &str {
    if html.len() <= MAX_INDEXED {
        return html;
    }
    let mut end = MAX_INDEXED;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let end = html[..end].rfind('<').unwrap_or(end);
    &html[..end]
}

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
fn fail(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    let e = e.into();
    Error::failed(format!("could not build the search index: {e}"), e)
}

/// The search files for `pages` (output path and HTML), whatever order they come in.
#[cfg(feature = "search")]
pub(crate) fn index(mut pages: Vec<(String, Bytes)>, language: &str) -> Result<Index> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io_in("could not start the search indexer", e))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(fail)?;
        let mut cut = Vec::new();
        for (path, html) in pages {
            let html = String::from_utf8_lossy(&html);
            let part = indexed_part(&html);
            if part.len() < html.len() {
                cut.push(path.clone());
            }
            index
                .add_html_file(Some(path), None, part.to_string())
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
        Ok(Index { files, cut })
    })
}

/// Without the `search` feature there is no index (and the templates show no search box).
#[cfg(not(feature = "search"))]
pub(crate) fn index(_pages: Vec<(String, Bytes)>, _language: &str) -> Result<Index> {
    Ok(Index::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_page_is_indexed_up_to_a_tag_within_the_limit() {
        let small = "<p>é</p>".repeat(10);
        assert_eq!(indexed_part(&small), small);
        let big = format!("<article>{}", "<p>ééé</p>".repeat(MAX_INDEXED / 8));
        let part = indexed_part(&big);
        assert!(part.len() <= MAX_INDEXED && part.len() > MAX_INDEXED - 16);
        assert!(big[part.len()..].starts_with('<') && part.starts_with("<article><p>"));
    }

    #[test]
    fn only_note_pages_are_indexed() {
        assert!(indexable("a/index.html", b"<article data-pagefind-body>"));
        assert!(!indexable("bibliography/index.html", b"<main>"));
        assert!(!indexable("references.json", b"data-pagefind-body"));
    }
}
