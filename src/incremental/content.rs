//! The read stage: the notes, parsed and scanned, and which of them a build publishes. A build
//! with nothing kept reads them all ([`read_fresh`]); `gloss serve`'s cache ([`ContentCache`])
//! reads again only what changed. Both walk the notes' folder with [`source::walk`] and decide
//! what is published, hidden or no note at all in [`published`].
//!
//! The text of a note is reused only when its file's stamp (size, modification and status-change
//! times, inode) is the one recorded when that text was read, the stamp was old enough to be
//! trusted (see [`SETTLE`]), and the watcher did not name the file since. Any change to the set of
//! files in the notes' folder, or anything unexpected, falls back to reading every note, from the
//! same walk.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use super::stamp::{Stamp, Stamps, stamps};
use crate::bib::Library;
use crate::error::{Diagnostic, Result};
use crate::graph::Site;
use crate::markdown::Scan;
use crate::note::{self, Excluded, HiddenNote, Note, Notes, Reading, Visibility};
use crate::source::{self, Asset, SourceFile};

/// Reads every note and parses and scans it, on every core: a build with nothing kept.
pub(crate) fn read_fresh(reading: &Reading<'_>) -> Result<Notes> {
    let source::Content {
        files,
        assets,
        diagnostics,
        refused: unparsed,
        ignored,
    } = source::read_content(reading.layout, reading.filter, reading.folders)?;
    let parsed: Vec<_> = files
        .into_par_iter()
        .map(|file| {
            let name = (file.rel.clone(), file.key.clone());
            (name, note::parse_and_scan(file, reading.library))
        })
        .collect();
    let visibility = reading.visibility.settle(
        parsed
            .iter()
            .filter_map(|(_, (n, _))| n.as_ref().map(|(n, _)| n)),
    );
    let mut read = Notes {
        notes: Vec::with_capacity(parsed.len()),
        scans: Vec::with_capacity(parsed.len()),
        diagnostics,
        assets,
        excluded: Excluded {
            unparsed,
            hidden: Vec::new(),
            ignored,
        },
        visibility,
    };
    for ((rel, key), (scanned, problems)) in parsed {
        let note = scanned.as_ref().map(|(note, _)| note);
        if published(note, &rel, &key, visibility, &mut read.excluded)
            && let Some((note, scan)) = scanned
        {
            read.notes.push(note);
            read.scans.push(scan);
        }
        read.diagnostics.extend(problems);
    }
    Ok(read)
}

/// Whether a file read as `note` (`None`: it is no note, its problem reported) is published; if
/// not, it is recorded among the excluded, so that a reference to it is told from one to nothing.
fn published(
    note: Option<&Note>,
    rel: &str,
    key: &str,
    visibility: Visibility,
    excluded: &mut Excluded,
) -> bool {
    let Some(note) = note else {
        excluded.unparsed.push((rel.to_string(), key.to_string()));
        return false;
    };
    match visibility.hides(note) {
        Some(why) => {
            excluded.hidden.push(HiddenNote::of(note, why));
            false
        }
        None => true,
    }
}

/// One note file as last read, with what was made of it.
struct Record {
    file: SourceFile,
    /// The stamp the text was read under, if settled; `None` means read it again next time.
    stamp: Option<Stamp>,
    /// The note and its scan, unless lent to the build in progress (see [`ContentCache::recycle`]).
    note: Option<Note>,
    scan: Option<Scan>,
    /// The note and scan are out with the build.
    lent: bool,
    diagnostics: Vec<Diagnostic>,
    /// Changes whenever `note` does: pages can tell an unchanged note without comparing it.
    rev: u64,
}

/// How much a read redid.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ReadStats {
    pub files_read: usize,
    pub parsed: usize,
    pub reused: usize,
}

/// The notes of the last read, by file.
#[derive(Default)]
pub(super) struct ContentCache {
    /// In [`source::read_content`]'s order.
    records: Vec<Record>,
    index: HashMap<String, usize>,
    /// The walk of the last read; `None` forces a full read.
    listing: Option<Vec<String>>,
    /// The last full read's problems (files that are not valid UTF-8, bad names) and assets: both
    /// depend only on the set of files, which a fast read has checked to be the same.
    diagnostics: Vec<Diagnostic>,
    assets: Vec<Asset>,
    refused: Vec<(String, String)>,
    ignored: Vec<String>,
    /// The layout and folders the records were classified with.
    settings: String,
    /// Files the watcher named since the last read (paths relative to the root).
    hints: HashSet<String>,
    next_rev: u64,
    /// The revision of each note of the last read, in order.
    pub revs: Vec<u64>,
    /// The revision of the bibliography files' entries (a new one whenever the files change).
    library_rev: u64,
}

