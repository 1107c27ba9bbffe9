//! Test harness: a throw-away site in a temp folder, built or checked by the real `gloss` binary.
// Shared by every test crate, each using a different part of it.
#![allow(dead_code, unreachable_pub)]

pub mod csl;
pub mod serve;
pub mod zotero;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use scraper::{Html, Selector};

/// The repository root (holds the bundled review and the default theme).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder, with the repository's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site whose base_url is `https://x.github.io/review/`, with no `themes/` folder: it is
    /// built with the theme inside the binary, as a new user's site is.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "site.yaml",
            "title: Test review\ndescription: A test\nbase_url: https://x.github.io/review/\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file (creating folders) relative to the site root.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes a source note with the usual fields.
    pub fn source(
        &self,
        key: &str,
        authors: &[&str],
        year: &str,
        title: &str,
        body: &str,
    ) -> &Self {
        let authors: Vec<String> = authors.iter().map(|a| format!("  - \"{a}\"\n")).collect();
        self.write(
            &format!("content/sources/{key}.md"),
            &format!(
                "---\ntype: article\ntitle: \"{title}\"\nauthors:\n{}year: {year}\ncontainer: \"Journal of Tests\"\nvolume: \"3\"\nissue: \"1\"\npages: \"1-10\"\n---\n{body}\n",
                authors.concat()
            ),
        )
    }

    pub fn gloss(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .output()
            .expect("run gloss")
    }

    /// `gloss build --root <site> --out <site>/public`.
    pub fn build(&self) -> Output {
        let root = self.root().to_str().unwrap().to_string();
        let out = self.out().to_str().unwrap().to_string();
        self.gloss(&["build", "--root", &root, "--out", &out])
    }

    pub fn check(&self) -> Output {
        let root = self.root().to_str().unwrap().to_string();
        self.gloss(&["check", "--root", &root])
    }

    /// `gloss build --base-url <base_url>` into a folder of its own under the site; returns it.
    pub fn build_at(&self, base_url: &str) -> PathBuf {
        let name: String = base_url
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let out = self.root().join("builds").join(name);
        let root = self.root().to_string_lossy().to_string();
        let out_arg = out.to_string_lossy().to_string();
        let output = self.gloss(&[
            "build",
            "--root",
            &root,
            "--out",
            &out_arg,
            "--base-url",
            base_url,
        ]);
        assert!(
            output.status.success(),
            "build with --base-url {base_url} failed:\n{}",
            stderr(&output)
        );
        out
    }

    /// Builds and panics with gloss's output if the build fails.
    pub fn build_ok(&self) -> Output {
        let out = self.build();
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    /// A built page, parsed.
    pub fn html(&self, rel: &str) -> Html {
        let path = self.out().join(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    pub fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Text of every element matching `css`, whitespace-normalised.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The attribute `attr` of every element matching `css`.
pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for "nothing changed" assertions.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// Sends `request` (a whole request head, ending in a blank line) to `addr` and reads the
/// response until the server closes the connection: the status code, the response head and the
/// body. Waits at most `timeout` to connect and for each read.
pub fn http_exchange(addr: SocketAddr, request: &str, timeout: Duration) -> (u16, String, Vec<u8>) {
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).expect("connect to the test server");
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream
        .write_all(request.as_bytes())
        .expect("send a request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    (status, head, raw[split + 4..].to_vec())
}
