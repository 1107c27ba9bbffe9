//! Issue 26's strictness that fits, on small vaults written here: what Obsidian shows as
//! unresolved (a note not written yet, a missing image, a heading the note lacks, a name two
//! notes share) builds, shown as Obsidian shows it, with warnings summed up by kind; Obsidian's
//! link syntax (heading paths, headings with math, fragments and queries, escaped bars in tables,
//! Excalidraw and canvas files); bare `@words`; notes whose names slug alike; KaTeX commands.

use crate::common;

use common::{TestSite, attrs, stderr, texts};

/// A site with `notes` (path under `content/`, text), built; its stderr.
fn vault(notes: &[(&str, &str)]) -> (TestSite, std::process::Output) {
    let site = TestSite::new();
    for (path, text) in notes {
        site.write(&format!("content/{path}"), text);
    }
    let out = site.build();
    (site, out)
}

fn built(notes: &[(&str, &str)]) -> (TestSite, String) {
    let (site, out) = vault(notes);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    (site, stderr(&out))
}

#[test]
fn notes_not_written_yet_and_missing_images_are_unresolved_links_summed_up() {
    let links: String = (0..12).map(|i| format!("[[Future note {i}]] ")).collect();
    let roadmap = format!(
        "Next: {links}and [[Another future note|a later one]].\n\n![[never-added.png]]\n\n![[diagram.png|300]]\n"
    );
    let (site, err) = built(&[("Roadmap.md", &roadmap)]);
    let page = site.html("roadmap/index.html");
    let unresolved = texts(&page, ".prose .unresolved");
    assert!(
        unresolved.contains(&"a later one".to_string()),
        "{unresolved:?}"
    );
    assert!(unresolved.contains(&"Future note 11".to_string()));
    assert!(unresolved.contains(&"never-added.png".to_string()));
    assert!(unresolved.contains(&"diagram.png".to_string()));
    assert!(attrs(&page, ".prose img", "src").is_empty());
    assert!(attrs(&page, ".prose a", "href").is_empty());
    // Thirteen links to no note are one line; the two images, too few to sum up, one each.
    assert!(
        err.contains("content/Roadmap.md:1:7: warning: 13 links point to no note (each is shown as an unresolved link, as Obsidian shows it) (this is the first; --verbose lists each)"),
        "{err}"
    );
    assert_eq!(err.matches("points to no note").count(), 0, "{err}");
    assert_eq!(err.matches("names no file").count(), 2, "{err}");
    let root = site.root().to_str().unwrap().to_string();
    let verbose = site.gloss(&["check", "--root", &root, "--verbose"]);
    let listed = common::stdout(&verbose);
    assert_eq!(listed.matches("points to no note").count(), 13, "{listed}");
}

#[test]
fn headings_are_found_by_path_and_by_text_and_a_missing_one_opens_the_note() {
    let (site, err) = built(&[
        (
            "Mechanics.md",
            "# Mechanics\n\n## Impulse\n### Linear impulse\nMomentum.\n\n## Angular\n### Linear impulse\nOther.\n\n## Norm-$2$ bound\nMath.\n\n## \"Quoted\" name\nQuotes.\n",
        ),
        (
            "Links.md",
            "- [[Mechanics#Angular#Linear impulse|path]]\n- [[Mechanics#Norm-$2$ bound|math]]\n- [[Mechanics#\"Quoted\" name|quoted]]\n- [[Mechanics#Renamed heading|renamed]]\n- Sold here: [[Village (E)#Events (p 48)#Dream Pies ([idea](https://example.org/pies))|Dream Pies]].\n\n![[Mechanics#Renamed heading]]\n",
        ),
        (
            "Village (E).md",
            "# Village (E)\n\n## Events (p 48)\n### Dream Pies ([idea](https://example.org/pies))\nA baker.\n",
        ),
    ]);
    let page = site.html("links/index.html");
    let links: Vec<(String, String)> = texts(&page, ".prose a")
        .into_iter()
        .zip(attrs(&page, ".prose a", "href"))
        .collect();
    let href = |text: &str| {
        links
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| panic!("no {text} in {links:?}"))
    };
    let mechanics = site.html("mechanics/index.html");
    let ids = attrs(&mechanics, ".prose h3", "id");
    // The second `Linear impulse`, the one under `Angular`.
    assert_eq!(href("path"), format!("/review/mechanics/#{}", ids[1]));
    let h2 = attrs(&mechanics, ".prose h2", "id");
    assert_eq!(href("math"), format!("/review/mechanics/#{}", h2[2]));
    assert_eq!(href("quoted"), format!("/review/mechanics/#{}", h2[3]));
    assert_eq!(href("renamed"), "/review/mechanics/");
    // A heading holding a Markdown link, in a heading path: one wikilink, not brackets as text.
    let village = site.html("village-e/index.html");
    let pies = attrs(&village, ".prose h3", "id");
    assert_eq!(
        href("Dream Pies"),
        format!("/review/village-e/#{}", pies[0])
    );
    assert!(!texts(&page, ".prose").join(" ").contains("[["));
    // The embed of a section the note lacks is a link to the note.
    assert_eq!(
        attrs(&page, ".prose a.embed-link", "href"),
        ["/review/mechanics/"]
    );
    assert_eq!(
        err.matches(
            "content/Mechanics.md has no heading `#Renamed heading`, so the link opens the note"
        )
        .count(),
        2,
        "{err}"
    );
    assert!(
        !err.contains("Norm") && !err.contains("Quoted") && !err.contains("Angular"),
        "{err}"
    );
}