impl ContentCache {
    /// The revision of every note of `site`: the read notes', then the bibliography entries'
    /// that no note annotates (which come after them).
    pub(super) fn revs_of(&self, site: &Site) -> Vec<u64> {
        let mut revs = self.revs.clone();
        revs.resize(site.notes.len(), self.library_rev);
        revs
    }

    /// Reads these files again at the next read, whatever their stamps say.
    pub(super) fn hint(&mut self, paths: &[String]) {
        self.hints.extend(paths.iter().cloned());
    }

    /// Forgets every stamp: the next read is a full one.
    pub(super) fn forget(&mut self) {
        self.listing = None;
    }

    /// Reads `content/`, reusing what it can; the result equals a fresh read, parse and scan.
    /// The notes and scans are lent, not copied: hand them back with [`ContentCache::recycle`].
    pub(super) fn read(&mut self, reading: &Reading<'_>) -> Result<(Notes, ReadStats)> {
        let Reading {
            layout,
            filter,
            folders,
            visibility,
            library,
        } = *reading;
        // Notes are classified by the folders site.yaml names: when those change, every note's
        // kind may have.
        // A note's fields come from the bibliography files too: when those change, every note is
        // parsed again.
        let settings = format!("{:?} {:?} {}", layout, folders, library.fingerprint);
        if self.settings != settings {
            *self = ContentCache {
                next_rev: self.next_rev + 1,
                library_rev: self.next_rev,
                settings,
                ..ContentCache::default()
            };
        }
        let root = layout.root();
        if self.records.iter().any(|r| r.lent) {
            // The last build never gave its notes back: start afresh.
            *self = ContentCache {
                next_rev: self.next_rev,
                ..ContentCache::default()
            };
        }
        let walked = SystemTime::now();
        let listing = source::walk(layout, filter, true)?;
        let stamps = stamps(layout, &listing);
        let mut stats = ReadStats::default();
        let fast = match (&stamps, &self.listing) {
            (Some(new), Some(old)) => {
                new.len() == old.len() && new.iter().zip(old).all(|((p, _), o)| p == o)
            }
            _ => false,
        };
        let mut todo = Vec::new();
        let done = fast && {
            let stamps = stamps.as_deref().unwrap_or_default();
            self.read_changed(root, stamps, walked, &mut todo, &mut stats)
        };
        if !done {
            todo.clear();
            stats = ReadStats::default();
            let content = source::read_listed(layout, folders, listing);
            stats.files_read = content.files.len();
            self.read_all(content, stamps, walked, &mut todo);
        }
        self.parse(&todo, library);
        self.hints.clear();
        stats.parsed = todo.len();
        stats.reused = self.records.len() - todo.len();
        Ok((self.output(visibility), stats))
    }

