//! A source as a BibTeX/BibLaTeX entry that biber reads as meant and BibTeX styles can use:
//! capitals in titles protected by braces, names written so that BibTeX splits them into the
//! same parts, LaTeX's special characters escaped (a literal `~` is `\textasciitilde{}`, not
//! `\~`, an accent), Markdown italics as `\emph{}`.

use crate::bib::markup;
use crate::bib::model::{EntryType, Name, SourceMeta, Year};
use crate::bib::read::{archive_name, languages};
use crate::bib::reference::SourceInput;
use crate::cite::page_range;

/// The fields of an entry, in order, each with its value as BibTeX writes it.
type Fields = Vec<(&'static str, String)>;

/// The entry, as `@type{key,\n  field = {value},\n…}`, under `key` (the source's key as
/// [`key_of`] makes it one BibTeX reads).
pub(super) fn entry(source: &SourceInput<'_>, key: &str) -> String {
    let meta = source.meta;
    let mut fields: Fields = Vec::new();
    for (name, list) in [
        ("author", &meta.authors),
        ("editor", &meta.editors),
        ("translator", &meta.translators),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list.iter().map(name_of).collect();
            fields.push((name, names.join(" and ")));
        }
    }
    fields.push(("title", latex(source.title, true)));
    text(&mut fields, "shorttitle", &meta.short_title);
    container(meta, &mut fields);
    dates(meta, &mut fields);
    publication(meta, &mut fields);
    identifiers(meta, &mut fields);
    let mut out = format!("@{}{{{key},\n", kind(meta));
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push('}');
    out
}

/// The BibTeX type of a source (gloss's types mapped back as the importer reads them).
fn kind(meta: &SourceMeta) -> &'static str {
    match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => "article",
        EntryType::Book => "book",
        EntryType::Chapter => "incollection",
        EntryType::Conference => "inproceedings",
        EntryType::Report => "techreport",
        EntryType::Thesis => match meta.genre.as_deref().map(str::to_lowercase) {
            Some(g) if g.contains("phd") || g.contains("doctor") => "phdthesis",
            Some(g) if g.contains("master") => "mastersthesis",
            _ => "thesis",
        },
        EntryType::Web | EntryType::Post | EntryType::Preprint => "online",
        EntryType::Entry => "inreference",
        EntryType::Case => "jurisdiction",
        EntryType::Legislation => "legislation",
        EntryType::Dataset => "dataset",
        EntryType::Software => "software",
        EntryType::Other => "misc",
    }
}

/// A text field, when it has a value.
fn text(fields: &mut Fields, name: &'static str, value: &Option<String>) {
    if let Some(v) = value {
        fields.push((name, latex(v, false)));
    }
}

/// The container under the field its type has (`journal`, `booktitle`, …), and the subtype
/// that tells a magazine, a newspaper or a document apart.
fn container(meta: &SourceMeta, fields: &mut Fields) {
    let t = meta.entry_type;
    let container = match t {
        EntryType::Article
        | EntryType::Magazine
        | EntryType::Newspaper
        | EntryType::Case
        | EntryType::Legislation => "journal",
        EntryType::Chapter | EntryType::Conference | EntryType::Entry => "booktitle",
        EntryType::Book => "maintitle",
        EntryType::Web | EntryType::Post | EntryType::Preprint => "organization",
        _ => "howpublished",
    };
    if let Some(c) = &meta.container {
        fields.push((
            container,
            latex(c, container != "journal" && container != "organization"),
        ));
    }
    text(fields, "shortjournal", &meta.container_short);
    match t {
        EntryType::Magazine => fields.push(("entrysubtype", "magazine".into())),
        EntryType::Newspaper => fields.push(("entrysubtype", "newspaper".into())),
        EntryType::Post => fields.push(("entrysubtype", "blog".into())),
        // An @misc with a URL and no publisher is how Zotero writes a web page: say it is not.
        EntryType::Other if meta.url.is_some() && meta.publisher.is_none() => {
            fields.push(("entrysubtype", "document".into()))
        }
        _ => {}
    }
}

/// `date` (or `year`, or `pubstate`), `origdate`, `urldate`.
fn dates(meta: &SourceMeta, fields: &mut Fields) {
    match (meta.year, meta.issued) {
        (_, Some(d)) => fields.push(("date", d.to_string())),
        (Year::Known(y), None) => fields.push(("year", y.to_string())),
        (Year::InPress, None) => fields.push(("pubstate", "inpress".into())),
        (Year::Unknown, None) => {}
    }
    if meta.entry_type == EntryType::Preprint && meta.year != Year::InPress {
        fields.push(("pubstate", "prepublished".into()));
    }
    if let Some(y) = meta.original_year {
        fields.push(("origdate", format!("{y:04}")));
    }
    if let Some(d) = meta.accessed {
        fields.push(("urldate", d.to_string()));
    }
}

