//! Stage 1 of the pipeline: the site's configuration and layout, settled once ([`Setup`]), then
//! its notes read, parsed and resolved into a [`Site`].

use std::collections::HashSet;
use std::path::Path;

use super::{Clock, LoadOptions, Stages};
use crate::bib::{CitationStyle, Library};
use crate::check::lint;
use crate::config::{Config, Publish};
use crate::error::{Diagnostic, Error, Level, Result, summarise};
use crate::graph::{Settings, Site};
use crate::layout::SiteLayout;
use crate::markdown::{self, Scan};
use crate::note::{Excluded, Note, Notes, Reading, Visibility};
use crate::source::{self, Asset, ContentFilter, Folders};

/// What a site's `site.yaml` settles before anything else is read: the configuration, where
/// everything lives (the notes' folder included), and what the walk of the notes leaves out.
/// Resolved once per build and handed to every stage that needs a path.
pub(crate) struct Setup {
    pub(crate) config: Config,
    pub(crate) layout: SiteLayout,
    pub(crate) filter: ContentFilter,
}

impl Setup {
    /// Refuses, unless `options.allow_outside`, a site.yaml whose paths lead out of the site.
    pub(crate) fn load(options: &LoadOptions) -> Result<Setup> {
        let (layout, config) = configure(&options.root, options.base_url.as_deref())?;
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
        })
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
    let Setup {
        config,
        layout,
        filter,
    } = setup;
    let style = CitationStyle::load(&layout, &config).map_err(|d| Error::Content(vec![d]))?;
    let library = Library::load(&layout, &config)?;
    let notes = stages.read(&Reading {
        layout: &layout,
        filter: &filter,
        folders: &Folders::of(&config),
        visibility: Visibility {
            drafts: options.drafts,
            explicit: config.publish == Publish::Explicit,
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
    } = notes;
    if !config.strict {
        // A lenient site publishes what it can: a note that cannot be read is left out, as
        // Obsidian Publish leaves it (a vault's templates hold `{{title}}` front matter).
        for d in diagnostics.iter_mut().filter(|d| d.is_error()) {
            d.level = Level::Warning;
            d.message
                .push_str(" (the note is left out: `strict: false`)");
        }
    }
    diagnostics.extend(library.diagnostics.iter().cloned());
    add_library_sources(
        &library,
        &excluded,
        &mut notes,
        &mut scans,
        &mut diagnostics,
    );
    let settings = Settings {
        layout: &layout,
        preview: options.preview,
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
    let diagnostics = summarise(diagnostics, options.verbose);
    if diagnostics.iter().any(Diagnostic::is_error) {
        stages.recycle(site);
        return Err(Error::Content(diagnostics));
    }
    site.diagnostics = diagnostics;
    Ok((site, assets))
}

/// A source note for every entry of the bibliography files that no note annotates: its page is
/// made from the entry's fields alone. Kept after the notes (which are in path order), in the
/// files' order.
fn add_library_sources(
    library: &Library,
    excluded: &Excluded,
    notes: &mut Vec<Note>,
    scans: &mut Vec<Scan>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if library.is_empty() {
        return;
    }
    let annotated: HashSet<&str> = notes
        .iter()
        .map(|n| n.key.as_str())
        .chain(excluded.unparsed.iter().map(|(_, key)| key.as_str()))
        .collect();
    let fresh: Vec<Note> = library
        .iter()
        .filter(|(key, _)| !annotated.contains(key))
        .map(|(key, entry)| {
            let (note, warnings) = Note::from_library(key, entry);
            diagnostics.extend(warnings);
            note
        })
        .collect();
    scans.extend(fresh.iter().map(|_| Scan::default()));
    notes.extend(fresh);
}
