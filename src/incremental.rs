//! What `gloss serve` keeps between rebuilds so that a one-note edit does not redo the whole
//! pipeline: parsed notes of unchanged files, the APA formatting of unchanged sources, note bodies
//! whose text and resolved references are unchanged, and pages whose template input is unchanged.
//!
//! Every entry is reused only when the inputs of the pure function that made it are equal (or, for
//! pages, have the same 128-bit fingerprint), so a build through a warm [`Cache`] is
//! byte-identical to a clean build. `gloss build` uses no cache at all.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::apa::{self, Reference, SourceInput};
use crate::cite::Citation;
use crate::error::Diagnostic;
use crate::graph::Site;
use crate::markdown::{LinkTarget, ResolvedLink, Resolver};
use crate::note::{self, Note};
use crate::source::SourceFile;

/// Results reused across builds of the same site.
#[derive(Default)]
pub struct Cache {
    notes: HashMap<String, ParsedNote>,
    references: ReferenceCache,
    /// Rendered bodies and pages.
    pub render: RenderMemo,
    stats: Stats,
}

/// How much the last build through a [`Cache`] could reuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub notes_parsed: usize,
    pub notes_reused: usize,
    /// Sources formatted again (their cluster of same-family-name first authors changed).
    pub sources_formatted: usize,
    pub sources_reused: usize,
    /// Note bodies rendered from Markdown again, and reused.
    pub bodies_rendered: usize,
    pub bodies_reused: usize,
    /// Pages rendered through their template again, and reused.
    pub pages_rendered: usize,
    pub pages_reused: usize,
}

struct ParsedNote {
    file: SourceFile,
    result: (Option<Note>, Vec<Diagnostic>),
}

impl Cache {
    /// What the last build reused.
    pub fn stats(&self) -> Stats {
        let r = &self.render;
        let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        Stats {
            bodies_rendered: count(&r.bodies_rendered),
            bodies_reused: count(&r.bodies_reused),
            pages_rendered: count(&r.pages_rendered),
            pages_reused: count(&r.pages_reused),
            ..self.stats
        }
    }

    /// Parses every file, reusing the result for files whose kind, key and text are unchanged.
    pub fn parse_notes(&mut self, files: &[SourceFile]) -> Vec<(Option<Note>, Vec<Diagnostic>)> {
        let unchanged = |f: &SourceFile| {
            self.notes.get(&f.path).is_some_and(|p| {
                p.file.kind == f.kind && p.file.key == f.key && p.file.text == f.text
            })
        };
        let fresh: Vec<Option<(Option<Note>, Vec<Diagnostic>)>> = files
            .par_iter()
            .map(|f| (!unchanged(f)).then(|| note::parse(f.kind, &f.key, &f.path, &f.text)))
            .collect();
        let mut out = Vec::with_capacity(files.len());
        let mut kept = HashMap::with_capacity(files.len());
        let (mut parsed, mut reused) = (0, 0);
        for (file, fresh) in files.iter().zip(fresh) {
            let result = match fresh {
                Some(result) => {
                    parsed += 1;
                    result
                }
                None => {
                    reused += 1;
                    let old = self.notes.remove(&file.path).map(|p| p.result);
                    old.unwrap_or_else(|| note::parse(file.kind, &file.key, &file.path, &file.text))
                }
            };
            out.push(result.clone());
            kept.insert(
                file.path.clone(),
                ParsedNote {
                    file: file.clone(),
                    result,
                },
            );
        }
        self.notes = kept;
        self.stats.notes_parsed = parsed;
        self.stats.notes_reused = reused;
        out
    }

