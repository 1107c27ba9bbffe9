//! What `gloss serve` keeps between rebuilds so that a one-note edit does not redo the whole
//! pipeline. A passive store: the pipeline (`build.rs`) asks it, stage by stage, what it can
//! reuse and tells it what it made; it never calls back into the pipeline.
//! - reading: only files whose stamps changed are read again (`content`);
//! - parsing and scanning: only notes whose text changed;
//! - formatting: only clusters of sources with a changed source, and a CSL style's citations
//!   only when a citation or a source changed (`references`);
//! - pages: only the pages the build's `plan` says can have changed are checked, by the
//!   fingerprint of their template input, and only the changed ones rendered; note bodies are
//!   rendered only when their text or the answers to their citations and links changed (`memo`);
//! - BibTeX entries, the feed, sitemap and exports: made again only when what they read changed.
//!
//! Every entry is reused only when the inputs of the pure function that made it are provably the
//! same, so a build through a warm [`Cache`] is byte-identical to a clean build. `gloss build`
//! uses no cache at all.

mod content;
mod fingerprint;
mod memo;
mod plan;
mod record;
mod references;
mod stamp;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::bib::{self, CitationStyle, Formatted, SourceInput};
use crate::cite::Citation;
use crate::error::Result;
use crate::graph::Site;
use crate::note::{Notes, Reading};
use crate::output::OutputFile;

pub(crate) use content::read_fresh;
use fingerprint::Fingerprint;
pub(crate) use memo::RenderMemo;
use memo::Targets;
use plan::{Plan, Seen};
use references::{CitationCache, ReferenceCache};

/// Results reused across builds of the same site.
#[derive(Default)]
pub struct Cache {
    content: content::ContentCache,
    references: ReferenceCache,
    citations: CitationCache,
    render: RenderMemo,
    /// What the kept pages, BibTeX entries and extra files were made from; `None` until a build
    /// succeeds, and during a build (a failed build leaves it `None`, so the next plan is full).
    seen: Option<Seen>,
    /// The build in progress: what it was compared with, and its plan.
    building: Option<(Option<Seen>, Option<Plan>)>,
    bibtex: Option<Arc<BTreeMap<String, String>>>,
    exports: Vec<OutputFile>,
    extras: Vec<OutputFile>,
    matrix: Option<OutputFile>,
    stats: Stats,
}

/// How much the last build through a [`Cache`] could reuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Note files read from disk (all of them when the set of files under `content/` changed).
    pub files_read: usize,
    pub notes_parsed: usize,
    pub notes_reused: usize,
    /// Sources formatted again (their cluster of same-family-name first authors changed).
    pub sources_formatted: usize,
    pub sources_reused: usize,
    /// Note bodies rendered from Markdown again, and reused.
    pub bodies_rendered: usize,
    pub bodies_reused: usize,
    /// Pages rendered through their template again, and reused (skipped ones included).
    pub pages_rendered: usize,
    pub pages_reused: usize,
    /// Pages reused without building their template input, as the plan allowed.
    pub pages_skipped: usize,
    /// Why every page's input was built and compared, if it was.
    pub checked_all: Option<&'static str>,
}

/// What a build may take from the cache instead of making it.
#[derive(Default)]
pub(crate) struct Reuse {
    pub(crate) bibtex: Option<Arc<BTreeMap<String, String>>>,
    pub(crate) exports: Option<Vec<OutputFile>>,
    pub(crate) extras: Option<Vec<OutputFile>>,
    /// `matrix.csv`, which shows what the matrix page does.
    pub(crate) matrix: Option<OutputFile>,
}

impl Cache {
    /// What the last build reused.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Tells the cache that these files (relative to the site root, `/`-separated) changed, so
    /// they are read again whatever their stamps say.
    pub fn changed(&mut self, paths: &[String]) {
        self.content.hint(paths);
    }

    /// Forgets what the files under `content/` looked like: the next build reads them all.
    pub fn rescan(&mut self) {
        self.content.forget();
    }

    /// With `on`, every build also builds the input of each page its plan lets it skip, and
    /// records the pages whose input did change ([`Cache::mismatches`]): a check of the plan for
    /// tests. The output is right either way.
    pub fn verify_plans(&mut self, on: bool) {
        self.render.verify = on;
    }

    /// The pages the last build's plan would wrongly have skipped (with [`Cache::verify_plans`]).
    pub fn mismatches(&self) -> Vec<String> {
        let mut list = self
            .render
            .mismatches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        list.sort();
        list
    }

