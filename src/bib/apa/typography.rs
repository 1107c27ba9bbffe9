//! Quotation marks and title case as pandoc's citeproc sets them: quotes made typographic and
//! alternated by depth (“outer ‘inner’ outer”, straight or curly in the source alike), an
//! unmatched opening single quote read as an apostrophe (`’04`); and CSL title case, chunk by
//! chunk, with citeproc's stop words (`of`, `de`, `d’`, `van`, …) and its rules for words after
//! a colon, hyphens and apostrophes.

/// Whether a quotation mark is double or single.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

/// What a character of the text is, once quotes are paired.
#[derive(Clone, Copy)]
enum Mark {
    Text,
    Apostrophe,
    /// An opening or closing mark of a pair, at a depth (1 outermost).
    Open(usize),
    Close(usize),
}

fn kind(c: char) -> Option<Kind> {
    match c {
        '"' | '“' | '”' => Some(Kind::Double),
        '\'' | '‘' | '’' => Some(Kind::Single),
        _ => None,
    }
}

/// Quotes made typographic and alternated by nesting, the outermost at `depth + 1` (a title
/// already inside quotation marks starts at depth 1): `"a 'b' c"` → “a ‘b’ c”. An apostrophe
/// inside or after a word is `’`; a straight double quote between spaces is left alone.
pub(crate) fn smart_quotes_at(s: &str, depth: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut marks = vec![Mark::Text; chars.len()];
    let mut stack: Vec<(usize, Kind)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(k) = kind(c) else { continue };
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let space_before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/\"'“‘".contains(p));
        let space_after = next.is_none_or(|n| n.is_whitespace());
        let closes_word = prev.is_some_and(|p| !p.is_whitespace())
            && next.is_none_or(|n| n.is_whitespace() || !n.is_alphanumeric());
        let opens = c != '”' && c != '’' && space_before && !space_after;
        if closes_word && stack.last().is_some_and(|&(_, top)| top == k) {
            let (open, _) = stack.pop().expect("checked");
            let level = depth + stack.len() + 1;
            marks[open] = Mark::Open(level);
            marks[i] = Mark::Close(level);
        } else if opens {
            stack.push((i, k));
        } else if c == '\'' {
            marks[i] = Mark::Apostrophe;
        } else if c == '"' && prev.is_some_and(|p| !p.is_whitespace()) {
            // A double quote closing one opened elsewhere (another run of text).
            marks[i] = Mark::Close(depth + 1);
        }
        // Any other typographic mark is kept as written (a German `„…“` or `‚…‘`).
    }
    // Opening marks never closed: a single one is an apostrophe (`’04`, `’Abdoh`), a double
    // one opens (its close is in another run of text).
    for (i, k) in stack {
        marks[i] = match (k, chars[i]) {
            (Kind::Single, _) => Mark::Apostrophe,
            (Kind::Double, '"') => Mark::Open(depth + 1),
            _ => Mark::Text,
        };
    }
    chars
        .iter()
        .zip(&marks)
        .map(|(&c, mark)| match mark {
            Mark::Apostrophe => '’',
            Mark::Open(level) if level % 2 == 1 => '“',
            Mark::Open(_) => '‘',
            Mark::Close(level) if level % 2 == 1 => '”',
            Mark::Close(_) => '’',
            Mark::Text => c,
        })
        .collect()
}

/// A comma or period after closing double quotation marks moved inside them, as American
/// English punctuates (CSL's `punctuation-in-quote` of the en-US locale): `“Bilbao”, ponencia`
/// → `“Bilbao,” ponencia`.
pub(crate) fn punctuation_in_quotes(s: &str) -> String {
    s.replace("”,", ",”").replace("”.", ".”")
}

/// Words citeproc leaves in lower case inside a title (CSL's list, and `about`, the particles
/// `van`, `von`, `de`, and the elided `d’`, `l’`).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet", "about",
    "van", "von", "de", "d", "l",
];

/// Where a word of a title stands, which decides its case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The first word, or the first after `:`, `.`, `?`, `!` and a space.
    Start,
    /// After a space or a hyphen.
    AfterSpace,
    /// Inside a word: after an apostrophe or a period with no space (`d’histoire`, `U.s.`).
    InsideWord,
    Last,
}

