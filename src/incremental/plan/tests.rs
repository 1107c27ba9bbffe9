//! The plan against a clean comparison: a small review is edited step by step, and after each
//! step every page whose template input differs from the step before must be one the plan marks
//! (the others it lets the build reuse unseen); and a few edits must mark no more than they
//! need to.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::Plan;
use crate::build::{LoadOptions, load};
use crate::graph::Site;
use crate::incremental::Fingerprint;
use crate::render::{PageScope, page_inputs};

/// A small review: sources citing each other, two themes, a page linking and embedding, a home.
const FILES: &[(&str, &str)] = &[
    ("site.yaml", "title: Plan\nbase_url: https://example.org/\n"),
    (
        "content/sources/alpha2020.md",
        "---\ntype: book\ntitle: \"Trust at a distance\"\nauthors: [\"Alpha, Ann\"]\nyear: 2020\npublisher: \"P\"\ntags: [trust]\n---\nAlpha argues that trust grows slowly, building on [@beta2019].\n\nA second paragraph.\n",
    ),
    (
        "content/sources/beta2019.md",
        "---\ntype: book\ntitle: \"States under strain\"\nauthors: [\"Beta, Bo\"]\nyear: 2019\npublisher: \"P\"\ntags: [trust, doubt]\n---\nBeta studies states under strain.\n",
    ),
    (
        "content/sources/gamma2021.md",
        "---\ntype: article\ntitle: \"Not yet read\"\nauthors: [\"Gamma, Gil\"]\nyear: 2021\ncontainer: \"J\"\ntags: [doubt]\n---\n",
    ),
    (
        "content/sources/delta2018.md",
        "---\ntype: article\ntitle: \"Old ties\"\nauthors: [\"Delta, Dee\"]\nyear: 2018\ncontainer: \"J\"\n---\nDelta traces old ties [@beta2019].\n",
    ),
    (
        "content/themes/trust.md",
        "---\ntitle: \"Trust\"\nsummary: \"How trust is built.\"\n---\nTrust first [@alpha2020], then strain [@beta2019].\n",
    ),
    (
        "content/themes/doubt.md",
        "---\ntitle: \"Doubt\"\n---\nDoubt follows [@gamma2021]. See [[trust]].\n",
    ),
    (
        "content/notes.md",
        "---\ntitle: \"Notes\"\n---\nRead [[alpha2020]] and [[beta2019|Beta's book]].\n\n![[delta2018]]\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: \"Home\"\n---\nStart with [[trust]].\n",
    ),
];

struct Review {
    dir: tempfile::TempDir,
}

