//! Link integrity: builds a site, serves the output from a real HTTP server under the site's base
//! path, crawls it from the home page and fails on every internal link, image, script,
//! stylesheet or `#anchor` that does not resolve, and on every generated page no link reaches.
//!
//! The server behaves like a strict static host (GitHub Pages, without its `dir` → `dir/`
//! redirect): `…/` serves `…/index.html`, anything else is the file itself, and a missing path
//! gets the site's `404.html` with status 404. Only the site's own origin is fetched; other hosts
//! are listed, not requested.

use crate::common;

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use common::TestSite;
use scraper::{Html, Selector};
use url::Url;

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// A static file server on 127.0.0.1 (a free port) serving `root` under the URL path `prefix`.
struct StaticServer {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl StaticServer {
    fn start(root: &Path, prefix: &str) -> StaticServer {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix {prefix}"
        );
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let (root, prefix, handle) = (root.to_path_buf(), prefix.to_string(), Arc::clone(&server));
        let thread = std::thread::spawn(move || {
            for request in handle.incoming_requests() {
                let (status, content_type, body) =
                    respond(&root, &prefix, request.method(), request.url());
                let header =
                    tiny_http::Header::from_bytes("Content-Type", content_type).expect("a header");
                let response = tiny_http::Response::from_data(body)
                    .with_status_code(status)
                    .with_header(header);
                let _ = request.respond(response);
            }
        });
        StaticServer {
            server,
            thread: Some(thread),
            port,
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The response to one request: status, content type, body.
fn respond(
    root: &Path,
    prefix: &str,
    method: &tiny_http::Method,
    url: &str,
) -> (u16, &'static str, Vec<u8>) {
    let not_found = || {
        let page = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
        (404, "text/html; charset=utf-8", page)
    };
    if *method != tiny_http::Method::Get {
        return (405, "text/plain", b"only GET".to_vec());
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(rel) = path.strip_prefix(prefix) else {
        return (404, "text/plain", b"outside the site".to_vec());
    };
    let Some(rel) = percent_decode(rel) else {
        return (400, "text/plain", b"bad escape".to_vec());
    };
    if rel
        .split('/')
        .any(|s| s == ".." || s == "." || s.contains('\\'))
    {
        return (400, "text/plain", b"bad path".to_vec());
    }
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    };
    let file = root.join(&rel);
    if !file.is_file() {
        return not_found();
    }
    match std::fs::read(&file) {
        Ok(bytes) => (200, content_type(&rel), bytes),
        Err(_) => not_found(),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("txt" | "bib") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One HTTP/1.0 GET (the server then closes the connection and never chunks the body): the
/// status, the Content-Type and the body.
fn http_get(port: u16, path_and_query: &str) -> (u16, String, Vec<u8>) {
    let (status, head, body) = common::http_exchange(
        ([127, 0, 0, 1], port).into(),
        &format!("GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
        std::time::Duration::from_secs(60),
    );
    let content_type = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    (status, content_type, body)
}

// ---------------------------------------------------------------------------------------------
// The crawler
// ---------------------------------------------------------------------------------------------

/// A URL reference found in a page: `img[src]="…"`.
#[derive(Clone)]
struct Reference {
    element: String,
    attribute: &'static str,
    value: String,
}

impl Reference {
    /// Does following it navigate to a page (and so make that page reachable)?
    fn is_navigation(&self) -> bool {
        self.attribute == "href" && matches!(self.element.as_str(), "a" | "area")
    }
}

/// What an HTML document holds for the crawl.
#[derive(Clone)]
struct Document {
    /// The targets of `#fragment` links: every `id`, and every `a[name]`.
    ids: HashSet<String>,
    references: Vec<Reference>,
    /// `<base href>`, against which its relative references resolve.
    base: Option<String>,
}

/// What a URL gave when fetched.
struct Fetched {
    status: u16,
    /// Set when the response is HTML.
    html: Option<Document>,
    /// For CSS: the `url(…)` and `@import` references.
    css: Vec<String>,
}

/// Everything a crawl found.
#[derive(Default)]
struct Report {
    /// Broken references, one line each: `page: element[attr]="value" → problem`.
    problems: BTreeSet<String>,
    /// Generated HTML pages that no link reaches.
    orphans: BTreeSet<String>,
    /// Pages reached by following links from the home page.
    reached: BTreeSet<String>,
    /// Every internal URL a reference led to that resolved (fragments removed).
    resolved: BTreeSet<String>,
    /// URLs on other hosts (not fetched).
    external: BTreeSet<String>,
}

impl Report {
    fn assert_clean(&self, what: &str) {
        let mut message = String::new();
        for p in self.problems.iter().take(60) {
            message.push_str(&format!("\n  broken: {p}"));
        }
        if self.problems.len() > 60 {
            message.push_str(&format!("\n  … and {} more", self.problems.len() - 60));
        }
        for o in &self.orphans {
            message.push_str(&format!("\n  orphan (no link reaches it): {o}"));
        }
        assert!(
            message.is_empty(),
            "{what}: {} broken references, {} orphans:{message}",
            self.problems.len(),
            self.orphans.len()
        );
    }
}

struct Crawler {
    /// The site's public base URL (`https://example.github.io/review/`).
    base: Url,
    server: StaticServer,
    cache: HashMap<String, Fetched>,
    report: Report,
}

impl Crawler {
    /// Serves `out` under the path of `base_url` and prepares a crawl.
    fn new(out: &Path, base_url: &str) -> Crawler {
        let base = Url::parse(base_url).expect("an absolute base URL");
        assert!(
            base.path().ends_with('/'),
            "base URL {base} must end with /"
        );
        let server = StaticServer::start(out, base.path());
        Crawler {
            base,
            server,
            cache: HashMap::new(),
            report: Report::default(),
        }
    }

    /// Fetches a URL of the site (its fragment removed) once, through the test server.
    fn fetch(&mut self, url: &Url) -> &Fetched {
        let key = url.as_str().to_string();
        if !self.cache.contains_key(&key) {
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            let (status, content_type, body) = http_get(self.server.port, &path);
            let text = String::from_utf8_lossy(&body);
            let html = content_type
                .starts_with("text/html")
                .then(|| parse_html(&text));
            let css = if content_type.starts_with("text/css") {
                css_urls(&text)
            } else {
                Vec::new()
            };
            self.cache
                .insert(key.clone(), Fetched { status, html, css });
        }
        &self.cache[&key]
    }

    fn is_internal(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }

    /// Crawls from the home page; then lists orphans among the HTML files of `out`, and checks
    /// that the 404 page's references resolve when it is served at any depth.
    fn run(mut self, out: &Path) -> Report {
        let home = self.base.clone();
        let mut queue = VecDeque::from([home.clone()]);
        let mut visited = HashSet::from([home.as_str().to_string()]);
        self.report.reached.insert(home.as_str().to_string());
        if self.fetch(&home).status != 200 {
            self.report
                .problems
                .insert(format!("home page {home} is not served"));
        }
        while let Some(page) = queue.pop_front() {
            for target in self.check_page(&page) {
                if visited.insert(target.as_str().to_string()) {
                    queue.push_back(target);
                }
            }
        }
        for page in generated_pages(out, &self.base) {
            if page != self.base.join("404.html").expect("a URL").as_str()
                && !self.report.reached.contains(&page)
            {
                self.report.orphans.insert(page);
            }
        }
        for missing in [
            "no-such-page.html",
            "a/b/c/d/no-such-page/",
            "sources/no-such-source/",
        ] {
            let url = self.base.join(missing).expect("a URL");
            let fetched = self.fetch(&url);
            let (status, is_html) = (fetched.status, fetched.html.is_some());
            if status != 404 || !is_html {
                self.report.problems.insert(format!(
                    "{url}: expected the HTML 404 page, got HTTP {status}"
                ));
                continue;
            }
            self.check_page(&url);
        }
        self.report
    }

    /// Checks every reference of the (fetched) page at `page`; returns the HTML pages it links to.
    fn check_page(&mut self, page: &Url) -> Vec<Url> {
        let Some(document) = self.fetch(page).html.clone() else {
            return Vec::new();
        };
        let doc_base = document
            .base
            .as_deref()
            .and_then(|b| page.join(b).ok())
            .unwrap_or_else(|| page.clone());
        let mut links = Vec::new();
        for reference in &document.references {
            if let Some(target) = self.check_reference(page, &doc_base, &document.ids, reference) {
                if reference.is_navigation() {
                    self.report.reached.insert(target.as_str().to_string());
                }
                links.push(target);
            }
        }
        links
    }

    /// Checks one reference; returns the target page when it is an HTML page of the site.
    fn check_reference(
        &mut self,
        page: &Url,
        doc_base: &Url,
        own_ids: &HashSet<String>,
        r: &Reference,
    ) -> Option<Url> {
        let what = format!("{page}: {}[{}]=\"{}\"", r.element, r.attribute, r.value);
        let value = r.value.trim();
        let mut target = match doc_base.join(value) {
            Ok(t) => t,
            Err(e) => {
                self.report
                    .problems
                    .insert(format!("{what} → not a URL ({e})"));
                return None;
            }
        };
        if !matches!(target.scheme(), "http" | "https") {
            return None; // mailto:, data:, javascript: …
        }
        if !self.is_internal(&target) {
            self.report.external.insert(target.to_string());
            return None;
        }
        let fragment = target
            .fragment()
            .map(|f| percent_decode(f).unwrap_or_else(|| f.to_string()));
        target.set_fragment(None);
        if !target.path().starts_with(self.base.path()) {
            self.report.problems.insert(format!(
                "{what} → {target} is outside the site's base path {}",
                self.base.path()
            ));
            return None;
        }
        let mut page_only = page.clone();
        page_only.set_fragment(None);
        let same_document = target == page_only;
        let (ids, is_html) = if same_document {
            (own_ids.clone(), true)
        } else {
            let fetched = self.fetch(&target);
            if fetched.status != 200 {
                let status = fetched.status;
                self.report
                    .problems
                    .insert(format!("{what} → {target}: HTTP {status}"));
                return None;
            }
            let css = fetched.css.clone();
            self.report.resolved.insert(target.to_string());
            for url in css {
                let reference = Reference {
                    element: "css".into(),
                    attribute: "url",
                    value: url,
                };
                let css_url = target.clone();
                self.check_reference(&css_url, &css_url, &HashSet::new(), &reference);
            }
            let fetched = &self.cache[target.as_str()];
            match &fetched.html {
                Some(document) => (document.ids.clone(), true),
                None => (HashSet::new(), false),
            }
        };
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            if !is_html {
                self.report.problems.insert(format!(
                    "{what} → #{fragment} points into a file that is not HTML"
                ));
            } else if !ids.contains(&fragment) {
                self.report.problems.insert(format!(
                    "{what} → {target} has no element with id=\"{fragment}\""
                ));
            }
        }
        (is_html && !same_document).then_some(target)
    }
}

/// The ids, references and `<base href>` of an HTML document.
fn parse_html(text: &str) -> Document {
    let document = Html::parse_document(text);
    let all = Selector::parse("*").expect("a selector");
    let mut ids = HashSet::new();
    let mut references = Vec::new();
    let mut base = None;
    for element in document.select(&all) {
        let el = element.value();
        let name = el.name().to_string();
        if let Some(id) = el.id() {
            ids.insert(id.to_string());
        }
        if name == "a"
            && let Some(anchor) = el.attr("name")
        {
            ids.insert(anchor.to_string());
        }
        if name == "base" {
            base = el.attr("href").map(str::to_string);
            continue;
        }
        for attribute in ["href", "src", "poster", "action", "data"] {
            if attribute == "data" && name != "object" {
                continue;
            }
            if let Some(value) = el.attr(attribute) {
                references.push(Reference {
                    element: name.clone(),
                    attribute,
                    value: value.to_string(),
                });
            }
        }
        if let Some(srcset) = el.attr("srcset") {
            for candidate in srcset.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    references.push(Reference {
                        element: name.clone(),
                        attribute: "srcset",
                        value: url.to_string(),
                    });
                }
            }
        }
    }
    Document {
        ids,
        references,
        base,
    }
}

/// The `url(…)` and `@import "…"` references of a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        urls.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
    }
    let mut rest = css;
    while let Some(i) = rest.find("@import") {
        rest = rest[i + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &rest[1..];
            urls.push(inner[..inner.find(q).unwrap_or(inner.len())].to_string());
        }
    }
    urls.retain(|u| !u.is_empty() && !u.starts_with("data:") && !u.starts_with('#'));
    urls
}

/// The public URL of every HTML file in `out` (`x/index.html` → `base/x/`).
fn generated_pages(out: &Path, base: &Url) -> BTreeSet<String> {
    let mut pages = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.expect("walk the output");
        let rel = entry
            .path()
            .strip_prefix(out)
            .expect("below out")
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() && rel.ends_with(".html") {
            let rel = rel.strip_suffix("index.html").unwrap_or(&rel);
            pages.insert(base.join(rel).expect("a URL").to_string());
        }
    }
    pages
}

