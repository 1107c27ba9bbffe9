//! The command line: what `gloss` accepts, with the help text of every command and option.
//! Parsing only; each command runs in `cmd/<command>.rs`.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use gloss::note::EntryType;

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
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Build the site into public/ (or --out). The previous output is replaced only on success.
    Build(BuildArgs),
    /// Check every note, citation, link and template without writing anything.
    Check(CheckArgs),
    /// Serve the site locally while you write: rebuilds on every save and reloads the browser.
    ///
    /// The site is built in memory (public/ and content/ are never written). Build errors are
    /// printed here and shown over the last good page until the next good build. Drafts are
    /// shown, marked as drafts.
    Serve(ServeArgs),
    /// Create a working review in DIR: site.yaml, a home page, an example source and theme,
    /// templates/, .gitignore and a GitHub Pages workflow. Never overwrites a file.
    Init(InitArgs),
    /// Write a new note with every field of its kind, ready to fill in.
    New(NewArgs),
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
    Import(ImportArgs),
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
}

/// `--root`, which every command working on a site takes.
#[derive(Args)]
pub(crate) struct Site {
    /// The site's folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

#[derive(Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) site: Site,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Override site.yaml's base_url, e.g. https://someone.github.io/review/
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Publish drafts (notes with `draft: true`) too.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Do not print warnings (errors are always printed).
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Print every warning on its own line (warnings of one kind are otherwise summed up).
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Fail on any warning, as `strict: true` in site.yaml does (for CI).
    #[arg(long)]
    pub(crate) strict: bool,
    /// Print how long each stage took (read, resolve, plan, render, extras, write, search).
    #[arg(long)]
    pub(crate) timings: bool,
    /// Read what site.yaml names outside the site's folder (`content_dir: ../notes`, an absolute
    /// or `..` bibliography or style): refused by default, so that building someone else's
    /// site reads nothing else.
    #[arg(long)]
    pub(crate) allow_outside: bool,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) site: Site,
    /// Check as `gloss build --drafts` would build.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Read what site.yaml names outside the site's folder (`content_dir: ../notes`, an absolute
    /// or `..` bibliography or style): refused by default, so that building someone else's
    /// site reads nothing else.
    #[arg(long)]
    pub(crate) allow_outside: bool,
    /// Print every warning on its own line (warnings of one kind are otherwise summed up).
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Fail on any warning, as `strict: true` in site.yaml does (for CI).
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) site: Site,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// The address to listen on; anything but a loopback address exposes the draft to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Build with this base URL and serve under its path, e.g. https://someone.github.io/review/
    /// to preview a project site at /review/ [default: http://127.0.0.1:PORT/]
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Open the site in the default browser (prints the URL if none can be started).
    #[arg(long)]
    pub(crate) open: bool,
    /// Poll for changes every half second instead of using file-system notifications
    /// (for network drives and WSL mounts, where notifications do not arrive).
    #[arg(long)]
    pub(crate) poll: bool,
    /// Hide drafts, as `gloss build` does.
    #[arg(long)]
    pub(crate) no_drafts: bool,
    /// Read what site.yaml names outside the site's folder (`content_dir: ../notes`, an absolute
    /// or `..` bibliography or style): refused by default, so that building someone else's
    /// site reads nothing else.
    #[arg(long)]
    pub(crate) allow_outside: bool,
    /// Import from Zotero's database at start and again whenever Zotero changes it, so a
    /// highlight made there appears on the page (DATA_DIR: Zotero's data folder, by default
    /// ~/Zotero; site.yaml's `zotero: watch: DATA_DIR` does the same).
    #[arg(long, value_name = "DATA_DIR", num_args = 0..=1, default_missing_value = "")]
    pub(crate) zotero: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct InitArgs {
    /// The folder to create the review in (made if missing).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The review's title [default: from the folder's name].
    #[arg(long)]
    pub(crate) title: Option<String>,
}

#[derive(Args)]
pub(crate) struct NewArgs {
    #[command(subcommand)]
    pub(crate) what: NewCommand,
    /// The site's folder (the one holding site.yaml).
    #[arg(long, default_value = ".", global = true)]
    pub(crate) root: PathBuf,
}

#[derive(Subcommand)]
pub(crate) enum NewCommand {
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

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The library files (.bib, .json, .yaml).
    #[arg(
        required_unless_present = "zotero",
        conflicts_with = "zotero",
        value_name = "FILE"
    )]
    pub(crate) files: Vec<PathBuf>,
    /// Read Zotero's own database (zotero.sqlite in DATA_DIR, by default ~/Zotero), with each
    /// item's annotations and child notes, and its tags. Zotero may stay open: gloss never
    /// writes the database nor locks it.
    #[arg(long, value_name = "DATA_DIR", num_args = 0..=1)]
    pub(crate) zotero: Option<Option<PathBuf>>,
    /// With --zotero: only the items of this collection (and its sub-collections); repeatable.
    #[arg(long, value_name = "NAME", requires = "zotero")]
    pub(crate) collection: Vec<String>,
    /// With --zotero: only the items with this tag; repeatable.
    #[arg(long, value_name = "TAG", requires = "zotero")]
    pub(crate) tag: Vec<String>,
    #[command(flatten)]
    pub(crate) site: Site,
    /// Print what would change and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Which key a note gets: `citekey`, the entry's citation key; `file`, the key (file
    /// name) of an existing note whose `citekey:` field names the entry, so that notes
    /// named otherwise are updated in place (the citation key for entries no note names).
    #[arg(long, value_enum, default_value = "citekey", value_name = "FROM")]
    pub(crate) keys_from: KeysFrom,
    /// Name every field left out entry by entry (the fields no style prints, such as
    /// keywords and attached files, are otherwise summed up in one line per file).
    #[arg(long, short)]
    pub(crate) verbose: bool,
}

#[derive(Subcommand)]
pub(crate) enum ThemeCommand {
    /// Write the built-in theme to DIR (default: themes/default/ of --root) to change it there.
    Eject {
        dir: Option<PathBuf>,
        #[command(flatten)]
        site: Site,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KeysFrom {
    Citekey,
    File,
}

impl From<KeysFrom> for gloss::KeysFrom {
    fn from(keys: KeysFrom) -> gloss::KeysFrom {
        match keys {
            KeysFrom::Citekey => gloss::KeysFrom::Citekey,
            KeysFrom::File => gloss::KeysFrom::File,
        }
    }
}

/// A source's type as `--type` takes it: the values are [`EntryType`]'s own names, from its own
/// list, so a type added there is accepted here.
#[derive(Clone, Copy)]
pub(crate) struct SourceType(pub(crate) EntryType);

static SOURCE_TYPES: LazyLock<Vec<SourceType>> =
    LazyLock::new(|| EntryType::ALL.into_iter().map(SourceType).collect());

impl ValueEnum for SourceType {
    fn value_variants<'a>() -> &'a [Self] {
        &SOURCE_TYPES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn every_entry_type_is_a_type_value_under_its_own_name() {
        for t in EntryType::ALL {
            let parsed = SourceType::from_str(t.as_str(), false).unwrap();
            assert_eq!(parsed.0, t);
        }
        assert!(SourceType::from_str("journal", false).is_err());
    }
}
