//! Safe by default (issue 28): a site built from a hostile note, hostile source fields and a
//! hostile bibliography file runs nothing in a reader's browser, keeps the safe HTML, and says
//! what it left out, where.

use std::path::Path;

use crate::common::{TestSite, attrs, stderr, texts};
use crate::invariants::{check_output, runs};

/// Every attack on a page that was seen to work before gloss cleaned raw HTML, and some that
/// were not tried then: raw HTML (lines 6 to 26), Markdown links and images (28 to 32), a
/// heading's attributes (34).
const HOSTILE: &str = r#"---
title: Hostile note
---
Cites [@victim2020] and [@library2021].

<script>alert("script")</script>
<img src=x onerror="alert('img')">
<iframe src="javascript:alert('iframe')"></iframe>
<a href="JaVaScRiPt:alert('a')">case</a> <a href="java&#x09;script:alert('tab')">tab</a>
<a href=" &#106;avascript:alert('entity')">entity</a> <a href="vbscript:msgbox(1)">vb</a>
<a href="data:text/html,<script>alert('data')</script>">data</a>
<svg onload="alert('svg')"><circle r="5"/></svg>
<object data="javascript:alert('object')"></object><embed src="javascript:alert('embed')">
<form action="javascript:alert('form')"><button formaction="javascript:alert('button')">go</button></form>
<style>body { display: none }</style>
<div onmouseover="alert('div')" style="position: fixed; top: 0; color: red">styled</div>
<math><mtext><table><mglyph><style><img src=x onerror="alert('math')"></style></mglyph></table></mtext></math>
<div id="gloss-previews">{"/review/sources/victim2020/": {"kind": "x", "reference": "<img src=x onerror=alert('clobber')>"}}</div>
<details open><summary>More</summary>
<table><tr><td>cell <sup>1</sup> <sub>2</sub> <mark>m</mark> <kbd>Ctrl</kbd> <abbr title="abbreviation">abbr</abbr></td></tr></table>
</details>
<figure><img src="https://example.org/figure.png" alt="A figure"><figcaption>Caption</figcaption></figure>
<iframe src="https://www.youtube-nocookie.com/embed/x" title="video" allowfullscreen></iframe>
<video src="https://example.org/v.mp4" controls></video>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline image">
<!-- a private remark -->

