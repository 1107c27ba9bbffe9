//! One page's share of the index, made from its HTML alone (so pages are read in parallel, and
//! `gloss serve` keeps a page's record until the page changes): its terms with the positions of
//! their words, the words as written (surfaces) and the term each is a form of, its filters,
//! and its fragment, the compressed JSON a result shows (URL, title, meta, filters, text).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::encode::{gzip, varint};
use super::html::{self, Extract};
use super::words::{self, Analyzer};
use crate::output::Bytes;

/// What the index keeps of one page.
pub(crate) struct Record {
    /// How many words the page has (a result's length counts in its ranking).
    pub(super) words: u32,
    /// Its terms (stems), sorted, each with its postings: the number of its words, then each
    /// word's position less the previous one's, shifted left three bits, with its weight (1–7).
    pub(super) terms: Vec<(Box<str>, Box<[u8]>)>,
    /// Its distinct words as written (in [`words::surface`] form), sorted, with their term.
    pub(super) surfaces: Vec<(Box<str>, u32)>,
    /// `(name, value)`, sorted, distinct.
    pub(super) filters: Vec<(String, String)>,
    /// The gzip-compressed JSON of what a result shows.
    pub(super) fragment: Bytes,
}

/// What a result shows of a page (`search/page/<n>.bin`, read by `search.js`).
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    /// `title` (the first `<h1>`) and the page's `data-pagefind-meta` values.
    meta: BTreeMap<&'a str, &'a str>,
    filters: BTreeMap<&'a str, Vec<&'a str>>,
    text: &'a str,
    /// Headings with an id: `[id, text, offset in text in UTF-16 units]` (JavaScript's).
    anchors: Vec<(&'a str, &'a str, usize)>,
}

/// The record of the page at output path `path`, or `None` if it has no indexed body.
pub(super) fn record(path: &str, html: &str, analyzer: Analyzer) -> Option<Record> {
    let page = html::extract(html)?;
    let url = url_of(path);
    let (terms, surfaces, words) = terms(&page, analyzer);
    let mut filters = page.filters.clone();
    filters.sort();
    filters.dedup();
    let fragment = fragment(&url, &page);
    Some(Record {
        words,
        terms,
        surfaces,
        filters,
        fragment: gzip(&fragment).into(),
    })
}

/// `sources/key/index.html` → `sources/key/`; `index.html` → ``.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.to_string(),
        _ => path.to_string(),
    }
}

type Terms = (Vec<(Box<str>, Box<[u8]>)>, Vec<(Box<str>, u32)>, u32);

/// The page's terms with their postings, its surfaces, and its number of words.
fn terms(page: &Extract, analyzer: Analyzer) -> Terms {
    let mut by_surface: FxHashMap<std::borrow::Cow<str>, Vec<u32>> = FxHashMap::default();
    let mut runs = page.weights.iter().peekable();
    let mut weight = 1u8;
    let mut count = 0u32;
    for (offset, word) in words::words(&page.text) {
        while let Some((_, w)) = runs.next_if(|(start, _)| *start <= offset) {
            weight = *w;
        }
        by_surface
            .entry(words::surface(word))
            .or_default()
            .push((count << 3) | u32::from(weight));
        count += 1;
    }
    let mut by_stem: BTreeMap<Box<str>, (Vec<u32>, Vec<Box<str>>)> = BTreeMap::new();
    for (surface, positions) in by_surface {
        let entry = by_stem.entry(analyzer.stem(&surface)).or_default();
        entry.0.extend(positions);
        entry.1.push(surface.into());
    }
    let mut terms = Vec::with_capacity(by_stem.len());
    let mut surfaces = Vec::new();
    for (i, (stem, (mut positions, forms))) in by_stem.into_iter().enumerate() {
        positions.sort_unstable();
        let mut postings = Vec::with_capacity(positions.len() + 2);
        varint(&mut postings, positions.len() as u64);
        let mut previous = 0;
        for p in positions {
            let at = p >> 3;
            varint(&mut postings, u64::from(((at - previous) << 3) | (p & 7)));
            previous = at;
        }
        terms.push((stem, postings.into_boxed_slice()));
        surfaces.extend(forms.into_iter().map(|s| (s, i as u32)));
    }
    surfaces.sort_unstable();
    (terms, surfaces, count)
}

/// The fragment's JSON.
fn fragment(url: &str, page: &Extract) -> Vec<u8> {
    let mut meta = BTreeMap::new();
    meta.insert("title", page.title.as_str());
    for (name, value) in &page.meta {
        meta.insert(name.as_str(), value.as_str());
    }
    let mut filters: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in &page.filters {
        let values = filters.entry(name.as_str()).or_default();
        if !values.contains(&value.as_str()) {
            values.push(value.as_str());
        }
    }
    let mut anchors = Vec::with_capacity(page.anchors.len());
    let (mut units, mut counted) = (0, 0);
    for (id, text, at) in &page.anchors {
        units += page.text[counted..*at].encode_utf16().count();
        counted = *at;
        anchors.push((id.as_str(), text.as_str(), units));
    }
    let fragment = Fragment {
        url,
        meta,
        filters,
        text: &page.text,
        anchors,
    };
    serde_json::to_vec(&fragment).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::encode::read_varint;
    use super::*;

    fn page(body: &str) -> Record {
        let html =
            format!("<html><body><article data-pagefind-body>{body}</article></body></html>");
        record("notes/x/index.html", &html, Analyzer::new("en")).unwrap()
    }

    fn positions(record: &Record, stem: &str) -> Vec<(u64, u64)> {
        let (_, postings) = record.terms.iter().find(|(s, _)| &**s == stem).unwrap();
        let mut at = 0;
        let n = read_varint(postings, &mut at);
        let mut position = 0;
        (0..n)
            .map(|_| {
                let v = read_varint(postings, &mut at);
                position += v >> 3;
                (position, v & 7)
            })
            .collect()
    }

    #[test]
    fn a_term_holds_the_positions_and_weights_of_every_form_of_its_word() {
        let r = page("<h1>Raids</h1><p>The raid and the raiding party.</p><h2>Raided</h2>");
        assert_eq!(r.words, 8);
        assert_eq!(positions(&r, "raid"), [(0, 7), (2, 1), (5, 1), (7, 6)]);
        assert_eq!(positions(&r, "the"), [(1, 1), (4, 1)]);
        let forms: Vec<(&str, &str)> = r
            .surfaces
            .iter()
            .map(|(s, t)| (&**s, &*r.terms[*t as usize].0))
            .collect();
        assert_eq!(
            forms,
            [
                ("and", "and"),
                ("party", "parti"),
                ("raid", "raid"),
                ("raided", "raid"),
                ("raiding", "raid"),
                ("raids", "raid"),
                ("the", "the")
            ]
        );
    }

    #[test]
    fn the_fragment_holds_what_a_result_shows() {
        use std::io::Read;
        let r = page(
            "<h1>Title é</h1><div hidden data-pagefind-ignore><span data-pagefind-filter=\"kind\">\
             Source</span><span data-pagefind-meta=\"short\">A (2001)</span></div>\
             <h2 id=\"s\">Section</h2><p>Text.</p>",
        );
        let mut json = String::new();
        flate2::read::GzDecoder::new(&r.fragment[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(
            json,
            r#"{"url":"notes/x/","meta":{"short":"A (2001)","title":"Title é"},"filters":{"kind":["Source"]},"text":"Title é Section Text.","anchors":[["s","Section",8]]}"#
        );
        assert_eq!(r.filters, [("kind".to_string(), "Source".to_string())]);
    }
}
