//! A real vault published as it is (issue 26): `gloss build` inside a vault or a Quartz site with
//! no `site.yaml`, or `gloss init` with a vault copied into `content/` and nothing edited. Front
//! matter as vaults write it, titles as Obsidian shows them, `publish: auto`, the folders left
//! out by default, Quartz's tag notes, unknown fields said once, and literature notes of the
//! Zotero plugins. Every vault here is written for the test.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, TestSite, attrs, stderr, stdout, texts};

/// Runs the gloss under test in `dir`, with no `--root`: as a user runs it in their folder.
fn gloss_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gloss")
}

/// Writes `files` ((path, text)) under `dir`.
fn write_all(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn page(out: &Path, rel: &str) -> scraper::Html {
    let path = out.join(rel).join("index.html");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

/// The text of every file under `dir` (the search index's fragments are compressed: their
/// words are checked through the pages they are made from).
fn all_text(dir: &Path) -> String {
    common::snapshot(dir)
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// What no user may read: a library's words for a problem.
const LIBRARY_WORDS: [&str; 8] = [
    "untagged enum",
    "expected struct",
    "RawFrontMatter",
    "while scanning",
    "while parsing",
    "invalid type",
    "scalar",
    "OneOrMany",
];

fn assert_no_library_words(said: &str) {
    for words in LIBRARY_WORDS {
        assert!(!said.contains(words), "`{words}` reached the user:\n{said}");
    }
}

#[test]
fn a_vault_folder_builds_without_a_site_yaml_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            (".obsidian/app.json", "{}"),
            ("Home.md", "Start at [[Open sets]].\n"),
            ("Open sets.md", "# Overview\n\nA set is open when…\n"),
        ],
    );
    let out = gloss_in(dir.path(), &["build"]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{said}");
    let notes: Vec<&str> = said.lines().filter(|l| l.contains("site.yaml")).collect();
    assert_eq!(notes.len(), 1, "{said}");
    assert!(
        notes[0].starts_with(
            "site.yaml: note: no site.yaml: this folder is built as an Obsidian vault"
        ),
        "{said}"
    );
    // Into public/ inside the vault, which the next build does not read as notes.
    let public = dir.path().join("public");
    let html = page(&public, "open-sets");
    assert_eq!(texts(&html, ".note-header h1"), ["Open sets"]);
    let again = gloss_in(dir.path(), &["build"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(!public.join("public").exists());
    // `check` reads it alike and counts no warning for the note line.
    let check = gloss_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stdout(&check).contains("site.yaml: note: no site.yaml"));
    assert!(
        stdout(&check).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn a_quartz_site_builds_its_content_folder_with_its_own_title() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            (
                "quartz.config.ts",
                "const config = {\n  configuration: {\n    pageTitle: \"Field notes\",\n    baseUrl: \"notes.example.org/garden\",\n",
            ),
            ("content/index.md", "---\ntitle: Welcome\n---\nHello.\n"),
            ("content/Soil.md", "Loam and clay.\n"),
            ("README.md", "The repository's own readme, not a note.\n"),
        ],
    );
    let out = gloss_in(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("site.yaml: note: no site.yaml: this Quartz site's content/"));
    let public = dir.path().join("public");
    let soil = page(&public, "soil");
    assert_eq!(texts(&soil, "title"), ["Soil · Field notes"]);
    assert!(!public.join("readme").exists());
    let canonical = attrs(&soil, "link[rel=canonical]", "href");
    assert_eq!(canonical, ["https://notes.example.org/garden/soil/"]);
}

#[test]
fn a_folder_that_is_no_site_is_told_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &[("note.md", "Text.\n")]);
    let out = gloss_in(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no site.yaml in"), "{err}");
    assert!(
        err.contains("an Obsidian vault (a folder with .obsidian/)"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());
}

/// `gloss init`, the example notes removed, a vault copied into `content/`, `gloss build`: the
/// front matter of every note as vaults write it.
#[test]
fn a_vault_copied_into_a_new_site_builds_with_nothing_edited() {
    let dir = tempfile::tempdir().unwrap();
    let init = gloss_in(dir.path(), &["init", "site"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let site = dir.path().join("site");
    std::fs::remove_dir_all(site.join("content")).unwrap();
    write_all(
        &site.join("content"),
        &[
            (".obsidian/app.json", "{}"),
            // Booleans as strings and words.
            ("Garden walk.md", "---\ndraft: \"false\"\n---\nA walk.\n"),
            (
                "Seed list.md",
                "---\ndraft: no\ntags: [seeds]\n---\nSeeds.\n",
            ),
            (
                "Hidden plans.md",
                "---\ndraft: \"true\"\n---\nsecretplanwords\n",
            ),
            ("Later.md", "---\ndraft: yes\n---\nlaterwords\n"),
            // An empty list item, a map among the tags, a capitalised field.
            (
                "Rain gauge.md",
                "---\nAliases:\n  - \n  - Gauge\ntags:\n  - weather\n  - mindmap-plugin: basic\n  -\n---\nSee [[Gauge]] and [[Garden walk]].\n",
            ),
            // Unrun template placeholders.
            (
                "Meeting.md",
                "---\ntitle: {{title}}\ndate: <% tp.file.creation_date() %>\ncreated: {{date:YYYY-MM-DD}}T{{time:HH:mm}}\n---\nAgenda.\n",
            ),
            // A front matter YAML cannot read at all: the note as Obsidian shows it.
            (
                "Broken.md",
                "---\ntitle: \"Never closed\ntags: [a\n---\nbrokenbodywords\n",
            ),
        ],
    );
    let out = gloss_in(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_no_library_words(&err);
    let public = site.join("public");
    for (url, title) in [
        ("garden-walk", "Garden walk"),
        ("seed-list", "Seed list"),
        ("rain-gauge", "Rain gauge"),
        ("meeting", "Meeting"),
        ("broken", "Broken"),
    ] {
        assert_eq!(
            texts(&page(&public, url), ".note-header h1"),
            [title],
            "{url}\n{err}"
        );
    }
    assert!(!public.join("hidden-plans").exists());
    assert!(!public.join("later").exists());
    let everything = all_text(&public);
    assert!(!everything.contains("secretplanwords") && !everything.contains("laterwords"));
    assert!(everything.contains("brokenbodywords"));
    // The alias of a capitalised `Aliases:` is a name links may use; the map item is no tag.
    let rain = page(&public, "rain-gauge");
    assert_eq!(attrs(&rain, ".prose a", "href")[0], "/rain-gauge/");
    assert!(public.join("tags/weather").is_dir());
    assert!(!everything.contains("mindmap-plugin"));
    // One warning for the map item and one for the placeholder date, each on its own line; the
    // front matter that does not parse is a warning at the quote that never closes.
    for want in [
        "content/Rain gauge.md:7:1: warning: `tags:` holds the map `mindmap-plugin: …` among its items: it is ignored",
        "content/Meeting.md:3:1: warning: `date: <% tp.file.creation_date() %>` is an unrun template placeholder: the note is published without it",
        "content/Broken.md:2:8: warning: front matter: a quote is opened and never closed",
    ] {
        assert_eq!(
            err.lines().filter(|l| l.starts_with(want)).count(),
            1,
            "{want}\n{err}"
        );
    }
    assert!(
        !err.contains("Meeting.md:2:"),
        "a placeholder title is no problem:\n{err}"
    );
}

/// A source of gloss's own `sources/` folder cannot be a source without its fields: YAML that
/// does not parse there stays an error, at the construct's line, in gloss's words.
#[test]
fn a_source_whose_front_matter_does_not_parse_is_an_error_in_glosss_words() {
    let site = TestSite::new();
    site.write(
        "content/sources/doe2020.md",
        "---\ntitle: On trust\nyear: 2020\nauthors: [Doe, J.\n---\nText.\n",
    )
    .write(
        "content/themes/t.md",
        "---\ntitle: T\nsummary: !Important\n---\nx\n",
    );
    let out = site.check();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/sources/doe2020.md:4:10: error: front matter: a list in `[…]` is never closed"
        ),
        "{err}"
    );
    assert_no_library_words(&err);
}

#[test]
fn titles_are_the_front_matter_s_or_the_file_name_as_written() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n[[Open sets]] · [[lower case start]] · [[01 - Welcome]] · [[Dated]] · [[Namespaces]]\n",
    )
    .write(
        "content/Open sets.md",
        "Some words.\n\n## Review\n\n# Review\n\nNo title of its own.\n",
    )
    .write("content/lower case start.md", "Text.\n")
    .write("content/01 - Welcome.md", "# Welcome, traveller\n")
    .write(
        "content/Dated.md",
        "---\ntitle: \"[[2025]] plans\"\n---\n# Something else\n",
    )
    .write(
        "content/Namespaces.md",
        "Make two.\n\n```bash\n# connect the two ends\nip link add veth0\n```\n",
    )
    .write("content/2025.md", "A year.\n");
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    for (url, title) in [
        ("open-sets", "Open sets"),
        ("lower-case-start", "lower case start"),
        ("01-welcome", "01 - Welcome"),
        ("dated", "2025 plans"),
        ("namespaces", "Namespaces"),
    ] {
        let html = page(&site.out(), url);
        assert_eq!(texts(&html, ".note-header h1"), [title], "{url}");
        assert_eq!(
            texts(&html, "title"),
            [format!("{title} · Test review")],
            "{url}"
        );
    }
    // A bare link shows its target's title; no page shows `[[` anywhere.
    let home = site.html("index.html");
    let links = texts(&home, ".prose a");
    assert_eq!(
        links,
        [
            "Open sets",
            "lower case start",
            "01 - Welcome",
            "2025 plans",
            "Namespaces"
        ]
    );
    assert!(!all_text(&site.out()).contains("[[2025]]"));
}

