//! One BibTeX or BibLaTeX entry (as the biblatex crate parsed it) mapped to gloss's fields: the
//! type table of the README, names, dates, and every field that has no place named as lost.

use std::collections::BTreeSet;

use biblatex::{Chunk, ChunksExt, Person};

use super::entry::{Entry, Origin, lost};
use super::{dates, languages};
use crate::bib::markup;
use crate::bib::model::{EntryType, Name, SourceMeta};
use crate::note::bare_doi;

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
    let mut r = Reader {
        e,
        used: BTreeSet::new(),
        lost: Vec::new(),
        commands: Vec::new(),
    };
    let has_eprint = r.has("eprint");
    let pubstate = r.plain("pubstate").map(|s| s.to_ascii_lowercase());
    let prepublished = pubstate.as_deref() == Some("prepublished");
    let has_url = r.has("url") || r.plain_peek("howpublished").is_some_and(|h| is_url(&h));
    let entry_type = match kind {
        "article" => match r.plain("entrysubtype").as_deref() {
            Some("magazine") => EntryType::Magazine,
            Some("newspaper") => EntryType::Newspaper,
            _ if prepublished => EntryType::Preprint,
            _ => EntryType::Article,
        },
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "booklet" | "reference" | "mvreference" => EntryType::Book,
        "inbook" | "incollection" | "inreference" | "suppbook" | "suppcollection"
        | "bookinbook" => EntryType::Chapter,
        "inproceedings" | "conference" => EntryType::Conference,
        "report" | "techreport" | "manual" | "standard" => EntryType::Report,
        "thesis" | "phdthesis" | "mastersthesis" => EntryType::Thesis,
        "online" | "electronic" | "www" | "webpage" if has_eprint || prepublished => {
            EntryType::Preprint
        }
        "online" | "electronic" | "www" | "webpage" => EntryType::Web,
        "misc" | "unpublished" if has_eprint || prepublished => EntryType::Preprint,
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
    };
    let mut meta = SourceMeta {
        entry_type,
        ..SourceMeta::default()
    };
    let mut remarks = Vec::new();
    if kind == "misc" && r.plain("entrysubtype").is_some_and(|s| s != "document") {
        r.used.remove("entrysubtype");
    }

    // Title; a BibTeX @inbook's `title` is the book's and its `chapter` the part.
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
    let Some(title) = title else {
        return Err("it has no title (gloss needs one)".into());
    };

    meta.authors = r.names("author");
    meta.translators = r.names("translator");
    meta.editors = r.editors();

    dates::bibtex(&mut r, own, &mut meta, pubstate.as_deref());

    let container_fields: &[&str] = match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            &["journaltitle", "journal"]
        }
        EntryType::Chapter | EntryType::Conference => &["booktitle"],
        EntryType::Book => &["maintitle"],
        EntryType::Web | EntryType::Preprint if kind != "misc" => {
            &["organization", "journal", "journaltitle"]
        }
        _ => &["journal", "journaltitle", "booktitle"],
    };
    meta.container = meta.container.take().or_else(|| r.first(container_fields));
    if meta.container.is_none()
        && let Some(how) = r.plain_peek("howpublished").filter(|h| !is_url(h))
    {
        r.used.insert("howpublished".into());
        meta.container = Some(markup::from_latex(&how, &mut r.commands));
    }
    let publisher_fields: &[&str] = match meta.entry_type {
        EntryType::Report | EntryType::Thesis => {
            &["institution", "school", "publisher", "organization"]
        }
        _ => &["publisher", "institution", "school", "organization"],
    };
    meta.publisher = r.first(publisher_fields);
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
    meta.pages = r.plain("pages").map(|p| markup::pages(&p));
    meta.series = r.text("series");
    meta.genre = r.plain("type").map(|t| genre(&t)).or(match kind {
        "phdthesis" => Some("PhD thesis".to_string()),
        "mastersthesis" => Some("Master's thesis".to_string()),
        _ => None,
    });
    meta.event = r.text("eventtitle");
    meta.version = r.plain("version");
    meta.doi = r.verbatim("doi").map(|d| bare_doi(&d));
    meta.url = r.verbatim("url");
    if let Some(how) = r.plain_peek("howpublished").filter(|h| is_url(h)) {
        r.used.insert("howpublished".into());
        let how = unescape_verbatim(&markup::from_latex(&how, &mut Vec::new()));
        match &meta.url {
            None => meta.url = Some(how),
            Some(url) if *url == how => {}
            Some(_) => r.lost.push(lost("howpublished", &how)),
        }
    }
    meta.isbn = r.plain("isbn");
    meta.issn = r.plain("issn");
    meta.language = languages::bibtex(&mut r);
    meta.abbreviation = r.plain("shortauthor");
    meta.archive = r.plain("eprinttype").or_else(|| r.plain("archiveprefix"));
    meta.archive = meta.archive.map(|a| archive_name(&a));
    meta.eprint = r.verbatim("eprint");

    super::entry::tidy(&mut meta);
    let abstract_text = r.text("abstract");
    let mut notes = Vec::new();
    for field in ["note", "addendum", "annotation", "annote"] {
        if let Some(note) = r.text(field) {
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

    for (name, value) in &e.fields {
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
        r.lost.push(format!("the formatting of {command}"));
    }
    Ok(Entry {
        key: e.key.clone(),
        at,
        title,
        meta,
        abstract_text,
        notes,
        lost: r.lost,
        remarks,
    })
}

/// Reads fields of one entry, remembering which were used.
pub(super) struct Reader<'a> {
    e: &'a biblatex::Entry,
    pub(super) used: BTreeSet<String>,
    pub(super) lost: Vec<String>,
    /// LaTeX commands whose meaning was lost (their text is kept).
    commands: Vec<String>,
}

