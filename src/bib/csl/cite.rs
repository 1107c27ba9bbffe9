//! Citations in a CSL style: each distinct citation of the site through the engine, in passes
//! run on every core. A citation's year letters and added names must be its works' entries'
//! (`entries`), which the engine decides over the citations of one pass: so every pass also
//! cites, after the site's citations, each work of the clusters its works belong to, once, in
//! the bibliography's order, in the style's `context` form. That form starts every citation
//! with a marker, so these never read like one of the site's citations, and the engine
//! disambiguates them exactly as it did the entries; the site's citations, in the `site` form,
//! add no year letters of their own (a cluster `[@b; @a]` would give them in its own order).
//! A numeric style's passes hold every work instead, cited invisibly first, so its numbers are
//! the site's.
//!
//! What the engine cannot say itself, gloss adds as pandoc does: a prefix (`see`) before its
//! work and the text after a locator (inside a superscript style's superscript); a narrative
//! citation as the first work's names, then the citation without them (`Walt (1990, 5)`, a
//! title for a work with no author); a suppressed author (`[-@key]`) as the work without its
//! names (nothing at all in MLA, whose citations are names and pages).

use std::collections::{HashMap, HashSet};

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, Elem, ElemChild, ElemChildren, ElemMeta,
    LocatorPayload, RenderedCitation, SpecificLocator,
};
use rayon::prelude::*;

use super::output::{self, Run};
use super::pass::{PASS, fixes, needs_safe, request, still_alike};
use super::{Failure, guard, item, locator};
use crate::bib::reference::{SourceInput, cluster_key};
use crate::bib::style::{CslStyle, FORCED};
use crate::cite::{Citation, CiteItem, CiteMode, StyledCitation, StyledPart};

/// Every citation as the style prints it. `order` is the reference-list order (see
/// [`super::order`]); `cited` the site's distinct citations, in the order a reader meets them.
pub(crate) fn cite_all(
    style: &CslStyle,
    sources: &[SourceInput<'_>],
    order: &[String],
    cited: &[&Citation],
) -> (HashMap<Citation, StyledCitation>, Vec<Failure>) {
    let rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let by_key: HashMap<&str, &SourceInput<'_>> = sources.iter().map(|s| (s.key, s)).collect();
    // The works a work's citation can read like: those of its cluster, of its year in a style
    // whose citations carry the year (the others never read alike, so they change nothing).
    let yearless = !style.forms.style().citation.disambiguate_add_year_suffix;
    let mut clusters: HashMap<String, Vec<&SourceInput<'_>>> = HashMap::new();
    let mut cluster_of: HashMap<&str, String> = HashMap::new();
    for s in sources {
        let mut cluster = cluster_key(s.meta, s.title);
        if !yearless {
            cluster.push_str(&format!("\u{1}{:?}", s.meta.year));
        }
        clusters.entry(cluster.clone()).or_default().push(s);
        cluster_of.insert(s.key, cluster);
    }
    let safe: HashSet<&str> = clusters
        .values()
        .filter(|members| needs_safe(members))
        .flatten()
        .map(|s| s.key)
        .collect();
    let passes: Vec<&[&Citation]> = if style.numeric {
        vec![cited]
    } else {
        cited.chunks(PASS).collect()
    };
    let results: Vec<Result<(Citation, StyledCitation), Failure>> = passes
        .par_iter()
        .flat_map_iter(|citations| {
            let in_pass: HashSet<&str> = citations
                .iter()
                .flat_map(|c| &c.items)
                .map(|i| i.key.as_str())
                .filter(|k| by_key.contains_key(k))
                .collect();
            let mut context: Vec<&str> = if style.numeric {
                order.iter().map(String::as_str).collect()
            } else {
                let mut whole: Vec<&str> = in_pass
                    .iter()
                    .filter_map(|k| cluster_of.get(k))
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .flat_map(|cluster| clusters[cluster].iter().map(|s| s.key))
                    .collect();
                whole.sort_by_key(|k| (rank.get(k).copied().unwrap_or(usize::MAX), *k));
                whole
            };
            context.dedup();
            let mut pass = Pass {
                style,
                rank: &rank,
                sources: &by_key,
                safe: &safe,
                items: context
                    .iter()
                    .chain(&in_pass)
                    .filter_map(|k| Some((*k, item::item(by_key.get(k)?))))
                    .collect(),
            };
            match guard::guarded(|| pass.run(&context, citations)) {
                Ok(styled) => styled.into_iter().map(Ok).collect::<Vec<_>>(),
                // Which citation: each on its own.
                Err(_) => citations
                    .iter()
                    .map(|c| {
                        guard::guarded(|| pass.run(&context, std::slice::from_ref(c)))
                            .map(|mut v| v.remove(0))
                            .map_err(|e| Failure {
                                keys: c.items.iter().map(|i| i.key.clone()).collect(),
                                message: e.0,
                            })
                    })
                    .collect(),
            }
        })
        .collect();
    let mut styled = HashMap::with_capacity(cited.len());
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok((citation, s)) => {
                styled.insert(citation, s);
            }
            Err(f) => failures.push(f),
        }
    }
    (styled, failures)
}

