//! Publishing on GitHub Pages: the workflow (.github/workflows/pages.yml, parsed as YAML) and the
//! files a build writes for the host: `.nojekyll`, `404.html`, `sitemap.xml`, `robots.txt`,
//! `atom.xml` and `CNAME`. HTML is read with scraper and XML with quick-xml, never by string search.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::TestSite;
use quick_xml::events::{BytesStart, Event};
use scraper::{Html, Selector};
use url::Url;

const PROJECT_SITE: &str = "https://example.github.io/review/";
const ROOT_SITE: &str = "https://example.org/";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A site with two dated notes (a theme with `date` and `updated`, a source with `date`) and
/// three undated ones (a source, a page and the home page).
fn dated_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [[method]] and [[trust]].\n",
    )
    .write("content/method.md", "---\ntitle: Method\n---\nHow.\n")
    .write(
        "content/themes/trust.md",
        "---\ntitle: Trust & distrust\nsummary: \"Why <trust> fails.\"\ndate: 2024-03-01\nupdated: 2024-05-02\n---\nAs @doe2020 says [@roe2019].\n",
    )
    .write(
        "content/sources/doe2020.md",
        "---\ntype: article\ntitle: \"On <trust>\"\nauthors: [\"Doe, J.\"]\nyear: 2020\ncontainer: Journal\ndate: 2024-04-15\ntags: [trust]\n---\nCiting [@roe2019].\n",
    )
    .write(
        "content/sources/roe2019.md",
        "---\ntype: book\ntitle: Undated\nauthors: [\"Roe, R.\"]\nyear: 2019\npublisher: Press\ntags: [trust]\n---\nNo date.\n",
    );
    site
}

/// An XML element: its name, attributes (unescaped), text (unescaped) and child elements.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn one<'a>(&'a self, name: &'a str) -> &'a Element {
        let found: Vec<&Element> = self.all(name).collect();
        assert_eq!(found.len(), 1, "<{}> should have one <{name}>", self.name);
        found[0]
    }

    fn child_text<'a>(&'a self, name: &'a str) -> &'a str {
        &self.one(name).text
    }
}

fn start(e: &BytesStart<'_>) -> Result<Element, String> {
    let mut element = Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).map_err(|e| e.to_string())?,
        ..Element::default()
    };
    for attr in e.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8(attr.key.as_ref().to_vec()).map_err(|e| e.to_string())?;
        let value = attr.unescape_value().map_err(|e| e.to_string())?;
        element.attrs.insert(key, value.to_string());
    }
    Ok(element)
}

/// Parses a whole XML document, or says why it is not well-formed: mismatched or unclosed tags,
/// unknown entities, duplicate attributes, text outside the root, or not exactly one root.
fn parse_xml(text: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Element::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {at}: {e}"))?;
        let top = stack.len() - 1;
        match event {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let element = start(&e)?;
                stack[top].children.push(element);
            }
            Event::End(_) => {
                let element = stack.pop().expect("an open element");
                stack
                    .last_mut()
                    .ok_or("an end tag with no start")?
                    .children
                    .push(element);
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                if top == 0 && !t.trim().is_empty() {
                    return Err(format!("text outside the root element: {t:?}"));
                }
                stack[top].text.push_str(&t);
            }
            Event::CData(c) => stack[top]
                .text
                .push_str(&c.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| e.to_string())?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .ok_or(format!("unknown entity &{name};"))?
                            .to_string()
                    }
                };
                stack[top].text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let [_, .., open] = stack.as_slice() {
        return Err(format!("<{}> is never closed", open.name));
    }
    let document = stack.pop().expect("the document");
    let mut roots = document.children;
    if roots.len() != 1 {
        return Err(format!("{} root elements", roots.len()));
    }
    Ok(roots.remove(0))
}

fn read_xml(out: &Path, rel: &str) -> Element {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    parse_xml(&text).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}\n{text}"))
}

