//! `crossref` and `xdata` inherited as biber does: an `@incollection` takes the editors,
//! publisher and date of the book it is in, the book's title becoming its `booktitle`.

use std::collections::{BTreeMap, BTreeSet};

/// An entry's `crossref` and `xdata` parents and the fields it has itself.
#[derive(Debug, Default, Clone)]
pub(super) struct Links {
    pub(super) crossref: Option<String>,
    pub(super) xdata: Vec<String>,
    pub(super) own: BTreeSet<String>,
}

/// Every entry of the file by key: the entry, its links, its line and its type.
pub(super) type Parsed = BTreeMap<String, (biblatex::Entry, Links, usize, String)>;

/// Fields a child never takes from a `crossref` parent (biber's defaults).
const NOT_INHERITED: &[&str] = &[
    "ids",
    "crossref",
    "xref",
    "entryset",
    "entrysubtype",
    "execute",
    "label",
    "options",
    "presort",
    "related",
    "relatedoptions",
    "relatedstring",
    "relatedtype",
    "shorthand",
    "shorthandintro",
    "sortkey",
    "title",
    "subtitle",
    "titleaddon",
    "shorttitle",
    "sorttitle",
    "indextitle",
    "indexsorttitle",
    "pagetotal",
    "abstract",
    "note",
    "addendum",
    "annotation",
    "annote",
    "keywords",
    "file",
];

/// Copies into `child` the fields it lacks from its `xdata` entries (every field) and its
/// `crossref` parent (biber's rules: the parent's title becomes the child's `booktitle`, or
/// `maintitle` for a multi-volume work, or `journaltitle` for a periodical; titles, notes and
/// identifiers are not inherited). A date is inherited only when the child has none.
pub(super) fn inherit(
    child: &mut biblatex::Entry,
    own: &mut BTreeSet<String>,
    kind: &str,
    links: &Links,
    all: &Parsed,
    missing: &mut Vec<String>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let has_date = |own: &BTreeSet<String>| own.contains("date") || own.contains("year");
    let take = |own: &mut BTreeSet<String>, child: &mut biblatex::Entry, name: &str, value| {
        if !own.contains(name) && !child.fields.contains_key(name) {
            child.set(name, value);
            own.insert(name.to_string());
        }
    };
    for key in &links.xdata {
        let Some((parent, parent_links, _, _)) = all.get(key) else {
            missing.push(key.clone());
            continue;
        };
        let mut parent = parent.clone();
        let mut parent_own = parent_links.own.clone();
        inherit(
            &mut parent,
            &mut parent_own,
            "xdata",
            parent_links,
            all,
            missing,
            depth + 1,
        );
        let dated = has_date(own);
        for (name, value) in parent.fields {
            let is_date = matches!(name.as_str(), "date" | "year" | "month" | "day");
            if !(is_date && dated) {
                take(own, child, &name, value);
            }
        }
    }
    let Some(key) = &links.crossref else {
        return;
    };
    let Some((parent, parent_links, _, parent_kind)) = all.get(key) else {
        missing.push(key.clone());
        return;
    };
    let mut parent = parent.clone();
    let mut parent_own = parent_links.own.clone();
    inherit(
        &mut parent,
        &mut parent_own,
        parent_kind,
        parent_links,
        all,
        missing,
        depth + 1,
    );
    let dated = has_date(own);
    let title_as = match parent_kind.as_str() {
        k if k.starts_with("mv") => Some("maintitle"),
        "periodical" => Some("journaltitle"),
        _ if kind.starts_with("in") || kind == "bookinbook" || kind == "suppbook" => {
            Some("booktitle")
        }
        _ => None,
    };
    for (name, value) in parent.fields {
        let is_date = matches!(name.as_str(), "date" | "year" | "month" | "day");
        if is_date && dated {
            continue;
        }
        match (name.as_str(), title_as) {
            ("title", Some(target)) => take(own, child, target, value),
            ("subtitle", Some(target)) => {
                let sub = target.replace("title", "subtitle");
                take(own, child, &sub, value)
            }
            ("author", Some("booktitle")) if kind == "inbook" || kind == "bookinbook" => {
                take(own, child, "bookauthor", value)
            }
            (n, _) if NOT_INHERITED.contains(&n) => {}
            (n, _) => take(own, child, n, value),
        }
    }
}
