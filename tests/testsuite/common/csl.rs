//! The CSL fixtures (`tests/fixtures/csl`): their CSL-JSON items as source notes, a site built
//! from them, and what it shows, read as pandoc's output is read (tests/testsuite/apa.rs, tests/testsuite/styles.rs).

use serde_json::Value;

use super::{TestSite, repo_root, stderr};

pub fn fixture(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/csl").join(rel)).unwrap()
}

/// A CSL-JSON name as gloss's front matter writes it.
pub fn name(n: &Value) -> yaml_serde::Value {
    let mut map = yaml_serde::Mapping::new();
    if let Some(literal) = n["literal"].as_str() {
        map.insert("name".into(), literal.into());
        return map.into();
    }
    for (csl, ours) in [
        ("family", "family"),
        ("given", "given"),
        ("non-dropping-particle", "particle"),
        ("dropping-particle", "dropping"),
        ("suffix", "suffix"),
    ] {
        if let Some(v) = n[csl].as_str() {
            map.insert(ours.into(), v.into());
        }
    }
    map.into()
}

pub fn date(v: &Value) -> Option<String> {
    let parts = v["date-parts"][0].as_array()?;
    let n: Vec<i64> = parts.iter().filter_map(Value::as_i64).collect();
    Some(match n.as_slice() {
        [y] => format!("{y}"),
        [y, m] => format!("{y}-{m:02}"),
        [y, m, d, ..] => format!("{y}-{m:02}-{d:02}"),
        _ => return None,
    })
}

/// A source note for a CSL-JSON item (CSL's fields under gloss's names).
pub fn note(item: &Value) -> String {
    let mut fm = yaml_serde::Mapping::new();
    let csl_type = item["type"].as_str().unwrap();
    let kind = match csl_type {
        "article-journal" => "article",
        "article-magazine" => "magazine",
        "article-newspaper" => "newspaper",
        "paper-conference" => "conference",
        "webpage" => "web",
        "article" => "preprint",
        "document" => "other",
        other => other,
    };
    fm.insert("type".into(), kind.into());
    let title = item["title"]
        .as_str()
        .unwrap()
        .replace("<i>", "*")
        .replace("</i>", "*");
    fm.insert("title".into(), title.into());
    for (csl, ours) in [
        ("author", "authors"),
        ("editor", "editors"),
        ("translator", "translators"),
    ] {
        if let Some(list) = item[csl].as_array() {
            let names: Vec<yaml_serde::Value> = list.iter().map(name).collect();
            fm.insert(ours.into(), names.into());
        }
    }
    match (date(&item["issued"]), item["status"].as_str()) {
        (Some(d), _) if d.len() > 4 => {
            fm.insert("issued".into(), d.into());
        }
        (Some(d), _) => {
            fm.insert("year".into(), d.into());
        }
        (None, Some("in press")) => {
            fm.insert("year".into(), "in press".into());
        }
        (None, _) => {
            fm.insert("year".into(), "n.d.".into());
        }
    }
    if let Some(d) = date(&item["original-date"]) {
        fm.insert("original_year".into(), d.into());
    }
    if let Some(d) = date(&item["accessed"]) {
        fm.insert("accessed".into(), d.into());
    }
    // A conference's place, when the item has no publisher's place to hold it.
    if item["publisher-place"].is_null()
        && let Some(place) = item["event-place"].as_str()
    {
        fm.insert("publisher_place".into(), place.into());
    }
    for (csl, ours) in [
        ("container-title", "container"),
        ("publisher", "publisher"),
        ("publisher-place", "publisher_place"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("page", "pages"),
        ("number", "number"),
        ("collection-title", "series"),
        ("edition", "edition"),
        ("genre", "genre"),
        ("event-title", "event"),
        ("version", "version"),
        ("DOI", "doi"),
        ("URL", "url"),
        ("language", "language"),
        ("archive", "archive"),
    ] {
        if let Some(v) = item[csl].as_str() {
            fm.insert(ours.into(), v.into());
        }
    }
    if let Some(short) = item["custom"]["author-short"].as_str() {
        fm.insert("abbreviation".into(), short.into());
    }
    format!(
        "---\n{}---\nAnnotation.\n",
        yaml_serde::to_string(&fm).unwrap()
    )
}

/// Text as compared: tags gone, entities decoded, whitespace collapsed, the one-character
/// ellipsis and three periods alike.
pub fn plain(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The markup that carries meaning (italics, links), with pandoc's `<em>` as gloss's `<i>` and
/// pandoc's bare `<span>`s around quoted titles dropped.
pub fn markup(html: &str) -> String {
    // A no-break space (a locale's `S. 5`) is whitespace, written as a character or an entity.
    html.replace("&nbsp;", "\u{a0}")
        .replace("<em>", "<i>")
        .replace("</em>", "</i>")
        .replace("<span>", "")
        .replace("</span>", "")
        // pandoc's layout of a numbered entry (IEEE): its number and its text.
        .replace(r#"<div class="csl-left-margin">"#, "")
        .replace(r#"<div class="csl-right-inline">"#, "")
        .replace("</div>", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Only the emphasis of some HTML (italics and bold, pandoc's `<em>` as gloss's `<i>`), with
/// whitespace collapsed: what a citation's markup is compared by.
pub fn emphasis(html: &str) -> String {
    let html = markup(html);
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        if ["<i>", "</i>", "<b>", "</b>", "<strong>", "</strong>"].contains(&tag) {
            out.push_str(&tag.replace("strong", "b"));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// A site of `items` (CSL-JSON) as source notes and one page, `citations/`, holding each of
/// `lines` as a paragraph; `site_yaml` is added to the test site's `site.yaml`.
pub fn site(items: &[&Value], lines: &[&str], site_yaml: &str) -> TestSite {
    let site = TestSite::new();
    for item in items {
        let id = item["id"].as_str().unwrap();
        site.write(&format!("content/sources/{id}.md"), &note(item));
    }
    let page: String = lines
        .iter()
        .enumerate()
        .map(|(n, line)| format!("C{}: {line}\n\n", n + 1))
        .collect();
    site.write(
        "content/citations.md",
        &format!("---\ntitle: Citations\n---\n{page}"),
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    if !site_yaml.is_empty() {
        let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write("site.yaml", &format!("{yaml}{site_yaml}"));
    }
    site
}

/// The reference list as the site's bibliography page shows it: (id, inner HTML of the entry),
/// in order; and the citations of its citations page, in order (the HTML of each paragraph's
/// first citation).
pub fn built(site: &TestSite) -> (Vec<(String, String)>, Vec<String>) {
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let bibliography = site.html("bibliography/index.html");
    let entry = scraper::Selector::parse("li[id^='ref-']").unwrap();
    let reference = scraper::Selector::parse(".ref").unwrap();
    let refs = bibliography
        .select(&entry)
        .map(|li| {
            let id = li.value().attr("id").unwrap()["ref-".len()..].to_string();
            let html = li
                .select(&reference)
                .next()
                .map(|r| r.inner_html())
                .unwrap_or_default();
            (id, html)
        })
        .collect();
    let citations_page = site.html("citations/index.html");
    let paragraph = scraper::Selector::parse(".prose p").unwrap();
    let citation = scraper::Selector::parse(".citation").unwrap();
    let citations = citations_page
        .select(&paragraph)
        .map(|p| {
            p.select(&citation)
                .next()
                .map(|c| c.html())
                .unwrap_or_default()
        })
        .collect();
    (refs, citations)
}
