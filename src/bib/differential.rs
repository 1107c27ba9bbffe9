//! Differential tests: the fast formatter must give the CSL engine's output, entry for entry.

use super::csl::format_cluster_with_library;
use super::fast;
use super::format::format_all;
use super::model::{EntryType, Name, SourceMeta, Year};
use super::reference::SourceInput;

fn compare(title: &str, meta: &SourceMeta) -> bool {
    let input = SourceInput {
        key: "k",
        title,
        meta,
    };
    let Some(fast) = fast::format(&input) else {
        return false;
    };
    let library = format_cluster_with_library(&[&input]).remove(0).1;
    assert_eq!(fast.html, library.html, "html of {title:?} {meta:?}");
    assert_eq!(fast.text, library.text, "text of {title:?} {meta:?}");
    assert_eq!(
        fast.in_text, library.in_text,
        "in-text of {title:?} {meta:?}"
    );
    true
}

fn names(list: &[&str]) -> Vec<Name> {
    list.iter().filter_map(|n| Name::parse(n)).collect()
}

#[test]
fn fast_formatter_matches_hayagriva_on_every_shape() {
    let author_sets: &[&[&str]] = &[
        &["Jabeen, M."],
        &["Ali, I.", "Anwar, M. F."],
        &["Plaw, A.", "Fricker, M. S.", "Williams, B. G."],
        &["Adil, N.", "Khan, M.", "Noor-e-Hera"],
        &["Pew Research Center"],
        &[
            "Yousaf, N.",
            "Ahmad, M.",
            "Shah, Z.",
            "Khan, M. A.",
            "Akbar, A.",
            "Malik, H.",
            "Farhad, A.",
        ],
        &["O'Brien, J.-P."],
        &["Ganguly, S.", "Paul Kapur, S."],
    ];
    let optional =
        |mask: u32, bit: u32, value: &str| (mask & (1 << bit) != 0).then(|| value.to_string());
    let mut compared = 0;
    let mut total = 0;
    for entry_type in EntryType::ALL {
        for mask in 0..64u32 {
            // Author sets rotate with the field mask, so every set meets every type.
            let a = (mask as usize + entry_type as usize) % author_sets.len();
            let authors = author_sets[a];
            {
                let meta = SourceMeta {
                    entry_type,
                    authors: names(authors),
                    editors: vec![],
                    year: if a % 3 == 2 {
                        Year::Unknown
                    } else {
                        Year::Known(2009 + a as i32)
                    },
                    container: optional(
                        mask,
                        0,
                        match (mask >> 1) % 3 {
                            0 => "Journal of Strategic Studies",
                            1 => "J. Pol. Stud.",
                            _ => "Pakistan's counterterrorism challenge",
                        },
                    ),
                    publisher: optional(mask, 1, "Cornell University Press"),
                    volume: optional(mask, 2, "24"),
                    issue: optional(mask, 3, "02"),
                    pages: optional(
                        mask,
                        4,
                        if a.is_multiple_of(2) {
                            "175-191"
                        } else {
                            "263"
                        },
                    ),
                    doi: optional(mask, 5, "10.1080/01402390.2017.1307843"),
                    doi_line: 1,
                    url: None,
                    ..Default::default()
                };
                total += 1;
                if compare(
                    "The impact of US drone strikes on terrorism in Pakistan",
                    &meta,
                ) {
                    compared += 1;
                }
            }
        }
    }
    // Articles, books, chapters, reports and web pages are the common shapes; most must be
    // handled by the fast path (the rest fall back to hayagriva, which is always correct).
    assert!(
        compared >= 120,
        "fast path covered only {compared} of {total} shapes"
    );
}

fn article(authors: &[&str], year: Year) -> SourceMeta {
    SourceMeta {
        entry_type: EntryType::Article,
        authors: names(authors),
        editors: vec![],
        year,
        container: Some("Asian Security".into()),
        publisher: None,
        volume: Some("16".into()),
        issue: Some("2".into()),
        pages: Some("243-262".into()),
        doi: None,
        doi_line: 1,
        url: None,
        ..Default::default()
    }
}

