//! The locator labels a writer may use (`p.`, `fol.`, `S.` in German): every form of the
//! locator terms pandoc reads, in the locale the style is printed in, the locale file's and the
//! style's own `<locale>` terms (IEEE's `ch.` beside `chap.`), as pandoc reads them all.

use hayagriva::citationberg::taxonomy::{Kind, Locator, NumberVariable, Term};
use hayagriva::citationberg::{Locale, LocaleCode, LocaleFile};

/// The locator terms' forms, lower case, with what each labels. `inline` are the style's own
/// locale elements, `files` the locale files of `codes` (the chosen locale, its language).
pub(super) fn locator_terms(
    inline: &[Locale],
    files: &[Locale],
    codes: &[Option<LocaleCode>],
) -> Vec<(String, Locator)> {
    let mut forms: Vec<(String, Locator)> = Vec::new();
    let mut sources: Vec<&Locale> = Vec::new();
    for code in codes.iter().rev() {
        sources.extend(files.iter().filter(|l| &l.lang == code));
    }
    sources.extend(inline.iter().filter(|l| l.lang.is_none()));
    for code in codes.iter().rev().flatten() {
        let language = code.0.split('-').next().unwrap_or_default();
        sources.extend(inline.iter().filter(|l| {
            l.lang
                .as_ref()
                .is_some_and(|c| c == code || c.0 == language)
        }));
    }
    for term in sources
        .iter()
        .filter_map(|l| l.terms.as_ref())
        .flat_map(|t| &t.terms)
    {
        let Some(locator) = locator_of(term.name) else {
            continue;
        };
        let written = [term.single(), term.multiple()]
            .into_iter()
            .flatten()
            .map(|f| f.trim().to_lowercase())
            .filter(|f| !f.is_empty());
        forms.extend(written.map(|w| (w, locator)));
    }
    let mut terms = forms;
    // The order pandoc prefers when two terms share a form: its list's.
    terms.sort_by_key(|(form, locator)| (rank(*locator), form.clone()));
    terms.dedup_by(|a, b| a.0 == b.0);
    terms
}

/// The locators pandoc reads, in its order (the first wins a form two share).
const READ: [Locator; 16] = [
    Locator::Book,
    Locator::Chapter,
    Locator::Column,
    Locator::Figure,
    Locator::Folio,
    Locator::Issue,
    Locator::Line,
    Locator::Note,
    Locator::Opus,
    Locator::Page,
    Locator::Paragraph,
    Locator::Part,
    Locator::Section,
    Locator::SubVerbo,
    Locator::Verse,
    Locator::Volume,
];

fn rank(locator: Locator) -> usize {
    READ.iter()
        .position(|l| *l == locator)
        .unwrap_or(READ.len())
}

/// The locator a locale's term names. Some locators share their term with an item type or a
/// variable (`chapter`, `figure`, `volume`, `issue`, `section`), which is how the locale files
/// are read.
fn locator_of(term: Term) -> Option<Locator> {
    let locator = match term {
        Term::Locator(locator) => locator,
        Term::Kind(Kind::Chapter) => Locator::Chapter,
        Term::Kind(Kind::Figure) => Locator::Figure,
        Term::NumberVariable(NumberVariable::Section) => Locator::Section,
        Term::NumberVariable(NumberVariable::Volume) => Locator::Volume,
        Term::NumberVariable(NumberVariable::Issue) => Locator::Issue,
        _ => return None,
    };
    READ.contains(&locator).then_some(locator)
}
/// The book locator's terms for an English style whose locale files lack them (hayagriva's
/// bundled en-US and en-GB have no `book`, which pandoc's have): `[@k, bk. 2]` is then read, and
/// printed, as a book.
pub(super) fn book_terms(locale: &LocaleCode, files: &[Locale]) -> Option<Locale> {
    let english = locale.0.split('-').next() == Some("en");
    let has = files
        .iter()
        .filter(|l| l.lang.as_ref() == Some(locale))
        .filter_map(|l| l.terms.as_ref())
        .flat_map(|t| &t.terms)
        .any(|t| t.name == Term::Locator(Locator::Book));
    if !english || has {
        return None;
    }
    let xml = r#"<locale xmlns="http://purl.org/net/xbiblio/csl" version="1.0" xml:lang="en"><terms><term name="book"><single>book</single><multiple>books</multiple></term><term name="book" form="short"><single>bk.</single><multiple>bks.</multiple></term></terms></locale>"#;
    let file = LocaleFile::from_xml(xml).ok()?;
    Some(Locale {
        lang: Some(locale.clone()),
        info: None,
        terms: file.terms,
        date: Vec::new(),
        style_options: None,
    })
}
