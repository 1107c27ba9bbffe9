//! Names of people and organisations, as front matter writes them and as gloss keeps their parts.

/// A person or an organisation.
///
/// Written in front matter as `"Family, Given"`, `"Family, Suffix, Given"` (`"King, Jr.,
/// Martin Luther"`) or `"particle Family, Given"` (`"van der Berg, Jan"`: lower-case words before
/// the family name are its particle, as in BibTeX); a name with no comma (an organisation, a
/// one-name person) is kept whole, and so is one in braces (`"{University of California,
/// Berkeley}"`). A YAML map (`{family, given, particle, dropping, suffix}` or `{name}`) says
/// the same explicitly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Name {
    /// The family name without its particle, or the whole name of an organisation.
    pub family: String,
    pub given: Option<String>,
    /// A particle always shown with the family name (`van der`, `de`): CSL's
    /// non-dropping particle, BibTeX's "von" part.
    pub particle: Option<String>,
    /// A particle shown after the given name when the family name leads (`von` in
    /// "Mises, L. von"): CSL's dropping particle.
    pub dropping: Option<String>,
    /// `Jr.`, `III`.
    pub suffix: Option<String>,
}

impl Name {
    /// A name written as a string (see [`Name`]); `None` for an empty or malformed one.
    pub fn parse(text: &str) -> Option<Name> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            return Some(Name::literal(inner.trim()));
        }
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let (family, suffix, given) = match parts.as_slice() {
            [whole] => return Some(Name::literal(whole)),
            [family, given] => (*family, None, *given),
            [family, suffix, given] => (*family, Some(*suffix), *given),
            _ => return None,
        };
        if family.is_empty() {
            return None;
        }
        let (particle, family) = split_particle(family);
        Some(Name {
            family: family.to_string(),
            given: Some(given.to_string()).filter(|g| !g.is_empty()),
            particle: particle.map(str::to_string),
            dropping: None,
            suffix: suffix.filter(|s| !s.is_empty()).map(str::to_string),
        })
    }

    /// An organisation, or a person known by one name.
    pub fn literal(name: &str) -> Name {
        Name {
            family: name.to_string(),
            ..Name::default()
        }
    }

    /// Whether it is written whole (no given name): an organisation or a one-name person.
    pub fn is_literal(&self) -> bool {
        self.given.is_none()
            && self.particle.is_none()
            && self.dropping.is_none()
            && self.suffix.is_none()
    }

    /// Whether it is "others", the rest of a list (BibTeX's `and others`, CSL's `{"literal":
    /// "others"}`), which styles print as "et al.". Written last in a list.
    pub fn is_others(&self) -> bool {
        self.is_literal() && self.family == "others"
    }

    /// The family name with its particle: `van der Berg`.
    pub fn full_family(&self) -> String {
        match &self.particle {
            Some(p) => format!("{p} {}", self.family),
            None => self.family.clone(),
        }
    }

    /// The name as front matter writes it, when a string can say it all (see [`Name`]).
    pub fn display(&self) -> String {
        let family = self.full_family();
        if self.is_literal() {
            return if family.contains(',') {
                format!("{{{family}}}")
            } else {
                family
            };
        }
        let given = match (&self.given, &self.dropping) {
            (Some(g), Some(d)) => format!("{g} {d}"),
            (Some(g), None) => g.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => String::new(),
        };
        match &self.suffix {
            Some(s) => format!("{family}, {s}, {given}"),
            None => format!("{family}, {given}"),
        }
    }
}

/// `van der Berg` → (`van der`, `Berg`): leading words that start in lower case, as BibTeX
/// reads a "von" part. A family name that is all lower case is not split.
fn split_particle(family: &str) -> (Option<&str>, &str) {
    let mut end = 0;
    for word in family.split(' ') {
        let lower = word.chars().next().is_some_and(char::is_lowercase);
        if !lower {
            break;
        }
        end += word.len() + 1;
    }
    if end == 0 || end >= family.len() {
        return (None, family);
    }
    (Some(family[..end - 1].trim()), family[end..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_particles_suffixes_and_organisations() {
        let n = Name::parse("van der Berg, Jan").unwrap();
        assert_eq!(
            (n.particle.as_deref(), n.family.as_str(), n.given.as_deref()),
            (Some("van der"), "Berg", Some("Jan"))
        );
        assert_eq!(n.display(), "van der Berg, Jan");
        let n = Name::parse("King, Jr., Martin Luther").unwrap();
        assert_eq!(
            (n.family.as_str(), n.suffix.as_deref(), n.given.as_deref()),
            ("King", Some("Jr."), Some("Martin Luther"))
        );
        assert_eq!(n.display(), "King, Jr., Martin Luther");
        let n = Name::parse("{University of California, Berkeley}").unwrap();
        assert!(n.is_literal());
        assert_eq!(n.family, "University of California, Berkeley");
        assert_eq!(n.display(), "{University of California, Berkeley}");
        assert_eq!(
            Name::parse("World Health Organization").unwrap().family,
            "World Health Organization"
        );
        // A family name in lower case throughout is not a particle.
        assert_eq!(Name::parse("bell hooks, x").unwrap().particle, None);
        assert_eq!(Name::parse("d'Alembert, Jean").unwrap().particle, None);
        assert!(Name::parse(", x").is_none());
        assert!(Name::parse("a, b, c, d").is_none());
    }
}
