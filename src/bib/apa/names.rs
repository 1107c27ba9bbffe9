//! Names as APA prints them: initials (`Min-jun` → `M.-J.`, `JF` → `J. F.`), the reference
//! list's author lists (up to 20 names, then the first 19, an ellipsis and the last), editors and
//! translators given first (`A. Okonkwo & F. Hartmann`), and the author part of citations.

use crate::bib::model::Name;

/// APA lists at most this many authors in full (§9.8).
const MAX_LISTED: usize = 20;

/// A given name as initials: `Marcus D.` → `M. D.`, `Min-jun` → `M.-J.`, `S.X.E.` → `S. X. E.`,
/// `JF` (initials written together) → `J. F.`, `Jacques.` (a catalogue's trailing period) →
/// `J.`. Words in lower case are particles or connectives and kept as written (`Tim van der` →
/// `T. van der`), as pandoc's citeproc keeps them.
pub(crate) fn initials(given: &str) -> String {
    let mut parts = Vec::new();
    for word in given.split_whitespace() {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if word.starts_with(char::is_lowercase) && !word.contains('-') {
            parts.push(word.to_string());
            continue;
        }
        // `S.X.E.`: letters each followed by a period.
        let dotted = word.contains('.')
            && !word.contains('-')
            && word
                .split('.')
                .all(|piece| piece.chars().filter(|c| c.is_alphabetic()).count() <= 1);
        let run_of_capitals = !word.contains(['.', '-'])
            && (2..=3).contains(&letters.len())
            && letters.iter().all(|c| c.is_uppercase());
        if dotted || run_of_capitals {
            // `S.X.E.` and `JF`: every letter is an initial.
            parts.extend(letters.iter().map(|c| format!("{c}.")));
        } else {
            let hyphenated: Vec<String> = word
                .split('-')
                .filter_map(|part| part.chars().find(|c| c.is_alphabetic()))
                .map(|c| format!("{}.", c.to_uppercase()))
                .collect();
            if !hyphenated.is_empty() {
                parts.push(hyphenated.join("-"));
            }
        }
    }
    parts.join(" ")
}

/// Suffixes a given name may carry after a comma (`Walton P., III`, `Martin Luther, Jr.`).
fn is_suffix(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.');
    matches!(t.to_lowercase().as_str(), "jr" | "sr" | "jnr" | "snr")
        || (!t.is_empty() && t.len() <= 4 && t.chars().all(|c| "IVX".contains(c)))
}

/// A name's given name and suffix: the suffix field, or a suffix written in the given name
/// after a comma (`Walton P., III`, as some exports write it; `Jr., G.` the other way round).
fn given_and_suffix(name: &Name) -> (String, Option<String>) {
    let given = name.given.clone().unwrap_or_default();
    if name.suffix.is_some() {
        return (given, name.suffix.clone());
    }
    match given.split_once(',') {
        Some((a, b)) if is_suffix(a) && !is_suffix(b) => {
            (b.trim().to_string(), Some(a.trim().to_string()))
        }
        Some((a, b)) if !b.trim().is_empty() => (a.trim().to_string(), Some(b.trim().to_string())),
        _ => (given, None),
    }
}

/// Whether a person's name is written in Chinese, Japanese or Korean characters, which citeproc
/// prints family name first with no comma and no initials (`常远.`).
fn is_cjk(name: &Name) -> bool {
    let cjk = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                    | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
            })
    };
    cjk(&name.family) && name.given.as_deref().is_some_and(cjk)
}

/// A name's text with typographic apostrophes (`O’Connor`, `D’Addario`).
fn apostrophes(s: &str) -> String {
    s.replace('\'', "’")
}

/// Whether a name stands for authors not listed (BibTeX's `and others`).
pub(crate) fn is_others(name: &Name) -> bool {
    name.is_literal() && name.family.eq_ignore_ascii_case("others")
}

/// `Family, I. I.` (with particle, dropping particle and suffix where they go), or an
/// organisation's name: one name of a reference-list author list.
pub(crate) fn inverted(name: &Name) -> String {
    if name.is_literal() {
        return apostrophes(&name.family);
    }
    if is_cjk(name) {
        return format!("{}{}.", name.family, name.given.as_deref().unwrap_or(""));
    }
    let (given, suffix) = given_and_suffix(name);
    let mut out = apostrophes(&name.full_family());
    let given = initials(&given);
    if !given.is_empty() {
        out.push_str(", ");
        out.push_str(&given);
    }
    if let Some(d) = &name.dropping {
        out.push(if given.is_empty() { ',' } else { ' ' });
        if given.is_empty() {
            out.push(' ');
        }
        out.push_str(d);
    }
    if let Some(s) = &suffix {
        out.push_str(", ");
        out.push_str(s);
    }
    out
}

/// `I. I. Family`: an editor or translator, given name first.
pub(crate) fn direct(name: &Name) -> String {
    if name.is_literal() {
        return apostrophes(&name.family);
    }
    let (given, suffix) = given_and_suffix(name);
    let given = initials(&given);
    let mut parts: Vec<String> = Vec::new();
    if !given.is_empty() {
        parts.push(given);
    }
    if let Some(d) = &name.dropping {
        parts.push(d.clone());
    }
    parts.push(apostrophes(&name.full_family()));
    let mut out = parts.join(" ");
    if let Some(s) = &suffix {
        out.push_str(", ");
        out.push_str(s);
    }
    out
}

