//! Citations in a CSL style: each distinct citation of the site through the engine, in passes
//! that hold the whole clusters of their works (the other works cited after the site's, each
//! once, so disambiguation and year letters come out as in the bibliography; no work cited
//! twice in one pass, which the engine would take for two works alike; a numeric style's
//! passes hold every work, cited invisibly first, so its numbers are the site's). What the engine cannot say itself, gloss
//! adds as pandoc does: a prefix (`see`) before its work, text after a locator, a narrative
//! citation as the work's running-text form (`Walt (1990, 5)`; a numeric style's number, as
//! pandoc prints it) and a suppressed author (`[-@key]`) as that form without its names.

use std::collections::HashMap;

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose, Elem, ElemChild,
    ElemChildren, ElemMeta, LocatorPayload, SpecificLocator,
};
use rayon::prelude::*;

use super::item;
use super::output::{self, Run};
use super::pass::{PASS, fixes, request};
use crate::bib::reference::{SourceInput, cluster_key};
use crate::bib::style::CslStyle;
use crate::cite::{Citation, CiteItem, CiteMode, Label, StyledCitation, StyledPart, split_locator};

/// Every citation as the style prints it. `order` is the reference-list order (see
/// [`super::order`]); `cited` the site's distinct citations, in the order a reader meets them.
pub(crate) fn cite_all(
    style: &CslStyle,
    sources: &[SourceInput<'_>],
    order: &[String],
    cited: &[&Citation],
) -> HashMap<Citation, StyledCitation> {
    let rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let by_key: HashMap<&str, &SourceInput<'_>> = sources.iter().map(|s| (s.key, s)).collect();
    let mut clusters: HashMap<String, Vec<&str>> = HashMap::new();
    let mut cluster_of: HashMap<&str, String> = HashMap::new();
    for s in sources {
        let cluster = cluster_key(s.meta, s.title);
        clusters.entry(cluster.clone()).or_default().push(s.key);
        cluster_of.insert(s.key, cluster);
    }
    let passes: Vec<&[&Citation]> = if style.numeric {
        vec![cited]
    } else {
        cited.chunks(PASS).collect()
    };
    // In an author-date style a pass is split into layers in which no work is cited twice:
    // the engine (hayagriva 0.10) takes two citations of one work for two works that no name
    // can tell apart, and gives up adding names and initials for the whole group.
    let passes: Vec<Vec<&Citation>> = if style.numeric {
        passes.into_iter().map(<[&Citation]>::to_vec).collect()
    } else {
        passes.into_iter().flat_map(layers).collect()
    };
    passes
        .par_iter()
        .flat_map_iter(|citations| {
            let in_pass: std::collections::HashSet<&str> = citations
                .iter()
                .flat_map(|c| &c.items)
                .map(|i| i.key.as_str())
                .collect();
            let mut context: Vec<&str> = if style.numeric {
                order.iter().map(String::as_str).collect()
            } else {
                // The other works of their clusters, each once.
                in_pass
                    .iter()
                    .filter_map(|k| cluster_of.get(k))
                    .flat_map(|cluster| clusters[cluster].iter().copied())
                    .filter(|k| !in_pass.contains(k))
                    .collect()
            };
            context.sort_by_key(|k| rank.get(k).copied().unwrap_or(usize::MAX));
            context.dedup();
            let pass = Pass {
                style,
                rank: &rank,
                sources: &by_key,
                items: context
                    .iter()
                    .chain(&in_pass)
                    .filter_map(|k| Some((*k, item::item(by_key.get(k)?))))
                    .collect(),
            };
            pass.run(&context, citations)
        })
        .collect()
}

/// Citations in layers, each citation in the first layer that cites none of its works yet.
fn layers<'c>(citations: &[&'c Citation]) -> Vec<Vec<&'c Citation>> {
    let mut layers: Vec<(std::collections::HashSet<&str>, Vec<&'c Citation>)> = Vec::new();
    for citation in citations {
        let keys: Vec<&str> = citation.items.iter().map(|i| i.key.as_str()).collect();
        let free = layers
            .iter()
            .position(|(seen, _)| keys.iter().all(|k| !seen.contains(k)));
        let at = free.unwrap_or_else(|| {
            layers.push(Default::default());
            layers.len() - 1
        });
        layers[at].0.extend(keys);
        layers[at].1.push(citation);
    }
    layers.into_iter().map(|(_, c)| c).collect()
}