/// The public URL of every HTML page in `out` but `404.html` (`x/index.html` → `base/x/`).
fn pages(out: &Path, base_url: &str) -> BTreeSet<String> {
    let base = Url::parse(base_url).unwrap();
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|rel| rel.ends_with(".html") && rel != "404.html")
        .map(|rel| {
            base.join(rel.trim_end_matches("index.html"))
                .unwrap()
                .to_string()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------------------------

fn workflow() -> yaml_serde::Value {
    let path = common::repo_root().join(".github/workflows/pages.yml");
    let text = std::fs::read_to_string(&path).expect(".github/workflows/pages.yml");
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("pages.yml is not valid YAML: {e}"))
}

fn steps(job: &yaml_serde::Value) -> Vec<&yaml_serde::Value> {
    job["steps"]
        .as_sequence()
        .expect("a job's steps")
        .iter()
        .collect()
}

/// The position and the step that `uses:` an action (`actions/deploy-pages`), with any version.
fn uses<'a>(steps: &[&'a yaml_serde::Value], action: &str) -> (usize, &'a yaml_serde::Value) {
    let found: Vec<(usize, &yaml_serde::Value)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s["uses"]
                .as_str()
                .and_then(|u| u.split_once('@'))
                .is_some_and(|(name, version)| name == action && !version.is_empty())
        })
        .map(|(i, s)| (i, *s))
        .collect();
    assert_eq!(found.len(), 1, "one step should use {action}@<version>");
    found[0]
}

/// The step whose `run:` contains `command`.
fn runs<'a>(steps: &[&'a yaml_serde::Value], command: &str) -> (usize, &'a yaml_serde::Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| s["run"].as_str().is_some_and(|r| r.contains(command)))
        .map(|(i, s)| (i, *s))
        .unwrap_or_else(|| panic!("no step runs `{command}`"))
}