/// Title case as citeproc applies CSL's `text-case="title"`: a word all in lower case gets a
/// capital unless it is a stop word or a single letter inside the title (the first and last
/// word, and the first after a colon, always do); a word with a capital (`mBio`, `PLOS`,
/// `AFL-CIO`) is left as written, and so is what follows an apostrophe.
pub(crate) fn title_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    // The words: runs of letters and digits, by their char ranges.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            words.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut out: Vec<char> = chars.clone();
    let mut previous_end = 0;
    for (n, &(start, end)) in words.iter().enumerate() {
        let between: String = chars[previous_end..start].iter().collect();
        let place = if n == 0 {
            Place::Start
        } else if between.contains(char::is_whitespace) {
            let before_space = between.split(char::is_whitespace).next().unwrap_or("");
            if before_space.ends_with([':', '.', '?', '!']) {
                Place::Start
            } else {
                Place::AfterSpace
            }
        } else if between.chars().all(|c| "-–/".contains(c)) {
            Place::AfterSpace
        } else {
            Place::InsideWord
        };
        let place = match place {
            Place::AfterSpace if n + 1 == words.len() => Place::Last,
            other => other,
        };
        previous_end = end;
        let word: String = chars[start..end].iter().collect();
        if word.chars().any(char::is_uppercase) {
            continue;
        }
        let long = end - start > 1;
        let capital = match place {
            Place::Start => true,
            Place::Last => long || n == 0,
            Place::AfterSpace => long && !STOP_WORDS.contains(&word.as_str()),
            Place::InsideWord => false,
        };
        if capital && let Some(first) = chars[start].to_uppercase().next() {
            // A letter whose capital is one character (all but a few ligatures).
            if chars[start].to_uppercase().count() == 1 {
                out[start] = first;
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_alternate_by_depth_and_apostrophes_are_curly() {
        let q = |s: &str| smart_quotes_at(s, 0);
        assert_eq!(q("America's 'long war'"), "America’s “long war”");
        assert_eq!(q("the \"dbl 'inner' x\" y"), "the “dbl ‘inner’ x” y");
        assert_eq!(
            q("Thomlinson’s ‘Telling Stories: the “Crisis” of the 1970s’"),
            "Thomlinson’s “Telling Stories: the ‘Crisis’ of the 1970s”"
        );
        assert_eq!(
            q("Laudato Si’ with ‘Climate Justice’"),
            "Laudato Si’ with “Climate Justice”"
        );
        // An opening single quote never closed is an apostrophe.
        assert_eq!(q("ICRA ‘04. 2004"), "ICRA ’04. 2004");
        assert_eq!(q("Mohammad ‘Abdoh et la"), "Mohammad ’Abdoh et la");
        assert_eq!(q("Readers' notes"), "Readers’ notes");
        assert_eq!(
            q("Générations \"Laudato si'\""),
            "Générations “Laudato si’”"
        );
        // A straight quote between spaces is not a quotation mark.
        assert_eq!(
            q("GREEK \" SUPERLEAGUE \" 2006"),
            "GREEK \" SUPERLEAGUE \" 2006"
        );
        // Inside quotation marks, the title's own quotes are single.
        assert_eq!(smart_quotes_at("on \"x\"", 1), "on ‘x’");
        assert_eq!(
            punctuation_in_quotes("“Bilbao”, ponencia “x”."),
            "“Bilbao,” ponencia “x.”"
        );
        // Another language's quotation marks are left as they are.
        assert_eq!(q("„Open peer review“, PLOS"), "„Open peer review“, PLOS");
        assert_eq!(q("‚innen‘ und"), "‚innen‘ und");
    }

    #[test]
    fn title_case_as_citeproc() {
        for (written, cased) in [
            ("south asian studies", "South Asian Studies"),
            ("mBio", "mBio"),
            (
                "the journal of the early book society",
                "The Journal of the Early Book Society",
            ),
            ("what to look for", "What to Look For"),
            ("PLOS ONE", "PLOS ONE"),
            (
                "self-report in the lab: an aside",
                "Self-Report in the Lab: An Aside",
            ),
            (
                "archives de sciences sociales des religions",
                "Archives de Sciences Sociales Des Religions",
            ),
            (
                "revue de philologie, de littérature et d’histoire",
                "Revue de Philologie, de Littérature Et d’histoire",
            ),
            (
                "what is it about? an inquiry",
                "What Is It about? An Inquiry",
            ),
            ("proc. of the royal society", "Proc. Of the Royal Society"),
            ("u.s. news", "U.s. News"),
            ("x and y of z", "X and y of z"),
            (
                "in-between states and the in-crowd",
                "In-Between States and the in-Crowd",
            ),
            ("a study — of things", "A Study — of Things"),
            ("o’brien and d’arcy", "O’brien and d’arcy"),
            ("zeitschrift für papyrologie", "Zeitschrift Für Papyrologie"),
            (
                "blum v. international association of machinists, AFL-CIO",
                "Blum v. International Association of Machinists, AFL-CIO",
            ),
        ] {
            assert_eq!(title_case(written), cased, "{written}");
        }
    }
}
