//! A small Obsidian vault made from bytes (the fuzz target's input, or proptest's), and what its
//! build must keep: the decoder reads the bytes as a sequence of pieces — text, headings, embeds
//! of whole notes, headings and blocks, links, block ids, callouts, highlights, `%% comments %%`,
//! math, code, tags, citations — spread over two to four notes, and plants a marker of its own
//! in every comment, so that what is private is known without asking gloss.

use std::path::Path;

use gloss::fuzzing;

use super::{THEME_SCRIPTS, document_errors, position_in, script_openings};

/// The notes' names (paths in the vault without `.md`); the decoder takes two to four of them.
const NAMES: [&str; 8] = [
    "Alpha",
    "Beta note",
    "Zürich Notes",
    "Concepts/Gamma",
    "Δelta",
    "a.b",
    "Maps/Map of trust",
    "Drafts/@smith2020",
];

/// Headings the notes have and embeds and links name.
const HEADINGS: [&str; 5] = ["Methods", "Results", "Zürich", "A #tag here", "Methods"];

/// Block ids the notes have and embeds and links name.
const BLOCKS: [&str; 3] = ["abc", "b-1", "x9"];

/// Pieces with no parameter: the syntax around and between the others.
const PUNCTUATION: [&str; 24] = [
    "[",
    "]",
    "!",
    "|",
    "^",
    "#",
    "\\",
    "`",
    "``",
    "*",
    "_",
    "~~",
    "=",
    "$",
    "&#64;",
    "\\@",
    "<div>",
    "</div>",
    "---\n",
    "\n\n    ",
    "\n```\n",
    "\n~~~md\n",
    "[x](Alpha.md)",
    "<br>",
];

const CALLOUTS: [&str; 6] = ["note", "warning", "tip", "faq", "unknown-kind", "NOTE"];

const MATH: [&str; 6] = [
    "$x^2$",
    "\n$$\n\\frac{a}{b}\n$$\n",
    "$\\frac{$",
    "$$",
    "$a$b$",
    "\\(y\\)",
];

/// The site.yaml of a vault: the vault is the notes' folder, as `tests/testsuite/vault.rs` publishes one.
/// No bibliography file (a fixed one would only slow every build down fourfold): citations are
/// of the literature note `Drafts/@smith2020`, when the vault has it.
pub const SITE_YAML: &str = "title: Fuzzed vault\nbase_url: https://x.github.io/review/\ncontent_dir: .\nthemes: [Maps]\nstrict: false\n";

/// A vault to build: its notes (path in the vault, text) and the marker planted in each comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vault {
    pub notes: Vec<(String, String)>,
    pub secrets: Vec<String>,
}

/// The input, read a byte at a time; past its end, zeros.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn pick<'p>(&mut self, pool: &[&'p str]) -> &'p str {
        pool[usize::from(self.byte()) % pool.len()]
    }

    /// Up to 63 characters of text: printable ASCII as it is, other bytes from a few awkward
    /// characters. Never a `%` (only comments have them) nor a `q` (only markers have one).
    fn text(&mut self) -> String {
        const OTHER: [char; 12] = [
            '\n', '\t', '\r', '\0', 'é', 'Ü', '東', '\u{200b}', '\u{feff}', '—', '\u{E004}', '💬',
        ];
        let len = usize::from(self.byte() % 64);
        (0..len)
            .map(|_| match self.byte() {
                b'%' | b'q' | b'Q' => '?',
                b'\n' => '\n',
                b @ 0x20..=0x7e => char::from(b),
                b => OTHER[usize::from(b) % OTHER.len()],
            })
            .collect()
    }
}

