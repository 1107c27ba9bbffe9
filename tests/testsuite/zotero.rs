//! `gloss import --zotero`: Zotero's own database (built here from its documented schema) into
//! source notes with their annotations, child notes and tags; read again after changes on both
//! sides; refused with a clear message when it is not one gloss reads; never written.

use std::path::Path;

use rusqlite::Connection;

use crate::common::zotero::{HIGHLIGHT, IMAGE, INK, NOTE, TEXT, UNDERLINE, Zotero};
use crate::common::{TestSite, stderr, stdout, texts};

fn import(site: &TestSite, data: &Path, extra: &[&str]) -> std::process::Output {
    let root = site.root().to_str().unwrap();
    let data = data.to_str().unwrap();
    let mut args = vec!["import", "--root", root, "--zotero", data];
    args.extend(extra);
    site.gloss(&args)
}

fn note(site: &TestSite, key: &str) -> String {
    std::fs::read_to_string(site.root().join(format!("content/sources/{key}.md")))
        .unwrap_or_else(|e| panic!("{key}: {e}"))
}

/// A library with an article carrying every kind of annotation, a child note with a script, a
/// book section, a report by an institution, and a trashed item.
fn library(dir: &Path) -> (Zotero, i64, i64) {
    let mut z = Zotero::create(dir, 123);
    let article = z.item(
        "journalArticle",
        "ART00001",
        &[
            ("title", "Either you are with us or against us"),
            ("date", "2009-07-00 July 2009"),
            ("publicationTitle", "South Asian Studies"),
            ("volume", "24"),
            ("pages", "1-20"),
            ("DOI", "10.1000/xyz"),
            ("citationKey", "jabeen2009"),
        ],
    );
    z.creator(article, "author", "Jabeen", "Musarat");
    z.tag(article, "Trust Deficit");
    z.tag(article, "drones");
    let pdf = z.pdf(Some(article), "PDF00001");
    z.annotation(
        pdf,
        "ANNHIGH2",
        HIGHLIGHT,
        "The border is drawn twice.",
        "My <b>key</b> point",
        "#ffd400",
        "12",
        13,
    );
    z.annotation(
        pdf,
        "ANNHIGH1",
        HIGHLIGHT,
        "First, on page iv: 50%% of *all* [@x] #tag",
        "",
        "#ff6666",
        "iv",
        3,
    );
    z.annotation(
        pdf,
        "ANNUNDER",
        UNDERLINE,
        "An underlined claim.",
        "",
        "#5fb236",
        "30",
        31,
    );
    z.annotation(
        pdf,
        "ANNNOTE1",
        NOTE,
        "",
        "A sticky note of mine.",
        "#ffd400",
        "31",
        32,
    );
    z.annotation(
        pdf,
        "ANNTEXT1",
        TEXT,
        "",
        "Text written on the page.",
        "#ffd400",
        "32",
        33,
    );
    z.annotation(pdf, "ANNIMAGE", IMAGE, "", "The map.", "#ffd400", "40", 41);
    z.annotation(pdf, "ANNINK01", INK, "", "", "#ffd400", "41", 42);
    z.note(article, "NOTE0001", "<div data-schema-version=\"9\"><h1>Reading</h1><p>Useful <strong>framing</strong>.</p><script>alert('x')</script><p><a href=\"javascript:alert(1)\">click</a></p></div>");
    z.base_field("bookSection", "bookTitle", "publicationTitle");
    let chapter = z.item(
        "bookSection",
        "CHAP0001",
        &[
            ("title", "Borders and drones"),
            ("bookTitle", "Handbook of Borders"),
            ("date", "2015"),
            ("publisher", "Routledge"),
        ],
    );
    z.creator(chapter, "author", "Noor", "Sanam");
    z.creator(chapter, "editor", "Khan", "Ali");
    let report = z.item(
        "report",
        "REPO0001",
        &[("title", "Annual report"), ("date", "2020-00-00 2020")],
    );
    z.creator(report, "author", "World Health Organization", "");
    let gone = z.item(
        "book",
        "TRASH001",
        &[("title", "Thrown away"), ("date", "2001")],
    );
    z.creator(gone, "author", "Gone", "Gail");
    z.trash(gone);
    (z, article, pdf)
}

