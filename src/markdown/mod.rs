//! Markdown with Pandoc citations, wikilinks, `.md` links and Obsidian's additions: what both
//! passes share.
//!
//! Two passes over the same event stream ([`events`]), both pure:
//! 1. [`scan()`] records what a note refers to (citations, links, embeds, attachments, heading
//!    and block ids, inline tags) with file positions and the sentence around each reference,
//!    for the graph and for backlinks;
//! 2. [`render()`] produces HTML, asking a [`Resolver`] for citation text, link URLs and embedded
//!    notes, with code highlighted by [`highlight`] and formulas made MathML by [`math`].
//!
//! Before either, [`private::prepare`] has blanked `%% comments %%` out of the body, and
//! [`obsidian`] rewrites callouts and Dataview fields in the event stream. Both passes read text
//! in the same [`pieces`] (narrative citations, tags, highlights, fields) and links through the
//! same [`links`] (targets, URLs, kinds of file). Heading ids come from one function in
//! [`sections`], so the anchors `gloss check` accepts are exactly the ones the page has.
//!
//! This file holds what every pass shares: the settings, the types a scan returns, the
//! [`Resolver`] a render asks, and [`matching_end`].

mod events;
mod highlight;
mod links;
mod markers;
mod math;
mod obsidian;
mod pieces;
pub(crate) mod private;
mod render;
mod safe_html;
mod scan;
mod sections;

use std::ops::Range;

use pulldown_cmark::{Event, Options};

use crate::cite::Citation;

pub(crate) use highlight::HIGHLIGHT_CLASS_STYLE;
pub(crate) use render::render;
pub(crate) use scan::scan;
pub(crate) use sections::section;

/// Marker URL scheme carrying a bracketed citation's label from the parser's callback to the renderer.
const CITE_SCHEME: &str = "gloss-cite:";
/// Brackets placed around a citation's index inside a backlink context (private-use characters).
pub(crate) const CONTEXT_MARK_OPEN: char = '\u{E000}';
pub(crate) const CONTEXT_MARK_CLOSE: char = '\u{E001}';
/// A link inside a context: `\u{E002}j\u{E001}` (link `j` of the scan), its text as written, then
/// `\u{E003}`; a bare `[[key]]` has no text between the markers.
pub(crate) const LINK_MARK_OPEN: char = '\u{E002}';
pub(crate) const LINK_MARK_END: char = '\u{E003}';
/// About how many words of a body's first paragraphs [`Scan::lead`] keeps.
pub(crate) const LEAD_WORDS: usize = 60;
/// At most this many bytes of them: a first paragraph may be a whole 50 MB note, and a preview
/// shows 40 words.
pub(crate) const LEAD_BYTES: usize = 4096;

/// How bodies are read, from `site.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Settings {
    /// Every line break is a break (Obsidian's "strict line breaks" off), not a space.
    pub(crate) hard_breaks: bool,
    /// The body is shown inside another note's page (an embed): its headings and blocks get no
    /// ids, which the page around it may use too.
    pub(crate) embedded: bool,
    /// Raw HTML and heading attributes are published as written (`unsafe_html: true` in
    /// `site.yaml`), not cleaned by [`safe_html`].
    pub(crate) unsafe_html: bool,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Where a link points, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// `[[name]]`: a key, a file name, an alias or a path.
    Key(String),
    /// `[text](../themes/x.md)`: a content file, as a path relative to the notes' folder.
    File(String),
}

/// A reference to another note found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub target: LinkTarget,
    pub anchor: Option<String>,
    /// `![[note]]`: the note is shown in place.
    pub embed: bool,
    pub line: usize,
    pub col: usize,
    /// Index into [`Scan::contexts`].
    pub context: usize,
    /// Where its marker starts in that context, in bytes (0 for an embed, which has none).
    pub at: usize,
}

/// A citation found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteRef {
    pub citation: Citation,
    pub line: usize,
    pub col: usize,
    pub context: usize,
    /// Where its marker starts in that context, in bytes: a backlink passage is cut around it
    /// without searching the context, which may be a paragraph of 200,000 citations.
    pub at: usize,
}

/// A file a body shows or links by name (`![[figure.png|400]]`, `![[paper.pdf]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRef {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

/// Something in a body that renders, but not as written: a warning at its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// A formula shown as its TeX source, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaRef {
    pub line: usize,
    pub col: usize,
    /// The command gloss cannot draw (`ce`); `None` when the formula does not parse.
    pub command: Option<String>,
    pub message: String,
}

