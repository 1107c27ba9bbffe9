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

/// The citation key at the start of `s` (after its `@`) and the bytes it takes, as Pandoc reads
/// one: a letter, digit or `_` (any script's), then letters, digits, `_` and single
/// punctuation characters among `:.#$%&-+?<>~/` between them (`:/` and `//` before a `/`, for
/// URLs); or anything but spaces in braces, `@{10.1000/x--y.}`, the braces not part of it.
pub(crate) fn key_at(s: &str) -> Option<(&str, usize)> {
    if let Some(inner) = s.strip_prefix('{') {
        let mut depth = 1;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return (i > 0).then(|| (&inner[..i], i + 2));
                    }
                }
                c if c.is_whitespace() => return None,
                _ => {}
            }
        }
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if chars.first().is_none_or(|(_, c)| !word(*c)) {
        return None;
    }
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let mut k = 1;
    while let Some(c) = at(k) {
        if word(c) {
            k += 1;
        } else if ":.#$%&-+?<>~/".contains(c) && at(k + 1).is_some_and(word) {
            k += 2;
        } else if matches!(c, ':' | '/') && at(k + 1) == Some('/') {
            // `http://`: `:/` and `//` go on to the next `/`.
            k += 1;
        } else {
            break;
        }
    }
    let end = chars.get(k).map_or(s.len(), |(i, _)| *i);
    Some((&s[..end], end))
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
        let (key, len) = key_at(rest)?;
        let locator = rest[len..]
            .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
            .trim_end();
        items.push(CiteItem {
            key: key.to_string(),
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
        let len = |s: &str| key_at(s).map_or(0, |(_, len)| len);
        assert_eq!(len("jabeen2009."), 10);
        assert_eq!(len("a-b's"), 3);
        assert_eq!(len("-x"), 0);
        assert_eq!(len("{a.}."), 4);
    }

    /// Pandoc's grammar (its manual, "Citation syntax"): any script's letters, single internal
    /// punctuation, braces for anything else.
    #[test]
    fn keys_are_read_as_pandoc_reads_them() {
        for (text, key) in [
            ("café2020, p. 3", "café2020"),
            ("nemanić:2003missing]", "nemanić:2003missing"),
            ("søndergaard:1998fjord", "søndergaard:1998fjord"),
            ("lee.2020/notes.", "lee.2020/notes"),
            ("a&b+c?d#e$f%g~h<i>j", "a&b+c?d#e$f%g~h<i>j"),
            ("Foo_bar--baz", "Foo_bar"),
            ("http://x.org/a", "http://x.org/a"),
            ("{Foo_bar.baz.}, p. 4", "Foo_bar.baz."),
            ("{zhao_sim--real_2020}", "zhao_sim--real_2020"),
            ("論文2020", "論文2020"),
        ] {
            assert_eq!(key_at(text).map(|(k, _)| k), Some(key), "{text}");
        }
        assert_eq!(key_at("{a b}"), None);
        assert_eq!(key_at("{}"), None);
        let c = parse_citation_label("see @{zhao_sim--real_2020}, chap. 2; @café2020").unwrap();
        assert_eq!(c.items[0].key, "zhao_sim--real_2020");
        assert_eq!(c.items[0].locator.as_deref(), Some("chap. 2"));
        assert_eq!(c.items[1].key, "café2020");
    }
}