/// The vault the bytes describe.
pub fn decode(data: &[u8]) -> Vault {
    let mut input = Reader { data, at: 0 };
    let count = 2 + usize::from(input.byte() % 3);
    let first = usize::from(input.byte());
    let names: Vec<&str> = (0..count)
        .map(|i| NAMES[(first + i) % NAMES.len()])
        .collect();
    let mut secrets = Vec::new();
    let mut bodies = vec![String::new(); count];
    let mut fronts = vec![String::new(); count];
    let mut current = 0;
    // A note whose last comment is never closed takes no more pieces (a `%%` would close it).
    let mut sealed = vec![false; count];
    for front in fronts.iter_mut() {
        *front = match input.byte() % 5 {
            0 | 1 => String::new(),
            2 => "---\ntitle: A title\n---\n".into(),
            3 => "---\naliases: [Other name]\ntags: [vault]\n---\n".into(),
            _ => "---\ncssclasses: wide\npublish: true\n---\n".into(),
        };
    }
    while !input.done() {
        // A link's or embed's target: one of the notes, as Obsidian writes it, or none.
        let target = |input: &mut Reader| -> String {
            let b = usize::from(input.byte());
            match names.get(b % (count + 1)) {
                None => "Nowhere".into(),
                Some(name) if b & 0x40 != 0 => name.to_string(),
                Some(name) if b & 0x80 != 0 => name.to_lowercase(),
                Some(name) => name.rsplit('/').next().unwrap_or(name).to_string(),
            }
        };
        let was_sealed = sealed[current];
        let piece = match input.byte() % 26 {
            0..=3 => input.text(),
            4 => "\n\n".into(),
            5 => "\n".into(),
            6 => {
                let level = 1 + usize::from(input.byte() % 3);
                format!("\n\n{} {}\n\n", "#".repeat(level), input.pick(&HEADINGS))
            }
            7 => format!("![[{}]]", target(&mut input)),
            8 => format!("![[{}#{}]]", target(&mut input), input.pick(&HEADINGS)),
            9 => format!("![[{}#^{}]]", target(&mut input), input.pick(&BLOCKS)),
            10 => match input.byte() % 4 {
                0 => format!("[[{}]]", target(&mut input)),
                1 => format!(
                    "[[{}#{}|an alias]]",
                    target(&mut input),
                    input.pick(&HEADINGS)
                ),
                2 => format!("[[{}#^{}]]", target(&mut input), input.pick(&BLOCKS)),
                _ => format!("![[#{}]]", input.pick(&HEADINGS)),
            },
            11 => format!(" ^{}\n", input.pick(&BLOCKS)),
            12 => {
                let kind = input.pick(&CALLOUTS);
                let fold = ["", "-", "+"][usize::from(input.byte() % 3)];
                format!("\n\n> [!{kind}]{fold} {}\n> ", input.text())
            }
            13 => input
                .pick(&["\n> ", "\n> > [!tip]\n> > ", "\n>\n> "])
                .into(),
            14 => format!("=={}==", input.text()),
            15..=17 => {
                let secret = format!("Qpriv{}Q", secrets.len());
                let text = input.text();
                let piece = match input.byte() % 3 {
                    0 => format!("%% {secret} {text} %%"),
                    1 => format!("\n%%\n{secret}\n{text}\n%%\n"),
                    // Opened and never closed: the rest of the note is the comment.
                    _ => {
                        sealed[current] = true;
                        format!("%% {text} {secret}")
                    }
                };
                secrets.push(secret);
                piece
            }
            18 => input.pick(&MATH).into(),
            19 => format!("`{}`", input.text()),
            20 => input.pick(&["\n- ", "\n1. ", "\n- [ ] ", "\n  - "]).into(),
            21 => input.pick(&["#tag/x ", "#2024 ", "#vault "]).into(),
            22 => input
                .pick(&["[@smith2020]", "@smith2020 ", "[@nobody, p. 3]"])
                .into(),
            23 | 24 => input.pick(&PUNCTUATION).into(),
            _ => {
                current = (current + 1) % count;
                String::new()
            }
        };
        if !was_sealed {
            bodies[current].push_str(&piece);
        }
    }
    let notes = names
        .iter()
        .zip(fronts.into_iter().zip(bodies))
        .map(|(name, (front, body))| (format!("{name}.md"), front + &body))
        .collect();
    Vault { notes, secrets }
}

