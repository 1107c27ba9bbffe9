//! The synthesis matrix: sources (rows, in reference-list order) × themes (columns, in home-page
//! order); a cell holds how often the theme's synthesis cites the source and whether the source
//! is tagged with the theme. The same data as the `/matrix/` page and as `matrix.csv`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use serde::Serialize;

use super::{
    citation_counts, decade, label, short_label, shorten, themes_in_order, type_of, year_of,
};
use crate::graph::Site;
use crate::note::{NoteKind, Year};

/// How many of the sources no theme cites the page names (the table marks them all).
const UNCITED_NAMED: usize = 24;
/// How many of the themes citing the fewest sources the page names.
const SPARSE_NAMED: usize = 3;
/// How long a source's name may be at the head of its row (the whole name is its tooltip).
const ROW_CHARS: usize = 32;
/// How long a theme's title may be in a column header.
const HEADER_CHARS: usize = 34;

/// One cell: how often the theme's text cites the source, and whether the source carries the
/// theme's tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) cites: u32,
    pub(crate) tagged: bool,
}

/// The matrix of a site.
pub(crate) struct Matrix {
    /// The themes' note indices, one per column.
    pub(crate) themes: Vec<usize>,
    /// One per source, in reference-list order: the source's note index and a cell per theme.
    pub(crate) rows: Vec<(usize, Vec<Cell>)>,
}

impl Matrix {
    pub(crate) fn of(site: &Site) -> Matrix {
        let themes = themes_in_order(site);
        let tag_column: HashMap<&str, usize> = themes
            .iter()
            .enumerate()
            .map(|(c, &t)| (site.notes[t].key.as_str(), c))
            .collect();
        let cited: Vec<BTreeMap<usize, u32>> =
            themes.iter().map(|&t| citation_counts(site, t)).collect();
        let rows = site
            .bibliography_order
            .iter()
            .map(|key| {
                let source = site.by_key[key.as_str()];
                let mut cells = vec![Cell::default(); themes.len()];
                for (c, counts) in cited.iter().enumerate() {
                    cells[c].cites = counts.get(&source).copied().unwrap_or(0);
                }
                for tag in &site.notes[source].tags {
                    // A nested tag (`trust-deficit/origins`) files the source under its theme too,
                    // as the theme's tagged list does.
                    let top = tag.slug.split('/').next().unwrap_or(&tag.slug);
                    for slug in [tag.slug.as_str(), top] {
                        if let Some(&c) = tag_column.get(slug) {
                            cells[c].tagged = true;
                        }
                    }
                }
                (source, cells)
            })
            .collect();
        Matrix { themes, rows }
    }

    /// How many sources theme column `c` cites, and how many are tagged with it.
    fn column_totals(&self, c: usize) -> (usize, usize) {
        let cited = self
            .rows
            .iter()
            .filter(|(_, r)| r.get(c).is_some_and(|x| x.cites > 0));
        let tagged = self
            .rows
            .iter()
            .filter(|(_, r)| r.get(c).is_some_and(|x| x.tagged));
        (cited.count(), tagged.count())
    }
}

/// A theme's column.
#[derive(Serialize)]
pub(crate) struct ColumnView {
    slug: String,
    title: String,
    /// The title as the header shows it (long ones shortened).
    header: String,
    url: String,
    /// How many sources its synthesis cites, and how many are tagged with it.
    cited: usize,
    tagged: usize,
    /// Among the themes citing the fewest sources.
    sparse: bool,
    /// The column's cells that hold something, for the phone's list of this theme.
    entries: Vec<EntryView>,
}

/// A marked cell of a theme's column, as the list for phones shows it.
#[derive(Serialize)]
pub(crate) struct EntryView {
    label: String,
    url: String,
    /// "cited", "tagged" or "both".
    mark: &'static str,
    cites: u32,
}

/// A source's row.
#[derive(Serialize)]
pub(crate) struct RowView {
    key: String,
    url: String,
    label: String,
    title: String,
    year: String,
    /// The year as a number for sorting: n.d. first, in press last.
    year_order: i32,
    entry_type: &'static str,
    decade: String,
    /// Themes citing it or tagging it, and themes citing it.
    themes: usize,
    citing_themes: usize,
    /// The row's cells as HTML (`<td>` elements): 200,000 of them at 10,000 sources are
    /// written here rather than looped over in the template.
    cells: String,
}

