//! Formats every source of a site in its citation style: in APA 7 each on its own (`apa`), in
//! parallel, then disambiguated across sources (`disambiguate`); in a CSL style through the
//! engine (`csl`), which prints the site's citations too.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::reference::{Reference, SourceInput};
use super::style::CitationStyle;
use super::{apa, csl, disambiguate};
use crate::cite::{Citation, StyledCitation};
pub(crate) use csl::Failure;

/// A site's sources and citations in its style.
#[derive(Debug, Default)]
pub(crate) struct Formatted {
    /// Every source, by citation key.
    pub(crate) references: BTreeMap<String, Reference>,
    /// A CSL style's printing of each citation (APA's are composed as pages render).
    pub(crate) citations: HashMap<Citation, StyledCitation>,
    /// Sources the CSL engine failed on (the build reports them as errors).
    pub(crate) failures: Vec<Failure>,
}

/// Formats every source and, in a CSL style, every citation: `cited` are the site's distinct
/// citations in the order a reader meets them.
pub(crate) fn format(
    style: &CitationStyle,
    sources: &[SourceInput<'_>],
    cited: &[&Citation],
) -> Formatted {
    let (mut references, mut failures) = format_all(sources, style);
    let order = order(style, sources, &mut references, cited);
    let (citations, more) = cite(style, sources, &order, cited);
    failures.extend(more);
    Formatted {
        references,
        citations,
        failures,
    }
}

/// Formats every source; the map is keyed by citation key. Works in different clusters (see
/// `cluster_key`) never affect each other here, so `gloss serve` formats only changed clusters;
/// [`order`] and [`cite`] then do what needs the whole site. With the sources the CSL engine
/// failed on.
pub(crate) fn format_all(
    sources: &[SourceInput<'_>],
    style: &CitationStyle,
) -> (BTreeMap<String, Reference>, Vec<Failure>) {
    match style {
        CitationStyle::Apa => (format_apa(sources), Vec::new()),
        CitationStyle::Csl(csl_style) => {
            let (references, failures) = csl::format_all(csl_style, sources);
            (references.into_iter().collect(), failures)
        }
    }
}

/// In a CSL style, the reference-list order and the citation numbers, written into the
/// references (the keys in that order; APA's order is its sort keys', and this returns nothing).
pub(crate) fn order(
    style: &CitationStyle,
    sources: &[SourceInput<'_>],
    references: &mut BTreeMap<String, Reference>,
    cited: &[&Citation],
) -> Vec<String> {
    match style {
        CitationStyle::Apa => Vec::new(),
        CitationStyle::Csl(csl_style) => csl::order(csl_style, sources, references, cited),
    }
}

/// In a CSL style, every citation as the style prints it (APA composes its own as pages
/// render), and the citations the engine failed on.
pub(crate) fn cite(
    style: &CitationStyle,
    sources: &[SourceInput<'_>],
    order: &[String],
    cited: &[&Citation],
) -> (HashMap<Citation, StyledCitation>, Vec<Failure>) {
    match style {
        CitationStyle::Apa => (HashMap::new(), Vec::new()),
        CitationStyle::Csl(csl_style) => csl::cite_all(csl_style, sources, order, cited),
    }
}

fn format_apa(sources: &[SourceInput<'_>]) -> BTreeMap<String, Reference> {
    let mut refs: HashMap<String, Reference> = sources
        .par_iter()
        .map(|s| (s.key.to_string(), apa::format(s)))
        .collect();
    let mut ordered: Vec<&SourceInput<'_>> = sources.iter().collect();
    ordered.sort_by(|a, b| refs[a.key].sort_key.cmp(&refs[b.key].sort_key));
    disambiguate::disambiguate(&ordered, &mut refs);
    refs.into_iter().collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{EntryType, Name, SourceMeta, Year};

    fn meta(authors: &[&str], year: Year) -> SourceMeta {
        SourceMeta {
            entry_type: EntryType::Article,
            authors: authors.iter().filter_map(|a| Name::parse(a)).collect(),
            editors: vec![],
            year,
            container: Some("South Asian Studies".into()),
            publisher: None,
            volume: Some("24".into()),
            issue: Some("2".into()),
            pages: Some("175-191".into()),
            doi: Some("10.1000/xyz".into()),
            doi_line: 1,
            url: None,
            ..Default::default()
        }
    }

    #[test]
    fn formats_in_text_parts_the_apa_way() {
        let one = meta(&["Jabeen, M."], Year::Known(2009));
        let two = meta(&["Ali, I.", "Anwar, M. F."], Year::Known(2023));
        let three = meta(
            &["Plaw, A.", "Fricker, M. S.", "Williams, B. G."],
            Year::Known(2011),
        );
        let org = meta(&["Pew Research Center"], Year::Unknown);
        let inputs = [
            SourceInput {
                key: "j",
                title: "Either you are with us",
                meta: &one,
            },
            SourceInput {
                key: "a",
                title: "Pak-US relations",
                meta: &two,
            },
            SourceInput {
                key: "p",
                title: "Practice makes perfect?",
                meta: &three,
            },
            SourceInput {
                key: "o",
                title: "Global attitudes",
                meta: &org,
            },
        ];
        let (refs, _) = format_all(&inputs, &CitationStyle::Apa);
        assert_eq!(
            (
                refs["j"].in_text.author.as_str(),
                refs["j"].in_text.year.as_str()
            ),
            ("Jabeen", "2009")
        );
        assert_eq!(refs["a"].in_text.author, "Ali & Anwar");
        assert_eq!(refs["a"].in_text.narrative_author, "Ali and Anwar");
        assert_eq!(refs["p"].in_text.author, "Plaw et al.");
        assert_eq!(
            (
                refs["o"].in_text.author.as_str(),
                refs["o"].in_text.year.as_str()
            ),
            ("Pew Research Center", "n.d.")
        );
        assert!(
            refs["j"].html.contains("<i>South Asian Studies</i>"),
            "{}",
            refs["j"].html
        );
        assert!(
            refs["j"]
                .html
                .contains(r#"<a href="https://doi.org/10.1000/xyz">"#),
            "{}",
            refs["j"].html
        );
    }

    #[test]
    fn two_teams_with_one_first_author_are_told_apart_by_names_not_by_one_set_of_letters() {
        // Two works each by two teams led by the same author in one year: `Schulman et al.,
        // 2017a` must not stand for two works (a real library's case).
        let p = meta(
            &["Schulman, J.", "Wolski, F.", "Dhariwal, P."],
            Year::Known(2017),
        );
        let t = meta(
            &["Schulman, J.", "Levine, S.", "Moritz, P."],
            Year::Known(2017),
        );
        let inputs = [
            SourceInput {
                key: "p1",
                title: "Proximal policy optimization",
                meta: &p,
            },
            SourceInput {
                key: "p2",
                title: "Proximal methods revisited",
                meta: &p,
            },
            SourceInput {
                key: "t1",
                title: "Trust region policy optimization",
                meta: &t,
            },
            SourceInput {
                key: "t2",
                title: "Trust regions again",
                meta: &t,
            },
        ];
        let (refs, _) = format_all(&inputs, &CitationStyle::Apa);
        let cited: Vec<String> = ["p1", "p2", "t1", "t2"]
            .iter()
            .map(|k| refs[*k].cited())
            .collect();
        let mut distinct = cited.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{cited:?}");
        assert_eq!(refs["t2"].cited(), "(Schulman, Levine, & Moritz, 2017b)");
    }

    #[test]
    fn same_author_and_year_get_letters() {
        let a = meta(&["Khan, M."], Year::Known(2019));
        let inputs = [
            SourceInput {
                key: "k1",
                title: "Beta",
                meta: &a,
            },
            SourceInput {
                key: "k2",
                title: "Alpha",
                meta: &a,
            },
        ];
        let (refs, _) = format_all(&inputs, &CitationStyle::Apa);
        let mut years = [
            refs["k1"].in_text.year.clone(),
            refs["k2"].in_text.year.clone(),
        ];
        years.sort();
        assert_eq!(years, ["2019a".to_string(), "2019b".to_string()]);
        assert!(
            refs["k2"]
                .text
                .contains(&format!("({})", refs["k2"].in_text.year)),
            "{}",
            refs["k2"].text
        );
    }
}
