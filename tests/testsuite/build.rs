//! `gloss build`: output layout, Markdown, themes, and every bad input from the core-build issue.

use crate::common;

use scraper::Selector;
use std::process::Command;

use common::{TestSite, attrs, snapshot, stderr, stdout, texts};

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.source("jabeen2009", &["Jabeen, M."], "2009", "Either you are with us", "Annotation citing nothing.")
        .write(
            "content/themes/trust-deficit.md",
            "---\ntitle: The trust deficit\nsummary: Why trust fails.\n---\nTrust fell [@jabeen2009].\n",
        )
        .write("content/about.md", "---\ntitle: About <this> review\n---\n# About\n\nMethod.\n")
        .write("content/_index.md", "---\ntitle: Home\n---\nWelcome. See [[trust-deficit]].\n");
    site
}

#[test]
fn builds_pretty_urls_under_the_base_path() {
    let site = small_site();
    let out = site.build_ok();
    assert!(
        stdout(&out).contains("built "),
        "summary line: {}",
        stdout(&out)
    );
    for page in [
        "index.html",
        "sources/jabeen2009/index.html",
        "themes/trust-deficit/index.html",
        "about/index.html",
        "bibliography/index.html",
        "sources/index.html",
        "themes/index.html",
        "404.html",
    ] {
        assert!(site.out().join(page).is_file(), "missing {page}");
    }
    // No note has a tag: the site has no list of tags.
    assert!(!site.out().join("tags/index.html").exists());
    assert!(
        site.out().join("style.css").is_file(),
        "theme static files are copied"
    );
    for page in [
        "index.html",
        "sources/jabeen2009/index.html",
        "about/index.html",
    ] {
        let html = site.html(page);
        for url in attrs(&html, "a[href], link[href], script[src]", "href")
            .into_iter()
            .chain(attrs(&html, "script[src]", "src"))
        {
            if url.starts_with('/') {
                assert!(
                    url.starts_with("/review/"),
                    "{page}: link {url} ignores the base path"
                );
            }
        }
    }
    let home = site.html("index.html");
    assert!(attrs(&home, "main a", "href").contains(&"/review/themes/trust-deficit/".to_string()));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = small_site();
    let root = site.root().to_str().unwrap();
    let out = site.out();
    let status = site.gloss(&[
        "build",
        "--root",
        root,
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://example.org/",
    ]);
    assert!(status.status.success(), "{}", stderr(&status));
    let html = site.html("index.html");
    assert!(attrs(&html, "link[rel=stylesheet]", "href").contains(&"/style.css".to_string()));
}

#[test]
fn markdown_features_render() {
    let site = small_site();
    site.write(
        "content/features.md",
        "---\ntitle: Features\n---\n## A heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1] and ~~gone~~ and \"quotes\".\n\n- [x] done\n\n[^1]: The footnote.\n\n```rust\nfn main() { let x = 1; }\n```\n\n<div class=\"raw\">raw html</div>\n",
    );
    site.build_ok();
    let html = site.html("features/index.html");
    assert_eq!(
        attrs(&html, "h2#a-heading a.anchor", "href"),
        ["#a-heading"]
    );
    assert_eq!(texts(&html, ".prose table td"), ["1", "2"]);
    assert_eq!(texts(&html, ".prose del"), ["gone"]);
    assert!(!texts(&html, ".footnote-definition").is_empty());
    assert_eq!(attrs(&html, ".prose input[type=checkbox]", "type").len(), 1);
    assert!(
        texts(&html, ".prose p")
            .iter()
            .any(|p| p.contains("“quotes”")),
        "smart punctuation"
    );
    let code = attrs(&html, "pre.code", "data-lang");
    assert_eq!(code, ["rust"]);
    assert!(
        !attrs(&html, "pre.code span[class^=hl-]", "class").is_empty(),
        "highlighted with classes"
    );
    assert!(
        attrs(&html, "pre.code span", "style").is_empty(),
        "no inline colours"
    );
    assert_eq!(texts(&html, "div.raw"), ["raw html"]);
}

