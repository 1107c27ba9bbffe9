//! `gloss check`: every problem of the site, one a line, and their count; nothing written.

use gloss::{LoadOptions, Result};

use crate::cli::CheckArgs;

pub(crate) fn execute(args: CheckArgs) -> Result<()> {
    let diags = gloss::check(&LoadOptions {
        root: args.site.root,
        drafts: args.drafts,
        verbose: args.verbose,
        allow_outside: args.allow_outside,
        strict: args.strict,
        ..LoadOptions::default()
    })?;
    for d in &diags {
        println!("{d}");
    }
    println!("{}", super::tally(&diags));
    Ok(())
}
