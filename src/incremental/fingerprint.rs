//! A 128-bit fingerprint of serialised inputs: what the cache compares instead of the inputs.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3Default;

/// A 128-bit fingerprint of bytes written to it (XXH3-128: a listing of 10,000 entries
/// serialises to megabytes, which two SipHash states took a tenth of a rebuild to read).
pub(super) struct Fingerprint(Xxh3Default);

impl Fingerprint {
    pub(super) fn new() -> Self {
        Fingerprint(Xxh3Default::new())
    }

    /// The fingerprint of `value` serialised, or `None` if it cannot be serialised: such a
    /// value is the same as no other, not even another that fails (a failure only costs a
    /// render; a shared stand-in would serve one failing page's bytes for another's).
    pub(super) fn of(value: &impl Serialize) -> Option<u128> {
        let mut f = Fingerprint::new();
        serde_json::to_writer(&mut f, value).ok()?;
        Some(f.finish())
    }

    pub(super) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
