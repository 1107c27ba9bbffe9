//! The content files that are not notes (images, PDFs), found by the name a note gives them.

use rustc_hash::FxHashMap as HashMap;

use crate::source::Asset;

/// Attachments by lower-cased file name: their paths relative to the notes' folder, sorted.
pub(super) struct AssetIndex(HashMap<String, Vec<String>>);

impl AssetIndex {
    pub(super) fn new(assets: &[Asset]) -> AssetIndex {
        let mut names: HashMap<String, Vec<String>> = HashMap::default();
        for asset in assets {
            let file = asset
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&asset.rel)
                .to_lowercase();
            names.entry(file).or_default().push(asset.rel.clone());
        }
        for list in names.values_mut() {
            list.sort();
        }
        AssetIndex(names)
    }

    /// The attachment a note in folder `dir` calls `name` (`image.png`,
    /// `attachments/image.png`): by path relative to the note, by path from the notes' folder,
    /// else by file name anywhere, the one nearest the note first. An Excalidraw drawing
    /// (`x.excalidraw`) is the SVG or PNG the plugin exports beside it (`x.excalidraw.svg`).
    pub(super) fn find(&self, name: &str, dir: &str) -> Option<String> {
        self.file(name, dir).or_else(|| {
            let drawing = name.trim().to_ascii_lowercase().ends_with(".excalidraw");
            [".svg", ".png"]
                .iter()
                .filter(|_| drawing)
                .find_map(|ext| self.file(&format!("{}{ext}", name.trim()), dir))
        })
    }

    fn file(&self, name: &str, dir: &str) -> Option<String> {
        let name = name.trim();
        let folded = name.to_lowercase();
        let file = folded.rsplit('/').next().unwrap_or(&folded);
        let candidates = self.0.get(file)?;
        let near = |c: &String| {
            let here = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            c.eq_ignore_ascii_case(&here)
        };
        candidates
            .iter()
            .find(|c| near(c))
            .or_else(|| candidates.iter().find(|c| c.eq_ignore_ascii_case(name)))
            .or_else(|| {
                candidates
                    .iter()
                    .find(|c| c.to_lowercase().ends_with(&format!("/{folded}")))
            })
            .or_else(|| (!folded.contains('/')).then(|| &candidates[0]))
            .cloned()
    }
}
