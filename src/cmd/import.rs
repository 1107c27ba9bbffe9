//! `gloss import`: a library's entries as source notes, a line per note and a summary.

use gloss::text::count;
use gloss::{ImportOptions, Result, Status};

use crate::cli::ImportArgs;

pub(crate) fn execute(args: ImportArgs) -> Result<()> {
    let report = gloss::import(&ImportOptions {
        root: args.site.root,
        files: args.files.clone(),
        dry_run: args.dry_run,
        keys_from: args.keys_from.into(),
        verbose: args.verbose,
    })?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for change in &report.changes {
        let status = match change.status {
            Status::New => "new",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
        };
        println!("{status:<10} {}  ({})", change.path, change.from);
    }
    let with = |status| report.changes.iter().filter(|c| c.status == status).count();
    println!(
        "{} from {}: {} new, {} updated, {} unchanged; {}{}",
        count(report.changes.len(), "entry", "entries"),
        count(args.files.len(), "file", "files"),
        with(Status::New),
        with(Status::Updated),
        with(Status::Unchanged),
        count(report.warnings.len(), "warning", "warnings"),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    Ok(())
}
