//! `gloss build`: the site into its output folder, then one line saying what was written.

use std::io::IsTerminal;

use gloss::{BuildOptions, LoadOptions, Result, SiteLayout};

use crate::cli::BuildArgs;

pub(crate) fn execute(args: BuildArgs) -> Result<()> {
    let root = args.site.root;
    let out = args
        .out
        .unwrap_or_else(|| SiteLayout::new(&root).default_out());
    if std::io::stderr().is_terminal() {
        // A large review takes seconds: say what is happening until the summary line.
        eprintln!("building {} …", root.display());
    }
    let report = gloss::build(&BuildOptions {
        load: LoadOptions {
            root,
            base_url: args.base_url,
            drafts: args.drafts,
            preview: false,
            verbose: args.verbose,
            allow_outside: args.allow_outside,
            strict: args.strict,
        },
        out: out.clone(),
    })?;
    if !args.quiet {
        for w in &report.warnings {
            eprintln!("{w}");
        }
    }
    println!(
        "built {} pages ({} files, {:.1} MB) into {} in {} ms ({} files written, {} as they were)",
        report.pages,
        report.files,
        report.bytes as f64 / 1e6,
        out.display(),
        report.elapsed.as_millis(),
        report.written,
        report.unchanged
    );
    if args.timings {
        for (stage, took) in &report.timings {
            println!("  {stage:<8} {:>9.1} ms", took.as_secs_f64() * 1e3);
        }
    }
    Ok(())
}
