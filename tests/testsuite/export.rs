//! The exports lose nothing: `references.json` is valid CSL data (checked against the CSL
//! schema) and imports back to the same file; `references.bib` reads back, with the biblatex
//! crate and through `gloss import`, to the same fields; each source page offers both and carries
//! Highwire Press meta tags. Tested on the bundled review and on a site with every type and the
//! awkward cases (particles, suffixes, organisations, LaTeX's special characters).

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use biblatex::{Bibliography, Chunk, ChunksExt};
use common::{TestSite, attrs, copy_dir, repo_root, stderr, texts};
use gloss::note::{NoteKind, SourceMeta, parse};

fn gloss_import(site: &TestSite, files: &[&Path]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("import")
        .args(["--root", site.root().to_str().unwrap()])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The bundled review, as a site of its own.
fn bundled_review() -> TestSite {
    let site = TestSite::new();
    copy_dir(&repo_root().join("content"), &site.root().join("content"));
    std::fs::copy(repo_root().join("site.yaml"), site.root().join("site.yaml")).unwrap();
    site
}

/// Notes the import fixtures do not have: a magazine, names BibTeX could split wrongly, LaTeX's
/// special characters, an e-print outside arXiv, in press and undated works.
const AWKWARD: &[(&str, &str)] = &[
    (
        "magazine2024",
        "---\ntype: magazine\ntitle: \"The ~ tilde, 100% & $5 #1 a_b ^ x \\\\* star, a \\\\ and “quotes”; *Kim* and **bold**\"\nauthors:\n  - \"De Souza, Maria\"\n  - {family: \"Cruz\", given: \"María\", particle: \"de la\"}\n  - {family: \"de la Cruz\", given: \"Ana\"}\n  - {family: \"Stein\", given: \"Karl\", dropping: \"von\"}\n  - \"Obama, II, Barack\"\n  - {name: \"Johnson and Johnson\"}\n  - \"{University of California, Berkeley}\"\n  - {family: \"Gogh\", particle: \"van\"}\n  - {family: \"Sun\", given: \"Yat-sen\", particle: \"De\"}\nyear: \"in press\"\ncontainer: \"The *New* Yorker\"\nvolume: \"99\"\nissue: \"12\"\npages: \"12-14\"\nlanguage: \"en-US\"\n---\nBody.\n",
    ),
    (
        "preprint2024",
        "---\ntype: preprint\ntitle: \"Cells in p < 0.05 and x > y conditions\"\nauthors: [\"Brandt, J. F.\"]\nyear: 2024\nissued: 2024-02\npublisher: \"bioRxiv\"\ndoi: \"10.1101/2024.02.01.123456\"\nlanguage: \"zz\"\n---\n",
    ),
    (
        "thesis2019",
        "---\ntype: thesis\ntitle: \"Reading in the margins\"\nauthors: [\"Lyons, Kathleen\"]\nyear: 2019\ngenre: \"Doctoral dissertation\"\npublisher: \"University of Edinburgh\"\nnumber: \"28123456\"\narchive: \"ProQuest Dissertations and Theses Global\"\neprint: \"PQ-28123456\"\n---\n",
    ),
    (
        "classic",
        "---\ntype: other\ntitle: \"Meditations\"\nauthors: [\"Marcus Aurelius\"]\ntranslators: [\"Hays, Gregory\"]\nyear: n.d.\noriginal_year: 180\nedition: \"Modern Library\"\naccessed: 2023\nurl: \"https://example.org/meditations\"\nlanguage: \"Greek (Koine)\"\nabbreviation: \"MA\"\n---\n",
    ),
    (
        "case2021",
        "---\ntype: case\ntitle: \"Harlow v. Millbrook Water Co.\"\nshort_title: \"Harlow\"\nyear: 2021\ncontainer: \"Federal Reporter, Fourth Series\"\ncontainer_short: \"F.4th\"\nvolume: \"9\"\npages: \"1219\"\nauthority: \"10th Cir.\"\njurisdiction: \"us\"\n---\n",
    ),
    (
        "statute1972",
        "---\ntype: legislation\ntitle: \"Clean Water Act\"\nyear: 1972\ncontainer: \"U.S.C.\"\nvolume: \"33\"\nsection: \"1251\"\nauthority: \"Congress\"\n---\n",
    ),
    (
        "nemanic-2003missing",
        "---\nkey: \"nemanić:2003missing\"\ntype: book\ntitle: \"Salt roads\"\nauthors: [\"Nemanić, Ana\", \"others\"]\nyear: 1995\nvolumes: \"20\"\npage_count: \"350\"\ncatalog: \"JSTOR\"\n---\n",
    ),
    (
        "blog2020",
        "---\ntype: post\ntitle: \"What the tide tables forgot\"\nauthors: [\"Delacroix, Amélie\"]\nyear: 2020\nissued: 2020-04-18\ncontainer: \"Marginalia Maritima\"\nurl: \"https://example.org/blog/a---b\"\n---\n",
    ),
    (
        "wiki2020",
        "---\ntype: entry\ntitle: \"Stilt house\"\nyear: 2020\ncontainer: \"Wikipedia\"\nurl: \"https://en.wikipedia.org/wiki/Stilt_house\"\n---\n",
    ),
    (
        "conference2022",
        "---\ntype: conference\ntitle: \"A talk\"\nauthors: [\"Kim, Soo-yeon\"]\nyear: 2022\nevent: \"Annual Meeting of the Society\"\n---\n",
    ),
];

/// The import fixtures (every type) plus [`AWKWARD`], in one site.
fn every_type() -> TestSite {
    let site = TestSite::new();
    let fixtures = repo_root().join("tests/fixtures/import");
    gloss_import(
        &site,
        &[
            &fixtures.join("zotero.bib"),
            &fixtures.join("better-biblatex.bib"),
            &fixtures.join("library.json"),
        ],
    );
    for (key, text) in AWKWARD {
        site.write(&format!("content/sources/{key}.md"), text);
    }
    site
}

fn built(site: &TestSite, file: &str) -> String {
    site.build_ok();
    site.read_out(file)
}

/// Every source note of a site: key → (title, fields).
fn notes(site: &TestSite) -> BTreeMap<String, (String, SourceMeta)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(site.root().join("content/sources")).unwrap() {
        let path = entry.unwrap().path();
        let key = path.file_stem().unwrap().to_string_lossy().into_owned();
        if key.starts_with('_') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (note, diags) = parse(NoteKind::Source, &key, "x.md", &text);
        let note = note.unwrap_or_else(|| panic!("{key}: {diags:?}"));
        let meta = note.source.unwrap();
        out.insert(
            key,
            (
                note.title,
                SourceMeta {
                    doi_line: 0,
                    pages: meta.pages.as_ref().map(|p| p.replace('-', "–")),
                    ..meta
                },
            ),
        );
    }
    out
}

