//! One file per command: each turns its parsed arguments into the library's options, runs it
//! and prints the outcome. Errors go back to `main`, which prints them and sets the exit code.

mod build;
mod check;
mod import;
mod init;
mod new;
mod serve;
mod theme;

use std::path::Path;

use gloss::text::count;
use gloss::{Diagnostic, Result};

use crate::cli::Command;

/// Runs one command.
pub(crate) fn run(command: Command) -> Result<()> {
    match command {
        Command::Build(args) => build::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Serve(args) => serve::execute(args),
        Command::Init(args) => init::execute(args),
        Command::New(args) => new::execute(args),
        Command::Import(args) => import::execute(args),
        Command::Theme { what } => theme::execute(what),
    }
}

/// `2 errors, 1 warning`: the last line of a check, or of a build that failed on its content.
pub(crate) fn tally(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags
        .iter()
        .filter(|d| !d.is_error() && !d.is_note())
        .count();
    format!(
        "{}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    )
}

/// A path as the user typed it, relative to where they are.
fn shown(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    let path = path.strip_prefix(&here).unwrap_or(path);
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}
