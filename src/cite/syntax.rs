//! Pandoc's citation syntax: the inside of `[@key, p. 4; see -@other]` read into a citation of
//! cited works, each with its prefix, locator and author suppression; citation keys as Pandoc
//! delimits them.

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CiteItem {
    pub key: String,
    /// `p. 180`, `chap. 2`, … as written after the key.
    pub locator: Option<String>,
    /// Text before the key, such as `see`.
    pub prefix: Option<String>,
    /// `[-@key]`: print the year only.
    pub suppress_author: bool,
}

/// Parenthetical `(Jabeen, 2009)` or narrative `Jabeen (2009)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CiteMode {
    Parenthetical,
    Narrative,
}

/// A citation as written in a note.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    pub mode: CiteMode,
}

impl Citation {
    pub fn narrative(key: &str) -> Citation {
        Citation {
            items: vec![CiteItem {
                key: key.to_string(),
                locator: None,
                prefix: None,
                suppress_author: false,
            }],
            mode: CiteMode::Narrative,
        }
    }
}

/// Length in bytes of a citation key at the start of `s` (0 if none). Keys start with a letter,
/// digit or `_`, and may contain `-:.` between such characters, as in Pandoc.
pub(crate) fn key_length(s: &str) -> usize {
    let bytes = s.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if bytes.first().is_none_or(|b| !word(*b)) {
        return 0;
    }
    let mut end = 1;
    while end < bytes.len() {
        if word(bytes[end]) {
            end += 1;
        } else if matches!(bytes[end], b'-' | b':' | b'.')
            && bytes.get(end + 1).is_some_and(|b| word(*b))
        {
            end += 2;
        } else {
            break;
        }
    }
    end
}

/// Parses the inside of a bracketed citation (`@a, p. 4; see -@b`). `None` if it is not one.
pub(crate) fn parse_citation_label(label: &str) -> Option<Citation> {
    let mut items = Vec::new();
    for part in label.split(';') {
        let at = part.find('@')?;
        let (mut prefix, rest) = (part[..at].trim(), &part[at + 1..]);
        let suppress_author = prefix.ends_with('-');
        if suppress_author {
            prefix = prefix[..prefix.len() - 1].trim_end();
        }
        let len = key_length(rest);
        if len == 0 {
            return None;
        }
        let locator = rest[len..]
            .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
            .trim_end();
        items.push(CiteItem {
            key: rest[..len].to_string(),
            locator: (!locator.is_empty()).then(|| locator.to_string()),
            prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
            suppress_author,
        });
    }
    (!items.is_empty()).then_some(Citation {
        items,
        mode: CiteMode::Parenthetical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pandoc_citation_forms() {
        let c = parse_citation_label("@jabeen2009, p. 180").unwrap();
        assert_eq!(c.items[0].key, "jabeen2009");
        assert_eq!(c.items[0].locator.as_deref(), Some("p. 180"));
        let c = parse_citation_label("@ali2023; @rath2011").unwrap();
        assert_eq!(c.items.len(), 2);
        let c = parse_citation_label("-@jabeen2009").unwrap();
        assert!(c.items[0].suppress_author);
        let c = parse_citation_label("see @a:b.c-d, chap. 2").unwrap();
        assert_eq!(
            (c.items[0].prefix.as_deref(), c.items[0].key.as_str()),
            (Some("see"), "a:b.c-d")
        );
        // Whatever separates the key from its locator (found by fuzz/citation_label).
        let c = parse_citation_label("@a\t, ,d").unwrap();
        assert_eq!(c.items[0].locator.as_deref(), Some("d"));
        assert!(parse_citation_label("just text").is_none());
        assert!(parse_citation_label("@ok; no key").is_none());
    }

    #[test]
    fn key_length_stops_at_trailing_punctuation() {
        assert_eq!(key_length("jabeen2009."), 10);
        assert_eq!(key_length("a-b's"), 3);
        assert_eq!(key_length("-x"), 0);
    }
}
