// gloss's browser suite: the bundled review, built by the gloss binary under a project path
// (/review/), served over HTTP from this process and read in the system's headless Chromium at
// a desktop and a phone width. It checks what a reader does: search, previews, the
// bibliography's filters, no sideways scrolling, no console error, and axe-core's rules in
// light and dark mode. Run by .ci/run after `cargo test`: `npm test` in this folder, with
// GLOSS (the binary, default ../../target/debug/gloss) and CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, statSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const gloss = process.env.GLOSS || join(repo, "target/debug/gloss");
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const widths = [
  { name: "desktop", width: 1280, height: 900, mobile: false },
  { name: "phone", width: 390, height: 844, mobile: true },
];
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
};

let server, browser, base, out, pages, startPages;
const problems = [];

before(async () => {
  out = mkdtempSync(join(tmpdir(), "gloss-browser-"));
  // A static server for the parent folder, as GitHub Pages serves a project site.
  server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) { res.writeHead(400).end(); return; }
    let file = join(out, path);
    try { if (statSync(file).isDirectory()) file = join(file, "index.html"); } catch { /* below */ }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "Content-Type": types[extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404, { "Content-Type": types[".html"] }).end(readFileSync(join(out, "review/404.html")));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}/review/`;
  execFileSync(gloss, ["build", "--root", repo, "--out", join(out, "review"), "--base-url", base], { stdio: "pipe" });
  pages = [...readFileSync(join(out, "review/sitemap.xml"), "utf8").matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  // A new user's site too, as `gloss init` makes it: its example source has a DOI, a line no space breaks.
  const fresh = mkdtempSync(join(tmpdir(), "gloss-init-"));
  execFileSync(gloss, ["init"], { cwd: fresh, stdio: "pipe" });
  const started = `http://127.0.0.1:${server.address().port}/start/`;
  execFileSync(gloss, ["build", "--root", fresh, "--out", join(out, "start"), "--base-url", started], { stdio: "pipe" });
  rmSync(fresh, { recursive: true, force: true });
  startPages = [...readFileSync(join(out, "start/sitemap.xml"), "utf8").matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

/// A tab at this width and colour scheme, recording console errors and failed requests.
async function tab(size, scheme = "light", scripts = true) {
  const page = await browser.newPage();
  await page.setViewport({ width: size.width, height: size.height, isMobile: size.mobile, hasTouch: size.mobile });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  await page.setJavaScriptEnabled(scripts);
  page.on("console", (m) => {
    // The one expected failure: the status of the page-not-found page itself.
    const missing = page.url().endsWith("/no-such-page/") && /status of 404/.test(m.text());
    if (m.type() === "error" && !missing) problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`${page.url()}: request failed: ${r.url()}`));
  return page;
}

/// Opens the search dialog as a reader would: the header's button on a phone, `/` on a desktop.
async function openSearch(page, size) {
  if (size.mobile) await page.tap("#search-open"); else await page.keyboard.press("/");
  await page.waitForSelector("#search-dialog[open]");
}

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const size of widths) {
  test(`${size.name}: search finds a known phrase and its result opens under the base path`, async () => {
    const page = await tab(size);
    await page.goto(base, { waitUntil: "networkidle0" });
    await openSearch(page, size);
    await page.keyboard.type("Abbottabad raid");
    await page.waitForSelector("#search-results a", { timeout: 10000 });
    const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0);
    assert.ok(hrefs.every((h) => h.startsWith("/review/")), hrefs.join(" "));
    assert.match(await page.$eval("#search-results", (l) => l.innerHTML), /<mark>/i);
    // The keyboard: down to the first result, Enter to open it.
    await page.focus("#search-input");
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement.getAttribute("href"));
    assert.equal(focused, hrefs[0]);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.equal(new URL(page.url()).pathname, hrefs[0]);
    assert.ok(await page.$("article h1"), "the result is a page");
    // A filter narrows the results to one kind.
    await page.keyboard.press("/");
    await page.waitForSelector("#search-dialog[open]");
    await page.select("select[name=kind]", "Theme");
    await page.keyboard.type("trust");
    await page.waitForFunction(() => /results? for/.test(document.getElementById("search-status").textContent));
    const kinds = await page.$$eval("#search-results .result-kind", (s) => s.map((x) => x.textContent));
    assert.ok(kinds.length > 0 && kinds.every((k) => k === "Theme"), kinds.join(" "));
    await page.keyboard.press("Escape");
    assert.equal(await page.$("#search-dialog[open]"), null);
    await page.close();
  });

  test(`${size.name}: search finds a note by its own words, not by the passages quoted on the pages it cites`, async () => {
    // "condenses" is written once, in a passage of the drone-strikes theme that cites khalidnd;
    // khalidnd's page quotes that passage among its backlinks, which the index leaves out.
    const page = await tab(size);
    await page.goto(base, { waitUntil: "networkidle0" });
    await openSearch(page, size);
    await page.keyboard.type("condenses");
    await page.waitForFunction(() => /results? for/.test(document.getElementById("search-status").textContent));
    const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(hrefs, ["/review/themes/drone-strikes-sovereignty/"]);
    await page.close();
  });

  test(`${size.name}: a citation's preview opens on focus and closes on Escape`, async () => {
    const page = await tab(size);
    await page.goto(base + "themes/trust-deficit/", { waitUntil: "networkidle0" });
    const link = ".prose .citation a, .prose a.citation";
    await page.focus(link);
    await page.waitForSelector("#gloss-preview[role=tooltip]");
    const card = await page.$eval("#gloss-preview", (c) => c.textContent);
    assert.match(card, /Adil, N\., Khan, M\., & Noor-e-Hera\. \(n\.d\.\)/);
    assert.equal(await page.$eval(link, (a) => a.getAttribute("aria-describedby")), "gloss-preview");
    const box = await page.$eval("#gloss-preview", (c) => { const r = c.getBoundingClientRect(); return [r.left, r.right]; });
    assert.ok(box[0] >= 0 && box[1] <= size.width, `the card fits the screen: ${box}`);
    await page.keyboard.press("Escape");
    assert.equal(await page.$("#gloss-preview"), null);
    if (size.mobile) {
      // A first tap shows the card; the link still works on the second.
      await page.tap(link);
      await page.waitForSelector("#gloss-preview");
      assert.equal(new URL(page.url()).pathname, "/review/themes/trust-deficit/");
      await Promise.all([page.waitForNavigation(), page.tap(link)]);
      assert.match(new URL(page.url()).pathname, /^\/review\/sources\//);
    }
    await page.close();
  });

  test(`${size.name}: the bibliography's filters work, live in the URL and leave a full list without scripts`, async () => {
    const page = await tab(size);
    await page.goto(base + "bibliography/?theme=drone-strikes-sovereignty", { waitUntil: "networkidle0" });
    assert.equal(await page.$eval("#bib-filters select[name=theme]", (s) => s.value), "drone-strikes-sovereignty");
    const count = () => page.$$eval(".bibliography > li", (ls) => ls.filter((l) => !l.hidden).length);
    const all = await page.$$eval(".bibliography > li", (ls) => ls.length);
    const shown = await count();
    assert.ok(shown > 0 && shown < all, `${shown} of ${all}`);
    const themes = await page.$$eval(".bibliography > li:not([hidden])", (ls) => ls.map((l) => l.dataset.themes));
    assert.ok(themes.every((t) => t.split(" ").includes("drone-strikes-sovereignty")));
    await page.select("#bib-filters select[name=decade]", "1980s");
    assert.match(page.url(), /theme=drone-strikes-sovereignty&decade=1980s/);
    assert.equal(await count(), 0);
    assert.ok(await page.$eval("#bib-empty", (e) => !e.hidden && e.offsetHeight > 0), "says that nothing matches");
    await page.reload({ waitUntil: "networkidle0" });
    assert.equal(await page.$eval("#bib-filters select[name=decade]", (s) => s.value), "1980s", "restored from the URL");
    assert.match(await page.$eval("#bib-count", (c) => c.textContent), /^0 of \d+ entries$/);
    // A new user's bibliography holds one entry, and says so in the singular.
    await page.goto(startPages.find((u) => u.endsWith("/bibliography/")), { waitUntil: "networkidle0" });
    assert.equal(await page.$eval("#bib-count", (c) => c.textContent), "1 entry");
    await page.close();
    const plain = await tab(size, "light", false);
    await plain.goto(base + "bibliography/?theme=drone-strikes-sovereignty", { waitUntil: "load" });
    assert.equal(await plain.$eval("#bib-filters", (f) => getComputedStyle(f).display), "none");
    assert.equal(await plain.$$eval(".bibliography > li", (ls) => ls.filter((l) => l.offsetHeight > 0).length), all);
    await plain.close();
  });

  test(`${size.name}: the matrix sorts and filters, and reads as lists on a phone`, async () => {
    const page = await tab(size);
    await page.goto(base + "matrix/", { waitUntil: "networkidle0" });
    const shown = (sel) => page.$eval(sel, (e) => e.offsetHeight > 0);
    if (size.mobile) {
      assert.equal(await shown(".matrix-wrap"), false, "no wide table on a phone");
      assert.ok(await shown(".matrix-lists"), "a list per theme instead");
      const lists = await page.$$eval(".matrix-lists h3", (hs) => hs.length);
      assert.equal(lists, await page.$$eval("#matrix thead th.m-theme", (ths) => ths.length));
    } else {
      assert.ok(await shown("#matrix-controls"));
      const rows = () => page.$$eval("#matrix tbody tr:not([hidden])", (trs) => trs.map((r) => ({
        year: Number(r.dataset.year), themes: Number(r.dataset.themes), type: r.dataset.type })));
      const all = await rows();
      await page.select("#matrix-controls select[name=sort]", "year");
      const byYear = (await rows()).map((r) => r.year);
      assert.deepEqual(byYear, [...byYear].sort((a, b) => a - b));
      await page.select("#matrix-controls select[name=sort]", "themes");
      const byThemes = (await rows()).map((r) => r.themes);
      assert.deepEqual(byThemes, [...byThemes].sort((a, b) => b - a));
      await page.select("#matrix-controls select[name=type]", "book");
      const books = await rows();
      assert.ok(books.length > 0 && books.length < all.length && books.every((r) => r.type === "book"));
      assert.match(await page.$eval("#matrix-count", (o) => o.textContent), new RegExp(`^${books.length} of ${all.length} sources$`));
      // The headers stay in view while the table scrolls.
      await page.$eval(".matrix-wrap", (w) => { w.scrollTop = 0; });
      await page.select("#matrix-controls select[name=type]", "");
      await page.$eval(".matrix-wrap", (w) => { w.scrollTop = 400; });
      const [wrapTop, headTop] = await page.$eval(".matrix-wrap", (w) => [w.getBoundingClientRect().top,
        w.querySelector("thead th").getBoundingClientRect().top]);
      assert.ok(Math.abs(headTop - wrapTop) < 3, `sticky header: ${headTop} vs ${wrapTop}`);
    }
    await page.close();
  });

  test(`${size.name}: the timeline and the graph are drawn without scripts and reached by keyboard`, async () => {
    const plain = await tab(size, "light", false);
    await plain.goto(base + "timeline/", { waitUntil: "load" });
    const marks = await plain.$$eval("svg.timeline a", (as) => as.length);
    assert.ok(marks > 40, `${marks} marks`);
    assert.ok(await plain.$eval("svg.timeline", (s) => s.getBoundingClientRect().width > 300));
    await plain.goto(base + "graph/", { waitUntil: "load" });
    assert.ok(await plain.$$eval("svg#graph a.node", (as) => as.length) > 40);
    assert.equal(await plain.$eval("#graph-tools", (t) => getComputedStyle(t).display), "none");
    await plain.close();

    const page = await tab(size);
    await page.goto(base + "timeline/", { waitUntil: "networkidle0" });
    // From the heading, the next Tab lands on the first mark (nothing focusable between them).
    await page.$eval(".note-header h1", (h) => { h.tabIndex = -1; h.focus(); });
    await page.keyboard.press("Tab");
    assert.match(await page.evaluate(() => document.activeElement.getAttribute("href")), /^\/review\/sources\//);
    await page.goto(base + "graph/", { waitUntil: "networkidle0" });
    const box = () => page.$eval("#graph", (s) => s.getAttribute("viewBox").split(" ").map(Number));
    const before = await box();
    await page.click("#graph-tools [data-zoom=in]");
    const zoomed = await box();
    assert.ok(zoomed[2] < before[2] && zoomed[3] < before[3], `zoomed in: ${zoomed}`);
    await page.click("#graph-tools [data-zoom=reset]");
    assert.deepEqual(await box(), before);
    // Tab from the tools into the drawing: a node takes the focus and lights its neighbours.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.closest("svg#graph") !== null);
    assert.ok(focused, "a node of the graph has the focus");
    assert.ok(await page.$eval("#graph", (s) => s.classList.contains("is-focused")));
    assert.ok(await page.$$eval("#graph .edges path.is-near", (ps) => ps.length) > 0);
    await page.goto(base + "sources/jabeen2009/", { waitUntil: "networkidle0" });
    const local = await page.$$eval(".local-graph a.node", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(local.includes("/review/themes/trust-deficit/"), local.join(" "));
    await page.close();
    assert.deepEqual(problems, []);
  });

  test(`${size.name}: no page scrolls sideways or logs an error`, async () => {
    const page = await tab(size);
    const wide = [];
    for (const url of [...pages, base + "no-such-page/", ...startPages]) {
      await page.goto(url, { waitUntil: "load" });
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scroll > client) wide.push(`${url}: ${scroll} > ${client}`);
    }
    await page.close();
    assert.deepEqual(wide, []);
    assert.deepEqual(problems, []);
  });

  for (const scheme of ["light", "dark"]) {
    // WCAG 2.2's target size (2.5.8, AA): every link of the bibliography, the letter bar's and
    // each entry's, is at least 24 by 24 CSS pixels or spaced as if it were. axe-core's
    // `target-size` rule is not in its default set: it is run here by name.
    test(`${size.name}, ${scheme}: the bibliography's links are targets of 24 by 24 pixels`, async () => {
      const page = await tab(size, scheme);
      await page.goto(base + "bibliography/", { waitUntil: "networkidle0" });
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "rule", values: ["target-size"] }, resultTypes: ["violations"],
      }));
      const found = result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
      await page.close();
      assert.deepEqual(found, []);
    });

    test(`${size.name}, ${scheme}: axe-core finds no violation`, async () => {
      const page = await tab(size, scheme);
      const found = [];
      const urls = ["", "themes/", "themes/trust-deficit/", "sources/", "sources/jabeen2009/", "bibliography/",
        "tags/", "citation-audit/", "chronology/", "about/", "matrix/", "timeline/", "graph/", "sources/adilnd/",
        "no-such-page/"];
      for (const u of urls) {
        await page.goto(base + u, { waitUntil: "networkidle0" });
        found.push(...(await axe(page)).map((v) => `${u || "home"}: ${v}`));
      }
      // With the search dialog open, and with a preview card showing.
      await page.goto(base + "themes/trust-deficit/", { waitUntil: "networkidle0" });
      await page.focus(".prose .citation a, .prose a.citation");
      await page.waitForSelector("#gloss-preview");
      found.push(...(await axe(page)).map((v) => `preview: ${v}`));
      await page.keyboard.press("Escape");
      await page.keyboard.press("/");
      await page.keyboard.type("drone");
      await page.waitForSelector("#search-results a", { timeout: 10000 });
      found.push(...(await axe(page)).map((v) => `search: ${v}`));
      await page.close();
      assert.deepEqual(found, []);
      assert.deepEqual(problems, []);
    });
  }
}

