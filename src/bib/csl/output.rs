//! The engine's output as gloss prints it: HTML escaped by gloss (hayagriva's own writer does not
//! escape text) with italics, bold, small capitals, super- and subscripts and links, and the
//! same as plain text. On the way, the repairs that bring hayagriva's text to what the reference
//! implementation (pandoc's citeproc) prints for the same style:
//! - title case as pandoc applies it (`case`): hayagriva lowercases `During`, capitalises `And`
//!   after a comma, flattens `NeuroImage` to `Neuroimage` and `BC` to `Bc`;
//! - straight quotes and apostrophes made typographic;
//! - no period or comma after a title's own question or exclamation mark (`Readers?”`, not
//!   `Readers?.”`);
//! - no space before a colon or comma, and single spaces (`19: 55–80`, not `19 : 55–80`);
//! - one period where two meet (`in Pakistan.` for a title ending in one; `]. —` where an empty
//!   group left its delimiter), an ellipsis kept, and no comma before a period (`J,.`).

use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, VerticalAlign};
use hayagriva::lang::{Case, TitleCase};
use hayagriva::{ElemChild, ElemChildren, ElemMeta, Formatting};

use super::case::title_case;
use super::item::JOINED;
use crate::bib::apa::smart_quotes;
use crate::html::escape_html;

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Fmt {
    italic: bool,
    bold: bool,
    small_caps: bool,
    sup: bool,
    sub: bool,
}

impl Fmt {
    fn of(f: &Formatting) -> Fmt {
        Fmt {
            italic: f.font_style == FontStyle::Italic,
            bold: f.font_weight == FontWeight::Bold,
            small_caps: f.font_variant == FontVariant::SmallCaps,
            sup: f.vertical_align == VerticalAlign::Sup,
            sub: f.vertical_align == VerticalAlign::Sub,
        }
    }

    fn of_style(f: &hayagriva::citationberg::Formatting) -> Fmt {
        Fmt {
            italic: f.font_style == Some(FontStyle::Italic),
            bold: f.font_weight == Some(FontWeight::Bold),
            small_caps: f.font_variant == Some(FontVariant::SmallCaps),
            sup: f.vertical_align == Some(VerticalAlign::Sup),
            sub: f.vertical_align == Some(VerticalAlign::Sub),
        }
    }

