//! The index read back as `search.js` reads it: words looked up as written, their pages and
//! positions, phrases, filters; and the same files whatever the thread count or cache.

use std::collections::BTreeMap;
use std::io::Read as _;

use super::encode::read_varint;
use super::*;

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn read_string(bytes: &[u8], at: &mut usize) -> Vec<u8> {
    let n = read_varint(bytes, at) as usize;
    *at += n;
    bytes[*at - n..*at].to_vec()
}

/// A page's positions of a term: `(page, [(position, weight)])`.
type Postings = Vec<(u64, Vec<(u64, u64)>)>;

/// A chunk: its words with their term's stem, and each stem's postings.
type Chunk = (Vec<(String, String)>, BTreeMap<String, Postings>);

/// The index as files, decoded.
struct Read {
    files: BTreeMap<String, Vec<u8>>,
    entry: serde_json::Value,
}

impl Read {
    fn new(index: &Index) -> Read {
        let files: BTreeMap<String, Vec<u8>> = index
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.to_vec()))
            .collect();
        let entry = serde_json::from_slice(&files["search/entry.json"]).unwrap();
        Read { files, entry }
    }

    fn file(&self, name: &str) -> Vec<u8> {
        gunzip(&self.files[&format!("search/{name}")])
    }

    /// Every chunk: its surfaces with their term's stem, and each stem's postings.
    fn chunks(&self) -> Vec<Chunk> {
        let list = self.entry["chunks"].as_array().unwrap();
        list.iter()
            .map(|c| decode_chunk(&self.file(c[1].as_str().unwrap())))
            .collect()
    }

    /// The postings of the term a word (as written) is a form of.
    fn lookup(&self, word: &str) -> Option<(String, Postings)> {
        let list = self.entry["chunks"].as_array().unwrap();
        let at = list.partition_point(|c| c[0].as_str().unwrap() <= word);
        let (surfaces, stems) = decode_chunk(&self.file(list[at.checked_sub(1)?][1].as_str()?));
        let stem = surfaces.into_iter().find(|s| s.0 == word)?.1;
        let postings = stems[&stem].clone();
        Some((stem, postings))
    }

    /// The pages holding `words` one after the other.
    fn phrase(&self, words: &[&str]) -> Vec<u64> {
        let postings: Vec<Postings> = words.iter().map(|w| self.lookup(w).unwrap().1).collect();
        postings[0]
            .iter()
            .filter(|(page, first)| {
                first.iter().any(|(p, _)| {
                    postings[1..].iter().enumerate().all(|(k, other)| {
                        other.iter().any(|(q, positions)| {
                            q == page && positions.iter().any(|(x, _)| *x == p + k as u64 + 1)
                        })
                    })
                })
            })
            .map(|(page, _)| *page)
            .collect()
    }

    fn fragment(&self, page: u64) -> serde_json::Value {
        serde_json::from_slice(&self.file(&format!("page/{page}.bin"))).unwrap()
    }
}

/// One page's postings of a term at `*at`: `(position, weight)` of each of its words.
pub(super) fn decode_postings(bytes: &[u8], at: &mut usize) -> Vec<(u64, u64)> {
    let head = read_varint(bytes, at);
    let count = head >> 1;
    let heavy = if head & 1 == 1 {
        read_varint(bytes, at)
    } else {
        0
    };
    let mut position = 0;
    let mut words: Vec<(u64, u64)> = (0..count)
        .map(|_| {
            position += read_varint(bytes, at);
            (position, 1)
        })
        .collect();
    let mut index = 0;
    for _ in 0..heavy {
        index += read_varint(bytes, at) as usize;
        words[index].1 = u64::from(bytes[*at]);
        *at += 1;
    }
    words
}

