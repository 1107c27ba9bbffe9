//! End-to-end tests of `gloss serve`: the real binary on a free loopback port, serving a
//! temporary copy of `tests/fixtures/serve-site`, spoken to over real HTTP with `std::net`.
//! Every wait is bounded, and the server process is killed on every path (a Drop guard).

use crate::common;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::{
    SCRIPT_START, Server, WAIT, copy_dir, edit_by_rename, edit_in_place, fixture, http_get, read,
    repo, without_script,
};

use gloss::incremental::Cache;
use gloss::{LoadOptions, build_in_memory};

#[test]
fn serves_pages_and_reloads_after_in_place_and_rename_edits() {
    let site = fixture();
    let root = site.path();
    let server = Server::start(root, &[]);
    assert_eq!(
        server.base_path, "/",
        "serve uses its own address as the base URL by default"
    );
    let page = server.page("sources/alpha2020/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page.head.contains("text/html"));
    let html = page.text();
    assert!(
        html.contains("ALPHA-ANNOTATION-V1") && html.contains(SCRIPT_START),
        "{html}"
    );
    assert!(
        html.contains("href=\"/themes/trust/\""),
        "links work locally: {html}"
    );

    let mut events = server.events();
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "ALPHA-ANNOTATION-V1",
        "ALPHA-ANNOTATION-V2",
    );
    events.wait_for("reload");
    assert!(
        server
            .page("sources/alpha2020/")
            .text()
            .contains("ALPHA-ANNOTATION-V2")
    );

    edit_by_rename(
        root,
        "content/sources/alpha2020.md",
        "ALPHA-ANNOTATION-V2",
        "ALPHA-ANNOTATION-V3",
    );
    events.wait_for("reload");
    let html = server.page("sources/alpha2020/").text();
    assert!(
        html.contains("ALPHA-ANNOTATION-V3") && !html.contains("V2"),
        "{html}"
    );
    assert!(!root.join("public").exists(), "serve never writes public/");

    // The build output itself never carries the script.
    let built = build_in_memory(
        &LoadOptions {
            root: root.to_path_buf(),
            base_url: None,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    for file in &built.files {
        let text = String::from_utf8_lossy(&file.bytes);
        assert!(
            !text.contains("__gloss") && !text.contains(SCRIPT_START),
            "{}",
            file.path
        );
    }
}

#[test]
fn yaml_error_shows_an_overlay_over_the_last_good_page_until_fixed() {
    let site = fixture();
    let root = site.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "year: 2020",
        "year: [2020",
    );
    let data = events.wait_for("broken");
    assert!(data.contains("content/sources/alpha2020.md:"), "{data}");
    server.wait_line(|l| l.contains("build failed"));
    assert!(
        server
            .seen
            .iter()
            .any(|l| l.starts_with("err: content/sources/alpha2020.md:")),
        "{:?}",
        server.seen
    );

    let page = server.page("sources/alpha2020/");
    assert_eq!(page.status, 200, "the last good page is still served");
    let html = page.text();
    assert!(html.contains("ALPHA-ANNOTATION-V1"), "{html}");
    assert!(
        html.contains("id=\"gloss-overlay\"") && html.contains("content/sources/alpha2020.md:5"),
        "{html}"
    );

    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "year: [2020",
        "year: 2020",
    );
    events.wait_for("reload");
    let html = server.page("sources/alpha2020/").text();
    assert!(
        html.contains("ALPHA-ANNOTATION-V1") && !html.contains("id=\"gloss-overlay\""),
        "{html}"
    );
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let site = fixture();
    let root = site.path();
    edit_in_place(root, "site.yaml", "title:", "titel:");
    let server = Server::start(root, &[]);
    let page = server.page("");
    assert_eq!(page.status, 503);
    assert!(
        page.text().contains("site.yaml:1") && page.text().contains("titel"),
        "{}",
        page.text()
    );
    let mut events = server.events();
    edit_in_place(root, "site.yaml", "titel:", "title:");
    events.wait_for("reload");
    assert_eq!(server.page("").status, 200);
}

#[test]
fn paths_outside_the_built_site_are_refused() {
    let site = fixture();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("site.yaml"), root.join("static/leak.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("site.yaml"), root.join("content/leak.md")).unwrap();
    }
    let server = Server::start(root, &[]);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/sources/..%2f..%2fsite.yaml",
    ] {
        let status = server.get(path).status;
        assert!(status == 400 || status == 404, "{path} gave {status}");
    }
    for path in [
        "/site.yaml",
        "/content/about.md",
        "/leak.txt",
        "/leak/",
        "/themes/default/templates/base.html",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    assert_eq!(
        http_get(server.addr, "/", "evil.example").status,
        400,
        "DNS-rebinding guard"
    );
    assert_eq!(http_get(server.addr, "/", "localhost").status, 200);
}

