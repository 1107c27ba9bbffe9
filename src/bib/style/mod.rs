//! The citation style a site chooses: `citation_style:` in site.yaml names gloss's own APA 7
//! (`apa`, the default) or a CSL style, one bundled with hayagriva or a `.csl` file of the site,
//! which hayagriva's CSL engine runs (`csl`); `locale:` picks the CSL locale, whose terms and
//! date forms the style uses.
//!
//! APA stays gloss's own formatter (held to pandoc and the Publication Manual, `tests/testsuite/apa.rs`)
//! in US English. With any other locale, `apa` is the bundled `apa.csl` through the engine: the
//! Manual's rules gloss adds are English, and a translated APA is what such a site asks for.

mod labels;
mod variants;

pub(crate) use variants::{FORCED, Variants};

use std::sync::Arc;

use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::{
    CitationFormat, DemoteNonDroppingParticle, DisambiguationRule, IndependentStyle, InfoLinkRel,
    Locale, LocaleCode, Style, StyleCategory, StyleClass,
};

use crate::config::Config;
use crate::error::Diagnostic;
use crate::layout::{CONFIG_FILE, SiteLayout};
use hayagriva::citationberg::taxonomy::Locator;

/// How a site's sources and citations are formatted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CitationStyle {
    /// gloss's own APA 7 (`bib::apa`).
    Apa,
    /// A CSL style through hayagriva.
    Csl(Arc<CslStyle>),
}

/// A CSL style ready for the engine.
#[derive(Debug, PartialEq)]
pub(crate) struct CslStyle {
    /// The style as site.yaml names it.
    pub(crate) name: String,
    /// The forms of the style the engine is handed.
    pub(crate) forms: Variants,
    pub(crate) locale: LocaleCode,
    /// The locale files the engine may need: the chosen one, its language's, and en-US.
    pub(crate) locales: Vec<Locale>,
    /// A numeric style (`[1]`): sources are numbered by their first citation.
    pub(crate) numeric: bool,
    /// The locator terms of the style's locale, every form, lower case (`p.`, `pages`, `fol.`;
    /// `s.` and `seite` for a page in German): what a citation's locator is read with.
    pub(crate) locators: Vec<(String, Locator)>,
    /// The locale sets a comma or period that follows a quotation inside its closing mark
    /// (`“Title,” 5` in American English).
    pub(crate) punctuation_in_quote: bool,
}

impl CslStyle {
    /// Whether the locale sets a space before a colon (French typography).
    pub(crate) fn spaced_colon(&self) -> bool {
        self.locale.0.starts_with("fr")
    }

    /// Whether the style sorts `van der Berg` under B (CSL's default) rather than V.
    pub(crate) fn demotes_particles(&self) -> bool {
        self.forms.style().settings.demote_non_dropping_particle != DemoteNonDroppingParticle::Never
    }

    /// Whether the bibliography has an order of its own (else it follows the citations).
    pub(crate) fn sorts_bibliography(&self) -> bool {
        self.forms
            .style()
            .bibliography
            .as_ref()
            .is_some_and(|b| b.sort.is_some())
    }
}

impl CitationStyle {
    /// The style's name for readers: `APA 7th edition`, else the CSL file's title (`IEEE
    /// Reference Guide version 11.29.2023`).
    pub(crate) fn title(&self) -> &str {
        match self {
            CitationStyle::Apa => "APA 7th edition",
            CitationStyle::Csl(style) => &style.forms.style().info.title.value,
        }
    }

    /// The style `site.yaml` chooses. A name that is no bundled style, a `.csl` file that cannot
    /// be read or is no CSL style, a note style and an unknown locale are errors on their line.
    pub(crate) fn load(layout: &SiteLayout, config: &Config) -> Result<CitationStyle, Diagnostic> {
        let line = config.citation_style.1;
        // Bundled names are lower case (`IEEE` finds `ieee`); a file's path is as written.
        let name = &match config.citation_style.0.as_str() {
            path if path.to_ascii_lowercase().ends_with(".csl") => path.to_string(),
            bundled => bundled.to_lowercase(),
        };
        let at = |line: usize, message: String| {
            Diagnostic::error(CONFIG_FILE, line, usize::from(line > 0), message)
        };
        // Decoding the bundled locales takes a while: only a site that needs them pays.
        let mut all_locales: Option<Vec<Locale>> = None;
        let locale = match &config.locale {
            Some((code, locale_line)) => {
                let all = all_locales.get_or_insert_with(archive::locales);
                Some(known_locale(all, code).map_err(|m| at(*locale_line, m))?)
            }
            None => None,
        };
        let english_us = locale.as_ref().is_none_or(|l| l.0 == "en-US");
        if name == "apa" && english_us {
            return Ok(CitationStyle::Apa);
        }
        let csl = read_style(layout, name).map_err(|m| at(line, m))?;
        if csl.settings.class == StyleClass::Note {
            return Err(at(
                line,
                format!(
                    "`{name}` is a note style (its citations are footnotes), which gloss does not support: choose an author-date or numeric style"
                ),
            ));
        }
        let locale = locale
            .or_else(|| csl.default_locale.clone())
            .unwrap_or_else(LocaleCode::en_us);
        let wanted = [
            Some(locale.clone()),
            locale.fallback(),
            Some(LocaleCode::en_us()),
        ];
        let locales: Vec<Locale> = all_locales
            .unwrap_or_else(archive::locales)
            .into_iter()
            .filter(|l| l.lang.is_some() && wanted.contains(&l.lang))
            .collect();
        // pandoc reads locators with the terms of the locale the style prints in (Nature's
        // en-GB has no `chap.`), or its language's when there is no such locale file.
        let printed = wanted[..2]
            .iter()
            .find(|c| locales.iter().any(|l| &l.lang == *c))
            .cloned()
            .unwrap_or_else(|| wanted[0].clone());
        let mut csl = csl;
        if let Some(book) = labels::book_terms(&locale, &locales) {
            csl.locale.push(book);
        }
        let locators = labels::locator_terms(&csl.locale, &locales, std::slice::from_ref(&printed));
        let punctuation_in_quote = csl
            .locale
            .iter()
            .filter(|l| l.lang.is_none() || l.lang == printed)
            .chain(locales.iter().filter(|l| l.lang == printed))
            .find_map(|l| l.style_options.and_then(|o| o.punctuation_in_quote))
            .unwrap_or(false);
        let numeric = csl.info.category.iter().any(|c| {
            matches!(
                c,
                StyleCategory::CitationFormat {
                    format: CitationFormat::Numeric
                }
            )
        });
        // hayagriva 0.10 implements only the `by-cite` rule for adding given names: under the
        // others (Chicago's `primary-name`, APA's `primary-name-with-initials`) two namesakes of
        // one year lose their initials in the bibliography and stay alike in the text
        // (`Adeyemi. 1990.`, `(Adeyemi 1990)` twice). `by-cite` gives each the initials that
        // tell their citations apart, as the other rules do for such works.
        csl.citation.givenname_disambiguation_rule = DisambiguationRule::ByCite;
        Ok(CitationStyle::Csl(Arc::new(CslStyle {
            name: name.clone(),
            forms: Variants::new(csl),
            locale,
            locales,
            numeric,
            locators,
            punctuation_in_quote,
        })))
    }
}

