//! What a URL written by an author or given by a library may become in a page: the one place
//! that decides, for Markdown links and images, raw HTML's `href`/`src` and a source's `url` and
//! `doi`, which URLs are live.
//!
//! A URL is read as a browser reads it (the `url` crate implements the same WHATWG parser):
//! leading and trailing spaces and control characters are dropped and tabs and newlines removed
//! anywhere, so `java\tscript:`, ` JavaScript:` and `javascript&colon;` (once the Markdown or
//! HTML parser has decoded the entity) are all the `javascript` scheme.

use url::{ParseError, Url};

/// What a URL opens when it is a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// `http:`, `https:` or `mailto:`: a page or a mail on the web.
    Web,
    /// No scheme: a path, `//host/path`, `?query` or `#fragment`, resolved against the page.
    Relative,
    /// An application on the author's computer (`zotero:`, `file:`, `obsidian:`): nothing on the
    /// web, shown as its text.
    Local,
    /// Any other scheme (`javascript:`, `vbscript:`, `data:`, `ftp:`), or a URL no browser can
    /// read: never live. The scheme, lowercase, or what is wrong.
    Other(String),
}

/// Schemes that open an application on the author's computer.
const LOCAL_SCHEMES: [&str; 5] = ["zotero", "file", "obsidian", "x-devonthink-item", "hook"];

/// Image types a `data:` URL may hold in an `<img>` (an image is never run, SVG included).
const DATA_IMAGES: [&str; 7] = [
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
    "data:image/avif",
    "data:image/bmp",
    "data:image/svg+xml",
];

/// What `url` opens, read as a browser reads an `href`.
pub(crate) fn kind(url: &str) -> UrlKind {
    match Url::parse(url) {
        Ok(parsed) => match parsed.scheme() {
            "http" | "https" | "mailto" => UrlKind::Web,
            s if LOCAL_SCHEMES.contains(&s) => UrlKind::Local,
            s => UrlKind::Other(s.to_string()),
        },
        Err(ParseError::RelativeUrlWithoutBase) => UrlKind::Relative,
        // `http://` with no host, a bad port: a browser would not follow it either.
        Err(e) => UrlKind::Other(format!("an unreadable address ({e})")),
    }
}

/// Whether `url` may be a link's `href`: a web address or a relative one.
pub(crate) fn is_live_link(url: &str) -> bool {
    matches!(kind(url), UrlKind::Web | UrlKind::Relative)
}

/// Whether `url` may be an image's `src`: as a link, but not `mailto:`, and `data:` URLs of
/// image types are kept (notes pasted from the web hold them).
pub(crate) fn is_image_source(url: &str) -> bool {
    match Url::parse(url) {
        Ok(parsed) => match parsed.scheme() {
            "http" | "https" => true,
            "data" => {
                let lower = parsed.as_str().to_ascii_lowercase();
                DATA_IMAGES.iter().any(|t| {
                    lower
                        .strip_prefix(t)
                        .is_some_and(|rest| rest.starts_with([';', ',']))
                })
            }
            _ => false,
        },
        Err(ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Whether `url` is an `http:` or `https:` address: what audio and video may play.
pub(crate) fn is_http(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Whether `url` is an `https:` address: what an embedded frame may show.
pub(crate) fn is_https(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| u.scheme() == "https")
}

/// How a source's `url` field fares: kept as written when it is an `http(s)` address, else
/// what it is, for a warning.
pub(crate) fn web_address(url: &str) -> Result<(), String> {
    match Url::parse(url.trim()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        Ok(parsed) => Err(format!("a `{}:` address", parsed.scheme())),
        Err(ParseError::RelativeUrlWithoutBase) => Err("not a full address".to_string()),
        Err(e) => Err(format!("not a readable address ({e})")),
    }
}

/// A DOI without the resolver or scheme it is often written with (`https://doi.org/10.1/x`,
/// `https://dx.doi.org/10.1/x`, `doi:10.1/x`, `DOI 10.1/x` → `10.1/x`). Anything else is kept as
/// written (`gloss check` warns about it).
pub(crate) fn bare_doi(doi: &str) -> String {
    let doi = doi.trim();
    let lower = doi.to_ascii_lowercase();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "https://www.doi.org/",
        "http://www.doi.org/",
        "dx.doi.org/",
        "doi.org/",
        "doi:",
        "doi ",
    ] {
        if lower.starts_with(prefix) {
            return doi[prefix.len()..].trim().to_string();
        }
    }
    doi.to_string()
}

/// Whether `doi` (bare) is one: `10.`, a registrant of digits and dots, `/`, a suffix.
pub(crate) fn is_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for unsafe_url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "jav\r\nascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.org/",
            "C:/Users/me/figure.png",
        ] {
            assert!(
                matches!(kind(unsafe_url), UrlKind::Other(_)),
                "{unsafe_url:?}"
            );
            assert!(!is_live_link(unsafe_url), "{unsafe_url:?}");
            assert!(!is_image_source(unsafe_url), "{unsafe_url:?}");
        }
        assert_eq!(kind("java\tscript:x"), UrlKind::Other("javascript".into()));
        for live in [
            "https://example.org/x",
            "HTTP://example.org",
            "mailto:a@example.org",
            "/bibliography/",
            "../themes/x.md#h",
            "#top",
            "?q=1",
            "//cdn.example.org/x",
            "",
            "figure%201.png",
        ] {
            assert!(is_live_link(live), "{live:?}");
        }
        assert_eq!(kind("zotero://select/items/ABC"), UrlKind::Local);
        assert_eq!(kind("FILE:///home/me/paper.pdf"), UrlKind::Local);
    }

    #[test]
    fn images_may_be_data_urls_of_image_types_only() {
        assert!(is_image_source("data:image/png;base64,iVBORw0KGgo="));
        assert!(is_image_source("DATA:image/svg+xml,<svg/>"));
        assert!(!is_image_source("data:image/pngx,1"));
        assert!(!is_image_source("data:text/html;base64,PHNjcmlwdD4="));
        assert!(!is_image_source("mailto:a@example.org"));
    }

    #[test]
    fn a_source_url_must_be_http() {
        assert!(web_address("https://example.org").is_ok());
        assert!(web_address(" http://example.org/a b ").is_ok());
        assert_eq!(
            web_address("javascript:alert(1)").unwrap_err(),
            "a `javascript:` address"
        );
        assert!(web_address("Java\tScript:alert(1)").is_err());
        assert!(web_address("data:text/html,x").is_err());
        assert!(web_address("//example.org").is_err());
        assert!(web_address("zotero://select/x").is_err());
    }

    #[test]
    fn dois_are_stored_bare_whatever_form_they_come_in() {
        for written in [
            "10.1080/x.2017.1",
            "https://doi.org/10.1080/x.2017.1",
            "DOI:10.1080/x.2017.1",
            "doi: 10.1080/x.2017.1",
            "http://dx.doi.org/10.1080/x.2017.1",
            "https://dx.doi.org/10.1080/x.2017.1",
            "dx.doi.org/10.1080/x.2017.1",
        ] {
            assert_eq!(bare_doi(written), "10.1080/x.2017.1", "{written}");
            assert!(is_doi(&bare_doi(written)), "{written}");
        }
        assert!(!is_doi("https://doi.org/10.1/x"));
        assert!(!is_doi("10.abc/x"));
        assert!(!is_doi("javascript:alert(1)"));
        assert!(!is_doi("10.1000/"));
    }
}
