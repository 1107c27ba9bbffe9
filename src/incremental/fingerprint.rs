//! A 128-bit fingerprint of serialised inputs: what the cache compares instead of the inputs.

use std::hash::{DefaultHasher, Hasher};

use serde::Serialize;

/// A 128-bit fingerprint of bytes written to it (two differently seeded SipHash states).
pub(super) struct Fingerprint(DefaultHasher, DefaultHasher);

impl Fingerprint {
    pub(super) fn new() -> Self {
        let mut second = DefaultHasher::new();
        second.write(b"gloss-fingerprint");
        Fingerprint(DefaultHasher::new(), second)
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
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