impl Reader<'_> {
    pub(super) fn has(&self, field: &str) -> bool {
        self.e.get(field).is_some()
    }

    /// The field's text as written, braces and LaTeX decoded, without taking it.
    pub(super) fn plain_peek(&self, field: &str) -> Option<String> {
        let text = markup::collapse(&self.e.get(field)?.format_verbatim());
        (!text.is_empty()).then_some(text)
    }

    /// The field's decoded text, taken.
    pub(super) fn plain(&mut self, field: &str) -> Option<String> {
        self.used.insert(field.to_string());
        self.plain_peek(field)
    }

    /// The field as gloss stores text: LaTeX italics as Markdown, literal asterisks escaped.
    pub(super) fn text(&mut self, field: &str) -> Option<String> {
        self.used.insert(field.to_string());
        let mut raw = String::new();
        for chunk in self.e.get(field)? {
            match &chunk.v {
                // `$…$` as written: math is not gloss's to read.
                Chunk::Math(m) => raw.push_str(&format!("${m}$")),
                Chunk::Normal(t) | Chunk::Verbatim(t) => {
                    raw.push_str(&markup::from_latex_raw(t, &mut self.commands))
                }
            }
        }
        let text = markup::collapse(&raw);
        (!text.is_empty()).then_some(text)
    }

    /// A verbatim field (`url`, `doi`, `eprint`): LaTeX escapes some exports add removed.
    fn verbatim(&mut self, field: &str) -> Option<String> {
        self.plain(field).map(|v| unescape_verbatim(&v))
    }

    /// The first of `fields` that is present, as prose text; the others, when they say
    /// something else, are lost.
    fn first(&mut self, fields: &[&str]) -> Option<String> {
        self.first_of(fields, Reader::text)
    }

    /// The same for identifiers (numbers, codes), read as written.
    fn first_plain(&mut self, fields: &[&str]) -> Option<String> {
        self.first_of(fields, Reader::plain)
    }

    fn first_of(
        &mut self,
        fields: &[&str],
        read: fn(&mut Self, &str) -> Option<String>,
    ) -> Option<String> {
        let mut found: Option<String> = None;
        for field in fields {
            if self.used.contains(*field) {
                continue;
            }
            if let Some(value) = read(self, field) {
                match &found {
                    None => found = Some(value),
                    Some(f) if *f == value => {}
                    Some(_) => self.lost.push(lost(field, &value)),
                }
            }
        }
        found
    }

    /// `title` and its `subtitle`, joined as "Title: Subtitle".
    fn title(&mut self, title: &str, subtitle: &str) -> Option<String> {
        let main = self.text(title)?;
        Some(match self.text(subtitle) {
            Some(sub) => format!("{main}: {sub}"),
            None => main,
        })
    }

    /// A name list; `and others` is dropped and said to be.
    fn names(&mut self, field: &str) -> Vec<Name> {
        self.used.insert(field.to_string());
        let Some(chunks) = self.e.get(field) else {
            return Vec::new();
        };
        let persons: Vec<Person> = chunks.parse().unwrap_or_default();
        let mut names = Vec::new();
        for p in &persons {
            if p.name == "others" && p.given_name.is_empty() && p.prefix.is_empty() {
                self.lost.push(format!(
                    "\"and others\" in {field} (the list is cut after {} names)",
                    names.len()
                ));
                continue;
            }
            names.extend(name(p));
        }
        names
    }

    /// `editor`, when its role is an editor's; other roles (`editortype = {director}`) and
    /// `editora`–`editorc` are lost.
    fn editors(&mut self) -> Vec<Name> {
        let role = self.plain("editortype").map(|r| r.to_ascii_lowercase());
        let names = self.names("editor");
        let mut editors = Vec::new();
        match role.as_deref() {
            None | Some("editor") => editors = names,
            Some(other) => {
                let shown: Vec<String> = names.iter().map(Name::display).collect();
                self.lost
                    .push(lost(&format!("editor as {other}"), &shown.join(" and ")));
            }
        }
        for field in ["editora", "editorb", "editorc"] {
            let role = self.plain(&format!("{field}type"));
            let names = self.names(field);
            if !names.is_empty() {
                let shown: Vec<String> = names.iter().map(Name::display).collect();
                let name = match role {
                    Some(role) => format!("{field} as {role}"),
                    None => field.to_string(),
                };
                self.lost.push(lost(&name, &shown.join(" and ")));
            }
        }
        editors
    }
}

