//! `gloss import`: a library's entries as source notes, a line per note and a summary.

use gloss::text::count;
use gloss::{ImportOptions, Result, Status, ZoteroOptions, ZoteroSummary};

use crate::cli::ImportArgs;

pub(crate) fn execute(args: ImportArgs) -> Result<()> {
    let zotero = args.zotero.clone().map(|data_dir| ZoteroOptions {
        data_dir,
        collections: args.collection.clone(),
        tags: args.tag.clone(),
    });
    let report = gloss::import(&ImportOptions {
        root: args.site.root,
        files: args.files.clone(),
        dry_run: args.dry_run,
        keys_from: args.keys_from.into(),
        verbose: args.verbose,
        zotero,
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
    let from = match &report.zotero {
        Some(z) => {
            zotero_summary(z);
            "Zotero's database".to_string()
        }
        None => count(args.files.len(), "file", "files"),
    };
    let with = |status| report.changes.iter().filter(|c| c.status == status).count();
    println!(
        "{} from {from}: {} new, {} updated, {} unchanged; {}{}",
        count(report.changes.len(), "entry", "entries"),
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

/// What was read from Zotero, and what was left out.
fn zotero_summary(z: &ZoteroSummary) {
    let copied = match z.copied_for {
        Some(side) => format!(", read from a private copy (Zotero had a {side} file open)"),
        None => String::new(),
    };
    println!(
        "Zotero: {} (schema {}){copied}: {}, {}, {}",
        z.database,
        z.schema,
        count(z.items, "item", "items"),
        count(z.annotations, "annotation", "annotations"),
        count(z.notes, "child note", "child notes"),
    );
    for line in &z.left_out {
        println!("left out: {line}");
    }
}
