// What one search downloads: opens the site's home page in headless Chromium, searches through
// the site's own search box, and counts the bytes and requests of the search files (gloss's
// search.js and search/, or Pagefind's pagefind/) for the first query (which loads the client
// and the index's entry) and for a second, different one (term chunks and the fragments of the
// results shown).
// Usage: node bench/search_transfer.mjs BASE_URL "first query" (run by bench/search_cost.py).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../tests/browser/package.json"));
const puppeteer = require("puppeteer-core");
const [base, query = "trust deficit"] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage();
// The server counts what it sends of the search files (bench/search_cost.py).
const counted = async () => (await (await fetch(new URL("/__bytes", base))).text()).split(" ").map(Number);
await page.goto(base, { waitUntil: "networkidle0" });
async function search(q) {
  await counted();
  await page.evaluate(() => { document.getElementById("search-input").value = ""; });
  if (!(await page.$("#search-dialog[open]"))) await page.click("#search-open");
  await page.type("#search-input", q);
  await page.waitForFunction((q) => document.getElementById("search-status").textContent.includes(q), { timeout: 60000 }, q);
  await new Promise((r) => setTimeout(r, 1500));
  const [bytes, requests] = await counted();
  const status = await page.$eval("#search-status", (s) => s.textContent);
  return { q, kB: Math.round(bytes / 1024), requests, status };
}
for (const q of [query, "sovereignty"]) {
  const r = await search(q);
  console.log(`   query "${r.q}": ${r.kB} kB in ${r.requests} requests of search files (${r.status})`);
}
await browser.close();