/// A biblatex person as a gloss name: no given name, particle or suffix is a literal name (an
/// organisation in braces, a one-name person).
fn name(p: &Person) -> Option<Name> {
    let clean = |s: &str| Some(markup::collapse(s)).filter(|s| !s.is_empty());
    let family = clean(&p.name);
    let given = clean(&p.given_name);
    let prefix = clean(&p.prefix);
    let suffix = clean(&p.suffix);
    let family = match (family, &given) {
        (Some(f), _) => f,
        (None, Some(g)) if prefix.is_none() => return Some(Name::literal(g)),
        _ => return None,
    };
    if given.is_none() && prefix.is_none() && suffix.is_none() {
        return Some(Name::literal(&family));
    }
    // `useprefix=false` in biblatex's extended name format: a particle shown after the given
    // name (CSL's dropping particle).
    let dropping = p.use_prefix == Some(false);
    Some(Name {
        family,
        given,
        particle: prefix.clone().filter(|_| !dropping),
        dropping: prefix.filter(|_| dropping),
        suffix,
    })
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
        _ => markup::from_latex(text, &mut Vec::new()),
    }
}

/// An e-print archive in its usual spelling (`arxiv` → `arXiv`).
pub(crate) fn archive_name(text: &str) -> String {
    match text.to_ascii_lowercase().as_str() {
        "arxiv" => "arXiv".into(),
        "biorxiv" => "bioRxiv".into(),
        "medrxiv" => "medRxiv".into(),
        "pubmed" => "PubMed".into(),
        "jstor" => "JSTOR".into(),
        "hdl" => "Handle".into(),
        "googlebooks" => "Google Books".into(),
        "ssrn" => "SSRN".into(),
        _ => text.to_string(),
    }
}

fn is_url(text: &str) -> bool {
    let t = text.trim_start_matches("\\url{").trim();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

/// `\_`, `\%`, `\&`, `\#` as some exports write them in URLs and DOIs.
fn unescape_verbatim(text: &str) -> String {
    text.replace("\\_", "_")
        .replace("\\%", "%")
        .replace("\\&", "&")
        .replace("\\#", "#")
        .replace("\\~", "~")
}