/// Edition, volume, numbers, pages, series, type, event, publisher (or institution, school)
/// and place.
fn publication(meta: &SourceMeta, fields: &mut Fields) {
    text(fields, "edition", &meta.edition);
    text(fields, "volume", &meta.volume);
    if meta.entry_type.is_periodical() {
        text(fields, "number", &meta.issue);
        text(fields, "eid", &meta.number);
    } else {
        text(fields, "number", &meta.number);
        text(fields, "issue", &meta.issue);
    }
    if let Some(p) = &meta.pages {
        fields.push(("pages", latex(&page_range(p), false)));
    }
    text(fields, "volumes", &meta.volumes);
    text(fields, "pagetotal", &meta.page_count);
    text(fields, "series", &meta.series);
    text(fields, "section", &meta.section);
    text(fields, "jurisdiction", &meta.jurisdiction);
    text(fields, "type", &meta.genre);
    text(fields, "eventtitle", &meta.event);
    let publisher = match meta.entry_type {
        EntryType::Report => "institution",
        EntryType::Thesis => "school",
        _ => "publisher",
    };
    text(fields, publisher, &meta.publisher);
    // A court or a legislature: biblatex's `institution` of a @jurisdiction or @legislation.
    let authority = match meta.entry_type {
        EntryType::Case | EntryType::Legislation => "institution",
        _ => "authority",
    };
    text(fields, authority, &meta.authority);
    text(fields, "address", &meta.publisher_place);
}

/// Version, ISBN, ISSN, DOI, URL, e-print and its archive, language, short author.
fn identifiers(meta: &SourceMeta, fields: &mut Fields) {
    text(fields, "version", &meta.version);
    text(fields, "isbn", &meta.isbn);
    text(fields, "issn", &meta.issn);
    for (name, value) in [
        ("doi", &meta.doi),
        ("url", &meta.url),
        ("eprint", &meta.eprint),
    ] {
        if let Some(v) = value {
            fields.push((name, verbatim(v)));
        }
    }
    if let Some(a) = &meta.archive {
        // biblatex knows `arxiv`, `jstor`, `pubmed`… in lower case.
        let lower = a.to_lowercase();
        let known = archive_name(&lower) == *a && lower != *a;
        fields.push(("eprinttype", latex(if known { &lower } else { a }, false)));
    }
    text(fields, "library", &meta.catalog);
    language(meta, fields);
    if let Some(a) = &meta.abbreviation {
        fields.push(("shortauthor", format!("{{{}}}", latex(a, false))));
    }
}

/// `langid` (babel's name, which biblatex uses for hyphenation) when the tag has one that
/// reads back to it, else `language` as stored.
fn language(meta: &SourceMeta, fields: &mut Fields) {
    let Some(tag) = &meta.language else {
        return;
    };
    match languages::babel_of(tag).filter(|b| languages::tag_of(b) == Some(tag.as_str())) {
        Some(babel) => fields.push(("langid", babel.to_string())),
        None => fields.push(("language", latex(tag, false))),
    }
}

/// A name as BibTeX splits it: `von Last, Jr, First`; an organisation or one-name person whole
/// in braces; a family name that BibTeX would split (lower-case words, a comma) braced; a
/// particle shown after the given name (CSL's dropping particle) in biblatex's extended name
/// format with `useprefix=false`.
fn name_of(n: &Name) -> String {
    if n.is_others() {
        // BibTeX's own word for the rest of the list, unbraced.
        return "others".to_string();
    }
    if n.is_literal() {
        return format!("{{{}}}", latex(&n.family, false));
    }
    let braced = |s: &str| {
        let risky = s.contains(',')
            || s.split_whitespace().any(|w| w.eq_ignore_ascii_case("and"))
            || s.split_whitespace()
                .any(|w| w.starts_with(char::is_lowercase));
        if risky {
            format!("{{{}}}", latex(s, false))
        } else {
            latex(s, false)
        }
    };
    // A particle in biblatex's extended name format, which says whether it is dropping
    // (`useprefix=false`) or not: BibTeX's plain "von Last" is read as dropping (biblatex's
    // default, and pandoc's reading).
    if n.dropping.is_some() || n.particle.is_some() {
        let mut parts = vec![format!("family={{{}}}", latex(&n.family, false))];
        if let Some(g) = &n.given {
            parts.push(format!("given={{{}}}", latex(g, false)));
        }
        let prefix = n.dropping.as_ref().or(n.particle.as_ref());
        if let Some(p) = prefix {
            parts.push(format!("prefix={{{}}}", latex(p, false)));
        }
        if let Some(s) = &n.suffix {
            parts.push(format!("suffix={{{}}}", latex(s, false)));
        }
        parts.push(format!("useprefix={}", n.dropping.is_none()));
        return parts.join(", ");
    }
    let last = braced(&n.family);
    let given = n.given.as_deref().map(braced).unwrap_or_default();
    match &n.suffix {
        Some(s) => format!("{last}, {}, {given}", braced(s)),
        None => format!("{last}, {given}"),
    }
}

