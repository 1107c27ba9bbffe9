//! What `gloss serve` sends of a file: its media type (by its extension, through `mime_guess`)
//! and, for a `Range` request, the part asked for, so that a browser can seek in a video or
//! resume a download.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;

/// The `Content-Type` of a file by its extension; text is UTF-8, as gloss writes it.
pub(crate) fn content_type(rel: &str) -> String {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let text =
        mime.type_() == mime_guess::mime::TEXT || mime.essence_str() == "application/javascript";
    match text {
        true => format!("{}; charset=utf-8", mime.essence_str()),
        false => mime.essence_str().to_string(),
    }
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ranged {
    /// No range, or one this server does not answer (several ranges, a unit other than bytes,
    /// a malformed one): the whole body, as HTTP allows.
    Whole,
    /// Bytes `first..=last`.
    Part { first: u64, last: u64 },
    /// A range that starts past the end (416).
    Unsatisfiable,
}

/// Reads a `Range` header (`bytes=0-1023`, `bytes=1024-`, `bytes=-500`) against a body of `len`
/// bytes.
pub(crate) fn range(header: Option<&str>, len: u64) -> Ranged {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ranged::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Ranged::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    if spec.contains(',') {
        return Ranged::Whole;
    }
    if first.is_empty() {
        // The last `n` bytes.
        return match last.parse::<u64>() {
            Ok(0) => Ranged::Unsatisfiable,
            Ok(_) if len == 0 => Ranged::Unsatisfiable,
            Ok(n) => Ranged::Part {
                first: len.saturating_sub(n),
                last: len - 1,
            },
            Err(_) => Ranged::Whole,
        };
    }
    let Ok(first) = first.parse::<u64>() else {
        return Ranged::Whole;
    };
    let last = match last {
        "" => u64::MAX,
        last => match last.parse::<u64>() {
            Ok(last) if last >= first => last,
            _ => return Ranged::Whole,
        },
    };
    if first >= len {
        return Ranged::Unsatisfiable;
    }
    Ranged::Part {
        first,
        last: last.min(len - 1),
    }
}

/// A file's bytes: generated ones held in memory, or a copied file on disk, read as sent.
pub(crate) enum Body {
    Memory(Arc<[u8]>),
    File(File, u64),
}

impl Body {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Body::Memory(bytes) => bytes.len() as u64,
            Body::File(_, len) => *len,
        }
    }

    /// Bytes `first..=last` as a reader.
    pub(crate) fn part(self, first: u64, last: u64) -> std::io::Result<Box<dyn Read + Send>> {
        let take = last + 1 - first;
        Ok(match self {
            Body::Memory(bytes) => {
                let mut cursor = Cursor::new(bytes);
                cursor.set_position(first);
                Box::new(cursor.take(take))
            }
            Body::File(mut file, _) => {
                file.seek(SeekFrom::Start(first))?;
                Box::new(file.take(take))
            }
        })
    }

    /// Every byte, in memory.
    pub(crate) fn into_vec(self) -> std::io::Result<Vec<u8>> {
        match self {
            Body::Memory(bytes) => Ok(bytes.to_vec()),
            Body::File(mut file, len) => {
                let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
                file.read_to_end(&mut bytes)?;
                Ok(bytes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/clip.MP4"), "video/mp4");
        assert_eq!(content_type("clip.webm"), "video/webm");
        assert_eq!(content_type("talk.mp3"), "audio/mpeg");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("references.json"), "application/json");
        assert_eq!(
            content_type("search/page/7.bin"),
            "application/octet-stream"
        );
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn byte_ranges_are_read_as_http_defines_them() {
        let part = |first, last| Ranged::Part { first, last };
        assert_eq!(range(None, 100), Ranged::Whole);
        assert_eq!(range(Some("bytes=0-9"), 100), part(0, 9));
        assert_eq!(range(Some("bytes=90-"), 100), part(90, 99));
        assert_eq!(range(Some("bytes=90-500"), 100), part(90, 99));
        assert_eq!(range(Some("bytes=-10"), 100), part(90, 99));
        assert_eq!(range(Some("bytes=-500"), 100), part(0, 99));
        assert_eq!(range(Some("bytes=100-"), 100), Ranged::Unsatisfiable);
        assert_eq!(range(Some("bytes=-0"), 100), Ranged::Unsatisfiable);
        assert_eq!(range(Some("bytes=0-"), 0), Ranged::Unsatisfiable);
        for ignored in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=x-1",
            "bytes=1",
        ] {
            assert_eq!(range(Some(ignored), 100), Ranged::Whole, "{ignored}");
        }
    }

    #[test]
    fn a_part_of_a_body_is_the_bytes_asked_for() {
        let bytes: Arc<[u8]> = (0..=255u8).collect::<Vec<_>>().into();
        let mut part = Vec::new();
        Body::Memory(bytes.clone())
            .part(10, 19)
            .unwrap()
            .read_to_end(&mut part)
            .unwrap();
        assert_eq!(part, (10..=19u8).collect::<Vec<_>>());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        std::fs::write(&path, &*bytes).unwrap();
        let mut part = Vec::new();
        Body::File(File::open(&path).unwrap(), 256)
            .part(250, 255)
            .unwrap()
            .read_to_end(&mut part)
            .unwrap();
        assert_eq!(part, (250..=255u8).collect::<Vec<_>>());
    }
}
