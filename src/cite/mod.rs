//! Citations: Pandoc's syntax (`[@key, p. 4; @other]`, `[-@key]`, narrative `@key` and
//! `@key [p. 4]`: `syntax`); the locators APA spells out and CSL styles print their own way
//! (`locator`); page ranges, one rule for locators, references and exports (`pages`); the
//! composition of APA in-text citations from each source's pre-formatted author and year parts
//! (`compose`); and citations a CSL style printed, linked (`styled`).

mod compose;
mod locator;
mod pages;
mod styled;
mod syntax;

pub(crate) use compose::{AuthorStyle, CitedSource, InText, citation_html, citation_text};
pub(crate) use pages::{
    expanded as expanded_pages, first_and_last as page_bounds, is_plural as pages_plural,
    range as page_range,
};
pub(crate) use styled::{StyledCitation, StyledPart, styled_html, styled_text};
pub use syntax::{Citation, CiteItem, CiteMode};
pub(crate) use syntax::{key_at, parse_citation_label};
