use super::*;
use crate::markdown::tests::Fake;
use crate::markdown::{Settings, render, scan};

/// Every element with its attributes (sorted, spaces dropped from `style`) and every text, in
/// document order: two fragments that read the same in a browser give the same list.
fn shape(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    doc.tree
        .nodes()
        .filter_map(|node| match node.value() {
            scraper::Node::Element(e) => {
                let mut attrs: Vec<String> = e
                    .attrs()
                    .map(|(k, v)| match k {
                        "style" => format!("{k}={}", v.replace(' ', "")),
                        _ => format!("{k}={v}"),
                    })
                    .collect();
                attrs.sort();
                Some(format!("<{} {}>", e.name(), attrs.join(" ")))
            }
            scraper::Node::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => None,
        })
        .collect()
}

const RICH: &str = r#"# Title {.wide data-level=1 lang=en}

Text with [@a], @b, [[t]], [[t|alias]], [[missing]], #tag/sub, ==marked==, ~~gone~~, `code`,
**bold** and *em*, a [link](https://example.org/ "Title"), [mail](mailto:a@example.org),
[local](zotero://select/items/X), a [[paper.pdf]], a footnote[^1] and $\frac{a}{b} \color{red}{x}$.

Status:: read

> [!note]- Folded
> Inside, with $$\begin{pmatrix} a & b \\ c & d \end{pmatrix}$$

> [!warning] Open
> Body.

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

- [x] done
- [ ] to do ^block-1

3. three
4. four

![alt](figure.png "Figure") ![[x.png|300]] ![[clip.mp4]] ![[sound.mp3]] ![[x]]

```rust
fn main() { let x = 1 < 2; }
```

$$\sum_{i=1}^{n} x_i^2 \quad \text{and} \quad \sqrt[3]{y} \mathbb{R} \hat{x} \overbrace{a}^{b}$$

$$\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases} \colorbox{yellow}{z}$$

---

[^1]: The note.
"#;

/// A note with raw HTML keeps every piece of gloss's own markup: the cleaning changes nothing
/// that gloss wrote.
#[test]
fn cleaning_keeps_all_of_gloss_s_own_markup() {
    let settings = Settings {
        unsafe_html: true,
        ..Settings::default()
    };
    let html = render(RICH, "", &Fake, &settings);
    assert!(html.contains("<math") && html.contains("callout") && html.contains("hl-"));
    assert!(
        html.contains("text-align") && html.contains("footnote"),
        "{html}"
    );
    assert_eq!(shape(&clean(&html)), shape(&html));
    // And the note as the site renders it by default, with a piece of raw HTML, is the same but
    // for that piece.
    let with_raw = format!("{RICH}\n<kbd>Ctrl</kbd>\n");
    let cleaned = render(&with_raw, "", &Fake, &Settings::default());
    let mut expected = shape(&html);
    expected.extend(["<p >", "<kbd >", "Ctrl"].map(String::from));
    assert_eq!(shape(&cleaned), expected);
}

#[test]
fn a_body_without_raw_html_is_never_cleaned() {
    let html = render(RICH, "", &Fake, &Settings::default());
    let unsafe_settings = Settings {
        unsafe_html: true,
        ..Settings::default()
    };
    assert_eq!(html, render(RICH, "", &Fake, &unsafe_settings));
}

const HOSTILE: &str = r#"Intro <img src=x onerror="alert(1)"> and <a href="JaVaScRiPt:alert(2)">a</a>.

<script>alert(3)</script>

<style>body { display: none }</style>

<iframe src="javascript:alert(4)"></iframe>
<iframe src="http://example.org/"></iframe>
<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen></iframe>

<a href="&#106;avascript:alert(5)">entity</a> <a href="java&#x09;script:alert(6)">tab</a>
<a href=" vbscript:msgbox(7)">vb</a> <a href="data:text/html,<script>alert(8)</script>">data</a>
<object data="x.swf"></object><embed src="x.swf"><svg onload=alert(9)><circle/></svg>
<form action="javascript:alert(10)"><input type=submit formaction="javascript:alert(11)"></form>
<div style="position:fixed;color:red" onmouseover=alert(12)>styled</div>
<math><mtext><table><mglyph><style><img src=x onerror=alert(13)></style></mglyph></table></mtext></math>
<details><summary>More</summary><table><tr><td>cell <sup>1</sup> <sub>2</sub> <mark>m</mark> <kbd>K</kbd> <abbr title="x">A</abbr></td></tr></table></details>
<figure><img src="https://example.org/a.png" alt="A"><figcaption>Cap</figcaption></figure>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
<video src="https://example.org/v.mp4" controls></video>
<!-- a private comment -->

# Heading {onclick=alert(14) data-x=1}
"#;

#[test]
fn hostile_html_loses_what_runs_and_keeps_the_safe_subset() {
    let html = render(HOSTILE, "", &Fake, &Settings::default());
    let lower = html.to_ascii_lowercase();
    for gone in [
        "<script",
        "alert(3)",
        "<style",
        "display: none",
        "onerror",
        "onclick",
        "onload",
        "onmouseover",
        "javascript",
        "vbscript",
        "data:text",
        "<object",
        "<embed",
        "<svg",
        "<form",
        "formaction",
        "position",
        "http://example.org/\"",
        "private comment",
    ] {
        assert!(!lower.contains(gone), "{gone} in {html}");
    }
    let page = scraper::Html::parse_fragment(&html);
    let count = |css: &str| page.select(&scraper::Selector::parse(css).unwrap()).count();
    for kept in [
        "details > summary",
        "table td sup",
        "td sub",
        "td mark",
        "td kbd",
        "abbr[title]",
        "figure > figcaption",
        "img[src^='data:image/png']",
        "video[controls]",
        "iframe[src^='https://www.youtube-nocookie.com'][allowfullscreen]",
        "div[style='color:red']",
        "h1[data-x='1']",
        "img[alt='A']",
    ] {
        assert_eq!(count(kept), 1, "{kept} in {html}");
    }
    // A frame whose address is not `https:` is left empty (about:blank).
    assert_eq!(count("iframe[src]"), 1, "{html}");
    // A task list's checkbox is the only input there is.
    assert_eq!(
        count("input[type='checkbox'][disabled]"),
        count("input"),
        "{html}"
    );
}

#[test]
fn unsafe_html_publishes_it_as_written() {
    let settings = Settings {
        unsafe_html: true,
        ..Settings::default()
    };
    let html = render(HOSTILE, "", &Fake, &settings);
    assert!(html.contains("<script>alert(3)</script>"), "{html}");
    assert!(html.contains(r#"onclick="alert(14)""#), "{html}");
}

#[test]
fn one_warning_names_the_first_piece_and_counts_the_rest() {
    let s = scan(HOSTILE, "", 10);
    let p = s.raw_html.expect("a warning");
    assert_eq!((p.line, p.col), (10, 18), "{}", p.message);
    assert!(
        p.message
            .starts_with("an event handler `onerror` is left out of the page (and "),
        "{}",
        p.message
    );
    assert!(p.message.contains("unsafe_html: true"), "{}", p.message);
    // The pieces, in order, at their lines and columns.
    let pieces = unsafe_pieces(HOSTILE);
    let at = |needle: &str, n: usize| {
        let offset = HOSTILE.match_indices(needle).nth(n).unwrap().0;
        let line = HOSTILE[..offset].matches('\n').count();
        let col = offset - HOSTILE[..offset].rfind('\n').map_or(0, |i| i + 1);
        (line, col)
    };
    let position = |offset: usize| {
        let line = HOSTILE[..offset].matches('\n').count();
        (
            line,
            offset - HOSTILE[..offset].rfind('\n').map_or(0, |i| i + 1),
        )
    };
    let found: Vec<((usize, usize), String)> = pieces
        .iter()
        .map(|(offset, r)| (position(*offset), r.describe()))
        .collect();
    assert_eq!(
        found[0],
        (at("onerror", 0), "an event handler `onerror`".to_string())
    );
    assert_eq!(
        found[1],
        (at("href", 0), "a `javascript:` URL in `href`".to_string())
    );
    assert_eq!(
        found[2],
        (at("<script", 0), "a `<script>` element".to_string())
    );
    assert_eq!(
        found[3],
        (at("<style", 0), "a `<style>` element".to_string())
    );
    assert_eq!(
        found[4],
        (at("src", 1), "a `javascript:` URL in `src`".to_string())
    );
    assert_eq!(
        found[5],
        (at("src", 2), "a `http:` URL in `src`".to_string())
    );
    assert!(
        found
            .iter()
            .any(|(_, d)| d == "a `vbscript:` URL in `href`"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(_, d)| d == "a `data:` URL in `href`"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, d)| d == "the tags of a `<form>` element"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(_, d)| d == "an attribute `formaction`"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, d)| d == "an event handler `onmouseover`"),
        "{found:?}"
    );
    // The heading's attribute is the scan's to find.
    let heading = scan("Text.\n\n## Heading {data-x=1 ONCLICK=alert(1)}\n", "", 1).raw_html;
    let heading = heading.expect("a warning");
    assert_eq!((heading.line, heading.col), (3, 22), "{}", heading.message);
    assert!(
        heading
            .message
            .starts_with("an event handler `onclick` is left out of the page: "),
        "{}",
        heading.message
    );
}

#[test]
fn safe_html_and_comments_give_no_warning() {
    let body = "<details><summary>S</summary>\n\n*x*\n\n</details>\n\n<!-- note to self -->\n\n<kbd>K</kbd> <a href=\"https://e.org/\" title=\"t\">e</a>\n";
    assert_eq!(scan(body, "", 1).raw_html, None);
    let html = render(body, "", &Fake, &Settings::default());
    assert!(!html.contains("note to self"), "{html}");
    assert!(html.contains("<details><summary>S</summary>"), "{html}");
    assert!(html.contains("<em>x</em>"), "{html}");
}

#[test]
fn markdown_links_and_images_live_only_on_the_web() {
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](<java\tscript:alert(3)>) \
        [d](java&#x09;script:alert(4)) [e](vbscript:x) [f](data:text/html,x) [g](file:///etc/passwd) \
        <javascript:alert(5)> ![img](javascript:alert(6)) ![ok](data:image/png;base64,AAAA) \
        [web](https://e.org/) [mail](mailto:a@e.org) [rel](x/) [frag](#top) ![web](https://e.org/a.png)\n";
    let html = render(body, "", &Fake, &Settings::default());
    let page = scraper::Html::parse_fragment(&html);
    let select = |css: &str| -> Vec<String> {
        page.select(&scraper::Selector::parse(css).unwrap())
            .map(|e| {
                e.value()
                    .attr(if css == "img" { "src" } else { "href" })
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(
        select("a"),
        ["https://e.org/", "mailto:a@e.org", "/review/x/", "#top"],
        "{html}"
    );
    assert_eq!(
        select("img"),
        ["data:image/png;base64,AAAA", "https://e.org/a.png"],
        "{html}"
    );
    for text in [
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "javascript:alert(5)",
        "img",
    ] {
        assert!(
            page.root_element().text().any(|t| t.contains(text)),
            "{text} in {html}"
        );
    }
    let s = scan(body, "", 7);
    let warned: Vec<(usize, usize, &str)> = s
        .problems
        .iter()
        .map(|p| (p.line, p.col, p.message.as_str()))
        .collect();
    assert_eq!(warned.len(), 8, "{warned:#?}");
    assert_eq!(
        warned[0],
        (
            7,
            1,
            "a link to `javascript:` is shown as text: only http, https, mailto and relative links become links"
        )
    );
    assert!(
        warned[4].2.starts_with("a link to `vbscript:`"),
        "{warned:#?}"
    );
    assert!(warned[5].2.starts_with("a link to `data:`"), "{warned:#?}");
    assert!(
        warned[7]
            .2
            .starts_with("an image from `javascript:` is shown as its text"),
        "{warned:#?}"
    );
    // `file:` is a link to the author's computer: its own warning, as before.
    assert_eq!(s.local_links.len(), 1);
}