#[test]
fn deleting_a_cited_source_is_reported_on_the_citing_page() {
    let site = fixture();
    let root = site.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    std::fs::remove_file(root.join("content/sources/beta2021.md")).unwrap();
    events.wait_for("broken");
    let html = server.page("themes/trust/").text();
    assert!(
        html.contains("TRUST-SYNTHESIS") && html.contains("id=\"gloss-overlay\""),
        "{html}"
    );
    assert!(html.contains("content/themes/trust.md:5"), "{html}");
    assert!(
        html.contains("citation key `beta2021` has no source note"),
        "{html}"
    );
    server.wait_line(|l| l.starts_with("err: content/themes/trust.md:5") && l.contains("beta2021"));
}

#[test]
fn new_folders_new_and_deleted_notes_and_stylesheets_are_picked_up() {
    let site = fixture();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut events = server.events();

    std::fs::create_dir_all(root.join("content/guides/deep")).unwrap();
    std::fs::write(
        root.join("content/guides/deep/fresh.md"),
        "---\ntitle: Fresh\n---\nFRESH-PAGE citing [@beta2019].\n",
    )
    .unwrap();
    events.wait_for("reload");
    assert!(
        server
            .page("guides/deep/fresh/")
            .text()
            .contains("FRESH-PAGE")
    );
    assert!(
        server.page("sources/beta2019/").text().contains("Fresh"),
        "the new backlink appears"
    );

    std::fs::remove_file(root.join("content/guides/deep/fresh.md")).unwrap();
    events.wait_for("reload");
    assert_eq!(server.page("guides/deep/fresh/").status, 404);
    assert!(
        !server.page("sources/beta2019/").text().contains("Fresh"),
        "the backlink is gone"
    );

    let css = root.join("themes/default/static/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.serve-test { color: red; }\n");
    std::fs::write(&css, text).unwrap();
    let data = events.wait_for("css");
    assert!(data.contains("\"/style.css\""), "{data}");
    assert!(server.page("style.css").text().contains(".serve-test"));
}

/// A site.yaml edit that moves the notes to the site's root (`content_dir: .`) makes the whole
/// root watched: a note in a subfolder edited afterwards is rebuilt without a restart.
#[test]
fn notes_moved_to_the_root_by_site_yaml_are_watched_in_every_subfolder() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let yaml = "title: Vault\nbase_url: https://example.org/\ncontent_dir: notes\n";
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/Home.md"), "---\ntitle: Home\n---\nHOME\n").unwrap();
    std::fs::create_dir_all(root.join("Projects/Deep")).unwrap();
    std::fs::write(
        root.join("Projects/Deep/Later.md"),
        "---\ntitle: Later\n---\nLATER-V1\n",
    )
    .unwrap();
    let server = Server::start(root, &[]);
    let mut events = server.events();
    assert_eq!(server.page("projects/deep/later/").status, 404);

    std::fs::write(root.join("site.yaml"), yaml.replace("notes", ".")).unwrap();
    events.wait_for("reload");
    assert!(
        server
            .page("projects/deep/later/")
            .text()
            .contains("LATER-V1")
    );

    edit_in_place(root, "Projects/Deep/Later.md", "LATER-V1", "LATER-V2");
    events.wait_for("reload");
    assert!(
        server
            .page("projects/deep/later/")
            .text()
            .contains("LATER-V2")
    );
}

