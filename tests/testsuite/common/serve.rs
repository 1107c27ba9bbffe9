//! Driving the real `gloss serve`: a temporary copy of `tests/fixtures/serve-site`, the binary on
//! a free loopback port, its output lines, pages over HTTP and the live-reload event stream.
//! Every wait is bounded, and the server process is killed on every path (a Drop guard).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The longest any single step may take (debug builds on a busy two-core machine).
pub const WAIT: Duration = Duration::from_secs(60);
pub const SCRIPT_START: &str = "<script>/* gloss serve: live reload";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary copy of the fixture site with the bundled theme.
pub fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/serve-site"), dir.path());
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// Rewrites a file in place, as most editors do.
pub fn edit_in_place(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

/// Writes a temporary file beside the target and renames it over the target (vim, JetBrains).
pub fn edit_by_rename(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    let tmp = root.join(format!("{rel}.tmp"));
    std::fs::write(&tmp, text.replacen(from, to, 1)).unwrap();
    std::fs::rename(tmp, root.join(rel)).unwrap();
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn http_get(addr: SocketAddr, path: &str, host: &str) -> Response {
    let (status, head, body) = super::http_exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        WAIT,
    );
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked { dechunk(&body) } else { body };
    Response { status, head, body }
}

/// The body of a chunked response (tiny_http chunks bodies over 32 KiB), as a browser reads it.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        raw = &raw[eol + 2..];
        if size == 0 || raw.len() < size {
            return body;
        }
        body.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or(&[]);
    }
}

/// A running `gloss serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT/…/`, as printed.
    pub url: String,
    pub base_path: String,
    /// Lines of stdout (`out: `) and stderr (`err: `) as they come.
    pub lines: Receiver<String>,
    pub seen: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(root, extra, &[])
    }

    /// [`Server::start`] with extra environment variables.
    pub fn start_with_env(root: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .envs(envs.iter().copied())
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0", "--bind", "127.0.0.1"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gloss serve");
        let (tx, lines) = channel();
        for (prefix, pipe) in [
            (
                "out: ",
                Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            ),
            ("err: ", Box::new(child.stderr.take().unwrap())),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(format!("{prefix}{line}"));
                }
            });
        }
        let mut server = Server {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            url: String::new(),
            base_path: String::new(),
            lines,
            seen: Vec::new(),
        };
        let line = server.wait_line(|l| l.contains("serving at http://"));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_string();
        let authority = url.trim_start_matches("http://").split('/').next().unwrap();
        server.addr = authority.parse().expect("a socket address in the URL");
        server.base_path = url[url.find(authority).unwrap() + authority.len()..].to_string();
        server.url = url;
        server
    }

    /// Waits for an output line matching `pred`, returning it; remembers every line read.
    pub fn wait_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "gloss serve did not print the expected line; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Every output line that has arrived so far, without waiting.
    pub fn drain(&mut self) -> Vec<String> {
        let fresh: Vec<String> = self.lines.try_iter().collect();
        self.seen.extend(fresh.iter().cloned());
        fresh
    }

    pub fn get(&self, path: &str) -> Response {
        http_get(self.addr, path, &self.addr.to_string())
    }

    /// GET of a path under the base path.
    pub fn page(&self, rel: &str) -> Response {
        self.get(&format!("{}{rel}", self.base_path))
    }

    pub fn events(&self) -> Events {
        let stream = TcpStream::connect_timeout(&self.addr, WAIT).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut events = Events {
            reader: BufReader::new(stream),
            partial: String::new(),
        };
        write!(
            events.reader.get_mut(),
            "GET /__gloss/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        events.wait_for("hello");
        events
    }
}

/// A live-reload event stream.
pub struct Events {
    pub reader: BufReader<TcpStream>,
    pub partial: String,
}

impl Events {
    /// Reads events until one named `name` arrives; returns its data.
    pub fn wait_for(&mut self, name: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut event = String::new();
        let mut data = String::new();
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed; events so far: {seen:?}"),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    self.partial.push_str(&line);
                    continue;
                }
                Err(e) => panic!("reading the event stream: {e}"),
            }
            let line = std::mem::take(&mut self.partial) + &line;
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event: ") {
                event = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            } else if line.is_empty() && !event.is_empty() {
                seen.push(event.clone());
                if event == name {
                    return data;
                }
                event.clear();
            }
        }
        panic!("no `{name}` event within {WAIT:?}; events so far: {seen:?}");
    }
}

/// The served bytes with the injected live-reload script taken out.
pub fn without_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let Some(start) = text.find(SCRIPT_START) else {
        return body.to_vec();
    };
    let end = start + text[start..].find("</script>").expect("a closed script") + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}
