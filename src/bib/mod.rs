//! Bibliographies: the reference model of a source, APA 7 formatting (every type, held to pandoc's
//! citeproc and to the Publication Manual, with gloss's own disambiguation and collation), and
//! the BibTeX and CSL-JSON exports.
//!
//! Files: `model` (types), `reference` (what formatting takes and gives), `format` (the one
//! entry point), `apa` (entries and in-text parts), `sort` (the reference-list order),
//! `disambiguate`, `export`; `import` (libraries into notes) and `markup` (the inline markup of
//! bibliographic text, shared by import and export).

mod apa;
mod disambiguate;
pub(crate) mod export;
mod format;
pub(crate) mod import;
mod markup;
pub(crate) mod model;
mod reference;
mod sort;

pub use export::{CslDate, CslItem, CslName};
pub(crate) use format::format_all;
pub(crate) use reference::{Reference, SourceInput, cluster_key};
