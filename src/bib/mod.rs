//! Bibliographies: the reference model of a source, APA 7 formatting (a fast path for the common
//! shapes, hayagriva's CSL engine for the rest, and gloss's own disambiguation), and the BibTeX
//! and CSL-JSON exports.
//!
//! Files: `model` (types), `reference` (what formatting takes and gives), `format` (the one
//! entry point), `fast`, `csl`, `disambiguate`, `export`; `import` (libraries into notes) and
//! `markup` (the inline markup of bibliographic text, shared by import and export).

mod csl;
#[cfg(test)]
mod differential;
mod disambiguate;
pub(crate) mod export;
mod fast;
mod format;
pub(crate) mod import;
mod markup;
pub(crate) mod model;
mod reference;

pub use export::{CslDate, CslItem, CslName};
pub(crate) use format::format_all;
pub(crate) use reference::{Reference, SourceInput, cluster_key};