impl Review {
    fn new() -> Review {
        let review = Review {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        for (rel, text) in FILES {
            review.write(rel, text);
        }
        review
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.root().join(rel)).expect("the file");
        assert!(text.contains(from), "{rel} holds {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// The site as it is now, with each note's revision (a fingerprint of its file).
    fn load(&self) -> (Site, Vec<u64>) {
        let options = LoadOptions {
            root: self.root().to_path_buf(),
            drafts: true,
            preview: true,
            ..LoadOptions::default()
        };
        let (site, _) = load(&options).expect("the review loads");
        let revs = site
            .notes
            .iter()
            .map(|n| {
                let text = std::fs::read(self.root().join(&n.path)).unwrap_or_default();
                let mut f = Fingerprint::new();
                f.write_all(&text).ok();
                f.finish() as u64
            })
            .collect();
        (site, revs)
    }
}

/// What one step's plan marked, and the pages whose input changed.
struct Step {
    plan: Plan,
    changed: Vec<String>,
    /// The pages of notes the plan marked, by path.
    marked: Vec<String>,
}

/// Plans `new` against `old` as a warm build would, and checks that no page whose input
/// changed is left unmarked.
fn step(old: &(Site, Vec<u64>), new: &(Site, Vec<u64>), what: &str) -> Step {
    let seen = Plan::full("test").into_seen(None, &old.0, &old.1);
    let references: Vec<String> = new
        .0
        .references
        .iter()
        .filter(|(k, r)| old.0.references.get(*k) != Some(r))
        .map(|(k, _)| k.clone())
        .collect();
    let plan = Plan::new(Some(&seen), &new.0, &new.1, &references);
    let before: HashMap<String, String> = page_inputs(&old.0)
        .into_iter()
        .map(|(path, _, input)| (path, input))
        .collect();
    let mut changed = Vec::new();
    let mut missed = Vec::new();
    for (path, scope, input) in page_inputs(&new.0) {
        if before.get(&path).is_none_or(|b| *b == input) {
            continue;
        }
        let marked = plan.full.is_some()
            || match scope {
                PageScope::Note(i) => plan.notes[i],
                PageScope::NoteAndListing(i) => plan.notes[i] || plan.listings,
                PageScope::Listing => plan.listings,
            };
        if !marked {
            missed.push(path.clone());
        }
        changed.push(path);
    }
    assert!(
        missed.is_empty(),
        "{what}: the plan skips pages whose input changed: {missed:?}"
    );
    let marked = (0..new.0.notes.len())
        .filter(|&i| plan.notes[i])
        .map(|i| new.0.notes[i].path.clone())
        .collect();
    Step {
        plan,
        changed,
        marked,
    }
}

/// Makes `edit` to a fresh review and plans the build after it.
fn after(what: &str, edit: impl Fn(&Review)) -> Step {
    let review = Review::new();
    let old = review.load();
    edit(&review);
    let new = review.load();
    step(&old, &new, what)
}

#[test]
fn a_paragraph_with_no_reference_marks_its_own_page_alone() {
    let step = after("a plain paragraph", |r| {
        r.edit(
            "content/sources/delta2018.md",
            "traces",
            "traces, patiently,",
        )
    });
    assert_eq!(step.plan.full, None);
    // The passage quoted on beta2019's page and the page embedding it show the new words.
    assert_eq!(
        step.marked,
        [
            "content/notes.md",
            "content/sources/beta2019.md",
            "content/sources/delta2018.md"
        ]
    );
    assert!(!step.plan.listings && !step.plan.feed && !step.plan.sources);
    assert!(
        step.changed
            .contains(&"sources/delta2018/index.html".to_string())
    );
}

#[test]
fn an_unchanged_site_marks_nothing() {
    let step = after("nothing", |_| {});
    assert_eq!(step.plan.full, None);
    assert!(step.marked.is_empty() && step.changed.is_empty());
    assert!(!step.plan.listings && !step.plan.feed && !step.plan.sources);
}

/// Each edit of the list, made to a fresh review: the plan marks every page whose input changed.
#[test]
fn every_page_whose_input_changed_is_marked() {
    type Edit = (&'static str, fn(&Review));
    let edits: &[Edit] = &[
        ("a title", |r| {
            r.edit(
                "content/sources/beta2019.md",
                "under strain",
                "under stress",
            )
        }),
        ("a theme's title", |r| {
            r.edit("content/themes/trust.md", "\"Trust\"", "\"Confidence\"")
        }),
        ("a theme's summary", |r| {
            r.edit("content/themes/trust.md", "How trust", "How confidence")
        }),
        ("a tag added", |r| {
            r.edit(
                "content/sources/delta2018.md",
                "container",
                "tags: [doubt]\ncontainer",
            )
        }),
        ("a tag removed", |r| {
            r.edit("content/sources/beta2019.md", "[trust, doubt]", "[trust]")
        }),
        ("a citation added", |r| {
            r.edit(
                "content/sources/delta2018.md",
                "ties [@beta2019]",
                "ties [@beta2019; @alpha2020]",
            )
        }),
        ("a citation removed", |r| {
            r.edit("content/themes/trust.md", ", then strain [@beta2019]", "")
        }),
        ("a link added", |r| {
            r.edit(
                "content/notes.md",
                "Read [[alpha2020]]",
                "Read [[gamma2021]], [[alpha2020]]",
            )
        }),
        ("a page's first words", |r| {
            r.edit("content/notes.md", "Read", "First read")
        }),
        ("a page in a new folder", |r| {
            r.write(
                "content/guides/setup.md",
                "---\ntitle: \"Setup\"\n---\nHow to set up.\n",
            )
        }),
        ("a link's label", |r| {
            r.edit("content/notes.md", "Beta's book", "Beta's study")
        }),
        ("an embedded note's text", |r| {
            r.edit("content/sources/delta2018.md", "old ties", "older ties")
        }),
        ("a date", |r| {
            r.edit(
                "content/themes/doubt.md",
                "---\nDoubt",
                "date: 2024-05-01\n---\nDoubt",
            )
        }),
        ("an alias that a link now finds", |r| {
            r.edit("content/notes.md", "[[alpha2020]]", "[[Alpha's book]]");
            r.edit(
                "content/sources/alpha2020.md",
                "tags:",
                "aliases: [\"Alpha's book\"]\ntags:",
            );
        }),
        ("a note added that cites and links", |r| {
            r.write(
                "content/sources/eps2022.md",
                "---\ntype: book\ntitle: \"Added\"\nauthors: [\"Eps, E.\"]\nyear: 2022\npublisher: \"P\"\ntags: [trust]\n---\nOn [@alpha2020] and [[doubt]].\n",
            )
        }),
        ("a cited note removed", |r| {
            std::fs::remove_file(r.root().join("content/sources/alpha2020.md")).expect("removed");
            r.edit("content/themes/trust.md", "[@alpha2020]", "Alpha");
            r.edit("content/notes.md", "[[alpha2020]]", "Alpha");
        }),
        ("a note renamed", |r| {
            std::fs::rename(
                r.root().join("content/notes.md"),
                r.root().join("content/reading.md"),
            )
            .expect("renamed")
        }),
    ];
    for (what, edit) in edits {
        let step = after(what, edit);
        assert_eq!(step.plan.full, None, "{what}");
        // A date shows in the feed alone.
        let shown = !step.changed.is_empty() || step.plan.feed;
        assert!(shown, "{what}: the edit shows somewhere");
    }
}

/// A source imported with no annotation gains its first sentence: the bibliography now links
/// to its page as an annotation.
#[test]
fn a_source_annotated_for_the_first_time_rechecks_the_bibliography() {
    let step = after("first sentence", |r| {
        r.edit(
            "content/sources/gamma2021.md",
            "[doubt]\n---\n",
            "[doubt]\n---\nGamma reads doubt.\n",
        )
    });
    assert!(step.plan.listings);
}

/// A theme's sparkline spans the years of the whole review: a year moved out of that span
/// moves every theme's axis, also of themes that do not cite the work.
#[test]
fn a_year_outside_the_reviews_span_rechecks_every_themes_sparkline() {
    let step = after("an early year", |r| {
        r.edit("content/sources/gamma2021.md", "year: 2021", "year: 1950")
    });
    assert!(step.marked.contains(&"content/themes/trust.md".to_string()));
}

/// Two works by the same author in the same year become 2020a and 2020b: the pages showing
/// either's in-text form are checked although neither note changed.
#[test]
fn a_work_told_apart_from_a_namesake_rechecks_the_pages_showing_it() {
    let step = after("a namesake", |r| {
        r.write(
            "content/sources/alpha2020b.md",
            "---\ntype: book\ntitle: \"A second book\"\nauthors: [\"Alpha, Ann\"]\nyear: 2020\npublisher: \"P\"\n---\nMore.\n",
        )
    });
    // alpha2020's backlink on beta2019's page shows its new in-text form.
    assert!(
        step.marked
            .contains(&"content/sources/beta2019.md".to_string())
    );
}

/// A theme's related themes show how many works each cites: a theme citing one more work
/// changes the pages of the themes it is related to, which neither cite nor tag the work.
#[test]
fn a_theme_citing_one_more_work_rechecks_the_themes_it_is_related_to() {
    let step = after("a theme's new citation", |r| {
        r.edit(
            "content/themes/doubt.md",
            "[@gamma2021]",
            "[@gamma2021; @delta2018]",
        )
    });
    assert!(step.marked.contains(&"content/themes/trust.md".to_string()));
}

/// A tag no note carried before gets a page of its own, which the sitemap lists.
#[test]
fn a_new_tag_remakes_the_sitemap() {
    let step = after("a new tag", |r| {
        r.edit(
            "content/sources/delta2018.md",
            "container",
            "tags: [ties]\ncontainer",
        )
    });
    assert!(step.plan.feed, "the sitemap is made again");
}
