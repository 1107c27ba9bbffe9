//! Languages: BibLaTeX's `langid` names babel's languages (`english`, `ngerman`), gloss and CSL
//! keep BCP 47 tags (`en`, `de`); this table maps between them both ways.

/// babel/polyglossia names and their BCP 47 tags; for each tag the first name is the one the
/// BibTeX export writes.
const BABEL: &[(&str, &str)] = &[
    ("english", "en"),
    ("american", "en-US"),
    ("usenglish", "en-US"),
    ("british", "en-GB"),
    ("ukenglish", "en-GB"),
    ("australian", "en-AU"),
    ("canadian", "en-CA"),
    ("newzealand", "en-NZ"),
    ("ngerman", "de"),
    ("german", "de"),
    ("naustrian", "de-AT"),
    ("austrian", "de-AT"),
    ("nswissgerman", "de-CH"),
    ("swissgerman", "de-CH"),
    ("french", "fr"),
    ("francais", "fr"),
    ("spanish", "es"),
    ("catalan", "ca"),
    ("italian", "it"),
    ("portuguese", "pt"),
    ("portuges", "pt"),
    ("brazilian", "pt-BR"),
    ("brazil", "pt-BR"),
    ("dutch", "nl"),
    ("danish", "da"),
    ("swedish", "sv"),
    ("norsk", "nb"),
    ("norwegian", "nb"),
    ("nynorsk", "nn"),
    ("finnish", "fi"),
    ("icelandic", "is"),
    ("polish", "pl"),
    ("czech", "cs"),
    ("slovak", "sk"),
    ("slovene", "sl"),
    ("croatian", "hr"),
    ("serbian", "sr"),
    ("russian", "ru"),
    ("ukrainian", "uk"),
    ("bulgarian", "bg"),
    ("greek", "el"),
    ("turkish", "tr"),
    ("magyar", "hu"),
    ("hungarian", "hu"),
    ("romanian", "ro"),
    ("latin", "la"),
    ("hebrew", "he"),
    ("arabic", "ar"),
    ("persian", "fa"),
    ("hindi", "hi"),
    ("chinese", "zh"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("indonesian", "id"),
    ("vietnamese", "vi"),
    ("estonian", "et"),
    ("latvian", "lv"),
    ("lithuanian", "lt"),
    ("irish", "ga"),
    ("welsh", "cy"),
    ("basque", "eu"),
    ("galician", "gl"),
    ("afrikaans", "af"),
];

/// The BCP 47 tag of a babel language name.
pub(crate) fn tag_of(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    BABEL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The babel name the BibTeX export writes for a BCP 47 tag.
pub(crate) fn babel_of(tag: &str) -> Option<&'static str> {
    BABEL.iter().find(|(_, t)| *t == tag).map(|(n, _)| *n)
}