#[test]
fn a_site_whose_notes_say_publish_true_publishes_only_them_by_default() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\npublish: \"true\"\n---\nHi.\n",
    )
    .write(
        "content/a.md",
        "---\ntitle: A\npublish: yes\n---\nAwords.\n",
    )
    .write(
        "content/b.md",
        "---\ntitle: B\npublish:\n---\nnotpublishedwords\n",
    )
    .write("content/c.md", "---\ntitle: C\n---\nnotpublishedeither\n")
    .write(
        "content/d.md",
        "---\ntitle: D\npublish: true\ndraft: true\n---\ndraftwords\n",
    );
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.lines().any(|l| l
            == "site.yaml: note: 2 notes say `publish: true`, so only they are published (`publish: auto`, the default); `publish: all` in site.yaml publishes every note but drafts"),
        "{err}"
    );
    assert!(site.out().join("a/index.html").is_file());
    for gone in ["b", "c", "d"] {
        assert!(!site.out().join(gone).exists(), "{gone}");
    }
    let everything = all_text(&site.out());
    for private in ["notpublishedwords", "notpublishedeither", "draftwords"] {
        assert!(!everything.contains(private), "{private}");
    }
    // `publish: all` publishes every note but drafts, and says nothing of it.
    site.write(
        "site.yaml",
        "title: Test review\nbase_url: https://x.github.io/review/\npublish: all\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    for url in ["a", "b", "c"] {
        assert!(site.out().join(url).join("index.html").is_file(), "{url}");
    }
    assert!(!site.out().join("d").exists());
}

