//! `gloss import`: the fixtures of tests/fixtures/import against the hand-written oracle
//! EXPECTED.md, the awkward files, key normalisation, re-import as a sync, --dry-run,
//! --keys-from, exit codes.

use crate::common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{TestSite, repo_root, snapshot, stderr, stdout, texts};
use gloss::note::{NoteKind, SourceMeta, parse};

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/import")
}

/// `gloss import --root SITE ARGS…` run from the fixtures folder (so messages name the files as
/// a user in that folder typed them).
fn import(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(fixtures())
        .arg("import")
        .args(["--root", site.root().to_str().unwrap()])
        .args(args)
        .output()
        .expect("run gloss import")
}

fn note_text(site: &TestSite, key: &str) -> String {
    std::fs::read_to_string(site.root().join(format!("content/sources/{key}.md")))
        .unwrap_or_else(|e| panic!("content/sources/{key}.md: {e}"))
}

/// A note's title and bibliographic fields as `gloss check` reads them.
fn read_note(key: &str, text: &str) -> (String, SourceMeta) {
    let (note, diags) = parse(NoteKind::Source, key, "note.md", text);
    let note = note.unwrap_or_else(|| panic!("{key} does not read: {diags:?}\n{text}"));
    let meta = note.source.unwrap();
    (
        note.title,
        SourceMeta {
            doi_line: 0,
            ..meta
        },
    )
}

/// The blocks EXPECTED.md gives under `## <file>`: (key, front matter without the key line).
fn expected_blocks(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixtures().join("EXPECTED.md")).unwrap();
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with(file))
        .unwrap_or_else(|| panic!("EXPECTED.md has no section {file}"));
    section
        .split("```yaml\n")
        .skip(1)
        .map(|block| {
            let block = block.split("```").next().unwrap();
            let (first, rest) = block.split_once('\n').unwrap();
            let key = first
                .strip_prefix("key:")
                .unwrap()
                .split('#')
                .next()
                .unwrap()
                .trim();
            (key.to_string(), rest.to_string())
        })
        .collect()
}

fn sources(site: &TestSite) -> Vec<String> {
    let mut keys: Vec<String> = std::fs::read_dir(site.root().join("content/sources"))
        .map(|d| {
            d.map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".md")
                    .to_string()
            })
            .collect()
        })
        .unwrap_or_default();
    keys.sort();
    keys
}