/// A source or theme named in the gaps summary.
#[derive(Serialize)]
pub(crate) struct NamedView {
    label: String,
    url: String,
    count: usize,
}

/// The matrix page's input.
#[derive(Serialize)]
pub(crate) struct MatrixView {
    themes: Vec<ColumnView>,
    rows: Vec<RowView>,
    /// Sources no theme cites: how many, and the first few.
    uncited_count: usize,
    uncited: Vec<NamedView>,
    /// The themes citing the fewest sources, fewest first.
    sparse: Vec<NamedView>,
    /// The types and decades present, for the filters.
    types: Vec<&'static str>,
    decades: Vec<String>,
}

/// The mark of a cell: "cited", "tagged", "both" or "".
fn mark(cell: Cell) -> &'static str {
    match (cell.cites > 0, cell.tagged) {
        (true, true) => "both",
        (true, false) => "cited",
        (false, true) => "tagged",
        (false, false) => "",
    }
}

/// A cell as a table cell: a visible mark and count hidden from screen readers, which read the
/// words instead.
fn cell_html(out: &mut String, cell: Cell) {
    let times = |n: u32| {
        if n == 1 {
            "1 time".to_string()
        } else {
            format!("{n} times")
        }
    };
    let _ = match (cell.cites, cell.tagged) {
        (0, false) => write!(out, "<td></td>"),
        (0, true) => write!(
            out,
            r#"<td class="m-tagged"><span aria-hidden="true">○</span><span class="vh">tagged</span></td>"#
        ),
        (n, false) => write!(
            out,
            r#"<td class="m-cited"><span aria-hidden="true">●&#8239;{n}</span><span class="vh">cited {}</span></td>"#,
            times(n)
        ),
        (n, true) => write!(
            out,
            r#"<td class="m-both"><span aria-hidden="true">◉&#8239;{n}</span><span class="vh">cited {}, tagged</span></td>"#,
            times(n)
        ),
    };
}

/// The year as a sort key: n.d. before every year, in press after.
fn year_order(year: Year) -> i32 {
    match year {
        Year::Known(y) => y,
        Year::Unknown => i32::MIN,
        Year::InPress => i32::MAX,
    }
}

impl Matrix {
    /// The page's input.
    pub(crate) fn view(&self, site: &Site) -> MatrixView {
        let mut by_cited: Vec<(usize, usize)> = (0..self.themes.len())
            .map(|c| (self.column_totals(c).0, c))
            .collect();
        by_cited.sort();
        let sparse: Vec<usize> = by_cited
            .iter()
            .take(SPARSE_NAMED)
            .map(|&(_, c)| c)
            .collect();
        let themes = self.columns(site, &sparse);
        let mut types = Vec::new();
        let mut decades = Vec::new();
        let rows: Vec<RowView> = self
            .rows
            .iter()
            .map(|(s, cells)| {
                let note = &site.notes[*s];
                let year = year_of(site, *s);
                let entry_type = type_of(site, *s);
                let decade = decade(year);
                if !types.contains(&entry_type) {
                    types.push(entry_type);
                }
                if !decades.contains(&decade) {
                    decades.push(decade.clone());
                }
                let mut html = String::with_capacity(cells.len() * 12);
                for &cell in cells {
                    cell_html(&mut html, cell);
                }
                RowView {
                    key: note.key.clone(),
                    url: site.url_of(*s),
                    label: short_label(site, *s, ROW_CHARS),
                    title: format!("{} {}", label(site, *s), note.title),
                    year: site
                        .references
                        .get(&note.key)
                        .and_then(|r| r.apa_year())
                        .map_or_else(|| year.to_string(), str::to_string),
                    year_order: year_order(year),
                    entry_type,
                    decade,
                    themes: cells.iter().filter(|c| !mark(**c).is_empty()).count(),
                    citing_themes: cells.iter().filter(|c| c.cites > 0).count(),
                    cells: html,
                }
            })
            .collect();
        types.sort_unstable();
        decades.sort();
        let uncited: Vec<&RowView> = rows.iter().filter(|r| r.citing_themes == 0).collect();
        MatrixView {
            uncited_count: uncited.len(),
            uncited: uncited
                .iter()
                .take(UNCITED_NAMED)
                .map(|r| NamedView {
                    label: r.label.clone(),
                    url: r.url.clone(),
                    count: r.themes,
                })
                .collect(),
            sparse: by_cited
                .iter()
                .take(SPARSE_NAMED)
                .map(|&(count, c)| NamedView {
                    label: site.notes[self.themes[c]].title.clone(),
                    url: site.url_of(self.themes[c]),
                    count,
                })
                .collect(),
            themes,
            rows,
            types,
            decades,
        }
    }

