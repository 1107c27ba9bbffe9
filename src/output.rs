//! Writes the built site atomically: everything goes into a staging folder beside the output,
//! which replaces the previous output only once it is complete ([`staging`]). Guards against
//! writing over folders gloss did not make.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::layout::{STATIC_DIR, SiteLayout, TEMPLATES_DIR, THEMES_DIR};

mod staging;

pub(crate) use staging::{lock, replace_dir};

/// The file that marks a folder as gloss's output, so a later build may replace it.
pub(crate) const MARKER: &str = ".gloss-output";

/// The bytes of a generated file, shared rather than copied (`gloss serve` keeps the files of
/// unchanged pages from one build to the next).
pub(crate) type Bytes = std::sync::Arc<[u8]>;

/// One generated file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Bytes,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Bytes>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// A file copied as it is (theme and site static files, content assets).
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Relative to the output folder.
    pub rel: String,
    pub abs: PathBuf,
}

/// Where generated files go as they are made.
pub(crate) trait Sink: Sync {
    /// The files to copy as they are, given before any generated file.
    fn copy(&self, copies: &[CopiedFile]) -> Result<()>;
    /// The paths of the pages about to be rendered, in order; runs beside the rendering.
    fn prepare(&self, _paths: &[String]) {}
    fn emit(&self, file: OutputFile) -> Result<()>;
}

/// Writes into the staging folder of `gloss build`, which may hold an earlier output: a file whose
/// bytes are already there is left as it is, and [`DiskSink::prune`] removes what this build did
/// not make.
pub(crate) struct DiskSink<'a> {
    dir: &'a Path,
    written: AtomicU64,
    /// Files written (their bytes differed or they were new), and files found as they were.
    changed: AtomicU64,
    unchanged: AtomicU64,
    made: Mutex<Vec<String>>,
}

