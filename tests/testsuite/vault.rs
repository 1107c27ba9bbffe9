//! An Obsidian vault published as it is, with nothing but a `site.yaml` added: the fixture in
//! `tests/fixtures/vault/` (its `EXPECTED.md` is the oracle these tests hold gloss to) built by
//! the binary, and its pages parsed.

use crate::common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use common::{TestSite, attrs, copy_dir, snapshot, stderr, texts};
use scraper::{ElementRef, Html, Selector};

/// The vault's own settings for gloss: the vault is the site, its maps are themes, its Better
/// BibTeX export is the bibliography, and a link to a missing note is a warning, as in Quartz.
/// Three of its notes say `publish: true`: `publish: all` publishes the others too (by default,
/// `publish: auto`, only those three would be).
const SITE_YAML: &str = "title: Border Security Reading Notes\nbase_url: https://x.github.io/vault/\ncontent_dir: .\nthemes: [Maps]\nbibliography: [library.bib]\nstrict: false\npublish: all\n";

/// The fixture copied into a fresh folder without its oracle.
fn vault(site_yaml: &str) -> TestSite {
    let site = TestSite::new();
    copy_dir(
        &common::repo_root().join("tests/fixtures/vault"),
        site.root(),
    );
    std::fs::remove_file(site.root().join("EXPECTED.md")).unwrap();
    site.write("site.yaml", site_yaml);
    site
}

/// The vault built once, with what gloss printed.
struct Built {
    site: TestSite,
    stderr: String,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = vault(SITE_YAML);
        let out = site.build();
        assert!(
            out.status.success(),
            "the vault did not build:\n{}",
            stderr(&out)
        );
        Built {
            stderr: stderr(&out),
            site,
        }
    })
}

fn page(rel: &str) -> Html {
    built().site.html(rel)
}

/// The note pages of the published notes, by URL path (EXPECTED.md §1).
const PUBLISHED: [&str; 26] = [
    "",
    "callouts/",
    "citations/",
    "links/",
    "math-and-data/",
    "tags-and-blocks/",
    "my-note/",
    "zürich-notes/",
    "other-note/",
    "transclusion-a/",
    "transclusion-b/",
    "concepts/trust-deficit/",
    "concepts/buck-passing/",
    "projects/chapter-1/notes/",
    "projects/chapter-1/draft/",
    "projects/chapter-2/notes/",
    "themes/border-security-moc/",
    "themes/aid-and-trust-moc/",
    "themes/methods-moc/",
    "sources/crenshawexplainingterrorismcauses2011/",
    "sources/fairkashmirdisputeafter2019/",
    "sources/mirzaborderlandsempirefrontier2015/",
    "sources/nguyenriverinefloodrisk2020/",
    "sources/petroveventcodingtransformers2022/",
    "sources/rahmanaidconditionalitydo2017/",
    "sources/weberprofessionvocation1994/",
];

/// Text of a page's body (the note's own text, outside code, scripts and formulas' TeX).
fn prose_text(html: &Html) -> String {
    fn walk(e: ElementRef<'_>, out: &mut String) {
        for child in e.children() {
            if let Some(el) = ElementRef::wrap(child) {
                let name = el.value().name();
                if !matches!(
                    name,
                    "code" | "pre" | "script" | "style" | "annotation" | "template"
                ) {
                    walk(el, out);
                }
            } else if let Some(text) = child.value().as_text() {
                out.push_str(text);
            }
        }
    }
    let mut out = String::new();
    for prose in html.select(&Selector::parse(".prose").unwrap()) {
        walk(prose, &mut out);
        out.push('\n');
    }
    out
}

fn count(html: &Html, css: &str) -> usize {
    html.select(&Selector::parse(css).unwrap()).count()
}

