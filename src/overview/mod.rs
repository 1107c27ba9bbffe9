//! The review seen whole, computed from the resolved [`Site`]: the synthesis [`matrix`], the
//! [`timeline`], the citation graph laid out at build time ([`graph`] for the whole site,
//! [`local`] for one note's neighbours), the themes' [`sparkline`]s and the home page's figures
//! ([`glance`]). Pure: plain serializable data for the templates, every coordinate computed
//! here (the theme's templates draw the SVG).

pub(crate) mod glance;
pub(crate) mod graph;
mod layout;
pub(crate) mod local;
pub(crate) mod matrix;
pub(crate) mod sections;
mod shapes;
pub(crate) mod sparkline;
pub(crate) mod timeline;

use std::collections::BTreeMap;

use crate::graph::Site;
use crate::note::{NoteKind, Year};

/// The noun that agrees with `n`: `one` for exactly one, else `many` (zero too). The pages'
/// counts; `gloss::text::count` says the same in messages.
pub(crate) fn agree<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Every theme, in home-page order (weight, then title).
pub(crate) fn themes_in_order(site: &Site) -> Vec<usize> {
    let mut themes: Vec<usize> = (0..site.notes.len())
        .filter(|&i| site.notes[i].kind == NoteKind::Theme)
        .collect();
    themes.sort_by(|&a, &b| {
        let (x, y) = (&site.notes[a], &site.notes[b]);
        x.weight.cmp(&y.weight).then_with(|| x.title.cmp(&y.title))
    });
    themes
}

/// A note kind as templates and classes name it.
pub(crate) fn kind_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Source => "source",
        NoteKind::Theme => "theme",
        NoteKind::Page => "page",
    }
}

/// What a figure calls note `i`: a source's short form (`Jabeen (2009)`), else its title.
pub(crate) fn label(site: &Site, i: usize) -> String {
    let note = &site.notes[i];
    match note.kind {
        NoteKind::Source => site.short_form(&note.key),
        _ => None,
    }
    .unwrap_or_else(|| note.title.clone())
}

/// What a figure calls note `i` in at most `max` characters: a source's author is shortened
/// before its year is.
pub(crate) fn short_label(site: &Site, i: usize, max: usize) -> String {
    let note = &site.notes[i];
    match site
        .references
        .get(&note.key)
        .filter(|_| note.kind == NoteKind::Source)
    {
        Some(reference) => {
            let (names, rest) = reference.label_parts();
            let room = max.saturating_sub(rest.chars().count()).max(4);
            format!("{}{rest}", shorten(&names, room))
        }
        None => shorten(&note.title, max),
    }
}

/// A label cut to at most `max` characters, with an ellipsis when it was longer: at the end of
/// a word when one ends past the first third of the room (`Drone strikes and…`), else within
/// the word (a single long word). Whoever shows it keeps the whole text for the tooltip.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let room: String = text.chars().take(max.saturating_sub(1)).collect();
    // A word ends where a space follows it, within the room or just after it.
    let next = text.chars().nth(room.chars().count());
    let cut = if next.is_some_and(char::is_whitespace) {
        room.len()
    } else {
        room.rfind(char::is_whitespace).unwrap_or(0)
    };
    let at_word = room[..cut].trim_end();
    let kept = if at_word.chars().count() * 3 >= room.chars().count() {
        at_word
    } else {
        room.trim_end()
    };
    let kept = kept.trim_end_matches([',', ';', ':', '(', '–', '-']);
    format!("{}…", kept.trim_end())
}

/// The notes each note links to with wikilinks or Markdown links (embeds included), distinct,
/// not itself, in note order: the links the graph draws beside the citations.
pub(crate) fn link_targets(site: &Site) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); site.notes.len()];
    for (target, list) in site.linked_from.iter().enumerate() {
        for b in list.iter().filter(|b| b.from != target) {
            out[b.from].push(target);
        }
    }
    for targets in &mut out {
        targets.sort_unstable();
        targets.dedup();
    }
    out
}