    /// The APA formatting of every source, formatting again only the clusters that changed.
    pub fn references(&mut self, inputs: &[SourceInput<'_>]) -> BTreeMap<String, Reference> {
        let (map, formatted, reused) = self.references.format(inputs);
        self.stats.sources_formatted = formatted;
        self.stats.sources_reused = reused;
        map
    }
}

/// Formatted sources by cluster (see [`apa::cluster_key`]): a cluster is formatted again only
/// when one of its sources' bibliographic fields, title or key changed, or a source joined or left it.
#[derive(Default)]
struct ReferenceCache {
    clusters: HashMap<String, (String, Vec<(String, Reference)>)>,
}

impl ReferenceCache {
    fn format(
        &mut self,
        inputs: &[SourceInput<'_>],
    ) -> (BTreeMap<String, Reference>, usize, usize) {
        let mut clusters: BTreeMap<String, Vec<&SourceInput<'_>>> = BTreeMap::new();
        for input in inputs {
            clusters
                .entry(apa::cluster_key(input.meta))
                .or_default()
                .push(input);
        }
        let fingerprint = |members: &[&SourceInput<'_>]| {
            members
                .iter()
                .map(|s| format!("{:?}\u{1}{:?}\u{1}{:?}\u{2}", s.key, s.title, s.meta))
                .collect::<String>()
        };
        let mut out = BTreeMap::new();
        let mut stale: Vec<(String, String)> = Vec::new();
        let mut to_format: Vec<SourceInput<'_>> = Vec::new();
        let mut reused = 0;
        for (cluster, members) in &clusters {
            let print = fingerprint(members);
            match self.clusters.get(cluster) {
                Some((old, refs)) if *old == print => {
                    reused += refs.len();
                    out.extend(refs.iter().cloned());
                }
                _ => {
                    to_format.extend(members.iter().map(|s| SourceInput {
                        key: s.key,
                        title: s.title,
                        meta: s.meta,
                    }));
                    stale.push((cluster.clone(), print));
                }
            }
        }
        let formatted = to_format.len();
        let fresh = if to_format.is_empty() {
            BTreeMap::new()
        } else {
            apa::format_all(&to_format)
        };
        self.clusters.retain(|k, _| clusters.contains_key(k));
        for (cluster, print) in stale {
            let refs: Vec<(String, Reference)> = clusters[&cluster]
                .iter()
                .filter_map(|s| fresh.get(s.key).map(|r| (s.key.to_string(), r.clone())))
                .collect();
            self.clusters.insert(cluster, (print, refs));
        }
        out.extend(fresh);
        (out, formatted, reused)
    }
}

/// A 128-bit fingerprint of bytes written to it (two differently seeded SipHash states).
struct Fingerprint(DefaultHasher, DefaultHasher);

impl Fingerprint {
    fn new() -> Self {
        let mut second = DefaultHasher::new();
        second.write(b"gloss-fingerprint");
        Fingerprint(DefaultHasher::new(), second)
    }

    fn of(value: &impl Serialize) -> u128 {
        let mut f = Fingerprint::new();
        // Serialising plain view structs into a hasher cannot fail; a failure only costs a render.
        if serde_json::to_writer(&mut f, value).is_err() {
            return 0;
        }
        f.finish()
    }

    fn finish(&self) -> u128 {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One question the Markdown renderer asked about the site while rendering a body, and the answer.
enum Call {
    Cite(Citation, String),
    Resolve(LinkTarget, Option<String>, Option<ResolvedLink>),
    BasePath(String),
}

impl Call {
    /// Whether the site gives the same answer now.
    fn holds(&self, site: &Site) -> bool {
        match self {
            Call::Cite(c, out) => site.citation_html(c) == *out,
            Call::Resolve(t, a, out) => Resolver::resolve(site, t, a.as_deref()) == *out,
            Call::BasePath(out) => Resolver::base_path(site) == out,
        }
    }
}

/// The site as the Markdown renderer sees it, with every answer written down.
struct Recorder<'a> {
    site: &'a Site,
    calls: RefCell<Vec<Call>>,
}

impl Resolver for Recorder<'_> {
    fn citation_html(&self, citation: &Citation) -> String {
        let out = self.site.citation_html(citation);
        self.calls
            .borrow_mut()
            .push(Call::Cite(citation.clone(), out.clone()));
        out
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        let out = Resolver::resolve(self.site, target, anchor);
        self.calls.borrow_mut().push(Call::Resolve(
            target.clone(),
            anchor.map(str::to_string),
            out.clone(),
        ));
        out
    }