[markdown](javascript:alert('markdown')) and [upper](JAVASCRIPT:alert('upper'))
and [tabbed](<java	script:alert('tabbed')>) and [vb](vbscript:msgbox(2))
and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
and ![image](javascript:alert('image')) and <javascript:alert('autolink')>
and [fine](https://example.org/) [mail](mailto:a@example.org) [top](#top)

## Heading {onclick=alert(1) lang=en}
"#;

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/themes/hostile.md", HOSTILE)
        .write(
            "content/sources/victim2020.md",
            "---\ntitle: Victim\nauthors: [\"Victim, V.\"]\nyear: 2020\nurl: \"java\\tscript:alert('url')\"\ndoi: \"javascript:alert('doi')\"\n---\nBody.\n",
        )
        .write(
            "library.bib",
            "@article{library2021,\n  title = {From the library},\n  author = {Lib, L.},\n  year = {2021},\n  journal = {J},\n  url = {javascript:alert('library')},\n}\n",
        )
        .write(
            "site.yaml",
            "title: Test review\nbase_url: https://x.github.io/review/\nbibliography: [library.bib]\n",
        );
    site
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_hostile_note_and_library_run_nothing_in_any_output_file() {
    let site = hostile_site();
    let out = site.build_ok();
    let all = files(&site.out());
    assert!(all.len() > 20, "{} files", all.len());
    for (path, bytes) in &all {
        check_output(path, bytes).unwrap_or_else(|e| panic!("{e}"));
        // The data files hold the sources' fields as text: none of the hostile URLs is there.
        if [".json", ".bib", ".xml", ".csv", ".js"]
            .iter()
            .any(|e| path.ends_with(e))
        {
            let text = String::from_utf8_lossy(bytes);
            for planted in ["alert('url')", "alert('doi')", "alert('library')"] {
                assert!(!text.contains(planted), "{path} holds {planted}");
            }
        }
    }
    // Nothing of the raw HTML that runs reached the note's text, in any form.
    let html = site.html("themes/hostile/index.html");
    let main = scraper::Selector::parse("main .prose").unwrap();
    let page = html.select(&main).next().unwrap().html();
    for gone in [
        "alert(\"script\")",
        "onerror",
        "onload",
        "onmouseover",
        "onclick",
        "<svg",
        "<object",
        "<embed",
        "<form",
        "formaction",
        "display: none",
        "position",
        "private remark",
    ] {
        assert!(!page.contains(gone), "{gone} on the page");
    }
    let body = "main .prose";
    // The element of the clobbering id is kept (ids are harmless) but is no script.
    assert_eq!(attrs(&html, "script#gloss-previews", "id").len(), 1);
    assert_eq!(
        attrs(&html, &format!("{body} div#gloss-previews"), "id").len(),
        1
    );
    // The safe subset is there.
    for kept in [
        "details[open] > summary",
        "td sup",
        "td sub",
        "td mark",
        "td kbd",
        "abbr[title='abbreviation']",
        "figure > figcaption",
        "img[alt='A figure']",
        "iframe[src^='https://www.youtube-nocookie.com/'][allowfullscreen]",
        "video[controls]",
        "img[src^='data:image/png']",
        "div[style='color:red']",
        "h2[lang='en']",
    ] {
        assert_eq!(texts(&html, kept).len(), 1, "{kept}");
    }
    // Every link of the body goes to the web, a mail or the site.
    for href in attrs(&html, &format!("{body} a"), "href") {
        assert!(!runs(&href), "{href}");
    }
    assert!(
        texts(&html, "main .prose .unsafe-link")
            .iter()
            .any(|t| t == "markdown")
    );
    // The sources' links: no url or DOI that is none, in the reference list or on the page.
    for page in [
        "sources/victim2020/index.html",
        "sources/library2021/index.html",
        "bibliography/index.html",
    ] {
        let html = site.html(page);
        for href in attrs(&html, "a", "href") {
            assert!(!href.contains("alert"), "{page}: {href}");
        }
    }
    // One warning for the raw HTML, at its first removed piece; one for each link, image and
    // source field.
    let err = stderr(&out);
    let warnings = [
        "content/themes/hostile.md:6:1: warning: a `<script>` element is left out of the page (and ",
        "content/themes/hostile.md:28:1: warning: a link to `javascript:` is shown as text",
        "content/themes/hostile.md:28:46: warning: a link to `javascript:` is shown as text",
        "content/themes/hostile.md:29:5: warning: a link to `javascript:` is shown as text",
        "content/themes/hostile.md:29:49: warning: a link to `vbscript:` is shown as text",
        "content/themes/hostile.md:30:5: warning: a link to `data:` is shown as text",
        "content/themes/hostile.md:31:5: warning: an image from `javascript:` is shown as its text",
        "content/themes/hostile.md:31:45: warning: a link to `javascript:` is shown as text",
        "content/sources/victim2020.md:5:1: warning: url: a `javascript:` address, not a web address (http or https): it is left out of the site and its exports",
        "content/sources/victim2020.md:6:1: warning: doi `javascript:alert('doi')` is not of the form 10.NNNN/suffix",
        "library.bib:1:1: warning: library2021: url: a `javascript:` address",
    ];
    for w in warnings {
        assert!(err.contains(w), "{w}\nnot in:\n{err}");
    }
    assert_eq!(err.matches("is left out of the page").count(), 1, "{err}");
    // `gloss check` says the same.
    let checked = String::from_utf8_lossy(&site.check().stdout).to_string();
    assert!(checked.contains(warnings[0]), "{checked}");
}

#[test]
fn unsafe_html_publishes_raw_html_as_written_but_never_a_link_that_runs() {
    let site = hostile_site();
    site.write(
        "site.yaml",
        "title: Test review\nbase_url: https://x.github.io/review/\nbibliography: [library.bib]\nunsafe_html: true\n",
    );
    let out = site.build_ok();
    let page = site.read_out("themes/hostile/index.html");
    assert!(
        page.contains(r#"<script>alert("script")</script>"#),
        "{page}"
    );
    assert!(page.contains(r#"onclick="alert(1)""#), "{page}");
    assert!(
        !stderr(&out).contains("is left out of the page"),
        "{}",
        stderr(&out)
    );
    // Markdown links and the sources' fields are held to the rules all the same.
    assert!(!page.contains("alert('markdown')\""), "{page}");
    assert!(stderr(&out).contains("a link to `javascript:` is shown as text"));
    assert!(!site.read_out("references.json").contains("alert('url')"));
}

#[test]
fn nesting_too_deep_is_refused_at_once_with_its_place() {
    let site = TestSite::new();
    let deep = format!("{}a{}", "[".repeat(100_000), "]".repeat(100_000));
    site.write(
        "content/sources/deep2020.md",
        &format!("---\ntitle: Deep\nauthors: [\"A, B\"]\nyear: 2020\ntags: {deep}\n---\nBody.\n"),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/sources/deep2020.md:5:71: error: front matter: lists and maps are nested here more than 64 deep: gloss reads no deeper"),
        "{}",
        stderr(&out)
    );
    let site = TestSite::new();
    let formula = format!("{}x{}", "{".repeat(50_000), "}".repeat(50_000));
    site.write(
        "content/about.md",
        &format!("# About\n\nSee ${formula}$ here.\n"),
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "content/about.md:3:5: warning: formula `{}…` does not parse: its groups",
            "{".repeat(60)
        )),
        "{err}"
    );
    assert!(
        err.len() < 2_000,
        "the warning quotes the whole formula: {} bytes",
        err.len()
    );
}

/// A citation's tooltip is the reference as text, escaped once: an apostrophe reads as one
/// (issue 28 saw `&amp;#39;`, an escape escaped again).
#[test]
fn a_citation_tooltip_is_escaped_once() {
    let site = TestSite::new();
    site.write(
        "content/sources/obrien2020.md",
        "---\ntitle: \"O'Brien's view & <more>\"\nauthors: [\"O'Brien, S.\"]\nyear: 2020\n---\nB.\n",
    )
    .write("content/themes/t.md", "---\ntitle: T\n---\nSee [@obrien2020] and @obrien2020.\n");
    site.build_ok();
    let html = site.html("themes/t/index.html");
    let titles = attrs(
        &html,
        "main .prose a[href$='/sources/obrien2020/']",
        "title",
    );
    assert_eq!(titles.len(), 2, "{titles:?}");
    for title in titles {
        assert_eq!(title, "O’Brien, S. (2020). O’Brien’s view & <more>.");
    }
}
