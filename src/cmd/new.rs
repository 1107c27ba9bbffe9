//! `gloss new source KEY` and `gloss new theme SLUG`: one note with every field of its kind.

use gloss::Result;
use gloss::scaffold::{self, NewNote};

use super::shown;
use crate::cli::{NewArgs, NewCommand};

pub(crate) fn execute(args: NewArgs) -> Result<()> {
    let (what, key) = match args.what {
        NewCommand::Source { key, entry_type } => (NewNote::Source(entry_type.0), key),
        NewCommand::Theme { slug } => (NewNote::Theme, slug),
    };
    let path = scaffold::new_note(&args.root, what, &key)?;
    println!(
        "wrote {}: fill in its fields and write below them; it is a draft (shown by gloss serve, left out of gloss build) until you remove `draft: true`",
        shown(&path)
    );
    Ok(())
}