#[test]
fn a_name_means_a_file_before_an_alias_and_the_nearest_of_two_files() {
    let (site, err) = built(&[
        ("Monsters/Nightmare.md", "A monster.\n"),
        (
            "Characters/Shadowmere.md",
            "---\naliases: [Nightmare]\n---\nA horse.\n",
        ),
        ("Places/Ravenloft.md", "The land.\n"),
        ("Places/Old/Ravenloft.md", "An older note.\n"),
        (
            "Bestiary.md",
            "The steed: [[Nightmare]]. The land: [[Ravenloft]].\n",
        ),
    ]);
    let page = site.html("bestiary/index.html");
    assert_eq!(
        attrs(&page, ".prose a", "href"),
        ["/review/monsters/nightmare/", "/review/places/ravenloft/"]
    );
    assert!(!err.contains("[[Nightmare]]"), "{err}");
    assert!(
        err.contains("content/Bestiary.md:1:37: warning: wikilink [[Ravenloft]] names several notes: it goes to content/Places/Ravenloft.md, as Obsidian does (also content/Places/Old/Ravenloft.md)"),
        "{err}"
    );
}

#[test]
fn attachments_keep_fragments_queries_and_table_escapes_out_of_their_names() {
    let site = TestSite::new();
    site.write_bytes("content/theme.m4a", b"audio")
        .write_bytes("content/maps/map.html", b"<p>map</p>")
        .write_bytes("content/plot.png", b"png")
        .write(
            "content/Music.md",
            "![[theme.m4a#loop]]\n\n![[map.html?img=Harbor.jpg]]\n",
        )
        .write(
            "content/Gallery.md",
            "| Figure | Notes |\n| --- | --- |\n| ![[plot.png\\|bookhue\\|150]] | an image |\n| [[Gallery#Notes\\|the notes]] | a link |\n\n## Notes\nNothing else.\n",
        );
    let out = site.build_ok();
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let music = site.html("music/index.html");
    assert_eq!(attrs(&music, ".prose audio", "src"), ["/review/theme.m4a"]);
    assert_eq!(
        attrs(&music, ".prose a.attachment", "href"),
        ["/review/maps/map.html"]
    );
    let gallery = site.html("gallery/index.html");
    assert_eq!(attrs(&gallery, "td img", "src"), ["/review/plot.png"]);
    assert_eq!(attrs(&gallery, "td img", "width"), ["150"]);
    assert_eq!(attrs(&gallery, "td img", "alt"), ["bookhue"]);
    assert_eq!(attrs(&gallery, "td a", "href"), ["/review/gallery/#notes"]);
    assert_eq!(texts(&gallery, "td a"), ["the notes"]);
}