/// Crawls the built site `out`, served under the path of `base_url`.
fn crawl(out: &Path, base_url: &str) -> Report {
    Crawler::new(out, base_url).run(out)
}

/// Builds the bundled review (the repository root) with `base_url` into a new temporary folder,
/// with the library. Returns the folder (keep it alive) and the output path inside it.
fn build_review(base_url: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let options = gloss::BuildOptions {
        load: gloss::LoadOptions {
            root: common::repo_root(),
            base_url: Some(base_url.to_string()),
            ..Default::default()
        },
        out: out.clone(),
    };
    if let Err(e) = gloss::build(&options) {
        panic!("building the bundled review with --base-url {base_url} failed: {e:?}");
    }
    (dir, out)
}

/// A small site: a home page, a page, a theme and two sources; nothing is an orphan.
fn small_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nSee [[method]] and [[trust|the trust theme]].\n")
        .write(
            "content/method.md",
            "---\ntitle: Method\n---\n## How it was made\n\nFrom [@doe2020] and [the theme](themes/trust.md#a-section).\n",
        )
        .write("content/themes/trust.md", "---\ntitle: Trust\n---\n## A section\n\nAs @doe2020 says, and [@roe2019].\n")
        .write(
            "content/sources/doe2020.md",
            "---\ntype: article\ntitle: On trust\nauthors: [\"Doe, J.\"]\nyear: 2020\ncontainer: Journal\ntags: [trust]\n---\nCiting [@roe2019].\n",
        )
        .write(
            "content/sources/roe2019.md",
            "---\ntype: book\ntitle: A book\nauthors: [\"Roe, R.\"]\nyear: 2019\npublisher: Press\ntags: [trust, other-tag]\n---\nAn annotation.\n",
        );
    site
}

