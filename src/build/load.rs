//! Stage 1 of the pipeline: the site's configuration and layout, settled once ([`Setup`]), then
//! its notes read, parsed and resolved into a [`Site`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Clock, LoadOptions, Stages};
use crate::bib::{CitationStyle, Library};
use crate::check::lint;
use crate::config::{Config, Origin};
use crate::error::{Diagnostic, Error, Level, Result, summarise};
use crate::graph::{Settings, Site};
use crate::layout::{CONFIG_FILE, SiteLayout};
use crate::markdown::{self, LinkTarget, Scan};
use crate::note::{Excluded, Note, Notes, Reading, UNKNOWN_FIELD, Visibility};
use crate::source::{self, Asset, ContentFilter, Folders};
use crate::text::count;

/// What a site's `site.yaml` settles before anything else is read: the configuration, where
/// everything lives (the notes' folder included), and what the walk of the notes leaves out.
/// Resolved once per build and handed to every stage that needs a path.
pub(crate) struct Setup {
    pub(crate) config: Config,
    pub(crate) layout: SiteLayout,
    pub(crate) filter: ContentFilter,
    /// The library file found in the vault when `site.yaml` names none (`vault_library`).
    found_library: Option<String>,
}

impl Setup {
    /// Refuses, unless `options.allow_outside`, a site.yaml whose paths lead out of the site.
    pub(crate) fn load(options: &LoadOptions) -> Result<Setup> {
        let (layout, mut config) = configure(&options.root, options.base_url.as_deref())?;
        let found_library = match config.bibliography.is_empty() {
            true => super::vault_library::find(&layout),
            false => None,
        };
        if let Some(file) = &found_library {
            config.bibliography = vec![(file.clone(), 0)];
        }
        if !options.allow_outside {
            let outside = super::outside::outside(&layout, &config);
            if !outside.is_empty() {
                return Err(Error::Content(outside));
            }
        }
        let filter = ContentFilter::new(&layout, &config)?;
        Ok(Setup {
            config,
            layout,
            filter,
            found_library,
        })
    }

    /// The lines saying how the site was read: where its settings and its library come from.
    fn notes(&self) -> Vec<Diagnostic> {
        let library = self.found_library.as_ref().map(|file| {
            Diagnostic::note(
                CONFIG_FILE,
                format!(
                    "the vault's library {file} is read (site.yaml names no `bibliography:`): its entries are the sources notes cite; `bibliography:` in site.yaml names others"
                ),
            )
        });
        self.origin_note().into_iter().chain(library).collect()
    }

    /// The one line saying where the settings came from, when there is no `site.yaml`.
    fn origin_note(&self) -> Option<Diagnostic> {
        let message = match self.config.origin {
            Origin::SiteYaml => return None,
            Origin::Vault => {
                "no site.yaml: this folder is built as an Obsidian vault (it has .obsidian/), as it is, with the default settings; a site.yaml with `content_dir: .` changes them"
            }
            Origin::Quartz => {
                "no site.yaml: this Quartz site's content/ is built as it is, with the default settings (its title and base URL from quartz.config.ts); a site.yaml changes them"
            }
            Origin::Hugo => {
                "no site.yaml: this Hugo site's content/ is built as it is, with the default settings (its title and base URL from its configuration); a site.yaml changes them"
            }
        };
        Some(Diagnostic::note(CONFIG_FILE, message))
    }
}

/// The configuration of the site at `root` and the layout it gives.
pub(crate) fn configure(root: &Path, base_url: Option<&str>) -> Result<(SiteLayout, Config)> {
    let layout = SiteLayout::new(root);
    let config = Config::load(&layout, base_url)?;
    let layout = layout.with_content(config.content_dir.as_deref());
    Ok((layout, config))
}