fn decode_chunk(bytes: &[u8]) -> Chunk {
    let mut at = 0;
    let n = read_varint(bytes, &mut at);
    let mut previous: Vec<u8> = Vec::new();
    let mut surfaces = Vec::new();
    for _ in 0..n {
        let shared = read_varint(bytes, &mut at) as usize;
        let mut word = previous[..shared].to_vec();
        word.extend(read_string(bytes, &mut at));
        let term = read_varint(bytes, &mut at) as usize;
        surfaces.push((word.clone(), term));
        previous = word;
    }
    let terms = read_varint(bytes, &mut at);
    let mut stems = Vec::new();
    let mut postings = BTreeMap::new();
    for _ in 0..terms {
        let stem = String::from_utf8(read_string(bytes, &mut at)).unwrap();
        let block = read_string(bytes, &mut at);
        let mut b = 0;
        let pages = read_varint(&block, &mut b);
        let mut page = 0;
        let mut list = Vec::new();
        for _ in 0..pages {
            page += read_varint(&block, &mut b);
            let positions = decode_postings(&block, &mut b);
            list.push((page, positions));
        }
        assert_eq!(b, block.len());
        stems.push(stem.clone());
        postings.insert(stem, list);
    }
    assert_eq!(at, bytes.len());
    let surfaces = surfaces
        .into_iter()
        .map(|(w, t)| (String::from_utf8(w).unwrap(), stems[t].clone()))
        .collect();
    (surfaces, postings)
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><nav>Menu words</nav>\
         <article data-pagefind-body><h1>{title}</h1>\
         <div hidden data-pagefind-ignore><span data-pagefind-filter=\"kind\">Source</span>\
         <span data-pagefind-meta=\"short\">{title} (2001)</span></div>\
         {body}<section data-pagefind-ignore>QUOTEDELSEWHERE passage</section></article>\
         <script>var previews = \"SCRIPTWORD\";</script></body></html>"
    )
}

fn site(pages: &[(&str, String)]) -> Vec<(String, Bytes)> {
    pages
        .iter()
        .map(|(p, h)| (p.to_string(), Bytes::from(h.as_bytes())))
        .collect()
}

fn sample() -> Vec<(String, Bytes)> {
    site(&[
        (
            "b/index.html",
            page("Raids", "<p>The raid at Abbottabad was planned.</p>"),
        ),
        (
            "a/index.html",
            page("Abbottabad", "<p>Abbottabad raid, again: raiding.</p>"),
        ),
        (
            "bibliography/index.html",
            "<main>Listing only</main>".to_string(),
        ),
        ("c/index.html", page("Other", "<p>A raid; Abbottabad.</p>")),
    ])
}

#[test]
fn words_are_found_as_written_with_the_pages_of_every_form() {
    let read = Read::new(&index(sample(), "en").unwrap());
    assert_eq!(read.entry["pages"], 3);
    let (stem, postings) = read.lookup("raiding").unwrap();
    assert_eq!(stem, "raid");
    let pages: Vec<u64> = postings.iter().map(|p| p.0).collect();
    assert_eq!(pages, [0, 1, 2], "a/, b/, c/ in path order");
    // b/: "Raids" is its title (weight 7, word 0), "raid" its third word; its short form
    // "Raids (2001)" follows its seven words, a word apart, with weight 0.
    assert_eq!(postings[1].1, [(0, 7), (2, 1), (8, 0)]);
    assert_eq!(read.fragment(1)["url"], "b/");
    assert_eq!(read.fragment(1)["meta"]["short"], "Raids (2001)");
    assert_eq!(read.entry["filters"]["kind"]["values"][0][0], "Source");
    assert_eq!(read.entry["filters"]["kind"]["values"][0][1], 3);
}

#[test]
fn ignored_parts_scripts_and_navigation_are_in_no_file() {
    let index = index(sample(), "en").unwrap();
    let read = Read::new(&index);
    for word in ["quotedelsewhere", "scriptword", "menu", "listing"] {
        assert!(read.lookup(word).is_none(), "{word} is indexed");
    }
    for (path, bytes) in &read.files {
        let text = if path.ends_with(".bin") {
            gunzip(bytes)
        } else {
            bytes.clone()
        };
        let text = String::from_utf8_lossy(&text).to_lowercase();
        for word in [
            "quotedelsewhere",
            "scriptword",
            "menu words",
            "listing only",
        ] {
            assert!(!text.contains(word), "{path} holds {word}");
        }
    }
}

