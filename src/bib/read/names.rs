//! Names as reference managers export them, made what they mean (both formats' readers share
//! it): a particle written at the end of the given name (Zotero's "Heijden, Tim van der") moved
//! to the particle, a suffix written inside the given name ("Walton P., III") or after it
//! ("Doe, John, Jr." read by BibTeX as suffix "John" and given "Jr.") put in its place, a
//! cataloguer's period after a full given name ("German.") dropped, and "others" as the list's
//! et al. Each change is said, naming the name, since it changes what a style prints.

use crate::bib::model::{Name, SourceMeta};

/// Particles that follow a given name in the "Family, Given particle" form: the lower-case
/// words of Dutch, German, French, Italian, Spanish, Portuguese and Scandinavian names.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "delle", "dei", "degli", "di", "da", "dal",
    "dalla", "du", "des", "la", "le", "les", "lo", "ter", "ten", "te", "zu", "zum", "zur", "dos",
    "das", "do", "af", "av", "y", "vom", "het", "'t",
];

/// Suffixes of a name: `Jr.`, `Sr.`, `III`.
fn is_suffix(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    matches!(
        t.as_str(),
        "jr" | "sr" | "jun" | "sen" | "jnr" | "snr" | "ii" | "iii" | "iv" | "v" | "vi" | "vii"
    ) || (t.len() >= 3 && t.chars().next().is_some_and(|c| c.is_ascii_digit()))
        && (t.ends_with("nd") || t.ends_with("rd") || t.ends_with("th"))
}

/// Every name list of an entry tidied; the remark that says what changed, if anything did.
pub(crate) fn tidy_all(meta: &mut SourceMeta) -> Option<String> {
    let mut said = Vec::new();
    for list in [&mut meta.authors, &mut meta.editors, &mut meta.translators] {
        tidy(list, &mut said);
    }
    (!said.is_empty()).then(|| format!("names read as meant: {}", said.join("; ")))
}

/// Each name of a list tidied (see the module); what changed is added to `said`, one item per
/// change: "`Heijden, Tim van der`: `van der` is a particle".
pub(crate) fn tidy(names: &mut Vec<Name>, said: &mut Vec<String>) {
    for name in names.iter_mut() {
        if name.is_literal() && name.family.eq_ignore_ascii_case("others") {
            name.family = "others".into();
            continue;
        }
        let before = written(name);
        let mut why = Vec::new();
        if swap_suffix(name) || suffix_in_given(name) {
            why.push(format!(
                "`{}` is a suffix",
                name.suffix.as_deref().unwrap_or("")
            ));
        }
        if trailing_particle(name) {
            why.push(format!(
                "`{}` is a particle",
                name.dropping.as_deref().unwrap_or("")
            ));
        }
        if final_period(name) {
            why.push("a catalogue's period after the given name dropped".to_string());
        }
        if !why.is_empty() {
            said.push(format!("`{before}`: {}", why.join(", ")));
        }
    }
    // `others` anywhere but last says nothing more than at the end.
    if let Some(i) = names.iter().position(Name::is_others)
        && i + 1 < names.len()
    {
        let others = names.remove(i);
        names.push(others);
    }
}

/// The name as the library wrote it: "Family, Given" with the suffix where it stood.
fn written(name: &Name) -> String {
    let family = name.full_family();
    match (&name.given, &name.suffix) {
        (Some(g), Some(s)) => format!("{family}, {s}, {g}"),
        (Some(g), None) => format!("{family}, {g}"),
        (None, _) => family,
    }
}

/// BibTeX reads "Doe, John, Jr." as family, suffix, given: suffix "John", given "Jr.". The
/// order people write is family, given, suffix: when the "given" is a suffix and the "suffix"
/// is not, they are swapped.
fn swap_suffix(name: &mut Name) -> bool {
    let (Some(given), Some(suffix)) = (&name.given, &name.suffix) else {
        return false;
    };
    if is_suffix(given) && !is_suffix(suffix) {
        std::mem::swap(&mut name.given, &mut name.suffix);
        return true;
    }
    false
}

/// A CSL given name "Walton P., III": given "Walton P.", suffix "III".
fn suffix_in_given(name: &mut Name) -> bool {
    let Some(given) = &name.given else {
        return false;
    };
    let Some((first, last)) = given.rsplit_once(',') else {
        return false;
    };
    if name.suffix.is_some() || !is_suffix(last) || first.trim().is_empty() {
        return false;
    }
    name.suffix = Some(last.trim().to_string());
    name.given = Some(first.trim().to_string());
    true
}