/// The style a site names: a `.csl` file (relative to the root) or a bundled style, as an
/// independent style; else what is wrong, in words.
fn read_style(layout: &SiteLayout, name: &str) -> Result<IndependentStyle, String> {
    if name.to_ascii_lowercase().ends_with(".csl") {
        let text = std::fs::read_to_string(layout.root().join(name)).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "there is no such file".to_string(),
                _ => e.to_string(),
            };
            format!(
                "cannot read the style `{name}`: {why} (the path is relative to the folder holding site.yaml)"
            )
        })?;
        let style = Style::from_xml(&text).map_err(|e| {
            let why = if text.contains("<style") {
                e.to_string()
            } else {
                "it has no <style> element".to_string()
            };
            format!("`{name}` is not a CSL style: {why}")
        })?;
        independent(style, name)
    } else {
        let bundled = ArchivedStyle::by_name(name).ok_or_else(|| unknown(name))?;
        independent(bundled.get(), name)
    }
}

/// The style itself, or for a dependent style (a journal's alias of a general style) its
/// bundled parent.
fn independent(style: Style, name: &str) -> Result<IndependentStyle, String> {
    match style {
        Style::Independent(s) => Ok(s),
        Style::Dependent(d) => {
            let parent = (d.parent_link.rel == InfoLinkRel::IndependentParent)
                .then(|| ArchivedStyle::by_id(&d.parent_link.href))
                .flatten()
                .map(ArchivedStyle::get);
            match parent {
                Some(Style::Independent(mut s)) => {
                    if d.default_locale.is_some() {
                        s.default_locale = d.default_locale;
                    }
                    Ok(s)
                }
                _ => Err(format!(
                    "`{name}` is a dependent style of {}, which is not bundled: put that style's .csl file in the site and name it instead",
                    d.parent_link.href
                )),
            }
        }
    }
}

/// The bundled styles gloss can use (not the note styles), each as `name (alias, …)`. Only an
/// error pays for decoding them all.
fn bundled_names() -> Vec<String> {
    let mut names: Vec<String> = ArchivedStyle::all()
        .iter()
        .filter(|s| {
            !matches!(s.get(), Style::Independent(ref i) if i.settings.class == StyleClass::Note)
        })
        .filter_map(|s| {
            // `apa` is gloss's own APA, not this alias of the bundled apa.csl.
            let (name, aliases) = s.names().split_first()?;
            let aliases: Vec<&str> = aliases.iter().copied().filter(|a| *a != "apa").collect();
            Some(match aliases.as_slice() {
                [] => name.to_string(),
                _ => format!("{name} ({})", aliases.join(", ")),
            })
        })
        .collect();
    names.sort_unstable();
    names
}

fn unknown(name: &str) -> String {
    let near = ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
        .chain(["apa"])
        .map(|n| (strsim::jaro_winkler(n, name), n))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| format!("did you mean {n}? "))
        .unwrap_or_default();
    format!(
        "`{name}` is neither a bundled citation style nor a .csl file: {near}use apa (the default, gloss's own), the path of a .csl file in the site, or a bundled style: {}",
        bundled_names().join(", ")
    )
}

/// The locale code as the bundled locales spell it (`de` finds de-DE), or a message naming them.
fn known_locale(all: &[Locale], code: &str) -> Result<LocaleCode, String> {
    let codes: Vec<&str> = all
        .iter()
        .filter_map(|l| l.lang.as_ref().map(|c| c.0.as_str()))
        .collect();
    let wanted = LocaleCode(code.to_string());
    [Some(wanted.clone()), wanted.fallback()]
        .into_iter()
        .flatten()
        .find(|c| codes.iter().any(|known| known.eq_ignore_ascii_case(&c.0)))
        .map(|c| {
            let exact = codes.iter().find(|k| k.eq_ignore_ascii_case(&c.0));
            LocaleCode(exact.map_or(c.0, |k| k.to_string()))
        })
        .ok_or_else(|| {
            format!(
                "locale `{code}` is not one of the CSL locales gloss has: use one of {}",
                codes.join(", ")
            )
        })
}
