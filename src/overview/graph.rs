//! The graph of the whole site: a node per note (a theme a square, a source a circle, a page a
//! diamond, sized by how many notes cite or link to it), an edge from each note to each work it
//! cites and to each note it links to (drawn apart: a vault of linked notes is a graph of links),
//! laid out at build time by a force simulation (`fjadra`, a port of d3-force: seeded, so the
//! same site always gives the same picture). A large site shows its themes and the notes most
//! referred to, and the lines among them.

use serde::Serialize;

use super::layout::{WIDTH, fit, layout};
use super::sections::Sections;
use super::shapes::{radius, shape};
use super::{kind_name, label, link_targets, round, short_label, themes_in_order};
use crate::graph::Site;
use crate::note::NoteKind;
use crate::text::count;

/// The most notes the global graph shows: beyond this it is a hairball, and its layout and
/// its SVG grow with the square of what it holds.
const MOST_NODES: usize = 160;
/// How many of the most cited sources carry a label beside the themes.
const LABELLED_SOURCES: usize = 12;
const LABEL_CHARS: usize = 28;

/// A drawn note.
#[derive(Serialize, Clone)]
pub(crate) struct NodeView {
    /// The node's number in this graph, for the script's highlighting.
    pub(crate) id: usize,
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// The shape's outline as an SVG path.
    pub(crate) d: String,
    /// "theme", "source" or "page".
    pub(crate) kind: &'static str,
    pub(crate) url: String,
    /// The full name, for the tooltip and screen readers.
    pub(crate) title: String,
    /// The label drawn beside it ("" for none), where, and its anchor ("start" or "end").
    pub(crate) label: String,
    pub(crate) lx: f64,
    pub(crate) ly: f64,
    pub(crate) anchor: &'static str,
}

/// A drawn note in the list beside the graph.
#[derive(Serialize)]
pub(crate) struct RowView {
    label: String,
    title: String,
    url: String,
    kind: &'static str,
    /// How many other notes cite it, and how many works it cites (of the whole site).
    cited_by: usize,
    cites: usize,
    /// How many other notes link to it, and how many it links to.
    linked_from: usize,
    links_to: usize,
}

/// A drawn citation or link, from the citing (linking) note to the cited (linked) one.
#[derive(Serialize, Clone)]
pub(crate) struct EdgeView {
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// The line or curve as an SVG path.
    pub(crate) d: String,
    /// "cite" or "link" (a note that both cites and links to another: "cite").
    pub(crate) kind: &'static str,
}

/// The graph page's input.
#[derive(Serialize)]
pub(crate) struct GraphView {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) nodes: Vec<NodeView>,
    pub(crate) edges: Vec<EdgeView>,
    /// The drawn notes, most referred to first.
    pub(crate) rows: Vec<RowView>,
    /// Notes, citations and links in the site, against those drawn.
    pub(crate) total_nodes: usize,
    pub(crate) total_citations: usize,
    pub(crate) total_links: usize,
    /// Whether it shows only part of the site.
    pub(crate) partial: bool,
    /// Whether the site has citations, and links, between notes (the legend and the list name
    /// only what there is).
    pub(crate) citations: bool,
    pub(crate) links: bool,
    /// What it draws, in words: `12 notes, 30 citations and 4 links`.
    pub(crate) summary: String,
}

/// The name a node's tooltip gives note `i`: a source's short form and title, else its title.
fn node_name(site: &Site, i: usize) -> String {
    let note = &site.notes[i];
    match note.kind {
        NoteKind::Source => format!("{} {}", label(site, i), note.title),
        _ => note.title.clone(),
    }
}

/// What a node's tooltip says in a local graph: its name, kind and how many notes cite it (not
/// what it cites: its tooltip would change with every citation of every neighbour).
pub(crate) fn node_title(site: &Site, i: usize) -> String {
    let kind = kind_name(site.notes[i].kind);
    let cited = site.citing_notes(i);
    format!("{} ({kind}; cited by {cited})", node_name(site, i))
}

/// The works note `i` cites, not itself.
pub(crate) fn cites(site: &Site, i: usize) -> Vec<usize> {
    site.cites[i].iter().copied().filter(|&t| t != i).collect()
}

