//! Lints over the resolved site: problems that do not stop a build but that a careful author
//! wants to hear about (tags naming no theme, sources nothing refers to, malformed DOIs, two
//! works that read alike in the text).

use std::collections::HashMap;

use crate::error::Diagnostic;
use crate::extras;
use crate::graph::Site;
use crate::note::NoteKind;
use crate::render::generated_pages;
use crate::suggest::Names;

/// A note whose page would replace a page or file gloss generates (`content/bibliography.md`,
/// `content/tags/x.md` beside a tag `x`, `content/sources/_index.md`): an error naming both.
fn reserved_paths(site: &Site) -> Vec<Diagnostic> {
    let mut generated: HashMap<String, &str> = generated_pages(site).into_iter().collect();
    for name in extras::NAMES {
        generated.insert(name.to_string(), "a file gloss writes");
    }
    site.notes
        .iter()
        .filter_map(|note| {
            let path = format!("{}index.html", note.url_path());
            let what = generated.get(&path)?;
            Some(Diagnostic::error(
                &note.path,
                0,
                0,
                format!(
                    "this note's page would be {}{path}, which is {what} gloss generates: rename or move the note",
                    site.config.base_path
                ),
            ))
        })
        .collect()
}

/// Every lint's warnings, in no particular order (the caller sorts). Tags that name no theme and
/// look like no theme's slug are summed up in one line unless `verbose`: a vault has hundreds,
/// each with its tag page, and a line apiece would bury the warnings that matter.
pub(crate) fn lint(site: &Site, verbose: bool) -> Vec<Diagnostic> {
    let mut diags = reserved_paths(site);
    let theme_slugs: Vec<&str> = site
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Theme)
        .map(|n| n.key.as_str())
        .collect();
    let themes = Names::new(theme_slugs.iter().copied());
    let mut plain_tags: Vec<(&str, &str, usize)> = Vec::new();
    for (i, note) in site.notes.iter().enumerate() {
        for tag in &note.tags {
            if theme_slugs.contains(&tag.slug.as_str()) {
                continue;
            }
            match themes.closest(&tag.slug) {
                Some(s) => diags.push(Diagnostic::warning(
                    &note.path,
                    tag.line,
                    1,
                    format!(
                        "tag `{}` names no theme (probably a typo for `{s}`)",
                        tag.slug
                    ),
                )),
                None => plain_tags.push((&tag.slug, &note.path, tag.line)),
            }
        }
        if note.source.is_none() {
            continue;
        }
        diags.extend(bibtex_key(&note.path, &note.key));
        // A tagged source is part of the review through its themes even if no note cites it;
        // a bibliography file's entries need no citing (a library holds more than a review cites).
        let referenced = site.cited_by[i]
            .iter()
            .chain(&site.linked_from[i])
            .any(|b| b.from != i);
        if !referenced && note.tags.is_empty() && !note.is_library_entry() {
            diags.push(
                Diagnostic::warning(
                    &note.path,
                    1,
                    1,
                    format!("no note cites or links to source `{}`", note.key),
                )
                .in_family("sources are cited or linked by no note"),
            );
        }
    }
    diags.extend(plain_tag_warnings(plain_tags, verbose));
    diags.extend(alike_citations(site));
    diags
}

/// A source key BibTeX cannot read as one (it would end the entry): a warning saying how
/// `references.bib` writes it instead.
fn bibtex_key(path: &str, key: &str) -> Option<Diagnostic> {
    let safe = crate::bib::export::bibtex_key(key);
    (safe != key).then(|| {
        Diagnostic::warning(
            path,
            1,
            1,
            format!(
                "the key `{}` cannot be a BibTeX key (a key holds no spaces, commas, braces, quotes or `@#%'()=\\~`): references.bib writes it as `{safe}`; rename the note (or its `citekey:`) to cite it by the same key in LaTeX",
                key.escape_debug()
            ),
        )
    })
}

/// Tags that name no theme and look like none: a warning each if there are few or `verbose`,
/// else one line for them all, at the first.
fn plain_tag_warnings(plain_tags: Vec<(&str, &str, usize)>, verbose: bool) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if verbose || plain_tags.len() <= 3 {
        for (slug, path, line) in plain_tags {
            diags.push(Diagnostic::warning(
                path,
                line,
                1,
                format!("tag `{slug}` names no theme"),
            ));
        }
    } else {
        let mut distinct: Vec<&str> = plain_tags.iter().map(|t| t.0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let (_, path, line) = plain_tags[0];
        diags.push(Diagnostic::warning(
            path,
            line,
            1,
            format!(
                "{} tags name no theme (`{}`, …); each has a tag page (--verbose lists them)",
                distinct.len(),
                distinct
                    .iter()
                    .take(3)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("`, `")
            ),
        ));
    }
    diags
}

/// Two works whose in-text citations read alike (`Smith, 2020` twice): readers cannot tell
/// them apart.
fn alike_citations(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for key in &site.bibliography_order {
        let cited = site.references[key].cited();
        if let Some(other) = seen.insert(cited.clone(), key) {
            let note = &site.notes[site.by_key[key.as_str()]];
            diags.push(Diagnostic::warning(
                &note.path,
                1,
                1,
                format!(
                    "in-text citation {cited} is the same for `{other}` and `{key}`: readers cannot tell them apart"
                ),
            ));
        }
    }
    diags
}