fn validator() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = repo_root().join("tests/fixtures/csl/csl-data.json");
    let index = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .expect("the CSL schema compiles");
    (schemas, index)
}

#[test]
fn references_json_is_valid_csl_data() {
    let (schemas, index) = validator();
    // The check can fail: a date given as text where the schema wants date parts.
    let bad: serde_json::Value =
        serde_json::from_str(r#"[{"id": "x", "type": "book", "issued": {"date-parts": "2020"}}]"#)
            .unwrap();
    assert!(schemas.validate(&bad, index).is_err());
    let bad: serde_json::Value = serde_json::from_str(
        r#"[{"id": "x", "type": "book", "author": [{"family": "A", "initials": "B"}]}]"#,
    )
    .unwrap();
    assert!(schemas.validate(&bad, index).is_err());
    for site in [bundled_review(), every_type()] {
        let json: serde_json::Value =
            serde_json::from_str(&built(&site, "references.json")).unwrap();
        if let Err(e) = schemas.validate(&json, index) {
            panic!("references.json is not valid CSL data: {e}");
        }
    }
}

#[test]
fn references_json_carries_every_field_under_its_csl_name() {
    let site = every_type();
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&built(&site, "references.json")).unwrap();
    let item = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let marx = item("marx1976");
    assert_eq!(marx["translator"][0]["family"], "Fowkes");
    assert_eq!(
        marx["original-date"]["date-parts"],
        serde_json::json!([[1867]])
    );
    assert_eq!(marx["collection-title"], "Penguin classics");
    let gates = item("gates1988");
    assert_eq!(gates["author"][0]["suffix"], "Jr.");
    let vdb = item("vanderberg2019");
    assert_eq!(vdb["author"][0]["non-dropping-particle"], "van der");
    assert_eq!(
        vdb["accessed"]["date-parts"],
        serde_json::json!([[2023, 2, 14]])
    );
    assert_eq!(
        vdb["issued"]["date-parts"],
        serde_json::json!([[2019, 5, 3]])
    );
    assert_eq!(
        item("lafontaine2012")["author"][0]["dropping-particle"],
        "de"
    );
    assert_eq!(item("lafontaine2012")["genre"], "Mémoire de master");
    assert_eq!(
        item("imf2021")["author"][0]["literal"],
        "International Monetary Fund"
    );
    assert_eq!(item("imf2021")["number"], "21/104");
    assert_eq!(item("unodc2022")["custom"]["author-short"], "UNODC");
    assert_eq!(item("tanaka2020")["event-title"], "ACL 2020");
    assert_eq!(item("ucdp2023")["version"], "23.1");
    assert_eq!(item("magazine2024")["status"], "in press");
    assert_eq!(item("magazine2024")["type"], "article-magazine");
    assert_eq!(item("zhang2021")["type"], "article");
    assert_eq!(item("zhang2021")["number"], "arXiv:2103.01234");
    assert_eq!(
        item("moreau2020")["title"],
        "Why <i>Homo economicus</i> misreads insurgency: eBay-style reputation in rebel markets"
    );
    assert_eq!(
        item("world_health_organization_global_2022")["collection-number"],
        "1041"
    );
    assert_eq!(
        item("world_health_organization_global_2022")["edition"],
        "2"
    );
    assert_eq!(item("thesis2019")["custom"]["eprint"], "PQ-28123456");
    let case = item("case2021");
    assert_eq!(case["type"], "legal_case");
    assert_eq!(case["authority"], "10th Cir.");
    assert_eq!(case["container-title-short"], "F.4th");
    assert_eq!(case["title-short"], "Harlow");
    assert_eq!(case["jurisdiction"], "us");
    assert_eq!(item("statute1972")["type"], "legislation");
    assert_eq!(item("statute1972")["section"], "1251");
    let book = item("nemanić:2003missing");
    assert_eq!(book["number-of-volumes"], "20");
    assert_eq!(book["number-of-pages"], "350");
    assert_eq!(book["source"], "JSTOR");
    assert_eq!(book["author"][1]["literal"], "others");
    assert_eq!(item("blog2020")["type"], "post-weblog");
    assert_eq!(item("blog2020")["URL"], "https://example.org/blog/a---b");
    assert_eq!(item("wiki2020")["type"], "entry-encyclopedia");
}