/// One pass of the engine over some citations.
struct Pass<'a> {
    style: &'a CslStyle,
    rank: &'a HashMap<&'a str, usize>,
    sources: &'a HashMap<&'a str, &'a SourceInput<'a>>,
    items: HashMap<&'a str, Item>,
}

/// Which of the engine's citations print a citation of the site: its normal rendering, and the
/// running-text renderings of its narrative or author-suppressed works.
struct Plan<'c> {
    /// The citation's works that are sources, with their index in the citation.
    known: Vec<(usize, &'c CiteItem)>,
    normal: usize,
    prose: Vec<(usize, usize)>,
}

impl Pass<'_> {
    fn run(&self, context: &[&str], citations: &[&Citation]) -> Vec<(Citation, StyledCitation)> {
        let style = self.style;
        let request = |items| request(&style.for_citations, style, items);
        let mut driver = BibliographyDriver::new();
        // The works whose citations could read alike are cited beside the site's: a numeric
        // style's (all of them) hidden and first, so the engine's numbers follow the site's;
        // an author-date style's after them and visible, since the engine leaves hidden
        // citations out of disambiguation (two namesakes of one year would stay alike), and
        // after, so the site's citations are still each work's first.
        let visible_context = !style.numeric;
        if !visible_context {
            for item in context.iter().filter_map(|k| self.items.get(k)) {
                driver.citation(request(vec![CitationItem::new(
                    item, None, None, true, None,
                )]));
            }
        }
        let mut next = if visible_context { 0 } else { context.len() };
        let mut plans = Vec::with_capacity(citations.len());
        for citation in citations {
            let known: Vec<(usize, &CiteItem)> = citation
                .items
                .iter()
                .enumerate()
                .filter(|(_, i)| self.items.contains_key(i.key.as_str()))
                .collect();
            if known.is_empty() {
                plans.push(None);
                continue;
            }
            let items = known
                .iter()
                .map(|(_, i)| {
                    CitationItem::with_locator(&self.items[i.key.as_str()], locator(i, style))
                })
                .collect();
            driver.citation(request(items));
            let normal = next;
            next += 1;
            let mut prose = Vec::new();
            for (n, (_, item)) in known.iter().enumerate() {
                let wanted = citation.mode == CiteMode::Narrative || item.suppress_author;
                if wanted && !style.numeric {
                    let one = CitationItem::with_locator(
                        &self.items[item.key.as_str()],
                        locator(item, style),
                    )
                    .kind(CitePurpose::Prose);
                    driver.citation(request(vec![one]));
                    prose.push((n, next));
                    next += 1;
                }
            }
            plans.push(Some(Plan {
                known,
                normal,
                prose,
            }));
        }
        if visible_context {
            for item in context.iter().filter_map(|k| self.items.get(k)) {
                driver.citation(request(vec![CitationItem::with_entry(item)]));
            }
        }
        let rendered = driver.finish(BibliographyRequest::new(
            &style.for_citations,
            Some(style.locale.clone()),
            &style.locales,
        ));
        citations
            .iter()
            .zip(plans)
            .map(|(citation, plan)| {
                let styled = match plan {
                    Some(plan) => self.styled(citation, &plan, &rendered.citations),
                    None => StyledCitation::default(),
                };
                ((*citation).clone(), styled)
            })
            .collect()
    }

    /// A citation's parts, from the engine's renderings of it.
    fn styled(
        &self,
        citation: &Citation,
        plan: &Plan<'_>,
        rendered: &[hayagriva::RenderedCitation],
    ) -> StyledCitation {
        let keys: Vec<&str> = plan.known.iter().map(|(_, i)| i.key.as_str()).collect();
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
        let prose_of = |n: usize| {
            plan.prose
                .iter()
                .find(|(m, _)| *m == n)
                .map(|(_, at)| &rendered[*at].citation)
        };
        let mut parts = Vec::new();
        if citation.mode == CiteMode::Narrative
            && let Some(prose) = prose_of(0)
        {
            let only = |_: Option<usize>| number(Some(0));
            let shown = output::trimmed(output::without_empty_parentheses(runs(prose, &only)));
            self.push_item(&mut parts, &plan.known[0], shown);
            return StyledCitation { parts };
        }
        for child in &rendered[plan.normal].citation.0 {
            match child {
                ElemChild::Elem(Elem {
                    meta: Some(ElemMeta::Entry(n)),
                    children,
                    ..
                }) => {
                    let own = |_: Option<usize>| number(Some(*n));
                    let item_runs = match prose_of(*n) {
                        Some(prose) => runs(&without_names(prose, self.style), &own),
                        None => runs(children, &own),
                    };
                    if let Some(known) = plan.known.get(*n) {
                        self.push_item(&mut parts, known, item_runs);
                    }
                }
                other => {
                    let glue = runs(&ElemChildren(vec![other.clone()]), &number);
                    push(&mut parts, None, &glue);
                }
            }
        }
        StyledCitation { parts }
    }

    /// A work's part, with the prefix before it and the text after its locator.
    fn push_item(
        &self,
        parts: &mut Vec<StyledPart>,
        (index, item): &(usize, &CiteItem),
        runs: Vec<Run>,
    ) {
        if let Some(prefix) = &item.prefix {
            push(parts, None, &[output::plain_run(&format!("{prefix} "))]);
        }
        push(parts, Some(*index), &runs);
        let after = match item.locator.as_deref() {
            Some(l) => match split_locator(l, &self.style.labels) {
                Some((_, _, rest)) => rest.to_string(),
                None => format!(", {l}"),
            },
            None => String::new(),
        };
        if !after.is_empty() {
            push(parts, None, &[output::plain_run(&after)]);
        }
    }
}

