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

    pub(super) fn of(value: &impl Serialize) -> u128 {
        let mut f = Fingerprint::new();
        // Serialising plain view structs into a hasher cannot fail; a failure only costs a render.
        if serde_json::to_writer(&mut f, value).is_err() {
            return 0;
        }
        f.finish()
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
