//! The `gloss` command: parses arguments, runs a command, prints its outcome, sets the exit code.
// The one place that prints: the library is forbidden to (see Cargo.toml's lints).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gloss::scaffold::{self, NewNote};
use gloss::{BuildOptions, Diagnostic, Error, LoadOptions, SiteLayout};

// A build makes millions of small short-lived allocations from both threads at once (strings of
// page views, template values); mimalloc serves them markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `gloss --version`: the release and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("GLOSS_COMMIT"),
    ")"
);

/// Build a cross-referenced website from an annotated literature review.
///
/// A review is a folder with site.yaml, content/sources/<key>.md (one note per source:
/// bibliographic front matter plus an annotation), content/themes/<slug>.md (syntheses) and other
/// pages. Notes cite with [@key], [@key, p. 4], [-@key] or @key, and link with [[slug]].
#[derive(Parser)]
#[command(
    name = "gloss",
    version = VERSION,
    about,
    long_about,
    after_help = "Start a review:\n  gloss init my-review        a working review to start from (then cd my-review)\n  gloss new source khan2019   a source note with every field of its type\n  gloss import library.bib    one source note per entry of a Zotero export (.bib, .json)\n  gloss serve --open          write with live reload at http://127.0.0.1:1111/\n\nPublish it:\n  gloss check                 list every problem, change nothing\n  gloss build                 build ./ into ./public\n  gloss build --base-url https://name.github.io/review/   build for a project site\n\nExit codes: 0 success, 1 a problem in the content (path:line:col: error: message), 2 a usage error."
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
        /// Publish drafts (notes with `draft: true`) too.
        #[arg(long)]
        drafts: bool,
        /// Do not print warnings (errors are always printed).
        #[arg(long, short)]
        quiet: bool,
        /// Print every warning on its own line (tags that name no theme are otherwise summed up).
        #[arg(long, short)]
        verbose: bool,
        /// Print how long each stage took (read, resolve, plan, render, extras, write, search).
        #[arg(long)]
        timings: bool,
    },
    /// Check every note, citation, link and template without writing anything.
    Check {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as `gloss build --drafts` would build.
        #[arg(long)]
        drafts: bool,
        /// Print every warning on its own line (tags that name no theme are otherwise summed up).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Serve the site locally while you write: rebuilds on every save and reloads the browser.
    ///
    /// The site is built in memory (public/ and content/ are never written). Build errors are
    /// printed here and shown over the last good page until the next good build. Drafts are
    /// shown, marked as drafts.
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
        /// Hide drafts, as `gloss build` does.
        #[arg(long)]
        no_drafts: bool,
    },
    /// Create a working review in DIR: site.yaml, a home page, an example source and theme,
    /// templates/, .gitignore and a GitHub Pages workflow. Never overwrites a file.
    Init {
        /// The folder to create the review in (made if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The review's title [default: from the folder's name].
        #[arg(long)]
        title: Option<String>,
    },
    /// Write a new note with every field of its kind, ready to fill in.
    New {
        #[command(subcommand)]
        what: NewCommand,
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
    },
    /// Bring a reference manager's library in: one source note per entry.
    ///
    /// Reads BibTeX and BibLaTeX (.bib), CSL-JSON (.json, as Zotero and Better BibTeX export
    /// it) and CSL-YAML (.yaml) and writes content/sources/KEY.md for each entry, KEY being its
    /// citation key (a key Pandoc can cite is kept; when it cannot be a file name, the file name
    /// is folded to ASCII and the note's `key:` field holds the key). A new note gets the entry's
    /// abstract and notes as the start of its body.
    ///
    /// Importing again is a sync: a note that exists gets its bibliographic fields from the
    /// library (a field the library no longer has is removed), while its body and every other
    /// field (tags, draft, publish, summary, date, fields gloss does not know) stay byte for
    /// byte. Each line printed says whether a note is new, updated or unchanged. Whatever the
    /// library holds that a note cannot and a style would print is named in one warning per
    /// entry; fields no style prints (keywords, attached files, …) are summed up per file. A
    /// file that does not parse is an error with its position, and then nothing is written.
    Import {
        /// The library files (.bib, .json, .yaml).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Which key a note gets: `citekey`, the entry's citation key; `file`, the key (file
        /// name) of an existing note whose `citekey:` field names the entry, so that notes
        /// named otherwise are updated in place (the citation key for entries no note names).
        #[arg(long, value_enum, default_value = "citekey", value_name = "FROM")]
        keys_from: KeysFromArg,
        /// Name every field left out entry by entry (the fields no style prints, such as
        /// keywords and attached files, are otherwise summed up in one line per file).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// content/sources/KEY.md: a source (KEY is its citation key, e.g. khan2019).
    Source {
        key: String,
        /// The kind of work, which decides the fields written.
        #[arg(long = "type", value_enum, default_value = "article")]
        entry_type: SourceType,
    },
    /// content/themes/SLUG.md: a theme (its synthesis).
    Theme { slug: String },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write the built-in theme to DIR (default: themes/default/ of --root) to change it there.
    Eject {
        dir: Option<PathBuf>,
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KeysFromArg {
    Citekey,
    File,
}

#[derive(Clone, Copy, ValueEnum)]
enum SourceType {
    Article,
    Magazine,
    Newspaper,
    Book,
    Chapter,
    Conference,
    Report,
    Thesis,
    Web,
    Preprint,
    Dataset,
    Software,
    Other,
}

impl SourceType {
    fn entry_type(self) -> gloss::note::EntryType {
        use gloss::note::EntryType as T;
        match self {
            SourceType::Article => T::Article,
            SourceType::Magazine => T::Magazine,
            SourceType::Newspaper => T::Newspaper,
            SourceType::Book => T::Book,
            SourceType::Chapter => T::Chapter,
            SourceType::Conference => T::Conference,
            SourceType::Report => T::Report,
            SourceType::Thesis => T::Thesis,
            SourceType::Web => T::Web,
            SourceType::Preprint => T::Preprint,
            SourceType::Dataset => T::Dataset,
            SourceType::Software => T::Software,
            SourceType::Other => T::Other,
        }
    }
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
            if let Error::Content(d) = &e {
                eprintln!("{}", count_line(d));
            } else {
                eprintln!();
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn count_line(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// A path as the user typed it, relative to where they are.
fn shown(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    let path = path.strip_prefix(&here).unwrap_or(path);
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            quiet,
            verbose,
            timings,
        } => {
            let out = out.unwrap_or_else(|| SiteLayout::new(&root).default_out());
            if std::io::stderr().is_terminal() {
                // A large review takes seconds: say what is happening until the summary line.
                eprintln!("building {} …", root.display());
            }
            let report = gloss::build(&BuildOptions {
                load: LoadOptions {
                    root,
                    base_url,
                    drafts,
                    preview: false,
                    verbose,
                },
                out: out.clone(),
            })?;
            if !quiet {
                for w in &report.warnings {
                    eprintln!("{w}");
                }
            }
            println!(
                "built {} pages ({} files, {:.1} MB) into {} in {} ms ({} files written, {} as they were)",
                report.pages,
                report.files,
                report.bytes as f64 / 1e6,
                out.display(),
                report.elapsed.as_millis(),
                report.written,
                report.unchanged
            );
            if timings {
                for (stage, took) in &report.timings {
                    println!("  {stage:<8} {:>9.1} ms", took.as_secs_f64() * 1e3);
                }
            }
            Ok(())
        }
        Command::Check {
            root,
            drafts,
            verbose,
        } => {
            let diags = gloss::check(&LoadOptions {
                root,
                drafts,
                verbose,
                ..LoadOptions::default()
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
            no_drafts,
        } => {
            let options = gloss::serve::ServeOptions {
                root,
                port,
                bind,
                base_url,
                open,
                poll,
                drafts: !no_drafts,
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
        Command::Init { dir, title } => {
            let written = scaffold::init(&dir, title.as_deref())?;
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
            Ok(())
        }
        Command::New { what, root } => {
            let (what, key) = match what {
                NewCommand::Source { key, entry_type } => {
                    (NewNote::Source(entry_type.entry_type()), key)
                }
                NewCommand::Theme { slug } => (NewNote::Theme, slug),
            };
            let path = scaffold::new_note(&root, what, &key)?;
            println!(
                "wrote {}: fill in its fields, then write below them",
                shown(&path)
            );
            Ok(())
        }
        Command::Import {
            files,
            root,
            dry_run,
            keys_from,
            verbose,
        } => {
            let report = gloss::import(&gloss::ImportOptions {
                root,
                files: files.clone(),
                dry_run,
                keys_from: match keys_from {
                    KeysFromArg::Citekey => gloss::KeysFrom::Citekey,
                    KeysFromArg::File => gloss::KeysFrom::File,
                },
                verbose,
            })?;
            for w in &report.warnings {
                eprintln!("{w}");
            }
            let count = |status| report.changes.iter().filter(|c| c.status == status).count();
            for change in &report.changes {
                let status = match change.status {
                    gloss::Status::New => "new",
                    gloss::Status::Updated => "updated",
                    gloss::Status::Unchanged => "unchanged",
                };
                println!("{status:<10} {}  ({})", change.path, change.from);
            }
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            println!(
                "{} from {}: {} new, {} updated, {} unchanged; {}{}",
                plural(report.changes.len(), "entry").replace("entrys", "entries"),
                plural(files.len(), "file"),
                count(gloss::Status::New),
                count(gloss::Status::Updated),
                count(gloss::Status::Unchanged),
                plural(report.warnings.len(), "warning"),
                if dry_run {
                    " (dry run: nothing written)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Command::Theme {
            what: ThemeCommand::Eject { dir, root },
        } => {
            let dir = dir.unwrap_or_else(|| SiteLayout::new(&root).theme_dir("default"));
            let written = gloss::eject_theme(&dir)?;
            println!(
                "wrote the built-in theme ({} files) into {}: edit them there; site.yaml's `theme: default` now uses this folder",
                written.len(),
                shown(&dir)
            );
            Ok(())
        }
    }
}
