//! One BibTeX or BibLaTeX entry (as the biblatex crate parsed it) mapped to gloss's fields: the
//! type table of the README, the title, names, dates, and every field that has no place named
//! as lost.

use std::collections::BTreeSet;

use biblatex::ChunksExt;

use super::dates;
use super::latex;
use super::reader::{Reader, unescape_verbatim};
use crate::bib::model::{EntryType, SourceMeta, bare_doi};
use crate::bib::read::entry::{Entry, Origin, archive_name, first_identifier, lost, tidy};
use crate::bib::read::languages::tag_of;
use crate::bib::read::names::tidy_all;
use crate::cite::page_range;

/// Fields read without a trace: links already resolved.
const SILENT: &[&str] = &["crossref", "xdata"];

/// The entry, or why it cannot be a source. `own` lists the fields the entry has itself (not
/// inherited), which decides where its date comes from.
pub(super) fn entry(
    e: &biblatex::Entry,
    kind: &str,
    own: &BTreeSet<String>,
    at: Origin,
) -> Result<Entry, String> {
    let mut r = Reader::new(e);
    let pubstate = r.plain("pubstate").map(|s| s.to_ascii_lowercase());
    let mut meta = SourceMeta {
        entry_type: entry_type(&mut r, kind, pubstate.as_deref() == Some("prepublished")),
        ..SourceMeta::default()
    };
    if kind == "misc" && r.plain("entrysubtype").is_some_and(|s| s != "document") {
        r.used.remove("entrysubtype");
    }
    let mut remarks = Vec::new();
    let Some(title) = title(&mut r, kind, &mut meta, &mut remarks) else {
        return Err("it has no title (gloss needs one)".into());
    };
    meta.authors = r.names("author");
    meta.translators = r.names("translator");
    meta.editors = r.editors();
    remarks.extend(tidy_all(&mut meta));
    dates::read(&mut r, own, &mut meta, pubstate.as_deref());
    publication(&mut r, kind, &mut meta);
    identifiers(&mut r, &mut meta);
    tidy(&mut meta);
    let abstract_text = r.body_text("abstract");
    let notes = notes(&mut r, &meta);
    let lost = leftovers(r);
    Ok(Entry {
        key: e.key.clone(),
        at,
        title,
        meta,
        abstract_text,
        notes,
        lost,
        remarks,
    })
}

/// gloss's type for a BibTeX type (the README's table); an unknown type is `other`, said so.
fn entry_type(r: &mut Reader<'_>, kind: &str, prepublished: bool) -> EntryType {
    let has_eprint = r.has("eprint");
    // Zotero's blog posts, and gloss's own export of them.
    let blog = r
        .plain_peek("entrysubtype")
        .is_some_and(|s| s.eq_ignore_ascii_case("blog"));
    if blog {
        r.used.insert("entrysubtype".into());
    }
    let has_url = r.has("url") || r.plain_peek("howpublished").is_some_and(|h| is_url(&h));
    match kind {
        "article" => match r.plain("entrysubtype").as_deref() {
            Some("magazine") => EntryType::Magazine,
            Some("newspaper") => EntryType::Newspaper,
            _ if prepublished => EntryType::Preprint,
            _ => EntryType::Article,
        },
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "booklet" | "reference" | "mvreference" => EntryType::Book,
        "inbook" | "incollection" | "suppbook" | "suppcollection" | "bookinbook" => {
            EntryType::Chapter
        }
        "inreference" => EntryType::Entry,
        "jurisdiction" => EntryType::Case,
        "legislation" | "legal" => EntryType::Legislation,
        "inproceedings" | "conference" => EntryType::Conference,
        "report" | "techreport" | "manual" | "standard" => EntryType::Report,
        "thesis" | "phdthesis" | "mastersthesis" => EntryType::Thesis,
        "online" | "electronic" | "www" | "webpage" if has_eprint || prepublished => {
            EntryType::Preprint
        }
        "online" | "electronic" | "www" | "webpage" if blog => EntryType::Post,
        "online" | "electronic" | "www" | "webpage" => EntryType::Web,
        "misc" | "unpublished" if prepublished => EntryType::Preprint,
        // Better BibTeX's arXiv @misc (eprint, archiveprefix): an untyped document with its
        // e-print number, as pandoc reads it (`Title (arXiv:2401.06105). arXiv.`).
        "misc" | "unpublished" if has_eprint => EntryType::Other,
        // Zotero writes a web page as @misc with its URL; gloss's export writes other works
        // that have one with `entrysubtype = {document}`, Zotero's name for them.
        "misc" if has_url && !r.has("publisher") && !r.has("entrysubtype") => EntryType::Web,
        "misc" | "unpublished" => EntryType::Other,
        "dataset" => EntryType::Dataset,
        "software" => EntryType::Software,
        "review" => EntryType::Article,
        other => {
            r.lost.push(format!("type @{other} (imported as other)"));
            EntryType::Other
        }
    }
}

