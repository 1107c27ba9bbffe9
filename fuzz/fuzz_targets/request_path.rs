//! The path of a request to `gloss serve`: no panic; a decoded path starts with `/` and holds no
//! NUL, backslash, `.` or `..` segment; a request maps only to a file that exists, inside the
//! site; a redirect stays on this server (`/…`, never `//host`).
#![no_main]

use gloss::fuzzing;
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 5] = [
    "index.html",
    "about/index.html",
    "sources/a/index.html",
    "style.css",
    "a b/index.html",
];

fuzz_target!(|data: &[u8]| {
    let url = String::from_utf8_lossy(data);
    if let Ok(path) = fuzzing::decode_request_path(&url) {
        assert!(path.starts_with('/'), "{path:?}");
        assert!(!path.contains(['\0', '\\']), "{path:?}");
        assert!(path.split('/').all(|s| s != "." && s != ".."), "{path:?}");
    }
    for base in ["/", "/review/"] {
        let target = fuzzing::request_target(&url, base, |rel| FILES.contains(&rel));
        if let Some(rel) = target.strip_prefix("file ") {
            assert!(FILES.contains(&rel), "{rel:?}");
        } else if let Some(to) = target.strip_prefix("redirect ") {
            assert!(to.starts_with('/') && !to.starts_with("//"), "{to:?}");
            assert!(!to.contains(['\r', '\n']), "{to:?}");
        }
    }
});
