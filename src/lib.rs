//! gloss: a static site generator for annotated literature reviews.
//!
//! The pipeline ([`build`]), one module a stage:
//! 1. [`config`] reads `site.yaml`; [`layout`] knows where everything of a site lives;
//! 2. [`source`] walks `content/`;
//! 3. [`note`] parses each note's front matter ([`frontmatter`]) and body ([`markdown`]);
//! 4. [`graph`] resolves citations ([`cite`], [`bib`]), links, tags and backlinks; [`check`]
//!    lints the result;
//! 5. [`render`] turns the graph into pages through [`templates`], with the views of the whole
//!    review from [`overview`] (matrix, timeline, citation graph); [`extras`] adds the feed,
//!    sitemap and friends, [`bib`] the exports;
//! 6. [`output`] writes it all atomically.
//!
//! `check` stops after the templates load; `serve` reruns the stages through the passive caches
//! of [`incremental`]. The library never prints.

mod bib;
mod build;
mod check;
mod cite;
pub mod config;
mod error;
mod extras;
mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
mod graph;
mod html;
mod import;
pub mod incremental;
mod layout;
mod markdown;
pub mod note;
mod output;
mod overview;
mod render;
mod safe_url;
pub mod scaffold;
mod search;
pub mod serve;
mod source;
mod suggest;
mod templates;
pub mod text;
mod theme;

pub use bib::{CslDate, CslItem, CslName};
pub use build::{
    BuildOptions, BuildReport, Built, LoadOptions, Timings, build, build_in_memory, check, load,
};
pub use error::{Diagnostic, Error, Level, Result};
pub use graph::{Backlink, Site};
pub use import::zotero::{KeySource, ZoteroOptions, ZoteroSummary, watch as watch_zotero};
pub use import::{Change, ImportOptions, ImportReport, KeysFrom, Status, import};
pub use layout::SiteLayout;
pub use output::{CopiedFile, OutputFile};
pub use theme::eject as eject_theme;