// A site built from a hostile note, hostile source fields and a hostile bibliography file (issue
// 28): every page opened, every link with a preview hovered and every link of the page clicked
// (leaving the page for another is stopped, so that each click is tried where it was), and no
// dialog opens.
test("a site built from hostile notes and a hostile library opens no dialog", async () => {
  const site = mkdtempSync(join(tmpdir(), "gloss-hostile-"));
  const write = (rel, text) => {
    mkdirSync(dirname(join(site, rel)), { recursive: true });
    writeFileSync(join(site, rel), text);
  };
  write("site.yaml", "title: Hostile\nbase_url: https://x.github.io/hostile/\nbibliography: [library.bib]\n");
  write("library.bib", "@article{library2021,\n  title = {From the library},\n  author = {Lib, L.},\n" +
    "  year = {2021},\n  journal = {J},\n  url = {javascript:alert('library url')},\n}\n");
  write("content/sources/victim2020.md", "---\ntitle: Victim\nauthors: [\"Victim, V.\"]\nyear: 2020\n" +
    "url: \"java\\tscript:alert('source url')\"\ndoi: \"javascript:alert('doi')\"\n---\nSee [[hostile]].\n");
  write("content/themes/hostile.md", [
    "---", "title: Hostile", "---", "Cites [@victim2020] and [@library2021], links [[victim2020]].", "",
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img')\">",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<a href=\"JaVaScRiPt:alert('a')\">case</a> <a href=\"java&#x09;script:alert('tab')\">tab</a>",
    "<a href=\" &#106;avascript:alert('entity')\">entity</a>",
    "<svg onload=\"alert('svg')\"><circle r=\"5\"/></svg>",
    "<div onmouseover=\"alert('hover')\">hover me</div>",
    "<details ontoggle=\"alert('toggle')\" open><summary>More</summary>text</details>",
    "<div id=\"gloss-previews\">{\"/hostile/sources/victim2020/\": {\"kind\": \"x\", \"reference\": \"<img src=x onerror=alert('clobber')>\"}}</div>",
    "",
    "[markdown](javascript:alert('markdown')) [upper](JAVASCRIPT:alert('upper')) ![i](javascript:alert('image'))",
    "<javascript:alert('autolink')> [ok](https://example.org/)",
    "",
    "## Heading {onclick=alert('heading')}",
    "",
  ].join("\n"));
  const hostileBase = `http://127.0.0.1:${server.address().port}/hostile/`;
  execFileSync(gloss, ["build", "--root", site, "--out", join(out, "hostile"), "--base-url", hostileBase], { stdio: "pipe" });
  rmSync(site, { recursive: true, force: true });
  const urls = [...readFileSync(join(out, "hostile/sitemap.xml"), "utf8").matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  const page = await browser.newPage();
  const dialogs = [];
  page.on("dialog", async (d) => { dialogs.push(`${page.url()}: ${d.message()}`); await d.dismiss(); });
  let here = "";
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    // A page is left by no click, and no frame loads anything from outside (there is no network).
    const away = r.isNavigationRequest() && r.url() !== here;
    const outside = !r.url().startsWith(`http://127.0.0.1:${server.address().port}/`);
    if (away || outside) r.abort(); else r.continue();
  });
  let hovered = 0, clicked = 0;
  for (const url of urls) {
    here = url;
    await page.goto(url, { waitUntil: "networkidle0" });
    for (const a of await page.$$("main a[data-preview]")) {
      await a.hover().then(() => hovered++).catch(() => {});
      await new Promise((ok) => setTimeout(ok, 250));
    }
    // A click as the DOM makes it, hidden links too; one that would leave for a web page stays
    // (a `javascript:` link would still run: its default is not stopped).
    await page.evaluate(() => document.addEventListener("click", (e) => {
      const a = e.target.closest("a");
      if (a && /^https?:/i.test(a.href)) e.preventDefault();
    }, true));
    for (const a of await page.$$("main a, main [onmouseover], main details")) {
      await page.evaluate((el) => el.click(), a).then(() => clicked++).catch(() => {});
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await page.close();
  assert.ok(urls.length > 5 && hovered > 2 && clicked > 40, `${urls.length} pages, ${hovered} hovered, ${clicked} clicked`);
  assert.deepEqual(dialogs, []);
});