/// Media a page embeds are sent with their media types, and a byte range of one (a video's
/// seeking) is answered with that part alone.
#[test]
fn media_are_sent_with_their_types_and_in_the_ranges_asked_for() {
    let site = fixture();
    let root = site.path();
    let clip: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    std::fs::create_dir_all(root.join("content/media")).unwrap();
    for name in ["clip.mp4", "clip.webm", "talk.mp3"] {
        std::fs::write(root.join("content/media").join(name), &clip).unwrap();
    }
    let server = Server::start(root, &[]);
    let get = |rel: &str, range: Option<&str>| {
        let range = range.map_or(String::new(), |r| format!("Range: {r}\r\n"));
        let request = format!(
            "GET {}{rel} HTTP/1.1\r\nHost: {}\r\n{range}Connection: close\r\n\r\n",
            server.base_path, server.addr
        );
        common::http_exchange(server.addr, &request, WAIT)
    };
    let header = |head: &str, name: &str| {
        head.lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    for (rel, media_type) in [
        ("media/clip.mp4", "video/mp4"),
        ("media/clip.webm", "video/webm"),
        ("media/talk.mp3", "audio/mpeg"),
    ] {
        let (status, head, body) = get(rel, None);
        assert_eq!(status, 200, "{rel}: {head}");
        assert_eq!(header(&head, "Content-Type"), media_type, "{rel}");
        assert_eq!(header(&head, "Accept-Ranges"), "bytes", "{rel}");
        assert_eq!(body, clip, "{rel}");
    }
    let (status, head, body) = get("media/clip.mp4", Some("bytes=100-199"));
    assert_eq!(status, 206, "{head}");
    assert_eq!(header(&head, "Content-Range"), "bytes 100-199/1000");
    assert_eq!(header(&head, "Content-Length"), "100");
    assert_eq!(body, clip[100..200]);
    let (status, head, body) = get("media/clip.mp4", Some("bytes=990-"));
    assert_eq!(
        (status, header(&head, "Content-Range")),
        (206, "bytes 990-999/1000".into())
    );
    assert_eq!(body, clip[990..]);
    let (status, _, body) = get("media/clip.mp4", Some("bytes=-5"));
    assert_eq!((status, body.as_slice()), (206, &clip[995..]));
    let (status, head, body) = get("media/clip.mp4", Some("bytes=1000-"));
    assert_eq!(status, 416, "{head}");
    assert_eq!(header(&head, "Content-Range"), "bytes */1000");
    assert!(body.is_empty());
    // A generated file answers ranges too; a page is always sent whole, with its script.
    let (status, _, body) = get("references.bib", Some("bytes=0-0"));
    assert_eq!((status, body.len()), (206, 1));
    let (status, _, body) = get("", Some("bytes=0-0"));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains(SCRIPT_START));
}