#[test]
fn private_and_template_folders_and_drawings_are_left_out_by_default() {
    let site = TestSite::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi.\n")
        .write("content/private/Diary.md", "confidentialdiarywords\n")
        .write(
            "content/Templates/Map Template.md",
            "---\nmap_height_y: 3\n---\ntemplatewordsone\n",
        )
        .write("content/Extras/_templates/Daily.md", "templatewordstwo\n")
        .write("content/Board.excalidraw.md", "drawingwords\n")
        .write("content/.trash/Old.md", "trashwords\n")
        .write("content/Meta/Tpl/Character.md", "templaterwords\n")
        .write(
            "content/.obsidian/plugins/templater-obsidian/data.json",
            r#"{"templates_folder": "Meta/Tpl"}"#,
        )
        .write("content/Public.md", "publicwords\n");
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let everything = all_text(&site.out());
    assert!(everything.contains("publicwords"));
    for private in [
        "confidentialdiarywords",
        "templatewordsone",
        "map_height_y",
        "templatewordstwo",
        "drawingwords",
        "trashwords",
        "templaterwords",
    ] {
        assert!(!everything.contains(private), "{private} was published");
    }
    // The site can take one back.
    site.write(
        "site.yaml",
        "title: Test review\nbase_url: https://x.github.io/review/\nignore: [\"!private/\"]\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(all_text(&site.out()).contains("confidentialdiarywords"));
}

#[test]
fn a_quartz_tag_note_is_the_introduction_of_its_tag_s_page() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [[gardening]].\n",
    )
    .write(
        "content/Compost.md",
        "---\ntags: [gardening]\n---\nTurn it.\n",
    )
    .write(
        "content/Mulch.md",
        "---\ntags: [gardening, soil]\n---\nStraw.\n",
    )
    .write(
        "content/tags/gardening.md",
        "---\ntitle: gardening\n---\nEverything about **growing** things.\n",
    )
    .write(
        "content/tags/soil/_index.md",
        "---\ntitle: What soil is\n---\nSoilintroductionwords.\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let garden = page(&site.out(), "tags/gardening");
    assert_eq!(texts(&garden, ".note-header h1"), ["Tagged “gardening”"]);
    assert_eq!(
        texts(&garden, ".tag-intro"),
        ["Everything about growing things."]
    );
    assert_eq!(texts(&garden, ".item-list a"), ["Compost", "Mulch"]);
    let soil = page(&site.out(), "tags/soil");
    assert_eq!(texts(&soil, ".note-header h1"), ["What soil is"]);
    assert_eq!(texts(&soil, ".tag-intro"), ["Soilintroductionwords."]);
    assert_eq!(texts(&soil, ".item-list a"), ["Mulch"]);
    // A link to the tag note reaches the tag's page.
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".prose a", "href"),
        ["/review/tags/gardening/"]
    );
}

