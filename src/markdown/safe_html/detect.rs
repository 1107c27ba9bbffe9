//! What cleaning takes out of a piece of raw HTML, found with html5ever's tokenizer (the one
//! the cleaner's parser uses, so entities and odd spacing are read as a browser reads them):
//! each element, attribute and URL the [`policy`](super::policy) does not keep, with the line it
//! is on, for the note's warning.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};

use super::policy;
use crate::safe_url::{self, UrlKind};

/// A piece of raw HTML that cleaning takes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Removal {
    /// An element: `whole` when its content goes too (`<script>`, `<style>`), else its tags
    /// alone (`<font>`, `<form>`: the text inside stays).
    Element { tag: String, whole: bool },
    /// An event handler (`onclick`, `onerror`).
    Handler(String),
    /// A URL that may not load or lead where it is (`javascript:`, `data:text/html`, a frame
    /// that is not `https:`): the attribute and the URL's scheme.
    Url { attr: String, scheme: String },
    /// Any other attribute the policy does not keep (`srcdoc`, `formaction`).
    Attribute(String),
}

/// A removal and where it is: the line of the fragment (0-based), and the text to find on that
/// line for its column (`<script`, `onerror`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) line: usize,
    pub(crate) needle: String,
    pub(crate) removal: Removal,
}

impl Removal {
    /// What is removed, in a few words (`a <script> element`, `the event handler onerror`).
    pub(crate) fn describe(&self) -> String {
        match self {
            Removal::Element { tag, whole: true } => format!("a `<{tag}>` element"),
            Removal::Element { tag, whole: false } => format!("the tags of a `<{tag}>` element"),
            Removal::Handler(attr) => format!("an event handler `{attr}`"),
            Removal::Url { attr, scheme } if scheme.ends_with(':') => {
                format!("a `{scheme}` URL in `{attr}`")
            }
            Removal::Url { attr, scheme } => format!("a {scheme} URL in `{attr}`"),
            Removal::Attribute(attr) => format!("an attribute `{attr}`"),
        }
    }
}

/// The pieces of `fragment` that cleaning takes out, in order.
pub(crate) fn removals(fragment: &str) -> Vec<Found> {
    let tokenizer = Tokenizer::new(Sink::default(), Default::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.found.take()
}

/// A fragment's tokens as they come, with what they lose.
#[derive(Default)]
struct Sink {
    found: RefCell<Vec<Found>>,
}

impl Sink {
    fn push(&self, line: u64, needle: String, removal: Removal) {
        let line = usize::try_from(line)
            .unwrap_or(usize::MAX)
            .saturating_sub(1);
        self.found.borrow_mut().push(Found {
            line,
            needle,
            removal,
        });
    }

    /// A start tag: the element, or its attributes, that go.
    fn start_tag(&self, tag: &Tag, line: u64) {
        let name: &str = &tag.name;
        if !policy::tag_allowed(name) {
            let whole = policy::DROPPED_WHOLE.contains(&name);
            let removal = Removal::Element {
                tag: name.to_string(),
                whole,
            };
            self.push(line, format!("<{name}"), removal);
            return;
        }
        for attr in &tag.attrs {
            let attr_name: &str = &attr.name.local;
            if let Some(removal) = attribute_removal(name, attr_name, &attr.value) {
                self.push(line, attr_name.to_string(), removal);
            }
        }
    }
}

/// What cleaning does to attribute `attr="value"` (its name lowercase) of a kept element `tag`:
/// `None` when it is kept.
pub(crate) fn attribute_removal(tag: &str, attr: &str, value: &str) -> Option<Removal> {
    if !policy::attribute_allowed(tag, attr) {
        return Some(if attr.starts_with("on") {
            Removal::Handler(attr.to_string())
        } else {
            Removal::Attribute(attr.to_string())
        });
    }
    (!policy::value_allowed(tag, attr, value)).then(|| Removal::Url {
        attr: attr.to_string(),
        scheme: scheme_of(value),
    })
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        self.start_tag(&tag, line);
        // What follows these is text until their end tag, as a browser (and the cleaner's
        // parser) reads it: `<script>a<b</script>` holds no `<b>`.
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// How a URL reads for a warning: `javascript:`, `data:`, or what is wrong with it.
fn scheme_of(url: &str) -> String {
    match safe_url::kind(url) {
        UrlKind::Other(scheme) if !scheme.contains(' ') => format!("{scheme}:"),
        UrlKind::Other(why) => why,
        UrlKind::Web => "http:".to_string(),
        UrlKind::Local => "local".to_string(),
        UrlKind::Relative => "relative".to_string(),
    }
}
