//! `gloss theme eject`: the built-in theme written out, to be changed where it lands.

use gloss::{Result, SiteLayout};

use super::shown;
use crate::cli::ThemeCommand;

pub(crate) fn execute(what: ThemeCommand) -> Result<()> {
    let ThemeCommand::Eject { dir, site } = what;
    let dir = dir.unwrap_or_else(|| SiteLayout::new(&site.root).theme_dir("default"));
    let written = gloss::eject_theme(&dir)?;
    println!(
        "wrote the built-in theme ({} files) into {}: edit them there; site.yaml's `theme: default` now uses this folder",
        written.len(),
        shown(&dir)
    );
    Ok(())
}
