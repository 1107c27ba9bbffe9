//! `gloss import` over one library file (BibTeX or BibLaTeX, CSL-JSON, CSL-YAML), planned and
//! not written, held to `tests/invariants/` (`check_import`): located diagnostics; every note a
//! plain file name that `[@key]` cites, reading back as that source; a second import over the
//! written and annotated notes changes nothing.
#![no_main]

#[path = "../../tests/testsuite/invariants/mod.rs"]
mod invariants;

use gloss::fuzzing::LibraryFormat;
use libfuzzer_sys::fuzz_target;

/// The first byte chooses the format, and the file name that says it.
const FORMATS: [(&str, LibraryFormat); 3] = [
    ("library.bib", LibraryFormat::Bibtex),
    ("library.json", LibraryFormat::CslJson),
    ("library.yaml", LibraryFormat::CslYaml),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (path, format) = FORMATS[usize::from(first) % FORMATS.len()];
    let text = String::from_utf8_lossy(rest);
    if let Err(e) = invariants::check_import(path, format, &text) {
        panic!("{e}");
    }
});
