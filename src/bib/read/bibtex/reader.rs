//! Reading the fields of one BibTeX or BibLaTeX entry (as the biblatex crate parsed it), each
//! as gloss stores it (LaTeX decoded, italics as Markdown), remembering which were read so that
//! the rest can be named as lost.

use std::borrow::Cow;
use std::collections::BTreeSet;

use biblatex::{Chunk, ChunksExt, Person};

use super::latex;
use crate::bib::model::Name;
use crate::bib::read::entry::lost;
use crate::bib::{body_text, markup};

/// Reads fields of one entry, remembering which were used.
pub(super) struct Reader<'a> {
    pub(super) e: &'a biblatex::Entry,
    pub(super) used: BTreeSet<String>,
    pub(super) lost: Vec<String>,
    /// LaTeX commands whose meaning was lost (their text is kept).
    pub(super) commands: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(e: &'a biblatex::Entry) -> Reader<'a> {
        Reader {
            e,
            used: BTreeSet::new(),
            lost: Vec::new(),
            commands: Vec::new(),
        }
    }

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
        self.latex_text(field, as_written)
            .filter(|text| !text.is_empty())
    }

    /// A field that becomes a paragraph of a note's body (an abstract, a note): as [`text`],
    /// with every character Markdown or gloss would read as syntax escaped, so that it shows as
    /// written (a `<script>` in an abstract is text).
    ///
    /// [`text`]: Reader::text
    pub(super) fn body_text(&mut self, field: &str) -> Option<String> {
        self.latex_text(field, escaped_for_body)
            .map(|text| body_text::leading_marker_escaped(&text))
            .filter(|text| !text.is_empty())
    }

    /// The field's chunks read as LaTeX, each normal or verbatim chunk first through `prepare`,
    /// math (`$…$`) as written, spaces collapsed; `None` when the entry has no such field.
    fn latex_text(&mut self, field: &str, prepare: fn(&str) -> Cow<'_, str>) -> Option<String> {
        self.used.insert(field.to_string());
        let mut raw = String::new();
        for chunk in self.e.get(field)? {
            match &chunk.v {
                // `$…$` as written: math is not gloss's to read.
                Chunk::Math(m) => raw.push_str(&format!("${m}$")),
                Chunk::Normal(t) | Chunk::Verbatim(t) => {
                    raw.push_str(&latex::from_latex_raw(&prepare(t), &mut self.commands))
                }
            }
        }
        Some(markup::collapse(&raw))
    }

    /// A verbatim field (`url`, `doi`, `eprint`): LaTeX escapes some exports add removed.
    pub(super) fn verbatim(&mut self, field: &str) -> Option<String> {
        self.plain(field).map(|v| unescape_verbatim(&v))
    }

    /// The first of `fields` that is present, as prose text; the others, when they say
    /// something else, are lost.
    pub(super) fn first(&mut self, fields: &[&str]) -> Option<String> {
        self.first_of(fields, Reader::text)
    }

    /// The same for identifiers (numbers, codes), read as written.
    pub(super) fn first_plain(&mut self, fields: &[&str]) -> Option<String> {
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
    pub(super) fn title(&mut self, title: &str, subtitle: &str) -> Option<String> {
        let main = self.text(title)?;
        Some(match self.text(subtitle) {
            Some(sub) => format!("{main}: {sub}"),
            None => main,
        })
    }

    /// A name list; `and others` is its last name, "others" (printed et al.).
    pub(super) fn names(&mut self, field: &str) -> Vec<Name> {
        self.used.insert(field.to_string());
        let Some(chunks) = self.e.get(field) else {
            return Vec::new();
        };
        let persons: Vec<Person> = chunks.parse().unwrap_or_default();
        persons
            .iter()
            .filter_map(|p| name(p, &mut self.commands))
            .collect()
    }

    /// `editor`, when its role is an editor's; other roles (`editortype = {director}`) and
    /// `editora`–`editorc` are lost.
    pub(super) fn editors(&mut self) -> Vec<Name> {
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

/// A biblatex person as a gloss name (the LaTeX commands whose meaning is lost added to
/// `commands`): no given name, particle or suffix is a literal name (an
/// organisation in braces, a one-name person).
fn name(p: &Person, commands: &mut Vec<String>) -> Option<Name> {
    // A tie inside a name (`J.~M.`) is only a space there; LaTeX is read as in any text.
    let mut clean = |s: &str| {
        let text = latex::from_latex_raw(&s.replace('\u{a0}', " "), commands);
        // A name holds no markup: `\emph{x}` is x, a literal `*` itself.
        Some(markup::collapse(&markup::plain(&text))).filter(|s| !s.is_empty())
    };
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
    // A "von" part is a particle shown after the given name (CSL's dropping particle), as
    // biblatex reads it by default (`useprefix=false`) and pandoc always does; `useprefix=true`
    // in biblatex's extended name format keeps it in front.
    let dropping = p.use_prefix != Some(true);
    Some(Name {
        family,
        given,
        particle: prefix.clone().filter(|_| !dropping),
        dropping: prefix.filter(|_| dropping),
        suffix,
    })
}

/// `\_`, `\%`, `\&`, `\#` as some exports write them in URLs and DOIs.
pub(super) fn unescape_verbatim(text: &str) -> String {
    text.replace("\\_", "_")
        .replace("\\%", "%")
        .replace("\\&", "&")
        .replace("\\#", "#")
        .replace("\\~", "~")
}

/// A chunk of a field as written.
fn as_written(t: &str) -> Cow<'_, str> {
    Cow::Borrowed(t)
}

/// A chunk of a body field with what Markdown or gloss would read as syntax escaped. The LaTeX
/// reader's own syntax is left for it; it escapes `*` itself, and takes `\@` for LaTeX's
/// spacing command: an `@` is `&#64;`, which gloss reads as a literal `@` too.
fn escaped_for_body(t: &str) -> Cow<'_, str> {
    Cow::Owned(body_text::escaped_except(t, &['\\', '*', '{', '}']).replace("\\@", "&#64;"))
}
