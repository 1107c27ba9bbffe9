//! `gloss import` held to pandoc's reading of the same libraries: each file of
//! tests/fixtures/csl/import/ (invented entries, one kind of real-library trouble each: particles,
//! LaTeX, verbatim URLs, keys, duplicate keys, legal and blog types, short titles, journal
//! abbreviations) is imported into a fresh site and built, and its `references.json` compared,
//! item by item, with what pandoc 3.9 reads from the file (`pandoc -t csljson`,
//! tests/fixtures/csl/expected/import/, made by generate.py there) on the fields
//! import/compare.json lists. Every item pandoc reads must be there, under its own key.

use crate::common;

use std::collections::BTreeMap;
use std::process::Command;

use common::csl::fixture;
use common::{TestSite, repo_root, stderr};
use serde_json::Value;

/// A field's value as compared: dashes of a range made hyphens (gloss writes `144–170`), a
/// `~` title compared ignoring case, pandoc's untyped `""` as CSL's `document`, apostrophes
/// straight (pandoc's reader curls them; gloss's formatters do, when they print).
fn normalised(field: &str, value: Option<&Value>) -> Value {
    let Some(value) = value else {
        return Value::Null;
    };
    match (field, value) {
        ("page", Value::String(s)) => Value::String(s.replace('–', "-")),
        ("title~", Value::String(s)) => Value::String(s.to_lowercase().replace('’', "'")),
        ("type", Value::String(s)) if s.is_empty() => Value::String("document".into()),
        (_, Value::String(s)) => Value::String(s.replace('’', "'")),
        _ => value.clone(),
    }
}

/// The differences between gloss's and pandoc's reading of one library file.
fn differences(file: &str, fields: &[&str]) -> Vec<String> {
    let expected: Value =
        serde_json::from_str(&fixture(&format!("expected/import/{file}.json"))).unwrap();
    // pandoc lists every entry; of two under one key, citeproc uses the last.
    let mut want: BTreeMap<String, &Value> = BTreeMap::new();
    for item in expected["items"].as_array().unwrap() {
        want.insert(item["id"].as_str().unwrap().to_string(), item);
    }
    let site = TestSite::new();
    let library = repo_root().join("tests/fixtures/csl/import").join(file);
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import", "--root", site.root().to_str().unwrap()])
        .arg(&library)
        .output()
        .unwrap();
    assert!(out.status.success(), "{file}: {}", stderr(&out));
    site.build_ok();
    let items: Vec<Value> = serde_json::from_str(&site.read_out("references.json")).unwrap();
    let got: BTreeMap<&str, &Value> = items
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i))
        .collect();
    let mut wrong = Vec::new();
    for (id, want) in &want {
        let Some(got) = got.get(id.as_str()) else {
            wrong.push(format!(
                "{file}: {id} is not in references.json (keys: {:?})",
                got.keys()
            ));
            continue;
        };
        for field in fields {
            let name = field.trim_end_matches('~');
            let (w, g) = (
                normalised(field, want.get(name)),
                normalised(field, got.get(name)),
            );
            if w != g {
                wrong.push(format!("{file}: {id}: {name}\n  pandoc {w}\n  gloss  {g}"));
            }
        }
    }
    wrong
}

#[test]
fn import_reads_each_library_as_pandoc_does() {
    let manifest: Value = serde_json::from_str(&fixture("import/compare.json")).unwrap();
    let mut wrong = Vec::new();
    let mut compared = 0;
    for case in manifest["files"].as_array().unwrap() {
        let fields: Vec<&str> = case["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        wrong.extend(differences(case["file"].as_str().unwrap(), &fields));
        compared += 1;
    }
    assert_eq!(compared, 7, "every fixture of compare.json");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
