//! "Did you mean …?": the closest known name to a mistyped one. A vault with thousands of
//! links to notes not written yet asks for thousands of suggestions among thousands of names:
//! the names are prepared once ([`Names`]) and a name is measured only when a cheap bound (its
//! length, its letters) does not rule it out already.

/// How far a candidate may be from the wrong name, in edits, to be a plausible typo.
fn allowed(wrong: usize, candidate: usize) -> usize {
    (wrong.max(candidate) / 3).max(2)
}

/// A candidate, lower-cased, with its length in characters and how many of its characters fall
/// in each of 32 buckets: half the difference of two such counts is never more than the edits
/// between the two names (an edit changes at most two counts by one).
struct Entry<'a> {
    name: &'a str,
    lower: String,
    chars: usize,
    buckets: [u8; 32],
}

fn buckets(lower: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for c in lower.chars() {
        let slot = &mut out[(c as u32 % 32) as usize];
        *slot = slot.saturating_add(1);
    }
    out
}

/// The known names, prepared for many questions.
pub(crate) struct Names<'a> {
    /// By length in characters, then name.
    entries: Vec<Entry<'a>>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(candidates: impl IntoIterator<Item = &'a str>) -> Names<'a> {
        let mut entries: Vec<Entry<'a>> = candidates
            .into_iter()
            .map(|name| {
                let lower = name.to_lowercase();
                Entry {
                    name,
                    chars: lower.chars().count(),
                    buckets: buckets(&lower),
                    lower,
                }
            })
            .collect();
        entries.sort_by(|a, b| (a.chars, a.name).cmp(&(b.chars, b.name)));
        Names { entries }
    }

    /// The name nearest to `wrong` by edit distance, if it is close enough to be a plausible
    /// typo (the first by name among equally near ones).
    pub(crate) fn closest(&self, wrong: &str) -> Option<&'a str> {
        self.closest_measuring(wrong, &mut 0)
    }

    /// [`Names::closest`], counting in `measured` the names it measured the distance to.
    fn closest_measuring(&self, wrong: &str, measured: &mut usize) -> Option<&'a str> {
        let lower = wrong.to_lowercase();
        let chars = lower.chars().count();
        let mine = buckets(&lower);
        let lo = chars.saturating_sub(allowed(chars, chars));
        let hi = (chars + 2).max(chars * 3 / 2 + 1);
        let from = self.entries.partition_point(|e| e.chars < lo);
        let mut best: Option<(usize, &'a str)> = None;
        for entry in self.entries[from..].iter().take_while(|e| e.chars <= hi) {
            let limit = allowed(chars, entry.chars);
            let differ: usize = mine
                .iter()
                .zip(&entry.buckets)
                .map(|(a, b)| a.abs_diff(*b) as usize)
                .sum();
            let bound = chars.abs_diff(entry.chars).max(differ.div_ceil(2));
            if bound > limit || best.is_some_and(|(d, _)| bound > d) {
                continue;
            }
            *measured += 1;
            let d = strsim::damerau_levenshtein(&lower, &entry.lower);
            let better = best.is_none_or(|(bd, bn)| (d, entry.name) < (bd, bn));
            if d <= limit && better {
                best = Some((d, entry.name));
            }
        }
        best.map(|(_, name)| name)
    }
}

/// The candidate nearest to `wrong` by edit distance, if it is close enough to be a plausible
/// typo. For one question; many questions over the same names ask [`Names`].
pub(crate) fn closest<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Names::new(candidates).closest(wrong)
}

#[cfg(test)]
mod tests {
    use super::{Names, closest};

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["jabeen2009", "jabeen2011", "rath2011"];
        assert_eq!(closest("jabeen2008", keys), Some("jabeen2009"));
        assert_eq!(closest("Jabeen2011x", keys), Some("jabeen2011"));
        assert_eq!(closest("mearsheimer2001", keys), None);
        assert_eq!(closest("ab", ["abcd", "x"]), Some("abcd"));
        assert_eq!(closest("ab", ["abcde"]), None);
    }

    /// A vault of 2,000 notes asked for 2,000 names of notes not written yet measures few names
    /// for each (measuring every name made such a vault take seconds to build).
    #[test]
    fn a_name_is_measured_against_few_names() {
        let topics = ["Forest", "River", "Canyon", "Harbor", "Tower", "Meadow"];
        let names: Vec<String> = (0..2000)
            .map(|i| format!("{} {} {i}", topics[i % 6], topics[i / 6 % 6]))
            .collect();
        let prepared = Names::new(names.iter().map(String::as_str));
        let mut measured = 0;
        for i in 0..2000 {
            let wrong = format!("People/Person {i} Somebody");
            assert_eq!(prepared.closest_measuring(&wrong, &mut measured), None);
        }
        assert!(measured < 2000 * 20, "{measured} distances measured");
        let mut near = 0;
        assert_eq!(
            prepared.closest_measuring("River Canyon 31", &mut near),
            Some("River Canyon 13")
        );
    }

    /// The bounds that skip names never skip the answer: every question agrees with measuring
    /// every name.
    #[test]
    fn the_prepared_names_answer_as_measuring_every_name_does() {
        let names: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    "Note {} of {}",
                    i * 7 % 31,
                    ["trust", "drones", "Ça va"][i % 3]
                )
            })
            .chain(["a", "ab", "trust", "Trust deficit", "é"].map(String::from))
            .collect();
        let prepared = Names::new(names.iter().map(String::as_str));
        let slow = |wrong: &str| {
            let wrong = wrong.to_lowercase();
            names
                .iter()
                .map(|c| (strsim::damerau_levenshtein(&wrong, &c.to_lowercase()), c))
                .filter(|(d, c)| *d <= (wrong.chars().count().max(c.chars().count()) / 3).max(2))
                .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
                .map(|(_, c)| c.as_str())
        };
        for wrong in [
            "Note 3 of trsut",
            "note 30 of drones",
            "Trust defecit",
            "b",
            "ça va",
            "Note 12 of Ca va",
            "nothing like any of them at all",
            "",
        ] {
            assert_eq!(prepared.closest(wrong), slow(wrong), "{wrong}");
        }
    }
}
