//! The page of one note: its body, tags, backlinks, bibliographic details and, for a theme, its
//! members and related themes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::jobs::is_theme;
use super::passages::context_html;
use super::views::{
    BacklinkView, Bodies, MemberView, MetaTag, NoteLink, PageView, SourceView, Views, kind_name,
};
use crate::bib::SourceInput;
use crate::bib::export;
use crate::graph::Backlink;
use crate::note::NoteKind;

/// How many passages of one note a backlink shows.
const MAX_CONTEXTS: usize = 3;

impl Views<'_> {
    pub(super) fn note_page(&self, i: usize, bodies: Bodies<'_>) -> PageView {
        let site = self.site;
        let note = &site.notes[i];
        let url_path = note.url_path();
        let mut page = self.empty_page(kind_name(note.kind), &note.title, &url_path);
        page.summary = note.summary.clone();
        page.draft = note.draft;
        page.content = bodies(i);
        page.tags = note.tags.iter().map(|t| self.tag_view(&t.slug)).collect();
        page.cited_in = self.backlinks(&site.cited_by[i]);
        page.linked_from = self.backlinks(&site.linked_from[i]);
        if let (Some(meta), Some(reference)) = (&note.source, site.references.get(&note.key)) {
            let input = SourceInput {
                key: &note.key,
                title: &note.title,
                meta,
            };
            page.source = Some(SourceView {
                key: note.key.clone(),
                entry_type: meta.entry_type.as_str(),
                year: meta.year.to_string(),
                authors: meta.authors.iter().map(|a| a.display()).collect(),
                container: meta.container.clone(),
                publisher: meta.publisher.clone(),
                doi: meta.doi.clone(),
                link: meta.url.clone(),
                reference: reference.html.clone(),
                in_text: format!("({}, {})", reference.in_text.author, reference.in_text.year),
                narrative: format!(
                    "{} ({})",
                    reference.in_text.narrative_author, reference.in_text.year
                ),
                bibtex: self.bibtex.get(&note.key).cloned().unwrap_or_default(),
                csl_json: export::item_json(&input),
                highwire: export::highwire_tags(&input)
                    .into_iter()
                    .map(|(name, content)| MetaTag { name, content })
                    .collect(),
                cites: site.cites[i]
                    .iter()
                    .filter(|&&t| t != i)
                    .map(|&t| self.note_link(t))
                    .collect(),
            });
        }
        if note.kind == NoteKind::Theme {
            let members = site.tags.get(&note.key).map(Vec::as_slice).unwrap_or(&[]);
            let mut sorted: Vec<usize> = members.iter().copied().filter(|&m| m != i).collect();
            sorted.sort_by_cached_key(|&n| {
                let note = &site.notes[n];
                let order = site.references.get(&note.key).map_or_else(
                    || Cow::Owned(note.title.to_lowercase().into_bytes()),
                    |r| Cow::Borrowed(r.sort_key.as_slice()),
                );
                (note.kind, order)
            });
            page.members = sorted
                .iter()
                .map(|&m| {
                    let member = &site.notes[m];
                    MemberView {
                        title: member.title.clone(),
                        url: site.url_of(m),
                        kind: kind_name(member.kind),
                        reference: site
                            .references
                            .get(&member.key)
                            .map(|r| r.html.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect();
            page.related = self.related_themes(i, members);
        }
        page
    }

    /// Themes most often tagged together with theme `i`, with the number of shared notes.
    fn related_themes(&self, i: usize, members: &[usize]) -> Vec<NoteLink> {
        let site = self.site;
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in members {
            for tag in &site.notes[m].tags {
                if tag.slug != site.notes[i].key && is_theme(self.site, &tag.slug) {
                    *counts.entry(tag.slug.as_str()).or_default() += 1;
                }
            }
        }
        let mut related: Vec<(&str, usize)> = counts.into_iter().collect();
        related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        related
            .into_iter()
            .take(6)
            .map(|(slug, count)| NoteLink {
                count,
                ..self.note_link(site.by_key[slug])
            })
            .collect()
    }

    /// One entry per referring note (links are sorted by note), with its first few passages.
    fn backlinks(&self, links: &[Backlink]) -> Vec<BacklinkView> {
        let mut views: Vec<(usize, BacklinkView)> = Vec::new();
        for b in links {
            let context = context_html(self.site, b.from, b.context, b.citation);
            match views.last_mut() {
                Some((from, view)) if *from == b.from => {
                    if view.contexts.len() < MAX_CONTEXTS && !view.contexts.contains(&context) {
                        view.contexts.push(context);
                    }
                }
                _ => {
                    let note = &self.site.notes[b.from];
                    views.push((
                        b.from,
                        BacklinkView {
                            title: note.title.clone(),
                            url: self.site.url_of(b.from),
                            kind: kind_name(note.kind),
                            contexts: vec![context],
                        },
                    ));
                }
            }
        }
        views.into_iter().map(|(_, v)| v).collect()
    }
}