#[test]
fn front_matter_values_are_escaped() {
    let site = small_site();
    site.build_ok();
    let html = site.html("about/index.html");
    assert_eq!(
        texts(&html, "h1").first().map(String::as_str),
        Some("About <this> review")
    );
    let page = &html;
    assert!(
        page.select(&Selector::parse("this").unwrap())
            .next()
            .is_none(),
        "no element injected by a title"
    );
    for script in page.select(&Selector::parse("script").unwrap()) {
        let src = script.value().attr("src").unwrap_or("");
        assert!(
            src.ends_with("/reading.js") || script.value().attr("type") == Some("application/json"),
            "only the theme's scripts: {}",
            script.html()
        );
        assert!(!script.inner_html().contains("<this>"), "{}", script.html());
    }
}

#[test]
fn site_templates_and_static_override_the_theme() {
    let site = small_site();
    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}{% block main %}<p class=\"custom\">{{ page.title }}</p>{% endblock main %}",
    )
    .write("static/style.css", "body { color: red; }");
    site.build_ok();
    assert_eq!(
        texts(&site.html("about/index.html"), "p.custom"),
        ["About <this> review"]
    );
    assert_eq!(site.read_out("style.css"), "body { color: red; }");
    assert!(
        texts(&site.html("themes/trust-deficit/index.html"), "p.custom").is_empty(),
        "only page.html is overridden"
    );
}

#[test]
fn builds_are_deterministic() {
    let site = small_site();
    site.build_ok();
    let first = snapshot(&site.out());
    site.build_ok();
    assert_eq!(first, snapshot(&site.out()));
}

