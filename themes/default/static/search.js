// gloss's search client: reads the index gloss writes into <base>search/ (src/search/ says how
// it is laid out) and ranks pages for a query, in the browser, with no server. An ES module,
// loaded by reading.js on first use:
//   init(baseUrl)                    reads search/entry.json
//   filters()                        { name: { value: pages } }
//   search(query, filters, options)  { total, results: [{ url, meta, filters, excerpt, anchor }] }
//   debouncedSearch(query, filters, ms, options)   the same, or null if a newer call came
// A query downloads the term chunks of its words and the fragments of the results it shows.
// Words are looked up as written (lower case, accents off), so the client needs no stemmer:
// each word the index holds leads to its term, whose pages hold every form of the word. The
// words count as prefixes too (results while typing); ranking is Pagefind's BM25 with a
// heading's words weighing more (the title most), and the pages holding a query of three words
// or more as a phrase come first. A query in quotes finds only the pages holding it as a phrase.

const FORMAT = 1;
// BM25's saturation and length normalisation, and how much a longer word matched by a prefix
// counts: Pagefind's defaults, so results rank as they did with it.
// The title's words add a boost of TITLE times their share of the query (Pagefind's
// metadata weight for titles).
const K1 = 1.4, B = 0.75, SIMILARITY = 1.0, TITLE = 5;
// Chunks read for one word beyond its own when it is a prefix of others.
const PREFIX_CHUNKS = 2;

let base = "/", entry = null, lengths = null, average = 1;
const files = new Map();
const decoder = new TextDecoder();
const segmenter = typeof Intl === "object" && Intl.Segmenter
  ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;

/// Reads the index's entry file; `baseUrl` is the site's base path (`/review/`).
export async function init(baseUrl) {
  base = baseUrl || "/";
  const response = await fetch(base + "search/entry.json", { cache: "no-cache" });
  if (!response.ok) throw new Error("no search index (" + response.status + ")");
  entry = await response.json();
  if (entry.format !== FORMAT) throw new Error("a search index of another version");
  const r = new Reader(await file(entry.words));
  const n = r.varint();
  lengths = new Uint32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += lengths[i] = r.varint();
  average = Math.max(1, sum / Math.max(1, n));
}

/// Every filter with its values and how many pages have each.
export async function filters() {
  const out = {};
  Object.keys(entry.filters).forEach((name) => {
    out[name] = {};
    entry.filters[name].values.forEach(([value, count]) => { out[name][value] = count; });
  });
  return out;
}

let timer = 0, waiting = null;

/// `search` after `ms` without another call; a call made meanwhile resolves to null.
export function debouncedSearch(query, chosen, ms = 150, options = {}) {
  if (waiting) waiting(null);
  clearTimeout(timer);
  return new Promise((resolve) => {
    waiting = resolve;
    timer = setTimeout(() => {
      waiting = null;
      search(query, chosen, options).then(resolve, () => resolve(null));
    }, ms);
  });
}

/// The pages for `query` (words) among those with the `chosen` filter values ({ name: value or
/// [values] }), best first; the first `options.limit` (10) with what a result shows.
export async function search(query, chosen = {}, options = {}) {
  const limit = options.limit ?? 10, length = options.excerptLength ?? 22;
  // A query in quotes is a phrase: only the pages holding its words in that order.
  const quoted = /^\s*".+"\s*$/.test(query || "");
  const typed = queryWords(query || "");
  const allowed = await filterPages(chosen);
  let ranked;
  const matched = [];
  if (typed.length) {
    for (const word of typed) matched.push(await lookUp(word, quoted));
    ranked = rank(matched, allowed, quoted);
  } else if (allowed) {
    ranked = [...allowed].sort((a, b) => a - b).map((page) => ({ page, score: 0 }));
  } else {
    return { total: 0, results: [] };
  }
  const shown = await Promise.all(ranked.slice(0, limit).map((r) => result(r, matched, length)));
  return { total: ranked.length, results: shown };
}

// ---- Reading the files ----------------------------------------------------------------------

/// A file under search/, decompressed (a host may have decompressed it already); fragments are
/// named by page number, so they are asked for with the index's version.
function file(name, versioned) {
  if (!files.has(name)) {
    const url = base + "search/" + name + (versioned ? "?v=" + entry.version : "");
    const loading = fetch(url).then((r) => {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.arrayBuffer();
    }).then(gunzip);
    loading.catch(() => files.delete(name));
    files.set(name, loading);
  }
  return files.get(name);
}