/// One pass of the engine over some citations.
struct Pass<'a> {
    style: &'a CslStyle,
    rank: &'a HashMap<&'a str, usize>,
    sources: &'a HashMap<&'a str, &'a SourceInput<'a>>,
    /// The works whose clusters need the style's safe form.
    safe: &'a HashSet<&'a str>,
    items: HashMap<&'a str, Item>,
}

impl Pass<'_> {
    /// The site's `citations`, with `context` (see the module's documentation).
    fn run(
        &mut self,
        context: &[&str],
        citations: &[&Citation],
    ) -> Vec<(Citation, StyledCitation)> {
        let (rendered, first) = self.render(context, citations);
        if self.style.forms.conditions && !self.style.numeric {
            // The works the style's disambiguation leaves alike get its `disambiguate` branch,
            // as their entries did.
            let alike = still_alike(context, &rendered[first..]);
            let mut again = false;
            for key in &alike {
                if let Some(item) = self.items.get_mut(key.as_str())
                    && !item.0.contains_key(FORCED)
                {
                    item::force_disambiguation(item);
                    again = true;
                }
            }
            if again {
                let (rendered, _) = self.render(context, citations);
                return self.all_styled(citations, &rendered);
            }
        }
        self.all_styled(citations, &rendered)
    }

    fn all_styled(
        &self,
        citations: &[&Citation],
        rendered: &[RenderedCitation],
    ) -> Vec<(Citation, StyledCitation)> {
        let requests: usize = citations.iter().map(|c| self.groups(c).len()).sum();
        // A numeric style's context comes first.
        let mut next = if self.style.numeric {
            rendered.len() - requests
        } else {
            0
        };
        citations
            .iter()
            .map(|citation| {
                let groups = self.groups(citation);
                let renderings = &rendered[next..next + groups.len()];
                next += groups.len();
                let styled = if groups.is_empty() {
                    StyledCitation::default()
                } else {
                    self.styled(citation, &groups, renderings)
                };
                ((*citation).clone(), styled)
            })
            .collect()
    }

    /// A citation's works that are sources (with their index in the citation), in the groups
    /// pandoc sorts and collapses apart: a work with a prefix starts one, a work with text after
    /// its locator ends one (`(e.g., Lee 2020; see also Lee 2020, 4)`, not `…; see also 2020, 4)`).
    fn groups<'c>(&self, citation: &'c Citation) -> Vec<Vec<(usize, &'c CiteItem)>> {
        let mut groups: Vec<Vec<(usize, &CiteItem)>> = Vec::new();
        let mut open = false;
        for (index, item) in citation.items.iter().enumerate() {
            if !self.items.contains_key(item.key.as_str()) {
                continue;
            }
            if !open || item.prefix.is_some() {
                groups.push(Vec::new());
            }
            if let Some(group) = groups.last_mut() {
                group.push((index, item));
            }
            open = self.locator(item).1.is_empty();
        }
        groups
    }

    /// The engine's renderings: the site's citations (a request for each group of their works)
    /// and the context's, and where the context's start.
    fn render(&self, context: &[&str], citations: &[&Citation]) -> (Vec<RenderedCitation>, usize) {
        let style = self.style;
        let forms = &style.forms;
        let mut driver = BibliographyDriver::new();
        let context_items = context
            .iter()
            .filter_map(|k| Some((*k, self.items.get(k)?)));
        if style.numeric {
            for (_, item) in context_items.clone() {
                let hidden = CitationItem::new(item, None, None, true, None);
                driver.citation(request(forms.site.get(false), style, vec![hidden]));
            }
        }
        let groups: Vec<Vec<(usize, &CiteItem)>> =
            citations.iter().flat_map(|c| self.groups(c)).collect();
        let locators: Vec<Vec<Option<(Locator, String)>>> = groups
            .iter()
            .map(|g| g.iter().map(|(_, i)| self.locator(i).0).collect())
            .collect();
        let first = groups.len();
        for (group, locators) in groups.iter().zip(&locators) {
            let safe = group
                .iter()
                .any(|(_, i)| self.safe.contains(i.key.as_str()));
            let items = group
                .iter()
                .zip(locators)
                .map(|((_, i), locator)| {
                    let locator = locator
                        .as_ref()
                        .map(|(kind, value)| SpecificLocator(*kind, LocatorPayload::Str(value)));
                    CitationItem::with_locator(&self.items[i.key.as_str()], locator)
                })
                .collect();
            driver.citation(request(forms.site.get(safe), style, items));
        }
        if !style.numeric {
            for (key, item) in context_items {
                let form = forms.context.get(self.safe.contains(key));
                driver.citation(request(form, style, vec![CitationItem::with_entry(item)]));
            }
        }
        let rendered = driver.finish(BibliographyRequest::new(
            forms.site.get(false),
            Some(style.locale.clone()),
            &style.locales,
        ));
        (rendered.citations, first)
    }

    /// An item's locator as the engine takes it, and the suffix after it. A page range is
    /// written as the style's `page-range-format` says (`101–109`, `101–9`), which the engine
    /// does only for a work's own pages.
    fn locator(&self, item: &CiteItem) -> (Option<(Locator, String)>, String) {
        let Some(text) = item.locator.as_deref() else {
            return (None, String::new());
        };
        let read = locator::read(text, &self.style.locators);
        let format = self.style.forms.style().settings.page_range_format;
        let locator = read.locator.map(|(kind, value)| {
            let mut range = String::new();
            match (kind, format, locator::range(value)) {
                (Locator::Page, Some(format), Some((start, end)))
                    if format.format(&mut range, start, end, Some("–")).is_ok() =>
                {
                    (kind, range)
                }
                _ => (kind, value.to_string()),
            }
        });
        (locator, read.suffix)
    }

    /// A citation's parts, from the engine's renderings of its groups.
    fn styled(
        &self,
        citation: &Citation,
        groups: &[Vec<(usize, &CiteItem)>],
        renderings: &[RenderedCitation],
    ) -> StyledCitation {
        let layout = &self.style.forms.style().citation.layout;
        let format = hayagriva::citationberg::ToFormatting::to_formatting(layout);
        let mut pieces: Vec<(Option<usize>, Vec<Run>)> = Vec::new();
        let mut lead = None;
        for (g, (group, rendered)) in groups.iter().zip(renderings).enumerate() {
            let mut these = self.pieces(citation, group, rendered, &format, &mut lead);
            // One citation of the groups: the first's opening, the last's closing, and the
            // style's delimiter between them.
            if g > 0 {
                let opening = these.iter().position(|p| p.0.is_some()).unwrap_or(0);
                these.drain(..opening);
                let delimiter = layout.delimiter.as_deref().unwrap_or("; ");
                pieces.push((None, vec![output::run_with(delimiter, &format)]));
            }
            if g + 1 < groups.len() {
                let closing = these
                    .iter()
                    .rposition(|p| p.0.is_some())
                    .map_or(0, |i| i + 1);
                these.truncate(closing);
            }
            pieces.extend(these);
        }
        compose(pieces, lead)
    }

    /// The pieces of one group's rendering: each work's runs (by its index in the citation),
    /// and the glue between them. The first work of a narrative citation leaves its names in
    /// `lead`.
    fn pieces(
        &self,
        citation: &Citation,
        group: &[(usize, &CiteItem)],
        rendered: &RenderedCitation,
        format: &hayagriva::citationberg::Formatting,
        lead: &mut Option<(usize, Vec<Run>)>,
    ) -> Vec<(Option<usize>, Vec<Run>)> {
        let keys: Vec<&str> = group.iter().map(|(_, i)| i.key.as_str()).collect();
        let number = |entry: Option<usize>| {
            entry
                .and_then(|e| keys.get(e))
                .and_then(|k| self.rank.get(k))
                .map_or_else(String::new, |r| (r + 1).to_string())
        };
        let fixes: Vec<(String, String)> = keys
            .iter()
            .filter_map(|k| self.sources.get(k))
            .flat_map(|s| fixes(s))
            .collect();
        let runs = |children: &ElemChildren, number: output::Numbering<'_>| {
            let mut runs = output::runs(children, number);
            output::repair(&mut runs, &fixes, self.style.spaced_colon());
            runs
        };
        let narrative = citation.mode == CiteMode::Narrative;
        let mut pieces = Vec::new();
        for child in &rendered.citation.0 {
            let ElemChild::Elem(Elem {
                meta: Some(ElemMeta::Entry(n)),
                children,
                ..
            }) = child
            else {
                pieces.push((None, runs(&ElemChildren(vec![child.clone()]), &number)));
                continue;
            };
            let Some(&(index, item)) = group.get(*n) else {
                continue;
            };
            let own = |_: Option<usize>| number(Some(*n));
            let first = narrative && index == 0;
            let (names, rest) = if item.suppress_author || first {
                split_names(children)
            } else {
                (None, children.clone())
            };
            if first {
                let names = names.map(|n| output::trimmed(runs(&n, &own)));
                *lead = names.filter(|n| !n.is_empty()).map(|n| (index, n));
            }
            let mut work = output::trimmed(runs(&rest, &own));
            let (_, suffix) = self.locator(item);
            if !work.is_empty() {
                if let Some(prefix) = &item.prefix {
                    work.insert(0, output::run_with(&format!("{prefix} "), format));
                }
                if !suffix.is_empty() {
                    let suffix = match self.style.punctuation_in_quote {
                        true => output::punctuation_into_quote(&mut work, &suffix),
                        false => suffix,
                    };
                    work.push(output::run_with(&suffix, format));
                }
            }
            pieces.push((Some(index), work));
        }
        pieces
    }
}

