//! Faults during `gloss build`, each real where it can be: a write past the file-size limit
//! (`prlimit --fsize`), a build killed with SIGKILL, unreadable notes and folders (run as an
//! unprivileged user when the tests run as root), an output path that is read-only, a file or a
//! link, and two builds of one output at once; a spare folder made read-only, leftovers without
//! their marker, and a panic on purpose (`GLOSS_FAULT`, debug builds). Each ends in a clear
//! message and exit code, with the previous output byte-identical and nothing left behind, or
//! heals and builds.

use crate::common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, snapshot, stderr};

/// The longest a build may take here (debug builds on a busy two-core machine).
const WAIT: Duration = Duration::from_secs(120);

fn gloss() -> &'static str {
    env!("CARGO_BIN_EXE_gloss")
}

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.source("smith2020", &["Smith, A."], "2020", "A study", "Annotated.")
        .write(
            "content/themes/trust.md",
            "---\ntitle: Trust\n---\nAs @smith2020 shows [@smith2020, p. 3].\n",
        );
    site
}

/// A site large enough that a debug build takes a few seconds: time to act while it writes.
fn large_site() -> TestSite {
    let site = TestSite::new();
    let paragraph = "Trust between donors and recipients erodes when conditions shift. ".repeat(40);
    for i in 0..1500 {
        site.source(
            &format!("s{i:04}"),
            &["Smith, A.", "Jones, B."],
            &format!("{}", 1950 + i % 70),
            &format!("Study number {i}"),
            &format!(
                "{paragraph}\n\nSee [[trust]] and @s{:04}.\n",
                (i + 1) % 1500
            ),
        );
    }
    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust\n---\nAs @s0001 shows.\n",
    );
    site
}

fn build_args(site: &TestSite) -> Vec<String> {
    vec![
        "build".into(),
        "--root".into(),
        site.root().display().to_string(),
        "--out".into(),
        site.out().display().to_string(),
    ]
}

fn spawn_build(site: &TestSite) -> Child {
    Command::new(gloss())
        .args(build_args(site))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gloss build")
}

/// A child process, killed and reaped on every path out of a test.
struct Reaped(Option<Child>);

impl Reaped {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("a child")
    }

    /// Waits (bounded) for the child to exit, and returns its output.
    fn finish(mut self) -> Output {
        let deadline = Instant::now() + WAIT;
        while self.child().try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the build did not finish");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.0.take().unwrap().wait_with_output().unwrap()
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits (bounded) until `ready` holds, failing the test with `what` if it never does.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The staging and set-aside folders beside the output.
fn leftovers(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".gloss-tmp-") || n.contains(".gloss-old-"))
        .collect();
    names.sort();
    names
}

/// Adds a note whose page is larger than 256 KiB and builds under that file-size limit
/// (`prlimit --fsize`), so that the build fails writing it.
fn build_past_the_size_limit(site: &TestSite) -> Output {
    let body = "A long annotation of the study, sentence after sentence. ".repeat(8000);
    site.source("big2021", &["Big, C."], "2021", "A large note", &body);
    Command::new("prlimit")
        .arg("--fsize=262144")
        .arg(gloss())
        .args(build_args(site))
        .output()
        .expect("run prlimit (util-linux)")
}

