//! Full-text search: gloss's own index of the pages it rendered, written under `search/`, and
//! read in the browser by `search.js` (the site's search box in `reading.js` uses it).
//!
//! The pages are handed over as rendered (never read back from disk). Only pages marked
//! `data-pagefind-body` (notes) are indexed: listings (the bibliography, tag pages, 404) are
//! not. Each page is read on its own, in parallel, into a [`Record`] ([`html`], [`words`],
//! [`record`]); the files are then made from the records in path order ([`files`]), so the
//! same pages give the same bytes whatever the machine or the number of threads. `gloss serve`
//! keeps the records in a [`SearchCache`] and reads again only the pages that changed.

mod encode;
mod files;
mod html;
mod record;
mod tags;
mod words;

use std::sync::{Arc, Mutex, PoisonError};

use memchr::memmem;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use crate::error::Result;
use crate::output::{Bytes, CopiedFile, OutputFile, Sink};
use record::Record;
use words::Analyzer;

/// The folder of the search files in the output.
pub(crate) const DIR: &str = "search";

/// The attribute that marks the part of a page the index reads.
const BODY: &[u8] = b"data-pagefind-body";

/// How much of a page the index reads, in bytes of HTML: a page larger than this (a note of
/// many megabytes) is indexed in its beginning only. The words of such a note would make every
/// term chunk a search downloads large. A book-length note is about 1 MB, so no ordinary page
/// is cut (full-text engines cap a document likewise: Meilisearch at 65,536 words).
pub(crate) const MAX_INDEXED: usize = 4 << 20;

/// The search files, and the pages indexed only in their first [`MAX_INDEXED`] bytes.
#[derive(Default)]
pub(crate) struct Index {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) cut: Vec<String>,
}

/// What a page's record was made from, so `gloss serve` reads a page again only when its path,
/// its HTML or the site's language changed.
type Key = u128;

/// The records of the pages last indexed (`gloss serve`'s).
#[derive(Default)]
pub(crate) struct SearchCache {
    records: FxHashMap<Key, Arc<Record>>,
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
    path.ends_with(".html") && memmem::find(html, BODY).is_some()
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

/// The search files for `pages` (output path and HTML), whatever order they come in.
pub(crate) fn index(pages: Vec<(String, Bytes)>, language: &str) -> Result<Index> {
    Ok(build(pages, language, None))
}

/// [`index`], reading only the pages `cache` has no record of, and keeping the records of
/// these pages (and no others) for the next call.
pub(crate) fn index_cached(
    pages: Vec<(String, Bytes)>,
    language: &str,
    cache: &mut SearchCache,
) -> Result<Index> {
    Ok(build(pages, language, Some(cache)))
}

fn build(
    mut pages: Vec<(String, Bytes)>,
    language: &str,
    cache: Option<&mut SearchCache>,
) -> Index {
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let analyzer = Analyzer::new(language);
    let known = cache.as_ref().map(|c| &c.records);
    let read: Vec<(Key, Option<Arc<Record>>, bool)> = pages
        .par_iter()
        .map(|(path, html)| {
            let key = key(path, html, language);
            if let Some(record) = known.and_then(|k| k.get(&key)) {
                return (key, Some(record.clone()), html.len() > MAX_INDEXED);
            }
            let html = String::from_utf8_lossy(html);
            let part = indexed_part(&html);
            let record = record::record(path, part, analyzer).map(Arc::new);
            (key, record, part.len() < html.len())
        })
        .collect();
    let mut cut = Vec::new();
    let mut records = Vec::with_capacity(read.len());
    let mut kept = FxHashMap::default();
    for ((path, _), (key, record, was_cut)) in pages.iter().zip(read) {
        if was_cut {
            cut.push(path.clone());
        }
        if let Some(record) = record {
            kept.insert(key, record.clone());
            records.push(record);
        }
    }
    if let Some(cache) = cache {
        cache.records = kept;
    }
    let files = files::files(&records, language);
    Index { files, cut }
}

/// A page's cache key: its path, its bytes and the site's language.
fn key(path: &str, html: &[u8], language: &str) -> Key {
    let mut hash = Xxh3::new();
    for part in [path.as_bytes(), language.as_bytes()] {
        hash.update(&(part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hash.update(html);
    hash.digest128()
}

#[cfg(test)]
mod tests;
