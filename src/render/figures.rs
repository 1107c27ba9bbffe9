//! The pages of the views of the whole review: the synthesis matrix, the timeline and the
//! graph of citations and links, each a page view with its figure's input beside it ([`crate::overview`]).

use super::jobs::Job;
use super::reads::{Around, Marks, Part, Parts, Shown};
use super::views::{Extra, PageInput, Views};
use crate::overview::graph::GraphView;
use crate::overview::matrix::Matrix;
use crate::overview::timeline::TimelineView;

impl Views<'_> {
    /// The page of a figure's job.
    pub(super) fn figure(&self, job: &Job) -> PageInput {
        let site = self.site;
        let (kind, title, path, summary, name, extra) = match job {
            Job::Matrix => (
                "matrix",
                "Synthesis matrix",
                "matrix/",
                "Which themes cite which sources, and which sources carry which theme's tag.",
                "matrix",
                Extra::Matrix(Matrix::of(site).view(site)),
            ),
            Job::Timeline => (
                "timeline",
                "Timeline",
                "timeline/",
                "The sources by year of publication, the dated events of the review on the same axis, and the years each theme's works span.",
                "timeline",
                Extra::Timeline(TimelineView::of(site)),
            ),
            _ => {
                let graph = GraphView::of(site);
                let summary = match (graph.citations, graph.links) {
                    (true, true) => {
                        "Every note, the works it cites and the notes it links to: themes as squares, sources as circles, pages as diamonds, each sized by how many notes cite or link to it."
                    }
                    (false, true) => {
                        "Every note and the notes it links to, each sized by how many notes link to it: themes as squares, sources as circles, pages as diamonds."
                    }
                    _ => {
                        "Every note and the works it cites: themes as squares, sources as circles, pages as diamonds, each sized by how many notes cite it."
                    }
                };
                (
                    "graph",
                    "Graph",
                    "graph/",
                    summary,
                    "graph",
                    Extra::Graph(graph),
                )
            }
        };
        let mut page = self.empty_page(kind, title, path);
        page.summary = Some(summary.to_string());
        PageInput {
            page,
            extra: Some((name, extra)),
        }
    }
}

/// The figures of the whole review (the matrix, the timeline, the graph, the home page's glance
/// and its themes by weight): each note's name, tags, fields, counts, links and events.
pub(super) struct Figures;

impl Shown for Figures {
    const PARTS: Parts = Parts::of(&[
        Part::Key,
        Part::Title,
        Part::Tags,
        Part::Fields,
        Part::Year,
        Part::Reference,
        Part::CitedBy,
        Part::Tagged,
        Part::Cites,
        Part::CiteCounts,
        Part::Links,
        Part::Events,
    ]);

    fn shown_on(_: &Around<'_>, _: usize, marks: &mut dyn Marks) {
        marks.listings();
    }
}