impl<'a> DiskSink<'a> {
    pub(crate) fn new(dir: &'a Path) -> DiskSink<'a> {
        DiskSink {
            dir,
            written: AtomicU64::new(0),
            changed: AtomicU64::new(0),
            unchanged: AtomicU64::new(0),
            made: Mutex::new(Vec::new()),
        }
    }

    /// The bytes of every file of the site, written or found as they were.
    pub(crate) fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// How many files this build wrote, and how many it found already as they had to be.
    pub(crate) fn changes(&self) -> (u64, u64) {
        (
            self.changed.load(Ordering::Relaxed),
            self.unchanged.load(Ordering::Relaxed),
        )
    }

    fn made(&self, paths: impl IntoIterator<Item = String>) {
        self.made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(paths);
    }

    fn count(&self, wrote: bool) {
        let counter = if wrote {
            &self.changed
        } else {
            &self.unchanged
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Removes every file and folder of the staging folder this build did not make (what an
    /// earlier output had that this one has not), the marker kept.
    pub(crate) fn prune(&self) -> Result<()> {
        let made: std::collections::HashSet<PathBuf> = self
            .made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|p| self.dir.join(p))
            .collect();
        let mut folders = Vec::new();
        for entry in walkdir::WalkDir::new(self.dir).min_depth(1) {
            let entry = entry.map_err(|e| walk_error(self.dir, e))?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                folders.push(path.to_path_buf());
            } else if !made.contains(path) && entry.depth() > 0 && path != self.dir.join(MARKER) {
                fs::remove_file(path).map_err(|e| Error::io(path, e))?;
            }
        }
        // Deepest first; a folder that still holds something stays.
        for folder in folders.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        Ok(())
    }
}

impl Sink for DiskSink<'_> {
    fn copy(&self, copies: &[CopiedFile]) -> Result<()> {
        let (bytes, wrote) = copy_files(self.dir, copies)?;
        self.written.fetch_add(bytes, Ordering::Relaxed);
        self.changed.fetch_add(wrote, Ordering::Relaxed);
        self.unchanged
            .fetch_add(copies.len() as u64 - wrote, Ordering::Relaxed);
        self.made(copies.iter().map(|c| c.rel.clone()));
        Ok(())
    }

    fn prepare(&self, paths: &[String]) {
        make_parent_dirs(self.dir, paths);
    }

    fn emit(&self, file: OutputFile) -> Result<()> {
        let (bytes, wrote) = write_file(self.dir, &file)?;
        self.written.fetch_add(bytes, Ordering::Relaxed);
        self.count(wrote);
        self.made([file.path]);
        Ok(())
    }
}

/// Keeps every file in memory.
#[derive(Default)]
pub(crate) struct MemorySink {
    files: Mutex<Vec<OutputFile>>,
}

impl MemorySink {
    /// Every file emitted, sorted by path.
    pub(crate) fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for MemorySink {
    fn copy(&self, _copies: &[CopiedFile]) -> Result<()> {
        Ok(())
    }

    fn emit(&self, file: OutputFile) -> Result<()> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
        Ok(())
    }
}

/// A failed step of a walk under `dir`, naming the file or folder it failed at.
pub(crate) fn walk_error(dir: &Path, e: walkdir::Error) -> Error {
    let at = e.path().unwrap_or(dir).to_path_buf();
    Error::io(&at, e.into())
}

/// Resolves `path` to an absolute path even when it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

/// Refuses an output folder that would destroy something or be read back in: the site root or a
/// folder holding it, a folder the site reads (its notes' folder, `templates/`, `themes/`,
/// `static/`) or one inside them, a link, a file, or a non-empty folder gloss did not create.
/// A folder among the notes is let through only when their walk skips it (`skipped`, given its
/// path relative to the notes' folder): a vault's `public/`, or one named in `ignore:`.
pub(crate) fn check_output_dir(
    layout: &SiteLayout,
    skipped: &dyn Fn(&str) -> bool,
    out: &Path,
) -> Result<()> {
    let root = absolute(layout.root());
    let out_abs = absolute(out);
    let content = absolute(&layout.content_dir());
    let refuse = |why: String| Err(Error::Usage(format!("--out {} {why}", out.display())));
    if out_abs == root || root.starts_with(&out_abs) {
        return refuse("would replace the site itself: choose a folder such as public/".into());
    }
    let read = [
        (content.clone(), layout.content_name()),
        (root.join(TEMPLATES_DIR), format!("{TEMPLATES_DIR}/")),
        (root.join(THEMES_DIR), format!("{THEMES_DIR}/")),
        (root.join(STATIC_DIR), format!("{STATIC_DIR}/")),
    ];
    for (dir, name) in &read {
        if out_abs == *dir || dir.starts_with(&out_abs) {
            return refuse(format!("is the site's {name} folder, or holds it"));
        }
    }
    if let Ok(rel) = out_abs.strip_prefix(&content) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !skipped(&rel) {
            return refuse(format!(
                "is inside {}, where gloss reads the notes: each build would read the last one's pages back in as files to copy. Choose a folder outside it, such as public/, or leave it out of the notes with `ignore: [{rel}/]` in site.yaml",
                layout.content_name()
            ));
        }
    }
    for (dir, name) in &read[1..] {
        if out_abs.starts_with(dir) {
            return refuse(format!(
                "is inside {name}, which gloss reads: choose a folder outside it, such as public/"
            ));
        }
    }
    if let Ok(link) = fs::read_link(out) {
        return refuse(format!(
            "is a symbolic link (to {}): gloss replaces its output folder whole, so it does not follow links; pass the folder itself",
            link.display()
        ));
    }
    if out_abs.is_file() {
        return refuse("is a file, not a folder".into());
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let non_empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty {
            return refuse("is a non-empty folder that gloss did not create; gloss will not replace it. Empty it, or choose another folder".into());
        }
    }
    Ok(())
}

/// Whether the file at `to` holds exactly `bytes` (its size is looked at first).
fn holds(to: &Path, bytes: &[u8]) -> bool {
    fs::metadata(to).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(to).is_ok_and(|old| old == bytes)
}

/// Writes one generated file under `dir`, creating its folder if it does not exist yet, unless
/// the file there holds these bytes already; returns its size and whether it was written.
pub(crate) fn write_file(dir: &Path, file: &OutputFile) -> Result<(u64, bool)> {
    let to = dir.join(&file.path);
    let size = file.bytes.len() as u64;
    if holds(&to, &file.bytes) {
        return Ok((size, false));
    }
    match fs::write(&to, &*file.bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::write(&to, &*file.bytes).map_err(|e| Error::io(&to, e))?;
        }
        other => other.map_err(|e| Error::io(&to, e))?,
    }
    Ok((size, true))
}

