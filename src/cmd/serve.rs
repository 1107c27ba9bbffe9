//! `gloss serve`: runs the server until it is stopped, printing what each rebuild did.

use std::io::Write;

use gloss::Result;
use gloss::serve::ServeOptions;

use crate::cli::ServeArgs;

pub(crate) fn execute(args: ServeArgs) -> Result<()> {
    let options = ServeOptions {
        root: args.site.root,
        port: args.port,
        bind: args.bind,
        base_url: args.base_url,
        open: args.open,
        poll: args.poll,
        drafts: !args.no_drafts,
        allow_outside: args.allow_outside,
    };
    // A closed terminal or pipe must not stop the server: write errors are ignored.
    gloss::serve::run(&options, &|event| {
        let _ = if event.is_problem() {
            writeln!(std::io::stderr(), "{event}")
        } else {
            writeln!(std::io::stdout(), "{event}")
        };
    })
}