/// Many files saved at once (a `git checkout`) are all rebuilt, in a bounded number of rebuilds
/// (usually one: how the debouncer splits the burst depends on the machine's load, so the test
/// holds the result, not the count, to one).
#[test]
fn several_files_saved_at_once_are_all_rebuilt() {
    let site = fixture();
    let root = site.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    server.drain();
    for (rel, from) in [
        ("content/sources/alpha2020.md", "ALPHA-ANNOTATION-V1"),
        ("content/sources/beta2019.md", "BETA-2019-ANNOTATION"),
        ("content/sources/beta2021.md", "BETA-2021-ANNOTATION"),
        ("content/themes/trust.md", "TRUST-SYNTHESIS"),
    ] {
        edit_in_place(root, rel, from, &format!("{from}-CHECKOUT"));
    }
    events.wait_for("reload");
    let pages = [
        "sources/alpha2020/",
        "sources/beta2019/",
        "sources/beta2021/",
        "themes/trust/",
    ];
    let deadline = Instant::now() + WAIT;
    while !pages
        .iter()
        .all(|rel| server.page(rel).text().contains("-CHECKOUT"))
    {
        assert!(Instant::now() < deadline, "not every page was rebuilt");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.drain();
    let rebuilds = server
        .seen
        .iter()
        .filter(|l| l.contains("rebuilt in"))
        .count();
    assert!((1..=4).contains(&rebuilds), "{:?}", server.seen);
}

#[test]
fn a_base_url_with_a_path_is_served_under_that_path() {
    let site = fixture();
    let server = Server::start(site.path(), &["--base-url", "https://example.org/review/"]);
    assert_eq!(server.base_path, "/review/");
    assert!(server.url.ends_with("/review/"), "{}", server.url);
    let home = server.get("/review/");
    assert_eq!(home.status, 200);
    assert!(
        home.text().contains("href=\"/review/themes/trust/\""),
        "{}",
        home.text()
    );
    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert!(root.head.contains("Location: /review/"), "{}", root.head);
    assert_eq!(
        server.get("/review/sources/alpha2020").status,
        302,
        "a missing trailing slash redirects"
    );
    assert_eq!(server.get("/sources/alpha2020/").status, 404);
    assert_eq!(server.get("/review/style.css").status, 200);
}

#[test]
fn served_site_matches_a_clean_build_after_a_sequence_of_edits() {
    let site = fixture();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut events = server.events();
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "trust is built",
        "trust is rebuilt",
    );
    events.wait_for("reload");
    edit_by_rename(
        root,
        "content/sources/beta2019.md",
        "year: 2019",
        "year: 2021",
    );
    events.wait_for("reload");
    std::fs::write(
        root.join("content/sources/delta2018.md"),
        "---\ntype: web\ntitle: \"A new web source\"\nauthors: [\"Delta, Dee\"]\nyear: 2018\nurl: \"https://example.org/d\"\n---\nDELTA cites [@alpha2020].\n",
    )
    .unwrap();
    events.wait_for("reload");
    edit_in_place(
        root,
        "content/themes/trust.md",
        "TRUST-SYNTHESIS.",
        "TRUST-SYNTHESIS, with [[delta2018]].",
    );
    events.wait_for("reload");
    std::fs::remove_file(root.join("content/about.md")).unwrap();
    events.wait_for("reload");
    edit_in_place(
        root,
        "themes/default/templates/base.html",
        "</footer>",
        "<!-- edited --></footer>",
    );
    events.wait_for("reload");

    let url = format!("http://{}/", server.addr);
    let clean = build_in_memory(
        &LoadOptions {
            root: root.to_path_buf(),
            base_url: Some(url),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    assert!(
        clean
            .files
            .iter()
            .any(|f| f.path == "sources/delta2018/index.html")
    );
    for file in &clean.files {
        let served = server.page(&file.path);
        assert_eq!(served.status, 200, "{}", file.path);
        assert!(
            without_script(&served.body) == *file.bytes,
            "{} differs from a clean build",
            file.path
        );
    }
    for copy in &clean.copies {
        assert_eq!(
            server.page(&copy.rel).body,
            std::fs::read(&copy.abs).unwrap(),
            "{}",
            copy.rel
        );
    }
    assert_eq!(
        server.page("about/").status,
        404,
        "the deleted page is gone"
    );
}

/// The incremental cache itself: after each edit, a warm build equals a clean one, and a
/// one-note body edit reparses one note and formats no source again.
#[test]
fn warm_builds_are_byte_identical_to_clean_builds() {
    let site = fixture();
    let root = site.path();
    let options = LoadOptions {
        root: root.to_path_buf(),
        base_url: None,
        ..Default::default()
    };
    let mut cache = Cache::default();
    let compare = |cache: &mut Cache, step: &str| {
        let warm = build_in_memory(&options, Some(cache));
        let clean = build_in_memory(&options, None);
        match (warm, clean) {
            (Ok(warm), Ok(clean)) => {
                assert!(warm.files == clean.files, "{step}: generated files differ");
                let rels = |b: &gloss::Built| {
                    b.copies
                        .iter()
                        .map(|c| (c.rel.clone(), c.abs.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(rels(&warm), rels(&clean), "{step}");
            }
            (Err(warm), Err(clean)) => assert_eq!(warm.to_string(), clean.to_string(), "{step}"),
            (warm, clean) => panic!(
                "{step}: warm ok = {}, clean ok = {}",
                warm.is_ok(),
                clean.is_ok()
            ),
        }
    };
    compare(&mut cache, "first build");
    type Edit<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let edits: Vec<Edit> = vec![
        (
            "body edit",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/alpha2020.md",
                    "slowly",
                    "very slowly",
                )
            }),
        ),
        (
            "title edit",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/beta2019.md",
                    "under strain",
                    "under stress",
                )
            }),
        ),
        (
            "same author and year: 2021a/2021b",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/beta2019.md",
                    "year: 2019",
                    "year: 2021",
                )
            }),
        ),
        (
            "author moves cluster",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/beta2021.md",
                    "[\"Beta, Bo\", ",
                    "[\"Zeta, Zed\", ",
                )
            }),
        ),
        (
            "new source",
            Box::new(|| {
                std::fs::write(root.join("content/sources/beta2020.md"), "---\ntype: book\ntitle: \"Between\"\nauthors: [\"Beta, Bo\"]\nyear: 2020\npublisher: \"P\"\n---\nCites [@beta2019].\n").unwrap()
            }),
        ),
        (
            // Only the matrix's count of alpha2020 under the theme changes (1 -> 2): the
            // spreadsheet a warm build reuses must not be the old one.
            "a theme cites a source it cites already",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust.md",
                    "TRUST-SYNTHESIS.",
                    "TRUST-SYNTHESIS. Trust comes first [@alpha2020].",
                )
            }),
        ),
        (
            "cited source deleted",
            Box::new(|| std::fs::remove_file(root.join("content/sources/beta2021.md")).unwrap()),
        ),
        (
            "citation removed",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust.md",
                    ", and the report returns to it [@beta2021, p. 4]",
                    "",
                )
            }),
        ),
        (
            "theme renamed",
            Box::new(|| {
                std::fs::rename(
                    root.join("content/themes/trust.md"),
                    root.join("content/themes/confidence.md"),
                )
                .unwrap()
            }),
        ),
        (
            "tags follow",
            Box::new(|| {
                for rel in [
                    "content/sources/alpha2020.md",
                    "content/sources/beta2019.md",
                ] {
                    edit_in_place(root, rel, "tags: [trust]", "tags: [confidence]");
                }
                edit_in_place(root, "content/_index.md", "[[trust]]", "[[confidence]]");
            }),
        ),
        (
            "template edit",
            Box::new(|| {
                edit_in_place(
                    root,
                    "themes/default/templates/base.html",
                    "</footer>",
                    "<!-- x --></footer>",
                )
            }),
        ),
        (
            "site.yaml edit",
            Box::new(|| {
                edit_in_place(root, "site.yaml", "Serve fixture", "Serve fixture, renamed")
            }),
        ),
    ];
    for (step, edit) in &edits {
        edit();
        compare(&mut cache, step);
    }
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "very slowly",
        "slowly",
    );
    compare(&mut cache, "last body edit");
    let stats = cache.stats();
    assert_eq!(
        (
            stats.notes_parsed,
            stats.sources_formatted,
            stats.bodies_rendered
        ),
        (1, 0, 1),
        "{stats:?}"
    );
    // The note's own page, the page its citation's context appears on (beta2019's backlinks),
    // and the pages whose preview cards show the edited opening words (the notes citing it).
    assert_eq!(stats.pages_rendered, 4, "{stats:?}");
    assert!(stats.pages_reused > 5, "{stats:?}");
}

