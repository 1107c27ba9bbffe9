// Runs queries through two sites' search clients in headless Chromium and prints, per query,
// the URLs of the first ten results of each, as JSON lines. A site's client is either
// Pagefind's (`pagefind/pagefind.js`, as gloss shipped it before it had its own index) or
// gloss's (`search.js`), whichever the site has.
// Usage: node bench/search_quality.mjs QUERIES.json BASE_URL_A BASE_URL_B (run by
// bench/search_quality.py; Chromium and puppeteer-core from tests/browser's packages).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../tests/browser/package.json"));
const puppeteer = require("puppeteer-core");
const [queriesFile, ...bases] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesFile, "utf8"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

/// The first ten results' URLs for each query, through the client the site at `base` has.
async function run(base) {
  const page = await browser.newPage();
  await page.goto(base, { waitUntil: "networkidle0" });
  return page.evaluate(async (base, queries) => {
    base = new URL(base).pathname; // as reading.js passes it (the page's data-base)
    const has = async (path) => (await fetch(base + path, { method: "HEAD" })).ok;
    const out = [];
    if (await has("pagefind/pagefind.js")) {
      const pf = await import(base + "pagefind/pagefind.js");
      await pf.options({ baseUrl: base, excerptLength: 22 });
      await pf.init();
      for (const q of queries) {
        const found = await pf.search(q.query);
        const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
        out.push({ total: found.results.length, urls: data.map((d) => d.url) });
      }
      return { client: "pagefind", out };
    }
    const s = await import(base + "search.js");
    await s.init(base);
    for (const q of queries) {
      const found = await s.search(q.query, {}, { limit: 10 });
      out.push({ total: found.total, urls: found.results.map((r) => r.url), excerpt: found.results[0]?.excerpt });
    }
    return { client: "gloss", out };
  }, base, queries);
}

for (const base of bases) {
  const { client, out } = await run(base);
  const prefix = new URL(base).pathname;
  out.forEach((r, i) => {
    // URLs relative to the site, so the two sites' can be compared.
    const urls = r.urls.map((u) => (u.startsWith(prefix) ? u.slice(prefix.length) : u));
    console.log(JSON.stringify({ base, client, query: queries[i].query, kind: queries[i].kind, total: r.total, urls, excerpt: r.excerpt }));
  });
}
await browser.close();
