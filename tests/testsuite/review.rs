//! The bundled review: it checks clean, and every reference of the seed article is in it.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{repo_root, stdout, texts};

fn body_words(text: &str) -> usize {
    let body = text.splitn(3, "---\n").nth(2).unwrap_or(text);
    body.split_whitespace().count()
}

#[test]
fn bundled_review_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["check", "--root"])
        .arg(repo_root())
        .output()
        .unwrap();
    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", common::stderr(&out));
    assert_eq!(
        report.trim(),
        "0 errors, 0 warnings",
        "gloss check must report nothing:\n{report}"
    );
}

#[test]
fn notes_meet_the_length_and_citation_bar() {
    let (site, _) = gloss::load(&gloss::LoadOptions {
        root: repo_root(),
        base_url: None,
        ..Default::default()
    })
    .unwrap();
    let sources: Vec<_> = site
        .notes
        .iter()
        .filter(|n| n.kind == gloss::note::NoteKind::Source)
        .collect();
    assert_eq!(sources.len(), 47, "45 references + the two seeds");
    for note in &sources {
        let words = body_words(&std::fs::read_to_string(repo_root().join(&note.path)).unwrap());
        assert!(words >= 150, "{}: {words} words", note.path);
    }
    let themes: Vec<usize> = (0..site.notes.len())
        .filter(|&i| site.notes[i].kind == gloss::note::NoteKind::Theme)
        .collect();
    assert!(themes.len() >= 14, "{} themes", themes.len());
    for &i in &themes {
        let note = &site.notes[i];
        let words = body_words(&std::fs::read_to_string(repo_root().join(&note.path)).unwrap());
        assert!(words >= 300, "{}: {words} words", note.path);
        let cited: BTreeSet<_> = site.scans[i]
            .citations
            .iter()
            .flat_map(|c| c.citation.items.iter().map(|it| it.key.clone()))
            .collect();
        assert!(
            cited.len() >= 3,
            "{} cites {} sources",
            note.path,
            cited.len()
        );
    }
    assert!(
        site.notes
            .iter()
            .any(|n| n.kind == gloss::note::NoteKind::Page && n.key.is_empty()),
        "missing the home page (content/_index.md)"
    );
    for page in ["about", "chronology", "citation-audit"] {
        assert!(site.by_key.contains_key(page), "missing page {page}");
    }
}

/// Every entry of the seed's reference list (tests/data/seed-references.txt, copied from the seed)
/// appears in the built bibliography with its first author's family name, year and title.
#[test]
fn every_seed_reference_is_in_the_bibliography() {
    let (site, _) = gloss::load(&gloss::LoadOptions {
        root: repo_root(),
        base_url: None,
        ..Default::default()
    })
    .unwrap();
    let seed = std::fs::read_to_string(repo_root().join("tests/data/seed-references.txt")).unwrap();
    let entries: Vec<String> = site.references.values().map(|r| r.text.clone()).collect();
    let normal = |s: &str| {
        s.replace(['*', '–', '—'], "-")
            .replace(['’', '‘'], "'")
            .to_lowercase()
    };
    let mut lines = 0;
    for line in seed.lines().filter(|l| l.starts_with("- ")) {
        lines += 1;
        let line = line.trim_start_matches("- ");
        let family = line.split(',').next().unwrap();
        let year = &line[line.find('(').unwrap() + 1..line.find(')').unwrap()];
        let after = &line[line.find(").").unwrap() + 2..];
        // Books are italic in the seed: the title is then the first starred span.
        let title_part = after.trim().trim_start_matches('*');
        let title: String = title_part
            .split('*')
            .next()
            .unwrap()
            .trim()
            .chars()
            .take(25)
            .collect();
        let found = entries.iter().any(|e| {
            let e = normal(e);
            e.starts_with(&normal(family))
                && e.contains(&format!("({year})"))
                && e.contains(&normal(&title))
        });
        assert!(
            found,
            "seed reference not in bibliography: {family} ({year}) {title}"
        );
    }
    assert_eq!(lines, 45);
}

#[test]
fn bundled_review_builds_with_backlinks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = gloss::build(&gloss::BuildOptions {
        load: gloss::LoadOptions {
            root: repo_root(),
            base_url: Some("https://example.github.io/review/".into()),
            ..Default::default()
        },
        out: out.clone(),
    })
    .unwrap();
    assert!(report.pages >= 70, "{} pages", report.pages);
    let html = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("sources/jabeen2009/index.html")).unwrap(),
    );
    assert!(
        !texts(&html, ".backlinks blockquote").is_empty(),
        "source pages show where they are cited"
    );
}
