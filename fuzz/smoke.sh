#!/usr/bin/env bash
# Thirty seconds of each fuzz target, one after another (the machine has two cores), from its
# seeds and its corpus: a quick look that nothing broke, before a commit that touches a parser.
# Not part of `cargo test`. Usage: fuzz/smoke.sh [SECONDS] [TARGET…]; exits 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter note site citation_label request_path import vault)
cargo +nightly fuzz build -O
failed=()
for t in "${targets[@]}"; do
  dict=() len=8192
  case "$t" in
    note | site | front_matter) dict=(-dict=fuzz/dict/note.dict) ;;
    import) dict=(-dict=fuzz/dict/import.dict) ;;
    vault) len=4096 ;;
  esac
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  echo "== $t: ${seconds}s"
  if "fuzz/target/x86_64-unknown-linux-gnu/release/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" \
      "${dict[@]}" -max_total_time="$seconds" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log"
  else
    grep -E 'panicked at|^SUMMARY|Test unit written' -A1 "$log" || tail -5 "$log"
    failed+=("$t")
  fi
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]} (inputs in fuzz/artifacts/)"
  exit 1
fi
echo "all held"
