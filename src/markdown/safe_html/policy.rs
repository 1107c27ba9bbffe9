//! What raw HTML keeps: the elements, attributes and URLs that cannot run anything in a
//! reader's browser. Both the sanitizer (`clean`) and the warning (`detect`) read these tables,
//! so that the warning names exactly what the page loses.
//!
//! The list covers what gloss itself writes into a body (citations, links, callouts, fields,
//! tables, highlighted code, MathML from pulldown-latex, embeds), so that a note holding raw HTML
//! keeps every piece of gloss's own markup when its body is cleaned.

use crate::safe_url::{self, UrlKind};

/// HTML elements kept (with their content).
pub(super) const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// MathML elements kept: what pulldown-latex writes, and the presentation elements an author may.
pub(super) const MATH_TAGS: &[&str] = &[
    "math",
    "annotation",
    "semantics",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
];

/// Elements removed with everything inside them: what runs, styles the page, embeds another
/// document or draws outside the text.
pub(super) const DROPPED_WHOLE: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "object",
    "embed",
    "applet",
    "frame",
    "frameset",
    "noframes",
    "noembed",
    "xmp",
    "plaintext",
    "textarea",
    "select",
    "title",
    "svg",
    "link",
    "meta",
    "base",
];

/// Attributes any kept element may have (`data-*` and `aria-*` too: the theme's scripts read
/// only `data-` attributes gloss writes on its own page furniture, never a body's).
pub(super) const GENERIC_ATTRIBUTES: &[&str] = &[
    "class", "id", "title", "lang", "dir", "role", "style", "hidden",
];
pub(super) const ATTRIBUTE_PREFIXES: &[&str] = &["data-", "aria-"];

/// Attributes of particular elements.
pub(super) const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("abbr", &[]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
        ],
    ),
    (
        "video",
        &[
            "src",
            "controls",
            "width",
            "height",
            "poster",
            "preload",
            "loop",
            "muted",
            "playsinline",
        ],
    ),
    ("audio", &["src", "controls", "preload", "loop", "muted"]),
    ("source", &["src", "type", "media"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("input", &["type", "checked", "disabled"]),
    ("details", &["open"]),
    ("div", &["tabindex"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("td", &["colspan", "rowspan", "headers", "align"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "align"]),
];

/// Attributes of MathML elements.
pub(super) const MATH_ATTRIBUTES: &[&str] = &[
    "display",
    "xmlns",
    "encoding",
    "mathvariant",
    "displaystyle",
    "scriptlevel",
    "stretchy",
    "symmetric",
    "movablelimits",
    "largeop",
    "maxsize",
    "minsize",
    "linethickness",
    "width",
    "height",
    "depth",
    "voffset",
    "lspace",
    "rspace",
    "fence",
    "separator",
    "form",
    "accent",
    "accentunder",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "notation",
    "align",
];

/// CSS properties a `style` attribute keeps: colour, emphasis and alignment (Obsidian users
/// colour text; pulldown-cmark aligns table cells; pulldown-latex colours and spaces formulas).
pub(super) const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "text-align",
    "font-weight",
    "font-style",
    "text-decoration",
    "vertical-align",
    "border",
    "border-color",
    "margin-left",
    "height",
    "width",
];

/// Attributes whose value is a URL that a browser loads or follows.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "poster",
    "action",
    "formaction",
    "data",
    "ping",
    "background",
    "longdesc",
    "srcset",
    "xlink:href",
    "codebase",
    "manifest",
    "icon",
    "lowsrc",
    "dynsrc",
];

pub(super) fn is_math(tag: &str) -> bool {
    MATH_TAGS.contains(&tag)
}

/// Whether element `tag` is kept.
pub(super) fn tag_allowed(tag: &str) -> bool {
    HTML_TAGS.contains(&tag) || is_math(tag)
}

/// Whether attribute `attr` of a kept element `tag` is kept (before its value is looked at).
pub(super) fn attribute_allowed(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || ATTRIBUTE_PREFIXES
            .iter()
            .any(|p| attr.starts_with(p) && attr.len() > p.len())
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
        || (is_math(tag) && MATH_ATTRIBUTES.contains(&attr))
}

/// Whether the value of a kept attribute is kept: a URL where it may load or lead (frames only
/// from `https:`, media from the web or the site, links to the web, a mail or the site); a task
/// list's checkbox and nothing else as an input.
pub(super) fn value_allowed(tag: &str, attr: &str, value: &str) -> bool {
    if tag == "input" && attr == "type" {
        // Any other type is made a checkbox by the cleaner.
        return value.trim().eq_ignore_ascii_case("checkbox");
    }
    if !URL_ATTRIBUTES.contains(&attr) {
        return true;
    }
    match (tag, attr) {
        ("iframe", "src") => safe_url::is_https(value),
        ("img", "src") | ("video", "poster") => safe_url::is_image_source(value),
        (_, "src") => safe_url::kind(value) == UrlKind::Relative || safe_url::is_http(value),
        _ => safe_url::is_live_link(value),
    }
}
