//! Originality of the bundled review: no note shares a run of ten or more words with either seed
//! document, outside its front matter (titles, names and other bibliographic fields), block quotes
//! and text in quotation marks.
//!
//! The seeds live outside the repository, in `../shared/seeds/` relative to its root. In a clone
//! made elsewhere the folder does not exist, and the test says it was skipped.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Length of the shortest shared run that counts as copying.
const RUN: usize = 10;

/// Lowercased words: maximal runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The note without its YAML front matter.
fn strip_front_matter(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
        if rest.ends_with("\n---") {
            return "";
        }
    }
    text
}

/// The body split into stretches of checkable prose. Block quotes (`>` lines) and text inside
/// quotation marks (“…” and "…", paired within a line) are dropped, and each one ends a stretch,
/// so that no run is counted across them. Line breaks inside a paragraph do not end a stretch.
fn segments(body: &str) -> Vec<Vec<String>> {
    let mut segments: Vec<Vec<String>> = vec![Vec::new()];
    for line in body.lines() {
        if line.trim_start().starts_with('>') {
            segments.push(Vec::new());
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut kept = String::new();
        let mut i = 0;
        while i < chars.len() {
            let close = match chars[i] {
                '“' => Some('”'),
                '"' => Some('"'),
                _ => None,
            };
            if let Some(close) = close
                && let Some(j) = chars[i + 1..].iter().position(|&c| c == close)
            {
                segments.last_mut().unwrap().extend(words(&kept));
                kept.clear();
                segments.push(Vec::new());
                i += j + 2;
                continue;
            }
            kept.push(chars[i]);
            i += 1;
        }
        segments.last_mut().unwrap().extend(words(&kept));
    }
    segments
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
}

/// Every run of `RUN` consecutive words in the seeds, with the seed it comes from.
fn seed_runs(seeds: &Path) -> HashMap<Vec<String>, String> {
    let mut runs = HashMap::new();
    let mut files: Vec<_> = fs::read_dir(seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no seed documents in {}",
        seeds.display()
    );
    for file in files {
        let text = String::from_utf8_lossy(&fs::read(&file).unwrap()).into_owned();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for run in words(&text).windows(RUN) {
            runs.entry(run.to_vec()).or_insert_with(|| name.clone());
        }
    }
    runs
}

#[test]
#[allow(clippy::print_stdout)] // says why nothing was checked
fn no_note_shares_a_ten_word_run_with_the_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("../shared/seeds");
    if !seeds.is_dir() {
        println!(
            "originality test skipped: no seed documents at {}",
            seeds.display()
        );
        return;
    }
    let runs = seed_runs(&seeds);
    let mut notes = Vec::new();
    markdown_files(&root.join("content"), &mut notes);
    assert!(notes.len() >= 47, "only {} notes found", notes.len());

    let mut shared = Vec::new();
    for note in &notes {
        let text = fs::read_to_string(note).unwrap();
        for segment in segments(strip_front_matter(&text)) {
            for run in segment.windows(RUN) {
                if let Some(seed) = runs.get(run) {
                    shared.push(format!(
                        "{}: \"{}\" (also in seed {seed})",
                        note.strip_prefix(root).unwrap_or(note).display(),
                        run.join(" ")
                    ));
                }
            }
        }
    }
    assert!(
        shared.is_empty(),
        "{} run(s) of {RUN} or more words shared with the seeds (reword, or quote exactly in quotation marks):\n{}",
        shared.len(),
        shared.join("\n")
    );
}

#[test]
fn the_word_splitter_and_the_quotation_filter_behave() {
    assert_eq!(
        words("US-Pakistan's 9/11"),
        ["us", "pakistan", "s", "9", "11"]
    );
    let body = "a b \"c d\" e\n> f g\nh “i j” k";
    let parts = segments(body);
    let flat: Vec<Vec<&str>> = parts
        .iter()
        .map(|s| s.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(flat, vec![vec!["a", "b"], vec!["e"], vec!["h"], vec!["k"]]);
    assert_eq!(strip_front_matter("---\ntitle: x\n---\nbody\n"), "body\n");
}
