//! What a build may take from an earlier one, stage by stage: nothing ([`Fresh`], `gloss build`)
//! or what `gloss serve`'s [`Cache`] kept. The pipeline is written once, over [`Stages`]; the cache
//! is told and asked, and never calls back into the pipeline.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::bib::{self, CitationStyle, Formatted, SourceInput};
use crate::cite::Citation;
use crate::error::Result;
use crate::graph::Site;
use crate::incremental::{self, Cache, RenderMemo, Reuse};
use crate::note::{Notes, Reading};
use crate::output::OutputFile;
use crate::render::{NoCache, PageCache};

/// What the stages after resolution made, for the next build to compare with.
pub(crate) struct Made {
    pub(crate) bibtex: Arc<BTreeMap<String, String>>,
    pub(crate) exports: Vec<OutputFile>,
    pub(crate) extras: Vec<OutputFile>,
    pub(crate) matrix: OutputFile,
}

/// The questions a build asks of what earlier builds kept; every answer equals what the build
/// would make itself.
pub(crate) trait Stages {
    /// The memo the render stage checks pages against.
    type Pages: PageCache + Send;
    /// The notes, parsed and scanned. Starts a build.
    fn read(&mut self, reading: &Reading<'_>) -> Result<Notes>;
    /// Every source and citation formatted in the site's style.
    fn format(
        &mut self,
        style: &CitationStyle,
        inputs: &[SourceInput<'_>],
        cited: &[&Citation],
    ) -> Formatted;
    /// What may be reused as it is for this resolved site.
    fn plan(&mut self, site: &Site) -> Reuse;
    fn pages(&mut self) -> &mut Self::Pages;
    /// What a complete build made.
    fn store(&mut self, site: &Site, made: Made);
    /// The site, once the build is done with it.
    fn recycle(&mut self, site: Site);
}

/// A clean build: everything is made.
pub(crate) struct Fresh(NoCache);

impl Default for Fresh {
    fn default() -> Fresh {
        Fresh(NoCache)
    }
}

impl Stages for Fresh {
    type Pages = NoCache;

    fn read(&mut self, reading: &Reading<'_>) -> Result<Notes> {
        incremental::read_fresh(reading)
    }

    fn format(
        &mut self,
        style: &CitationStyle,
        inputs: &[SourceInput<'_>],
        cited: &[&Citation],
    ) -> Formatted {
        bib::format(style, inputs, cited)
    }

    fn plan(&mut self, _site: &Site) -> Reuse {
        Reuse::default()
    }

    fn pages(&mut self) -> &mut NoCache {
        &mut self.0
    }

    fn store(&mut self, _site: &Site, _made: Made) {}

    fn recycle(&mut self, _site: Site) {}
}

impl Stages for Cache {
    type Pages = RenderMemo;

    fn read(&mut self, reading: &Reading<'_>) -> Result<Notes> {
        Cache::read(self, reading)
    }

    fn format(
        &mut self,
        style: &CitationStyle,
        inputs: &[SourceInput<'_>],
        cited: &[&Citation],
    ) -> Formatted {
        Cache::format(self, style, inputs, cited)
    }

    fn plan(&mut self, site: &Site) -> Reuse {
        Cache::plan(self, site)
    }

    fn pages(&mut self) -> &mut RenderMemo {
        Cache::pages(self)
    }

    fn store(&mut self, site: &Site, made: Made) {
        Cache::store(
            self,
            site,
            made.bibtex,
            made.exports,
            made.extras,
            made.matrix,
        );
    }

    fn recycle(&mut self, site: Site) {
        Cache::recycle(self, site);
    }
}
