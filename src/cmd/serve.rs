//! `gloss serve`: runs the server until it is stopped, printing what each rebuild did.

use std::io::Write;

use std::path::{Path, PathBuf};

use gloss::config::Config;
use gloss::serve::ServeOptions;
use gloss::text::count;
use gloss::{Result, SiteLayout, Status, ZoteroOptions};

use crate::cli::ServeArgs;

pub(crate) fn execute(args: ServeArgs) -> Result<()> {
    if let Some(data_dir) = zotero_to_watch(&args.site.root, args.zotero.as_deref()) {
        watch_zotero(args.site.root.clone(), data_dir);
    }
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

/// The Zotero data folder to follow: `--zotero [DIR]`, else site.yaml's `zotero: watch:`;
/// `Some(None)` is Zotero's default folder.
fn zotero_to_watch(root: &Path, flag: Option<&Path>) -> Option<Option<PathBuf>> {
    if let Some(dir) = flag {
        return Some((!dir.as_os_str().is_empty()).then(|| dir.to_path_buf()));
    }
    let config = Config::load(&SiteLayout::new(root), None).ok()?;
    let dir = config.zotero.watch?;
    // A relative folder is the site's, as every path site.yaml names.
    Some(Some(root.join(dir)))
}

/// Imports from Zotero on a thread of its own, saying in one line what each import changed.
fn watch_zotero(root: PathBuf, data_dir: Option<PathBuf>) {
    let zotero = ZoteroOptions {
        data_dir,
        collections: Vec::new(),
        tags: Vec::new(),
    };
    std::thread::spawn(move || {
        let said = gloss::watch_zotero(&root, zotero, &|outcome| match outcome {
            Ok(report) => {
                let changed = report
                    .changes
                    .iter()
                    .filter(|c| c.status != Status::Unchanged)
                    .count();
                if changed > 0 {
                    let _ = writeln!(
                        std::io::stdout(),
                        "zotero: {} written from Zotero",
                        count(changed, "source note", "source notes")
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "zotero: {e}");
            }
        });
        if let Err(e) = said {
            let _ = writeln!(std::io::stderr(), "zotero: {e}");
        }
    });
}
