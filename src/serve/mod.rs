//! `gloss serve`: builds the site into memory (never into `public/`, never into `content/`),
//! serves it over HTTP, rebuilds on every burst of changes and reloads the open tabs. A failed
//! build keeps the last good pages online with an overlay naming the problems.
//!
//! Threads: the caller's thread watches and rebuilds; a few workers answer HTTP requests from an
//! immutable `Snapshot` swapped in after each build; live-reload streams are held by a hub.
//! Nothing is written to disk, so stopping with Ctrl-C leaves nothing behind.

pub(crate) mod http;
mod inputs;
mod live;
mod range;
mod session;
mod watch;

use std::fmt;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use crate::build::LoadOptions;
use crate::config::normalize_base_url;
use crate::error::{Diagnostic, Error, Result};
use crate::incremental::Stats;
use crate::layout::CONFIG_FILE;
use crate::text::count;
use inputs::Inputs;
use session::{Session, SiteFiles};
use watch::{WatchOptions, Watcher};

/// Options of `gloss serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub bind: IpAddr,
    /// Build with this base URL and serve under its path; by default `http://127.0.0.1:PORT/`.
    pub base_url: Option<String>,
    /// Open the site in the system's browser once it is up.
    pub open: bool,
    /// Poll for changes instead of relying on file-system notifications.
    pub poll: bool,
    /// Show drafts (marked as such); `--no-drafts` hides them as `gloss build` does.
    pub drafts: bool,
    /// Read what site.yaml names outside the site's folder (`--allow-outside`).
    pub allow_outside: bool,
}

/// What a serve session has to say; the caller decides how to show it.
#[derive(Debug)]
pub enum Event {
    /// The server is up (after the first build, good or not).
    Serving { url: String },
    /// The server is reachable from other machines.
    Exposed { bind: IpAddr },
    /// A build succeeded. `changed` is `None` for the first build; `tabs` counts the browser
    /// tabs told to reload (or to swap stylesheets).
    Built {
        elapsed: Duration,
        pages: usize,
        files: usize,
        changed: Option<usize>,
        tabs: usize,
        stats: Stats,
        /// How long each stage took (reading, resolving, rendering, …), in order.
        stages: Vec<(&'static str, Duration)>,
    },
    /// Files changed but the site did not.
    Unchanged {
        elapsed: Duration,
        stages: Vec<(&'static str, Duration)>,
    },
    /// The site's warnings, printed when they differ from the last ones printed.
    Warnings(Vec<Diagnostic>),
    /// A build failed; the last good version stays online.
    Failed(Error),
    /// Something went wrong beside the build (the watcher, the browser); serving goes on.
    Trouble(String),
}

impl Event {
    /// Whether this belongs on standard error.
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Event::Exposed { .. } | Event::Warnings(_) | Event::Failed(_) | Event::Trouble(_)
        )
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Serving { url } => write!(
                f,
                "serving at {url} (Ctrl-C to stop); rebuilding on every change"
            ),
            Event::Exposed { bind } => write!(
                f,
                "warning: --bind {bind} lets other machines on the network read this draft site; use --bind 127.0.0.1 unless you mean that"
            ),
            Event::Built {
                elapsed,
                pages,
                files,
                changed: None,
                ..
            } => {
                write!(
                    f,
                    "built {pages} pages ({files} files) in {} ms",
                    elapsed.as_millis()
                )
            }
            Event::Built {
                elapsed,
                changed: Some(changed),
                tabs,
                stats,
                stages,
                ..
            } => {
                write!(
                    f,
                    "rebuilt in {} ms: {} changed, {} updated {}",
                    elapsed.as_millis(),
                    count(*changed, "file", "files"),
                    count(*tabs, "browser tab", "browser tabs"),
                    Stages(stages)
                )?;
                if let Some(why) = stats.checked_all {
                    write!(f, "; every page checked ({why})")?;
                }
                Ok(())
            }
            Event::Unchanged { elapsed, stages } => {
                write!(
                    f,
                    "rebuilt in {} ms: no page changed {}",
                    elapsed.as_millis(),
                    Stages(stages)
                )
            }
            Event::Warnings(warnings) if warnings.is_empty() => {
                write!(f, "no warnings left")
            }
            Event::Warnings(warnings) => {
                for (i, w) in warnings.iter().enumerate() {
                    write!(f, "{}{w}", if i > 0 { "\n" } else { "" })?;
                }
                Ok(())
            }
            Event::Failed(error) => {
                let text = error.to_string();
                write!(f, "{}", text.trim_end())?;
                if let Error::Content(diags) = error {
                    let errors = diags.iter().filter(|d| d.is_error()).count();
                    let errors = count(errors, "error", "errors");
                    write!(f, "\nbuild failed with {errors}")?;
                } else {
                    write!(f, "\nbuild failed")?;
                }
                write!(
                    f,
                    ": the browser shows the last good version; fix the file and save to rebuild"
                )
            }
            Event::Trouble(message) => write!(f, "warning: {message}"),
        }
    }
}

/// Stage timings as `[read 3.1, resolve 20, … ms]`, so a slow rebuild says where the time went.
struct Stages<'a>(&'a [(&'static str, Duration)]);

impl fmt::Display for Stages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, (stage, took)) in self.0.iter().enumerate() {
            let sep = if i > 0 { ", " } else { "" };
            let ms = took.as_secs_f64() * 1000.0;
            // Tenths only where they matter: below 10 ms.
            let digits = usize::from(ms < 10.0);
            write!(f, "{sep}{stage} {ms:.digits$}")?;
        }
        write!(f, " ms]")
    }
}

