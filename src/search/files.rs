//! The index files, made from the pages' records (in path order, so page `n` is the same page
//! on every machine, and every list below is sorted: no hash map's order reaches a file):
//!
//! - `entry.json`: what a first search reads — the format, the page count, the words file, the
//!   term chunks (each named by its first word), the filters with their values and counts, and
//!   a version that changes with any file.
//! - `terms/<hash>.bin`: the term dictionary, cut by word range into chunks of about
//!   [`CHUNK_BYTES`], so a query downloads only the chunks of its words. A chunk lists its words
//!   as written (front-coded), each with its term (its stem), and each term's postings: the
//!   pages holding it and, per page, the positions and weights of its words (see
//!   `record::encode_postings`). The client looks a typed word up as written, so it needs no
//!   stemmer of its own.
//! - `words.<hash>.bin`: each page's number of words (for ranking).
//! - `filter/<hash>.bin`: per filter, each value's pages, fetched when a filter is chosen.
//! - `page/<n>.bin`: page `n`'s fragment, fetched only when it is shown.
//!
//! Every `.bin` is gzip-compressed; integers are LEB128 varints (see `search.js`).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::DIR;
use super::encode::{gzip, string, varint};
use super::record::Record;
use crate::output::OutputFile;

/// The version of the files' layout (`search.js` checks it).
const FORMAT: u32 = 1;

/// About how many bytes (before compression) a term chunk holds: a query's download is about
/// one chunk per word. A term with more postings than this is a chunk of its own.
const CHUNK_BYTES: usize = 40 << 10;

#[derive(Serialize)]
struct Entry<'a> {
    format: u32,
    version: String,
    language: &'a str,
    pages: usize,
    words: String,
    /// `[first word, file]`, in word order.
    chunks: Vec<(&'a str, String)>,
    filters: BTreeMap<&'a str, EntryFilter<'a>>,
}

#[derive(Serialize)]
struct EntryFilter<'a> {
    file: String,
    /// `[value, pages]`, sorted by value (an array: JavaScript reorders number-like keys).
    values: Vec<(&'a str, usize)>,
}

/// The search files for `records`, one per page in path order.
pub(super) fn files(records: &[Arc<Record>], language: &str) -> Vec<OutputFile> {
    let (stems, blocks) = postings(records);
    let surfaces = surfaces(records, &stems);
    let chunks = chunks(&surfaces, &stems, &blocks);
    let mut out: Vec<OutputFile> = chunks
        .par_iter()
        .map(|chunk| hashed("terms/", &encode_chunk(chunk, &stems, &blocks)))
        .collect();
    let chunk_list: Vec<(&str, String)> = chunks
        .iter()
        .zip(&out)
        .map(|(c, f)| (c[0].0, f.path[DIR.len() + 1..].to_string()))
        .collect();
    let mut counts = Vec::new();
    varint(&mut counts, records.len() as u64);
    for r in records {
        varint(&mut counts, u64::from(r.words));
    }
    let words = hashed("words.", &counts);
    let mut filters = BTreeMap::new();
    for (name, values) in filter_pages(records) {
        let mut bytes = Vec::new();
        let mut listed = Vec::new();
        for (value, pages) in values {
            varint(&mut bytes, pages.len() as u64);
            let mut previous = 0;
            for p in &pages {
                varint(&mut bytes, u64::from(p - previous));
                previous = *p;
            }
            listed.push((value, pages.len()));
        }
        let file = hashed("filter/", &bytes);
        let entry = EntryFilter {
            file: file.path[DIR.len() + 1..].to_string(),
            values: listed,
        };
        filters.insert(name, entry);
        out.push(file);
    }
    let words_file = words.path[DIR.len() + 1..].to_string();
    out.push(words);
    out.extend(
        records
            .iter()
            .enumerate()
            .map(|(n, r)| OutputFile::new(format!("{DIR}/page/{n}.bin"), r.fragment.clone())),
    );
    out.sort_by(|a, b| a.path.cmp(&b.path));
    let mut version = Xxh3::new();
    for f in &out {
        version.update(f.path.as_bytes());
        version.update(&xxh3_64(&f.bytes).to_le_bytes());
    }
    let entry = Entry {
        format: FORMAT,
        version: format!("{:016x}", version.digest()),
        language,
        pages: records.len(),
        words: words_file,
        chunks: chunk_list,
        filters,
    };
    let json = serde_json::to_vec(&entry).unwrap_or_default();
    out.push(OutputFile::new(format!("{DIR}/entry.json"), json));
    out
}

/// How hard the binary files are compressed: varints leave deflate little to find, and more
/// effort finds little more (measured on the 10,000-source corpus's term chunks, 13.8 MB: level
/// 1 gives 8.97 MB, 4 gives 8.62 MB in twice the time, 9 gives 8.26 MB in eight times the time),
/// while `gloss serve` makes these files again after every save that a search follows.
const LEVEL: u32 = 1;

