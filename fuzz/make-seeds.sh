#!/usr/bin/env bash
# Rebuilds fuzz/seeds/ from the repository's own notes and fixtures (run from anywhere).
# The seeds are committed; libFuzzer grows its corpus in fuzz/corpus/, which is not.
set -euo pipefail
cd "$(dirname "$0")"
repo=..
rm -rf seeds && mkdir -p seeds/{front_matter,note,site,citation_label,request_path}

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
