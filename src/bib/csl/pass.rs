//! What every pass of hayagriva's engine shares, for the entries (`super`) and the citations
//! (`cite`): its size, a citation request in the style's locale, the clusters that need the
//! style's safe form, the works whose `disambiguate="true"` conditions hold, and the title-case
//! repairs made to its output.

use std::collections::{HashMap, HashSet};

use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::json::Item;
use hayagriva::{CitationItem, CitationRequest, RenderedCitation};

use super::output;
use crate::bib::model::{EntryType, Name};
use crate::bib::reference::SourceInput;
use crate::bib::style::CslStyle;

/// About how many works one pass of the engine takes: small passes share the cores well, and
/// the engine's sort within a pass grows faster than the pass.
pub(super) const PASS: usize = 48;

/// A citation of `items` in `csl` (a form of the style) and the style's locale.
pub(super) fn request<'a>(
    csl: &'a IndependentStyle,
    style: &'a CslStyle,
    items: Vec<CitationItem<'a, Item>>,
) -> CitationRequest<'a, Item> {
    CitationRequest::new(items, csl, Some(style.locale.clone()), &style.locales, None)
}

/// The names a work is cited by: its authors, else its editors (not a chapter's).
fn cited_names<'a>(source: &'a SourceInput<'_>) -> &'a [Name] {
    let meta = source.meta;
    if meta.authors.is_empty() && meta.entry_type != EntryType::Chapter {
        &meta.editors
    } else {
        &meta.authors
    }
}

/// Whether a cluster needs the style's safe form (see `bib::style::Forms`): two of its works of
/// one year where one's names are the first names of the other's. hayagriva 0.10.1 adds names
/// to tell such works apart and, under the `by-cite` rule, reads a name past the end of the
/// shorter list.
pub(super) fn needs_safe(members: &[&SourceInput<'_>]) -> bool {
    members.iter().any(|a| {
        let short = cited_names(a);
        !short.is_empty()
            && members.iter().any(|b| {
                let long = cited_names(b);
                a.meta.year == b.meta.year && long.len() > short.len() && long.starts_with(short)
            })
    })
}

/// The works (by index into `works`) whose citations, rendered in `rendered` at the same
/// indices, still read alike after the engine's disambiguation: the style's
/// `disambiguate="true"` conditions hold for them.
pub(super) fn still_alike(works: &[&str], rendered: &[RenderedCitation]) -> HashSet<String> {
    let mut by_text: HashMap<String, Vec<&str>> = HashMap::new();
    for (key, cited) in works.iter().zip(rendered) {
        let text = cited.citation.to_string();
        if !text.trim().is_empty() {
            by_text.entry(text).or_default().push(key);
        }
    }
    by_text
        .into_values()
        .filter(|keys| keys.len() > 1)
        .flatten()
        .map(str::to_string)
        .collect()
}

/// The title-case repairs for a source's titles (see `output`).
pub(super) fn fixes(source: &SourceInput<'_>) -> Vec<(String, String)> {
    let meta = source.meta;
    let title = crate::bib::markup::plain(source.title);
    let others = [&meta.container, &meta.series, &meta.event]
        .into_iter()
        .flatten()
        .map(|t| crate::bib::markup::plain(t));
    let fields: Vec<String> = std::iter::once(title).chain(others).collect();
    output::title_fixes(fields.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bib::model::{SourceMeta, Year};

    fn meta(names: &[&str], year: i32) -> SourceMeta {
        SourceMeta {
            authors: names.iter().filter_map(|n| Name::parse(n)).collect(),
            year: Year::Known(year),
            ..Default::default()
        }
    }

    #[test]
    fn a_cluster_needs_the_safe_form_when_a_names_list_begins_another_of_its_year() {
        let three = meta(&["Halvorsen, Kari", "Dahl, Olav", "Berg, Ingrid"], 1990);
        let six = meta(
            &[
                "Halvorsen, Kari",
                "Dahl, Olav",
                "Berg, Ingrid",
                "Lund, Per",
                "Moe, Siri",
                "Vik, Tor",
            ],
            1990,
        );
        let later = meta(
            &["Halvorsen, Kari", "Dahl, Olav", "Berg, Ingrid", "Lund, Per"],
            1991,
        );
        let other = meta(
            &["Halvorsen, Kari", "Berg, Ingrid", "Dahl, Olav", "Lund, Per"],
            1990,
        );
        let input = |m| SourceInput {
            key: "k",
            title: "T",
            meta: m,
        };
        let (a, b, c, d) = (input(&three), input(&six), input(&later), input(&other));
        assert!(needs_safe(&[&a, &b]));
        assert!(needs_safe(&[&b, &a]));
        assert!(!needs_safe(&[&a, &c]));
        assert!(!needs_safe(&[&a, &d]));
        assert!(!needs_safe(&[&a]));
    }
}