/// The plan that lets a warm build skip pages without building their input: over a copy of the
/// bundled review, with every skipped page checked anyway (`verify_plans`), no edit to a body,
/// summary or date leaves a skipped page whose input changed, and every warm build equals a clean
/// one. A one-note edit that touches no reference renders that note's page alone.
#[test]
fn planned_builds_skip_only_pages_that_cannot_have_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo().join("content"), &root.join("content"));
    copy_dir(&repo().join("themes"), &root.join("themes"));
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
    let options = LoadOptions {
        root: root.to_path_buf(),
        base_url: None,
        ..Default::default()
    };
    let mut cache = Cache::default();
    cache.verify_plans(true);
    let check = |cache: &mut Cache, step: &str| {
        let warm = build_in_memory(&options, Some(cache)).unwrap();
        let clean = build_in_memory(&options, None).unwrap();
        assert_eq!(
            cache.mismatches(),
            Vec::<String>::new(),
            "{step}: the plan skipped pages whose input changed"
        );
        let differ: Vec<&str> = warm
            .files
            .iter()
            .zip(&clean.files)
            .filter(|(w, c)| w != c)
            .map(|(w, _)| w.path.as_str())
            .collect();
        assert!(
            warm.files.len() == clean.files.len() && differ.is_empty(),
            "{step}: generated files differ: {differ:?}"
        );
        cache.stats()
    };
    let first = check(&mut cache, "first build");
    assert_eq!(first.checked_all, Some("first build"));
    let append = |rel: &str, text: &str| {
        let mut body = read(root, rel);
        body.push_str(text);
        std::fs::write(root.join(rel), body).unwrap();
    };
    type Edit<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let planned: Vec<Edit> = vec![
        (
            "a paragraph with no reference",
            Box::new(|| append("content/sources/rath2011.md", "\nPLAIN-PARAGRAPH.\n")),
        ),
        (
            "a passage that cites changes (same length)",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust-deficit.md",
                    "Mistrust is the organizing idea",
                    "Mistrust is the organising idea",
                )
            }),
        ),
        (
            "a locator added (the passage's text is the same)",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust-deficit.md",
                    "idea of the research article [@adilnd]",
                    "idea of the research article [@adilnd, p. 2]",
                )
            }),
        ),
        (
            "a citation added",
            Box::new(|| append("content/sources/rath2011.md", "\nSee also [@walt1990].\n")),
        ),
        (
            "a wikilink added",
            Box::new(|| append("content/sources/walt1990.md", "\nCompare [[chronology]].\n")),
        ),
        (
            "a citation removed",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/rath2011.md",
                    "See also [@walt1990].",
                    "See also Walt.",
                )
            }),
        ),
        (
            "a source cited once more (the matrix counts citations)",
            Box::new(|| append("content/themes/trust-deficit.md", "\nAgain [@adilnd].\n")),
        ),
        (
            "an event added (the timeline shows it)",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/chronology.md",
                    "events:\n",
                    "events:\n  - date: \"1999\"\n    title: \"A test event\"\n",
                )
            }),
        ),
        (
            "a summary changes",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust-deficit.md",
                    "summary: \"How both seeds",
                    "summary: \"How the two seeds",
                )
            }),
        ),
        (
            "a date changed",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/china-axis.md",
                    "\ndate: 2026-11-04\n",
                    "\ndate: 2024-05-01\n",
                )
            }),
        ),
    ];
    for (step, edit) in &planned {
        edit();
        let stats = check(&mut cache, step);
        assert_eq!(stats.checked_all, None, "{step}: {stats:?}");
        // A theme's summary is on the preview cards of every note tagged with it (36 here):
        // those pages are checked, the others still skipped. A theme's new citation puts every
        // work it cites under review (its passages there), and the listings (the matrix).
        let skipped = match *step {
            "a summary changes" => 30,
            "a source cited once more (the matrix counts citations)" => 40,
            _ => 50,
        };
        assert!(stats.pages_skipped > skipped, "{step}: {stats:?}");
    }
    append(
        "content/sources/jabeen2009.md",
        "\nANOTHER-PLAIN-PARAGRAPH.\n",
    );
    let stats = check(&mut cache, "one more plain paragraph");
    assert_eq!(
        (
            stats.notes_parsed,
            stats.bodies_rendered,
            stats.pages_rendered
        ),
        (1, 1, 1),
        "{stats:?}"
    );
    // Headers and the set of notes: the pages showing them are found too, never all of them.
    let source = read(root, "content/sources/jabeen2011.md");
    let headers: Vec<Edit> = vec![
        (
            "a source's title changes",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/walt1990.md",
                    "title: \"",
                    "title: \"Retitled: ",
                )
            }),
        ),
        (
            "a theme's title changes (its tagged notes name it)",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/themes/trust-deficit.md",
                    "title: \"The",
                    "title: \"Retitled: the",
                )
            }),
        ),
        (
            "a tag added and one removed",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/jabeen2011.md",
                    "tags: [cold-war-and-post-911-history, aid-sanctions-do-more,",
                    "tags: [trust-deficit,",
                )
            }),
        ),
        (
            "same author and year as another work: both become 2009a and 2009b",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/jabeen2011.md",
                    "  - \"Mazhar, M. S.\"\nyear: 2011",
                    "year: 2009",
                )
            }),
        ),
        (
            "the same work back",
            Box::new(|| {
                std::fs::write(root.join("content/sources/jabeen2011.md"), &source).unwrap()
            }),
        ),
        (
            "a note added that cites and links",
            Box::new(|| {
                std::fs::write(
                    root.join("content/sources/added2020.md"),
                    "---\ntype: book\ntitle: \"An added book\"\nauthors: [\"Zed, Z.\"]\nyear: 2020\npublisher: \"P\"\ntags: [nuclear-thread]\n---\nIt builds on [@walt1990] and [[chronology]].\n",
                )
                .unwrap()
            }),
        ),
        (
            "a note cites the added one",
            Box::new(|| append("content/sources/rath2011.md", "\nAnd [@added2020].\n")),
        ),
        (
            "the citation and the added note removed",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/sources/rath2011.md",
                    "\nAnd [@added2020].\n",
                    "\n",
                );
                std::fs::remove_file(root.join("content/sources/added2020.md")).unwrap();
            }),
        ),
    ];
    for (step, edit) in &headers {
        edit();
        let stats = check(&mut cache, step);
        assert_eq!(stats.checked_all, None, "{step}: {stats:?}");
        // The bundled review's largest theme is named on almost every page (its tags, the
        // cards), and its citation audit quotes every in-text form on every source's page.
        if !["a theme's title", "same author", "the same work"]
            .iter()
            .any(|dense| step.starts_with(dense))
        {
            assert!(stats.pages_skipped > 5, "{step}: {stats:?}");
        }
    }
}