/// Imports `file` of `site`'s build into an empty site and builds that.
fn reimported(site: &TestSite, file: &str) -> TestSite {
    let copy = TestSite::new();
    built(site, file);
    gloss_import(&copy, &[&site.out().join(file)]);
    copy
}

/// The two sites' notes say the same, note for note.
fn same_notes(site: &TestSite, copy: &TestSite) {
    let (want, got) = (notes(site), notes(copy));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>()
    );
    for (key, want) in &want {
        assert_eq!(&got[key], want, "{key}");
    }
}

#[test]
fn importing_references_json_and_exporting_again_gives_the_same_file() {
    for site in [bundled_review(), every_type()] {
        let first = built(&site, "references.json");
        let copy = reimported(&site, "references.json");
        same_notes(&site, &copy);
        assert_eq!(built(&copy, "references.json"), first);
    }
}

#[test]
fn references_bib_reads_back_to_the_same_fields() {
    for site in [bundled_review(), every_type()] {
        let first = built(&site, "references.bib");
        let copy = reimported(&site, "references.bib");
        let (want, got) = (notes(&site), notes(&copy));
        assert_eq!(
            want.keys().collect::<Vec<_>>(),
            got.keys().collect::<Vec<_>>()
        );
        for (key, want) in &want {
            assert_eq!(&got[key], want, "{key}");
        }
        assert_eq!(built(&copy, "references.bib"), first);
    }
}

