//! The formatting stage of `gloss serve`'s cache: sources are formatted again only in the
//! clusters (same first-author family name) where a source changed, joined or left; a CSL
//! style's citations only when a citation or a formatted source changed.

use std::collections::{BTreeMap, HashMap};

use crate::bib::{self, CitationStyle, Failure, Reference, SourceInput, cluster_key};
use crate::cite::{Citation, StyledCitation};
use crate::note::SourceMeta;

/// Formatted sources by cluster (see [`cluster_key`]): a cluster is formatted again only
/// when one of its sources' bibliographic fields, title or key changed, or a source joined or left it.
#[derive(Default)]
pub(super) struct ReferenceCache {
    clusters: HashMap<String, (Members, Vec<(String, Reference)>)>,
    /// Every input of the last call, in order, and (once the build gives it back) its result:
    /// when no input changed, the whole map is reused without grouping or copying anything.
    last: Members,
    pub(super) recycled: Option<BTreeMap<String, Reference>>,
    /// The keys whose reference came out different from the last call's (or is new): the pages
    /// citing them show another in-text form or entry.
    pub(super) changed: Vec<String>,
    /// The style all of it is in.
    style: Option<CitationStyle>,
}

/// A cluster's sources as last formatted: key, title and bibliographic fields, in input order.
type Members = Vec<(String, String, SourceMeta)>;

impl ReferenceCache {
    pub(super) fn format(
        &mut self,
        inputs: &[SourceInput<'_>],
        style: &CitationStyle,
    ) -> (BTreeMap<String, Reference>, usize, usize, Vec<Failure>) {
        if self.style.as_ref() != Some(style) {
            *self = ReferenceCache {
                style: Some(style.clone()),
                ..ReferenceCache::default()
            };
        }
        // A CSL style's references come back numbered for the citations of their build: only
        // APA's may be reused whole.
        let recycled = self
            .recycled
            .take()
            .filter(|_| *style == CitationStyle::Apa);
        if let Some(map) = recycled
            && self.last.len() == inputs.len()
            && self
                .last
                .iter()
                .zip(inputs)
                .all(|((k, t, m), s)| k == s.key && t == s.title && m == s.meta)
        {
            self.changed.clear();
            return (map, 0, inputs.len(), Vec::new());
        }
        self.last = inputs
            .iter()
            .map(|s| (s.key.to_string(), s.title.to_string(), s.meta.clone()))
            .collect();
        let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
        for input in inputs {
            clusters
                .entry(cluster_key(input.meta, input.title))
                .or_default()
                .push(input);
        }
        let same = |old: &Members, new: &[&SourceInput<'_>]| {
            old.len() == new.len()
                && old
                    .iter()
                    .zip(new)
                    .all(|((k, t, m), s)| k == s.key && t == s.title && m == s.meta)
        };
        let mut out = BTreeMap::new();
        let mut stale: Vec<&String> = Vec::new();
        let mut to_format: Vec<SourceInput<'_>> = Vec::new();
        let mut reused = 0;
        for (cluster, members) in &clusters {
            match self.clusters.get(cluster) {
                Some((old, refs)) if same(old, members) => {
                    reused += refs.len();
                    out.extend(refs.iter().cloned());
                }
                _ => {
                    to_format.extend(members.iter().map(|s| SourceInput {
                        key: s.key,
                        title: s.title,
                        meta: s.meta,
                    }));
                    stale.push(cluster);
                }
            }
        }
        let formatted = to_format.len();
        let (fresh, failures) = if to_format.is_empty() {
            (BTreeMap::new(), Vec::new())
        } else {
            bib::format_all(&to_format, style)
        };
        self.clusters.retain(|k, _| clusters.contains_key(k));
        self.remember(&clusters, &stale, &fresh);
        // A cluster the engine failed on is formatted again next time (and fails again, or not
        // once the source is fixed), never reused as formatted.
        for key in failures.iter().flat_map(|f| &f.keys) {
            if let Some(input) = inputs.iter().find(|s| s.key == key) {
                self.clusters.remove(&cluster_key(input.meta, input.title));
            }
        }
        out.extend(fresh);
        (out, formatted, reused, failures)
    }

    /// Keeps the `stale` clusters as now formatted (`fresh`), and which of their references
    /// changed.
    fn remember(
        &mut self,
        clusters: &BTreeMap<String, Vec<&SourceInput<'_>>>,
        stale: &[&String],
        fresh: &BTreeMap<String, Reference>,
    ) {
        self.changed.clear();
        for &cluster in stale {
            let members = &clusters[cluster];
            let refs: Vec<(String, Reference)> = members
                .iter()
                .filter_map(|s| fresh.get(s.key).map(|r| (s.key.to_string(), r.clone())))
                .collect();
            // A source that moved in from another cluster is new here: changed, as it should be
            // (its first author's name changed).
            let before: HashMap<&str, &Reference> = self
                .clusters
                .get(cluster)
                .map(|(_, r)| r.iter().map(|(k, r)| (k.as_str(), r)).collect())
                .unwrap_or_default();
            self.changed.extend(
                refs.iter()
                    .filter(|(k, r)| before.get(k.as_str()) != Some(&r))
                    .map(|(k, _)| k.clone()),
            );
            let inputs = members
                .iter()
                .map(|s| (s.key.to_string(), s.title.to_string(), s.meta.clone()))
                .collect();
            self.clusters.insert(cluster.clone(), (inputs, refs));
        }
    }
}

/// A CSL style's citations as last printed, with what they were printed from.
#[derive(Default)]
pub(super) struct CitationCache {
    last: Option<Printed>,
}

struct Printed {
    style: CitationStyle,
    cited: Vec<Citation>,
    references: BTreeMap<String, Reference>,
    citations: HashMap<Citation, StyledCitation>,
}

impl CitationCache {
    /// The citations of `cited` in `style`: the last ones when neither the citations nor the
    /// (numbered) references changed.
    pub(super) fn cite(
        &mut self,
        style: &CitationStyle,
        inputs: &[SourceInput<'_>],
        references: &BTreeMap<String, Reference>,
        order: &[String],
        cited: &[&Citation],
    ) -> (HashMap<Citation, StyledCitation>, Vec<Failure>) {
        if *style == CitationStyle::Apa {
            self.last = None;
            return (HashMap::new(), Vec::new());
        }
        if let Some(last) = &self.last
            && last.style == *style
            && last.cited.len() == cited.len()
            && last.cited.iter().zip(cited).all(|(a, b)| a == *b)
            && last.references == *references
        {
            return (last.citations.clone(), Vec::new());
        }
        let (citations, failures) = bib::cite(style, inputs, order, cited);
        if !failures.is_empty() {
            self.last = None;
            return (citations, failures);
        }
        self.last = Some(Printed {
            style: style.clone(),
            cited: cited.iter().map(|c| (*c).clone()).collect(),
            references: references.clone(),
            citations: citations.clone(),
        });
        (citations, failures)
    }
}