#[test]
fn items_become_notes_with_annotations_notes_and_tags_and_the_database_is_untouched() {
    let site = TestSite::new();
    site.write("site.yaml", "title: T\nbase_url: https://x.github.io/review/\nzotero:\n  colors:\n    \"#ffd400\": Key passages\n    red: Disagree\n");
    let data = tempfile::tempdir().unwrap();
    let (z, _, _) = library(data.path());
    let db = z.path();
    drop(z);
    let before = std::fs::read(&db).unwrap();
    let out = import(&site, data.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 item(s) in Zotero's trash"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database changed");
    let sidecars: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(sidecars.len(), 1, "{sidecars:?}");

    let text = note(&site, "jabeen2009");
    assert!(
        text.contains("tags: [\"trust-deficit\", \"drones\"]"),
        "{text}"
    );
    // Grouped by the legend, in its order, then the rest; page order within a group.
    let order = [
        "### Key passages",
        "> The border is drawn twice. [@jabeen2009, p. 12]",
        "My **key** point",
        "A sticky note of mine. [@jabeen2009, p. 31]",
        "Text written on the page.",
        "*Image on p. 40",
        "The map.",
        "*Drawing on p. 41",
        "### Disagree",
        "First, on page iv",
        "### Other annotations",
        "> An underlined claim. [@jabeen2009, p. 30]",
        "## Notes from Zotero",
        "### Reading",
    ];
    let mut at = 0;
    for part in order {
        let found = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} not after byte {at}:\n{text}"));
        at += found + part.len();
    }
    assert!(
        text.contains("zotero://open-pdf/library/items/PDF00001?page=14&annotation=ANNHIGH2"),
        "{text}"
    );
    assert!(!text.contains("alert"), "{text}");
    assert!(!text.contains("Thrown away"));
    assert!(
        !site
            .root()
            .join("content/sources/gone_thrown_2001.md")
            .exists()
    );
    let chapter = note(&site, "noor_borders_2015");
    assert!(
        chapter.contains("type: chapter") && chapter.contains("container: \"Handbook of Borders\""),
        "{chapter}"
    );
    assert!(chapter.contains("editors:\n  - \"Khan, Ali\""), "{chapter}");
    assert!(!chapter.contains("zotero: begin"), "{chapter}");
    let report = note(&site, "world_health_organization_annual_2020");
    assert!(report.contains("World Health Organization"), "{report}");

    site.build_ok();
    let page = site.html("sources/jabeen2009/index.html");
    let quotes = texts(&page, "blockquote");
    assert!(
        quotes
            .iter()
            .any(|q| q == "The border is drawn twice. (Jabeen, 2009, p. 12)"),
        "{quotes:?}"
    );
    assert!(
        quotes
            .iter()
            .any(|q| q == "First, on page iv: 50%% of *all* [@x] #tag (Jabeen, 2009, p. iv)"),
        "{quotes:?}"
    );
    let html = site.read_out("sources/jabeen2009/index.html");
    assert!(
        !html.contains("zotero://") && !html.contains("open in Zotero"),
        "a private link was published"
    );
    assert!(
        !html.contains("alert") && !html.contains("<script>alert"),
        "a script survived"
    );
    assert!(texts(&page, "strong").contains(&"key".to_string()));
}

