//! The `gloss` command: parses arguments, runs a command, prints its outcome, sets the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gloss::{BuildOptions, Error, LoadOptions};

/// Build a cross-referenced website from an annotated literature review.
///
/// A review is a folder with site.yaml, content/sources/<key>.md (one note per source: bibliographic
/// front matter plus an annotation), content/themes/<slug>.md (syntheses) and other pages. Notes cite
/// with [@key], [@key, p. 4], [-@key] or @key, and link with [[slug]].
#[derive(Parser)]
#[command(name = "gloss", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out). The previous output is replaced only on success.
    Build {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override site.yaml's base_url, e.g. https://someone.github.io/review/
        #[arg(long)]
        base_url: Option<String>,
        /// Print warnings as well as errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check every note, citation and link without writing anything.
    Check {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            if !matches!(e, Error::Content(_)) {
                eprintln!();
            } else if let Error::Content(d) = &e {
                eprintln!("{}", count_line(d));
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn count_line(diags: &[gloss::Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Build {
            root,
            out,
            base_url,
            quiet,
        } => {
            let out = out.unwrap_or_else(|| gloss::default_out(&root));
            let report = gloss::build(&BuildOptions {
                load: LoadOptions { root, base_url },
                out: out.clone(),
            })?;
            if !quiet {
                for w in &report.warnings {
                    eprintln!("{w}");
                }
            }
            println!(
                "built {} pages ({} files, {:.1} MB) into {} in {} ms",
                report.pages,
                report.files,
                report.bytes as f64 / 1e6,
                out.display(),
                report.elapsed.as_millis()
            );
            Ok(())
        }
        Command::Check { root } => {
            let diags = gloss::check(&LoadOptions {
                root,
                base_url: None,
            })?;
            for d in &diags {
                println!("{d}");
            }
            println!("{}", count_line(&diags));
            Ok(())
        }
    }
}