/// The local graphs of note pages: a work that gains a citation changes its node (cited by N)
/// on the pages of the works it cites, which the plan must check although they do not mention
/// the edited note at all.
#[test]
fn a_new_citation_rechecks_the_local_graphs_showing_the_cited_work() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let source = |key: &str, author: &str, body: &str| {
        format!(
            "---\ntype: article\ntitle: \"Work {key}\"\nauthors: [\"{author}\"]\nyear: 2020\ncontainer: \"J\"\n---\n{body}\n"
        )
    };
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Graphs\nbase_url: https://example.org/\n",
    );
    write(
        "content/sources/a2020.md",
        &source("a2020", "Alpha, A.", "Builds on [@b2020]."),
    );
    write(
        "content/sources/b2020.md",
        &source("b2020", "Beta, B.", "Alone."),
    );
    write(
        "content/sources/c2020.md",
        &source("c2020", "Gamma, C.", "Nothing yet."),
    );
    let options = LoadOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let mut cache = Cache::default();
    cache.verify_plans(true);
    build_in_memory(&options, Some(&mut cache)).unwrap();
    edit_in_place(
        root,
        "content/sources/c2020.md",
        "Nothing yet.",
        "Cites [@a2020].",
    );
    let warm = build_in_memory(&options, Some(&mut cache)).unwrap();
    let clean = build_in_memory(&options, None).unwrap();
    assert!(warm.files == clean.files, "generated files differ");
    assert_eq!(cache.mismatches(), Vec::<String>::new());
    assert_eq!(cache.stats().checked_all, None);
    let b = clean
        .files
        .iter()
        .find(|f| f.path == "sources/b2020/index.html")
        .unwrap();
    let text = String::from_utf8_lossy(&b.bytes);
    assert!(
        text.contains("Work a2020 (source; cited by 1)"),
        "b's graph shows a's new count"
    );
}