/// Reads the notes and resolves them, through `stages`. Content errors come back as
/// `Error::Content` holding every diagnostic, warnings too.
pub(super) fn load_site(
    options: &LoadOptions,
    setup: Setup,
    stages: &mut impl Stages,
    clock: &mut Clock,
) -> Result<(Site, Vec<Asset>)> {
    let said = setup.notes();
    let found_library = setup.found_library.is_some();
    let Setup {
        config,
        layout,
        filter,
        ..
    } = setup;
    let style = CitationStyle::load(&layout, &config).map_err(|d| Error::Content(vec![d]))?;
    let library = Library::load(&layout, &config)?;
    let notes = stages.read(&Reading {
        layout: &layout,
        filter: &filter,
        folders: &Folders::of(&config),
        visibility: Visibility {
            drafts: options.drafts,
            publish: config.publish,
            marked: 0,
        },
        library: &library,
    })?;
    clock.lap("read");
    let Notes {
        mut notes,
        mut scans,
        mut diagnostics,
        assets,
        excluded,
        visibility,
    } = notes;
    if visibility.marked > 0 {
        diagnostics.push(Diagnostic::note(
            CONFIG_FILE,
            format!(
                "{} `publish: true`, so only {} published (`publish: auto`, the default); `publish: all` in site.yaml publishes every note but drafts",
                count(visibility.marked, "note says", "notes say"),
                if visibility.marked == 1 { "it is" } else { "they are" }
            ),
        ));
    }
    if config.strict == Some(false) {
        // A lenient site publishes what it can: a note that cannot be read is left out, as
        // Obsidian Publish leaves it (a vault's templates hold `{{title}}` front matter).
        for d in diagnostics.iter_mut().filter(|d| d.is_error()) {
            d.level = Level::Warning;
            d.message
                .push_str(" (the note is left out: `strict: false`)");
        }
    }
    // A library gloss found, not one the site named: what it cannot read is said, and the
    // build goes on without it.
    diagnostics.extend(library.diagnostics.iter().cloned().map(|mut d| {
        if found_library && d.is_error() {
            d.level = Level::Warning;
        }
        d
    }));
    diagnostics.extend(said);
    add_library_sources(
        LibrarySources {
            library: &library,
            excluded: &excluded,
            only_cited: found_library,
        },
        &mut notes,
        &mut scans,
        &mut diagnostics,
    );
    let settings = Settings {
        layout: &layout,
        markdown: markdown::Settings {
            // Obsidian breaks lines where the note does, unless the vault says otherwise.
            hard_breaks: config.hard_line_breaks.unwrap_or_else(|| {
                source::obsidian_strict_line_breaks(&layout.content_dir())
                    .is_some_and(|strict| !strict)
            }),
            ..markdown::Settings::default()
        },
        style: style.clone(),
    };
    let mut site = Site::resolve(
        config,
        notes,
        scans,
        &excluded,
        &assets,
        settings,
        &mut |inputs, cited| stages.format(&style, inputs, cited),
    );
    site.diagnostics.extend(lint(&site, options.verbose));
    clock.lap("resolve");
    diagnostics.append(&mut site.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    let mut diagnostics = summarise(one_per_field(diagnostics, options.verbose), options.verbose);
    // `strict: true` or `--strict` (for CI): every warning fails the build, each family still
    // one line. A preview shows what it can.
    if (options.strict || site.config.strict == Some(true)) && !options.preview {
        for d in &mut diagnostics {
            d.level = Level::Error;
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        stages.recycle(site);
        return Err(Error::Content(diagnostics));
    }
    site.diagnostics = diagnostics;
    Ok((site, assets))
}

/// The warnings about an unknown front-matter field, one line per field name across the site
/// (`public` in 170 notes is one line), unless `verbose`; in order, as given.
fn one_per_field(diags: Vec<Diagnostic>, verbose: bool) -> Vec<Diagnostic> {
    if verbose {
        return diags;
    }
    let mut notes: HashMap<String, usize> = HashMap::new();
    for d in diags
        .iter()
        .filter(|d| d.family.as_deref() == Some(UNKNOWN_FIELD))
    {
        *notes.entry(d.message.clone()).or_default() += 1;
    }
    let mut said = HashSet::new();
    diags
        .into_iter()
        .filter_map(|d| {
            if d.family.as_deref() != Some(UNKNOWN_FIELD) {
                return Some(d);
            }
            let n = notes[&d.message];
            let first = said.insert(d.message.clone());
            first.then(|| Diagnostic {
                message: match n {
                    1 => d.message.clone(),
                    n => format!(
                        "{} in {n} notes (this is the first; --verbose lists each)",
                        d.message
                    ),
                },
                family: None,
                ..d
            })
        })
        .collect()
}

/// Which entries of the bibliography files become sources of their own.
struct LibrarySources<'a> {
    library: &'a Library,
    excluded: &'a Excluded,
    /// A library gloss found in a vault rather than one site.yaml names: only the entries the
    /// notes cite or link to, as the vault's own tools publish no page for the others.
    only_cited: bool,
}

/// A source note for every entry of the bibliography files that no note annotates: its page is
/// made from the entry's fields alone. Kept after the notes (which are in path order), in the
/// files' order. From a found library, an entry whose note is left out (a draft, `publish:
/// false`, or not marked in a site that publishes only marked notes) stays out with it, as the
/// vault's tools would keep it back; a library site.yaml names publishes such an entry alone,
/// without the note's text.
fn add_library_sources(
    from: LibrarySources<'_>,
    notes: &mut Vec<Note>,
    scans: &mut Vec<Scan>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if from.library.is_empty() {
        return;
    }
    let annotated: HashSet<&str> = notes
        .iter()
        .map(|n| n.key.as_str())
        .chain(from.excluded.unparsed.iter().map(|(_, key)| key.as_str()))
        .chain(
            from.excluded
                .hidden
                .iter()
                .filter(|_| from.only_cited)
                .map(|h| h.key.as_str()),
        )
        .collect();
    // Only a found library is narrowed to what the notes refer to: a named one skips this pass.
    let referred: HashSet<&str> = scans
        .iter()
        .filter(|_| from.only_cited)
        .flat_map(|scan| {
            let cited = scan
                .citations
                .iter()
                .flat_map(|c| c.citation.items.iter().map(|item| item.key.as_str()));
            let linked = scan.links.iter().filter_map(|l| match &l.target {
                LinkTarget::Key(name) => Some(name.trim_start_matches('@')),
                LinkTarget::File(_) => None,
            });
            cited.chain(linked)
        })
        .collect();
    let fresh: Vec<Note> = from
        .library
        .iter()
        .filter(|(key, _)| !annotated.contains(key))
        .filter(|(key, _)| !from.only_cited || referred.contains(key))
        .map(|(key, entry)| {
            let (note, warnings) = Note::from_library(key, entry);
            diagnostics.extend(warnings);
            note
        })
        .collect();
    scans.extend(fresh.iter().map(|_| Scan::default()));
    notes.extend(fresh);
}