/// The reference list's author list: `A, B.`, `A, B., & C, D.`, `A, B., C, D., & E, F.`, and for
/// 21 or more the first 19, `…` and the last (§9.8).
pub(crate) fn author_list(names: &[Name]) -> String {
    // Authors not listed (`and others`): the names given, then `et al.` (as citeproc prints
    // BibTeX's `others`).
    if let Some((last, listed)) = names.split_last()
        && is_others(last)
        && !listed.is_empty()
    {
        let listed: Vec<String> = listed.iter().map(inverted).collect();
        return match listed.len() {
            1 => format!("{} et al.", listed[0]),
            _ => format!("{}, et al.", listed.join(", ")),
        };
    }
    let names: Vec<String> = names.iter().map(inverted).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n if n > MAX_LISTED => {
            format!("{}, … {}", names[..MAX_LISTED - 1].join(", "), names[n - 1])
        }
        n => format!("{}, & {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// Editors or translators given first: `A. Okonkwo`, `A. Okonkwo & F. Hartmann`,
/// `A. Okonkwo, F. Hartmann, & G. Lee`.
pub(crate) fn direct_list(names: &[Name]) -> String {
    let names: Vec<String> = names.iter().map(direct).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{} & {}", names[0], names[1]),
        n => format!("{}, & {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// The family name a citation shows for a name (an organisation's whole name).
pub(crate) fn cited(name: &Name) -> String {
    apostrophes(&name.full_family())
}

/// The author part of a parenthetical citation: `Walt`, `Ali & Anwar`, `Plaw et al.`.
pub(crate) fn in_text(names: &[Name]) -> String {
    match names {
        [] => String::new(),
        [first, .., last] if is_others(last) => format!("{} et al.", cited(first)),
        [one] => cited(one),
        [a, b] => format!("{} & {}", cited(a), cited(b)),
        [first, ..] => format!("{} et al.", cited(first)),
    }
}

/// The same in running text, where APA joins two names with "and".
pub(crate) fn narrative(names: &[Name]) -> String {
    match names {
        [a, b] if !is_others(b) => format!("{} and {}", cited(a), cited(b)),
        _ => in_text(names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    #[test]
    fn initials_as_apa_writes_them() {
        assert_eq!(initials("Marcus D."), "M. D.");
        assert_eq!(initials("Min-jun"), "M.-J.");
        assert_eq!(initials("Szi-chieh"), "S.-C.");
        assert_eq!(initials("Jean-Paul"), "J.-P.");
        assert_eq!(initials("S.X.E."), "S. X. E.");
        assert_eq!(initials("JF"), "J. F.");
        assert_eq!(initials("M. F."), "M. F.");
        assert_eq!(initials("Alice B."), "A. B.");
        assert_eq!(initials("Ma"), "M.");
        // A catalogue's trailing period: one initial, not one a letter.
        assert_eq!(initials("Jacques."), "J.");
        assert_eq!(initials("Ottavio."), "O.");
        assert_eq!(initials("Tim van der"), "T. van der");
        assert_eq!(initials("J.-P."), "J.-P.");
    }

    #[test]
    fn names_in_the_reference_list() {
        assert_eq!(
            inverted(&name("King, Jr., Martin Luther")),
            "King, M. L., Jr."
        );
        assert_eq!(inverted(&name("van der Berg, Pieter")), "van der Berg, P.");
        // A suffix written inside the given name, either way round.
        let mut suffixed = name("Harrington, Walton P., III");
        suffixed.given = Some("Walton P., III".into());
        suffixed.suffix = None;
        assert_eq!(inverted(&suffixed), "Harrington, W. P., III");
        suffixed.given = Some("Jr., G.".into());
        assert_eq!(inverted(&suffixed), "Harrington, G., Jr.");
        assert_eq!(inverted(&name("O'Connor, Flannery")), "O’Connor, F.");
        assert_eq!(cited(&name("D'Addario, J.")), "D’Addario");
        let cjk = Name {
            family: "常".into(),
            given: Some("远".into()),
            ..Name::default()
        };
        assert_eq!(inverted(&cjk), "常远.");
        let others = [name("Smith, John"), name("Jones, Bob"), name("others")];
        assert_eq!(author_list(&others), "Smith, J., Jones, B., et al.");
        assert_eq!(
            author_list(&[name("Smith, John"), name("others")]),
            "Smith, J. et al."
        );
        assert_eq!(
            in_text(&[name("Smith, John"), name("others")]),
            "Smith et al."
        );
        let mut mises = name("Stein, Karl");
        mises.dropping = Some("von".into());
        assert_eq!(inverted(&mises), "Stein, K. von");
        assert_eq!(
            inverted(&name("{University of California, Berkeley}")),
            "University of California, Berkeley"
        );
        assert_eq!(direct(&name("Okonkwo, Adaeze")), "A. Okonkwo");
        let two = [name("Ali, I."), name("Anwar, M. F.")];
        assert_eq!(author_list(&two), "Ali, I., & Anwar, M. F.");
        assert_eq!(direct_list(&two), "I. Ali & M. F. Anwar");
        assert_eq!(in_text(&two), "Ali & Anwar");
        assert_eq!(narrative(&two), "Ali and Anwar");
        let many: Vec<Name> = (0..22).map(|i| name(&format!("N{i}, A."))).collect();
        let list = author_list(&many);
        assert!(list.starts_with("N0, A., N1, A.,"), "{list}");
        assert!(list.ends_with("N18, A., … N21, A."), "{list}");
        assert_eq!(in_text(&many), "N0 et al.");
    }
}