/// Builds a good site, breaks it with `breakage`, and asserts a content error (exit 1) whose
/// message starts with `location`, with the previous output left exactly as it was.
fn assert_content_error(breakage: impl FnOnce(&TestSite), location: &str, words: &str) {
    let site = small_site();
    site.build_ok();
    let before = snapshot(&site.out());
    breakage(&site);
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{err}");
    let line = err
        .lines()
        .find(|l| l.contains(": error: "))
        .unwrap_or_else(|| panic!("no error line in:\n{err}"));
    assert!(
        line.starts_with(location),
        "expected {location}…, got: {line}"
    );
    assert!(line.contains(words), "expected {words:?} in: {line}");
    assert_eq!(
        before,
        snapshot(&site.out()),
        "previous output must be untouched"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn malformed_yaml() {
    assert_content_error(
        |s| {
            s.write(
                "content/sources/bad.md",
                "---\ntitle: \"unclosed\nauthors: [\"A, B.\"]\nyear: 2000\n---\n",
            );
        },
        "content/sources/bad.md:",
        "front matter",
    );
}

#[test]
fn unclosed_front_matter() {
    assert_content_error(
        |s| {
            s.write(
                "content/sources/bad.md",
                "---\ntitle: T\nauthors: [\"A, B.\"]\nyear: 2000\nbody without fence\n",
            );
        },
        "content/sources/bad.md:1:1",
        "never closed",
    );
}

#[test]
fn wrong_type() {
    assert_content_error(
        |s| {
            s.write(
                "content/sources/bad.md",
                "---\ntitle: T\nauthors: [\"A, B.\"]\nyear: twenty\n---\n",
            );
        },
        "content/sources/bad.md:4:",
        "twenty",
    );
}

#[test]
fn missing_required_field() {
    assert_content_error(
        |s| {
            s.write(
                "content/sources/bad.md",
                "---\nauthors: [\"Zed, Z.\"]\nyear: 2000\n---\n",
            );
        },
        "content/sources/bad.md:1:1",
        "missing required field `title`",
    );
}

#[test]
fn duplicate_keys_across_kinds() {
    assert_content_error(
        |s| {
            s.write("content/jabeen2009.md", "---\ntitle: Clash\n---\n");
        },
        "content/sources/jabeen2009.md",
        "already used",
    );
}

#[test]
fn file_that_is_not_utf8() {
    assert_content_error(
        |s| {
            s.write_bytes("content/sources/bad.md", b"---\ntitle: caf\xe9\n---\n");
        },
        "content/sources/bad.md:2:",
        "UTF-8",
    );
}

#[test]
fn template_syntax_error() {
    assert_content_error(
        |s| {
            s.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}");
        },
        "templates/page.html:",
        "template",
    );
}

#[test]
fn template_render_error() {
    assert_content_error(
        |s| {
            s.write(
                "templates/page.html",
                "{% extends \"theme/page.html\" %}{% block main %}\n\n{{ page.no_such_field.deeper }}{% endblock main %}",
            );
        },
        "templates/page.html:3",
        "template",
    );
}

#[test]
fn missing_site_yaml() {
    assert_content_error(
        |s| {
            std::fs::remove_file(s.root().join("site.yaml")).unwrap();
        },
        "site.yaml",
        "no site.yaml",
    );
}

#[test]
fn bad_base_url() {
    assert_content_error(
        |s| {
            s.write("site.yaml", "title: T\nbase_url: example.org/review\n");
        },
        "site.yaml:2",
        "base_url",
    );
}

#[test]
fn unknown_site_yaml_key() {
    assert_content_error(
        |s| {
            s.write(
                "site.yaml",
                "title: T\nbase_url: https://e.org/\ntheem: default\n",
            );
        },
        "site.yaml:3",
        "theem",
    );
}

#[test]
fn unknown_front_matter_field_warns_but_builds() {
    let site = small_site();
    site.write(
        "content/themes/trust-deficit.md",
        "---\ntitle: T\nsumary: typo\n---\n[@jabeen2009]\n",
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/themes/trust-deficit.md:3:1: warning: unknown front-matter field `sumary`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `summary`"), "{err}");
}

#[test]
fn refuses_dangerous_output_folders() {
    let site = small_site();
    let root = site.root().to_str().unwrap().to_string();
    let content = site.root().join("content");
    let foreign = site.root().join("mine");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.tex"), "precious").unwrap();
    for out in [
        root.clone(),
        content.to_str().unwrap().to_string(),
        foreign.to_str().unwrap().to_string(),
    ] {
        let result = site.gloss(&["build", "--root", &root, "--out", &out]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "--out {out}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).starts_with("error: --out"),
            "{}",
            stderr(&result)
        );
    }
    assert_eq!(
        std::fs::read_to_string(foreign.join("thesis.tex")).unwrap(),
        "precious"
    );
    assert!(content.join("sources/jabeen2009.md").is_file());
}

/// A site whose notes are not in `content/`: a vault at the root (`content_dir: .`) or a
/// folder of its own.
fn notes_site(content_dir: &str, extra: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!(
            "title: Vault\nbase_url: https://x.github.io/v/\ncontent_dir: {content_dir}\n{extra}"
        ),
    );
    let dir = if content_dir == "." {
        String::new()
    } else {
        format!("{content_dir}/")
    };
    site.write(
        &format!("{dir}Home.md"),
        "---\ntitle: Home\n---\nSee [[Other]].\n",
    )
    .write(&format!("{dir}Other.md"), "---\ntitle: Other\n---\nText.\n");
    site
}

fn build_into(site: &TestSite, out: &str) -> std::process::Output {
    let root = site.root().to_str().unwrap();
    site.gloss(&[
        "build",
        "--root",
        root,
        "--out",
        &site.root().join(out).to_string_lossy(),
    ])
}

#[test]
fn an_output_folder_among_the_notes_is_refused_naming_the_notes_folder() {
    for (content_dir, out, named) in [
        (".", "docs", "the site's folder"),
        ("notes", "notes/site", "notes/"),
    ] {
        let site = notes_site(content_dir, "");
        let before = snapshot(site.root());
        let result = build_into(&site, out);
        let err = stderr(&result);
        assert_eq!(
            result.status.code(),
            Some(2),
            "content_dir {content_dir}, --out {out}: {err}"
        );
        assert!(err.starts_with("error: --out "), "{err}");
        assert!(
            err.contains(&format!("inside {named}")),
            "names the notes' folder: {err}"
        );
        assert!(!err.contains("content/"), "{err}");
        assert_eq!(snapshot(site.root()), before, "something was written");
        let leftovers: Vec<_> = std::fs::read_dir(site.root().join(out).parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.contains("gloss"))
            .collect();
        assert_eq!(leftovers, Vec::<String>::new(), "no lock or staging folder");
    }
}

#[test]
fn an_output_folder_the_notes_walk_skips_may_sit_among_the_notes() {
    // The default public/ of a vault at the root, and a folder site.yaml leaves out of the notes.
    for (extra, out) in [("", "public"), ("ignore: [docs/]\n", "docs")] {
        let site = notes_site(".", extra);
        for _ in 0..2 {
            let result = build_into(&site, out);
            assert!(result.status.success(), "--out {out}: {}", stderr(&result));
        }
        let built = site.root().join(out);
        assert!(built.join("other/index.html").is_file(), "--out {out}");
        // The second build did not read the first one's output back in.
        assert!(
            !built.join(out).exists(),
            "--out {out}: {out}/{out}/ was copied in"
        );
        assert!(!built.join("index.html").is_dir());
    }
}

#[test]
fn usage_errors_exit_2() {
    let site = small_site();
    let out = site.gloss(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = site.gloss(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_explains_the_commands() {
    let site = small_site();
    let out = site.gloss(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for word in ["build", "check", "[@key]"] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn malformed_inputs_never_panic() {
    let cases: &[&[u8]] = &[
        b"",
        b"---",
        b"---\n---\n",
        b"---\n- a list\n---\n",
        b"---\ntitle: [1, 2]\nauthors: {a: b}\nyear: []\n---\n",
        b"---\ntitle: T\nauthors: [\"\"]\nyear: 99999\n---\n[@]\n[[]]\n[[#]]\n@\n",
        b"\xff\xfe\x00\x01",
        b"---\ntitle: T\nauthors: [\",\"]\nyear: n.d.\ntags: [\"\", \"!!\"]\n---\n[@a; ; @b]\n",
    ];
    for (i, case) in cases.iter().enumerate() {
        let site = small_site();
        site.write_bytes("content/sources/weird.md", case);
        let out = site.build();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "case {i} panicked:\n{err}");
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "case {i}: {:?}\n{err}",
            out.status
        );
        if out.status.code() == Some(1) {
            assert!(
                err.lines()
                    .any(|l| l.starts_with("content/sources/weird.md")),
                "case {i}: {err}"
            );
        }
    }
}

/// Cargo.toml's `rust-version` is true: no dependency asks for a newer compiler than it states
/// (gloss's own code needs 1.89 for `File::lock`, which `cargo clippy` holds it to).
#[test]
fn rust_version_covers_every_dependency() {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            // Not `--offline`: the metadata covers every platform's dependencies (Windows-only
            // ones too), which a build on this machine never downloads.
            "--locked",
            "--manifest-path",
        ])
        .arg(common::repo_root().join("Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "{}", common::stderr(&out));
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // `1.85` and `1.85.0` are the same version.
    let version = |v: &str| -> [u32; 3] {
        let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
        [(); 3].map(|()| parts.next().unwrap_or(0))
    };
    let packages = metadata["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == env!("CARGO_PKG_NAME"))
        .and_then(|p| p["rust_version"].as_str())
        .expect("gloss states a rust-version");
    for p in packages {
        if let Some(theirs) = p["rust_version"].as_str() {
            assert!(
                version(theirs) <= version(ours),
                "{} {} needs Rust {theirs}, but Cargo.toml says rust-version = {ours}",
                p["name"],
                p["version"]
            );
        }
    }
}

/// The numbers of `(N files written, M as they were)` in the summary line.
fn written_and_kept(out: &std::process::Output) -> (usize, usize) {
    let line = stdout(out);
    let tail = line
        .split("ms (")
        .nth(1)
        .unwrap_or_else(|| panic!("no counts in {line}"));
    let numbers: Vec<usize> = tail
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .map(|s| s.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed_and_removes_the_stale_ones() {
    let site = small_site();
    let first = site.build_ok();
    let (written, kept) = written_and_kept(&first);
    assert!(
        written > 10 && kept == 0,
        "a first build writes everything: {}",
        stdout(&first)
    );
    // The second build has no output before last to start from; from the third on, the previous
    // output but one is the staging folder.
    site.build_ok();
    let before = snapshot(&site.out());

    let again = site.build_ok();
    assert_eq!(
        written_and_kept(&again).0,
        0,
        "no change, no write: {}",
        stdout(&again)
    );
    assert_eq!(
        snapshot(&site.out()),
        before,
        "the output is the same, file for file"
    );

    // An edit: the source's annotation changes; its page does, the home page does not.
    site.write(
        "content/sources/jabeen2009.md",
        &std::fs::read_to_string(site.root().join("content/sources/jabeen2009.md"))
            .unwrap()
            .replace("Annotation citing nothing.", "A longer annotation."),
    );
    let edited = site.build_ok();
    let (written, kept) = written_and_kept(&edited);
    assert!(written >= 1 && kept > written, "{}", stdout(&edited));
    assert!(
        texts(&site.html("sources/jabeen2009/index.html"), "main")
            .concat()
            .contains("A longer annotation.")
    );
    let after = snapshot(&site.out());
    let unchanged = |rel: &str| {
        let find =
            |s: &[(std::path::PathBuf, Vec<u8>)]| s.iter().find(|(p, _)| p.ends_with(rel)).cloned();
        find(&before) == find(&after)
    };
    assert!(
        unchanged("about/index.html"),
        "a page the edit does not reach keeps its bytes"
    );

    // A note removed: its page goes, and so does its folder, on the next build.
    std::fs::remove_file(site.root().join("content/about.md")).unwrap();
    site.build_ok();
    assert!(
        !site.out().join("about/index.html").exists(),
        "the removed note's page is gone"
    );
    assert!(!site.out().join("about").exists(), "and its folder");
    // A third build starts from the output before last, which still held the page.
    site.build_ok();
    assert!(
        !site.out().join("about").exists(),
        "a reused staging folder is pruned too"
    );
    for entry in std::fs::read_dir(site.root()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            !name.contains(".gloss-tmp-") && !name.contains(".gloss-old-"),
            "no staging leftovers: {name}"
        );
    }
}

/// `café` composed (NFC, as Linux and Windows keep it) and decomposed (NFD, as older macOS
/// wrote it) are two file names, two keys and two pages whose addresses look alike: a warning
/// names both, from `build` and from `check`.
#[test]
fn one_name_in_two_unicode_forms_is_a_warning_naming_both() {
    let site = TestSite::new();
    let nfc = "caf\u{e9}";
    let nfd = "cafe\u{301}";
    site.write(
        &format!("content/themes/{nfc}.md"),
        "---\ntitle: Composed\n---\nOne.\n",
    )
    .write(
        &format!("content/themes/{nfd}.md"),
        "---\ntitle: Decomposed\n---\nTwo.\n",
    );
    let out = site.build_ok();
    let check = site.check();
    for said in [stderr(&out), stdout(&check)] {
        let line = said
            .lines()
            .find(|l| l.contains("two Unicode forms"))
            .unwrap_or_else(|| panic!("no warning in:\n{said}"));
        assert!(
            line.contains(&format!("content/themes/{nfc}.md"))
                && line.contains(&format!("content/themes/{nfd}.md"))
                && line.contains("warning:"),
            "{line}"
        );
    }
}
