//! Rendered note bodies and pages kept between `gloss serve` builds.
//!
//! A page is reused in one of two ways: without building its template input at all, when the
//! build's [`Plan`](super::plan::Plan) says nothing it reads has changed; or after building its
//! input, when the input has the same 128-bit fingerprint as the one the kept bytes were rendered
//! from. Either way every kept entry is the rendering of its fingerprinted input, so a full
//! comparison is always possible and always right.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use super::Fingerprint;
use crate::cite::Citation;
use crate::error::Diagnostic;
use crate::graph::{BodyResolver, Site};
use crate::markdown::{Embedded, LinkTarget, ResolvedLink, Resolver};
use crate::output::Bytes;
use crate::render::{PageCache, PageInput, PageScope, RenderPage};

/// Which pages a build must check; the others are reused as they are.
#[derive(Debug, Default)]
pub(super) struct Targets {
    pub all: bool,
    pub notes: Vec<bool>,
    pub listings: bool,
}

/// One question the Markdown renderer asked about the site while rendering a body, and the answer.
enum Call {
    Cite(Citation, Vec<bool>, String),
    Resolve(LinkTarget, Option<String>, Option<ResolvedLink>),
    Embed(LinkTarget, Option<String>, Option<Embedded>),
    Asset(String, Option<String>),
    TagUrl(String, String),
    BasePath(String),
}

impl Call {
    /// Whether the site, seen from the same note, gives the same answer now.
    fn holds(&self, site: &BodyResolver<'_>) -> bool {
        match self {
            Call::Cite(c, first, out) => site.citation_html(c, first) == *out,
            Call::Resolve(t, a, out) => site.resolve(t, a.as_deref()) == *out,
            Call::Embed(t, a, out) => site.embed(t, a.as_deref()) == *out,
            Call::Asset(name, out) => site.asset(name) == *out,
            Call::TagUrl(tag, out) => site.tag_url(tag) == *out,
            Call::BasePath(out) => site.base_path() == out,
        }
    }
}

/// The site as the Markdown renderer sees it from one note, with every answer written down.
struct Recorder<'a> {
    site: BodyResolver<'a>,
    calls: RefCell<Vec<Call>>,
}

impl Recorder<'_> {
    fn note(&self, call: Call) {
        self.calls.borrow_mut().push(call);
    }
}

