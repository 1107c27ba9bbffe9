//! Words as search sees them: Unicode's word boundaries (UAX #29), each word lower-cased with
//! its accents taken off (so `Café` is found by `cafe`), then stemmed by the Snowball stemmer of
//! the site's language (none for a language Snowball has no stemmer for). The client looks a
//! query's words up in the same form (`search.js`'s `surface`), so the two must agree.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Stems are remembered per thread up to this many words (a site's vocabulary is far smaller;
/// the bound only keeps a long `gloss serve` session from growing without end).
const REMEMBERED: usize = 1 << 20;

/// Each word seen (surface form) with its stem, for the language named.
type Memo = (&'static str, FxHashMap<Arc<str>, Arc<str>>);

thread_local! {
    static STEMS: RefCell<Memo> = RefCell::new(("", FxHashMap::default()));
}

/// How a site's words are turned into index terms.
#[derive(Clone, Copy)]
pub(super) struct Analyzer {
    /// The language whose stemmer is used (`Algorithm` can be neither copied nor compared).
    language: Option<&'static str>,
}

impl Analyzer {
    /// For a site's `language` (`en`, `de-AT`, …).
    pub(super) fn new(language: &str) -> Analyzer {
        let code = language.split(['-', '_']).next().unwrap_or("");
        let code = code.to_ascii_lowercase();
        Analyzer {
            language: CODES.iter().copied().find(|c| **c == code),
        }
    }

    /// A word already in its [`surface`] form, and its stem, both shared: a site's words are
    /// stemmed once per thread, and every page's record holds the same strings.
    pub(super) fn intern(&self, surface: &str) -> (Arc<str>, Arc<str>) {
        let language = self.language.unwrap_or("");
        STEMS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.0 != language || memo.1.len() > REMEMBERED {
                *memo = (language, FxHashMap::default());
            }
            if let Some((surface, stem)) = memo.1.get_key_value(surface) {
                return (surface.clone(), stem.clone());
            }
            let word: Arc<str> = surface.into();
            let stem = match self.language.and_then(algorithm) {
                Some(algorithm) => match Stemmer::create(algorithm).stem(surface) {
                    Cow::Borrowed(same) if same == surface => word.clone(),
                    stem => stem.into(),
                },
                None => word.clone(),
            };
            memo.1.insert(word.clone(), stem.clone());
            (word, stem)
        })
    }
}

/// The words of `text` with their byte offsets.
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.unicode_word_indices()
}

/// A word as the index stores it: lower case, accents off, `’` as `'`.
pub(super) fn surface(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return match word.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(word.to_ascii_lowercase()),
            false => Cow::Borrowed(word),
        };
    }
    let lower = word.to_lowercase().replace('\u{2019}', "'");
    // Accents come off only where a letter has a decomposition (as Pagefind does): the vowel
    // signs of Devanagari, say, are marks that no decomposition produces, and stay.
    let decomposed: String = lower.nfd().collect();
    if decomposed == lower {
        return Cow::Owned(lower);
    }
    Cow::Owned(
        decomposed
            .chars()
            .filter(|c| !is_combining_mark(*c) || matches!(*c, '\u{3099}' | '\u{309A}'))
            .nfc()
            .collect(),
    )
}

/// The language codes with a stemmer.
const CODES: &[&str] = &[
    "ar", "hy", "eu", "ca", "da", "nl", "en", "eo", "et", "fi", "fr", "de", "el", "hi", "hu", "id",
    "ga", "it", "lt", "nb", "nn", "no", "ne", "pt", "ro", "ru", "sr", "pl", "es", "sv", "ta", "tr",
    "yi",
];

/// Snowball's stemmer for a language code, as Pagefind chose them.
fn algorithm(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        words(text).map(|(_, w)| surface(w).into_owned()).collect()
    }

    #[test]
    fn words_are_unicode_words_lower_cased_without_accents() {
        assert_eq!(
            surfaces("Café au lait, “Trust” — state-sponsored don’t 3.5 e.g. Ελλάδα"),
            [
                "cafe",
                "au",
                "lait",
                "trust",
                "state",
                "sponsored",
                "don't",
                "3.5",
                "e.g",
                "ελλαδα"
            ]
        );
        assert_eq!(words("ab, cd").collect::<Vec<_>>(), [(0, "ab"), (4, "cd")]);
    }

    #[test]
    fn words_are_stemmed_in_the_sites_language_only_where_snowball_has_a_stemmer() {
        let stem = |language: &str, word: &str| Analyzer::new(language).intern(word).1;
        assert_eq!(&*stem("en-GB", "sovereignty"), "sovereignti");
        assert_eq!(stem("en", "raids"), stem("en", "raiding"));
        assert_eq!(&*stem("de", "häuser"), "haus");
        assert_eq!(&*stem("ja", "running"), "running");
        // One thread's words are shared: the same word gives the same strings.
        let (a, b) = (
            Analyzer::new("en").intern("raids"),
            Analyzer::new("en").intern("raids"),
        );
        assert!(Arc::ptr_eq(&a.0, &b.0) && Arc::ptr_eq(&a.1, &b.1));
    }
}