#[test]
fn a_phrase_is_found_where_its_words_follow_each_other() {
    let read = Read::new(&index(sample(), "en").unwrap());
    // a/: "Abbottabad Abbottabad raid" (title, then text); c/ has "raid; Abbottabad".
    assert_eq!(read.phrase(&["abbottabad", "raid"]), [0]);
    assert_eq!(read.phrase(&["raid", "abbottabad"]), [2]);
    assert_eq!(read.phrase(&["the", "raid", "at"]), [1]);
}

#[test]
fn the_files_are_the_same_whatever_the_thread_count_or_the_cache() {
    let many: Vec<(String, String)> = (0..300)
        .map(|i| {
            let body: String = (0..200)
                .map(|k| format!("word{} ", (i * 7 + k * 13) % 997))
                .collect();
            (
                format!("p{i:03}/index.html"),
                page(&format!("Page {i}"), &body),
            )
        })
        .collect();
    let pages = || {
        many.iter()
            .map(|(p, h)| (p.clone(), Bytes::from(h.as_bytes())))
            .collect::<Vec<_>>()
    };
    let with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut shuffled = pages();
        shuffled.reverse();
        pool.install(|| index(shuffled, "en").unwrap().files)
    };
    let one = with(1);
    assert!(one == with(4), "1 and 4 threads give other files");
    let mut cache = SearchCache::default();
    let mut edited = pages();
    edited[5].1 = Bytes::from(page("Page 5", "<p>edited words</p>").as_bytes());
    index_cached(edited.clone(), "en", &mut cache).unwrap();
    let warm = index_cached(pages(), "en", &mut cache).unwrap().files;
    assert!(warm == one, "files made through the cache differ");
    assert_eq!(cache.records.len(), 300);
}

#[test]
fn chunks_cut_the_words_in_order_and_each_holds_its_words_whole_postings() {
    // 300 pages of 200 words from a vocabulary of 997: several chunks.
    let pages: Vec<(String, Bytes)> = (0..300)
        .map(|i| {
            let body: String = (0..200)
                .map(|k| format!("w{}x ", (i * 7 + k * 13) % 997))
                .collect();
            let html = page(&format!("Page {i}"), &body);
            (format!("p{i:03}/index.html"), Bytes::from(html.as_bytes()))
        })
        .collect();
    let read = Read::new(&index(pages, "en").unwrap());
    let chunks = read.chunks();
    assert!(chunks.len() > 3, "{} chunks", chunks.len());
    let mut all: Vec<String> = Vec::new();
    for (k, (surfaces, stems)) in chunks.iter().enumerate() {
        let first = read.entry["chunks"][k][0].as_str().unwrap();
        assert_eq!(surfaces[0].0, first);
        for (surface, stem) in surfaces {
            all.push(surface.clone());
            // Every page's positions of the term: as many pages as write the word.
            let pages = stems[stem].len();
            assert!(pages > 0 && pages <= 300, "{surface}: {pages}");
        }
    }
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(all, sorted, "words are sorted and in one chunk each");
    assert!(all.contains(&"w996x".to_string()) && all.contains(&"page".to_string()));
    // "w5x" is in pages i where (7i + 13k) % 997 == 5 for some k < 200.
    let (_, postings) = read.lookup("w5x").unwrap();
    let expected: Vec<u64> = (0..300u64)
        .filter(|i| (0..200u64).any(|k| (i * 7 + k * 13) % 997 == 5))
        .collect();
    assert_eq!(postings.iter().map(|p| p.0).collect::<Vec<_>>(), expected);
}

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
