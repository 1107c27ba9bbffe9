//! Installing and publishing gloss: the package crates.io receives, the release workflow and the
//! archives it names (which `cargo binstall` and the Pages workflow download), and the Pages
//! workflow `gloss init` writes, each checked with actionlint when it is installed (`.ci/run`
//! installs it and sets GLOSS_TEST_ACTIONLINT=1, which makes its absence a failure).

use std::path::Path;
use std::process::Command;

use crate::common::{repo_root, stderr};

fn yaml(path: &Path) -> yaml_serde::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()))
}

fn cargo_toml() -> toml_edit::DocumentMut {
    std::fs::read_to_string(repo_root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .expect("Cargo.toml is TOML")
}

/// A string of Cargo.toml.
fn string<'a>(item: &'a toml_edit::Item, key: &str) -> &'a str {
    item[key]
        .as_str()
        .unwrap_or_else(|| panic!("Cargo.toml: no string {key}"))
}

/// Runs actionlint on a workflow file: its findings fail the test. Without actionlint on the
/// PATH the check is skipped (said on stderr), unless GLOSS_TEST_ACTIONLINT=1 asks for it.
fn actionlint(workflow: &Path) {
    let required = std::env::var("GLOSS_TEST_ACTIONLINT").is_ok_and(|v| v == "1");
    match Command::new("actionlint").arg(workflow).output() {
        Ok(out) => assert!(
            out.status.success(),
            "actionlint on {}:\n{}{}",
            workflow.display(),
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        ),
        Err(e) if !required => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("actionlint not run on {} ({e})", workflow.display());
            }
        }
        Err(e) => panic!("actionlint is required (GLOSS_TEST_ACTIONLINT=1) but cannot run: {e}"),
    }
}

/// A step's `run:` script of a workflow's job, found by the text it contains.
fn script(workflow: &yaml_serde::Value, job: &str, containing: &str) -> String {
    workflow["jobs"][job]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|step| step["run"].as_str())
        .find(|run| run.contains(containing))
        .unwrap_or_else(|| panic!("no step of job {job} runs {containing:?}"))
        .to_string()
}

#[test]
fn the_package_is_gloss_review_installing_the_gloss_binary_with_its_theme_and_no_test_data() {
    let manifest = cargo_toml();
    let package = &manifest["package"];
    assert_eq!(string(package, "name"), "gloss-review");
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "keywords",
        "categories",
    ] {
        assert!(package.get(key).is_some(), "Cargo.toml lacks package.{key}");
    }
    assert!(repo_root().join("LICENSE").is_file());
    assert_eq!(manifest["bin"][0]["name"].as_str(), Some("gloss"));
    assert_eq!(string(&manifest["lib"], "name"), "gloss");

    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let files = String::from_utf8(out.stdout).unwrap();
    for needed in [
        "src/main.rs",
        "src/build_script.rs",
        "src/scaffold/pages.yml",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
        "LICENSE",
        "README.md",
    ] {
        assert!(
            files.lines().any(|f| f == needed),
            "the package lacks {needed}"
        );
    }
    for left_out in [
        "tests/",
        "content/",
        "bench/",
        "fuzz/",
        ".github/",
        "site.yaml",
    ] {
        assert!(
            !files.lines().any(|f| f.starts_with(left_out)),
            "the package holds {left_out}"
        );
    }
}

#[test]
fn the_release_workflow_builds_every_platform_into_the_archives_binstall_and_pages_download() {
    let path = repo_root().join(".github/workflows/release.yml");
    actionlint(&path);
    let workflow = yaml(&path);
    assert_eq!(
        workflow["on"]["push"]["tags"][0].as_str(),
        Some("v*"),
        "a release is made from a version tag"
    );
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap())
        .collect();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "no release build for {target}");
    }
    let archive = script(&workflow, "build", "tar -czf");
    assert!(
        archive.contains("name=\"gloss-$version-${{ matrix.target }}\""),
        "{archive}"
    );
    assert!(archive.contains("sha256sum"), "{archive}");
    let release = script(&workflow, "release", "gh release");
    assert!(
        release.contains("SHA256SUMS") && release.contains("sha256sum --check"),
        "{release}"
    );

    // cargo binstall asks for the same names the workflow makes.
    let manifest = cargo_toml();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(
        string(binstall, "pkg-url"),
        "{ repo }/releases/download/v{ version }/gloss-{ version }-{ target }{ archive-suffix }"
    );
    assert_eq!(
        string(binstall, "bin-dir"),
        "gloss-{ version }-{ target }/{ bin }{ binary-ext }"
    );
}

#[test]
fn init_writes_a_pages_workflow_that_downloads_the_pinned_release_and_checks_its_sum() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["init", "review"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Settings → Pages → Source: GitHub Actions"),
        "{said}"
    );

    let path = dir.path().join("review/.github/workflows/pages.yml");
    actionlint(&path);
    let workflow = yaml(&path);
    let manifest = cargo_toml();
    assert_eq!(
        workflow["env"]["GLOSS_VERSION"].as_str(),
        Some(string(&manifest["package"], "version")),
        "the workflow pins the version of the gloss that wrote it"
    );
    assert_eq!(
        workflow["env"]["GLOSS_REPOSITORY"].as_str(),
        Some(string(&manifest["package"], "repository"))
    );
    let install = script(&workflow, "build", "releases/download");
    for needed in [
        "gloss-$GLOSS_VERSION-$target",
        "x86_64-unknown-linux-musl",
        "SHA256SUMS",
        "sha256sum --check",
        // No release binary: compiled from the same tag, under the package's own name.
        "cargo install --locked --root \"$HOME/.gloss\" --git \"$GLOSS_REPOSITORY\" --tag \"v$GLOSS_VERSION\" gloss-review",
    ] {
        assert!(
            install.contains(needed),
            "the install step lacks {needed:?}:\n{install}"
        );
    }
    // The crate `gloss` on crates.io is somebody else's: never installed.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("install --locked gloss "), "{text}");
    let build = script(&workflow, "build", "gloss build");
    assert!(build.contains("--base-url"), "{build}");
    assert_eq!(workflow["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(workflow["concurrency"]["group"].as_str(), Some("pages"));
}

#[test]
fn the_repositorys_own_workflows_pass_actionlint() {
    for entry in std::fs::read_dir(repo_root().join(".github/workflows")).unwrap() {
        actionlint(&entry.unwrap().path());
    }
}
