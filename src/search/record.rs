//! One page's share of the index, made from its HTML alone (so pages are read in parallel, and
//! `gloss serve` keeps a page's record until the page changes): its terms with the positions of
//! their words, the words as written (surfaces) and the term each is a form of, its filters,
//! and its fragment, the compressed JSON a result shows (URL, title, meta, filters, text).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    /// Its terms (stems), sorted, each with where its postings on this page (see
    /// [`encode_postings`]) end in `postings`.
    pub(super) terms: Vec<(Arc<str>, u32)>,
    pub(super) postings: Box<[u8]>,
    /// Its distinct words as written (in [`words::surface`] form), sorted, with their term.
    pub(super) surfaces: Vec<(Arc<str>, u32)>,
    /// `(name, value)`, sorted, distinct.
    pub(super) filters: Vec<(String, String)>,
    /// The gzip-compressed JSON of what a result shows.
    pub(super) fragment: Bytes,
}

/// How hard fragments are compressed: text compresses about as well at 6 as at 9, faster.
const TEXT_LEVEL: u32 = 6;

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
    let (terms, postings, surfaces, words) = terms(&page, analyzer);
    let mut filters = page.filters.clone();
    filters.sort();
    filters.dedup();
    let fragment = fragment(&url, &page);
    Some(Record {
        words,
        terms,
        postings: postings.into_boxed_slice(),
        surfaces,
        filters,
        fragment: gzip(&fragment, TEXT_LEVEL).into(),
    })
}

impl Record {
    /// Term `i` and its postings on this page.
    pub(super) fn term(&self, i: usize) -> (&str, &[u8]) {
        let start = if i == 0 {
            0
        } else {
            self.terms[i - 1].1 as usize
        };
        (
            &self.terms[i].0,
            &self.postings[start..self.terms[i].1 as usize],
        )
    }
}

/// `sources/key/index.html` → `sources/key/`; `index.html` → ``.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.to_string(),
        _ => path.to_string(),
    }
}

type Terms = (Vec<(Arc<str>, u32)>, Vec<u8>, Vec<(Arc<str>, u32)>, u32);

/// The page's terms with where their postings end, the postings, its surfaces, and its number
/// of words. Each word is looked up once per page (its surface form) and stemmed once per
/// thread ([`Analyzer::intern`]); occurrences are sorted, not gathered in per-word lists.
fn terms(page: &Extract, analyzer: Analyzer) -> Terms {
    let mut ids: FxHashMap<Cow<str>, u32> = FxHashMap::default();
    let mut occurrences: Vec<(u32, u32)> = Vec::new();
    let mut runs = page.weights.iter().peekable();
    let mut weight = 1u8;
    let mut count = 0u32;
    for (offset, word) in words::words(&page.text) {
        while let Some((_, w)) = runs.next_if(|(start, _)| *start <= offset) {
            weight = *w;
        }
        let next = ids.len() as u32;
        let id = *ids.entry(words::surface(word)).or_insert(next);
        occurrences.push((id, (count << 3) | u32::from(weight)));
        count += 1;
    }
    // The words of the page's meta values (a source's short form, its kind) count for finding
    // and ranking the page, as Pagefind's metadata does, with weight 0: after the text (a word
    // apart, so no phrase runs from the text into them), not in its length.
    let mut at = count + 1;
    for (_, value) in &page.meta {
        for (_, word) in words::words(value) {
            let next = ids.len() as u32;
            let id = *ids.entry(words::surface(word)).or_insert(next);
            occurrences.push((id, at << 3));
            at += 1;
        }
        at += 1;
    }
    let mut forms: Vec<(Arc<str>, Arc<str>, u32)> = ids
        .into_iter()
        .map(|(word, id)| {
            let (surface, stem) = analyzer.intern(&word);
            (stem, surface, id)
        })
        .collect();
    forms.sort_unstable();
    let mut term_of = vec![0u32; forms.len()];
    let mut terms: Vec<(Arc<str>, u32)> = Vec::new();
    let mut surfaces = Vec::with_capacity(forms.len());
    for (stem, surface, id) in forms {
        if terms.last().is_none_or(|t| t.0 != stem) {
            terms.push((stem, 0));
        }
        let term = terms.len() as u32 - 1;
        term_of[id as usize] = term;
        surfaces.push((surface, term));
    }
    surfaces.sort_unstable();
    for o in &mut occurrences {
        o.0 = term_of[o.0 as usize];
    }
    occurrences.sort_unstable();
    let mut postings = Vec::with_capacity(occurrences.len() * 2);
    for group in occurrences.chunk_by(|a, b| a.0 == b.0) {
        encode_postings(&mut postings, group);
        terms[group[0].0 as usize].1 = postings.len() as u32;
    }
    (terms, postings, surfaces, count)
}

/// A term's postings on one page, from its occurrences (`position << 3 | weight`, sorted): the
/// number of words, doubled, plus one if some weigh other than 1 (a heading's, 2 to 7; a meta
/// value's, 0), and then how many do; each word's position less the previous one's; then each
/// of those words' index among them (less the previous one's) and weight. Weights apart keep the positions' numbers small, and
/// most postings (words of the text only) pay nothing for them.
fn encode_postings(out: &mut Vec<u8>, occurrences: &[(u32, u32)]) {
    let heavy = occurrences.iter().filter(|o| o.1 & 7 != 1).count();
    varint(
        out,
        ((occurrences.len() as u64) << 1) | u64::from(heavy > 0),
    );
    if heavy > 0 {
        varint(out, heavy as u64);
    }
    let mut previous = 0;
    for (_, p) in occurrences {
        varint(out, u64::from((p >> 3) - previous));
        previous = p >> 3;
    }
    let mut last = 0;
    for (i, (_, p)) in occurrences.iter().enumerate().filter(|(_, o)| o.1 & 7 != 1) {
        varint(out, (i - last) as u64);
        out.push((p & 7) as u8);
        last = i;
    }
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
    use super::super::tests::decode_postings;
    use super::*;

    fn page(body: &str) -> Record {
        let html =
            format!("<html><body><article data-pagefind-body>{body}</article></body></html>");
        record("notes/x/index.html", &html, Analyzer::new("en")).unwrap()
    }

    fn positions(record: &Record, stem: &str) -> Vec<(u64, u64)> {
        let i = record.terms.iter().position(|(s, _)| &**s == stem).unwrap();
        let (_, postings) = record.term(i);
        let mut at = 0;
        let words = decode_postings(postings, &mut at);
        assert_eq!(at, postings.len());
        words
    }

    #[test]
    fn a_term_holds_the_positions_and_weights_of_every_form_of_its_word() {
        let r = page(
            "<h1>Raids</h1><p>The raid and the raiding party.</p><h2>Raided</h2>\
             <p hidden data-pagefind-ignore><span data-pagefind-meta=\"short\">Raid (2001)\
             </span></p>",
        );
        assert_eq!(r.words, 8);
        // The meta value's words come after the text's, a word apart, with weight 0.
        assert_eq!(
            positions(&r, "raid"),
            [(0, 7), (2, 1), (5, 1), (7, 6), (9, 0)]
        );
        assert_eq!(positions(&r, "2001"), [(10, 0)]);
        assert_eq!(positions(&r, "the"), [(1, 1), (4, 1)]);
        let forms: Vec<(&str, &str)> = r
            .surfaces
            .iter()
            .map(|(s, t)| (&**s, &*r.terms[*t as usize].0))
            .collect();
        assert_eq!(
            forms,
            [
                ("2001", "2001"),
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