#[test]
fn a_vault_publishes_with_nothing_but_a_site_yaml() {
    let b = built();
    let out = b.site.out();
    for url in PUBLISHED {
        assert!(
            out.join(url).join("index.html").is_file(),
            "no page at /{url}\n{}",
            b.stderr
        );
    }
    // Templates, `publish: false` and drafts are not published (EXPECTED.md §1).
    for gone in [
        "templates",
        "private",
        "drafts",
        "sources/hussainhandbooksouthasian2019/index.html-annotation",
    ] {
        assert!(!out.join(gone).exists(), "{gone} was published");
    }
    // Every problem is a warning on its line and column (EXPECTED.md §10), and the build passes.
    for expected in [
        "Literature Notes/@rahmanAidConditionalityDo2017.md:2:49: warning:",
        "Links.md:18:81: warning: wikilink [[Notes]] names several notes: it goes to Projects/Chapter 1/Notes.md",
        "Links.md:20:10: warning: wikilink [[A Note That Does Not Exist]] points to no note",
        "Links.md:20:45: warning: Other Note.md has no heading `#No Such Heading`, so the link opens the note",
        "Links.md:40:1: warning: [[Missing Picture.png]] names no file",
        "Literature Notes/@crenshawExplainingTerrorismCauses2011.md:13:12: warning: wikilink [[Martha Crenshaw]]",
        "Math and Data.md:17:69: warning:",
        "Citations.md:12:108: warning: citation key `smith2099missing`",
        "Literature Notes/@weberProfessionVocation1994.md:5:1: warning: `weberProfessionVocation1994` is in no bibliography file",
        "warning: embeds go round in a cycle (Transclusion",
        "warning: 6 links to zotero://, file:// or obsidian:// open nothing on the web",
    ] {
        assert!(
            b.stderr.contains(expected),
            "no `{expected}` in:\n{}",
            b.stderr
        );
    }
    // Links to unpublished notes are text, each with a warning naming the note left out.
    for said in [
        "Links.md:22:22: warning: wikilink [[Diary]] points to Private/Diary.md, which the ignore patterns leave out (site.yaml's `ignore:` or .glossignore): the page shows it as text",
        "Links.md:22:69: warning: wikilink [[Unfinished]] points to Drafts/Unfinished.md, which is a draft",
        "Links.md:22:88: warning: wikilink [[Literature Note Template]] points to Templates/Literature Note Template.md, which the ignore patterns leave out",
    ] {
        assert!(b.stderr.contains(said), "no `{said}` in:\n{}", b.stderr);
    }
    // Tags that name no theme are one line, not one per tag.
    assert_eq!(b.stderr.matches("name no theme").count(), 1, "{}", b.stderr);
}

#[test]
fn no_private_text_reaches_any_output_file() {
    let out = built().site.out();
    for (path, bytes) in snapshot(&out) {
        let mut plain = Vec::new();
        // The search index is compressed: look inside it too.
        let bytes = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain) {
            Ok(_) => plain,
            Err(_) => bytes,
        };
        let text = String::from_utf8_lossy(&bytes);
        for private in ["PRIVATE-TEXT", "secret-tag", "Templater"] {
            assert!(
                !text.contains(private),
                "{} holds `{private}`",
                path.display()
            );
        }
    }
    // The site's own files among the notes are not published: settings and the library.
    for file in ["site.yaml", "library.bib", ".obsidian"] {
        assert!(!out.join(file).exists(), "{file} was copied to the site");
    }
    // Tags only unpublished notes carry have no page.
    for tag in ["handbook", "review"] {
        assert!(!out.join("tags").join(tag).exists(), "tag {tag} published");
    }
    // What looks like a comment but is code stays, with its percent signs.
    let callouts = built().site.read_out("callouts/index.html");
    assert!(callouts.contains("%% NOT-A-COMMENT-1 %%"));
    assert!(callouts.contains("NOT-A-COMMENT-2"));
    let mirza = page("sources/mirzaborderlandsempirefrontier2015/index.html");
    assert!(prose_text(&mirza).contains("VISIBLE-BETWEEN-MARKERS"));
}