/// A URL, DOI or e-print identifier: written as it is (biblatex reads these verbatim); only
/// braces, which would end the value, are percent-encoded.
fn verbatim(text: &str) -> String {
    text.replace('{', "%7B").replace('}', "%7D")
}

/// Stored text in LaTeX: special characters escaped, en and em dashes as `--` and `---`,
/// Markdown italics and bold as `\emph{}` and `\textbf{}`; with `protect`, every word holding a
/// capital braced, so that styles which lower-case titles keep "Pakistan" and "NATO".
pub(super) fn latex(text: &str, protect: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for piece in markup::pieces(text) {
        let inner = escape_words(&piece.text, protect);
        match (piece.italic, piece.bold) {
            (false, false) => out.push_str(&inner),
            (true, false) => out.push_str(&format!("\\emph{{{inner}}}")),
            (false, true) => out.push_str(&format!("\\textbf{{{inner}}}")),
            (true, true) => out.push_str(&format!("\\textbf{{\\emph{{{inner}}}}}")),
        }
    }
    out
}

fn escape_words(text: &str, protect: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let escaped = escape(word);
        if protect && word.chars().any(char::is_uppercase) {
            out.push_str(&format!("{{{escaped}}}"));
        } else {
            out.push_str(&escaped);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The characters a BibTeX key cannot hold: what ends a key (a comma, white space, a closing
/// brace), what ends an entry or starts a field, and what biber refuses.
const NOT_IN_KEY: &[char] = &[
    ',', '{', '}', '(', ')', '"', '#', '%', '\'', '=', '\\', '@', '~',
];

/// A source's key as BibTeX reads it back as one key: every character a key cannot hold (see
/// [`NOT_IN_KEY`], white space and control characters) as `_`, so that no key can end its entry
/// and start another. Borrowed when the key is one already.
pub(crate) fn key_of(key: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| NOT_IN_KEY.contains(&c) || c.is_whitespace() || c.is_control();
    if !key.is_empty() && !key.contains(bad) {
        return key.into();
    }
    let safe: String = key.chars().map(|c| if bad(c) { '_' } else { c }).collect();
    if safe.is_empty() {
        "_".into()
    } else {
        safe.into()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            // BibTeX counts `\{` and `\}` as braces: a lone `}` would close the field.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '–' => out.push_str("--"),
            '—' => out.push_str("---"),
            // Two hyphens would read back as an en dash.
            '-' if chars.peek() == Some(&'-') => out.push_str("-{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_protect_capitals_and_escape_what_latex_needs() {
        assert_eq!(
            latex("Reading *Kim* in Pakistan: 100% & ~5_x", true),
            "{Reading} \\emph{{Kim}} in {Pakistan:} 100\\% \\& \\textasciitilde{}5\\_x"
        );
        assert_eq!(latex("2001–2021 a--b", false), "2001--2021 a-{}-b");
    }

    #[test]
    fn names_are_written_for_bibtex_to_split_back() {
        let n = |s: &str| name_of(&Name::parse(s).unwrap());
        assert_eq!(
            n("van der Berg, Jan"),
            "family={Berg}, given={Jan}, prefix={van der}, useprefix=true"
        );
        assert_eq!(n("King, Jr., Martin Luther"), "King, Jr., Martin Luther");
        assert_eq!(
            n("World Health Organization"),
            "{World Health Organization}"
        );
        assert_eq!(
            n("{University of California, Berkeley}"),
            "{University of California, Berkeley}"
        );
        let dropping = Name {
            family: "La Fontaine".into(),
            given: Some("Jean".into()),
            dropping: Some("de".into()),
            ..Name::default()
        };
        assert_eq!(
            name_of(&dropping),
            "family={La Fontaine}, given={Jean}, prefix={de}, useprefix=false"
        );
    }
}