fn push(parts: &mut Vec<StyledPart>, item: Option<usize>, runs: &[Run]) {
    parts.push(StyledPart {
        item,
        html: output::html(runs),
        text: output::text(runs),
    });
}

/// A running-text rendering (`Walt (1990, 5)`) without the names and its parentheses: what
/// a citation with the author suppressed prints of the work (`1990, 5`).
fn without_names(prose: &ElemChildren, style: &CslStyle) -> ElemChildren {
    let layout = &style.for_citations.citation.layout;
    let open = layout.prefix.as_deref().unwrap_or("(");
    let close = layout.suffix.as_deref().unwrap_or(")");
    // The engine wraps the work's rendering in one element.
    let children = match prose.0.as_slice() {
        [ElemChild::Elem(e)] => &e.children.0,
        other => other,
    };
    let Some(start) = children
        .iter()
        .position(|c| matches!(c, ElemChild::Text(t) if t.text.trim_start().starts_with(open)))
    else {
        return prose.clone();
    };
    let mut rest: Vec<ElemChild> = children[start..].to_vec();
    if let Some(ElemChild::Text(t)) = rest.first_mut() {
        t.text = t.text.trim_start()[open.len()..].to_string();
    }
    if let Some(ElemChild::Text(t)) = rest.last_mut()
        && let Some(cut) = t.text.trim_end().strip_suffix(close)
    {
        t.text = cut.to_string();
    }
    ElemChildren(rest)
}

/// A citation's locator as the engine takes it.
fn locator<'a>(item: &'a CiteItem, style: &CslStyle) -> Option<SpecificLocator<'a>> {
    let (label, value, _) = split_locator(item.locator.as_deref()?, &style.labels)?;
    let kind = match label {
        Label::Page => Locator::Page,
        Label::Chapter => Locator::Chapter,
        Label::Figure => Locator::Figure,
        Label::Section => Locator::Section,
        Label::Table => Locator::Table,
        Label::Paragraph => Locator::Paragraph,
        Label::Volume => Locator::Volume,
        Label::Line => Locator::Line,
        Label::Note => Locator::Note,
        Label::Number => Locator::Issue,
        Label::Part => Locator::Part,
        Label::Column => Locator::Column,
        Label::Appendix => Locator::Appendix,
        Label::Minute => Locator::Timestamp,
        Label::Folio => Locator::Folio,
        Label::Book => Locator::Book,
        Label::Opus => Locator::Opus,
        Label::Verse => Locator::Verse,
        Label::SubVerbo => Locator::SubVerbo,
    };
    Some(SpecificLocator(kind, LocatorPayload::Str(value)))
}
