#!/usr/bin/env bash
# Rebuilds fuzz/seeds/ from the repository's own notes and fixtures (run from anywhere).
# The seeds are committed; libFuzzer grows its corpus in fuzz/corpus/, which is not.
set -euo pipefail
cd "$(dirname "$0")"
repo=..
rm -rf seeds && mkdir -p seeds/{front_matter,note,site,citation_label,request_path,import,vault}

# Every note: the bundled review, the check cases, the serve fixture, the Obsidian vault.
find "$repo/content" "$repo/tests/cases" "$repo/tests/fixtures/serve-site" \
     "$repo/tests/fixtures/vault" -name '*.md' | sort > seeds/notes.txt
i=0
while IFS= read -r f; do
  i=$((i + 1))
  # note and site: the first byte places the note (0 source, 1 theme, 2 page).
  case "$f" in
    */sources/*) place='\x00' ;;
    */themes/*) place='\x01' ;;
    *) place='\x02' ;;
  esac
  cp "$f" "seeds/front_matter/$i.md"
  { printf "$place"; cat "$f"; } > "seeds/note/$i.md"
done < seeds/notes.txt
# The site target builds a whole site per input: a few seeds of each kind are enough.
ls seeds/note | sort -n | awk 'NR % 8 == 1' | while read -r s; do cp "seeds/note/$s" seeds/site/; done

# Citation labels: the inside of every bracketed citation in the notes.
tr '\n' '\0' < seeds/notes.txt | xargs -0 grep -ohE '\[[^]]*@[^]]*\]' | sed 's/^\[//; s/\]$//' | sort -u | head -300 |
  awk '{ f = sprintf("seeds/citation_label/%03d", NR); printf "%s", $0 > f; close(f) }'

# Request paths: what browsers ask for, and what attackers try.
n=0
while IFS= read -r url; do
  n=$((n + 1)); printf '%s' "$url" > "seeds/request_path/$n"
done <<'URLS'
/
/review/
/review/about/
/review/about
/review/sources/a/?q=1#top
/review/a%20b/
/__gloss/events
/../site.yaml
/%2e%2e/site.yaml
/review/..%2fsite.yaml
/%5c..
/%zz
/%ff
//evil.example/x
/review//about/
/review/style.css
/review/%E2%82%AC/
URLS
rm seeds/notes.txt

# Libraries: every .bib and .json of the fixtures, the first byte its format (0 BibTeX, 1
# CSL-JSON, 2 CSL-YAML, of which JSON is a part), and a CSL-YAML file as pandoc writes one.
for f in "$repo"/tests/fixtures/import/*.bib "$repo"/tests/fixtures/vault/*.bib; do
  { printf '\x00'; cat "$f"; } > "seeds/import/$(basename "$f")"
done
for f in "$repo"/tests/fixtures/import/*.json; do
  { printf '\x01'; cat "$f"; } > "seeds/import/$(basename "$f")"
  { printf '\x02'; cat "$f"; } > "seeds/import/$(basename "$f" .json).json.yaml"
done
{ printf '\x02'; cat <<'YAML'
references:
- id: doe2020
  type: article-journal
  title: "Trust *and* borders"
  author:
    - family: Doe
      given: Jane
    - literal: The Working Group
  container-title: Journal of Borders
  issued:
    date-parts:
      - [2020, 5, 3]
  page: 12–34
  DOI: 10.1000/xyz
- id: roe2019
  type: book
  title: A book
  issued: {raw: "2019"}
YAML
} > seeds/import/pandoc.yaml

# Vaults: the decoder of tests/testsuite/invariants/vault.rs reads a count byte, a names byte, a front
# matter byte per note, then pieces (0 <len> <text>: text; 25: the next note). Each seed is two
# notes of the fixture vault as text pieces, then a few vaults of embeds written as pieces.
text_pieces() {
  local dir; dir=$(mktemp -d)
  split -b 63 -d -a 4 "$1" "$dir/c"
  for c in "$dir"/c*; do
    printf '\x00'; printf "\\x$(printf %02x "$(stat -c %s "$c")")"; cat "$c"
  done
  rm -r "$dir"
}
find "$repo/tests/fixtures/vault" -name '*.md' ! -name EXPECTED.md | sort > seeds/vault.txt
prev=
n=0
while IFS= read -r f; do
  if [ -n "$prev" ]; then
    n=$((n + 1))
    { printf '\x00\x00\x00\x00'; text_pieces "$prev"; printf '\x19'; text_pieces "$f"; } > "seeds/vault/$n"
  fi
  prev=$f
done < seeds/vault.txt
rm seeds/vault.txt
# A embeds B, B embeds A (a cycle); A embeds itself; A embeds B's heading and block, B has them;
# a comment in each; three notes embedding each other, each twice.
printf '\x00\x00\x00\x00\x07\x40\x19\x07\x42' > seeds/vault/cycle
printf '\x00\x00\x02\x00\x07\x42\x0f\x00\x03\x00' > seeds/vault/self
printf '\x00\x00\x00\x03\x08\x40\x00\x09\x40\x00\x19\x06\x00\x00\x00\x05abcde\x0b\x00\x10\x03\x01' > seeds/vault/sections
printf '\x01\x00\x00\x00\x00\x07\x41\x07\x42\x19\x07\x40\x07\x42\x19\x07\x40\x07\x41\x0c\x00\x00\x04text' > seeds/vault/three

