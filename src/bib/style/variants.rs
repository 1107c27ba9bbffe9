//! The forms of a CSL style that hayagriva's engine is handed, one for each use (see
//! `bib::csl`): the entries' pass, a pass that disambiguates nothing, and the two kinds of
//! citation in a citations' pass (the works cited invisibly that decide year letters and added
//! names, and the site's own citations). Each comes in a second, "safe" form for the clusters
//! whose names make hayagriva 0.10.1 panic (see [`Forms::safe`]).
//!
//! Every form reads a `disambiguate="true"` condition as the variable `division` (which gloss
//! never exports and no common style prints): the engine sets that condition on every work of
//! an ambiguous group but the first, where the specification and pandoc set it on all of them
//! (MLA's short title for one of an author's two works), so gloss decides which works it holds
//! for and gives those works the variable.

use hayagriva::citationberg::taxonomy::{StandardVariable, Variable};
use hayagriva::citationberg::{
    ChooseBranch, DisambiguationRule, IndependentStyle, LayoutRenderingElement, Text, TextTarget,
};

/// The variable a `disambiguate="true"` condition is read from.
pub(crate) const FORCED: &str = "division";

/// Starts the rendering of a work cited invisibly for disambiguation, so that it is never taken
/// for one of the site's citations (see `bib::csl::cite`).
pub(crate) const MARKER: char = '\u{E000}';

/// A form of the style, and the same with the `all-names` rule for adding given names.
#[derive(Debug, PartialEq)]
pub(crate) struct Forms {
    normal: IndependentStyle,
    /// hayagriva 0.10.1 panics (an index out of bounds) under the `by-cite` rule when one work's
    /// names are the first names of another's, one year, alike in the text (`Halvorsen, Dahl,
    /// and Berg` and `Halvorsen, Dahl, Berg, Lund, Moe, and Vik`). Under `all-names` it adds the
    /// names that tell them apart as it would have, but no given names: only the clusters
    /// holding such works are given this form.
    safe: IndependentStyle,
}

impl Forms {
    fn new(normal: IndependentStyle) -> Forms {
        let mut safe = normal.clone();
        safe.citation.givenname_disambiguation_rule = DisambiguationRule::AllNames;
        Forms { normal, safe }
    }

    pub(crate) fn get(&self, safe: bool) -> &IndependentStyle {
        if safe { &self.safe } else { &self.normal }
    }
}

/// Every form the engine is handed.
#[derive(Debug, PartialEq)]
pub(crate) struct Variants {
    /// The style itself, for the entries.
    pub(crate) entries: Forms,
    /// The style disambiguating nothing, whose entries' names are the style's own (the engine
    /// prints an entry's names as its citations were disambiguated).
    pub(crate) plain: IndependentStyle,
    /// Without its bibliography (the engine then spends nothing on entries nobody reads), its
    /// citations starting with [`MARKER`]: the works cited invisibly beside the site's.
    pub(crate) context: Forms,
    /// Without its bibliography, adding no year letters of its own: the site's citations.
    pub(crate) site: Forms,
    /// Whether the style has a `disambiguate="true"` condition.
    pub(crate) conditions: bool,
}

impl Variants {
    /// The forms of `csl`, whose given-name rule gloss has set.
    pub(crate) fn new(mut csl: IndependentStyle) -> Variants {
        // A style that collapses one author's works (`Lee 2019, 2020`) sets them apart with the
        // `cite-group-delimiter`, a comma unless it says otherwise; hayagriva falls back on the
        // delimiter between citations (`Lee 2019; 2020`). Setting the comma here made hayagriva
        // join every work of a citation with it (`de Souza 2019, Ofori 2020`), a worse fault on
        // real reviews, so the fallback stays until the engine tells groups apart.
        let mut conditions = false;
        for_each_branch(&mut csl, &mut |branch| {
            if branch.disambiguate == Some(true) && branch.variable.is_none() {
                branch.disambiguate = None;
                branch.variable = Some(vec![Variable::Standard(StandardVariable::Division)]);
                conditions = true;
            }
        });
        let mut plain = csl.clone();
        plain.citation.disambiguate_add_givenname = false;
        plain.citation.disambiguate_add_names = false;
        plain.citation.disambiguate_add_year_suffix = false;
        let mut site = csl.clone();
        site.bibliography = None;
        let mut context = site.clone();
        site.citation.disambiguate_add_year_suffix = false;
        let marker = Text::with_target(TextTarget::Value {
            val: MARKER.to_string(),
        });
        context
            .citation
            .layout
            .elements
            .insert(0, LayoutRenderingElement::Text(marker));
        Variants {
            entries: Forms::new(csl),
            plain,
            context: Forms::new(context),
            site: Forms::new(site),
            conditions,
        }
    }