#[test]
fn excalidraw_drawings_are_their_exported_images_and_canvases_files() {
    let site = TestSite::new();
    site.write(
        "content/Drawings/Sketch.excalidraw.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .write("content/Board.canvas", "{\"nodes\":[]}")
    .write(
        "content/Misc.md",
        "![[Sketch.excalidraw]]\n\n[[Sketch.excalidraw|Edit in Excalidraw]]\n\n![[Board.canvas]]\n",
    );
    let out = site.build_ok();
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let page = site.html("misc/index.html");
    let svg = "/review/Drawings/Sketch.excalidraw.svg";
    assert_eq!(attrs(&page, ".prose img", "src"), [svg]);
    assert_eq!(
        attrs(&page, ".prose a", "href"),
        [svg, "/review/Board.canvas"]
    );
    assert!(texts(&page, ".prose .unresolved").is_empty());
}

#[test]
fn a_bare_at_word_cites_only_a_source_and_is_otherwise_text() {
    let site = TestSite::new();
    site.source("jabeen2009", &["Jabeen, M."], "2009", "With us", "On 9/11.")
        .write(
            "content/Spring.md",
            "Put @Transactional on the method and @Autowired on the field; see @wikipedia.org.\n\nAs @jabeen2009 says, and @jabeen2008 does not.\n",
        );
    let out = site.build_ok();
    let err = stderr(&out);
    let page = site.html("spring/index.html");
    assert_eq!(texts(&page, ".prose .citation"), ["Jabeen (2009)"]);
    let prose = texts(&page, ".prose p").join(" ");
    for word in [
        "@Transactional",
        "@Autowired",
        "@wikipedia.org",
        "@jabeen2008",
    ] {
        assert!(prose.contains(word), "{word}: {prose}");
    }
    assert!(
        err.contains("content/Spring.md:3:26: warning: `@jabeen2008` names no source, so it is shown as written: did you mean @jabeen2009?"),
        "{err}"
    );
    assert!(
        !err.contains("Transactional") && !err.contains("wikipedia"),
        "{err}"
    );
    // A bracketed citation always cites: its unknown key is an error.
    site.write("content/Spring.md", "As [@jabeen2008] says.\n");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/Spring.md:1:4: error: citation key `jabeen2008` has no source note: did you mean jabeen2009?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn notes_whose_names_slug_alike_each_get_a_page() {
    let nfd = "cafe\u{301}";
    let names = [
        "MaaS", "MAAS", "Smith", "Smith+", "Lab01", "Lab01'", "café", nfd,
    ];
    let mut notes: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("Notes/{n}.md"), format!("The note numbered {i}.\n")))
        .collect();
    let links: String = names.iter().map(|n| format!("[[Notes/{n}]] ")).collect();
    notes.push(("Hub.md".into(), format!("{links}\n")));
    let notes: Vec<(&str, &str)> = notes
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (site, err) = built(&notes);
    let page = site.html("hub/index.html");
    let hrefs = attrs(&page, ".prose a", "href");
    assert_eq!(hrefs.len(), 8, "{hrefs:?}");
    let mut distinct = hrefs.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 8, "{hrefs:?}");
    // Each link reaches the page of its own note.
    for (i, (name, href)) in names.iter().zip(&hrefs).enumerate() {
        let rel = format!("{}index.html", href.trim_start_matches("/review/"));
        let rel = percent_encoding::percent_decode_str(&rel)
            .decode_utf8_lossy()
            .to_string();
        let text = site.read_out(&rel);
        assert!(
            text.contains(&format!("The note numbered {i}.")),
            "{name} → {href}"
        );
    }
    assert!(
        err.contains("content/Notes/MaaS.md: warning: this note's page would be /review/notes/maas/, which is content/Notes/MAAS.md's page too (their names differ only in case or punctuation): it is published at /review/notes/maas-2/ instead"),
        "{err}"
    );
    assert!(
        err.contains("'s page too (their names are one name written in two Unicode forms)"),
        "{err}"
    );
}

#[test]
fn katex_commands_are_drawn_and_the_rest_shown_as_source_with_a_line_per_command() {
    let chemistry: String = (0..11)
        .map(|i| format!("Reaction {i}: $\\ce{{2H2 + O2 -> 2H2O}}$\n\n"))
        .collect();
    let body = format!(
        "Boxed: $\\boxed{{E = mc^2}}$\n\nTagged: $$a^2 + b^2 = c^2 \\tag{{1}}$$\n\nModulo: $a \\equiv b \\mod{{n}}$\n\nSmall: ${{\\small x}}$, phantom: $a\\phantom{{b}}c$, script: $\\mathscr{{L}}$, set: $\\set{{1, 2}}$\n\nUnits: $\\pu{{9.81 m/s^2}}$\n\n{chemistry}"
    );
    let (site, err) = built(&[("Formulas.md", &body)]);
    let page = site.html("formulas/index.html");
    assert_eq!(texts(&page, ".prose math").len(), 7);
    let sources = texts(&page, ".prose code.math-source");
    assert_eq!(sources.len(), 12, "{sources:?}");
    assert!(
        sources.contains(&"\\pu{9.81 m/s^2}".to_string()),
        "{sources:?}"
    );
    assert!(!texts(&page, ".prose").join(" ").contains('$'));
    assert!(
        err.contains("11 formulas use \\ce, which gloss cannot draw (each is shown as its TeX source) (this is the first; --verbose lists each)"),
        "{err}"
    );
    assert!(
        err.contains("formula `\\pu{9.81 m/s^2}` uses \\pu, which gloss cannot draw"),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.contains("warning")).count(),
        2,
        "{err}"
    );
}