/// A compressed file under `prefix`, named by a hash of its bytes (so a browser may keep it).
fn hashed(prefix: &str, raw: &[u8]) -> OutputFile {
    let bytes = gzip(raw, LEVEL);
    let name = format!("{DIR}/{prefix}{:016x}.bin", xxh3_64(&bytes));
    OutputFile::new(name, bytes)
}

/// Every term, sorted, with its encoded postings: the number of pages, then for each page its
/// number less the previous one's and the page's own postings for the term.
fn postings(records: &[Arc<Record>]) -> (Vec<&str>, Vec<Vec<u8>>) {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut stems: Vec<&str> = Vec::new();
    let mut lists: Vec<Vec<(u32, &[u8])>> = Vec::new();
    for (page, record) in records.iter().enumerate() {
        for i in 0..record.terms.len() {
            let (stem, postings) = record.term(i);
            let id = *ids.entry(stem).or_insert_with(|| {
                stems.push(stem);
                lists.push(Vec::new());
                (stems.len() - 1) as u32
            });
            lists[id as usize].push((page as u32, postings));
        }
    }
    let mut order: Vec<u32> = (0..stems.len() as u32).collect();
    order.par_sort_unstable_by(|a, b| stems[*a as usize].cmp(stems[*b as usize]));
    let blocks = order
        .par_iter()
        .map(|id| {
            let list = &lists[*id as usize];
            let mut block = Vec::with_capacity(list.iter().map(|l| l.1.len() + 2).sum());
            varint(&mut block, list.len() as u64);
            let mut previous = 0;
            for (page, postings) in list {
                varint(&mut block, u64::from(page - previous));
                block.extend_from_slice(postings);
                previous = *page;
            }
            block
        })
        .collect();
    let sorted = order.iter().map(|id| stems[*id as usize]).collect();
    (sorted, blocks)
}

/// Every word as written, sorted, with the rank of its term in `stems`.
fn surfaces<'a>(records: &'a [Arc<Record>], stems: &[&str]) -> Vec<(&'a str, u32)> {
    let rank: FxHashMap<&str, u32> = stems
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as u32))
        .collect();
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    for record in records {
        for (surface, term) in &record.surfaces {
            seen.entry(surface)
                .or_insert_with(|| rank[&*record.terms[*term as usize].0]);
        }
    }
    let mut surfaces: Vec<(&str, u32)> = seen.into_iter().collect();
    surfaces.par_sort_unstable();
    surfaces
}

/// The surfaces cut into runs of about [`CHUNK_BYTES`], counting each term's postings once in
/// each chunk that holds a form of it.
fn chunks<'a>(
    surfaces: &[(&'a str, u32)],
    stems: &[&str],
    blocks: &[Vec<u8>],
) -> Vec<Vec<(&'a str, u32)>> {
    let mut chunks = Vec::new();
    let mut current: Vec<(&str, u32)> = Vec::new();
    let mut held: FxHashSet<u32> = FxHashSet::default();
    let mut size = 0;
    for &(surface, rank) in surfaces {
        let mut add = surface.len() + 3;
        if !held.contains(&rank) {
            add += stems[rank as usize].len() + blocks[rank as usize].len() + 4;
        }
        if !current.is_empty() && size + add > CHUNK_BYTES {
            chunks.push(std::mem::take(&mut current));
            held.clear();
            size = 0;
            add = surface.len() + 3 + stems[rank as usize].len() + blocks[rank as usize].len() + 4;
        }
        held.insert(rank);
        current.push((surface, rank));
        size += add;
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// A chunk's bytes: its surfaces (each as the bytes it shares with the one before, the rest,
/// and its term's number in the chunk), then its terms (the stem and its postings' length and
/// bytes), terms in sorted order.
fn encode_chunk(chunk: &[(&str, u32)], stems: &[&str], blocks: &[Vec<u8>]) -> Vec<u8> {
    let mut ranks: Vec<u32> = chunk.iter().map(|c| c.1).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut out = Vec::new();
    varint(&mut out, chunk.len() as u64);
    let mut previous = "";
    for (surface, rank) in chunk {
        let shared = common_prefix(previous, surface);
        varint(&mut out, shared as u64);
        string(&mut out, &surface[shared..]);
        let local = ranks.binary_search(rank).unwrap_or_default();
        varint(&mut out, local as u64);
        previous = surface;
    }
    varint(&mut out, ranks.len() as u64);
    for rank in ranks {
        string(&mut out, stems[rank as usize]);
        let block = &blocks[rank as usize];
        varint(&mut out, block.len() as u64);
        out.extend_from_slice(block);
    }
    out
}

/// The length in bytes of the longest common prefix of `a` and `b` that ends on a character
/// boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// Each filter's values, each with the pages (in order) that have it.
fn filter_pages(records: &[Arc<Record>]) -> BTreeMap<&str, BTreeMap<&str, Vec<u32>>> {
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (page, record) in records.iter().enumerate() {
        for (name, value) in &record.filters {
            filters
                .entry(name)
                .or_default()
                .entry(value)
                .or_default()
                .push(page as u32);
        }
    }
    filters
}
