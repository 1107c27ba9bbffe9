//! The `gloss` command: parses arguments, runs a command, prints its outcome, sets the exit code.
// The one place that prints: the library is forbidden to (see Cargo.toml's lints).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gloss::{BuildOptions, Error, LoadOptions};

// A build makes millions of small short-lived allocations from both threads at once (strings of
// page views, template values); mimalloc serves them markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a cross-referenced website from an annotated literature review.
///
/// A review is a folder with site.yaml, content/sources/<key>.md (one note per source: bibliographic
/// front matter plus an annotation), content/themes/<slug>.md (syntheses) and other pages. Notes cite
/// with [@key], [@key, p. 4], [-@key] or @key, and link with [[slug]].
#[derive(Parser)]
#[command(
    name = "gloss",
    version,
    about,
    long_about,
    after_help = "Examples:\n  gloss build                 build ./ into ./public\n  gloss serve --open          write with live reload at http://127.0.0.1:1111/\n  gloss check                 list every problem, change nothing\n  gloss build --base-url https://name.github.io/review/   build for a project site\n\nExit codes: 0 success, 1 a problem in the content (path:line:col: error: message), 2 a usage error."
)]
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
        /// Do not print warnings (errors are always printed).
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check every note, citation and link without writing anything.
    Check {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Serve the site locally while you write: rebuilds on every save and reloads the browser.
    ///
    /// The site is built in memory (public/ and content/ are never written). Build errors are
    /// printed here and shown over the last good page until the next good build.
    Serve {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but a loopback address exposes the draft to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Build with this base URL and serve under its path, e.g. https://someone.github.io/review/
        /// to preview a project site at /review/ [default: http://127.0.0.1:PORT/]
        #[arg(long)]
        base_url: Option<String>,
        /// Open the site in the default browser (prints the URL if none can be started).
        #[arg(long)]
        open: bool,
        /// Poll for changes every half second instead of using file-system notifications
        /// (for network drives and WSL mounts, where notifications do not arrive).
        #[arg(long)]
        poll: bool,
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
            let out = out.unwrap_or_else(|| gloss::SiteLayout::new(&root).default_out());
            if std::io::stderr().is_terminal() {
                // A large review takes seconds: say what is happening until the summary line.
                eprintln!("building {} …", root.display());
            }
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
        Command::Serve {
            root,
            port,
            bind,
            base_url,
            open,
            poll,
        } => {
            let options = gloss::serve::ServeOptions {
                root,
                port,
                bind,
                base_url,
                open,
                poll,
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
    }
}