/// The name parts BibTeX itself reads, through the biblatex crate.
#[test]
fn references_bib_is_bibtex_that_splits_names_and_keeps_capitals() {
    let site = every_type();
    let text = built(&site, "references.bib");
    assert!(
        !text.contains("\\~"),
        "a literal tilde is not the tilde accent"
    );
    let bib = Bibliography::parse(&text).expect("references.bib parses");
    let authors = |key: &str| bib.get(key).unwrap().author().unwrap();
    let vdb = &authors("ahmed_trust_2021")[2];
    assert_eq!(
        (
            vdb.prefix.as_str(),
            vdb.name.as_str(),
            vdb.given_name.as_str()
        ),
        ("van der", "Berg", "Jan")
    );
    let king = &authors("king_negro_1963")[0];
    assert_eq!(
        (
            king.name.as_str(),
            king.suffix.as_str(),
            king.given_name.as_str()
        ),
        ("King", "Jr.", "Martin Luther")
    );
    let who = &authors("world_health_organization_global_2022");
    assert_eq!(who.len(), 1);
    assert_eq!(
        (who[0].name.as_str(), who[0].given_name.as_str()),
        ("World Health Organization", "")
    );
    let m = authors("magazine2024");
    let parts: Vec<(&str, &str, &str, &str)> = m
        .iter()
        .map(|p| {
            (
                p.prefix.as_str(),
                p.name.as_str(),
                p.suffix.as_str(),
                p.given_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("", "De Souza", "", "Maria"),
            ("de la", "Cruz", "", "María"),
            ("", "de la Cruz", "", "Ana"),
            ("von", "Stein", "", "Karl"),
            ("", "Obama", "II", "Barack"),
            ("", "Johnson and Johnson", "", ""),
            ("", "University of California, Berkeley", "", ""),
            ("van", "Gogh", "", ""),
            ("De", "Sun", "", "Yat-sen"),
        ]
    );
    assert_eq!(
        m[3].use_prefix,
        Some(false),
        "von Stein's particle is a dropping one"
    );
    // Capitals in titles are braced, so styles that lower-case titles keep them.
    let title = bib.get("ahmed_trust_2021").unwrap().title().unwrap();
    let protected: Vec<&str> = title
        .iter()
        .filter_map(|c| match &c.v {
            Chunk::Verbatim(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        protected.iter().any(|s| s.contains("Pakistan")),
        "{protected:?}"
    );
    assert!(
        protected.iter().any(|s| s.contains("United")),
        "{protected:?}"
    );
    let m = bib.get("magazine2024").unwrap();
    assert_eq!(
        m.title().unwrap().format_verbatim(),
        "The ~ tilde, 100% & $5 #1 a_b ^ x * star, a \\ and “quotes”; \\emph{Kim} and \\textbf{bold}"
    );
    assert_eq!(m.get("entrysubtype").unwrap().format_verbatim(), "magazine");
    assert_eq!(m.get("pubstate").unwrap().format_verbatim(), "inpress");
    let thesis = bib.get("okonkwo2017").unwrap();
    assert_eq!(thesis.entry_type.to_string(), "phdthesis");
    assert_eq!(
        thesis.get("school").unwrap().format_verbatim(),
        "London School of Economics and Political Science"
    );
}

#[test]
fn source_pages_offer_both_exports_and_highwire_meta_tags() {
    let site = every_type();
    site.build_ok();
    let page = site.html("sources/haider_frontier_2016/index.html");
    let meta = |name: &str| attrs(&page, &format!("meta[name=\"{name}\"]"), "content");
    assert_eq!(
        meta("citation_title"),
        ["Frontier Governance and the Durand Line"]
    );
    assert_eq!(meta("citation_author"), ["Haider, Ziad"]);
    assert_eq!(meta("citation_editor"), ["Rahman, Tariq", "Doe, Jane Q."]);
    assert_eq!(meta("citation_publication_date"), ["2016"]);
    assert_eq!(
        meta("citation_inbook_title"),
        ["The Oxford Handbook of Pakistani Politics"]
    );
    assert_eq!(
        (meta("citation_firstpage"), meta("citation_lastpage")),
        (vec!["45".to_string()], vec!["67".to_string()])
    );
    assert_eq!(meta("citation_isbn"), ["978-0-19-876543-2"]);
    let bibtex = texts(&page, "pre.bibtex code").concat();
    let entry = Bibliography::parse(&bibtex).expect("the page's BibTeX parses");
    assert_eq!(
        entry.get("haider_frontier_2016").unwrap().pages().unwrap(),
        biblatex::PermissiveType::Typed(std::iter::once(45..67).collect::<Vec<_>>())
    );
    let csl: serde_json::Value = serde_json::from_str(&texts(&page, "pre.csl-json code").concat())
        .expect("the page's CSL-JSON parses");
    assert_eq!(csl["id"], "haider_frontier_2016");
    assert_eq!(
        csl["container-title"],
        "The Oxford Handbook of Pakistani Politics"
    );

    let page = site.html("sources/muller_transnational_2019/index.html");
    let meta = |name: &str| attrs(&page, &format!("meta[name=\"{name}\"]"), "content");
    assert_eq!(
        meta("citation_author"),
        ["Müller, Jürgen", "Lefèvre, François"]
    );
    assert_eq!(
        meta("citation_journal_title"),
        ["Journal of Peace Research"]
    );
    assert_eq!(
        (meta("citation_volume"), meta("citation_issue")),
        (vec!["56".to_string()], vec!["3".to_string()])
    );
    assert_eq!(meta("citation_publication_date"), ["2019/05"]);
    assert_eq!(meta("citation_doi"), ["10.1177/0022343319831234"]);
    assert_eq!(meta("citation_issn"), ["0022-3433"]);
    assert_eq!(
        meta("citation_public_url"),
        ["https://journals.example.org/doi/10.1177/0022343319831234"]
    );

    let page = site.html("sources/okonkwo2017/index.html");
    let meta = |name: &str| attrs(&page, &format!("meta[name=\"{name}\"]"), "content");
    assert_eq!(
        meta("citation_dissertation_institution"),
        ["London School of Economics and Political Science"]
    );
    let page = site.html("sources/imf2021/index.html");
    let meta = |name: &str| attrs(&page, &format!("meta[name=\"{name}\"]"), "content");
    assert_eq!(meta("citation_technical_report_number"), ["21/104"]);
    assert_eq!(meta("citation_author"), ["International Monetary Fund"]);
    let page = site.html("sources/tanaka2020/index.html");
    let meta = |name: &str| attrs(&page, &format!("meta[name=\"{name}\"]"), "content");
    assert_eq!(
        meta("citation_conference_title"),
        ["Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics"]
    );
    // Markdown italics are not in the meta tags; the page of a theme has none.
    let page = site.html("sources/lee_emph_2020/index.html");
    assert_eq!(
        attrs(&page, "meta[name=\"citation_title\"]", "content"),
        ["Reading Kim Again: Empire, Espionage and the Great Game in Fiction"]
    );
    let index = site.html("bibliography/index.html");
    assert!(attrs(&index, "meta[name=\"citation_title\"]", "content").is_empty());
}

#[test]
fn a_page_range_is_one_range_in_the_reference_and_in_both_exports() {
    // `A-7` printed `A–7` in the APA reference but stayed `A-7` in references.bib and
    // references.json: three rules. pandoc's citeproc and biber both read a hyphen between two
    // parts as a range, so every output writes the range: an en dash, `--` in BibTeX.
    let site = TestSite::new();
    for (key, pages) in [
        ("a", "A-7"),
        ("b", "xii - xv"),
        ("c", "e0248123"),
        ("d", "15--30"),
    ] {
        site.write(
            &format!("content/sources/{key}.md"),
            &format!("---\ntype: article\ntitle: Work {key}\nauthors: [\"Doe, J.\"]\nyear: 2020\ncontainer: Journal\nvolume: \"3\"\npages: \"{pages}\"\n---\n"),
        );
    }
    site.build_ok();
    let want = [
        ("a", "A–7"),
        ("b", "xii–xv"),
        ("c", "e0248123"),
        ("d", "15–30"),
    ];

    let html = site.html("bibliography/index.html");
    let references = texts(&html, "li[id^=ref-] .ref");
    for (key, pages) in want {
        let entry = references
            .iter()
            .find(|r| r.contains(&format!("Work {key}.")))
            .unwrap_or_else(|| panic!("{key} in {references:?}"));
        assert!(entry.ends_with(&format!("Journal, 3, {pages}.")), "{entry}");
    }

    let bib = Bibliography::parse(&site.read_out("references.bib")).expect("references.bib parses");
    let json: serde_json::Value = serde_json::from_str(&site.read_out("references.json")).unwrap();
    for (key, pages) in want {
        let field = bib
            .get(key)
            .unwrap()
            .get("pages")
            .unwrap()
            .format_verbatim();
        // The crate reads `--` as the en dash it stands for.
        assert_eq!(field, pages, "{key} in references.bib");
        let item = json
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == key)
            .unwrap();
        assert_eq!(item["page"], pages, "{key} in references.json");
    }
}

/// A site whose source keys and titles try to end their BibTeX entry and start another, and
/// whose titles would run as spreadsheet formulas.
fn hostile_exports() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/sources/forged.md",
        "---\ncitekey: \"forged}, title = {x}}\\n@misc{added,\\n  title = {Added\"\ntype: article\ntitle: \"x}, journal = {INJECTED\"\nauthors: [\"Smith, Ann}\"]\nyear: 2020\n---\n",
    )
    .write(
        "content/sources/plain.md",
        "---\ntype: article\ntitle: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"\nauthors: [\"Doe, Jo\"]\nyear: 2021\n---\n",
    )
    .write(
        "content/themes/t.md",
        "---\ntitle: \"@SUM(1+1)\"\n---\nSee [@plain].\n",
    );
    site
}

/// Every entry of a BibTeX text as the biblatex crate reads it: key → (field → plain text).
fn bib_entries(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let bib = Bibliography::parse(text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    bib.iter()
        .map(|e| {
            let fields = e
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.format_verbatim()))
                .collect();
            (e.key.clone(), fields)
        })
        .collect()
}