#[test]
fn an_unknown_field_is_said_once_for_the_site_and_only_when_misspelt() {
    let site = TestSite::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
    for i in 0..12 {
        site.write(
            &format!("content/n{i}.md"),
            "---\ncreated-at: 2024-07-19\npublic: true\nname: Daily review\nstats: 3\ncreatedAt: 2023-05-18T14:52:44+08:00\n---\nText.\n",
        );
    }
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("front-matter field"))
        .collect();
    assert_eq!(
        lines,
        [
            "content/n0.md:3:1: warning: unknown front-matter field `public` is ignored (did you mean `publish`?) in 12 notes (this is the first; --verbose lists each)"
        ],
        "{err}"
    );
    let root = site.root().to_string_lossy().to_string();
    let verbose = site.gloss(&["check", "--root", &root, "--verbose"]);
    let listed = stdout(&verbose)
        .lines()
        .filter(|l| l.contains("unknown front-matter field `public`"))
        .count();
    assert_eq!(listed, 12, "{}", stdout(&verbose));
}

#[test]
fn zotero_literature_notes_are_read_as_their_plugins_write_them() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [[@kovacs2021]], [@ortiz2019] and [@lee2020].\n",
    )
    .write(
        "content/literature/@kovacs2021.md",
        "---\ntitle: \"Soil carbon under cover crops\"\ncitekey: \"[@kovacs2021]\"\nyear: 2021\n---\n> **Authors**:: Kovács, Anna\n\nMy notes.\n",
    )
    .write(
        "content/literature/ortiz2019.md",
        "---\ncitekey: ortiz2019\ntitle: \"Winter rye\"\nauthors: \"Ortiz, Marta and Keller, Jon\"\nyear: 2019\ncontainer: Field Crops\n---\nNotes.\n",
    )
    .write(
        "content/.pandoc/zotero.json",
        r#"[{"id": "lee2020", "type": "book", "title": "Borders", "author": [{"family": "Lee", "given": "Min"}], "issued": {"date-parts": [[2020]]}, "publisher": "Polity"}]"#,
    );
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/literature/@kovacs2021.md:3:1: warning: the reference of `kovacs2021` has no authors (`authors:`) and no journal or book (`container:`): add the fields to the note, or name the library that has the work in site.yaml's `bibliography:`"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml: note: the vault's library content/.pandoc/zotero.json is read"),
        "{err}"
    );
    // The key without its brackets, everywhere.
    let bib = site.read_out("references.bib");
    assert!(bib.contains("{kovacs2021,"), "{bib}");
    assert!(!bib.contains("[@"), "{bib}");
    assert!(site.out().join("sources/kovacs2021/index.html").is_file());
    // BibTeX's `and` between two names: two authors.
    let home = site.read_out("index.html");
    assert!(
        home.contains("Ortiz &amp; Keller, 2019")
            || home.contains("Ortiz &#38; Keller, 2019")
            || home.contains("Ortiz & Keller, 2019"),
        "{home}"
    );
    // The library's entry is cited: its source page exists.
    assert!(site.out().join("sources/lee2020/index.html").is_file());
    assert!(home.contains("Lee, 2020"), "{home}");
}