/// What the HTTP workers serve: the last good build and, if the latest build failed, its overlay.
struct Snapshot {
    /// Identifies this state; a page's script compares it with the server's on reconnecting.
    state: String,
    site: Option<Arc<SiteFiles>>,
    overlay: Option<String>,
}

/// Everything the HTTP workers share.
struct Shared {
    base_path: String,
    /// The canonical site root: copied files must stay inside it.
    root: PathBuf,
    /// Bound to a loopback address: requests must name this machine in `Host`.
    loopback: bool,
    snapshot: RwLock<Arc<Snapshot>>,
    hub: live::Hub,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn publish(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }

    fn join_events(&self, request: tiny_http::Request, snapshot: &Snapshot) {
        self.hub.join(
            request.into_writer(),
            &snapshot.state,
            snapshot.overlay.as_deref(),
        );
    }
}

/// How many threads answer HTTP requests (live-reload streams do not hold one).
const WORKERS: usize = 4;
/// How long a path must be quiet before its change is taken.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// Runs the server until the process is stopped. Returns only if it cannot start or the
/// watcher dies; build errors never stop it.
pub fn run(options: &ServeOptions, report: &dyn Fn(&Event)) -> Result<()> {
    let root = options.root.canonicalize().map_err(|e| {
        Error::Usage(format!(
            "--root {}: {e}; pass the folder that holds site.yaml",
            options.root.display()
        ))
    })?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::Usage(format!(
            "no {CONFIG_FILE} in {}: run gloss serve in the site's folder, or pass --root DIR",
            root.display()
        )));
    }
    if let Some(url) = &options.base_url {
        normalize_base_url(url).map_err(|e| Error::Usage(format!("--base-url: {e}")))?;
    }
    let listener = bind(SocketAddr::new(options.bind, options.port))?;
    http::limit_stalls(&listener)
        .map_err(|e| Error::io_in("cannot set the server's timeouts", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io_in("cannot read the server's address", e))?
        .port();
    let host = match options.bind {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{host}:{port}/"));
    let (base_url, base_path) =
        normalize_base_url(&base_url).map_err(|e| Error::Usage(format!("--base-url: {e}")))?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| Error::failed(format!("cannot start the HTTP server: {e}"), e))?;
    let server = Arc::new(server);
    let mut watcher = Watcher::new(&WatchOptions {
        root: root.clone(),
        inputs: Inputs::of(&root),
        poll: options.poll,
        debounce: DEBOUNCE,
    })?;

    let shared = Arc::new(Shared {
        base_path: base_path.clone(),
        root: root.clone(),
        loopback: options.bind.is_loopback(),
        snapshot: RwLock::new(Arc::new(Snapshot {
            state: "starting".into(),
            site: None,
            overlay: None,
        })),
        hub: live::Hub::default(),
    });
    let mut session = Session::new(LoadOptions {
        root,
        base_url: Some(base_url),
        drafts: options.drafts,
        preview: true,
        verbose: false,
        allow_outside: options.allow_outside,
        strict: false,
    });
    session.rebuild(&shared, report, None);
    answer(&server, &shared);

    let url = format!("http://{host}:{port}{base_path}");
    report(&Event::Serving { url: url.clone() });
    if !options.bind.is_loopback() {
        report(&Event::Exposed { bind: options.bind });
    }
    if options.open
        && let Err(e) = open_browser(&url)
    {
        report(&Event::Trouble(format!(
            "could not open a browser ({e}): open {url} yourself"
        )));
    }

    while let Some(burst) = watcher.next_burst() {
        for e in &burst.errors {
            report(&Event::Trouble(e.clone()));
        }
        session.rebuild(&shared, report, Some(&burst));
    }
    Err(Error::failed_plainly(
        "the file watcher stopped; restart gloss serve",
    ))
}

/// Starts the threads that answer HTTP requests, and the one that keeps live-reload streams open.
fn answer(server: &Arc<tiny_http::Server>, shared: &Arc<Shared>) {
    for _ in 0..WORKERS {
        let (server, shared) = (Arc::clone(server), Arc::clone(shared));
        std::thread::spawn(move || {
            loop {
                match server.recv() {
                    // A bug answering one request must not take the server down.
                    Ok(request) => {
                        let _ = catch_unwind(AssertUnwindSafe(|| http::handle(request, &shared)));
                    }
                    // A failed accept (too many open files, a reset): wait and go on.
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        });
    }
    let heartbeat = Arc::clone(shared);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(15));
            heartbeat.hub.heartbeat();
        }
    });
}

fn bind(addr: SocketAddr) -> Result<TcpListener> {
    let port = addr.port();
    TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::failed(format!(
            "port {port} on {} is already in use (another gloss serve?): stop that program, or choose another port with --port, e.g. --port {}",
            addr.ip(),
            port.checked_add(1).unwrap_or(1111)
        ), e),
        std::io::ErrorKind::AddrNotAvailable => {
            Error::Usage(format!("--bind {}: this machine has no such address; use --bind 127.0.0.1", addr.ip()))
        }
        std::io::ErrorKind::PermissionDenied => Error::failed(format!(
            "not allowed to listen on port {port} (ports below 1024 need administrator rights): choose another with --port, e.g. --port 1111"
        ), e),
        _ => Error::io_in(format!("cannot listen on {addr}"), e),
    })
}

/// Asks the system to open `url` in the default browser.
fn open_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    let mut child = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}