#[test]
fn a_write_past_the_file_size_limit_fails_cleanly() {
    let site = small_site();
    site.build_ok();
    let before = snapshot(&site.out());
    // A note whose page is larger than the limit the next build runs under.
    let out = build_past_the_size_limit(&site);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "killed or wrong exit: {out:?}\n{err}"
    );
    let page = site.out().join("sources/big2021/index.html");
    assert!(
        err.contains(&format!("{}: File too large", page.display())),
        "the message names the page in the output: {err}"
    );
    assert!(err.contains("is left as it was"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert_eq!(snapshot(&site.out()), before, "the previous output changed");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_killed_build_leaves_the_previous_output_and_the_next_build_clears_up() {
    let site = large_site();
    site.build_ok();
    let before = snapshot(&site.out());
    // Beside the output: a folder that looks like staging but is not gloss's (no marker), and
    // gloss's marker in a folder whose process (this test) is alive. Neither may be touched.
    let foreign = site.root().join(".public.gloss-tmp-999999");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.tex"), "precious").unwrap();
    let alive = site
        .root()
        .join(format!(".public.gloss-tmp-{}", std::process::id()));
    std::fs::create_dir(&alive).unwrap();
    std::fs::write(alive.join(".gloss-output"), "").unwrap();

    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust, revised\n---\nAs @s0002 shows.\n",
    );
    let mut build = Reaped(Some(spawn_build(&site)));
    let child = build.child();
    let staging = site
        .root()
        .join(format!(".public.gloss-tmp-{}", child.id()));
    // Killed once it is writing pages into its staging folder.
    wait_until("the build to write pages", || {
        staging.join("sources").is_dir() || child.try_wait().unwrap().is_some()
    });
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        None,
        "the build finished before it could be killed"
    );
    assert!(
        staging.join(".gloss-output").is_file(),
        "its staging folder is left"
    );
    assert_eq!(snapshot(&site.out()), before, "the previous output changed");

    let out = site.build_ok();
    assert!(
        !staging.exists(),
        "the killed build's folder is cleared: {out:?}"
    );
    assert!(
        foreign.join("thesis.tex").is_file(),
        "a folder not gloss's was touched"
    );
    assert!(alive.is_dir(), "a live process's folder was touched");
    let html = std::fs::read_to_string(site.out().join("themes/trust/index.html")).unwrap();
    assert!(html.contains("Trust, revised"));
}

#[test]
fn an_output_set_aside_by_a_killed_build_is_put_back() {
    let site = small_site();
    site.build_ok();
    let before: Vec<_> = snapshot(&site.out())
        .into_iter()
        .map(|(p, b)| (p.strip_prefix(site.out()).unwrap().to_path_buf(), b))
        .collect();
    // Killed between its two renames: the output moved aside, the new one not yet in place.
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    let aside = site.root().join(format!(".public.gloss-old-{pid}"));
    std::fs::rename(site.out(), &aside).unwrap();
    // The next build cannot write (a file bigger than the limit), yet the output is back.
    let out = build_past_the_size_limit(&site);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let after: Vec<_> = snapshot(&site.out())
        .into_iter()
        .map(|(p, b)| (p.strip_prefix(site.out()).unwrap().to_path_buf(), b))
        .collect();
    assert_eq!(after, before, "the set-aside output is not back");
    assert!(!aside.exists());
}

