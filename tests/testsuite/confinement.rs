//! A site reads and writes only its own folder: `site.yaml` paths that lead out of it
//! (`content_dir: ../x`, an absolute or `..` bibliography) are refused unless `--allow-outside`;
//! `gloss import` follows no symbolic link, neither a note nor a folder; a language tag that is
//! none is an error on its line, from `check` as from `build`.

use std::path::Path;

use crate::common::{TestSite, stderr, stdout};

const NOTE: &str = "---\ntitle: Outside secret\n---\nOUTSIDE-TEXT\n";

/// A folder beside the site's (in the same temporary folder), holding a note and a library.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.md"), NOTE).unwrap();
    std::fs::write(
        dir.path().join("refs.bib"),
        "@article{leak2020, title = {OUTSIDE-TITLE}, author = {Doe, Jo}, year = {2020}}\n",
    )
    .unwrap();
    dir
}

fn site_yaml(extra: &str) -> String {
    format!("title: T\nbase_url: https://x.github.io/review/\n{extra}")
}

fn no_output_holds(site: &TestSite, text: &str) {
    let out = site.out();
    if !out.exists() {
        return;
    }
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(text),
                "{} holds {text}",
                entry.path().display()
            );
        }
    }
}

fn name_of(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn content_dir_outside_the_site_is_refused_unless_allowed() {
    let elsewhere = outside();
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &site_yaml(&format!("content_dir: ../{}\n", name_of(elsewhere.path()))),
    );
    for out in [site.build(), site.check()] {
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            said.contains("site.yaml:3:1: error: `content_dir: ../")
                && said.contains("outside the site")
                && said.contains("--allow-outside"),
            "{said}"
        );
    }
    no_output_holds(&site, "OUTSIDE-TEXT");
    let root = site.root().to_str().unwrap();
    let out = site.out();
    let built = site.gloss(&[
        "build",
        "--root",
        root,
        "--out",
        out.to_str().unwrap(),
        "--allow-outside",
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(site.read_out("secret/index.html").contains("OUTSIDE-TEXT"));
}

#[test]
fn bibliography_outside_the_site_is_refused_absolute_or_climbing() {
    let elsewhere = outside();
    let absolute = elsewhere.path().join("refs.bib");
    let climbing = format!("../{}/refs.bib", name_of(elsewhere.path()));
    for path in [absolute.to_string_lossy().into_owned(), climbing] {
        let site = TestSite::new();
        site.write(
            "site.yaml",
            &site_yaml(&format!("bibliography:\n  - {path}\n")),
        )
        .write(
            "content/themes/t.md",
            "---\ntitle: T\n---\nSee [@leak2020].\n",
        );
        let out = site.build();
        assert_eq!(out.status.code(), Some(1), "{path}");
        let err = stderr(&out);
        assert!(
            err.contains("site.yaml:4:1: error: `bibliography: ")
                && err.contains("outside the site"),
            "{err}"
        );
        no_output_holds(&site, "OUTSIDE-TITLE");
        let check = site.check();
        assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    }
}

#[cfg(unix)]
#[test]
fn a_linked_content_folder_is_refused() {
    let elsewhere = outside();
    let site = TestSite::new();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("content")).unwrap();
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content: error: the notes' folder is outside the site"),
        "{err}"
    );
    no_output_holds(&site, "OUTSIDE-TEXT");
}

#[cfg(unix)]
#[test]
fn import_follows_no_linked_note_nor_folder() {
    let elsewhere = outside();
    let library = elsewhere.path().join("lib.json");
    std::fs::write(
        &library,
        r#"[{"id": "sec", "type": "article-journal", "title": "Sec", "author": [{"family": "Doe", "given": "Jo"}], "issued": {"date-parts": [[2020]]}}]"#,
    )
    .unwrap();
    let import = |site: &TestSite| {
        site.gloss(&[
            "import",
            "--root",
            site.root().to_str().unwrap(),
            library.to_str().unwrap(),
        ])
    };
    // A note that is a link to a file outside the site: neither read nor replaced.
    let site = TestSite::new();
    std::fs::create_dir_all(site.root().join("content/sources")).unwrap();
    let secret = elsewhere.path().join("secret.md");
    std::os::unix::fs::symlink(&secret, site.root().join("content/sources/sec.md")).unwrap();
    let out = import(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/sources/sec.md: error: a symbolic link"),
        "{err}"
    );
    let link = std::fs::symlink_metadata(site.root().join("content/sources/sec.md")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is left as it was");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), NOTE);
    // A linked sources folder: nothing is written through it.
    let site = TestSite::new();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    let target = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(target.path(), site.root().join("content/sources")).unwrap();
    let out = import(&site);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/sources: error: a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
}

#[test]
fn a_language_tag_that_is_none_is_an_error_on_its_line_in_check_and_build() {
    for tag in [
        "zh-Hant-TW-x-private-extension1",
        "\"en\\\"><b>x</b>\"",
        "\"\"",
    ] {
        let site = TestSite::new();
        site.write("site.yaml", &site_yaml(&format!("language: {tag}\n")));
        site.write("content/themes/t.md", "---\ntitle: T\n---\nText.\n");
        for out in [site.build(), site.check()] {
            assert_eq!(out.status.code(), Some(1), "{tag}");
            let said = format!("{}{}", stdout(&out), stderr(&out));
            assert!(
                said.contains("site.yaml:3:1: error: `language: ")
                    && said.contains("not a language tag"),
                "{tag}: {said}"
            );
        }
        let parent = site.root();
        let left: Vec<_> = std::fs::read_dir(parent)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("gloss-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
    let site = TestSite::new();
    site.write("site.yaml", &site_yaml("language: zh-Hant-TW\n"));
    site.write("content/themes/t.md", "---\ntitle: T\n---\nText.\n");
    site.build_ok();
    let html = site.read_out("index.html");
    assert!(html.contains("<html lang=\"zh-Hant-TW\">"), "{html}");
}