/// The title and subtitle; a BibTeX @inbook's `title` is the book's and its `chapter` the part.
fn title(
    r: &mut Reader<'_>,
    kind: &str,
    meta: &mut SourceMeta,
    remarks: &mut Vec<String>,
) -> Option<String> {
    let mut title = r.title("title", "subtitle");
    if kind == "inbook" && !r.has("booktitle") {
        meta.container = title.take();
        match r.text("chapter") {
            Some(ch) if ch.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                remarks.push(format!(
                    "@inbook without a chapter title: title set to `Chapter {ch}`"
                ));
                title = Some(format!("Chapter {ch}"));
            }
            Some(ch) => title = Some(ch),
            None => {
                meta.entry_type = EntryType::Book;
                title = meta.container.take();
                remarks.push("@inbook names no chapter: imported as the whole book".into());
            }
        }
    }
    title
}

/// Where the work appeared: container, publisher, edition, volume, numbers, pages, series,
/// genre, event, version.
fn publication(r: &mut Reader<'_>, kind: &str, meta: &mut SourceMeta) {
    let container_fields: &[&str] = match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            &["journaltitle", "journal"]
        }
        EntryType::Chapter | EntryType::Conference | EntryType::Entry => &["booktitle"],
        EntryType::Case | EntryType::Legislation => &["journaltitle", "journal"],
        EntryType::Book => &["maintitle"],
        EntryType::Web | EntryType::Post | EntryType::Preprint if kind != "misc" => {
            &["organization", "journal", "journaltitle"]
        }
        _ => &["journal", "journaltitle", "booktitle"],
    };
    meta.container = meta.container.take().or_else(|| r.first(container_fields));
    if meta.container.is_none()
        && let Some(how) = r.plain_peek("howpublished").filter(|h| !is_url(h))
    {
        r.used.insert("howpublished".into());
        meta.container = Some(latex::from_latex(&how, &mut r.commands));
    }
    let publisher_fields: &[&str] = match meta.entry_type {
        EntryType::Report | EntryType::Thesis => {
            &["institution", "school", "publisher", "organization"]
        }
        // A court's or a legislature's `institution` is the case's or the law's authority.
        EntryType::Case | EntryType::Legislation => &["publisher", "organization"],
        _ => &["publisher", "institution", "school", "organization"],
    };
    meta.publisher = r.first(publisher_fields);
    meta.authority = r.first(&["institution", "authority", "court"]);
    meta.publisher_place = r.first(&["location", "address"]);
    meta.edition = r.text("edition");
    meta.volume = r.plain("volume");
    if meta.entry_type.is_periodical() {
        meta.issue = r.first_plain(&["number", "issue"]);
        meta.number = r.first_plain(&["eid", "articleno"]);
    } else {
        meta.number = r.first_plain(&["number", "eid"]);
        meta.issue = r.plain("issue");
    }
    meta.pages = r.plain("pages").map(|p| page_range(&p));
    meta.series = r.text("series");
    meta.container_short = r.first(&["shortjournal", "journalabbreviation"]);
    meta.short_title = r.text("shorttitle");
    meta.volumes = r.plain("volumes");
    meta.page_count = r.plain("pagetotal");
    meta.section = r.plain("section");
    meta.jurisdiction = r.plain("jurisdiction");
    meta.genre = r.plain("type").map(|t| genre(&t)).or(match kind {
        "phdthesis" => Some("PhD thesis".to_string()),
        "mastersthesis" => Some("Master's thesis".to_string()),
        _ => None,
    });
    meta.event = r.text("eventtitle");
    meta.version = r.plain("version");
}