/// Formats (title, meta) pairs as one site and returns (in-text author, year, reference).
fn site(works: &[(&str, SourceMeta)]) -> Vec<(String, String, String)> {
    let keys = ["a", "b", "c", "d"];
    let inputs: Vec<SourceInput<'_>> = works
        .iter()
        .enumerate()
        .map(|(i, (t, m))| SourceInput {
            key: keys[i],
            title: t,
            meta: m,
        })
        .collect();
    let refs = format_all(&inputs);
    keys[..works.len()]
        .iter()
        .map(|k| {
            (
                refs[*k].in_text.author.clone(),
                refs[*k].in_text.year.clone(),
                refs[*k].text.clone(),
            )
        })
        .collect()
}

#[test]
fn same_authors_same_year_get_letters_in_title_order() {
    let got = site(&[
        ("Beta", article(&["Khan, M."], Year::Known(2019))),
        ("Alpha", article(&["Khan, M."], Year::Known(2019))),
        ("Gamma", article(&["Khan, M."], Year::Unknown)),
        ("Delta", article(&["Khan, M."], Year::Unknown)),
    ]);
    assert_eq!((got[1].1.as_str(), got[0].1.as_str()), ("2019a", "2019b"));
    assert!(
        got[1].2.starts_with("Khan, M. (2019a). Alpha."),
        "{}",
        got[1].2
    );
    assert_eq!((got[3].1.as_str(), got[2].1.as_str()), ("n.d.-a", "n.d.-b"));
    assert!(
        got[2].2.starts_with("Khan, M. (n.d.-b). Gamma."),
        "{}",
        got[2].2
    );
}

#[test]
fn namesakes_get_initials_in_every_year() {
    let got = site(&[
        (
            "One",
            article(
                &["Akhtar, H.", "Ahmad, R. E.", "Sajid, M."],
                Year::Known(2021),
            ),
        ),
        (
            "Two",
            article(&["Akhtar, N.", "Holland, K."], Year::Known(2023)),
        ),
    ]);
    assert_eq!(got[0].0, "H. Akhtar et al.");
    assert_eq!(got[1].0, "N. Akhtar & Holland");
    assert!(
        got[0]
            .2
            .starts_with("Akhtar, H., Ahmad, R. E., & Sajid, M. (2021)."),
        "{}",
        got[0].2
    );
}

#[test]
fn colliding_et_al_forms_list_enough_names() {
    let got = site(&[
        (
            "One",
            article(&["Ma, H.", "Chen, L.", "Wu, Q."], Year::Known(2013)),
        ),
        (
            "Two",
            article(&["Ma, H.", "Li, P.", "Wu, Q.", "Xu, Y."], Year::Known(2013)),
        ),
        (
            "Three",
            article(&["Ma, H.", "Chen, L.", "Zhou, R."], Year::Known(2013)),
        ),
    ]);
    assert_eq!(got[0].0, "Ma, Chen, & Wu");
    assert_eq!(got[1].0, "Ma, Li, et al.");
    assert_eq!(got[2].0, "Ma, Chen, & Zhou");
    assert!(
        got[1]
            .2
            .starts_with("Ma, H., Li, P., Wu, Q., & Xu, Y. (2013)."),
        "the reference keeps every name"
    );
}

#[test]
fn fast_formatter_matches_hayagriva_on_the_bundled_review() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = crate::build::load(&crate::build::LoadOptions {
        root,
        base_url: None,
        ..Default::default()
    })
    .unwrap();
    let mut compared = 0;
    for note in site.notes.iter().filter(|n| n.source.is_some()) {
        if compare(&note.title, note.source.as_ref().unwrap()) {
            compared += 1;
        }
    }
    assert!(
        compared >= 30,
        "fast path covered only {compared} bundled sources"
    );
}
