//! Code blocks highlighted by syntect with CSS classes (no inline colours), so one generated
//! stylesheet themes them for light and dark.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::html::escape_html;

/// Class prefix for syntect's highlighting spans (the theme's CSS is generated with the same).
pub(crate) const HIGHLIGHT_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A highlighted code block with CSS classes (no inline colours), or plain escaped code.
pub(super) fn highlight(code: &str, lang: &str) -> String {
    let set = syntax_set();
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(r#" data-lang="{}""#, escape_html(lang))
    };
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let inner = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, set, HIGHLIGHT_CLASS_STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    format!("<pre class=\"code\"{lang_attr}><code>{inner}</code></pre>\n")
}