/// Creates the folder of every file in `paths` under `dir`, one after the other, in the order
/// given. `gloss build` runs this beside the rendering: creating 10,000 folders in one parent is
/// kernel work on one locked directory, cheaper done by one thread that stays ahead of the
/// renderers than by all of them contending for the lock. Failures are left to [`write_file`],
/// which creates a missing folder itself and reports what goes wrong.
pub(crate) fn make_parent_dirs(dir: &Path, paths: &[String]) {
    let mut last: Option<&Path> = None;
    for path in paths {
        let Some(parent) = Path::new(path).parent() else {
            continue;
        };
        if parent.as_os_str().is_empty() || last == Some(parent) {
            continue;
        }
        last = Some(parent);
        let _ = fs::create_dir_all(dir.join(parent));
    }
}

/// Copies `copies` into `dir`, before any page is written so that pages win on a clash, each
/// unless the same bytes are there already. Returns the bytes and how many files were copied.
pub(crate) fn copy_files(dir: &Path, copies: &[CopiedFile]) -> Result<(u64, u64)> {
    let mut dirs: Vec<PathBuf> = copies
        .iter()
        .filter_map(|c| Path::new(&c.rel).parent().map(|d| dir.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let copied: Result<Vec<(u64, bool)>> = copies
        .par_iter()
        .map(|c| {
            let to = dir.join(&c.rel);
            let same = fs::metadata(&to)
                .ok()
                .zip(fs::metadata(&c.abs).ok())
                .is_some_and(|(t, s)| t.len() == s.len())
                && fs::read(&to).ok() == fs::read(&c.abs).ok();
            if same {
                return Ok((fs::metadata(&to).map_or(0, |m| m.len()), false));
            }
            fs::copy(&c.abs, &to)
                .map(|n| (n, true))
                .map_err(|e| Error::io(&c.abs, e))
        })
        .collect();
    let copied = copied?;
    Ok((
        copied.iter().map(|(n, _)| n).sum(),
        copied.iter().filter(|(_, w)| *w).count() as u64,
    ))
}

/// The static files of a build, each from where it comes: the built-in theme's (in the binary),
/// then a `themes/<theme>/static/` folder's over them, then the site's `static/` over both.
/// Returns the files to copy from disk and the built-in ones to write.
pub(crate) fn static_files(
    layout: &SiteLayout,
    theme: &str,
) -> Result<(Vec<CopiedFile>, Vec<OutputFile>)> {
    enum From {
        BuiltIn(&'static [u8]),
        Disk(PathBuf),
    }
    let mut by_rel = std::collections::BTreeMap::new();
    for (rel, bytes) in crate::theme::files("static") {
        by_rel.insert(rel, From::BuiltIn(bytes));
    }
    for dir in [layout.theme_dir(theme).join("static"), layout.static_dir()] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| walk_error(&dir, e))?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                by_rel.insert(rel, From::Disk(entry.path().to_path_buf()));
            }
        }
    }
    let mut copies = Vec::new();
    let mut built_in = Vec::new();
    for (rel, from) in by_rel {
        match from {
            From::Disk(abs) => copies.push(CopiedFile { rel, abs }),
            From::BuiltIn(bytes) => built_in.push(OutputFile::new(rel, bytes)),
        }
    }
    Ok((copies, built_in))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_folders_are_made_ahead_and_missing_ones_on_write() {
        let dir = tempfile::tempdir().unwrap();
        let paths =
            ["index.html", "sources/a/index.html", "sources/b/index.html"].map(String::from);
        make_parent_dirs(dir.path(), &paths);
        assert!(dir.path().join("sources/a").is_dir());
        assert!(dir.path().join("sources/b").is_dir());
        // A folder that was not made ahead is made by the write itself.
        let file = OutputFile::new("tags/x/index.html", b"<p>x</p>".as_slice());
        assert_eq!(write_file(dir.path(), &file).unwrap(), (8, true));
        assert_eq!(
            fs::read(dir.path().join("tags/x/index.html")).unwrap(),
            b"<p>x</p>"
        );
        // Writing into a folder made ahead needs no folder of its own.
        let file = OutputFile::new("sources/a/index.html", b"a".as_slice());
        assert_eq!(write_file(dir.path(), &file).unwrap(), (1, true));
        // The same bytes again are not written.
        assert_eq!(write_file(dir.path(), &file).unwrap(), (1, false));
    }
}