/// A library gloss finds in a vault (not one site.yaml names) gives pages only to the works the
/// notes cite or link to: bnnyng/garden's Zotero export would otherwise publish 65 pages Quartz
/// never made. And a work whose note is kept back (a draft, or not marked in a site that
/// publishes marked notes) gets no page from a found library either: wasita/quartz's two
/// drafts were published that way.
#[test]
fn a_found_library_publishes_only_cited_works_and_never_a_kept_back_note() {
    let site = TestSite::new();
    let entry = |id: &str| {
        format!(
            r#"{{"id": "{id}", "type": "book", "title": "Title {id}", "author": [{{"family": "Lee", "given": "Min"}}], "issued": {{"date-parts": [[2020]]}}}}"#
        )
    };
    let library = format!(
        "[{}, {}, {}, {}]",
        entry("cited2020"),
        entry("linked2020"),
        entry("uncited2020"),
        entry("drafted2020")
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nSee [@cited2020], [[@linked2020]] and [@drafted2020].\n",
    )
    .write(
        "content/literature/@drafted2020.md",
        "---\ncitekey: drafted2020\ndraft: true\n---\nKEPTBACKWORDS.\n",
    )
    .write("content/.pandoc/zotero.json", &library);
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let sources = site.out().join("sources");
    assert!(sources.join("cited2020/index.html").is_file(), "{err}");
    assert!(sources.join("linked2020/index.html").is_file(), "{err}");
    assert!(
        !sources.join("uncited2020").exists(),
        "an uncited work got a page"
    );
    assert!(
        !sources.join("drafted2020").exists(),
        "a draft's work got a page"
    );
    let everything = all_text(&site.out());
    assert!(!everything.contains("Title drafted2020") && !everything.contains("KEPTBACKWORDS"));
    assert!(!everything.contains("Title uncited2020"));
    // Named in site.yaml, the library is the site's: every entry is a source, a draft's as its
    // entry alone.
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{config}\nbibliography: [content/.pandoc/zotero.json]\n"),
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sources.join("uncited2020/index.html").is_file());
    assert!(sources.join("drafted2020/index.html").is_file());
    assert!(!all_text(&site.out()).contains("KEPTBACKWORDS"));
}