#[test]
fn two_builds_of_one_output_never_mix() {
    let site = large_site();
    let mut first = Reaped(Some(spawn_build(&site)));
    let lock = site.root().join(".public.gloss-lock");
    let pid = first.child().id().to_string();
    wait_until("the first build to take the lock", || {
        std::fs::read_to_string(&lock).is_ok_and(|t| t == pid)
    });
    let second = site.gloss(
        &build_args(&site)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert_eq!(
        stderr(&second).trim_end(),
        format!(
            "error: another gloss build (process {pid}) is writing {}: wait for it to finish, then build again",
            site.out().display()
        )
    );
    let first = first.finish();
    assert!(first.status.success(), "{}", stderr(&first));
    // The output is the first build's, whole: the same as a build of the site on its own.
    let alone = site.root().join("alone");
    let out = site.gloss(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        alone.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let relative = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(dir)
            .into_iter()
            .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_path_buf(), b))
            .collect()
    };
    assert!(
        relative(&site.out()) == relative(&alone),
        "the output is a mix"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// Opens the site to the unprivileged user [`gloss_unprivileged`] runs as: everything readable,
/// the site's folder writable (the build's lock file goes beside the output).
fn open_to_unprivileged(site: &TestSite) {
    if !running_as_root() {
        return;
    }
    for entry in walkdir::WalkDir::new(site.root()) {
        let path = entry.unwrap().into_path();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        chmod(
            &path,
            if path.is_dir() {
                mode | 0o755
            } else {
                mode | 0o644
            },
        );
    }
    chmod(site.root(), 0o777);
}

/// Runs gloss as an unprivileged user when the tests run as root (root reads every file), so
/// that a permission is a real fault.
fn gloss_unprivileged(args: &[&str]) -> Output {
    let mut command = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", gloss()]);
        c
    } else {
        Command::new(gloss())
    };
    command.args(args).output().expect("run gloss")
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_notes_and_folders_are_located_errors() {
    let site = small_site();
    site.write(
        "content/themes/hidden/inner.md",
        "---\ntitle: Inner\n---\nx\n",
    );
    let args = build_args(&site);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    open_to_unprivileged(&site);
    chmod(&site.root().join("content/sources/smith2020.md"), 0o000);
    chmod(&site.root().join("content/themes/hidden"), 0o000);
    let out = gloss_unprivileged(&args);
    chmod(&site.root().join("content/themes/hidden"), 0o755);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for line in [
        "content/sources/smith2020.md: error: cannot be read: Permission denied (os error 13)",
        "content/themes/hidden: error: cannot be read: Permission denied (os error 13)",
    ] {
        assert!(
            err.lines().any(|l| l == line),
            "no line {line:?} in:\n{err}"
        );
    }
    assert!(!site.out().exists(), "a failed build wrote its output");
}

#[test]
fn a_content_folder_replaced_by_a_file_is_an_error() {
    let site = small_site();
    site.build_ok();
    let before = snapshot(&site.out());
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    site.write("content", "not a folder");
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("content: error: no content/ folder"),
        "{err}"
    );
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn a_read_only_output_folder_is_a_clear_error() {
    let site = small_site();
    let parent = site.root().join("read-only");
    std::fs::create_dir(&parent).unwrap();
    let out_dir = parent.join("public");
    open_to_unprivileged(&site);
    chmod(&parent, 0o555);
    let out = gloss_unprivileged(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    chmod(&parent, 0o755);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(&format!("error: cannot lock --out {}", out_dir.display()))
            && err.contains("Permission denied"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&parent).unwrap().count(),
        0,
        "something was written"
    );
}

#[test]
fn an_output_path_that_is_a_file_or_a_link_is_refused() {
    let site = small_site();
    // A gloss output elsewhere, and links to it and to nowhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join(".gloss-output"), "").unwrap();
    std::fs::write(target.join("index.html"), "mine").unwrap();
    let link = site.root().join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = site.root().join("dangling");
    std::os::unix::fs::symlink(site.root().join("nowhere"), &dangling).unwrap();
    let file = site.root().join("notes.txt");
    std::fs::write(&file, "keep").unwrap();
    for (out, words) in [
        (&link, "is a symbolic link"),
        (&dangling, "is a symbolic link"),
        (&file, "is a file, not a folder"),
    ] {
        let result = site.gloss(&[
            "build",
            "--root",
            site.root().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(2), "{}: {err}", out.display());
        assert!(
            err.starts_with(&format!("error: --out {} {words}", out.display())),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    assert_eq!(
        std::fs::read_to_string(target.join("index.html")).unwrap(),
        "mine"
    );
    let beside: Vec<_> = std::fs::read_dir(elsewhere.path()).unwrap().collect();
    assert_eq!(
        beside.len(),
        1,
        "something was written beside the link's target"
    );
    assert!(!site.root().join("nowhere").exists());
}

/// The spare folder beside the output (the output before last, reused to build faster).
fn spare(site: &TestSite) -> PathBuf {
    site.root().join(".public.gloss-spare")
}

#[test]
fn a_full_disk_gives_the_staging_space_back() {
    let site = small_site();
    site.build_ok();
    site.build_ok();
    assert!(spare(&site).is_dir(), "two builds keep a spare");
    let before = snapshot(&site.out());
    let out = build_past_the_size_limit(&site);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("File too large"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.out()), before, "the previous output changed");
    assert!(
        !spare(&site).exists(),
        "the half-written staging folder is kept after a full disk"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // With room again, the build goes through from scratch.
    site.build_ok();
    assert!(site.out().join("sources/big2021/index.html").is_file());
}

/// Gives the site to the unprivileged user [`gloss_unprivileged`] runs as (when the tests run
/// as root), so that a read-only folder is a real fault and one it may make writable again.
fn give_to_unprivileged(site: &TestSite) {
    if !running_as_root() {
        return;
    }
    for entry in walkdir::WalkDir::new(site.root()) {
        let path = entry.unwrap().into_path();
        std::os::unix::fs::lchown(&path, Some(65534), Some(65534)).unwrap();
    }
}

/// Makes every folder and file under `dir` read-only (as `chmod -R a-w`).
fn read_only_tree(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode();
        chmod(entry.path(), mode & !0o222);
    }
}

#[test]
fn a_read_only_spare_is_replaced_and_the_build_proceeds() {
    let site = small_site();
    site.build_ok();
    site.build_ok();
    give_to_unprivileged(&site);
    read_only_tree(&spare(&site));
    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust, revised\n---\nAs @smith2020 shows.\n",
    );
    give_to_unprivileged(&site);
    let args = build_args(&site);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for round in 0..2 {
        let out = gloss_unprivileged(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: {}",
            stderr(&out)
        );
        let html = std::fs::read_to_string(site.out().join("themes/trust/index.html")).unwrap();
        assert!(html.contains("Trust, revised"), "round {round}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "round {round}");
    }
}

#[test]
fn a_read_only_folder_deep_in_the_spare_is_not_blamed_on_the_output() {
    let site = small_site();
    site.build_ok();
    site.build_ok();
    give_to_unprivileged(&site);
    // Only one folder of the spare is read-only: the spare's own marker can be written.
    read_only_tree(&spare(&site).join("themes"));
    site.write(
        "content/themes/trust.md",
        "---\ntitle: Trust, revised\n---\nAs @smith2020 shows.\n",
    );
    give_to_unprivileged(&site);
    let args = build_args(&site);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gloss_unprivileged(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(site.out().join("themes/trust/index.html")).unwrap();
    assert!(html.contains("Trust, revised"));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn leftovers_without_their_marker_are_known_by_name_and_age() {
    let site = small_site();
    site.build_ok();
    // A dead build's staging folder whose marker an older gloss removed first, two hours ago;
    // an empty one (killed between making and marking it); and a young unmarked one, which is
    // left alone (it may be someone's).
    let old = site.root().join(".public.gloss-tmp-999999991");
    std::fs::create_dir_all(old.join("sources/a")).unwrap();
    std::fs::write(old.join("sources/a/index.html"), "half").unwrap();
    let touched = Command::new("touch")
        .args(["-d", "2 hours ago"])
        .arg(&old)
        .status()
        .unwrap();
    assert!(touched.success());
    let empty = site.root().join(".public.gloss-tmp-999999992");
    std::fs::create_dir(&empty).unwrap();
    let young = site.root().join(".public.gloss-tmp-999999993");
    std::fs::create_dir(&young).unwrap();
    std::fs::write(young.join("notes.txt"), "mine").unwrap();
    site.build_ok();
    assert!(!old.exists(), "the old unmarked leftover is cleared");
    assert!(!empty.exists(), "the empty leftover is cleared");
    assert!(
        young.join("notes.txt").is_file(),
        "a young unmarked folder was touched"
    );
}

#[test]
fn a_panic_anywhere_in_a_build_is_an_internal_error_that_leaves_nothing() {
    let site = small_site();
    site.build_ok();
    site.build_ok();
    let before = snapshot(&site.out());
    for stage in ["load", "write"] {
        let out = Command::new(gloss())
            .args(build_args(&site))
            .env("GLOSS_FAULT", stage)
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{stage}: {err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with("error: ") && l.contains("internal error while")),
            "{stage}: {err}"
        );
        assert!(!err.contains("stack backtrace"), "{stage}: {err}");
        assert_eq!(
            err.matches("panicked").count(),
            1,
            "{stage}: run once: {err}"
        );
        assert_eq!(snapshot(&site.out()), before, "{stage}: the output changed");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "{stage}");
    }
    site.build_ok();
}