#[test]
fn workflow_triggers_permissions_and_concurrency() {
    let wf = workflow();
    let on = &wf["on"];
    let branches = on["push"]["branches"]
        .as_sequence()
        .expect("on.push.branches");
    assert_eq!(branches.len(), 1);
    assert_eq!(branches[0].as_str(), Some("main"));
    assert!(
        on.as_mapping()
            .expect("on: a mapping")
            .contains_key("workflow_dispatch"),
        "can be run by hand"
    );
    let permissions = wf["permissions"]
        .as_mapping()
        .expect("workflow permissions");
    let permissions: BTreeMap<&str, &str> = permissions
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap()))
        .collect();
    assert_eq!(
        permissions,
        BTreeMap::from([
            ("contents", "read"),
            ("id-token", "write"),
            ("pages", "write")
        ]),
        "exactly what deploy-pages needs"
    );
    assert_eq!(wf["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(
        wf["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false),
        "a deployment under way is allowed to finish"
    );
    let jobs = wf["jobs"].as_mapping().expect("jobs");
    for (name, job) in jobs {
        assert!(
            job.get("permissions").is_none(),
            "job {name:?} must not widen the permissions"
        );
    }
}

#[test]
fn workflow_builds_with_the_pages_base_url_and_deploys_the_output() {
    let wf = workflow();
    let build = &wf["jobs"]["build"];
    let build_steps = steps(build);
    let (checkout, _) = uses(&build_steps, "actions/checkout");
    let (configure, configure_step) = uses(&build_steps, "actions/configure-pages");
    assert_eq!(configure_step["id"].as_str(), Some("pages"));
    let cached = build_steps.iter().any(|s| {
        s["uses"].as_str().is_some_and(|u| {
            u.starts_with("Swatinem/rust-cache@") || u.starts_with("actions/cache@")
        })
    });
    assert!(cached, "cargo is cached");

    let (tests, _) = runs(&build_steps, "cargo test");
    let (built, build_step) = runs(&build_steps, "cargo run --release");
    let command = build_step["run"].as_str().unwrap();
    assert!(
        command.contains("-- build --base-url \"$BASE_URL/\""),
        "{command}"
    );
    assert!(
        !command.contains("--out"),
        "builds into the default public/"
    );
    assert_eq!(
        build_step["env"]["BASE_URL"].as_str(),
        Some("${{ steps.pages.outputs.base_url }}")
    );

    let (upload, upload_step) = uses(&build_steps, "actions/upload-pages-artifact");
    assert_eq!(upload_step["with"]["path"].as_str(), Some("public"));
    assert!(
        checkout < configure && configure < built && tests < built && built < upload,
        "checkout, configure, test, build, upload, in that order"
    );

    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert_eq!(
        deploy["environment"]["url"].as_str(),
        Some("${{ steps.deployment.outputs.page_url }}")
    );
    let deploy_steps = steps(deploy);
    let (_, deploy_step) = uses(&deploy_steps, "actions/deploy-pages");
    assert_eq!(deploy_step["id"].as_str(), Some("deployment"));
}

/// configure-pages gives `base_url` without a trailing slash; the workflow's `"$BASE_URL/"` must
/// come out as the right base URL and base path for every kind of site.
#[test]
fn workflow_base_url_becomes_the_site_base_for_every_kind_of_site() {
    let wf = workflow();
    let build_steps = steps(&wf["jobs"]["build"]);
    let (_, step) = runs(&build_steps, "cargo run --release");
    let command = step["run"].as_str().unwrap();
    let argument = command
        .split_once("--base-url ")
        .expect("--base-url")
        .1
        .trim()
        .trim_matches('"');
    for (from_pages, base_url, base_path) in [
        (
            "https://octocat.github.io/my-repo",
            "https://octocat.github.io/my-repo/",
            "/my-repo/",
        ),
        (
            "https://octocat.github.io",
            "https://octocat.github.io/",
            "/",
        ),
        (
            "https://review.example.org",
            "https://review.example.org/",
            "/",
        ),
        // Should configure-pages ever add the slash itself.
        (
            "https://octocat.github.io/my-repo/",
            "https://octocat.github.io/my-repo/",
            "/my-repo/",
        ),
    ] {
        let given = argument.replace("$BASE_URL", from_pages);
        let normalized = gloss::config::normalize_base_url(&given).expect("a valid base URL");
        assert_eq!(
            normalized,
            (base_url.to_string(), base_path.to_string()),
            "{from_pages}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The publish files
// ---------------------------------------------------------------------------------------------

#[test]
fn nojekyll_is_written_empty() {
    let site = dated_site();
    let out = site.build_at(PROJECT_SITE);
    let meta = std::fs::metadata(out.join(".nojekyll")).expect(".nojekyll");
    assert!(meta.is_file() && meta.len() == 0);
}

/// The 404 page is served at whatever URL was missing, at any depth: every URL in it must be
/// absolute (a path from the base path, or a full URL), land on a file that exists, and land
/// on the same file from every depth.
#[test]
fn not_found_page_is_themed_and_its_links_work_from_any_depth() {
    let site = dated_site();
    for base_url in [PROJECT_SITE, ROOT_SITE] {
        let out = site.build_at(base_url);
        let base = Url::parse(base_url).unwrap();
        let html = Html::parse_document(&std::fs::read_to_string(out.join("404.html")).unwrap());
        let stylesheets: Vec<&str> = html
            .select(&Selector::parse("link[rel=stylesheet]").unwrap())
            .filter_map(|e| e.value().attr("href"))
            .collect();
        assert!(
            stylesheets.contains(&format!("{}style.css", base.path()).as_str()),
            "themed: {stylesheets:?}"
        );
        assert!(
            html.select(&Selector::parse("nav a").unwrap()).count() >= 3,
            "has the site navigation"
        );
        let all = Selector::parse("[href], [src]").unwrap();
        let mut checked = 0;
        for element in html.select(&all) {
            for attr in ["href", "src"] {
                let Some(value) = element.value().attr(attr) else {
                    continue;
                };
                if value.starts_with('#') {
                    continue; // this document, wherever it is served
                }
                assert!(
                    value.starts_with(base.path()) || value.starts_with(base_url),
                    "{base_url}: {attr}=\"{value}\" in 404.html is relative to where it is served"
                );
                let targets: BTreeSet<Url> = [
                    "404.html",
                    "missing",
                    "a/b/c/missing/",
                    "sources/x/y/z/w/missing.html",
                ]
                .iter()
                .map(|at| base.join(at).unwrap().join(value).unwrap())
                .collect();
                assert_eq!(
                    targets.len(),
                    1,
                    "{value} moves with the depth: {targets:?}"
                );
                let target = targets.into_iter().next().unwrap();
                let rel = target
                    .path()
                    .strip_prefix(base.path())
                    .unwrap_or_else(|| panic!("{base_url}: {value} leaves the site"));
                let file = if rel.is_empty() || rel.ends_with('/') {
                    out.join(rel).join("index.html")
                } else {
                    out.join(rel)
                };
                assert!(
                    file.is_file(),
                    "{base_url}: {value} → {} is missing",
                    file.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} URLs in 404.html");
    }
}

#[test]
fn sitemap_lists_every_page_as_an_absolute_url() {
    let site = dated_site();
    for base_url in [PROJECT_SITE, ROOT_SITE] {
        let out = site.build_at(base_url);
        let urlset = read_xml(&out, "sitemap.xml");
        assert_eq!(urlset.name, "urlset");
        assert_eq!(
            urlset.attrs.get("xmlns").map(String::as_str),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let mut listed = BTreeSet::new();
        let mut lastmod = BTreeMap::new();
        for url in urlset.all("url") {
            let loc = url.child_text("loc").to_string();
            assert!(loc.starts_with(base_url), "{loc} is not under {base_url}");
            if let Some(m) = url.all("lastmod").next() {
                lastmod.insert(loc.clone(), m.text.clone());
            }
            assert!(listed.insert(loc.clone()), "{loc} is listed twice");
        }
        assert_eq!(
            listed,
            pages(&out, base_url),
            "{base_url}: every page but 404.html"
        );
        let at = |rel: &str| format!("{base_url}{rel}");
        assert_eq!(
            lastmod,
            BTreeMap::from([
                (at("themes/trust/"), "2024-05-02".to_string()),
                (at("sources/doe2020/"), "2024-04-15".to_string()),
            ]),
            "dated notes carry their updated (else date) field"
        );
    }
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let site = dated_site();
    for base_url in [PROJECT_SITE, ROOT_SITE] {
        let out = site.build_at(base_url);
        let robots = std::fs::read_to_string(out.join("robots.txt")).expect("robots.txt");
        let fields: Vec<(&str, &str)> = robots
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        assert_eq!(fields.first(), Some(&("User-agent", "*")), "{robots}");
        let sitemaps: Vec<&str> = fields
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("sitemap"))
            .map(|(_, v)| *v)
            .collect();
        assert_eq!(sitemaps, [format!("{base_url}sitemap.xml")], "{robots}");
        assert!(out.join("sitemap.xml").is_file());
        assert!(
            !fields.iter().any(|(k, v)| *k == "Disallow" && *v == "/"),
            "nothing is hidden from crawlers"
        );
    }
}

#[test]
fn atom_feed_is_well_formed_and_lists_only_dated_notes() {
    let site = dated_site();
    let out = site.build_at(PROJECT_SITE);
    let feed = read_xml(&out, "atom.xml");
    assert_eq!(feed.name, "feed");
    assert_eq!(
        feed.attrs.get("xmlns").map(String::as_str),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.child_text("title"), "Test review");
    assert_eq!(feed.child_text("id"), PROJECT_SITE);
    assert_eq!(
        feed.child_text("updated"),
        "2024-05-02T00:00:00Z",
        "the newest entry's"
    );
    assert!(
        !feed.one("author").child_text("name").is_empty(),
        "RFC 4287 wants an author"
    );
    let self_link: Vec<&Element> = feed
        .all("link")
        .filter(|l| l.attrs.get("rel").map(String::as_str) == Some("self"))
        .collect();
    assert_eq!(self_link.len(), 1);
    assert_eq!(
        self_link[0].attrs["href"],
        format!("{PROJECT_SITE}atom.xml")
    );

    let entries: Vec<&Element> = feed.all("entry").collect();
    let summary: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.child_text("title"),
                e.child_text("id"),
                e.child_text("updated"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Trust & distrust",
                "https://example.github.io/review/themes/trust/",
                "2024-05-02T00:00:00Z"
            ),
            (
                "On <trust>",
                "https://example.github.io/review/sources/doe2020/",
                "2024-04-15T00:00:00Z"
            ),
        ],
        "the dated notes, newest first; undated ones are left out"
    );
    let trust = entries[0];
    assert_eq!(trust.child_text("published"), "2024-03-01T00:00:00Z");
    assert_eq!(trust.child_text("summary"), "Why <trust> fails.");
    assert_eq!(trust.one("link").attrs["href"], trust.child_text("id"));
    assert!(
        entries[1].all("published").next().is_none(),
        "only `date`: no separate published"
    );
}

#[test]
fn atom_feed_without_dated_notes_is_still_well_formed() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nNothing dated.\n",
    );
    let out = site.build_at(ROOT_SITE);
    let feed = read_xml(&out, "atom.xml");
    assert_eq!(feed.all("entry").count(), 0);
    assert_eq!(feed.child_text("id"), ROOT_SITE);
    assert!(!feed.child_text("updated").is_empty());
}

#[test]
fn cname_is_written_only_when_set() {
    let site = dated_site();
    let out = site.build_at(PROJECT_SITE);
    assert!(
        !out.join("CNAME").exists(),
        "no cname in site.yaml: no CNAME"
    );

    site.write(
        "site.yaml",
        "title: Test review\nbase_url: https://review.example.org/\ncname: review.example.org\n",
    );
    let out = site.build_at("https://review.example.org/");
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).expect("CNAME"),
        "review.example.org\n"
    );
}