/// What a note body refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub citations: Vec<CiteRef>,
    pub links: Vec<LinkRef>,
    pub attachments: Vec<AttachmentRef>,
    /// Heading ids, for checking `#anchor` links.
    pub heading_ids: Vec<String>,
    /// Block ids (`^id`, with the caret), for checking `#^id` links.
    pub block_ids: Vec<String>,
    /// Inline `#tags`, as written without the `#`, with their lines.
    pub tags: Vec<(String, usize)>,
    /// Links that open nothing on the web (`zotero://`, `file://`): their lines and columns.
    pub local_links: Vec<(usize, usize)>,
    pub problems: Vec<Problem>,
    /// The one warning about raw HTML (or heading attributes) that cleaning takes out, at the
    /// first such piece; given unless the site publishes raw HTML as written.
    pub raw_html: Option<Problem>,
    /// Formulas shown as their TeX source.
    pub formulas: Vec<FormulaRef>,
    /// The text of each block holding a reference; citation `i` appears as `\u{E000}i\u{E001}`,
    /// link `j` as described at [`LINK_MARK_OPEN`].
    pub contexts: Vec<String>,
    /// Every heading, in order (the ids are [`Scan::heading_ids`]), its text marked as contexts are.
    pub headings: Vec<HeadingRef>,
    /// The body's first paragraphs, at least [`LEAD_WORDS`] words when it has them, marked as
    /// contexts are: what a preview shows.
    pub lead: String,
}

/// A heading of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingRef {
    /// 1 to 6.
    pub level: u8,
    pub text: String,
    /// The heading as written, without its `#` marks and `{#id}` (what links name it by).
    pub source: String,
}

/// A resolved link: where it goes, and the text to show for a bare `[[key]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLink {
    pub url: String,
    pub label: String,
}

/// What an embed (`![[note]]`, `![[note#Heading]]`) shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Embedded {
    /// The rendered note or section, and a link to where it comes from.
    Html { html: String, link: ResolvedLink },
    /// Only a link: the embed would repeat a note already being shown (a cycle), or nest too deep.
    Link(ResolvedLink),
}

/// What the renderer asks of the rest of the site.
pub trait Resolver {
    /// The HTML of a citation (linked, with tooltip); `first_use` tells, item by item, whether
    /// this is the body's first citation of the source. Unknown keys still render, visibly.
    fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String;
    /// The URL of a link target, or `None` if there is no such note.
    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink>;
    /// What `![[target#anchor]]` shows, or `None` if there is no such note or section.
    fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded>;
    /// The URL of a file the body names (`figure.png`, `attachments/paper.pdf`), if there is one.
    fn asset(&self, name: &str) -> Option<String>;
    /// The URL of a tag's page (or of the theme the tag names).
    fn tag_url(&self, tag: &str) -> String;
    /// The site's base path (`/review/`, or `/`), for links to files that are not notes.
    fn base_path(&self) -> &str;
}

/// The index of the event that closes the element opened at `start` (the last event when none
/// does).
fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

#[cfg(test)]
mod tests {
    use super::links::local_url;
    use super::pieces::LONG_LABEL;
    use super::*;

    pub(super) struct Fake;
    impl Resolver for Fake {
        fn citation_html(&self, c: &Citation, _first_use: &[bool]) -> String {
            format!(
                "<cite>{}</cite>",
                c.items
                    .iter()
                    .map(|i| i.key.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            )
        }
        fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
            let key = match target {
                LinkTarget::Key(k) => k.clone(),
                LinkTarget::File(f) => f.trim_end_matches(".md").to_string(),
            };
            (key != "missing").then(|| ResolvedLink {
                url: format!(
                    "/{key}/{}",
                    anchor.map(|a| format!("#{a}")).unwrap_or_default()
                ),
                label: key.to_uppercase(),
            })
        }
        fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded> {
            let link = self.resolve(target, anchor)?;
            Some(Embedded::Html {
                html: format!("<p>embedded {}</p>", link.label),
                link,
            })
        }
        fn asset(&self, name: &str) -> Option<String> {
            (!name.contains("missing")).then(|| format!("/review/files/{name}"))
        }
        fn tag_url(&self, tag: &str) -> String {
            format!("/review/tags/{}/", crate::html::tag_slug(tag))
        }
        fn base_path(&self) -> &str {
            "/review/"
        }
    }

    fn render(body: &str, dir: &str, resolver: &dyn Resolver) -> String {
        super::render(body, dir, resolver, &Settings::default())
    }