#[test]
fn references_bib_cannot_be_forged_by_a_key_or_a_value() {
    let site = hostile_exports();
    let text = built(&site, "references.bib");
    let entries = bib_entries(&text);
    assert_eq!(
        entries.len(),
        2,
        "one entry per source, none added:\n{text}"
    );
    assert!(!entries.contains_key("added"), "{text}");
    let forged = entries
        .iter()
        .find(|(k, _)| k.starts_with("forged"))
        .unwrap_or_else(|| panic!("{text}"))
        .1;
    assert!(!forged.contains_key("journal"), "{forged:?}");
    assert!(forged["title"].contains("INJECTED"), "{forged:?}");
    // pybtex, when it is there, reads the same two entries (BibTeX's own brace counting).
    if let Ok(out) = Command::new("python3")
        .args([
            "-c",
            "import sys, pybtex.database as d; b = d.parse_string(sys.stdin.read(), 'bibtex'); \
             print(len(b.entries)); print(sorted(f for e in b.entries.values() for f in e.fields))",
        ])
        .stdin(std::fs::File::open(site.out().join("references.bib")).unwrap())
        .output()
        && out.status.success()
    {
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.starts_with("2\n"), "{said}");
        assert!(!said.contains("journal"), "{said}");
    }
    // The key that cannot be a BibTeX key is named by `gloss check`.
    let check = site.check();
    let err = common::stdout(&check);
    assert!(
        err.contains("content/sources/forged.md") && err.contains("BibTeX key"),
        "{err}"
    );
}

#[test]
fn matrix_csv_cells_never_run_as_formulas() {
    let site = hostile_exports();
    let text = built(&site, "matrix.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let cells = header.iter().chain(rows.iter().flatten());
    for cell in cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a spreadsheet would run {cell:?}"
        );
    }
    assert!(
        header.contains(&"'@SUM(1+1): cites".to_string()),
        "{header:?}"
    );
    assert!(
        rows.iter().flatten().any(|c| c.starts_with("'=HYPERLINK")),
        "{rows:?}"
    );
}