/// The XML checker the feed and sitemap tests rely on must reject what is not well-formed.
#[test]
fn xml_checker_rejects_malformed_documents() {
    assert!(parse_xml("<a><b>x</b></a>").is_ok());
    for bad in [
        "<a><b>x</a></b>",
        "<a>x",
        "<a>&nbsp;</a>",
        "<a/><b/>",
        "<a x=\"1\" x=\"2\"/>",
        "text<a/>",
        "",
    ] {
        assert!(parse_xml(bad).is_err(), "accepted {bad:?}");
    }
}

#[test]
fn a_date_not_on_the_calendar_is_an_error_at_its_line_and_reaches_no_feed() {
    // `2024-13-45` passed a check of its digits and dashes and became the feed's <updated> and
    // the sitemap's <lastmod>; `2023-02-31` was read as a day of February.
    let site = dated_site();
    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust\ndate: 2024-03-01\nupdated: 2024-13-45\n---\nAs @doe2020 says.\n",
    )
    .write(
        "content/sources/doe2020.md",
        "---\ntype: article\ntitle: On trust\nauthors: [\"Doe, J.\"]\nyear: 2020\nissued: 2020-02-30\ndate: 2023-02-29\n---\nText.\n",
    );
    let out = site.build();
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for want in [
        "content/themes/trust.md:4:1: error: `updated: 2024-13-45` is not a date",
        "content/sources/doe2020.md:6:9: error: issued: `2020-02-30` is not a date: February 2020 has 29 days",
        "content/sources/doe2020.md:7:1: error: `date: 2023-02-29` is not a date",
    ] {
        assert!(err.lines().any(|l| l.starts_with(want)), "{want}\n{err}");
    }
    assert!(
        !site.out().join("atom.xml").exists(),
        "a failed build writes no feed"
    );
}
