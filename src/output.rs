//! Writes the built site atomically: everything goes into a staging folder beside the output,
//! which replaces the previous output only once it is complete ([`staging`]). Guards against
//! writing over folders gloss did not make.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::layout::{INPUT_DIRS, SiteLayout};

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

/// Writes into the staging folder of `gloss build`.
pub(crate) struct DiskSink<'a> {
    dir: &'a Path,
    written: AtomicU64,
}

impl<'a> DiskSink<'a> {
    pub(crate) fn new(dir: &'a Path) -> DiskSink<'a> {
        DiskSink {
            dir,
            written: AtomicU64::new(0),
        }
    }

    /// The bytes written and copied so far.
    pub(crate) fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }
}

impl Sink for DiskSink<'_> {
    fn copy(&self, copies: &[CopiedFile]) -> Result<()> {
        let bytes = copy_files(self.dir, copies)?;
        self.written.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    fn prepare(&self, paths: &[String]) {
        make_parent_dirs(self.dir, paths);
    }

    fn emit(&self, file: OutputFile) -> Result<()> {
        let bytes = write_file(self.dir, &file)?;
        self.written.fetch_add(bytes, Ordering::Relaxed);
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

/// Refuses an output folder that would destroy something: the site root, `content/` (or a
/// folder inside it), a folder holding the site, or a non-empty folder gloss did not create.
pub(crate) fn check_output_dir(layout: &SiteLayout, out: &Path) -> Result<()> {
    let root = absolute(layout.root());
    let out_abs = absolute(out);
    let content = absolute(&layout.content_dir());
    if out_abs == root || root.starts_with(&out_abs) {
        return Err(Error::Usage(format!(
            "--out {} would replace the site itself: choose a folder such as public/",
            out.display()
        )));
    }
    if out_abs.starts_with(&content) {
        return Err(Error::Usage(format!(
            "--out {} is inside content/, which gloss never writes to: choose a folder such as public/",
            out.display()
        )));
    }
    for protected in INPUT_DIRS {
        if out_abs == root.join(protected) {
            return Err(Error::Usage(format!(
                "--out {} is the site's {protected}/ folder",
                out.display()
            )));
        }
    }
    if let Ok(link) = fs::read_link(out) {
        return Err(Error::Usage(format!(
            "--out {} is a symbolic link (to {}): gloss replaces its output folder whole, so it does not follow links; pass the folder itself",
            out.display(),
            link.display()
        )));
    }
    if out_abs.is_file() {
        return Err(Error::Usage(format!(
            "--out {} is a file, not a folder",
            out.display()
        )));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let non_empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty {
            return Err(Error::Usage(format!(
                "--out {} is a non-empty folder that gloss did not create; gloss will not replace it. Empty it, or choose another folder",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Writes one generated file under `dir`, creating its folder if it does not exist yet; returns
/// its size.
pub(crate) fn write_file(dir: &Path, file: &OutputFile) -> Result<u64> {
    let to = dir.join(&file.path);
    match fs::write(&to, &*file.bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::write(&to, &*file.bytes).map_err(|e| Error::io(&to, e))?;
        }
        other => other.map_err(|e| Error::io(&to, e))?,
    }
    Ok(file.bytes.len() as u64)
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

/// Copies `copies` into `dir` (a fresh folder), before any page is written so that pages win on
/// a clash. Returns the bytes copied.
pub(crate) fn copy_files(dir: &Path, copies: &[CopiedFile]) -> Result<u64> {
    let mut dirs: Vec<PathBuf> = copies
        .iter()
        .filter_map(|c| Path::new(&c.rel).parent().map(|d| dir.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let copied: Result<Vec<u64>> = copies
        .par_iter()
        .map(|c| {
            let to = dir.join(&c.rel);
            fs::copy(&c.abs, &to).map_err(|e| Error::io(&c.abs, e))
        })
        .collect();
    Ok(copied?.iter().sum())
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
            let entry = entry.map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
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
        assert_eq!(write_file(dir.path(), &file).unwrap(), 8);
        assert_eq!(
            fs::read(dir.path().join("tags/x/index.html")).unwrap(),
            b"<p>x</p>"
        );
        // Writing into a folder made ahead needs no folder of its own.
        let file = OutputFile::new("sources/a/index.html", b"a".as_slice());
        assert_eq!(write_file(dir.path(), &file).unwrap(), 1);
    }
}