    /// The style's own settings (its name, sort, options) as the entries' form has them.
    pub(crate) fn style(&self) -> &IndependentStyle {
        &self.entries.normal
    }
}

/// Calls `f` on every conditional branch of the style: in its macros, citation and bibliography.
fn for_each_branch(csl: &mut IndependentStyle, f: &mut dyn FnMut(&mut ChooseBranch)) {
    let mut lists: Vec<&mut Vec<LayoutRenderingElement>> =
        csl.macros.iter_mut().map(|m| &mut m.children).collect();
    lists.push(&mut csl.citation.layout.elements);
    if let Some(b) = &mut csl.bibliography {
        lists.push(&mut b.layout.elements);
    }
    for list in lists {
        walk(list, f);
    }
}

fn walk(elements: &mut [LayoutRenderingElement], f: &mut dyn FnMut(&mut ChooseBranch)) {
    for element in elements {
        match element {
            LayoutRenderingElement::Group(g) => walk(&mut g.children, f),
            LayoutRenderingElement::Choose(c) => {
                for branch in std::iter::once(&mut c.if_).chain(c.else_if.iter_mut()) {
                    f(branch);
                    walk(&mut branch.children, f);
                }
                if let Some(otherwise) = &mut c.otherwise {
                    walk(&mut otherwise.children, f);
                }
            }
            LayoutRenderingElement::Names(n) => {
                for child in &mut n.children {
                    if let hayagriva::citationberg::NamesChild::Substitute(s) = child {
                        walk(&mut s.children, f);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayagriva::archive::ArchivedStyle;
    use hayagriva::citationberg::Style;

    fn bundled(name: &str) -> IndependentStyle {
        match ArchivedStyle::by_name(name).map(ArchivedStyle::get) {
            Some(Style::Independent(s)) => s,
            _ => panic!("{name} is bundled"),
        }
    }

    #[test]
    fn disambiguate_conditions_are_read_from_a_variable() {
        let mla = Variants::new(bundled("modern-language-association"));
        assert!(mla.conditions);
        let mut left = 0;
        let mut csl = mla.entries.normal.clone();
        for_each_branch(&mut csl, &mut |b| {
            left += usize::from(b.disambiguate.is_some())
        });
        assert_eq!(left, 0);
        assert!(!Variants::new(bundled("ieee")).conditions);
    }

    #[test]
    fn only_the_context_carries_the_marker_and_only_the_site_adds_no_letters() {
        let v = Variants::new(bundled("chicago-author-date"));
        let first = |s: &IndependentStyle| s.citation.layout.elements.first().cloned();
        assert!(matches!(
            first(v.context.get(false)),
            Some(LayoutRenderingElement::Text(t)) if t.target == TextTarget::Value { val: MARKER.to_string() }
        ));
        assert_ne!(first(v.site.get(false)), first(v.context.get(false)));
        assert!(v.context.get(true).citation.disambiguate_add_year_suffix);
        assert!(!v.site.get(false).citation.disambiguate_add_year_suffix);
        assert!(v.site.get(false).bibliography.is_none());
        assert_eq!(
            v.entries.get(true).citation.givenname_disambiguation_rule,
            DisambiguationRule::AllNames
        );
    }
}
