//! What every pass of hayagriva's engine shares, for the entries (`super`) and the citations
//! (`cite`): its size, a citation request in the style's locale, and the title-case repairs
//! made to its output.

use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::json::Item;
use hayagriva::{CitationItem, CitationRequest};

use super::output;
use crate::bib::reference::SourceInput;
use crate::bib::style::CslStyle;

/// About how many works one pass of the engine takes: small passes share the cores well, and
/// the engine's sort within a pass grows faster than the pass.
pub(super) const PASS: usize = 48;

/// A citation of `items` in `csl` (the style or its citations-only form) and the style's locale.
pub(super) fn request<'a>(
    csl: &'a IndependentStyle,
    style: &'a CslStyle,
    items: Vec<CitationItem<'a, Item>>,
) -> CitationRequest<'a, Item> {
    CitationRequest::new(items, csl, Some(style.locale.clone()), &style.locales, None)
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