    /// The notes under `content/`, parsed and scanned: the same as a fresh read, reusing what
    /// it can. Starts a build: the notes and scans are lent to it, to be given back with
    /// [`Cache::recycle`] (a site that is not given back only makes the next build read and
    /// parse everything again).
    pub(crate) fn read(&mut self, reading: &Reading<'_>) -> Result<Notes> {
        // Taken out for the build: only a build that completes puts it back (see `Cache::seen`).
        self.building = Some((self.seen.take(), None));
        let (notes, stats) = self.content.read(reading)?;
        self.stats = Stats {
            files_read: stats.files_read,
            notes_parsed: stats.parsed,
            notes_reused: stats.reused,
            ..Stats::default()
        };
        Ok(notes)
    }

    /// Every source and citation formatted in the site's style, reusing the clusters whose
    /// sources did not change, and a CSL style's citations when neither they nor the sources did.
    pub(crate) fn format(
        &mut self,
        style: &CitationStyle,
        inputs: &[SourceInput<'_>],
        cited: &[&Citation],
    ) -> Formatted {
        let (mut references, fresh, reused, mut failures) = self.references.format(inputs, style);
        self.stats.sources_formatted = fresh;
        self.stats.sources_reused = reused;
        let order = bib::order(style, inputs, &mut references, cited);
        let (citations, more) = self
            .citations
            .cite(style, inputs, &references, &order, cited);
        failures.extend(more);
        Formatted {
            references,
            citations,
            failures,
        }
    }

    /// Compares the resolved site with what the kept files were made from: sets which pages the
    /// memo must check, and hands back what can be reused as it is.
    pub(crate) fn plan(&mut self, site: &Site) -> Reuse {
        let seen = self.building.take().and_then(|(seen, _)| seen);
        let revs = self.content.revs_of(site);
        let plan = Plan::new(seen.as_ref(), site, &revs, &self.references.changed);
        self.render.plan(Targets {
            all: plan.full.is_some(),
            notes: plan.notes.clone(),
            listings: plan.listings,
        });
        let reuse = Reuse {
            bibtex: self.bibtex.clone().filter(|_| plan.same_sources()),
            exports: (plan.same_sources() && !self.exports.is_empty())
                .then(|| self.exports.clone()),
            extras: (plan.same_extras() && !self.extras.is_empty()).then(|| self.extras.clone()),
            matrix: self.matrix.clone().filter(|_| plan.same_listings()),
        };
        self.building = Some((seen, Some(plan)));
        reuse
    }

    /// The page and body memo, for the render stage.
    pub(crate) fn pages(&mut self) -> &mut RenderMemo {
        &mut self.render
    }

    /// Keeps what a complete build made, for the next one to compare with.
    pub(crate) fn store(
        &mut self,
        site: &Site,
        bibtex: Arc<BTreeMap<String, String>>,
        exports: Vec<OutputFile>,
        extras: Vec<OutputFile>,
        matrix: OutputFile,
    ) {
        let Some((seen, Some(plan))) = self.building.take() else {
            return;
        };
        let r = &self.render;
        let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        self.stats = Stats {
            bodies_rendered: count(&r.bodies_rendered),
            bodies_reused: count(&r.bodies_reused),
            pages_rendered: count(&r.pages_rendered),
            pages_reused: count(&r.pages_reused),
            pages_skipped: count(&r.pages_skipped),
            checked_all: plan.full.or_else(|| {
                r.checked_all()
                    .then_some("templates or site-wide values changed")
            }),
            ..self.stats
        };
        self.seen = Some(plan.into_seen(seen, site, &self.content.revs_of(site)));
        self.bibtex = Some(bibtex);
        self.exports = exports;
        self.extras = extras;
        self.matrix = Some(matrix);
    }

    /// Takes back what [`Cache::read`] lent to `site`, and frees the rest of it.
    pub(crate) fn recycle(&mut self, mut site: Site) {
        self.building = None;
        let notes = std::mem::take(&mut site.notes);
        let scans = std::mem::take(&mut site.scans);
        self.content.recycle(notes, scans);
        self.references.recycled = Some(std::mem::take(&mut site.references));
        // Freeing the rest (tens of thousands of strings at 10,000 notes) is left to another
        // thread: nothing waits for it.
        std::thread::spawn(move || drop(site));
    }
}
