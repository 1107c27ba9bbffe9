//! Starting a review of one's own: the binary alone (no file of this repository), `gloss init`,
//! `gloss new`, `gloss theme eject`, and what gets published (drafts, `publish: explicit`,
//! ignore patterns, links to unpublished notes, notes that would replace generated pages).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{TestSite, attrs, stderr, stdout, texts};
use gloss::{LoadOptions, build_in_memory};

/// The release or debug binary copied into a fresh folder outside the repository, as a user who
/// ran `cargo install` has it; the folder also holds nothing else.
struct Installed {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Installed {
    fn new() -> Installed {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            !dir.path().starts_with(common::repo_root()),
            "the temporary folder must be outside the repository"
        );
        let bin = dir.path().join("bin").join("gloss");
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_gloss"), &bin).unwrap();
        Installed { dir, bin }
    }

    /// Runs the installed gloss in `cwd` (relative to the folder), with no environment hint of
    /// where the repository is.
    fn run(&self, cwd: &str, args: &[&str]) -> Output {
        let cwd = self.dir.path().join(cwd);
        std::fs::create_dir_all(&cwd).unwrap();
        let mut tries = 0;
        loop {
            let run = Command::new(&self.bin)
                .args(args)
                .current_dir(&cwd)
                .env_remove("CARGO_MANIFEST_DIR")
                .output();
            match run {
                // ETXTBSY: another test thread forked while this copy of the binary was still
                // open for writing; the fork's descriptor closes as soon as it executes.
                Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                run => return run.unwrap(),
            }
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

fn html(path: &Path) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn a_new_user_inits_and_builds_a_review_with_the_binary_alone() {
    let gloss = Installed::new();
    let out = gloss.run("work", &["init", "review"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    for next in [
        "cd review",
        "gloss serve",
        "gloss new source",
        "gloss build",
    ] {
        assert!(
            said.contains(next),
            "init must print the next commands: {said}"
        );
    }
    for file in [
        "site.yaml",
        "content/_index.md",
        "content/sources/example2024.md",
        "content/themes/example-theme.md",
        "templates/README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(gloss.path("work/review").join(file).is_file(), "{file}");
    }
    assert!(
        !gloss.path("work/review/themes").exists(),
        "no theme folder"
    );
    let yaml = std::fs::read_to_string(gloss.path("work/review/site.yaml")).unwrap();
    assert!(yaml.contains("title: \"Review\""), "{yaml}");
    assert!(
        yaml.lines().filter(|l| l.starts_with('#')).count() >= 5,
        "commented"
    );
    let workflow =
        std::fs::read_to_string(gloss.path("work/review/.github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains("GLOSS_VERSION") && workflow.contains("SHA256SUMS"),
        "the workflow downloads a pinned, checked release (install::): {workflow}"
    );

    let out = gloss.run("work/review", &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = gloss.path("work/review/public");
    // The example theme cites the example source: a linked APA citation ...
    let theme = html(&public.join("themes/example-theme/index.html"));
    let citations = texts(&theme, ".prose .citation");
    assert!(
        citations.iter().any(|c| c == "(Example & Sample, 2024)"),
        "{citations:?}"
    );
    // ... a backlink on the source's page, and an entry in the bibliography.
    let source = html(&public.join("sources/example2024/index.html"));
    assert!(
        texts(&source, ".backlinks a")
            .iter()
            .any(|t| t.contains("An example theme")),
        "the source's page lists the theme citing it"
    );
    let bibliography = std::fs::read_to_string(public.join("bibliography/index.html")).unwrap();
    assert!(bibliography.contains("Example, A. B., &amp; Sample, C. (2024)."));
    // The built-in theme's stylesheet is written though the site has no themes/ folder.
    assert!(
        std::fs::read_to_string(public.join("style.css"))
            .unwrap()
            .contains("--accent")
    );
    // public/ served at a server's root (`python3 -m http.server -d public`) is styled: every
    // stylesheet and script a page asks for is a file there (issue 30: `/review/style.css` was
    // asked for and missing).
    for page in ["index.html", "sources/example2024/index.html"] {
        let doc = html(&public.join(page));
        let wanted = attrs(&doc, "link[rel=stylesheet]", "href")
            .into_iter()
            .chain(attrs(&doc, "script[src]", "src"));
        let mut seen = 0;
        for url in wanted {
            let path = url.split(['?', '#']).next().unwrap();
            let file = match path.strip_prefix("http://localhost:8000/") {
                Some(rest) => public.join(rest),
                None => {
                    let rest = path
                        .strip_prefix('/')
                        .unwrap_or_else(|| panic!("{page}: {url}"));
                    public.join(rest)
                }
            };
            assert!(
                file.is_file(),
                "{page} asks for {url}, which is not in public/"
            );
            seen += 1;
        }
        assert!(seen >= 2, "{page}: stylesheet and scripts");
    }

    // The commented style keys work once uncommented: IEEE, in German.
    let yaml = std::fs::read_to_string(gloss.path("work/review/site.yaml")).unwrap();
    assert!(yaml.contains("\n# citation_style: apa\n") && yaml.contains("\n# locale: en-US\n"));
    let yaml = yaml
        .replace("\n# citation_style: apa\n", "\ncitation_style: ieee\n")
        .replace("\n# locale: en-US\n", "\nlocale: de-DE\n");
    std::fs::write(gloss.path("work/review/site.yaml"), yaml).unwrap();
    let out = gloss.run("work/review", &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let theme = html(&public.join("themes/example-theme/index.html"));
    let citations = texts(&theme, ".prose .citation");
    assert!(citations.iter().any(|c| c == "[1]"), "{citations:?}");

    // A second init is refused and changes nothing.
    let before = std::fs::read_to_string(gloss.path("work/review/site.yaml")).unwrap();
    let out = gloss.run("work/review", &["init"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already holds a site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(gloss.path("work/review/site.yaml")).unwrap(),
        before
    );
}

#[test]
fn init_never_overwrites_a_file() {
    let gloss = Installed::new();
    std::fs::create_dir_all(gloss.path("here/.github/workflows")).unwrap();
    std::fs::write(gloss.path("here/.gitignore"), "mine\n").unwrap();
    let out = gloss.run("here", &["init"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".gitignore"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(gloss.path("here/.gitignore")).unwrap(),
        "mine\n"
    );
    assert!(!gloss.path("here/site.yaml").exists(), "nothing written");
}

#[test]
fn new_writes_every_field_of_a_type_and_refuses_what_it_must() {
    let gloss = Installed::new();
    assert!(gloss.run(".", &["init", "r"]).status.success());
    for (kind, key, has, lacks) in [
        ("article", "a2020", "# issue:", "publisher"),
        ("book", "b2020", "# publisher:", "# issue:"),
        ("chapter", "c2020", "# editors:", "# issue:"),
        ("report", "d2020", "# publisher:", "# issue:"),
        ("thesis", "e2020", "# publisher:", "# container:"),
        ("web", "f2020", "# url:", "# publisher:"),
        ("other", "g2020", "# issue:", "\0"),
        ("conference", "h2020", "# event:", "# issue:"),
        ("preprint", "i2020", "# eprint:", "# issue:"),
        ("dataset", "j2020", "# version:", "# issue:"),
        ("software", "k2020", "# version:", "# issue:"),
        ("magazine", "l2020", "# issued:", "# publisher:"),
        ("newspaper", "m2020", "# issued:", "# publisher:"),
    ] {
        let out = gloss.run("r", &["new", "source", key, "--type", kind]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let text =
            std::fs::read_to_string(gloss.path(&format!("r/content/sources/{key}.md"))).unwrap();
        assert!(text.starts_with(&format!("---\ntype: {kind} ")), "{text}");
        assert!(
            text.contains(has) && !text.contains(lacks),
            "{kind}:\n{text}"
        );
        // A new note builds at once (issue 30): titled from its key, a draft, and its example
        // names a comment, so nothing made up is published, even with --drafts.
        assert!(
            text.contains(&format!("\ntitle: \"{}", key[..1].to_uppercase())),
            "{text}"
        );
        assert!(text.contains("\ndraft: true"), "{text}");
        assert!(text.contains("\n# authors: "), "{text}");
        let check = gloss.run("r", &["check"]);
        assert!(check.status.success(), "{kind}: {}", stderr(&check));
        for args in [&["build"][..], &["build", "--drafts", "--out", "drafts"]] {
            let build = gloss.run("r", args);
            assert!(build.status.success(), "{kind}: {}", stderr(&build));
        }
        assert!(
            !gloss
                .path(&format!("r/public/sources/{key}/index.html"))
                .exists()
        );
        let page =
            std::fs::read_to_string(gloss.path(&format!("r/drafts/sources/{key}/index.html")))
                .unwrap();
        assert!(
            !page.contains("Family, G") && !page.contains("Family G"),
            "{page}"
        );
        std::fs::remove_file(gloss.path(&format!("r/content/sources/{key}.md"))).unwrap();
    }
    let out = gloss.run("r", &["new", "theme", "trust-deficit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let theme = std::fs::read_to_string(gloss.path("r/content/themes/trust-deficit.md")).unwrap();
    assert!(theme.contains("title: \"Trust deficit\""), "{theme}");
    assert!(gloss.run("r", &["check"]).status.success());

    // An existing note is never overwritten.
    std::fs::write(gloss.path("r/content/themes/trust-deficit.md"), "mine").unwrap();
    let out = gloss.run("r", &["new", "theme", "trust-deficit"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(gloss.path("r/content/themes/trust-deficit.md")).unwrap(),
        "mine"
    );
    // Invalid keys and unknown types are usage errors.
    for bad in [["new", "source", "with space"], ["new", "source", "a/b"]] {
        let out = gloss.run("r", &bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("key"), "{}", stderr(&out));
    }
    let out = gloss.run("r", &["new", "source", "x2020", "--type", "novel"]);
    assert_eq!(out.status.code(), Some(2));
    // Outside a site, new says so and points at init.
    let out = gloss.run("elsewhere", &["new", "source", "x2020"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gloss init"), "{}", stderr(&out));
}

#[test]
fn new_writes_into_the_notes_folder_site_yaml_names() {
    let gloss = Installed::new();
    std::fs::create_dir_all(gloss.path("v/notes")).unwrap();
    std::fs::write(
        gloss.path("v/site.yaml"),
        "title: V\nbase_url: https://x.org/\ncontent_dir: notes\nsources: [Literature]\nthemes: [Maps]\n",
    )
    .unwrap();
    let out = gloss.run("v", &["new", "source", "doe2020"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(gloss.path("v/notes/Literature/doe2020.md").is_file());
    let out = gloss.run("v", &["new", "theme", "trust"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(gloss.path("v/notes/Maps/trust.md").is_file());
    assert!(
        !gloss.path("v/content").exists(),
        "nothing is written into content/"
    );
}

#[test]
fn an_ejected_theme_is_used_and_can_be_changed() {
    let gloss = Installed::new();
    assert!(gloss.run(".", &["init", "r"]).status.success());
    let out = gloss.run("r", &["theme", "eject"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let base = gloss.path("r/themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        text.replace("Built with gloss", "EJECTED-AND-EDITED"),
    )
    .unwrap();
    assert!(gloss.run("r", &["build"]).status.success());
    let home = std::fs::read_to_string(gloss.path("r/public/index.html")).unwrap();
    assert!(home.contains("EJECTED-AND-EDITED"));
    // Ejecting again would overwrite: refused.
    let out = gloss.run("r", &["theme", "eject"]);
    assert_eq!(out.status.code(), Some(2));
    // A theme named in site.yaml that does not exist is an error naming the folder.
    let yaml = std::fs::read_to_string(gloss.path("r/site.yaml")).unwrap();
    std::fs::write(gloss.path("r/site.yaml"), format!("{yaml}\ntheme: fancy\n")).unwrap();
    let out = gloss.run("r", &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("themes/fancy/templates/"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn version_names_the_release_and_the_commit() {
    let out = Installed::new().run(".", &["--version"]);
    let said = stdout(&out);
    assert!(
        said.starts_with(&format!("gloss {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );
}

/// A review with a draft, an unpublished note and a published one.
fn with_drafts() -> TestSite {
    let site = TestSite::new();
    site.source("pub2020", &["Pub, P."], "2020", "Published work", "Public annotation.")
        .write(
            "content/sources/draft2021.md",
            "---\ntitle: \"Draft work\"\nauthors: [\"Draft, D.\"]\nyear: 2021\ndraft: true\ndate: 2024-05-01\ntags: [t]\n---\nDRAFT-PRIVATE-TEXT\n",
        )
        .write(
            "content/themes/t.md",
            "---\ntitle: T\ndate: 2024-04-01\n---\nCites [@pub2020].\n",
        )
        .write(
            "content/private.md",
            "---\ntitle: Private\npublish: false\n---\nUNPUBLISHED-PRIVATE-TEXT\n",
        )
        .write("content/_index.md", "---\ntitle: Home\n---\nHi [[t]].\n");
    site
}

/// Every file of a folder, as text where it is text.
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for (path, bytes) in common::snapshot(dir) {
        text.push_str(&format!("\n== {}\n", path.display()));
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    text
}

#[test]
fn drafts_and_unpublished_notes_reach_no_output_file() {
    let site = with_drafts();
    site.build_ok();
    let everything = all_text(&site.out());
    for private in [
        "DRAFT-PRIVATE-TEXT",
        "UNPUBLISHED-PRIVATE-TEXT",
        "Draft work",
        "draft2021",
    ] {
        assert!(!everything.contains(private), "{private} was published");
    }
    assert!(!site.out().join("sources/draft2021").exists());
    assert!(!site.out().join("private").exists());
    // The drafts are there with --drafts (but never the unpublished note).
    let root = site.root().to_string_lossy().to_string();
    let out_dir = site.root().join("with-drafts");
    let out = site.gloss(&[
        "build",
        "--drafts",
        "--root",
        &root,
        "--out",
        &out_dir.to_string_lossy(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let everything = all_text(&out_dir);
    assert!(everything.contains("DRAFT-PRIVATE-TEXT"));
    assert!(!everything.contains("UNPUBLISHED-PRIVATE-TEXT"));
}

#[test]
fn serve_shows_drafts_with_a_badge_unless_told_not_to() {
    let site = with_drafts();
    let options = LoadOptions {
        root: site.root().to_path_buf(),
        drafts: true,
        preview: true,
        ..Default::default()
    };
    let built = build_in_memory(&options, None).unwrap();
    let page = built
        .files
        .iter()
        .find(|f| f.path == "sources/draft2021/index.html")
        .expect("the draft's page");
    let page = scraper::Html::parse_document(&String::from_utf8_lossy(&page.bytes));
    assert_eq!(texts(&page, ".draft-badge").len(), 1);
    let sources = built
        .files
        .iter()
        .find(|f| f.path == "sources/index.html")
        .unwrap();
    let sources = scraper::Html::parse_document(&String::from_utf8_lossy(&sources.bytes));
    assert_eq!(texts(&sources, ".draft-mark"), ["draft"]);
    let published = built
        .files
        .iter()
        .find(|f| f.path == "sources/pub2020/index.html")
        .unwrap();
    assert!(!String::from_utf8_lossy(&published.bytes).contains("draft-badge"));
    // --no-drafts: as gloss build.
    let built = build_in_memory(
        &LoadOptions {
            drafts: false,
            ..options
        },
        None,
    )
    .unwrap();
    assert!(built.files.iter().all(|f| !f.path.contains("draft2021")));
}

#[test]
fn publish_explicit_publishes_only_notes_that_say_so() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.github.io/review/\npublish: explicit\n",
    )
    .write(
        "content/_index.md",
        "---\ntitle: Home\npublish: true\n---\nSee [[public-note]].\n",
    )
    .write(
        "content/public-note.md",
        "---\ntitle: Public\npublish: true\n---\nPUBLIC-TEXT\n",
    )
    .write(
        "content/silent.md",
        "---\ntitle: Silent\n---\nSILENT-TEXT\n",
    )
    .write(
        "content/refused.md",
        "---\ntitle: Refused\npublish: false\n---\nREFUSED-TEXT\n",
    );
    site.build_ok();
    let everything = all_text(&site.out());
    assert!(everything.contains("PUBLIC-TEXT"));
    assert!(!everything.contains("SILENT-TEXT") && !everything.contains("REFUSED-TEXT"));
}

#[test]
fn ignore_patterns_and_glossignore_leave_files_unread() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.github.io/review/\nignore:\n  - \"templates/\"\n  - \"*.excalidraw.md\"\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHi.\n")
    // Files that would not even parse: ignored files are never read.
    .write("content/templates/source.md", "---\ntitle: {{broken\n")
    .write("content/drawing.excalidraw.md", "---\n{{not yaml\n")
    .write("content/private/diary.md", "---\ntitle: Diary\n---\nDIARY-TEXT\n")
    .write("content/.glossignore", "# my private folder\nprivate/\n")
    .write("content/.obsidian/workspace.md", "---\n{{\n")
    .write("content/.trash/old.md", "---\n{{\n");
    site.build_ok();
    let everything = all_text(&site.out());
    assert!(!everything.contains("DIARY-TEXT"));
    assert!(!site.out().join("templates").exists());
    // A bad pattern is an error on site.yaml's line.
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.github.io/review/\nignore:\n  - \"drafts/\"\n  - \"[z-a]\"\n",
    );
    let out = site.check();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("site.yaml:5:1: error: ignore pattern `[z-a]` is not a valid"),
        "{}",
        stderr(&out)
    );
}

/// A published note that links to or cites an unpublished one builds: the page shows the
/// reference as text (no page links to a page that is not there), with a warning naming both.
#[test]
fn a_reference_to_an_unpublished_note_is_text_with_a_warning() {
    let site = with_drafts();
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nSee [[private]] and the draft [@draft2021].\n",
    )
    .write("content/.glossignore", "hidden/\n")
    .write("content/hidden/x.md", "---\ntitle: X\n---\nX.\n")
    .write(
        "content/more.md",
        "---\ntitle: More\n---\nAnd [[hidden/x]].\n",
    );
    let out = site.build_ok();
    let err = stderr(&out);
    for expected in [
        "content/about.md:4:5: warning: wikilink [[private]] points to content/private.md, which has `publish: false`: the page shows it as text",
        "content/about.md:4:31: warning: citation key `draft2021` points to content/sources/draft2021.md, which is a draft (`draft: true`)",
        "content/more.md:4:5: warning: wikilink [[hidden/x]] points to content/hidden/x.md, which the ignore patterns leave out",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in:\n{err}");
    }
    let about = site.html("about/index.html");
    let hrefs = common::attrs(&about, ".prose a", "href");
    assert!(hrefs.is_empty(), "{hrefs:?}");
    assert_eq!(
        texts(&about, ".prose .unresolved"),
        ["private", "@draft2021?"]
    );
    assert!(!site.out().join("private").exists());
    assert!(!site.out().join("hidden").exists());
    // In serve (a preview, drafts shown) only the unpublished ones remain, as warnings.
    let built = build_in_memory(
        &LoadOptions {
            root: site.root().to_path_buf(),
            drafts: true,
            preview: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("warning: wikilink [[private]] points to")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("draft2021")),
        "{warnings:?}"
    );
}

#[test]
fn a_note_may_not_replace_a_generated_page() {
    let site = TestSite::new();
    site.source("a2020", &["A, A."], "2020", "A", "Annotation.")
        .write("content/_index.md", "---\ntitle: Home\n---\nHi [@a2020].\n")
        .write("content/bibliography.md", "---\ntitle: Mine\n---\nMine.\n")
        .write(
            "content/sources/_index.md",
            "---\ntitle: Sources\n---\nMine.\n",
        )
        // `content/tags/x.md` beside a tag `x` is that tag's introduction (a Quartz tag note,
        // see `vault_as_is`), not a clash.
        .write("content/tags/x.md", "---\ntitle: X\n---\nMine.\n")
        .write(
            "content/other.md",
            "---\ntitle: O\ntags: [x]\n---\nTagged x.\n",
        );
    let out = site.check();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "content/bibliography.md: error: this note's page would be /review/bibliography/index.html, which is the bibliography gloss generates",
        "content/sources/_index.md: error: this note's page would be /review/sources/index.html, which is the list of sources gloss generates",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in:\n{err}");
    }
    assert!(!err.contains("content/tags/x.md"), "{err}");
}