#[test]
fn a_second_import_rewrites_only_the_section_and_follows_zotero() {
    let site = TestSite::new();
    let data = tempfile::tempdir().unwrap();
    let (mut z, article, pdf) = library(data.path());
    assert!(import(&site, data.path(), &[]).status.success());
    let path = site.root().join("content/sources/jabeen2009.md");
    let first = std::fs::read_to_string(&path).unwrap();
    let begin = first.find("%% zotero: begin %%").unwrap();
    let end = first.find("%% zotero: end %%\n").unwrap() + "%% zotero: end %%\n".len();
    let (before, after) = (
        format!("{}My own words  \r\nabove.\n\n", &first[..begin]),
        "\nAnd below, *mine*.\n\n%% private %%\n".to_string(),
    );
    std::fs::write(&path, format!("{before}{}{after}", &first[begin..end])).unwrap();

    // In Zotero: one annotation deleted, one added, the title changed, the note deleted.
    let high: i64 =
        z.db.query_row("SELECT itemID FROM items WHERE key = 'ANNHIGH1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    z.delete(high);
    z.annotation(
        pdf,
        "ANNNEW01",
        HIGHLIGHT,
        "A new highlight.",
        "",
        "#ffd400",
        "50",
        51,
    );
    z.set(article, "title", "Either you are with us: a study");
    z.db.execute("DELETE FROM itemNotes", []).unwrap();
    drop(z);
    let out = import(&site, data.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let second = std::fs::read_to_string(&path).unwrap();
    let front_end = second.find("\n---\n").unwrap() + 5;
    let begin = second.find("%% zotero: begin %%").unwrap();
    let end = second.find("%% zotero: end %%\n").unwrap() + "%% zotero: end %%\n".len();
    assert!(
        second.contains("title: \"Either you are with us: a study\""),
        "{second}"
    );
    assert_eq!(
        &second[front_end..begin],
        &before[before.find("\n---\n").unwrap() + 5..],
        "text above the section changed"
    );
    assert_eq!(&second[end..], after, "text below the section changed");
    let section = &second[begin..end];
    assert!(
        section.contains("A new highlight. [@jabeen2009, p. 50]"),
        "{section}"
    );
    assert!(
        !section.contains("First, on page iv"),
        "a deleted annotation stayed: {section}"
    );
    assert!(!section.contains("Notes from Zotero"), "{section}");

    // A third import with nothing changed writes nothing.
    let out = import(&site, data.path(), &[]);
    assert!(
        stdout(&out).contains("unchanged  content/sources/jabeen2009.md"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), second);
}

#[test]
fn collections_with_their_sub_collections_tags_and_themes() {
    let site = TestSite::new();
    site.write("site.yaml", "title: T\nbase_url: https://x.github.io/review/\nzotero:\n  collections_as_themes:\n    Thesis: borders\n");
    let data = tempfile::tempdir().unwrap();
    let mut z = Zotero::create(data.path(), 120);
    let thesis = z.collection("Thesis", None);
    let chapter = z.collection("Chapter 2", Some(thesis));
    let other = z.collection("Other", None);
    for (key, collection, tag) in [
        ("AAAA0001", chapter, "keep"),
        ("AAAA0002", thesis, "drop"),
        ("AAAA0003", other, "keep"),
    ] {
        let item = z.item(
            "book",
            key,
            &[("title", &format!("Book {key}")), ("date", "2020")],
        );
        z.creator(item, "author", "Doe", "Ana");
        z.file_in(collection, item);
        z.tag(item, tag);
    }
    drop(z);
    let out = import(&site, data.path(), &["--collection", "Thesis", "--dry-run"]);
    assert!(
        stdout(&out).contains("new        content/sources/doe_book_2020.md"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("doe_book_2020-1.md"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("doe_book_2020-2"),
        "{}",
        stdout(&out)
    );
    assert!(
        !site.root().join("content/sources").exists(),
        "a dry run wrote notes"
    );
    let out = import(
        &site,
        data.path(),
        &["--collection", "Thesis", "--tag", "keep"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(site.root().join("content/sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["doe_book_2020.md"]);
    assert!(note(&site, "doe_book_2020").contains("tags: [\"keep\", \"borders\"]"));
}

#[test]
fn databases_gloss_cannot_read_are_refused_naming_what_was_found() {
    let site = TestSite::new();
    let old = tempfile::tempdir().unwrap();
    let z = Zotero::create(old.path(), 77);
    z.db.execute("UPDATE version SET version = 77", []).unwrap();
    drop(z);
    let out = import(&site, old.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Zotero 4 database (userdata schema 77)"),
        "{}",
        stderr(&out)
    );

    let newer = tempfile::tempdir().unwrap();
    let z = Zotero::create(newer.path(), 131);
    z.db.execute_batch("ALTER TABLE creators RENAME COLUMN fieldMode TO nameMode")
        .unwrap();
    drop(z);
    let out = import(&site, newer.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("schema 131) has no column creators.fieldMode"),
        "{}",
        stderr(&out)
    );

    let text = tempfile::tempdir().unwrap();
    std::fs::write(text.path().join("zotero.sqlite"), "not a database").unwrap();
    let out = import(&site, text.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a Zotero database"),
        "{}",
        stderr(&out)
    );

    let empty = tempfile::tempdir().unwrap();
    let out = import(&site, empty.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no Zotero database at")
            && stderr(&out).contains("--zotero ~/Zotero"),
        "{}",
        stderr(&out)
    );
    assert!(!site.root().join("content/sources").exists());
}

#[test]
fn a_database_open_in_zotero_with_a_write_ahead_log_is_read_whole_and_left_alone() {
    let site = TestSite::new();
    let data = tempfile::tempdir().unwrap();
    let mut z = Zotero::create(data.path(), 129);
    let first = z.item(
        "book",
        "BOOK0001",
        &[("title", "Committed long ago"), ("date", "1999")],
    );
    z.creator(first, "author", "Old", "Olga");
    drop(z);
    // Zotero 10 as it runs: WAL mode, an exclusive lock, a commit not yet checkpointed.
    let writer = Connection::open(data.path().join("zotero.sqlite")).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA locking_mode=EXCLUSIVE;",
        )
        .unwrap();
    writer
        .execute_batch("INSERT INTO items (itemTypeID, libraryID, key, dateAdded) SELECT itemTypeID, 1, 'BOOK0002', '2024-05-05' FROM items WHERE key = 'BOOK0001';")
        .unwrap();
    let wal = data.path().join("zotero.sqlite-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let (db_before, wal_before) = (
        std::fs::read(data.path().join("zotero.sqlite")).unwrap(),
        std::fs::read(&wal).unwrap(),
    );
    let out = import(&site, data.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("private copy"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("2 items"),
        "the commit in the -wal was missed: {}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read(data.path().join("zotero.sqlite")).unwrap(),
        db_before
    );
    assert_eq!(std::fs::read(&wal).unwrap(), wal_before);
    // Zotero's connection still works: gloss took no lock.
    writer
        .execute_batch("INSERT INTO tags (name) VALUES ('still mine')")
        .unwrap();
}

#[test]
fn a_section_opened_and_never_closed_stops_the_import() {
    let site = TestSite::new();
    let data = tempfile::tempdir().unwrap();
    drop(library(data.path()));
    assert!(import(&site, data.path(), &[]).status.success());
    let path = site.root().join("content/sources/jabeen2009.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("%% zotero: end %%\n", "");
    std::fs::write(&path, &text).unwrap();
    let out = import(&site, data.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/sources/jabeen2009.md:")
            && stderr(&out).contains("never closed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// `gloss serve --zotero DIR`: the library is imported at start, and a highlight made in Zotero
/// while serve runs reaches the source page without anything else done; a site.yaml's `zotero:
/// watch:` does the same.
#[test]
fn serve_imports_again_when_zotero_changes_and_the_page_shows_the_highlight() {
    use crate::common::serve::{Server, http_get};
    for by_config in [false, true] {
        let site = TestSite::new();
        site.write(
            "content/_index.md",
            "---\ntitle: Home\n---\nReading notes.\n",
        );
        let data = tempfile::tempdir().unwrap();
        let (mut z, _, pdf) = library(data.path());
        let dir = data.path().to_str().unwrap().to_string();
        let mut server = if by_config {
            let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
            site.write(
                "site.yaml",
                &format!(
                    "{config}\nzotero:\n  watch: {}\n",
                    serde_json::to_string(&dir).unwrap()
                ),
            );
            Server::start(site.root(), &[])
        } else {
            Server::start(site.root(), &["--zotero", &dir])
        };
        server.wait_line(|l| l.contains("source notes written from Zotero"));
        let page = |server: &Server| {
            let path = format!("{}sources/jabeen2009/", server.base_path);
            http_get(server.addr, &path, "127.0.0.1").text()
        };
        // The first import's notes are built once serve's watcher sees them.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !page(&server).contains("The border is drawn twice.") {
            assert!(
                std::time::Instant::now() < deadline,
                "{}",
                server.seen.join("\n")
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        z.annotation(
            pdf,
            "ANNLIVE1",
            HIGHLIGHT,
            "Highlighted while serve ran.",
            "",
            "#ffd400",
            "77",
            78,
        );
        drop(z);
        server.wait_line(|l| l.contains("1 source note written from Zotero"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let text = page(&server);
            if text.contains("Highlighted while serve ran.") {
                assert!(text.contains("p. 77"), "{text}");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{}",
                server.seen.join("\n")
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}