/// The parts of a citation from its pieces: a work that prints nothing is left out with the
/// delimiter after it (before it when last), and a citation of nothing but those prints
/// nothing, not `()`. A narrative citation's `lead` (the first work's names) comes first, the
/// rest after a space; a narrative citation of nothing else is its names alone.
fn compose(
    pieces: Vec<(Option<usize>, Vec<Run>)>,
    lead: Option<(usize, Vec<Run>)>,
) -> StyledCitation {
    let printed = |runs: &[Run]| !output::text(runs).trim().is_empty();
    let works: Vec<usize> = pieces
        .iter()
        .enumerate()
        .filter(|(_, (item, runs))| item.is_some() && printed(runs))
        .map(|(i, _)| i)
        .collect();
    let mut parts = Vec::new();
    if let Some((index, names)) = &lead {
        parts.push(part(Some(*index), names));
    }
    let Some(&last_printed) = works.last() else {
        return StyledCitation { parts };
    };
    if lead.is_some() {
        parts.push(part(None, &[output::plain_run(" ")]));
    }
    let first_work = pieces.iter().position(|p| p.0.is_some()).unwrap_or(0);
    let last_work = pieces.iter().rposition(|p| p.0.is_some()).unwrap_or(0);
    let mut after_printed = false;
    for (i, (item, runs)) in pieces.iter().enumerate() {
        if item.is_some() {
            after_printed = works.contains(&i);
            if after_printed {
                parts.push(part(*item, runs));
            }
            continue;
        }
        let between = after_printed && i < last_printed;
        if (i < first_work || i > last_work || between) && !output::text(runs).is_empty() {
            parts.push(part(None, runs));
        }
    }
    StyledCitation { parts }
}

