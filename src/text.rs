//! Words for counts in messages and pages: `1 error`, `3 errors`, `1 entry`, `2 entries`.

/// `n` with the noun that agrees with it: `one` for exactly one, else `many` (zero included:
/// `0 warnings`). Both forms are given, so irregular plurals need no rule.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "warning", "warnings"), "0 warnings");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
        assert_eq!(count(11, "time", "times"), "11 times");
    }
}