    #[test]
    fn highlights_pair_up_inside_one_element_and_embeds_close_what_is_open() {
        // Found by fuzz/vault: a highlight crossing an emphasis, and an embed inside an
        // emphasis or a highlight, left the HTML misnested.
        let cases = [
            ("==a *b== c*", "<p>==a <em>b== c</em></p>\n"),
            ("==a *b* c==", "<p><mark>a <em>b</em> c</mark></p>\n"),
            (
                "*==a==* ==b==",
                "<p><em><mark>a</mark></em> <mark>b</mark></p>\n",
            ),
            ("a == b == c ==", "<p>a <mark> b </mark> c ==</p>\n"),
            (
                "*a ![[x]] b*",
                "<p><em>a </em></p>\n<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><em> b</em></p>\n",
            ),
            (
                "![[x]] *b*",
                "<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><em>b</em></p>\n",
            ),
            (
                "**a ==b ![[x]] c== d**",
                "<p><strong>a ==b </strong></p>\n<div class=\"embed\"><p class=\"embed-source\"><a href=\"/x/\">X</a></p>\n<p>embedded X</p></div>\n<p><strong> c== d</strong></p>\n",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(render(body, "", &Fake), want, "{body}");
        }
    }

    #[test]
    fn local_links_and_images_follow_the_base_path() {
        let url = |dest: &str| local_url(dest, "themes", "/review/");
        assert_eq!(
            url("/bibliography/").as_deref(),
            Some("/review/bibliography/")
        );
        assert_eq!(url("/").as_deref(), Some("/review/"));
        assert_eq!(
            url("figure.svg").as_deref(),
            Some("/review/themes/figure.svg")
        );
        assert_eq!(
            url("../img/a.png?v=2#top").as_deref(),
            Some("/review/img/a.png?v=2#top")
        );
        assert_eq!(url("../tags/").as_deref(), Some("/review/tags/"));
        for kept in [
            "https://e.org/x",
            "mailto:a@e.org",
            "//cdn.e.org/x.js",
            "#top",
            "?q",
            "",
            "../../x.png",
        ] {
            assert_eq!(url(kept), None, "{kept}");
        }
        let html = render(
            "![F](missing-fig.png) [bib](/bibliography/) [ext](https://e.org/) ![G](Attachments/g%201.png)",
            "themes",
            &Fake,
        );
        // A file that is not among the content's attachments keeps its path from the note…
        assert!(
            html.contains(r#"src="/review/themes/missing-fig.png""#),
            "{html}"
        );
        // …and one that is goes where the attachment is, its name decoded.
        assert!(
            html.contains(r#"src="/review/files/Attachments/g%201.png""#),
            "{html}"
        );
        assert!(html.contains(r#"href="/review/bibliography/""#), "{html}");
        assert!(html.contains(r#"href="https://e.org/""#), "{html}");
    }

    #[test]
    fn scans_citations_links_and_contexts() {
        let body = "Intro.\n\nTrust fell [@a2009, p. 3; @b2011]. As @c2020 shows, see [[trust]].\n\n`@notcode` [x](../themes/y.md#h)\n";
        let s = scan(body, "sources", 10);
        let keys: Vec<_> = s
            .citations
            .iter()
            .map(|c| c.citation.items[0].key.as_str())
            .collect();
        assert_eq!(keys, ["a2009", "c2020"]);
        assert_eq!((s.citations[0].line, s.citations[0].col), (12, 12));
        assert_eq!(s.links[0].target, LinkTarget::Key("trust".into()));
        assert_eq!(s.links[1].target, LinkTarget::File("themes/y.md".into()));
        assert_eq!(s.links[1].anchor.as_deref(), Some("h"));
        assert!(
            s.contexts[0].starts_with("Trust fell \u{E000}0\u{E001}."),
            "{:?}",
            s.contexts
        );
        assert_eq!(s.contexts.len(), 2);
    }

    #[test]
    fn a_narrative_citation_may_carry_a_locator() {
        let s = scan("As @walt1990 [p. 5] says, and @x2000 [sic] too.", "", 1);
        let items: Vec<(&str, Option<&str>)> = s
            .citations
            .iter()
            .map(|c| {
                (
                    c.citation.items[0].key.as_str(),
                    c.citation.items[0].locator.as_deref(),
                )
            })
            .collect();
        assert_eq!(items, [("walt1990", Some("p. 5")), ("x2000", None)]);
        assert!(s.contexts[0].contains("[sic]"), "{:?}", s.contexts);
        assert!(!s.contexts[0].contains("[p. 5]"), "{:?}", s.contexts);
    }

    #[test]
    fn emails_and_code_are_not_citations() {
        let s = scan("Write to me@example.org.\n\n```\n@x\n```\n", "", 1);
        assert!(s.citations.is_empty());
    }

    #[test]
    fn renders_citations_links_and_heading_anchors() {
        let html = render(
            "## Hello World\n\nSee [@a] and @b, [[t]], [[t|text]], [[missing]].\n",
            "",
            &Fake,
        );
        assert!(
            html.contains(
                r##"<h2 id="hello-world">Hello World <a class="anchor" href="#hello-world""##
            ),
            "{html}"
        );
        assert!(
            html.contains("See <cite>a</cite> and <cite>b</cite>"),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/t/">T</a>"#), "{html}");
        assert!(html.contains(r#"<a href="/t/">text</a>"#), "{html}");
        assert!(
            html.contains(
                r#"<span class="unresolved" title="No published note: missing">missing</span>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn highlights_with_classes_not_colours() {
        let html = render("```rust\nfn main() {}\n```\n", "", &Fake);
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let s = scan("# A\n\n# A\n", "", 1);
        assert_eq!(s.heading_ids, ["a", "a-1"]);
    }

    /// An explicit id later in the body takes precedence over a generated one: the scan (which
    /// `gloss check` trusts) and the page must give the earlier heading the same `a-1`.
    #[test]
    fn scan_and_render_agree_on_ids_when_an_explicit_id_comes_later() {
        let body = "# A\n\n# Other {#a}\n\n# A\n";
        let s = scan(body, "", 1);
        assert_eq!(s.heading_ids, ["a-1", "a", "a-2"]);
        let html = render(body, "", &Fake);
        let page = scraper::Html::parse_fragment(&html);
        let sel = scraper::Selector::parse("h1").unwrap();
        let ids: Vec<&str> = page
            .select(&sel)
            .filter_map(|h| h.value().attr("id"))
            .collect();
        assert_eq!(ids, s.heading_ids);
    }

    /// A heading whose slug another took gets the next free suffix, skipping one a heading's
    /// own text took (`A 1` is `a-1`).
    #[test]
    fn repeated_headings_get_the_next_free_suffix() {
        let body = "# A\n\n# A\n\n# A 1\n\n# A\n\n# B\n\n# A {#a-3}\n\n# A\n";
        let s = scan(body, "", 1);
        assert_eq!(
            s.heading_ids,
            ["a", "a-1", "a-1-1", "a-2", "b", "a-3", "a-4"]
        );
    }

    /// Text split into many events (at brackets, quotes, asterisks) is one text event again, so
    /// that a narrative citation split across them is found.
    #[test]
    fn split_text_is_joined_whole() {
        let body = "a [b] \"c\" d*e [x @key y";
        let s = scan(body, "", 1);
        assert_eq!(s.citations.len(), 1);
        assert_eq!((s.citations[0].line, s.citations[0].col), (1, 22));
        let html = render(body, "", &Fake);
        assert!(
            html.starts_with("<p>a [b] “c” d*e [x <cite>key</cite> y</p>"),
            "{html}"
        );
    }

    /// Citations spend nothing of pulldown-cmark's budget for link references: a paragraph of
    /// 20,000 of them, which used it up after 9,000, is 20,000 citations.
    #[test]
    fn a_paragraph_of_twenty_thousand_citations_has_them_all() {
        let body: Vec<String> = (0..20_000).map(|i| format!("[@k{}]", i % 50)).collect();
        let s = scan(&body.join(" "), "", 1);
        assert_eq!(s.citations.len(), 20_000);
        let last = &s.citations[19_999].citation;
        assert_eq!(last.mode, crate::cite::CiteMode::Parenthetical);
        assert_eq!(last.items[0].key, "k49");
    }

    /// A cluster too long for a CommonMark link label is still one citation, in the scan and on
    /// the page; brackets around other text stay text, and an escaped bracket keeps what it
    /// holds from being a cluster (its `@key` is narrative, as in a short one).
    #[test]
    fn a_cluster_longer_than_a_link_label_is_one_citation() {
        let keys: Vec<String> = (0..300).map(|i| format!("k{i}")).collect();
        let label = keys
            .iter()
            .map(|k| format!("@{k}"))
            .collect::<Vec<_>>()
            .join("; ");
        assert!(label.len() > LONG_LABEL);
        let body = format!("Before [see {label}, p. 4] after [x] \\[@esc] and [a [b] @n.\n");
        let s = scan(&body, "", 1);
        let found: Vec<&Citation> = s.citations.iter().map(|c| &c.citation).collect();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].mode, crate::cite::CiteMode::Parenthetical);
        let scanned: Vec<&str> = found[0].items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(scanned, keys);
        assert_eq!(found[0].items[0].prefix.as_deref(), Some("see"));
        assert_eq!(found[0].items[299].locator.as_deref(), Some("p. 4"));
        assert_eq!(*found[1], Citation::narrative("esc"));
        assert_eq!(*found[2], Citation::narrative("n"));
        let html = render(&body, "", &Fake);
        let expected = format!(
            "<p>Before <cite>{}</cite> after [x] [<cite>esc</cite>] and [a [b] <cite>n</cite>.</p>",
            keys.join("+")
        );
        assert!(html.starts_with(&expected), "{html}");
    }

    #[test]
    fn links_and_citations_in_headings_are_resolved() {
        let html = render("## On [[t]] and [@a]\n", "", &Fake);
        assert!(
            html.contains(r#"<h2 id="on-t-and-a">On <a href="/t/">T</a> and <cite>a</cite>"#),
            "{html}"
        );
    }
}