/// A numeric style from the site's own `.csl` file: a citation that moves a source's first
/// citation renumbers sources on pages the edited note never mentions, and an edit to the `.csl`
/// file changes every page while site.yaml stays the same; the plan checks them, and every warm
/// build equals a clean one.
#[test]
fn a_numeric_styles_numbers_and_its_csl_file_are_followed_by_warm_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Numbers\nbase_url: https://example.org/\ncitation_style: styles/mine.csl\n",
    );
    write(
        "styles/mine.csl",
        &read(&repo(), "tests/fixtures/csl/styles/ieee.csl"),
    );
    for (key, author) in [
        ("a2020", "Alpha, A."),
        ("b2020", "Beta, B."),
        ("c2020", "Gamma, C."),
    ] {
        write(
            &format!("content/sources/{key}.md"),
            &format!(
                "---\ntype: article\ntitle: \"Work {key}\"\nauthors: [\"{author}\"]\nyear: 2020\ncontainer: \"J\"\n---\nAlone.\n"
            ),
        );
    }
    write(
        "content/themes/t.md",
        "---\ntitle: T\n---\nFirst [@c2020], then [@a2020].\n",
    );
    let options = LoadOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let mut cache = Cache::default();
    cache.verify_plans(true);
    let check = |cache: &mut Cache, step: &str| {
        let warm = build_in_memory(&options, Some(cache)).unwrap();
        let clean = build_in_memory(&options, None).unwrap();
        assert!(warm.files == clean.files, "{step}: generated files differ");
        assert_eq!(cache.mismatches(), Vec::<String>::new(), "{step}");
        let page = |rel: &str| {
            let file = clean.files.iter().find(|f| f.path == rel).unwrap();
            String::from_utf8_lossy(&file.bytes).into_owned()
        };
        (cache.stats(), page("sources/c2020/index.html"))
    };
    let (_, c) = check(&mut cache, "first build");
    assert!(c.contains("[1] C. Gamma"), "c is cited first: {c}");
    edit_in_place(
        root,
        "content/sources/b2020.md",
        "Alone.",
        "Cites [@a2020].",
    );
    let (stats, c) = check(&mut cache, "a first citation moves");
    assert!(c.contains("[2] C. Gamma"), "a is now first, c second: {c}");
    assert!(stats.checked_all.is_some(), "{stats:?}");
    edit_in_place(
        root,
        "styles/mine.csl",
        r#"<group prefix="[" suffix="]" delimiter=", ">"#,
        r#"<group prefix="(" suffix=")" delimiter=", ">"#,
    );
    cache.changed(&["styles/mine.csl".to_string()]);
    let (stats, _) = check(&mut cache, "the .csl file edited");
    assert!(stats.checked_all.is_some(), "{stats:?}");
    edit_in_place(root, "content/sources/a2020.md", "Alone.", "Alone, still.");
    let (stats, _) = check(&mut cache, "a body edit");
    assert_eq!(
        stats.checked_all, None,
        "a plain edit is still planned: {stats:?}"
    );
}