#[test]
fn obsidian_markdown_leaves_no_raw_syntax_on_any_page() {
    let out = built().site.out();
    for url in PUBLISHED {
        let html = built().site.html(&format!("{url}index.html"));
        // The one blockquote that writes `[!note]` in its middle, where it is no callout.
        let text = prose_text(&html).replace("not a callout: [!note] is not at its start", "");
        for raw in ["[!", "==", "%%", "![[", "[[", "::", "^blockid", "^abc123"] {
            assert!(
                !text.contains(raw),
                "/{url} shows `{raw}`:\n{}",
                text.lines()
                    .filter(|l| l.contains(raw))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    assert!(out.join("index.html").is_file());
}

#[test]
fn callouts_have_their_types_titles_nesting_and_folding() {
    let mut all = 0;
    let mut nested = 0;
    let mut foldable = 0;
    let mut open = 0;
    for url in PUBLISHED {
        let html = built().site.html(&format!("{url}index.html"));
        all += count(&html, ".prose .callout");
        nested += count(&html, ".prose .callout .callout");
        foldable += count(&html, ".prose details.callout");
        open += count(&html, ".prose details.callout[open]");
    }
    assert_eq!((all, nested, foldable, open), (15, 2, 3, 1));
    let html = page("callouts/index.html");
    let titles = texts(&html, ".prose .callout-title");
    assert_eq!(
        titles[0], "Note",
        "a callout without a title is named by its type"
    );
    assert_eq!(titles[1], "Custom title with a link");
    assert_eq!(
        attrs(&html, ".prose .callout-title a", "href"),
        ["/vault/concepts/trust-deficit/"]
    );
    // `info` ⊃ `example` ⊃ `bug`, and the outer callout goes on after the inner ones.
    let outer = texts(&html, r#".prose [data-callout="info"] > .callout-body > p"#);
    assert_eq!(outer, ["Outer text.", "Back in the outer callout."]);
    assert_eq!(
        count(&html, r#"[data-callout="info"] [data-callout="bug"]"#),
        1
    );
    // An unknown type is drawn as a note, a blockquote with `[!note]` inside stays a blockquote.
    assert_eq!(
        attrs(&html, r#"[data-callout="unknown-type"]"#, "class"),
        ["callout callout-note"]
    );
    assert_eq!(count(&html, ".prose > blockquote"), 1);
}

#[test]
fn links_resolve_as_obsidian_resolves_them() {
    let html = page("links/index.html");
    let links: Vec<(String, String)> = html
        .select(&Selector::parse(".prose a").unwrap())
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect();
    let href_of = |text: &str| {
        links
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, h)| h.as_str())
            .unwrap_or_else(|| panic!("no link `{text}` in {links:?}"))
    };
    assert_eq!(
        href_of("the other note"),
        "/vault/other-note/",
        "in a table"
    );
    assert_eq!(
        href_of("heading with alias"),
        "/vault/other-note/#another-heading"
    );
    assert_eq!(href_of("Zürich Notes"), "/vault/z%C3%BCrich-notes/");
    // An alias is shown as written.
    assert_eq!(
        href_of("Explaining Terrorism"),
        "/vault/sources/crenshawexplainingterrorismcauses2011/"
    );
    assert_eq!(href_of("Borders map"), "/vault/themes/border-security-moc/");
    // Both `Notes.md` are titled by their file name, as Obsidian shows them (not by their
    // first heading), and each link reaches its own; the bare `[[Notes]]` two notes share goes
    // to the one nearest the root, as Obsidian opens one (chapter 1's).
    let notes: Vec<&str> = links
        .iter()
        .filter(|(t, _)| t == "Notes")
        .map(|(_, h)| h.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "/vault/projects/chapter-1/notes/",
            "/vault/projects/chapter-2/notes/",
            "/vault/projects/chapter-1/notes/"
        ]
    );
    // Markdown links with encoded names and anchors.
    assert_eq!(href_of("x"), "/vault/my-note/");
    assert_eq!(href_of("same"), "/vault/my-note/");
    assert_eq!(href_of("heading"), "/vault/other-note/#some-heading");
    assert_eq!(href_of("web"), "https://example.org/a%20b");
    // Missing and unpublished targets are text, never a dead link.
    let unresolved = texts(&html, ".prose .unresolved");
    for name in ["A Note That Does Not Exist", "Diary", "Unfinished"] {
        assert!(
            unresolved.iter().any(|u| u == name),
            "{name}: {unresolved:?}"
        );
    }
    for (_, href) in &links {
        assert!(
            !href.starts_with("zotero:")
                && !href.starts_with("file:")
                && !href.contains("#missing"),
            "{href}"
        );
    }
    // The same name in a note's own folder wins.
    let draft = page("projects/chapter-1/draft/index.html");
    assert_eq!(
        attrs(&draft, ".prose a:not(.anchor)", "href")[0],
        "/vault/projects/chapter-1/notes/"
    );
    // Block links land on the block's anchor, which the target page has.
    let blocks = page("tags-and-blocks/index.html");
    let hrefs = attrs(&blocks, ".prose a:not(.tag):not(.anchor)", "href");
    assert!(
        hrefs.contains(&"/vault/tags-and-blocks/#^abc123".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/vault/other-note/#^blockid".to_string()),
        "{hrefs:?}"
    );
    assert_eq!(
        attrs(&page("other-note/index.html"), r#"[id="^blockid"]"#, "id").len(),
        1
    );
    // Every link between the pages reaches a page.
    let out = built().site.out();
    for url in PUBLISHED {
        let html = built().site.html(&format!("{url}index.html"));
        for href in attrs(&html, ".prose a", "href") {
            let Some(path) = href.strip_prefix("/vault/") else {
                continue;
            };
            let path = path.split('#').next().unwrap();
            let path = percent_decode(path);
            let file = if path.is_empty() || path.ends_with('/') {
                out.join(&path).join("index.html")
            } else {
                out.join(&path)
            };
            assert!(file.is_file(), "/{url} links to {href}, which is not there");
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn embeds_show_their_notes_parts_and_files_and_cut_cycles() {
    let html = page("links/index.html");
    let embeds = texts(&html, ".prose .embed");
    assert_eq!(embeds.len(), 2, "{embeds:?}");
    assert!(embeds[0].contains("The opening paragraph of Other Note."));
    assert!(embeds[0].contains("A last paragraph"));
    // The block alone.
    let second = html
        .select(&Selector::parse(".prose .embed").unwrap())
        .nth(1)
        .unwrap();
    let paragraphs: Vec<String> = second
        .select(&Selector::parse("p:not(.embed-source)").unwrap())
        .map(|p| {
            p.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        paragraphs,
        ["A paragraph that carries a block id, with a hidden remark inside it."]
    );
    // A heading's section, up to the next heading of its level.
    let map = page("themes/aid-and-trust-moc/index.html");
    let section = texts(&map, ".prose .embed").join(" ");
    assert!(
        section.contains("Still part of Some Heading’s section."),
        "{section}"
    );
    assert!(!section.contains("Another Heading"), "{section}");
    // An image by name with its width, and an attachment whose name has a space.
    assert_eq!(
        attrs(&html, ".prose img", "src"),
        ["/vault/attachments/image.png"]
    );
    assert_eq!(attrs(&html, ".prose img", "width"), ["400"]);
    let out = built().site.out();
    assert!(out.join("attachments/image.png").is_file());
    assert!(out.join("attachments/Figure 1.png").is_file());
    assert_eq!(
        attrs(&page("my-note/index.html"), ".prose img", "src"),
        [
            "/vault/attachments/Figure%201.png",
            "/vault/attachments/Figure%201.png"
        ]
    );
    assert_eq!(
        attrs(&html, ".prose a.attachment", "href"),
        ["/vault/attachments/file.pdf"]
    );
    // A cycle is cut after one round: A shows B, whose embed of A is a link.
    let a = page("transclusion-a/index.html");
    assert!(texts(&a, ".prose .embed").join(" ").contains("Text of B."));
    assert_eq!(
        attrs(&a, ".prose .embed a.embed-link", "href"),
        ["/vault/transclusion-a/"]
    );
}

#[test]
fn tags_come_from_front_matter_and_text_nested_and_emoji_included() {
    let out = built().site.out();
    let tags: BTreeSet<String> = std::fs::read_dir(out.join("tags"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for tag in [
        "aid",
        "blocks",
        "border-security",
        "migration",
        "nested",
        "table-tag",
        "terrorism",
        "to-read",
        "📚",
    ] {
        assert!(tags.contains(tag), "no tag page {tag}: {tags:?}");
    }
    assert!(out.join("tags/nested/deeper/tag/index.html").is_file());
    // The parent tag's page lists the note of the nested one.
    let nested = page("tags/nested/index.html");
    assert!(
        texts(&nested, "main a")
            .iter()
            .any(|t| t == "Tags and Blocks")
    );
    // Inline tags link to their pages; code, URLs, numbers and C# are not tags.
    let blocks = page("tags-and-blocks/index.html");
    assert_eq!(
        texts(&blocks, ".prose a.tag"),
        [
            "#border-security",
            "#nested/tag",
            "#nested/deeper/tag",
            "#📚",
            "#table-tag"
        ]
    );
}

#[test]
fn highlights_block_ids_formulas_and_fields_render() {
    let mut marks = 0;
    let mut blocks = BTreeSet::new();
    let mut formulas = 0;
    for url in PUBLISHED {
        let html = built().site.html(&format!("{url}index.html"));
        marks += count(&html, ".prose mark:not([style])");
        blocks.extend(attrs(&html, r#".prose [id^="^"]"#, "id"));
        formulas += count(&html, ".prose math");
    }
    assert_eq!(marks, 6);
    assert_eq!(blocks.len(), 9, "{blocks:?}");
    assert_eq!(formulas, 8, "6 inline and 2 display formulas");
    let math = page("math-and-data/index.html");
    assert_eq!(count(&math, r#".prose math[display="block"]"#), 2);
    let text = prose_text(&math);
    assert!(
        text.contains(r"$\frac{1}{$"),
        "an invalid formula is shown as written"
    );
    assert!(text.contains("it cost $5 and $10") && text.contains("An escaped dollar: $20."));
    assert_eq!(
        texts(&math, ".prose dl.fields dt"),
        ["Status", "Rating", "Related"]
    );
    assert_eq!(
        attrs(&math, ".prose dl.fields dd a", "href"),
        ["/vault/concepts/trust-deficit/"]
    );
    assert_eq!(texts(&math, ".prose .field"), ["year 2011", "yes"]);
    // A query is code, never run.
    assert_eq!(count(&math, ".prose pre"), 1);
}

#[test]
fn the_bibliography_file_makes_every_entry_a_source() {
    let out = built().site.out();
    let bib = page("bibliography/index.html");
    let entries = texts(&bib, ".ref");
    // The 11 entries of library.bib and the note that has none (weber).
    assert_eq!(entries.len(), 12, "{entries:?}");
    for key in [
        "acledarmedconflictlocation2023",
        "okaforfewshoteventextraction2022",
        "undphumandevelopmentreport2022",
        "hussainhandbooksouthasian2019",
    ] {
        assert!(
            out.join("sources").join(key).join("index.html").is_file(),
            "{key}"
        );
    }
    // An unpublished annotation keeps its text to itself: its source page is the entry alone.
    let hussain = built()
        .site
        .read_out("sources/hussainhandbooksouthasian2019/index.html");
    assert!(!hussain.contains("PRIVATE-TEXT") && !hussain.contains("handbook</a>"));
    // A literature note's fields yield to the library's; a note with no entry is formatted
    // from its own, its "Given Family" name read as such.
    let cites = page("citations/index.html");
    let shown = texts(&cites, ".prose .citation");
    assert!(
        shown
            .iter()
            .any(|c| c == "(Rahman & O’Brien, 2017, p. 2501)"),
        "{shown:?}"
    );
    assert!(shown.iter().any(|c| c == "(Weber, 1994)"), "{shown:?}");
    assert!(
        entries.iter().any(|e| e.starts_with("Weber, M. (1994).")),
        "{entries:?}"
    );
    // `\@handle` is an at sign, not a citation.
    assert!(prose_text(&cites).contains("follow @borderwatch on Mastodon"));
}

/// Without `strict:`, what Obsidian shows as unresolved is a warning and an unknown citation key
/// an error; `strict: true` (or `--strict`) makes every warning an error.
#[test]
fn a_vault_fails_on_an_unknown_citation_key_and_strict_fails_on_any_warning() {
    let site = vault(&SITE_YAML.replace("strict: false\n", ""));
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "Citations.md:12:108: error: citation key `smith2099missing` has no source note"
        ),
        "{err}"
    );
    assert!(
        err.contains("Links.md:20:10: warning: wikilink [[A Note That Does Not Exist]]"),
        "{err}"
    );
    assert!(err.contains("\n1 error, "), "{err}");
    assert!(!site.out().exists(), "a failed build writes nothing");
    site.write(
        "site.yaml",
        &SITE_YAML.replace("strict: false\n", "strict: true\n"),
    );
    let err = stderr(&site.build());
    assert!(
        err.contains("Links.md:20:10: error: wikilink [[A Note That Does Not Exist]]"),
        "{err}"
    );
    // The lenient site builds, unless the command line asks for strictness (CI).
    site.write("site.yaml", SITE_YAML);
    site.build_ok();
    let root = site.root().to_str().unwrap().to_string();
    let check = site.gloss(&["check", "--root", &root, "--strict"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("Links.md:40:1: error: [[Missing Picture.png]] names no file"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn the_vault_may_be_a_folder_of_the_site() {
    let site = TestSite::new();
    copy_dir(
        &common::repo_root().join("tests/fixtures/vault"),
        &site.root().join("notes"),
    );
    std::fs::remove_file(site.root().join("notes/EXPECTED.md")).unwrap();
    site.write(
        "site.yaml",
        &SITE_YAML
            .replace("content_dir: .", "content_dir: notes")
            .replace(
                "bibliography: [library.bib]",
                "bibliography: [notes/library.bib]",
            ),
    );
    site.build_ok();
    let out = site.out();
    for url in PUBLISHED {
        assert!(out.join(url).join("index.html").is_file(), "/{url}");
    }
    assert!(!out.join("library.bib").exists());
    assert!(!Path::new(&out.join("templates")).exists());
}

#[test]
fn a_source_note_overrides_its_entry_and_a_literature_note_yields_to_it() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.github.io/review/\nbibliography: [refs.bib]\n",
    )
    .write(
        "refs.bib",
        "@article{khan2019, author = {Khan, Sana}, title = {Trust and Its Limits}, journal = {Asian Survey}, year = {2019}, volume = {59}}\n\
         @book{lee2020, author = {Lee, Min}, title = {Borders}, publisher = {Polity}, year = {2020}}\n",
    )
    // gloss's own source note: its fields win, the entry fills in the rest.
    .write(
        "content/sources/khan2019.md",
        "---\ntitle: Trust and its limits\nyear: 2018\n---\nAn annotation.\n",
    )
    // A plugin's literature note: the library wins, the note's copy is ignored.
    .write(
        "content/Lee notes.md",
        "---\ncitekey: lee2020\ntitle: \"@lee2020\"\nauthors: Min Lee\ntype: literature-note\ndate: 2024-01-02 10:00\ntags: \"#borders, reading\"\n---\nRead as @khan2019 does.\n",
    );
    site.build_ok();
    let khan = site.html("sources/khan2019/index.html");
    assert_eq!(
        texts(&khan, ".note-header .reference"),
        ["Khan, S. (2018). Trust and its limits. Asian Survey, 59."]
    );
    let lee = site.html("sources/lee2020/index.html");
    assert_eq!(texts(&lee, ".note-header h1"), ["Borders"]);
    assert_eq!(
        texts(&lee, ".note-header .reference"),
        ["Lee, M. (2020). Borders. Polity."]
    );
    assert_eq!(texts(&lee, ".note-header .tag"), ["borders", "reading"]);
    assert!(texts(&lee, ".prose").join(" ").contains("Khan (2018)"));
}

/// `gloss serve` over a vault: every warm build equals a clean one, and the plan skips no page
/// whose input changed, when an embedded note, the bibliography file or an inline tag changes.
#[test]
fn serve_rebuilds_a_vault_exactly_as_a_clean_build() {
    let site = vault(SITE_YAML);
    let root = site.root().to_path_buf();
    // Enough words before the last paragraph that a preview card does not reach it.
    let other = std::fs::read_to_string(root.join("Other Note.md")).unwrap();
    let long = "Filler words for a long opening. ".repeat(20);
    let other = other.replacen(
        "The opening paragraph of Other Note.",
        &format!("The opening paragraph of Other Note. {long}"),
        1,
    );
    std::fs::write(root.join("Other Note.md"), other).unwrap();
    let options = gloss::LoadOptions {
        root: root.clone(),
        base_url: None,
        ..Default::default()
    };
    let mut cache = gloss::incremental::Cache::default();
    cache.verify_plans(true);
    let check = |cache: &mut gloss::incremental::Cache, step: &str| {
        let warm = gloss::build_in_memory(&options, Some(cache)).unwrap();
        let clean = gloss::build_in_memory(&options, None).unwrap();
        assert!(warm.files == clean.files, "{step}: the warm build differs");
        assert_eq!(cache.mismatches(), Vec::<String>::new(), "{step}");
    };
    check(&mut cache, "first build");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // Past the opening words a preview shows: only the embed makes it matter to Links.
    edit(
        "Other Note.md",
        "A last paragraph that is not embedded anywhere.",
        "A last paragraph, EDITED part.",
    );
    check(&mut cache, "an embedded note's body");
    let links = gloss::build_in_memory(&options, Some(&mut cache)).unwrap();
    let page = links
        .files
        .iter()
        .find(|f| f.path == "links/index.html")
        .expect("the links page");
    assert!(String::from_utf8_lossy(&page.bytes).contains("EDITED part"));
    edit("Transclusion B.md", "Text of B.", "Text of B, edited.");
    check(&mut cache, "a note in an embed cycle");
    edit(
        "library.bib",
        "Few-Shot Event Extraction",
        "Few-Shot Event Detection",
    );
    check(&mut cache, "the bibliography file");
    edit(
        "Other Note.md",
        "The opening paragraph",
        "The #opening paragraph",
    );
    check(&mut cache, "an inline tag");
    edit(
        "Other Note.md",
        "## Some Heading",
        "## Some Heading Renamed",
    );
    check(&mut cache, "a heading that a link names");
    // Names: a link that meant nothing, then an alias that it names, a note renamed (the links
    // to its old name now mean nothing) and a note gone.
    edit("My Note.md", "\n", "\nSee [[Elsewhere]] too.\n");
    check(&mut cache, "a link to no note");
    edit(
        "Other Note.md",
        "# Other Note",
        "---\naliases: [Elsewhere]\n---\n# Other Note",
    );
    check(&mut cache, "an alias that a link names");
    std::fs::rename(root.join("Other Note.md"), root.join("Renamed Note.md")).unwrap();
    check(&mut cache, "a note renamed");
    std::fs::remove_file(root.join("Transclusion B.md")).unwrap();
    check(&mut cache, "a note in an embed cycle removed");
}

/// `gloss serve` in a vault: a save anywhere in it rebuilds (Obsidian's own churn in
/// `.obsidian/` does not), and the page shows the change.
#[test]
fn serve_watches_the_whole_vault() {
    let site = vault(SITE_YAML);
    let mut server = common::serve::Server::start(site.root(), &[]);
    let mut events = server.events();
    assert!(
        server
            .page("my-note/")
            .text()
            .contains("space and capitals")
    );
    std::fs::write(
        site.root().join(".obsidian/workspace.json"),
        "{\"active\": \"x\"}",
    )
    .unwrap();
    // Obsidian rewrites its workspace file as one clicks around: no rebuild for that.
    std::thread::sleep(std::time::Duration::from_millis(800));
    server.drain();
    assert!(
        !server.seen.iter().any(|l| l.contains("rebuilt")),
        "{:?}",
        server.seen
    );
    let note = site.root().join("My Note.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace("space and capitals", "SAVED-IN-OBSIDIAN"),
    )
    .unwrap();
    events.wait_for("reload");
    assert!(server.page("my-note/").text().contains("SAVED-IN-OBSIDIAN"));
}