    fn base_path(&self) -> &str {
        let out = Resolver::base_path(self.site);
        self.calls
            .borrow_mut()
            .push(Call::BasePath(out.to_string()));
        out
    }
}

/// A rendered body: the fingerprint of the note's path and Markdown, what the renderer asked,
/// and the HTML. Rendering is a pure function of these, so equal inputs and answers give the
/// same HTML.
struct BodyRecord {
    input: u128,
    calls: Vec<Call>,
    html: String,
}

/// The previous build's rendered bodies (by note path) and pages (by output path).
#[derive(Default)]
pub struct RenderMemo {
    /// The templates and site-wide template values the pages were rendered with.
    shared: Option<(Vec<(String, String)>, tera::Context)>,
    pages: Mutex<HashMap<String, (u128, Vec<u8>)>>,
    bodies: Mutex<HashMap<String, BodyRecord>>,
    next_pages: Mutex<HashMap<String, (u128, Vec<u8>)>>,
    next_bodies: Mutex<HashMap<String, BodyRecord>>,
    bodies_rendered: AtomicUsize,
    bodies_reused: AtomicUsize,
    pages_rendered: AtomicUsize,
    pages_reused: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl RenderMemo {
    /// Starts a build: forgets every page if the templates or the site-wide values changed.
    pub fn begin(&mut self, templates: &[(String, String)], globals: &tera::Context) {
        let same = self
            .shared
            .as_ref()
            .is_some_and(|(t, g)| t.as_slice() == templates && g == globals);
        if !same {
            lock(&self.pages).clear();
            self.shared = Some((templates.to_vec(), globals.clone()));
        }
        for counter in [
            &self.bodies_rendered,
            &self.bodies_reused,
            &self.pages_rendered,
            &self.pages_reused,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }

    /// Ends a build: what it rendered or reused is what the next build may reuse.
    pub fn finish(&mut self) {
        *self
            .pages
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            std::mem::take(&mut *lock(&self.next_pages));
        *self
            .bodies
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            std::mem::take(&mut *lock(&self.next_bodies));
    }

    /// The HTML of note `i`'s body: the previous HTML if the note's path and text are the same and
    /// every citation and link in it resolves as before; else rendered again.
    pub fn body(&self, site: &Site, i: usize) -> String {
        let note = &site.notes[i];
        let mut f = Fingerprint::new();
        std::io::Write::write_all(&mut f, note.path.as_bytes()).ok();
        std::io::Write::write_all(&mut f, &[0]).ok();
        std::io::Write::write_all(&mut f, note.body.as_bytes()).ok();
        let input = f.finish();
        let old = lock(&self.bodies).remove(&note.path);
        let record = match old {
            Some(r) if r.input == input && r.calls.iter().all(|c| c.holds(site)) => {
                self.bodies_reused.fetch_add(1, Ordering::Relaxed);
                r
            }
            _ => {
                self.bodies_rendered.fetch_add(1, Ordering::Relaxed);
                let recorder = Recorder {
                    site,
                    calls: RefCell::new(Vec::new()),
                };
                let html = site.render_body_with(i, &recorder);
                BodyRecord {
                    input,
                    calls: recorder.calls.into_inner(),
                    html,
                }
            }
        };
        let html = record.html.clone();
        lock(&self.next_bodies).insert(note.path.clone(), record);
        html
    }

    /// The bytes of the page at `path`: the previous ones if `template` and `view` are the same,
    /// else `render()`'s.
    pub fn page<E>(
        &self,
        path: &str,
        template: &str,
        view: impl Serialize,
        render: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        let key = Fingerprint::of(&(template, view));
        let old = lock(&self.pages).remove(path);
        let bytes = match old {
            Some((k, bytes)) if k == key => {
                self.pages_reused.fetch_add(1, Ordering::Relaxed);
                bytes
            }
            _ => {
                self.pages_rendered.fetch_add(1, Ordering::Relaxed);
                render()?
            }
        };
        lock(&self.next_pages).insert(path.to_string(), (key, bytes.clone()));
        Ok(bytes)
    }
}