/// `gloss serve` watches the site's `.csl` file (in a folder no other input is in): saving it
/// rebuilds the pages in the style as it now is.
#[test]
fn serve_rebuilds_when_the_sites_csl_file_changes() {
    let site = fixture();
    let root = site.path();
    std::fs::create_dir_all(root.join("styles")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/csl/styles/ieee.csl"),
        root.join("styles/mine.csl"),
    )
    .unwrap();
    let yaml = read(root, "site.yaml");
    std::fs::write(
        root.join("site.yaml"),
        format!("{yaml}citation_style: styles/mine.csl\n"),
    )
    .unwrap();
    let server = Server::start(root, &[]);
    let citations = |server: &Server| {
        let html = scraper::Html::parse_document(&server.page("themes/trust/").text());
        let css = scraper::Selector::parse(".citation").unwrap();
        html.select(&css)
            .map(|c| c.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(citations(&server), ["[1], [2]", "[3, p. 4]"]);
    let mut events = server.events();
    edit_in_place(
        root,
        "styles/mine.csl",
        r#"<group prefix="[" suffix="]" delimiter=", ">"#,
        r#"<group prefix="(" suffix=")" delimiter=", ">"#,
    );
    events.wait_for("reload");
    assert_eq!(citations(&server), ["(1), (2)", "(3, p. 4)"]);
}

/// Reading: once files have settled, a warm build reads again only the files whose stamps
/// changed (or that the watcher named), and still sees a same-size rewrite whose modification
/// time was set back.
#[test]
fn only_files_that_changed_are_read_again() {
    let site = fixture();
    let root = site.path();
    let options = LoadOptions {
        root: root.to_path_buf(),
        base_url: None,
        ..Default::default()
    };
    let build = |cache: &mut Cache, step: &str| {
        let warm = build_in_memory(&options, Some(cache)).unwrap();
        let clean = build_in_memory(&options, None).unwrap();
        assert!(warm.files == clean.files, "{step}: generated files differ");
        cache.stats().files_read
    };
    // Stamps younger than a file system's time granularity are never trusted: let them settle.
    std::thread::sleep(Duration::from_millis(3200));
    let mut cache = Cache::default();
    assert_eq!(build(&mut cache, "first build"), 6);
    assert_eq!(build(&mut cache, "nothing changed"), 0);
    cache.changed(&["content/sources/beta2021.md".to_string()]);
    assert_eq!(build(&mut cache, "named by the watcher"), 1);
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "ALPHA-ANNOTATION-V1",
        "ALPHA-ANNOTATION-V1, longer",
    );
    assert_eq!(build(&mut cache, "one note edited"), 1);
    #[cfg(unix)]
    {
        let rel = "content/sources/beta2019.md";
        let modified = std::fs::metadata(root.join(rel))
            .unwrap()
            .modified()
            .unwrap();
        edit_in_place(root, rel, "BETA-2019-ANNOTATION", "BETA-2019-ANNOTATIOM");
        std::fs::File::options()
            .write(true)
            .open(root.join(rel))
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert!(build(&mut cache, "same size, old modification time") >= 1);
    }
}

#[test]
fn a_port_in_use_is_reported_with_the_flag_to_change_it() {
    let site = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gloss serve kept running on a port in use");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port}")) && stderr.contains("--port"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_leaves_nothing_behind() {
    fn tree(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path.clone());
                }
                out.push(path);
            }
        }
        out.sort();
        out
    }
    let site = fixture();
    let root = site.path();
    let before = tree(root);
    let mut server = Server::start(root, &[]);
    assert_eq!(server.page("").status, 200);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + WAIT;
    while server.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "gloss serve ignored Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(tree(root), before, "serve left files behind in the site");
    assert!(
        TcpStream::connect_timeout(&server.addr, Duration::from_secs(2)).is_err(),
        "the port is closed"
    );
}

/// `gloss serve` shows drafts, marked as such; `--no-drafts` leaves them out as `gloss build`
/// does; saving `draft: false` publishes the note on the next rebuild.
#[test]
fn serve_shows_drafts_marked_unless_no_drafts() {
    let site = fixture();
    let root = site.path();
    std::fs::write(
        root.join("content/draft-page.md"),
        "---\ntitle: Work in progress\ndraft: true\n---\nDRAFT-BODY\n",
    )
    .unwrap();
    let server = Server::start(root, &[]);
    let page = server.page("draft-page/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("DRAFT-BODY") && page.text().contains("draft-badge"));
    drop(server);
    let server = Server::start(root, &["--no-drafts"]);
    assert_eq!(server.page("draft-page/").status, 404);
    let mut events = server.events();
    edit_in_place(root, "content/draft-page.md", "draft: true", "draft: false");
    events.wait_for("reload");
    let page = server.page("draft-page/");
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("draft-badge"));
}

/// The search index serve makes on the first request for it is the one `gloss build` writes
/// for the same pages, after an edit too (made again from the pages' kept records, the edited
/// one read anew).
#[test]
fn the_search_index_is_served_as_gloss_build_writes_it() {
    let site = fixture();
    let root = site.path();
    let server = Server::start(root, &[]);
    let before = server.page("search/entry.json");
    assert_eq!(before.status, 200);
    let mut events = server.events();
    edit_in_place(
        root,
        "content/sources/alpha2020.md",
        "trust is built",
        "trust is SEARCHABLE-EDIT built",
    );
    events.wait_for("reload");
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out.path().join("site"))
        .args(["--base-url", &format!("http://{}/", server.addr)])
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let index = out.path().join("site/search");
    assert!(server.page("search/entry.json").body != before.body);
    let mut files = 0;
    let mut edited = false;
    for entry in walkdir::WalkDir::new(&index) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(out.path().join("site")).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let served = server.page(&rel);
        assert_eq!(served.status, 200, "{rel}");
        let written = std::fs::read(entry.path()).unwrap();
        assert!(
            served.body == written,
            "{rel} differs from gloss build's ({} and {} bytes)",
            served.body.len(),
            written.len()
        );
        let mut text = Vec::new();
        if flate2::read::GzDecoder::new(&written[..])
            .read_to_end(&mut text)
            .is_ok()
        {
            edited |= String::from_utf8_lossy(&text).contains("trust is SEARCHABLE-EDIT built");
        }
        files += 1;
    }
    assert!(files > 5, "{files} files");
    assert!(edited, "a fragment holds the edited words");
    assert_eq!(server.page("search/no-such-file").status, 404);
}
