//! Bibliographies: the reference model of a source, APA 7 formatting (every type, held to pandoc's
//! citeproc and to the Publication Manual, with gloss's own disambiguation and collation), other
//! citation styles through a CSL engine, and the BibTeX and CSL-JSON exports.
//!
//! Files: `model` (types), `reference` (what formatting takes and gives), `style` (the style a
//! site chooses), `format` (the one entry point), `apa` (entries, in-text parts and
//! the reference-list order), `disambiguate`, `csl` (CSL styles through hayagriva), `export`;
//! `read` (library files into entries: BibTeX, CSL-JSON) and `markup` (the inline markup of
//! bibliographic text, shared by the readers and the exports), `body_text` (abstracts and notes
//! as Markdown that shows them as text); `library` (a site's
//! bibliography files). The `gloss import` command that writes entries as notes is
//! `crate::import`, above `note`.

mod apa;
pub(crate) mod body_text;
mod csl;
mod disambiguate;
pub(crate) mod export;
mod format;
pub(crate) mod library;
mod markup;
pub(crate) mod model;
pub(crate) mod read;
mod reference;
mod style;

pub(crate) use apa::{apa_order, base_letter, filing_letter};
pub use export::{CslDate, CslItem, CslName};
pub(crate) use format::{Failure, Formatted, cite, format, format_all, order};
pub(crate) use library::{Library, LibraryEntry};
pub(crate) use reference::{Reference, SourceInput, cluster_key};
pub(crate) use style::CitationStyle;
