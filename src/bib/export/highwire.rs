//! A source's Highwire Press `citation_*` meta tags, which Google Scholar and Zotero's browser
//! connector read to save the work a page describes.

use crate::bib::markup;
use crate::bib::model::{EntryType, Year};
use crate::bib::reference::SourceInput;
use crate::cite::page_bounds;

/// The tags, in order, as (name, content); content is plain text (the template escapes it).
pub(crate) fn tags(source: &SourceInput<'_>) -> Vec<(&'static str, String)> {
    let meta = source.meta;
    let mut tags = vec![("citation_title", markup::plain(source.title))];
    for a in &meta.authors {
        tags.push((
            "citation_author",
            a.display().trim_matches(['{', '}']).to_string(),
        ));
    }
    for e in &meta.editors {
        tags.push((
            "citation_editor",
            e.display().trim_matches(['{', '}']).to_string(),
        ));
    }
    let date = match (meta.issued, meta.year) {
        (Some(d), _) => Some(d.to_string().replace('-', "/")),
        (None, Year::Known(y)) => Some(y.to_string()),
        _ => None,
    };
    if let Some(d) = date {
        tags.push(("citation_publication_date", d.clone()));
        tags.push(("citation_date", d));
    }
    let plain = |v: &Option<String>| v.as_deref().map(markup::plain);
    let container = match meta.entry_type {
        EntryType::Article | EntryType::Magazine | EntryType::Newspaper => {
            Some("citation_journal_title")
        }
        EntryType::Chapter => Some("citation_inbook_title"),
        EntryType::Conference => Some("citation_conference_title"),
        _ => None,
    };
    if let (Some(name), Some(c)) = (container, plain(&meta.container)) {
        tags.push((name, c));
    }
    if meta.entry_type == EntryType::Conference
        && meta.container.is_none()
        && let Some(e) = plain(&meta.event)
    {
        tags.push(("citation_conference_title", e));
    }
    let publisher = match meta.entry_type {
        EntryType::Thesis => "citation_dissertation_institution",
        EntryType::Report => "citation_technical_report_institution",
        _ => "citation_publisher",
    };
    for (name, value) in [
        (publisher, plain(&meta.publisher)),
        ("citation_volume", meta.volume.clone()),
        ("citation_issue", meta.issue.clone()),
    ] {
        if let Some(v) = value {
            tags.push((name, v));
        }
    }
    if let Some(pages) = &meta.pages {
        let (first, last) = page_bounds(pages);
        tags.extend(first.map(|p| ("citation_firstpage", p)));
        tags.extend(last.map(|p| ("citation_lastpage", p)));
    }
    if meta.entry_type == EntryType::Report
        && let Some(n) = &meta.number
    {
        tags.push(("citation_technical_report_number", n.clone()));
    }
    for (name, value) in [
        ("citation_doi", &meta.doi),
        ("citation_isbn", &meta.isbn),
        ("citation_issn", &meta.issn),
        ("citation_language", &meta.language),
    ] {
        if let Some(v) = value {
            tags.push((name, v.clone()));
        }
    }
    if let Some(url) = &meta.url {
        let name = if url.to_lowercase().ends_with(".pdf") {
            "citation_pdf_url"
        } else {
            "citation_public_url"
        };
        tags.push((name, url.clone()));
    }
    if meta.archive.as_deref() == Some("arXiv")
        && let Some(id) = &meta.eprint
    {
        tags.push(("citation_arxiv_id", id.clone()));
    }
    tags
}