    /// Takes every note of a full read, keeping the records (and so the parsed notes) of files
    /// whose text did not change; the others go to `todo`.
    fn read_all(
        &mut self,
        content: source::Content,
        stamps: Stamps,
        walked: SystemTime,
        todo: &mut Vec<usize>,
    ) {
        let settled: HashMap<&str, Stamp> = stamps
            .iter()
            .flatten()
            .filter_map(|(p, s)| Some((p.as_str(), s.and_then(|s| s.settled(walked))?)))
            .collect();
        let mut old: HashMap<String, Record> = std::mem::take(&mut self.records)
            .into_iter()
            .map(|r| (r.file.path.clone(), r))
            .collect();
        for file in content.files {
            let stamp = settled.get(file.path.as_str()).copied();
            let record = match old.remove(&file.path) {
                Some(mut r) if r.file.kind == file.kind && r.file.key == file.key => {
                    if r.file.text != file.text {
                        todo.push(self.records.len());
                    }
                    r.file = file;
                    r.stamp = stamp;
                    r
                }
                _ => {
                    todo.push(self.records.len());
                    Record {
                        file,
                        stamp,
                        note: None,
                        scan: None,
                        lent: false,
                        diagnostics: Vec::new(),
                        rev: u64::MAX,
                    }
                }
            };
            self.records.push(record);
        }
        self.index = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.file.path.clone(), i))
            .collect();
        self.listing = stamps.map(|l| l.into_iter().map(|(p, _)| p).collect());
        self.diagnostics = content.diagnostics;
        self.assets = content.assets;
        self.refused = content.refused;
        self.ignored = content.ignored;
    }

    /// The fast read: the same files as last time, so only those whose stamps changed (or that the
    /// watcher named) are read again. Returns false if a full read is needed after all.
    fn read_changed(
        &mut self,
        root: &Path,
        listing: &[(String, Option<Stamp>)],
        walked: SystemTime,
        todo: &mut Vec<usize>,
        stats: &mut ReadStats,
    ) -> bool {
        let mut stale = Vec::new();
        for (path, stamp) in listing {
            let Some(stamp) = stamp else { continue };
            // A Markdown file that is not a note was refused by the last full read (not UTF-8, a bad
            // name): only a full read reports it as it does.
            let Some(&i) = self.index.get(path) else {
                return false;
            };
            if self.records[i].stamp != Some(*stamp) || self.hints.contains(path) {
                stale.push((i, *stamp));
            }
        }
        let texts: Vec<Option<String>> = stale
            .par_iter()
            .map(|&(i, _)| {
                let abs = root.join(&self.records[i].file.path);
                // The same step as source::read_content's: the bytes as UTF-8. Anything else (a
                // vanished file, invalid UTF-8) goes through the full read, which reports it.
                String::from_utf8(std::fs::read(abs).ok()?).ok()
            })
            .collect();
        if texts.iter().any(Option::is_none) {
            return false;
        }
        stats.files_read = stale.len();
        for ((i, stamp), text) in stale.into_iter().zip(texts.into_iter().flatten()) {
            let record = &mut self.records[i];
            record.stamp = stamp.settled(walked);
            if record.file.text != text {
                record.file.text = text;
                todo.push(i);
            }
        }
        true
    }

    /// Parses and scans the records at `todo`, keeping the revision of a note that came out equal.
    fn parse(&mut self, todo: &[usize], library: &Library) {
        let records = &self.records;
        let fresh: Vec<(Option<Note>, Vec<Diagnostic>)> = todo
            .par_iter()
            .map(|&i| note::parse_file(&records[i].file, library))
            .collect();
        let mut rescan = Vec::new();
        for (&i, (note, diagnostics)) in todo.iter().zip(fresh) {
            let record = &mut self.records[i];
            if record.rev != u64::MAX && record.note == note && record.diagnostics == diagnostics {
                continue;
            }
            record.rev = self.next_rev;
            self.next_rev += 1;
            record.note = note;
            record.diagnostics = diagnostics;
            rescan.push(i);
        }
        let records = &self.records;
        let scans: Vec<Option<Scan>> = rescan
            .par_iter()
            .map(|&i| records[i].note.as_ref().map(note::scan))
            .collect();
        for (i, scan) in rescan.into_iter().zip(scans) {
            self.records[i].scan = scan;
        }
    }

    /// Notes and scans in order (lent: copying ten thousand notes for every build, and freeing
    /// them after, would cost more than the rest of a one-note rebuild), and every problem.
    fn output(&mut self, visibility: Visibility) -> Notes {
        let visibility = visibility.settle(self.records.iter().filter_map(|r| r.note.as_ref()));
        let mut read = Notes {
            notes: Vec::with_capacity(self.records.len()),
            scans: Vec::with_capacity(self.records.len()),
            diagnostics: self.diagnostics.clone(),
            assets: self.assets.clone(),
            excluded: Excluded {
                unparsed: self.refused.clone(),
                hidden: Vec::new(),
                ignored: self.ignored.clone(),
            },
            visibility,
        };
        self.revs.clear();
        for r in &mut self.records {
            read.diagnostics.extend(r.diagnostics.iter().cloned());
            let (rel, key) = (&r.file.rel, &r.file.key);
            // A hidden note is kept here, not lent: the build never sees it.
            if published(r.note.as_ref(), rel, key, visibility, &mut read.excluded)
                && r.scan.is_some()
            {
                read.notes.extend(r.note.take());
                read.scans.extend(r.scan.take());
                r.lent = true;
                self.revs.push(r.rev);
            }
        }
        read
    }

    /// Takes back the notes and scans [`ContentCache::read`] lent, unchanged and in order.
    pub(super) fn recycle(&mut self, notes: Vec<Note>, scans: Vec<Scan>) {
        let mut returned = notes.into_iter().zip(scans);
        for r in self.records.iter_mut().filter(|r| r.lent) {
            let Some((note, scan)) = returned.next() else {
                break;
            };
            debug_assert_eq!(note.path, r.file.path);
            r.note = Some(note);
            r.scan = Some(scan);
            r.lent = false;
        }
        // Anything not given back leaves a record lent: the next read starts afresh.
    }
}
