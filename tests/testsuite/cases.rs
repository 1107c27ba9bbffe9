//! On-disk cases: each folder `tests/cases/<feature>/<name>/` is a small site plus a file
//! `expected` holding what `gloss check` must print for it. Adding a case is adding a folder
//! (see tests/README.md).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, repo_root};

/// Every case folder, sorted.
fn cases() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for feature in std::fs::read_dir(repo_root().join("tests/cases")).unwrap() {
        let feature = feature.unwrap().path();
        if !feature.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&feature).unwrap() {
            let case = case.unwrap().path();
            if case.join("expected").is_file() {
                found.push(case);
            }
        }
    }
    found.sort();
    found
}

/// Runs `gloss check` on a copy of the case; returns the exit code and everything printed
/// (standard output, then standard error), line by line.
fn check(case: &Path) -> (i32, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(case, dir.path());
    std::fs::remove_file(dir.path().join("expected")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let lines = text.lines().map(str::to_string).collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn every_case_prints_what_it_expects() {
    let cases = cases();
    assert!(cases.len() >= 8, "only {} cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("expected")).unwrap();
        let mut lines = expected.lines();
        let exit: i32 = lines
            .next()
            .and_then(|l| l.strip_prefix("exit: "))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}: `expected` must start with `exit: N`", case.display()));
        let want: Vec<String> = lines.map(str::to_string).collect();
        let (code, got) = check(case);
        if code != exit || got != want {
            failures.push(format!(
                "{}:\n  expected exit {exit}:\n    {}\n  got exit {code}:\n    {}",
                case.strip_prefix(repo_root()).unwrap_or(case).display(),
                want.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