/// "Tim van der" → given "Tim", dropping particle "van der", as pandoc reads it (biblatex's
/// `useprefix=false`: "Heijden, T. van der", sorted under H).
fn trailing_particle(name: &mut Name) -> bool {
    let Some(given) = &name.given else {
        return false;
    };
    let words: Vec<&str> = given.split_whitespace().collect();
    let first_particle = words
        .iter()
        .rposition(|w| !PARTICLES.contains(w))
        .map_or(0, |i| i + 1);
    if first_particle == 0 || first_particle == words.len() {
        return false;
    }
    let particle = words[first_particle..].join(" ");
    name.given = Some(words[..first_particle].join(" "));
    name.dropping = Some(match name.dropping.take() {
        Some(d) => format!("{particle} {d}"),
        None => particle,
    });
    true
}

/// "German." → "German": a library catalogue's period after a name written out, which a style
/// would take for an initial (`G. e. r. m. a. n.`). An initial ("J.") and an abbreviation
/// written in capitals keep theirs.
fn final_period(name: &mut Name) -> bool {
    let Some(given) = &name.given else {
        return false;
    };
    let Some(last) = given.split_whitespace().next_back() else {
        return false;
    };
    let Some(word) = last.strip_suffix('.') else {
        return false;
    };
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let spelled = letters >= 3
        && !word.contains('.')
        && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-');
    if !spelled {
        return false;
    }
    name.given = Some(given[..given.len() - 1].to_string());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str, suffix: Option<&str>) -> Name {
        Name {
            family: family.into(),
            given: Some(given.into()),
            suffix: suffix.map(str::to_string),
            ..Name::default()
        }
    }

    fn tidied(name: Name) -> (Name, Vec<String>) {
        let mut names = vec![name];
        let mut said = Vec::new();
        tidy(&mut names, &mut said);
        (names.remove(0), said)
    }

    #[test]
    fn a_particle_after_the_given_name_is_a_dropping_particle() {
        let (n, said) = tidied(person("Heijden", "Tim van der", None));
        assert_eq!(
            (n.given.as_deref(), n.dropping.as_deref()),
            (Some("Tim"), Some("van der"))
        );
        assert_eq!(said, ["`Heijden, Tim van der`: `van der` is a particle"]);
        let (n, _) = tidied(person("Massow", "Wilhelm von", None));
        assert_eq!(n.dropping.as_deref(), Some("von"));
        // A given name that is only particle-like words, or has none, is left alone.
        for given in ["de", "Anna Maria", "Ana de la Cruz Maria"] {
            let (n, said) = tidied(person("X", given, None));
            assert_eq!(n.given.as_deref(), Some(given));
            assert!(said.is_empty(), "{said:?}");
        }
    }

    #[test]
    fn suffixes_are_found_where_people_write_them() {
        let (n, _) = tidied(person("Harrington", "Walton P., III", None));
        assert_eq!(
            (n.given.as_deref(), n.suffix.as_deref()),
            (Some("Walton P."), Some("III"))
        );
        // BibTeX's reading of "Doe, John, Jr.".
        let (n, _) = tidied(person("Doe", "Jr.", Some("John")));
        assert_eq!(
            (n.given.as_deref(), n.suffix.as_deref()),
            (Some("John"), Some("Jr."))
        );
        // "King, Jr., Martin Luther", as BibTeX means it, stays.
        let (n, said) = tidied(person("King", "Martin Luther", Some("Jr.")));
        assert_eq!(n.given.as_deref(), Some("Martin Luther"));
        assert!(said.is_empty());
    }

    #[test]
    fn a_period_after_a_written_out_given_name_is_dropped_not_after_an_initial() {
        assert_eq!(
            tidied(person("Carrera Damas", "German.", None))
                .0
                .given
                .as_deref(),
            Some("German")
        );
        for given in ["J.", "Jean-P.", "M. A.", "Wm.", "J.R.R."] {
            assert_eq!(
                tidied(person("X", given, None)).0.given.as_deref(),
                Some(given)
            );
        }
    }

    #[test]
    fn others_is_the_last_name_of_the_list() {
        let mut names = vec![Name::literal("Others"), person("Doe", "John", None)];
        tidy(&mut names, &mut Vec::new());
        assert_eq!(names[0].family, "Doe");
        assert!(names[1].is_others());
    }
}