/// How many other notes link to note `i`.
pub(crate) fn linking_notes(site: &Site, i: usize) -> usize {
    let mut from: Vec<usize> = site.linked_from[i]
        .iter()
        .map(|b| b.from)
        .filter(|&f| f != i)
        .collect();
    from.sort_unstable();
    from.dedup();
    from.len()
}

/// The publication year of source `i` (n.d. for a note that is no source).
pub(crate) fn year_of(site: &Site, i: usize) -> Year {
    site.notes[i]
        .source
        .as_ref()
        .map(|m| m.year)
        .unwrap_or_default()
}

/// The type of source `i` as the filters name it (`other` for a note that is no source).
pub(crate) fn type_of(site: &Site, i: usize) -> &'static str {
    site.notes[i]
        .source
        .as_ref()
        .map_or("other", |m| m.entry_type.as_str())
}

/// The year of source `i`, when it has a known one.
pub(crate) fn known_year(site: &Site, i: usize) -> Option<i32> {
    match year_of(site, i) {
        Year::Known(y) => Some(y),
        _ => None,
    }
}

/// The first and last known publication years of the site's sources.
pub(crate) fn year_range(site: &Site) -> Option<(i32, i32)> {
    let years = (0..site.notes.len()).filter_map(|i| known_year(site, i));
    years.fold(None, |range, y| match range {
        None => Some((y, y)),
        Some((lo, hi)) => Some((lo.min(y), hi.max(y))),
    })
}

/// A coordinate rounded to a tenth of a unit: SVG stays short, and the same layout always
/// prints the same digits.
pub(crate) fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// A year's decade as the filters name it: `1990s`, `n.d.`, `in press`.
pub(crate) fn decade(year: Year) -> String {
    match year {
        Year::Known(y) => format!("{}s", y / 10 * 10),
        Year::Unknown => "n.d.".to_string(),
        Year::InPress => "in press".to_string(),
    }
}

/// How many sources carry tag `slug`: the one count of a theme's sources every page shows.
pub(crate) fn tagged_sources(site: &Site, slug: &str) -> usize {
    site.tags.get(slug).map_or(0, |notes| {
        notes
            .iter()
            .filter(|&&n| site.notes[n].kind == NoteKind::Source)
            .count()
    })
}

/// How many citation items of note `i`'s text name each source (`[@a; @a, p. 4]` and `@a` are
/// three), by the source's note index. (`Site::cited_by` keeps one backlink per passage.)
pub(crate) fn citation_counts(site: &Site, i: usize) -> BTreeMap<usize, u32> {
    let mut counts = BTreeMap::new();
    for cite in &site.scans[i].citations {
        for item in &cite.citation.items {
            if let Some(&t) = site.by_key.get(&item.key)
                && site.notes[t].kind == NoteKind::Source
                && t != i
            {
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn labels_are_shortened_at_a_word() {
        // Cut at the last word that fits, its trailing punctuation dropped.
        assert_eq!(
            shorten("Drone strikes and sovereignty", 20),
            "Drone strikes and…"
        );
        assert_eq!(shorten("Baboota and Kaur (2019)", 20), "Baboota and Kaur…");
        assert_eq!(shorten("Aid, sanctions and do more", 10), "Aid…");
        // A word that ends just at the room is kept whole.
        assert_eq!(shorten("Trust deficit explained", 14), "Trust deficit…");
        // One long word, or a first word shorter than a third of the room, is cut within.
        assert_eq!(shorten("Counterinsurgency", 10), "Counterin…");
        assert_eq!(shorten("A Counterinsurgency", 10), "A Counter…");
        // Short enough: as it is; never longer than `max`.
        assert_eq!(shorten("Short", 10), "Short");
        for max in 2..30 {
            let s = shorten("The 2011 rupture: Abbottabad and Salala", max);
            assert!(s.chars().count() <= max, "{s} at {max}");
        }
    }
}