/// Where the work is found and what it is called elsewhere: DOI, URL (or a `howpublished` that
/// is one), ISBN, ISSN, language, short author, e-print.
fn identifiers(r: &mut Reader<'_>, meta: &mut SourceMeta) {
    let doi = r.verbatim("doi");
    meta.doi = first_identifier("doi", doi, &mut r.lost).map(|d| bare_doi(&d));
    let url = r.verbatim("url");
    meta.url = first_identifier("url", url, &mut r.lost);
    if let Some(how) = r.plain_peek("howpublished").filter(|h| is_url(h)) {
        r.used.insert("howpublished".into());
        let how = unescape_verbatim(&latex::from_latex(&how, &mut Vec::new()));
        match &meta.url {
            None => meta.url = Some(how),
            Some(url) if *url == how => {}
            Some(_) => r.lost.push(lost("howpublished", &how)),
        }
    }
    meta.isbn = r.plain("isbn");
    meta.issn = r.plain("issn");
    meta.language = language(r);
    meta.abbreviation = r.plain("shortauthor");
    meta.archive = r.plain("eprinttype").or_else(|| r.plain("archiveprefix"));
    meta.archive = meta.archive.take().map(|a| archive_name(&a));
    meta.eprint = r.verbatim("eprint");
    meta.catalog = r.text("library");
}

/// The language: `language` as written, else `langid` as a BCP 47 tag (a name babel does not
/// know as written).
fn language(r: &mut Reader<'_>) -> Option<String> {
    let language = r.plain("language");
    let langid = r
        .plain("langid")
        .map(|s| tag_of(&s).map_or(s, str::to_string));
    match (language, langid) {
        (Some(l), Some(id)) if l != id && tag_of(&l) != Some(id.as_str()) => {
            r.lost.push(lost("langid", &id));
            Some(l)
        }
        (l, id) => l.or(id),
    }
}

/// The free-text notes a new note's body starts with.
fn notes(r: &mut Reader<'_>, meta: &SourceMeta) -> Vec<String> {
    let mut notes = Vec::new();
    for field in ["note", "addendum", "annotation", "annote"] {
        if let Some(note) = r.body_text(field) {
            // Zotero's `note = {arXiv:2103.01234 [cs]}` beside the e-print says it again.
            let repeats_eprint = meta.eprint.as_deref().is_some_and(|id| {
                note.to_ascii_lowercase()
                    .starts_with(&format!("arxiv:{id}"))
            });
            if !repeats_eprint {
                notes.push(note);
            }
        }
    }
    notes
}

/// Everything not kept: the fields not read, then the LaTeX commands whose meaning was lost.
fn leftovers(mut r: Reader<'_>) -> Vec<String> {
    for (name, value) in &r.e.fields {
        if r.used.contains(name) || SILENT.contains(&name.as_str()) {
            continue;
        }
        let shown = match name.as_str() {
            "file" => {
                let n = value.format_verbatim().split(';').count();
                if n > 1 {
                    format!("file ({n} attachments)")
                } else {
                    "file".to_string()
                }
            }
            _ => lost(name, &value.format_verbatim()),
        };
        r.lost.push(shown);
    }
    for command in &r.commands {
        r.lost
            .push(format!("the LaTeX command {command} (its text is kept)"));
    }
    r.lost
}

/// A thesis or report type: biblatex's localisation keys spelt out, anything else as written.
fn genre(text: &str) -> String {
    match text.to_ascii_lowercase().as_str() {
        "phdthesis" => "PhD thesis".into(),
        "mathesis" | "mastersthesis" => "Master's thesis".into(),
        "candthesis" => "Candidate thesis".into(),
        "bathesis" => "Bachelor's thesis".into(),
        "techreport" => "Technical report".into(),
        "resreport" => "Research report".into(),
        _ => latex::from_latex(text, &mut Vec::new()),
    }
}

fn is_url(text: &str) -> bool {
    let t = text.trim_start_matches("\\url{").trim();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}
