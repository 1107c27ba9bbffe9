//! The engine's panics caught. hayagriva 0.10 indexes and unwraps where some inputs (a site's own
//! `.csl` file, names it disambiguates) break its assumptions; a build must never panic, so every
//! run of the engine goes through [`guarded`]: a panic becomes an error that names the works of
//! the run, and the panic hook stays silent for it (gloss prints its own message instead).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs the engine: its panics are caught and not printed.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last caught panic happened (`file:line`), for the message.
    static WHERE: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// What went wrong in the engine: its panic's message and where in its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnginePanic(pub(crate) String);

/// Runs `f`, the engine's work, catching a panic.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, EnginePanic> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                WHERE.with(|w| *w.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let at = WHERE.with(|w| w.borrow_mut().take());
        // Only the file's name within the crate: `hayagriva-0.10.1/src/csl/mod.rs:945`.
        let at = at.map(|a| match a.find("hayagriva") {
            Some(i) => a[i..].to_string(),
            None => a,
        });
        EnginePanic(match at {
            Some(at) => format!("{message}, at {at}"),
            None => message,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_thread_goes_on() {
        let caught = guarded(|| -> usize {
            let v: Vec<usize> = Vec::new();
            v[std::hint::black_box(3)]
        });
        let EnginePanic(message) = caught.unwrap_err();
        assert!(message.contains("index out of bounds"), "{message}");
        assert!(message.contains("guard.rs"), "{message}");
        assert_eq!(guarded(|| 2 + 2), Ok(4));
    }
}
