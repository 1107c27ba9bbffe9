//! gloss's integration tests: one crate (one binary to link), a module per feature; see tests/README.md.

mod common;
mod invariants;

mod apa;
mod build;
mod cases;
mod confinement;
mod export;
mod faults;
mod huge_inputs;
mod import;
mod import_pandoc;
mod install;
mod links;
mod load;
mod originality;
mod properties;
mod publish;
mod reading;
mod review;
mod safety;
mod serve;
mod snapshots;
mod start;
mod styles;
mod vault;
mod vault_as_is;
mod vault_links;
mod vault_site;
mod views;
mod xref;
mod zotero;
