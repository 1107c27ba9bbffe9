//! A small Obsidian vault (two to four notes of embeds, callouts, block ids, highlights,
//! `%% comments %%`, math) decoded from the input and built in memory by the real pipeline,
//! held to `tests/invariants/vault.rs`: the build ends, diagnostics are located, pages parse
//! back, and no comment's text reaches any output file.
#![no_main]

#[path = "../../tests/testsuite/invariants/mod.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let vault = invariants::vault::decode(data);
    let scratch = std::env::temp_dir().join(format!("gloss-fuzz-vault-{}", std::process::id()));
    if let Err(e) = invariants::vault::check(&scratch, &vault) {
        panic!("{e}\n--- the vault ---\n{:#?}", vault.notes);
    }
});
