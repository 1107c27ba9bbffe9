//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate nearest to `wrong` by edit distance, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wrong_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (wrong.chars().count().max(c.chars().count()) / 3).max(2))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["jabeen2009", "jabeen2011", "rath2011"];
        assert_eq!(closest("jabeen2008", keys), Some("jabeen2009"));
        assert_eq!(closest("Jabeen2011x", keys), Some("jabeen2011"));
        assert_eq!(closest("mearsheimer2001", keys), None);
    }
}