    /// The tags that open this setting, in order (closed in reverse).
    fn tags(self) -> Vec<(&'static str, &'static str)> {
        let mut tags = Vec::new();
        if self.bold {
            tags.push(("<b>", "</b>"));
        }
        if self.italic {
            tags.push(("<i>", "</i>"));
        }
        if self.small_caps {
            tags.push((r#"<span class="smallcaps">"#, "</span>"));
        }
        if self.sup {
            tags.push(("<sup>", "</sup>"));
        }
        if self.sub {
            tags.push(("<sub>", "</sub>"));
        }
        tags
    }
}

/// A run of text with one setting, perhaps a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Run {
    text: String,
    fmt: Fmt,
    link: Option<String>,
}

/// What a citation number prints: called with the index (in its citation) of the cited item the
/// number belongs to.
pub(super) type Numbering<'a> = &'a dyn Fn(Option<usize>) -> String;

/// The runs of the engine's output. A citation number is replaced by `number`'s text (the
/// engine numbers what it was given; the site's numbers are gloss's).
pub(super) fn runs(children: &ElemChildren, number: Numbering<'_>) -> Vec<Run> {
    let mut out = Vec::new();
    walk(children, None, false, number, &mut out);
    out
}

fn walk(
    children: &ElemChildren,
    entry: Option<usize>,
    numbered: bool,
    number: Numbering<'_>,
    out: &mut Vec<Run>,
) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => {
                let text = if numbered {
                    renumbered(&t.text, &number(entry))
                } else if t.text.contains(JOINED) {
                    t.text.replace(JOINED, "-")
                } else {
                    t.text.clone()
                };
                let fmt = Fmt::of(&t.formatting);
                // A bold element's suffix is not bold (`<b>12</b>, 31–60`): CSL sets affixes
                // outside the formatting, hayagriva inside.
                let stem = text.trim_end_matches([',', ';', ':', ' ']);
                if fmt.bold && stem.len() < text.len() && !stem.is_empty() {
                    let tail = text[stem.len()..].to_string();
                    out.push(Run {
                        text: stem.to_string(),
                        fmt,
                        link: None,
                    });
                    let fmt = Fmt { bold: false, ..fmt };
                    out.push(Run {
                        text: tail,
                        fmt,
                        link: None,
                    });
                } else {
                    out.push(Run {
                        text,
                        fmt,
                        link: None,
                    });
                }
            }
            ElemChild::Elem(e) => {
                let entry = match e.meta {
                    Some(ElemMeta::Entry(i)) => Some(i),
                    _ => entry,
                };
                let numbered = numbered || e.meta == Some(ElemMeta::CitationNumber);
                walk(&e.children, entry, numbered, number, out);
            }
            ElemChild::Markup(m) => out.push(plain_run(m)),
            ElemChild::Link { text, url } => out.push(Run {
                text: text.text.clone(),
                fmt: Fmt::of(&text.formatting),
                link: Some(url.clone()),
            }),
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// A citation number's text (`[5]`, `5.`) with the engine's number replaced by `number`.
fn renumbered(text: &str, number: &str) -> String {
    match text.find(|c: char| c.is_ascii_digit()) {
        Some(start) => {
            let end = text[start..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(text.len(), |e| start + e);
            format!("{}{number}{}", &text[..start], &text[end..])
        }
        None => text.to_string(),
    }
}

/// For each title-like field of a source, the engine's title case of it and the specification's
/// (only those that differ): a run holding the first is given the second.
pub(super) fn title_fixes<'a>(fields: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let case = Case::Title(TitleCase::new());
    fields
        .filter_map(|field| {
            let theirs = case.transform(field);
            let ours = title_case(field);
            (theirs != ours && theirs != field).then_some((theirs, ours))
        })
        .collect()
}

/// Applies the repairs (see the module's documentation) to the text runs; links are kept as
/// they are. `spaced_colon`: the locale sets a space before a colon (French), which is kept.
pub(super) fn repair(runs: &mut [Run], fixes: &[(String, String)], spaced_colon: bool) {
    for run in runs.iter_mut().filter(|r| r.link.is_none()) {
        for (theirs, ours) in fixes {
            if run.text.contains(theirs.as_str()) {
                run.text = run.text.replace(theirs.as_str(), ours);
            }
        }
        run.text = smart_quotes(&run.text);
    }
    // Punctuation and spaces, across runs: what came last before each character.
    let mut mark = false;
    let mut period = false;
    let mut last: Option<usize> = None;
    for i in 0..runs.len() {
        if runs[i].link.is_some() {
            (mark, period, last) = (false, false, None);
            continue;
        }
        let mut text = String::with_capacity(runs[i].text.len());
        let chars: Vec<char> = std::mem::take(&mut runs[i].text).chars().collect();
        for (at, &c) in chars.iter().enumerate() {
            let space_before = if text.is_empty() {
                last.is_some_and(|l| runs[l].text.ends_with(' '))
            } else {
                text.ends_with(' ')
            };
            // A period after a period (a title's own, an empty group's delimiter: `Pakistan..`,
            // `]. . —`) is one, as in pandoc; three in a row are an ellipsis and stay.
            let dots = |range: &mut dyn Iterator<Item = usize>| {
                range.take_while(|&j| chars[j] == '.').count()
            };
            let ellipsis = dots(&mut (at..chars.len())) + dots(&mut (0..at).rev()) >= 3;
            if (matches!(c, '.' | ',') && mark)
                || (c == '.' && period && !ellipsis)
                || (c == ' ' && space_before)
            {
                continue;
            }
            if c == '.' {
                // A comma the style put before a period that ends the entry: `J,.` is `J.`.
                let comma = |t: &mut String| {
                    let kept = t.trim_end().len();
                    if t[..kept].ends_with(',') {
                        t.truncate(kept - 1);
                    }
                };
                match (text.trim_end().is_empty(), last) {
                    (false, _) => comma(&mut text),
                    (true, Some(l)) => {
                        comma(&mut runs[l].text);
                        text.clear();
                    }
                    _ => {}
                }
            }
            if c == ',' || (c == ':' && !spaced_colon) {
                match (text.is_empty(), last) {
                    (false, _) if text.ends_with(' ') => {
                        text.pop();
                    }
                    (true, Some(l)) if runs[l].text.ends_with(' ') => {
                        runs[l].text.pop();
                    }
                    _ => {}
                }
            }
            text.push(c);
            // Closing quotation marks let the mark before them through (`Readers?”.`).
            if !matches!(c, '”' | '’' | '"' | '\'') {
                mark = matches!(c, '?' | '!');
                if c != ' ' {
                    period = c == '.';
                }
            }
        }
        runs[i].text = text;
        if !runs[i].text.is_empty() {
            last = Some(i);
        }
    }
}

/// The runs as HTML: runs with the same setting share their tags.
pub(super) fn html(runs: &[Run]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < runs.len() {
        let run = &runs[i];
        let mut end = i + 1;
        while end < runs.len() && runs[end].fmt == run.fmt && runs[end].link == run.link {
            end += 1;
        }
        let text: String = runs[i..end].iter().map(|r| r.text.as_str()).collect();
        if let Some(url) = &run.link {
            out.push_str(&format!(r#"<a href="{}">"#, escape_html(url)));
        }
        let tags = run.fmt.tags();
        for (open, _) in &tags {
            out.push_str(open);
        }
        out.push_str(&escape_html(&text));
        for (_, close) in tags.iter().rev() {
            out.push_str(close);
        }
        if run.link.is_some() {
            out.push_str("</a>");
        }
        i = end;
    }
    out
}

/// The runs as plain text.
pub(super) fn text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// The runs without spaces at either end.
pub(super) fn trimmed(mut runs: Vec<Run>) -> Vec<Run> {
    runs.retain(|r| !r.text.is_empty());
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// The runs without an empty pair of parentheses at their end: `Okafor and Brennan ()` is the
/// running-text form of a style that has nothing to put in them (MLA prints no year).
pub(super) fn without_empty_parentheses(mut runs: Vec<Run>) -> Vec<Run> {
    let Some(last) = runs.iter().rposition(|r| !r.text.trim().is_empty()) else {
        return runs;
    };
    if let Some(cut) = runs[last].text.trim_end().strip_suffix("()") {
        runs[last].text = cut.trim_end().to_string();
        runs.truncate(last + 1);
    }
    runs
}

/// A suffix gloss adds after `runs` (`, tbl. 2`) with its comma or period moved inside the
/// closing quotation mark `runs` end with, as the locale wants: `“Stilt House,” tbl. 2`.
pub(super) fn punctuation_into_quote(runs: &mut [Run], suffix: &str) -> String {
    let Some(mark) = suffix.chars().next().filter(|c| matches!(c, ',' | '.')) else {
        return suffix.to_string();
    };
    match runs.iter_mut().rev().find(|r| !r.text.is_empty()) {
        Some(last) if last.text.ends_with('”') && last.link.is_none() => {
            last.text.pop();
            last.text.push(mark);
            last.text.push('”');
            suffix[mark.len_utf8()..].to_string()
        }
        _ => suffix.to_string(),
    }
}

/// A run of plain text (a prefix or suffix gloss adds).
pub(super) fn plain_run(text: &str) -> Run {
    Run {
        text: text.to_string(),
        fmt: Fmt::default(),
        link: None,
    }
}

/// A run of text set as `formatting` says (a prefix or suffix inside a superscript citation).
pub(super) fn run_with(text: &str, formatting: &hayagriva::citationberg::Formatting) -> Run {
    Run {
        text: text.to_string(),
        fmt: Fmt::of_style(formatting),
        link: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Run {
        plain_run(text)
    }

    #[test]
    fn repairs_punctuation_quotes_spaces_and_title_case() {
        let fixes =
            title_fixes(["Eye movements during annotated reading", "NeuroImage"].into_iter());
        let mut runs = vec![
            run("“Do Annotations Help Readers?.” "),
            run("19 "),
            run(": 55–80.  Printers' "),
            run("“Eye Movements during Annotated Reading.” "),
            Run {
                text: "NeuroImage".into(),
                fmt: Fmt {
                    italic: true,
                    ..Fmt::default()
                },
                link: None,
            },
        ];
        repair(&mut runs, &fixes, false);
        assert_eq!(
            text(&runs),
            "“Do Annotations Help Readers?” 19: 55–80. Printers’ “Eye Movements During Annotated Reading.” NeuroImage"
        );
        assert!(
            html(&runs).ends_with("<i>NeuroImage</i>"),
            "{}",
            html(&runs)
        );
    }

    #[test]
    fn periods_that_meet_are_one_an_ellipsis_stays_and_a_comma_before_one_goes() {
        let mut runs = vec![
            run("Policy in Pakistan."),
            run(". In: Challenge. "),
            run(". — The Insight. Wait... "),
            run("“Readers.”. Done, "),
            run(". Journal,"),
            run("."),
        ];
        repair(&mut runs, &[], false);
        assert_eq!(
            text(&runs),
            "Policy in Pakistan. In: Challenge. — The Insight. Wait... “Readers.” Done. Journal."
        );
    }

    #[test]
    fn html_is_escaped_and_links_keep_their_address() {
        let runs = vec![
            run("Literacy & Cognition <3 "),
            Run {
                text: "https://doi.org/10.1/a&b".into(),
                fmt: Fmt::default(),
                link: Some("https://doi.org/10.1/a&b".into()),
            },
        ];
        assert_eq!(
            html(&runs),
            r#"Literacy &amp; Cognition &lt;3 <a href="https://doi.org/10.1/a&amp;b">https://doi.org/10.1/a&amp;b</a>"#
        );
    }
}
