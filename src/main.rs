//! The `gloss` command: parses the arguments ([`cli`]), runs the command ([`cmd`]), prints an
//! error if it failed, and sets the exit code: 0 success, 1 a problem in the content or on disk,
//! 2 a usage error.
// The binary is the one place that prints: the library is forbidden to (see Cargo.toml's lints).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;
use gloss::Error;

// A build makes millions of small short-lived allocations from both threads at once (strings of
// page views, template values); mimalloc serves them markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` come this way too, to standard output.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                Error::Content(diags) => eprintln!("{e}{}", cmd::tally(diags)),
                other => eprintln!("{other}"),
            }
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