/// Builds the bundled review with `base_url`, crawls it, fails on anything broken, and checks
/// that `sitemap.xml` lists exactly the pages the crawl reached.
fn crawl_review(base_url: &str) -> Report {
    let (_dir, out) = build_review(base_url);
    let report = crawl(&out, base_url);
    report.assert_clean(&format!(
        "the bundled review built with --base-url {base_url}"
    ));
    // Not a vacuous crawl: every source and theme note has a page, and the crawl reached it.
    for kind in ["sources", "themes"] {
        let dir = common::repo_root().join("content").join(kind);
        for note in std::fs::read_dir(&dir)
            .expect("content folder")
            .map(Result::unwrap)
        {
            let name = note.file_name().to_string_lossy().to_string();
            if let Some(key) = name.strip_suffix(".md") {
                let page = format!("{base_url}{kind}/{key}/");
                assert!(report.reached.contains(&page), "{page} was not reached");
            }
        }
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap.xml");
    assert_eq!(
        sitemap_locs(&sitemap),
        report.reached,
        "sitemap.xml vs the pages reachable from the home page"
    );
    report
}

/// The `<loc>` URLs of a sitemap.
fn sitemap_locs(xml: &str) -> BTreeSet<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut locs, mut current) = (BTreeSet::new(), None::<String>);
    loop {
        match reader.read_event().expect("well-formed sitemap.xml") {
            Event::Start(e) if e.name().as_ref() == b"loc" => current = Some(String::new()),
            Event::Text(t) => {
                if let Some(loc) = current.as_mut() {
                    loc.push_str(&t.decode().expect("UTF-8"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(loc) = current.as_mut() {
                    let name = r.decode().expect("UTF-8");
                    let text = quick_xml::escape::resolve_xml_entity(&name).expect("an XML entity");
                    loc.push_str(text);
                }
            }
            Event::End(e) if e.name().as_ref() == b"loc" => {
                locs.extend(current.take());
            }
            Event::Eof => return locs,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const PROJECT_SITE: &str = "https://example.github.io/review/";
const ROOT_SITE: &str = "https://example.org/";

#[test]
fn bundled_review_under_a_project_path_has_no_broken_links_or_orphans() {
    let report = crawl_review(PROJECT_SITE);
    for page in ["sources/jabeen2009/", "bibliography/", "tags/", "about/"] {
        assert!(
            report.reached.contains(&format!("{PROJECT_SITE}{page}")),
            "{page}"
        );
    }
}

#[test]
fn bundled_review_at_a_domain_root_has_no_broken_links_or_orphans() {
    let report = crawl_review(ROOT_SITE);
    for page in ["sources/jabeen2009/", "themes/", "chronology/"] {
        assert!(
            report.reached.contains(&format!("{ROOT_SITE}{page}")),
            "{page}"
        );
    }
}

/// A fixture site with a content image, relative `.md` links and heading anchors, at both kinds
/// of base URL.
fn fixture_with_assets() -> TestSite {
    let site = small_site();
    site.write("content/themes/figure.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n")
        .write(
            "content/themes/pictured.md",
            "---\ntitle: \"Pictured\"\n---\n\n![A figure](figure.svg)\n\nBack to [the method](../method.md#how-it-was-made) or [[trust#a-section]].\n",
        )
        .write("content/_index.md", "---\ntitle: Home\n---\nSee [[method]], [[trust|the trust theme]] and [[pictured]].\n");
    site
}

#[test]
fn fixture_site_with_a_content_image_has_no_broken_links_at_any_base() {
    let fixture = fixture_with_assets();
    for base_url in [
        PROJECT_SITE,
        ROOT_SITE,
        "http://localhost:8000/deep/sub/path/",
    ] {
        let out = fixture.build_at(base_url);
        let report = crawl(&out, base_url);
        report.assert_clean(&format!(
            "the fixture site built with --base-url {base_url}"
        ));
        let url = |rel: &str| Url::parse(base_url).unwrap().join(rel).unwrap().to_string();
        assert!(
            report.resolved.contains(&url("themes/figure.svg")),
            "{base_url}: the image was not reached: {:?}",
            report.resolved
        );
        assert!(
            report.reached.contains(&url("themes/pictured/")),
            "{base_url}: {:?}",
            report.reached
        );
    }
}

/// The crawler itself must fail on each kind of breakage, or its silence on the review means
/// nothing.
#[test]
fn crawler_reports_every_kind_of_breakage() {
    let fixture = small_site();
    fixture
        .write(
            "content/method.md",
            "---\ntitle: Method\n---\n## How it was made\n\n\
             [gone](/gone/) · [bad anchor](#no-such-id) · ![missing](missing.png) · \
             <a href=\"/elsewhere/\">outside</a> · <script src=\"nope.js\"></script> · \
             <link rel=\"stylesheet\" href=\"../gone.css\"> · \
             <a href=\"../themes/trust/#no-such-heading\">raw</a> · \
             [far](https://example.com/far) · [mail](mailto:a@example.com) · [fine](#how-it-was-made)\n",
        )
        // Every note's page is listed in its folder: only a page of the site's own files is
        // left for nothing to link to.
        .write(
            "static/lonely/index.html",
            "<!DOCTYPE html><html lang=\"en\"><title>Nobody links here</title><p>Alone.</p></html>",
        );
    // The raw `<script>` and `<link>` are kept (a default build removes them) so the crawler
    // meets a broken script and style sheet.
    let config = std::fs::read_to_string(fixture.root().join("site.yaml")).unwrap();
    fixture.write("site.yaml", &format!("{config}\nunsafe_html: true\n"));
    let out = fixture.build_at(PROJECT_SITE);
    let report = crawl(&out, PROJECT_SITE);
    let (site, method) = (
        "https://example.github.io/review/",
        "https://example.github.io/review/method/",
    );
    let expected = [
        format!("{method}: a[href]=\"/review/gone/\" → {site}gone/: HTTP 404"),
        format!(
            "{method}: a[href]=\"#no-such-id\" → {method} has no element with id=\"no-such-id\""
        ),
        format!("{method}: img[src]=\"/review/missing.png\" → {site}missing.png: HTTP 404"),
        format!(
            "{method}: a[href]=\"/elsewhere/\" → https://example.github.io/elsewhere/ is outside the site's base path /review/"
        ),
        format!("{method}: script[src]=\"nope.js\" → {method}nope.js: HTTP 404"),
        format!("{method}: link[href]=\"../gone.css\" → {site}gone.css: HTTP 404"),
        format!(
            "{method}: a[href]=\"../themes/trust/#no-such-heading\" → {site}themes/trust/ has no element with id=\"no-such-heading\""
        ),
    ];
    let problems: Vec<&String> = report.problems.iter().collect();
    for e in &expected {
        assert!(
            report.problems.contains(e),
            "missing problem\n  {e}\nin\n  {problems:#?}"
        );
    }
    assert_eq!(report.problems.len(), expected.len(), "{problems:#?}");
    assert_eq!(
        report.orphans,
        BTreeSet::from(["https://example.github.io/review/lonely/".to_string()])
    );
    assert_eq!(
        report.external,
        BTreeSet::from(["https://example.com/far".to_string()])
    );
}

#[test]
fn server_serves_under_the_prefix_only() {
    let site = small_site();
    let out = site.build_at(PROJECT_SITE);
    let server = StaticServer::start(&out, "/review/");
    let status = |path: &str| http_get(server.port, path).0;
    assert_eq!(status("/review/"), 200);
    assert_eq!(status("/review/method/"), 200);
    assert_eq!(
        status("/review/method"),
        404,
        "no dir → dir/ redirect: links must end in /"
    );
    assert_eq!(status("/review/../review/"), 400);
    assert_eq!(status("/method/"), 404);
    let (status, content_type, body) = http_get(server.port, "/review/deep/missing/");
    assert_eq!(
        (status, content_type.as_str()),
        (404, "text/html; charset=utf-8")
    );
    assert_eq!(body, std::fs::read(out.join("404.html")).unwrap());
}

/// The benchmark's corpus (`bench/gen_corpus.py`: citations with page locators, wikilinks, `.md`
/// links between sources, tags, code blocks), at 300 sources: it builds without a single
/// diagnostic, byte-identically twice in a row (pages render in parallel, in whatever order the
/// cores take them), and passes the same crawl as the bundled review, under a project path.
#[test]
fn benchmark_corpus_builds_cleanly_identically_and_without_broken_links() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("corpus");
    let generated = std::process::Command::new("python3")
        .arg(common::repo_root().join("bench/gen_corpus.py"))
        .args([
            "--sources",
            "300",
            "--seed",
            "7",
            "--flavor",
            "neutral",
            "--out",
        ])
        .arg(&root)
        .output()
        .expect("python3 runs bench/gen_corpus.py");
    assert!(
        generated.status.success(),
        "gen_corpus.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );
    // The scaffolding bench/run.sh adds to the generated notes.
    std::fs::write(
        root.join("site.yaml"),
        "title: Synthetic review\nbase_url: https://example.org/corpus/\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Literature review\n---\n\nAn annotated literature review.\n",
    )
    .unwrap();
    common::copy_dir(&common::repo_root().join("themes"), &root.join("themes"));

    let options = gloss::BuildOptions {
        load: gloss::LoadOptions {
            root: root.clone(),
            base_url: None,
            ..Default::default()
        },
        out: dir.path().join("public"),
    };
    let report = gloss::build(&options).unwrap_or_else(|e| panic!("the corpus failed: {e:?}"));
    assert!(
        report.warnings.is_empty(),
        "the corpus should build without diagnostics: {:?}",
        report.warnings
    );
    assert!(report.pages > 300, "{} pages", report.pages);
    let first = common::snapshot(&options.out);
    gloss::build(&options).expect("the second build");
    assert!(
        first == common::snapshot(&options.out),
        "two builds of the same corpus differ"
    );
    crawl(&options.out, "https://example.org/corpus/")
        .assert_clean("the benchmark corpus built with base_url https://example.org/corpus/");
}
