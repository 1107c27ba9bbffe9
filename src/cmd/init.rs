//! `gloss init`: a working review in a folder, the files written, and what to do next.

use gloss::{Result, scaffold};

use super::shown;
use crate::cli::InitArgs;

pub(crate) fn execute(args: InitArgs) -> Result<()> {
    let dir = args.dir;
    let written = scaffold::init(&dir, args.title.as_deref())?;
    println!("created a review in {}:", shown(&dir));
    for path in &written {
        println!("  {}", shown(path));
    }
    let cd = match shown(&dir).as_str() {
        "" | "." => String::new(),
        d => format!("cd {d}\n  "),
    };
    println!(
        "\nNext:\n  {cd}gloss serve --open          see it in the browser as you write\n  gloss new source KEY        add a source (or import a library: gloss import library.bib)\n  gloss build                 build the site into public/ to publish it"
    );
    println!(
        "\nOn GitHub: push this folder to a repository, then Settings → Pages → Source: GitHub Actions.\n  Every push to main then builds and publishes it (.github/workflows/pages.yml)."
    );
    Ok(())
}