async function gunzip(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class Reader {
  constructor(bytes) { this.bytes = bytes; this.at = 0; }
  varint() {
    let n = 0, scale = 1, b;
    do {
      b = this.bytes[this.at++];
      n += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    return n;
  }
  take(n) { this.at += n; return this.bytes.subarray(this.at - n, this.at); }
}

/// A term chunk: its words as written (sorted), the term of each, and the terms' postings
/// (decoded when first needed).
const chunks = new Map();
function chunk(k) {
  if (!chunks.has(k)) {
    chunks.set(k, file(entry.chunks[k][1]).then((bytes) => {
      const r = new Reader(bytes), n = r.varint(), words = new Array(n), termOf = new Array(n);
      let previous = new Uint8Array(0);
      for (let i = 0; i < n; i++) {
        const shared = r.varint(), rest = r.take(r.varint());
        const word = new Uint8Array(shared + rest.length);
        word.set(previous.subarray(0, shared));
        word.set(rest, shared);
        words[i] = decoder.decode(word);
        termOf[i] = r.varint();
        previous = word;
      }
      const terms = [];
      for (let t = r.varint(); t > 0; t--) {
        const stem = decoder.decode(r.take(r.varint()));
        terms.push({ stem, block: r.take(r.varint()), pages: null });
      }
      return { words, termOf, terms };
    }));
    chunks.get(k).catch(() => chunks.delete(k));
  }
  return chunks.get(k);
}

/// A term's pages: page → { positions, weight (the sum of its words' weights), title (a word
/// of it is in the `<h1>`), meta (in a meta value) }.
function pagesOf(term) {
  if (!term.pages) {
    const r = new Reader(term.block), pages = new Map();
    let page = 0;
    for (let n = r.varint(); n > 0; n--) {
      page += r.varint();
      const head = r.varint(), count = Math.floor(head / 2), heavy = head % 2 ? r.varint() : 0;
      const positions = new Array(count);
      let at = 0, weight = count, title = false, meta = false;
      for (let i = 0; i < count; i++) positions[i] = at += r.varint();
      // The words weighing other than 1 (a heading's, 7 for the title's; 0 for a word of the
      // page's meta values, as a source's short form): index and weight.
      for (let h = 0, i = 0; h < heavy; h++) {
        i += r.varint();
        const w = r.bytes[r.at++];
        weight += w - 1;
        title = title || w === 7;
        meta = meta || w === 0;
      }
      pages.set(page, { positions, weight, title, meta });
    }
    term.pages = pages;
  }
  return term.pages;
}

async function filterPages(chosen) {
  let allowed = null;
  for (const name of Object.keys(chosen || {})) {
    const wanted = [].concat(chosen[name]).filter((v) => v !== "" && v != null);
    const filter = entry.filters[name];
    if (!wanted.length) continue;
    const pages = new Set();
    if (filter) {
      const r = new Reader(await file(filter.file));
      for (const [value] of filter.values) {
        let page = 0;
        const take = wanted.includes(value);
        for (let n = r.varint(); n > 0; n--) {
          page += r.varint();
          if (take) pages.add(page);
        }
      }
    }
    allowed = allowed ? new Set([...allowed].filter((p) => pages.has(p))) : pages;
  }
  return allowed;
}

// ---- Words ------------------------------------------------------------------------------------

/// Words as the index stores them: lower case, `’` as `'`, accents off where a letter
/// decomposes (src/search/words.rs does the same).
export function surface(word) {
  const lower = word.toLowerCase().replace(/\u2019/g, "'");
  const decomposed = lower.normalize("NFD");
  if (decomposed === lower) return lower;
  return decomposed.replace(/\p{M}/gu, (m) => (m === "\u3099" || m === "\u309a" ? m : "")).normalize("NFC");
}

/// The words of `text` with where each starts (Unicode's word boundaries; ideographs one by
/// one, as the index splits them).
function words(text) {
  const out = [];
  const add = (word, index) => {
    if (/^[\p{sc=Han}\p{sc=Hiragana}]{2,}$/u.test(word)) {
      let i = index;
      for (const c of word) { out.push({ word: c, index: i }); i += c.length; }
    } else out.push({ word, index });
  };
  if (segmenter) {
    for (const s of segmenter.segment(text)) if (s.isWordLike) add(s.segment, s.index);
  } else {
    for (const m of text.matchAll(/[\p{L}\p{N}\p{M}\p{Pc}]+(?:['’.:][\p{L}\p{N}\p{M}\p{Pc}]+)*/gu)) add(m[0], m.index);
  }
  return out;
}

function queryWords(query) {
  return words(query.normalize("NFC")).map((w) => surface(w.word));
}

/// Compares in code point order, as the index sorts (by UTF-8 bytes).
function compare(a, b) {
  const x = [...a], y = [...b], n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
  }
  return x.length - y.length;
}

/// How much a term counts by how much longer or shorter it is than the query's (Pagefind's
/// curve: 1 for the same length, falling towards 1/e).
function similarity(a, b) {
  const d = Math.abs(utf8Length(a) - utf8Length(b)) + 1;
  return Math.exp(Math.exp(-0.5 * d * d / 4) * SIMILARITY) / Math.exp(SIMILARITY);
}

function utf8Length(s) {
  let n = 0;
  for (const c of s) { const p = c.codePointAt(0); n += p < 0x80 ? 1 : p < 0x800 ? 2 : p < 0x10000 ? 3 : 4; }
  return n;
}

/// The chunks that may hold words starting with `prefix`: the one it falls in and those after
/// it that start with it (at most PREFIX_CHUNKS of them).
function chunksFor(prefix) {
  const list = entry.chunks;
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid][0], prefix) <= 0) lo = mid + 1; else hi = mid;
  }
  const ks = [Math.max(0, lo - 1)];
  for (let k = ks[0] + 1; k < list.length && ks.length <= PREFIX_CHUNKS && list[k][0].startsWith(prefix); k++) ks.push(k);
  return Promise.all(ks.map(chunk));
}

function lowerBound(sorted, word) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(sorted[mid], word) < 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/// A query word's terms, as Pagefind chose them: the terms starting with the word's own term
/// (the word is written in full and indexed), else those of the indexed words it begins (it is
/// being typed), else the term of the longest indexed word it begins with. Each term with how
/// much it counts, and the forms of the terms the loaded chunks hold (for the excerpt's marks).
async function lookUp(word, exact) {
  let loaded = await chunksFor(word), own = null;
  loaded.forEach((c) => {
    const i = lowerBound(c.words, word);
    if (c.words[i] === word) own = c.terms[c.termOf[i]].stem;
  });
  // Forms of the word's term and of longer terms share the start of the word and of its term.
  let prefix = word;
  if (own) {
    let n = 0;
    while (n < word.length && word[n] === own[n]) n++;
    prefix = word.slice(0, n);
    if (prefix !== word) loaded = await chunksFor(prefix);
  }
  const query = own || word, terms = new Map();
  loaded.forEach((c) => {
    for (let i = lowerBound(c.words, prefix); i < c.words.length && c.words[i].startsWith(prefix); i++) {
      const term = c.terms[c.termOf[i]];
      const wanted = exact ? term.stem === own : !own || term.stem.startsWith(own);
      if (prefix.length && wanted && !terms.has(term.stem)) terms.set(term.stem, term);
    }
  });
  if (!terms.size && !exact) {
    // No indexed word starts with it: the longest indexed word it starts with.
    const c = loaded[0];
    for (let i = Math.min(lowerBound(c.words, word), c.words.length) - 1; i >= 0; i--) {
      if (word.startsWith(c.words[i]) && c.words[i].length >= 2) {
        const term = c.terms[c.termOf[i]];
        terms.set(term.stem, term);
        break;
      }
    }
  }
  const matched = new Map(), pages = new Set();
  terms.forEach((term, stem) => {
    // Pagefind counts a term the reader's word begins (or that begins it) 1.8 times.
    const bonus = stem === word || stem.startsWith(word) || word.startsWith(stem) ? 1.8 : 1;
    matched.set(stem, { term, count: similarity(stem, query), bonus });
    pagesOf(term).forEach((_, page) => pages.add(page));
  });
  const forms = new Set();
  loaded.forEach((c) => c.words.forEach((w, i) => { if (matched.has(c.terms[c.termOf[i]].stem)) forms.add(w); }));
  return { word, own, terms: matched, pages, forms };
}

// ---- Ranking ----------------------------------------------------------------------------------

function idf(n, df) {
  return Math.log((n - df + 0.5) / (df + 0.5) + 1);
}

/// The pages holding every word (and allowed by the filters), scored as Pagefind scores them:
/// per term, BM25 of its weighted count on the page (a word in the title counts 7, in a heading
/// 6 to 2, else 1) with the query word's IDF (of every page any of its terms is on), plus a
/// boost for the words in the title (five times) and in the meta values (a source's short
/// form) weighed by the share of the query they cover. Pages holding
/// the query as a phrase come first.
function rank(matched, allowed, quoted) {
  let pages = null;
  for (const m of matched) pages = pages ? new Set([...pages].filter((p) => m.pages.has(p))) : new Set(m.pages);
  if (allowed) pages = new Set([...pages].filter((p) => allowed.has(p)));
  const n = lengths.length;
  const idfs = matched.map((m) => idf(n, m.pages.size));
  const total = idfs.reduce((a, b) => a + b, 0);
  const ranked = [];
  for (const page of pages) {
    let score = 0, titled = 0, described = 0;
    matched.forEach((m, k) => m.terms.forEach(({ term, count, bonus }) => {
      const hit = pagesOf(term).get(page);
      if (!hit) return;
      const tf = hit.weight * count, norm = K1 * (1 - B + B * (lengths[page] / average));
      score += idfs[k] * ((K1 + 1) * tf) / (norm + tf) * bonus;
      if (hit.title) titled += idfs[k];
      if (hit.meta) described += idfs[k];
    }));
    if (total > 0) score += TITLE * titled * (titled / total) ** 2 + described * (described / total) ** 2;
    // Two words often follow each other by chance; three or more, rarely: a reader who
    // types them as they stand in a note is quoting it.
    const phrase = (quoted || matched.length > 2) && phraseAt(matched, page) >= 0;
    if (quoted && !phrase) continue;
    if (phrase && !quoted) score += 1e6;
    ranked.push({ page, score });
  }
  return ranked.sort((a, b) => b.score - a.score || a.page - b.page);
}

/// Where the query's words follow each other on `page` (a word's own term if it is indexed, its
/// terms if it is still being typed), or -1.
function phraseAt(matched, page) {
  const sets = matched.map((m) => {
    const at = new Set();
    m.terms.forEach(({ term }, stem) => {
      if (!m.own || stem === m.own) (pagesOf(term).get(page)?.positions || []).forEach((p) => at.add(p));
    });
    return at;
  });
  for (const start of sets[0]) {
    if (sets.every((s, k) => s.has(start + k))) return start;
  }
  return -1;
}

// ---- Results ----------------------------------------------------------------------------------

async function result({ page }, matched, length) {
  const fragment = JSON.parse(decoder.decode(await file("page/" + page + ".bin", true)));
  const { html, start } = excerpt(fragment.text, matched, length);
  let anchor = null;
  (fragment.anchors || []).forEach(([id, text, at]) => { if (at <= start) anchor = { id, text }; });
  return {
    url: base + fragment.url,
    meta: fragment.meta,
    filters: fragment.filters,
    excerpt: html,
    anchor,
  };
}

/// `length` words of `text` around its best match, escaped, with the matched words in <mark>:
/// the query as a phrase if the text has it, else the window with the most of the query's words.
function excerpt(text, matched, length) {
  const ws = words(text);
  const hits = ws.map((w) => {
    const s = surface(w.word);
    return matched.findIndex((m) => m.forms.has(s));
  });
  let best = 0, bestScore = -1;
  const phrase = matched.length > 1 ? hits.findIndex((_, i) => matched.every((_, k) => hits[i + k] === k)) : -1;
  if (phrase >= 0) {
    best = Math.max(0, phrase - Math.floor((length - matched.length) / 3));
  } else {
    // Windows starting a little before each matched word.
    const starts = new Set(hits.map((h, k) => (h >= 0 ? Math.max(0, k - 3) : -1)).filter((k) => k >= 0));
    for (const i of starts) {
      const seen = new Set();
      let count = 0;
      for (let k = i; k < Math.min(ws.length, i + length); k++) if (hits[k] >= 0) { seen.add(hits[k]); count++; }
      const score = seen.size * 1000 + count;
      if (score > bestScore) { bestScore = score; best = i; }
    }
  }
  const end = Math.min(ws.length, best + length);
  if (!ws.length) return { html: escape(text.slice(0, 200)), start: 0 };
  let html = "", at = ws[best].index;
  for (let k = best; k < end; k++) {
    const w = ws[k];
    html += escape(text.slice(at, w.index));
    html += hits[k] >= 0 ? "<mark>" + escape(w.word) + "</mark>" : escape(w.word);
    at = w.index + w.word.length;
  }
  return { html, start: ws[best].index };
}

function escape(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
}