/// The vault built in memory by the real pipeline, in a folder of `scratch`:
/// - no panic, and the build ends (embeds that go round in a cycle are cut);
/// - every diagnostic, of a failed build or a built one, is located inside its note;
/// - no output file holds anything that could run (`check_output`), raw HTML or not;
/// - every page parses back as HTML without an error and holds no `<script` but the theme's,
///   unless a note holds raw HTML of its own;
/// - no comment's text reaches any output file (where a `%%` in code is text: see
///   [`comments`]).
///
/// Returns the number of pages checked (`None` when the build failed, cleanly).
pub fn check(scratch: &Path, vault: &Vault) -> Result<Option<usize>, String> {
    let _ = std::fs::remove_dir_all(scratch);
    for (rel, text) in &vault.notes {
        let file = scratch.join(rel);
        std::fs::create_dir_all(file.parent().expect("a parent")).map_err(|e| e.to_string())?;
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
    }
    std::fs::write(scratch.join("site.yaml"), SITE_YAML).map_err(|e| e.to_string())?;
    let options = gloss::LoadOptions {
        root: scratch.to_path_buf(),
        ..Default::default()
    };
    let located = |diagnostics: &[gloss::Diagnostic]| -> Result<(), String> {
        for d in diagnostics {
            match vault.notes.iter().find(|(rel, _)| d.path == *rel) {
                Some((_, text)) => {
                    position_in(d.line, d.col, text).map_err(|e| format!("{e}: {d}"))?
                }
                None if d.line == 0 => {}
                None => return Err(format!("a diagnostic in no note of the vault: {d}")),
            }
        }
        Ok(())
    };
    let built = match gloss::build_in_memory(&options, None) {
        Ok(built) => built,
        Err(gloss::Error::Content(diagnostics)) => {
            located(&diagnostics)?;
            return Ok(None);
        }
        Err(other) => return Err(format!("not a content error: {other}")),
    };
    located(&built.warnings)?;

    // No comment's marker in any file (a comment being what Obsidian hides: from a `%%` outside
    // code to the next `%%`, or to the end of the note).
    let private: Vec<String> = vault
        .secrets
        .iter()
        .filter(|secret| {
            vault.notes.iter().any(|(_, text)| {
                let body = fuzzing::split_front_matter("", text).map_or(text.clone(), |s| s.body);
                body.find(secret.as_str())
                    .is_some_and(|at| comments(&body).iter().any(|c| c.contains(&at)))
            })
        })
        .map(|s| s.to_lowercase())
        .collect();
    for file in &built.files {
        let text = String::from_utf8_lossy(&file.bytes).to_lowercase();
        if let Some(secret) = private.iter().find(|s| text.contains(s.as_str())) {
            return Err(format!(
                "{}: the comment {secret} is published:\n{text}",
                file.path
            ));
        }
    }

    for file in &built.files {
        super::check_output(&file.path, &file.bytes)?;
    }
    let raw_html = vault.notes.iter().any(|(rel, text)| {
        fuzzing::parse_note(rel, text)
            .0
            .is_some_and(|n| fuzzing::has_raw_html(&n.body))
    });
    if raw_html {
        return Ok(Some(0));
    }
    let mut pages = 0;
    for file in built.files.iter().filter(|f| f.path.ends_with(".html")) {
        pages += 1;
        let html = String::from_utf8(file.bytes.to_vec())
            .map_err(|_| format!("{} is not UTF-8", file.path))?;
        let allowed: usize = THEME_SCRIPTS.iter().map(|t| html.matches(t).count()).sum();
        if script_openings(&html) > allowed {
            return Err(format!("{}: a <script from the notes:\n{html}", file.path));
        }
        let errors = document_errors(&html);
        if !errors.is_empty() {
            return Err(format!(
                "{} does not parse back: {errors:?}\n{html}",
                file.path
            ));
        }
    }
    Ok(Some(pages))
}

/// Where a body's comments are: from a `%%` that is not in code (a code span or block that a
/// comment reached into is none, its start being hidden) to the next `%%`, or to the end.
pub fn comments(body: &str) -> Vec<std::ops::Range<usize>> {
    let code = fuzzing::code_ranges(body);
    let mut comments = Vec::new();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while let Some(c) = body[i..].chars().next() {
        let marker = body[i..].starts_with("%%");
        match open {
            Some(start) if marker => {
                comments.push(start..i + 2);
                open = None;
                i += 2;
            }
            Some(_) => i += c.len_utf8(),
            None => match code.iter().find(|r| r.start == i) {
                Some(r) => i = r.end,
                None if marker => {
                    open = Some(i);
                    i += 2;
                }
                None => i += c.len_utf8(),
            },
        }
    }
    if let Some(start) = open {
        comments.push(start..body.len());
    }
    comments
}