    /// A column per theme, with the sources it cites or tags; `sparse`: the columns named as
    /// the sparsest.
    fn columns(&self, site: &Site, sparse: &[usize]) -> Vec<ColumnView> {
        self.themes
            .iter()
            .enumerate()
            .map(|(c, &t)| {
                let note = &site.notes[t];
                let (cited, tagged) = self.column_totals(c);
                let entries = self
                    .rows
                    .iter()
                    .filter(|(_, cells)| !mark(cells[c]).is_empty())
                    .map(|&(s, ref cells)| EntryView {
                        label: label(site, s),
                        url: site.url_of(s),
                        mark: mark(cells[c]),
                        cites: cells[c].cites,
                    })
                    .collect();
                ColumnView {
                    slug: note.key.clone(),
                    title: note.title.clone(),
                    header: shorten(&note.title, HEADER_CHARS),
                    url: site.url_of(t),
                    cited,
                    tagged,
                    sparse: sparse.contains(&c),
                    entries,
                }
            })
            .collect()
    }

    /// The matrix as CSV (RFC 4180, CRLF line ends): a row per source with its key, short form,
    /// year, type, title and URL, how many themes cite it and how many tag it, then two columns
    /// per theme: how often its synthesis cites the source, and 1 if the source is tagged with it.
    pub(crate) fn csv(&self, site: &Site) -> String {
        let mut out = String::new();
        let mut header: Vec<String> = [
            "key",
            "citation",
            "year",
            "type",
            "title",
            "url",
            "themes citing",
            "themes tagging",
        ]
        .map(String::from)
        .to_vec();
        for &t in &self.themes {
            let title = &site.notes[t].title;
            header.push(format!("{title}: cites"));
            header.push(format!("{title}: tagged"));
        }
        csv_line(&mut out, header.iter().map(String::as_str));
        for (s, cells) in &self.rows {
            let note = &site.notes[*s];
            let mut fields: Vec<String> = vec![
                note.key.clone(),
                label(site, *s),
                year_of(site, *s).to_string(),
                type_of(site, *s).to_string(),
                note.title.clone(),
                format!("{}{}", site.config.base_url, note.url_path()),
                cells.iter().filter(|c| c.cites > 0).count().to_string(),
                cells.iter().filter(|c| c.tagged).count().to_string(),
            ];
            for cell in cells {
                fields.push(cell.cites.to_string());
                fields.push(u8::from(cell.tagged).to_string());
            }
            csv_line(&mut out, fields.iter().map(String::as_str));
        }
        out
    }
}

/// One CSV record: a field holding a comma, a quote or a line break is quoted, its quotes
/// doubled; one that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) is prefixed with `'`, as OWASP advises, so it shows as text.
fn csv_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (n, field) in fields.enumerate() {
        if n > 0 {
            out.push(',');
        }
        let guarded;
        let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            guarded = format!("'{field}");
            guarded.as_str()
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// Whether note `i` is a source that no theme cites (the home page and the matrix name them).
pub(crate) fn uncited_by_themes(site: &Site, i: usize) -> bool {
    site.notes[i].kind == NoteKind::Source
        && !site.cited_by[i]
            .iter()
            .any(|b| site.notes[b.from].kind == NoteKind::Theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_commas_quotes_and_breaks_are_quoted() {
        let mut out = String::new();
        csv_line(
            &mut out,
            ["plain", "a, b", "say \"hi\"", "two\nlines"].into_iter(),
        );
        assert_eq!(out, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    }

    #[test]
    fn csv_fields_a_spreadsheet_would_run_are_text() {
        let mut out = String::new();
        csv_line(
            &mut out,
            [
                "=HYPERLINK(\"x\")",
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "a=b",
            ]
            .into_iter(),
        );
        assert_eq!(
            out,
            "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",a=b\r\n"
        );
    }
}