impl Resolver for Recorder<'_> {
    fn citation_html(&self, citation: &Citation, first_use: &[bool]) -> String {
        let out = self.site.citation_html(citation, first_use);
        self.note(Call::Cite(
            citation.clone(),
            first_use.to_vec(),
            out.clone(),
        ));
        out
    }

    fn resolve(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<ResolvedLink> {
        let out = self.site.resolve(target, anchor);
        let anchor = anchor.map(str::to_string);
        self.note(Call::Resolve(target.clone(), anchor, out.clone()));
        out
    }

    fn embed(&self, target: &LinkTarget, anchor: Option<&str>) -> Option<Embedded> {
        let out = self.site.embed(target, anchor);
        let anchor = anchor.map(str::to_string);
        self.note(Call::Embed(target.clone(), anchor, out.clone()));
        out
    }

    fn asset(&self, name: &str) -> Option<String> {
        let out = self.site.asset(name);
        self.note(Call::Asset(name.to_string(), out.clone()));
        out
    }

    fn tag_url(&self, tag: &str) -> String {
        let out = self.site.tag_url(tag);
        self.note(Call::TagUrl(tag.to_string(), out.clone()));
        out
    }

    fn base_path(&self) -> &str {
        let out = self.site.base_path();
        self.note(Call::BasePath(out.to_string()));
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

/// A rendered page and the fingerprint of the template name and input it was rendered from.
#[derive(Clone)]
struct Page {
    key: u128,
    bytes: Arc<[u8]>,
}

/// The rendered bodies (by note path) and pages (by output path) of the previous builds.
#[derive(Default)]
pub(crate) struct RenderMemo {
    /// The templates and site-wide template values the pages were rendered with.
    shared: Option<(Vec<(String, String)>, tera::Context)>,
    /// Read-only while a build renders: its results go to `fresh`.
    pages: HashMap<String, Page>,
    /// This build's new pages, and pages that failed (`None`: forget them).
    fresh: Mutex<Vec<(String, Option<Page>)>>,
    bodies: Mutex<HashMap<String, BodyRecord>>,
    /// While a build checks every page: the bodies of the builds before, until asked for.
    unclaimed: Mutex<HashMap<String, BodyRecord>>,
    targets: Targets,
    /// Check the pages the plan skips too, recording those whose input did change.
    pub(super) verify: bool,
    pub(super) mismatches: Mutex<Vec<String>>,
    pub(super) bodies_rendered: AtomicUsize,
    pub(super) bodies_reused: AtomicUsize,
    pub(super) pages_rendered: AtomicUsize,
    pub(super) pages_reused: AtomicUsize,
    pub(super) pages_skipped: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl RenderMemo {
    /// Sets which pages the next build must check.
    pub(super) fn plan(&mut self, targets: Targets) {
        self.targets = targets;
    }

    /// Whether the last build's templates or site-wide values differed from the ones before.
    pub(super) fn checked_all(&self) -> bool {
        self.targets.all
    }
}

impl PageCache for RenderMemo {
    /// Starts a build: forgets every page if the templates or the site-wide values changed.
    fn begin(&mut self, templates: &[(String, String)], globals: &tera::Context) {
        let same = self
            .shared
            .as_ref()
            .is_some_and(|(t, g)| t.as_slice() == templates && g == globals);
        if !same {
            self.pages.clear();
            self.targets.all = true;
            self.shared = Some((templates.to_vec(), globals.clone()));
        }
        if self.targets.all {
            // Every note's body is asked for: the ones left unclaimed at the end are of notes that
            // are gone.
            let bodies = self
                .bodies
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner);
            *self
                .unclaimed
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner) = std::mem::take(bodies);
        }
        for counter in [
            &self.bodies_rendered,
            &self.bodies_reused,
            &self.pages_rendered,
            &self.pages_reused,
            &self.pages_skipped,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
        lock(&self.mismatches).clear();
    }

    /// Ends a build: what it rendered or reused is what the next build may reuse.
    fn finish(&mut self) {
        let fresh = std::mem::take(self.fresh.get_mut().unwrap_or_else(PoisonError::into_inner));
        if self.targets.all {
            // Every page went through `fresh`: pages of notes that are gone are forgotten.
            self.pages.clear();
        }
        for (path, page) in fresh {
            match page {
                Some(page) => {
                    self.pages.insert(path, page);
                }
                None => {
                    self.pages.remove(&path);
                }
            }
        }
        // Bodies no note asked for (the note is gone) are forgotten.
        lock(&self.unclaimed).clear();
    }

    /// The HTML of note `i`'s body: the previous HTML if the note's path and text are the same and
    /// every citation and link in it resolves as before; else rendered again.
    fn body(&self, site: &Site, i: usize) -> String {
        let note = &site.notes[i];
        let mut f = Fingerprint::new();
        std::io::Write::write_all(&mut f, note.path.as_bytes()).ok();
        std::io::Write::write_all(&mut f, &[0]).ok();
        std::io::Write::write_all(&mut f, note.body.as_bytes()).ok();
        let input = f.finish();
        let old = lock(&self.bodies)
            .remove(&note.path)
            .or_else(|| lock(&self.unclaimed).remove(&note.path));
        let record = match old {
            Some(r)
                if r.input == input && {
                    let now = BodyResolver::new(site, i);
                    r.calls.iter().all(|c| c.holds(&now))
                } =>
            {
                self.bodies_reused.fetch_add(1, Ordering::Relaxed);
                r
            }
            _ => {
                self.bodies_rendered.fetch_add(1, Ordering::Relaxed);
                let recorder = Recorder {
                    site: BodyResolver::new(site, i),
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
        lock(&self.bodies).insert(note.path.clone(), record);
        html
    }

    /// The bytes of the page at `path`: the previous ones if the plan leaves the page out, or if
    /// `template` and `view()` are the same as they were; else `render(&view())`'s.
    fn page(
        &self,
        path: &str,
        scope: PageScope,
        template: &str,
        view: &dyn Fn() -> PageInput,
        render: RenderPage<'_>,
    ) -> Result<Bytes, Diagnostic> {
        let t = &self.targets;
        let planned = t.all
            || match scope {
                PageScope::Note(i) => t.notes.get(i).is_none_or(|&dirty| dirty),
                PageScope::NoteAndListing(i) => {
                    t.listings || t.notes.get(i).is_none_or(|&dirty| dirty)
                }
                PageScope::Listing => t.listings,
            };
        self.page_of(path, planned, template, view, render)
    }
}

/// Renders a view through the named template.
type Render<'a, V> = &'a dyn Fn(&str, &V) -> Result<Vec<u8>, Diagnostic>;

impl RenderMemo {
    /// [`PageCache::page`] for a page the plan says may have changed (`planned`), or not.
    fn page_of<V: Serialize>(
        &self,
        path: &str,
        planned: bool,
        template: &str,
        view: &dyn Fn() -> V,
        render: Render<'_, V>,
    ) -> Result<Bytes, Diagnostic> {
        let old = self.pages.get(path);
        if let Some(old) = old
            && !planned
        {
            self.pages_skipped.fetch_add(1, Ordering::Relaxed);
            if !self.verify {
                self.pages_reused.fetch_add(1, Ordering::Relaxed);
                return Ok(old.bytes.clone());
            }
        }
        let view = view();
        // `None`: the input cannot be fingerprinted, so it matches no kept page and is not kept.
        let key = Fingerprint::of(&(template, &view));
        if let Some(old) = old {
            if key == Some(old.key) {
                self.pages_reused.fetch_add(1, Ordering::Relaxed);
                if self.targets.all {
                    lock(&self.fresh).push((path.to_string(), Some(old.clone())));
                }
                return Ok(old.bytes.clone());
            }
            if !planned {
                lock(&self.mismatches).push(path.to_string());
            }
        }
        self.pages_rendered.fetch_add(1, Ordering::Relaxed);
        match render(template, &view) {
            Ok(bytes) => {
                let bytes: Bytes = bytes.into();
                let page = key.map(|key| Page {
                    key,
                    bytes: bytes.clone(),
                });
                lock(&self.fresh).push((path.to_string(), page));
                Ok(bytes)
            }
            Err(e) => {
                lock(&self.fresh).push((path.to_string(), None));
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use serde::{Serialize, Serializer};

    use super::*;

    /// A view that cannot be serialised, showing `text`.
    struct Failing(&'static str);

    impl Serialize for Failing {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot serialise"))
        }
    }

    /// Two builds of one page whose views both fail to serialise: the second page is rendered
    /// from its own view, never served as the first one's bytes.
    #[test]
    fn a_view_that_cannot_be_fingerprinted_is_never_taken_for_another() {
        let mut memo = RenderMemo::default();
        let renders = Cell::new(0);
        let render = |_: &str, view: &Failing| {
            renders.set(renders.get() + 1);
            Ok(view.0.as_bytes().to_vec())
        };
        let mut build = |text: &'static str| {
            memo.begin(&[], &tera::Context::new());
            let page = memo.page_of(
                "a/index.html",
                true,
                "page.html",
                &|| Failing(text),
                &render,
            );
            memo.finish();
            page.map(|b| b.to_vec())
        };
        assert_eq!(build("old").unwrap(), b"old");
        assert_eq!(build("new").unwrap(), b"new");
        assert_eq!(renders.get(), 2);
    }
}