/// Every entry of a fixture becomes exactly the note EXPECTED.md describes, field for field.
fn imports_as_expected(file: &str) {
    let site = TestSite::new();
    let out = import(&site, &[file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = expected_blocks(file);
    let mut keys: Vec<String> = expected.iter().map(|(k, _)| k.clone()).collect();
    keys.sort();
    assert_eq!(sources(&site), keys, "{file}: the notes written");
    let mut wrong = Vec::new();
    for (key, block) in &expected {
        let want = read_note(key, &format!("---\n{block}---\n"));
        let got = read_note(key, &note_text(&site, key));
        if got != want {
            wrong.push(format!("{key}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{file}:\n{}", wrong.join("\n"));
    // The site checks and builds with the notes as written.
    let check = site.check();
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(!stdout(&check).contains("error:"), "{}", stdout(&check));
    site.build_ok();
}

#[test]
fn zotero_bibtex_entries_become_the_expected_notes() {
    imports_as_expected("zotero.bib");
}

#[test]
fn better_biblatex_entries_become_the_expected_notes() {
    imports_as_expected("better-biblatex.bib");
}

#[test]
fn better_csl_json_items_become_the_expected_notes() {
    imports_as_expected("library.json");
}

/// A warning line of `out` that starts with `prefix`, or a failure listing them all.
fn warning<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{out}"))
}

/// What changes output is named entry by entry (file, line or item, key, what); the fields no
/// style prints (keywords, attached files, arXiv's subject class) are one line per file, and
/// `--verbose` names them entry by entry too.
#[test]
fn every_loss_that_matters_is_named_and_the_rest_summed_up_per_file() {
    let site = TestSite::new();
    let out = import(&site, &["zotero.bib"]);
    let err = stderr(&out);
    // muller_transnational_2019 loses only keywords and a file: no line of its own.
    assert!(!err.contains("muller_transnational_2019"), "{err}");
    assert!(
        err.contains("zotero.bib: warning: 2 entries have fields no citation style prints, left out: keywords (2), file (1), primaryclass (1); --verbose names them entry by entry"),
        "{err}"
    );
    // `and others` is kept, as the list's "others" (et al.): no loss.
    assert!(!err.contains("lee_emph_2020"), "{err}");
    warning(
        &err,
        "zotero.bib:193: warning: mearsheimer_offensive_2001: @inbook without a chapter title",
    );
    // Entries with nothing lost get no warning.
    assert!(!err.contains("king_negro_1963"), "{err}");

    let site = TestSite::new();
    let err = stderr(&import(&site, &["--verbose", "zotero.bib"]));
    let muller = warning(
        &err,
        "zotero.bib:9: warning: muller_transnational_2019: not imported: ",
    );
    assert!(
        muller.contains("keywords (borders, militancy, South Asia)") && muller.contains("file"),
        "{muller}"
    );
    assert_eq!(err.matches("muller_transnational_2019").count(), 1, "{err}");
    let zhang = warning(&err, "zotero.bib:168: warning: zhang_large_2021: ");
    assert!(zhang.contains("primaryclass (cs.CL)"), "{zhang}");
    // Zotero's `note = {arXiv:… [cs]}` beside the e-print is a repetition, not a loss.
    assert!(!zhang.contains("note"), "{zhang}");
    assert!(!err.contains("no citation style prints"), "{err}");

    let site = TestSite::new();
    let err = stderr(&import(&site, &["library.json"]));
    let khan = warning(&err, "library.json:14: warning: item 12 (khan2018): ");
    assert!(khan.contains("Spring 2018"), "{khan}");
    let moreau = warning(&err, "library.json:21: warning: item 19 (moreau2020): ");
    assert!(
        moreau.contains("tex.howpublished (online first)"),
        "{moreau}"
    );
    assert!(
        !err.contains("unodc2022"),
        "tex.shortauthor is kept, not lost:\n{err}"
    );
    // A conference's place Zotero also wrote as the publisher's is no loss; another is.
    let silva = warning(&err, "library.json:8: warning: item 6 (silva2015): ");
    assert!(silva.contains("event-place (New Orleans, LA)"), "{silva}");

    let site = TestSite::new();
    let err = stderr(&import(&site, &["--verbose", "better-biblatex.bib"]));
    let petrov = warning(
        &err,
        "better-biblatex.bib:125: warning: petrovEventCodingTransformers2022: ",
    );
    assert!(
        petrov.contains("eprintclass (cs)") && !petrov.contains("pubstate"),
        "{petrov}"
    );
    assert!(
        !err.contains("routledgeLondon"),
        "an @xdata entry is not a source:\n{err}"
    );
}

#[test]
fn abstracts_and_notes_start_a_new_notes_body() {
    for (file, with_abstract) in [
        (
            "zotero.bib",
            vec![
                "muller_transnational_2019",
                "state_country_2022",
                "zhang_large_2021",
            ],
        ),
        (
            "better-biblatex.bib",
            vec![
                "nguyenRiverineFloodRisk2020",
                "petrovEventCodingTransformers2022",
            ],
        ),
        (
            "library.json",
            vec!["vanderberg2019", "zhang2021", "ahmed2021"],
        ),
    ] {
        let site = TestSite::new();
        assert!(import(&site, &[file]).status.success());
        let mut found: Vec<String> = sources(&site)
            .into_iter()
            .filter(|k| note_text(&site, k).contains("\n## Abstract\n\n"))
            .collect();
        found.sort();
        let mut want: Vec<String> = with_abstract.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(found, want, "{file}");
    }
    let site = TestSite::new();
    import(&site, &["zotero.bib"]);
    let who = note_text(&site, "world_health_organization_global_2022");
    assert!(
        who.ends_with("---\n\nLicence: CC BY-NC-SA 3.0 IGO\n"),
        "{who}"
    );
    let muller = note_text(&site, "muller_transnational_2019");
    assert!(
        muller.contains("## Abstract\n\nWe examine how cross-border militant networks"),
        "{muller}"
    );
}

/// Runs an import that must fail with exit 1 and leave content/ exactly as it was.
fn fails_untouched(file: &str) -> String {
    let site = TestSite::new();
    site.source("kept2020", &["Kept, K."], "2020", "Kept", "Mine.");
    let before = snapshot(&site.root().join("content"));
    let out = import(&site, &[file]);
    assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
    assert_eq!(
        snapshot(&site.root().join("content")),
        before,
        "{file} changed content/"
    );
    stderr(&out)
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_position_and_nothing_is_written() {
    let err = fails_untouched("broken.bib");
    assert!(
        err.contains("broken.bib:10:1: error: entry has no citation key"),
        "{err}"
    );
    assert!(
        err.contains("broken.bib:18:11: error: unclosed brace in field `title`"),
        "{err}"
    );
    let err = fails_untouched("broken.json");
    assert!(
        err.starts_with("broken.json:3:75: error: invalid JSON"),
        "{err}"
    );
}

/// Two works under one key: the last is imported, as pandoc reads the file (it uses the last
/// entry of a key); a key that differs from another only in case is renamed (one file, one URL
/// on macOS and Windows), said once for the file; an exact repeat is ignored. Nothing is refused.
#[test]
fn duplicate_keys_keep_the_last_work_and_case_twins_are_renamed_once() {
    let site = TestSite::new();
    let out = import(&site, &["duplicate-keys.bib"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("duplicate-keys.bib:17: warning: smith2020: a second work under the key smith2020 (the first at line 1): this one is imported, as pandoc reads the file"),
        "{err}"
    );
    assert!(
        err.contains("duplicate-keys.bib: warning: 1 citation key renamed, cite it as renamed: `Jones2018` → Jones2018-2 (differs from another only in case)"),
        "{err}"
    );
    assert!(
        err.contains(
            "duplicate-keys.bib:38: warning: brown2015: exact duplicate of the entry at line 31"
        ),
        "{err}"
    );
    assert_eq!(
        sources(&site),
        ["Jones2018-2", "brown2015", "jones2018", "smith2020"]
    );
    assert!(note_text(&site, "smith2020").contains("Second Entry Under the Same Key"));
    // The same key for two works in two files: the last file's, said once.
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.bib");
    let b = dir.path().join("b.json");
    std::fs::write(&a, "@book{same2020, title = {One}, year = {2020}}\n").unwrap();
    std::fs::write(
        &b,
        "[{\"id\": \"same2020\", \"type\": \"book\", \"title\": \"Other\"}]\n",
    )
    .unwrap();
    let site = TestSite::new();
    let out = import(&site, &[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out)
            .matches("a second work under the key same2020")
            .count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(note_text(&site, "same2020").contains("\"Other\""));
}

/// Keys are kept as the library writes them whenever Pandoc can cite them (`:`, `/`, `+`, any
/// script; in braces when its plain grammar stops short): the file name is folded to ASCII and
/// the note's `key:` says the key. Nothing is renamed, so nothing is said; importing again
/// changes nothing.
#[test]
fn keys_are_kept_and_file_names_folded_when_they_must_be() {
    let site = TestSite::new();
    let out = import(&site, &["keys-needing-normalisation.bib"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sources(&site),
        [
            "2020report",
            "KEY-with-CAPS_and-dashes2018",
            "Smith-2020-ABC",
            "c-2019",
            "doe-2020",
            "lukasiewicz_o2021",
            "muller2020",
            "muller2020-2",
            "o-brien-2017",
        ]
    );
    assert!(!stderr(&out).contains("renamed"), "{}", stderr(&out));
    for (file, key) in [
        ("doe-2020", "doe/2020"),
        ("c-2019", "c++2019"),
        ("muller2020-2", "müller2020"),
        ("Smith-2020-ABC", "Smith:2020:ABC"),
        ("o-brien-2017", "o'brien.2017"),
        ("lukasiewicz_o2021", "łukasiewicz_ø2021"),
    ] {
        let text = note_text(&site, file);
        assert!(
            text.starts_with(&format!("---\nkey: \"{key}\"\n")),
            "{file}: {text}"
        );
        let (note, diags) = parse(NoteKind::Source, file, "n.md", &text);
        assert_eq!(note.unwrap().key, key, "{diags:?}");
    }
    assert!(!note_text(&site, "muller2020").contains("key:"));
    assert!(note_text(&site, "muller2020-2").contains("A Key With an Umlaut"));
    // Importing again finds each note by its key: nothing changes.
    let again = import(&site, &["keys-needing-normalisation.bib"]);
    assert_eq!(
        stdout(&again).matches("unchanged ").count(),
        9,
        "{}",
        stdout(&again)
    );
    // The site cites them as the library does.
    site.write(
        "content/themes/t.md",
        "---\ntitle: T\n---\nSee [@doe/2020; @Smith:2020:ABC, p. 3], @müller2020 and [@{c++2019}].\n",
    );
    let check = site.check();
    assert!(!stdout(&check).contains("error:"), "{}", stdout(&check));
    site.build_ok();
    let page = site.html("themes/t/index.html");
    let cited = common::attrs(&page, "main p a[href*='sources/']", "href");
    assert_eq!(cited.len(), 4, "{cited:?}");
    assert!(cited[0].contains("sources/doe-2020/"), "{cited:?}");
}

/// A key Pandoc cannot cite even in braces (a space in it) is renamed: one warning for the file,
/// however many keys.
#[test]
fn keys_that_cannot_be_cited_are_renamed_in_one_warning_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let bib = dir.path().join("spaces.bib");
    std::fs::write(
        &bib,
        "[{\"id\": \"a b\", \"type\": \"book\", \"title\": \"A\"}, {\"id\": \"c d\", \"type\": \"book\", \"title\": \"C\"}]\n",
    )
    .unwrap();
    let json = dir.path().join("spaces.json");
    std::fs::rename(&bib, &json).unwrap();
    let site = TestSite::new();
    let out = import(&site, &[json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(
        err.contains("2 citation keys renamed, cite them as renamed: `a b` → a-b (cannot be cited); `c d` → c-d (cannot be cited)"),
        "{err}"
    );
    assert_eq!(sources(&site), ["a-b", "c-d"]);
}

#[test]
fn an_empty_file_imports_nothing_and_says_so() {
    let site = TestSite::new();
    let out = import(&site, &["empty.bib"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("empty.bib: warning: no entries found"),
        "{}",
        stderr(&out)
    );
    assert!(sources(&site).is_empty());
}

#[test]
fn dry_run_lists_what_would_change_and_writes_nothing() {
    let site = TestSite::new();
    site.source(
        "king_negro_1963",
        &["King, M. L."],
        "1963",
        "Old title",
        "My notes.",
    );
    let before = snapshot(site.root());
    let out = import(&site, &["--dry-run", "zotero.bib"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(snapshot(site.root()), before);
    let text = stdout(&out);
    assert!(
        text.contains("updated    content/sources/king_negro_1963.md  (zotero.bib:215)"),
        "{text}"
    );
    assert!(
        text.contains("new        content/sources/muller_transnational_2019.md  (zotero.bib:9)"),
        "{text}"
    );
    assert!(
        text.contains("20 entries from 1 file: 19 new, 1 updated, 0 unchanged"),
        "{text}"
    );
    assert!(text.contains("dry run: nothing written"), "{text}");
}

#[test]
fn reimporting_syncs_the_bibliographic_fields_and_keeps_everything_else_byte_for_byte() {
    let site = TestSite::new();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.bib");
    let entry = |extra: &str| {
        format!(
            "@article{{jabeen2009,\n  title = {{Either You Are with Us or Against Us}},\n  author = {{Jabeen, Mussarat}},\n  journal = {{South Asian Studies}},\n  year = {{2009}},\n  volume = {{24}},\n{extra}}}\n"
        )
    };
    std::fs::write(
        &lib,
        entry("  pages = {175--191},\n  abstract = {The abstract.},\n"),
    )
    .unwrap();
    let lib = lib.to_str().unwrap();
    assert!(import(&site, &[lib]).status.success());
    // The user writes an annotation, tags it, adds comments and fields gloss does not know.
    let path = site.root().join("content/sources/jabeen2009.md");
    let first = std::fs::read_to_string(&path).unwrap();
    let edited = first
        .replace("year: 2009\n", "year: 2009\n# read in March\ntags: [trust-deficit]   # the theme\ndraft: true\nmood: \"curious\"\n")
        .replace("The abstract.\n", "The abstract.\n\n## My reading\n\nIt argues *much*; see [@jabeen2009, p. 180].  \n\n---\n\nA rule, then more.\n");
    std::fs::write(&path, &edited).unwrap();

    // Unchanged library: unchanged note.
    let out = import(&site, &[lib]);
    // The abstract is in the body already: nothing to say about it.
    assert!(!stderr(&out).contains("abstract"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("unchanged  content/sources/jabeen2009.md"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);

    // The library changes: a new issue, pages removed, the title corrected.
    std::fs::write(
        lib,
        entry("  number = {2},\n  abstract = {A new abstract.},\n")
            .replace("Against Us", "against Us"),
    )
    .unwrap();
    let out = import(&site, &[lib]);
    assert!(
        stdout(&out).contains("updated    content/sources/jabeen2009.md"),
        "{}",
        stdout(&out)
    );
    // The new abstract is not forced into the annotation: it is reported.
    assert!(
        stderr(&out).contains("abstract (the note exists"),
        "{}",
        stderr(&out)
    );
    let now = std::fs::read_to_string(&path).unwrap();
    let want = edited
        .replace(
            "title: \"Either You Are with Us or Against Us\"",
            "title: \"Either You Are with Us or against Us\"",
        )
        .replace("pages: \"175–191\"\n", "")
        .replace("volume: \"24\"\n", "volume: \"24\"\nissue: \"2\"\n");
    assert_eq!(now, want);
    let (_, meta) = read_note("jabeen2009", &now);
    assert_eq!(
        (meta.issue.as_deref(), meta.pages.as_deref()),
        (Some("2"), None)
    );
}

#[test]
fn keys_from_file_updates_the_note_whose_citekey_names_the_entry() {
    let site = TestSite::new();
    site.write(
        "content/sources/mises1949.md",
        "---\ntitle: \"Human Action\"\nyear: 1949\ncitekey: \"von_mises_human_1949\"\ntags: [economics]\n---\nMine.\n",
    );
    let out = import(&site, &["--keys-from", "file", "zotero.bib"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("updated    content/sources/mises1949.md  (zotero.bib:56)"),
        "{}",
        stdout(&out)
    );
    assert!(
        !site
            .root()
            .join("content/sources/von_mises_human_1949.md")
            .exists()
    );
    let text = note_text(&site, "mises1949");
    assert!(
        text.contains("citekey: \"von_mises_human_1949\"\ntags: [economics]\n---\nMine.\n"),
        "{text}"
    );
    assert!(
        text.contains("publisher: \"Yale University Press\""),
        "{text}"
    );
    let check = site.check();
    assert!(!stdout(&check).contains("citekey"), "{}", stdout(&check));
    // With the default, the citation key names the note.
    let site2 = TestSite::new();
    site2.write(
        "content/sources/mises1949.md",
        "---\ntitle: \"Human Action\"\nyear: 1949\ncitekey: \"von_mises_human_1949\"\n---\n",
    );
    import(&site2, &["zotero.bib"]);
    assert!(
        site2
            .root()
            .join("content/sources/von_mises_human_1949.md")
            .exists()
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::new();
    for (args, message) in [
        (vec!["nowhere.bib"], "nowhere.bib: no such file"),
        (vec!["EXPECTED.md"], "gloss imports .bib"),
        (
            vec!["--keys-from", "title", "zotero.bib"],
            "invalid value 'title'",
        ),
    ] {
        let out = import(&site, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(fixtures())
        .args(["import", "--root", "/nonexistent-site", "zotero.bib"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a site"), "{}", stderr(&out));
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_explains_the_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import", "--help"])
        .output()
        .unwrap();
    let help = stdout(&out);
    for words in [
        "--dry-run",
        "--keys-from",
        "citekey",
        "byte for byte",
        ".bib",
        "CSL-JSON",
    ] {
        assert!(help.contains(words), "{words}: {help}");
    }
}

#[test]
fn a_number_that_repeats_the_eprint_is_not_kept_twice() {
    let site = TestSite::new();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("bbt.bib");
    std::fs::write(
        &lib,
        "@online{kim2023,\n  title = {Models},\n  author = {Kim, Soo-yeon},\n  date = {2023},\n  number = {arXiv:2301.04567},\n  eprint = {2301.04567},\n  eprinttype = {arxiv},\n  pubstate = {prepublished}\n}\n",
    )
    .unwrap();
    let out = import(&site, &[lib.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, meta) = read_note("kim2023", &note_text(&site, "kim2023"));
    assert_eq!(
        (meta.number, meta.eprint.as_deref(), meta.archive.as_deref()),
        (None, Some("2301.04567"), Some("arXiv"))
    );
    assert!(!stderr(&out).contains("kim2023"), "{}", stderr(&out));
}

#[test]
fn csl_yaml_as_pandoc_writes_it_is_read_like_csl_json() {
    let site = TestSite::new();
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("refs.yaml");
    std::fs::write(
        &lib,
        "---\nreferences:\n- id: doe2020\n  type: chapter\n  title: \"A chapter: on <i>Homo</i>\"\n  author:\n  - family: Berg\n    given: Jan\n    non-dropping-particle: van der\n  editor:\n  - literal: World Health Organization\n  container-title: The book\n  issued: 2020\n  page: 3-9\n  keyword: a, b\n- id: roe2021\n  type: webpage\n  title: A page\n  issued: 2021-03-05\n  accessed:\n    date-parts:\n    - [2022, 1, 2]\n...\n",
    )
    .unwrap();
    let out = import(&site, &["--verbose", lib.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (title, meta) = read_note("doe2020", &note_text(&site, "doe2020"));
    assert_eq!(title, "A chapter: on *Homo*");
    assert_eq!(meta.authors[0].particle.as_deref(), Some("van der"));
    assert_eq!(meta.editors[0].family, "World Health Organization");
    assert_eq!(
        (meta.year, meta.pages.as_deref()),
        (gloss::note::Year::Known(2020), Some("3–9"))
    );
    let (_, web) = read_note("roe2021", &note_text(&site, "roe2021"));
    assert_eq!(
        web.issued.map(|d| d.to_string()).as_deref(),
        Some("2021-03-05")
    );
    assert_eq!(
        web.accessed.map(|d| d.to_string()).as_deref(),
        Some("2022-01-02")
    );
    // YAML items have no line: the warning names the item.
    assert!(
        stderr(&out).contains("refs.yaml: warning: item 0 (doe2020): not imported: keyword (a, b)"),
        "{}",
        stderr(&out)
    );
}

/// A source fresh from a library has no annotation yet: its page shows the reference without an
/// empty "Annotation" heading, and the bibliography links to it as its page, not as an
/// annotation; once the note says something, both read "Annotation".
#[test]
fn an_imported_source_not_yet_annotated_shows_no_empty_annotation() {
    let site = TestSite::new();
    let out = import(&site, &["zotero.bib"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let page = site.html("sources/ahmed_trust_2021/index.html");
    assert_eq!(texts(&page, "#annotation"), Vec::<String>::new());
    assert!(
        !texts(&page, ".reference").is_empty(),
        "the page still shows the reference"
    );
    let links = |site: &TestSite| {
        let bib = site.html("bibliography/index.html");
        let sel =
            scraper::Selector::parse(r#".ref-meta a[href$="/sources/ahmed_trust_2021/"]"#).unwrap();
        bib.select(&sel)
            .map(|a| a.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(links(&site), ["Source page"]);

    let text = note_text(&site, "ahmed_trust_2021");
    site.write(
        "content/sources/ahmed_trust_2021.md",
        &format!("{text}\nThe survey's trust items are read as a scale.\n"),
    );
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let page = site.html("sources/ahmed_trust_2021/index.html");
    assert_eq!(texts(&page, "#annotation"), ["Annotation"]);
    assert_eq!(links(&site), ["Annotation"]);
}

/// A library's abstract or note is text: CSL's rich-text subset becomes Markdown (italics,
/// bold, superscripts), and any other markup — a script, an image with an event handler, a
/// link, a citation, a tag, a comment — shows on the page exactly as the library writes it.
#[test]
fn abstracts_and_notes_show_their_markup_as_text_but_the_rich_text_subset() {
    const HOSTILE: &str = r#"<script>alert(1)</script> <img src=x onerror=alert(2)> [go](javascript:alert(3)) @smith #tag %%hidden%%"#;
    let site = TestSite::new();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lib.json");
    let abstract_json = format!(
        "<i>Kim</i> and <b>bold</b> x<sup>2</sup> H<sub>2</sub>O <span style=\"font-variant:small-caps\">Caps</span> {HOSTILE}"
    );
    let item = serde_json::json!([{
        "id": "csl2020", "type": "article-journal", "title": "T",
        "author": [{"family": "Doe", "given": "Jo"}], "issued": {"date-parts": [[2020]]},
        "abstract": abstract_json, "note": HOSTILE,
    }]);
    std::fs::write(&json, item.to_string()).unwrap();
    let bib = dir.path().join("lib.bib");
    std::fs::write(
        &bib,
        format!(
            "@article{{bib2020, title = {{T}}, author = {{Doe, Jo}}, year = {{2020}},\n  abstract = {{\\textit{{Kim}} {HOSTILE}}},\n  annote = {{{HOSTILE}}}}}\n"
        ),
    )
    .unwrap();
    let out = import(&site, &[json.to_str().unwrap(), bib.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site.build_ok();
    let shown = "<script>alert(1)</script> <img src=x onerror=alert(2)> [go](javascript:alert(3)) @smith #tag %%hidden%%";
    for key in ["csl2020", "bib2020"] {
        let page = site.html(&format!("sources/{key}/index.html"));
        let main = scraper::Selector::parse("main").unwrap();
        let main = page.select(&main).next().expect("a main element");
        let text: String = main.text().collect();
        assert_eq!(
            text.matches(shown).count(),
            2,
            "{key}: the abstract and the note show the markup as written:\n{text}"
        );
        let inner = main.inner_html();
        for made in [
            "<script",
            "<img",
            "<a href=\"javascript",
            "class=\"tag",
            "class=\"citation",
        ] {
            assert!(!inner.contains(made), "{key}: {made} in\n{inner}");
        }
        assert!(
            texts(&page, "main em").contains(&"Kim".to_string()),
            "{key}"
        );
    }
    let page = site.html("sources/csl2020/index.html");
    assert_eq!(texts(&page, "main strong"), ["bold"]);
    assert_eq!(texts(&page, "main sup"), ["2"]);
    assert_eq!(texts(&page, "main sub"), ["2"]);
}