/// Who refers to whom in the whole site, counted once for the graph.
struct Refs {
    /// For each note, the works it cites and then the notes it only links to, with the kind.
    out: Vec<Vec<(usize, &'static str)>>,
    /// For each note, how many notes it links to (cited or not).
    links_to: Vec<usize>,
    /// For each note, how many other notes cite it, link to it, and do either.
    cited_by: Vec<usize>,
    linked_from: Vec<usize>,
    referred: Vec<usize>,
}

impl Refs {
    fn of(site: &Site) -> Refs {
        let n = site.notes.len();
        let links = link_targets(site);
        let mut refs = Refs {
            out: Vec::with_capacity(n),
            links_to: links.iter().map(Vec::len).collect(),
            cited_by: vec![0; n],
            linked_from: vec![0; n],
            referred: vec![0; n],
        };
        for (i, linked) in links.iter().enumerate() {
            let cited = cites(site, i);
            let mut out: Vec<(usize, &'static str)> = cited.iter().map(|&t| (t, "cite")).collect();
            out.extend(
                linked
                    .iter()
                    .filter(|t| cited.binary_search(t).is_err())
                    .map(|&t| (t, "link")),
            );
            for &t in &cited {
                refs.cited_by[t] += 1;
            }
            for &t in linked {
                refs.linked_from[t] += 1;
            }
            for &(t, _) in &out {
                refs.referred[t] += 1;
            }
            refs.out.push(out);
        }
        refs
    }

    /// How many works note `i` cites.
    fn cites(&self, i: usize) -> usize {
        self.out[i].iter().filter(|e| e.1 == "cite").count()
    }
}

/// What a node's tooltip says in the global graph: its name and kind, and the figures of what
/// the site has (citations, links).
fn global_title(site: &Site, i: usize, refs: &Refs, has: &Sections) -> String {
    let name = node_name(site, i);
    let cites = refs.cites(i);
    let mut facts = Vec::new();
    if has.citations {
        facts.push(format!("cited by {}, cites {cites}", refs.cited_by[i]));
    }
    if has.links {
        let (from, to) = (refs.linked_from[i], refs.links_to[i]);
        facts.push(format!("linked from {from}, links to {to}"));
    }
    let kind = kind_name(site.notes[i].kind);
    match facts.is_empty() {
        true => format!("{name} ({kind})"),
        false => format!("{name} ({kind}; {})", facts.join(", ")),
    }
}

/// The notes the global graph shows: every theme, then the notes that cite, link or are
/// referred to, the most referred to first, up to [`MOST_NODES`]; sources outside every
/// citation and link (a gap of the review) only when there is room, other notes never.
fn chosen(site: &Site, refs: &Refs) -> Vec<usize> {
    let mut nodes = themes_in_order(site);
    nodes.truncate(MOST_NODES);
    let mut rest: Vec<(bool, usize, usize, usize)> = (0..site.notes.len())
        .filter(|&i| site.notes[i].kind != NoteKind::Theme)
        .filter_map(|i| {
            let referred = refs.referred[i];
            let linked = referred > 0 || !refs.out[i].is_empty();
            let shown = linked || site.notes[i].kind == NoteKind::Source;
            shown.then(|| {
                (
                    !linked,
                    usize::MAX - referred,
                    usize::MAX - refs.out[i].len(),
                    i,
                )
            })
        })
        .collect();
    rest.sort_unstable();
    let room = MOST_NODES - nodes.len();
    nodes.extend(rest.into_iter().take(room).map(|(_, _, _, i)| i));
    nodes
}

impl GraphView {
    pub(crate) fn of(site: &Site) -> GraphView {
        let refs = Refs::of(site);
        let has = Sections::of(site);
        let nodes = chosen(site, &refs);
        let mut place = vec![usize::MAX; site.notes.len()];
        for (n, &i) in nodes.iter().enumerate() {
            place[i] = n;
        }
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let mut kinds: Vec<&'static str> = Vec::new();
        let (mut total_citations, mut total_links) = (0, 0);
        for (i, out) in refs.out.iter().enumerate() {
            for &(t, kind) in out {
                match kind {
                    "cite" => total_citations += 1,
                    _ => total_links += 1,
                }
                if place[i] != usize::MAX && place[t] != usize::MAX {
                    edges.push((place[i], place[t]));
                    kinds.push(kind);
                }
            }
        }
        let radii: Vec<f64> = nodes
            .iter()
            .map(|&i| radius(site.notes[i].kind, refs.referred[i]))
            .collect();
        let positions = layout(&radii, &edges);
        let (positions, height) = fit(&positions, &radii);
        // Labels: every theme, and the notes most referred to.
        let mut by_referred: Vec<(usize, usize)> = nodes
            .iter()
            .enumerate()
            .filter(|&(_, &i)| site.notes[i].kind != NoteKind::Theme)
            .map(|(n, &i)| (usize::MAX - refs.referred[i], n))
            .collect();
        by_referred.sort_unstable();
        let labelled: Vec<usize> = by_referred
            .iter()
            .take(LABELLED_SOURCES)
            .filter(|&&(c, _)| c != usize::MAX)
            .map(|&(_, n)| n)
            .collect();
        // Labelled notes last, so that no node is drawn over their labels.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by_key(|&n| {
            site.notes[nodes[n]].kind == NoteKind::Theme || labelled.contains(&n)
        });
        let views = order
            .into_iter()
            .map(|n| (n, nodes[n]))
            .map(|(n, i)| {
                let note = &site.notes[i];
                let [x, y] = positions[n];
                let r = radii[n];
                let shown = note.kind == NoteKind::Theme || labelled.contains(&n);
                let right = x > WIDTH * 0.72;
                NodeView {
                    id: n,
                    x: round(x),
                    y: round(y),
                    d: shape(note.kind, x, y, r),
                    kind: kind_name(note.kind),
                    url: site.url_of(i),
                    title: global_title(site, i, &refs, &has),
                    label: if shown {
                        short_label(site, i, LABEL_CHARS)
                    } else {
                        String::new()
                    },
                    lx: round(if right { x - r - 4.0 } else { x + r + 4.0 }),
                    ly: round(y + 4.0),
                    anchor: if right { "end" } else { "start" },
                }
            })
            .collect();
        let drawn_citations = kinds.iter().filter(|&&k| k == "cite").count();
        let mut parts = vec![count(nodes.len(), "note", "notes")];
        if has.citations {
            parts.push(count(drawn_citations, "citation", "citations"));
        }
        if has.links {
            parts.push(count(edges.len() - drawn_citations, "link", "links"));
        }
        let edges = edges
            .iter()
            .zip(kinds)
            .map(|(&(a, b), kind)| EdgeView {
                from: a,
                to: b,
                d: format!(
                    "M{},{}L{},{}",
                    round(positions[a][0]),
                    round(positions[a][1]),
                    round(positions[b][0]),
                    round(positions[b][1])
                ),
                kind,
            })
            .collect();
        GraphView {
            width: WIDTH,
            rows: rows(site, &nodes, &refs),
            height: round(height),
            partial: nodes.len() < site.notes.len(),
            total_nodes: site.notes.len(),
            total_citations,
            total_links,
            citations: has.citations,
            links: has.links,
            summary: and_list(&parts),
            nodes: views,
            edges,
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The list beside the graph: the drawn notes, most referred to first, then by label.
fn rows(site: &Site, nodes: &[usize], refs: &Refs) -> Vec<RowView> {
    let mut rows: Vec<(usize, RowView)> = nodes
        .iter()
        .map(|&i| {
            let row = RowView {
                label: label(site, i),
                title: site.notes[i].title.clone(),
                url: site.url_of(i),
                kind: kind_name(site.notes[i].kind),
                cited_by: refs.cited_by[i],
                cites: refs.cites(i),
                linked_from: refs.linked_from[i],
                links_to: refs.links_to[i],
            };
            (usize::MAX - refs.referred[i], row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.label.cmp(&b.1.label)));
    rows.into_iter().map(|(_, r)| r).collect()
}
