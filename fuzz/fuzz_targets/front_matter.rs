//! Front-matter splitting and YAML parsing: no panic; a split loses nothing (the body is the end of
//! the file, on the line it says, when there is one); every diagnostic is located inside the file.
#![no_main]

#[path = "../../tests/testsuite/invariants/mod.rs"]
mod invariants;

use gloss::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = "content/about.md";
    match fuzzing::split_front_matter(path, &text) {
        Ok(split) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            assert!(
                text.ends_with(&split.body),
                "the body is not the end of the file"
            );
            let before = &text[..text.len() - split.body.len()];
            assert!(
                before.contains(&split.yaml),
                "the YAML is not before the body"
            );
            if !split.body.is_empty() {
                assert_eq!(
                    split.body_line,
                    before.matches('\n').count() + 1,
                    "body line"
                );
            }
            if !before.is_empty() {
                assert_eq!(split.yaml_line, 2, "YAML line");
                assert!(before.starts_with("---"), "front matter without its fence");
            }
        }
        Err(d) => invariants::located_in(&d, path, &text).unwrap(),
    }
    let (_, diagnostics) = fuzzing::parse_note("about.md", &text);
    for d in &diagnostics {
        invariants::located_in(d, path, &text).unwrap();
    }
});
