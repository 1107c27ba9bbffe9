//! The index files' building blocks: variable-length integers (LEB128, seven bits a byte, as
//! `search.js` reads them) and gzip (zlib-rs, header without a time or an OS, so the same bytes
//! come out everywhere).

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// Appends `n` as a variable-length integer.
pub(super) fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends a string as its length and its UTF-8 bytes.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// `bytes` gzip-compressed at `level` (0–9).
pub(super) fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 32),
        Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Reads a variable-length integer at `*at` (for the tests, which read the files back).
#[cfg(test)]
pub(super) fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX)] {
            varint(&mut out, n);
        }
        assert_eq!(&out[..5], [0, 1, 127, 0x80, 1]);
        let mut at = 0;
        let back: Vec<u64> = (0..6).map(|_| read_varint(&out, &mut at)).collect();
        assert_eq!(back, [0, 1, 127, 128, 300, u64::from(u32::MAX)]);
        assert_eq!(at, out.len());
    }

    #[test]
    fn gzip_is_the_same_bytes_every_time_and_decompresses() {
        use std::io::Read;
        let text = b"the same words the same words".repeat(50);
        let a = gzip(&text, 6);
        assert_eq!(a, gzip(&text, 6));
        assert_eq!(&a[..10], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&a[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }
}