fn part(item: Option<usize>, runs: &[Run]) -> StyledPart {
    StyledPart {
        item,
        html: output::html(runs),
        text: output::text(runs),
    }
}

/// A work's rendering split into its names (the first `cs:names` output: its authors, or what
/// stands for them, an editor or a title) and the rest, without the punctuation that followed
/// the names.
fn split_names(children: &ElemChildren) -> (Option<ElemChildren>, ElemChildren) {
    let mut names = None;
    let rest = without_first_names(children, &mut names);
    let mut rest = rest;
    trim_leading(&mut rest);
    (
        names.map(|e: Elem| ElemChildren(vec![ElemChild::Elem(e)])),
        rest,
    )
}

fn without_first_names(children: &ElemChildren, found: &mut Option<Elem>) -> ElemChildren {
    let mut out = Vec::with_capacity(children.0.len());
    for child in &children.0 {
        match child {
            ElemChild::Elem(e)
                if found.is_none() && matches!(e.meta, Some(ElemMeta::Names(..))) =>
            {
                *found = Some(e.clone());
            }
            ElemChild::Elem(e) if found.is_none() => {
                let inner = without_first_names(&e.children, found);
                out.push(ElemChild::Elem(Elem {
                    children: inner,
                    ..e.clone()
                }));
            }
            other => out.push(other.clone()),
        }
    }
    ElemChildren(out)
}

/// Takes the spaces and the delimiter (`, `) the names left at the start.
fn trim_leading(children: &mut ElemChildren) {
    for child in &mut children.0 {
        match child {
            ElemChild::Text(t) => {
                let trimmed = t.text.trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | ';' | ':')
                });
                t.text = trimmed.to_string();
                if !t.text.is_empty() {
                    return;
                }
            }
            ElemChild::Elem(e) => {
                trim_leading(&mut e.children);
                if !e.children.to_string().is_empty() {
                    return;
                }
            }
            _ => return,
        }
    }
}
