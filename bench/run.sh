#!/usr/bin/env bash
# bench/run.sh — the gloss build benchmark (issues 7 and 17).
#
#   bench/run.sh [--sizes 1000,10000] [--runs 3] [--seed 42] [--dir DIR]
#                [--no-hugo] [--hugo-max N] [--no-realistic] [--realistic-max N] [--no-rebuild]
#                [--no-serve] [--wait-quiet S] [--no-build] [--gloss PATH]
#
# What it does, in order:
#   1. builds gloss in release mode (`cargo build --release`; skipped with --no-build);
#   2. for each size, generates a synthetic review deterministically with bench/gen_corpus.py
#      (N source notes of ~400 words with citations and locators, wikilinks, links between
#      sources, tags, a Rust code block in every tenth note, plus 20 theme notes). The neutral
#      corpus gets the site scaffolding gen_corpus.py leaves out: a site.yaml, a home page
#      (content/_index.md, the same text as the Hugo corpus's) and a copy of this repository's
#      themes/. Corpora are cached in DIR/corpora and regenerated only when the generator, the
#      size or the seed changes;
#   3. times a full clean `gloss build --timings` of each corpus, --runs times (the previous
#      output and its spare folder are moved aside before every run), and reports the medians:
#      wall time, user+sys CPU time, peak RSS, pages (.html files) and bytes written, files
#      written, pages per second, exit status and each stage's time. It then summarises gloss's
#      diagnostics (the corpus must build with zero errors);
#   3b. the same for the realistic corpus of each size (gen_corpus.py --realistic: full given
#      names, editors, 1-25 authors, every entry type, long annotations; label "real");
#   3c. rebuilds over the output (label "nochange": nothing changed, after one unmeasured
#      rebuild that makes the spare folder; label "edit": a sentence appended to one source
#      note before each run, the note put back afterwards), --runs times each;
#   4. if `hugo` is on PATH, builds the Hugo flavour of the same corpus (gen_corpus.py
#      --flavor hugo: the same notes) the same way, taking turns with gloss run by run so that
#      a slow spell of a shared machine hits both, and reports gloss/hugo ratios of wall time,
#      CPU time and peak memory;
#   5. times `gloss build` of the review bundled in this repository (into DIR/out, never
#      ./public);
#   6. `gloss serve`'s incremental rebuilds (bench/serve_edit.py: the time gloss reports from the
#      debounced file event to the reload event, median of 5): every edit kind on the 10,000
#      corpus (else the largest below it), a body edit on any larger corpus;
#   7. prints the table, the stages and the issue-17 targets as PASS/FAIL.
#
# Options:
#   --sizes LIST   comma-separated corpus sizes (sources)            [1000,10000]
#   --runs N       runs per measurement; the median is reported      [3]
#   --seed S       gen_corpus.py seed                                [42]
#   --dir DIR      work folder for corpora, outputs and logs
#                  [${GLOSS_BENCH_DIR:-${TMPDIR:-/tmp}/gloss-bench}]
#   --no-hugo      do not run Hugo even if it is installed
#   --hugo-max N   run Hugo only on corpora of at most N sources
#   --no-realistic do not build the realistic corpora
#   --realistic-max N  build realistic corpora only of at most N sources
#   --no-rebuild   do not time rebuilds over the output
#   --no-serve     do not time gloss serve
#   --wait-quiet S before each run, wait up to S seconds until other processes leave the CPU
#                  idle (load < 0.25 cores for 3 s); for shared machines                [0: off]
#   --no-build     do not run cargo; use the existing release binary
#   --gloss PATH   the gloss binary to measure (implies --no-build)
#
# Requirements: bash, python3 (standard library), cargo; optional: hugo (Debian: apt-get install
# hugo), GNU time at /usr/bin/time (Debian: apt-get install time) for exact peak RSS — without it
# the figure comes from the Python wrapper's rusage and includes its own ~10-15 MB (marked "~").
# Wall time is always measured by the wrapper's high-resolution clock (GNU time's is 10 ms).
#
# Between runs the previous output is moved into DIR/trash, deleted only at the end: deleting
# thousands of files just before a run slows that run's file creation on ext4 (freed inodes are
# not reused for a while and are scanned past on every create).
#
# Noise: every run line shows the CPU load of other processes during the run and the time of a
# fixed Python loop around it ("calib"; on a VM, contention from other guests shows only
# there); the report flags measurements taken while the machine was busy or slow.
#
# Output: the report on stdout; per-run details as they happen; every run as TSV in
# DIR/results.tsv (one line per run); the stdout/stderr of each tool's last run in DIR/logs/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

sizes="1000,10000"
runs=3
seed=42
dir="${GLOSS_BENCH_DIR:-${TMPDIR:-/tmp}/gloss-bench}"
use_hugo=1
hugo_max=""
do_build=1
gloss=""
wait_quiet=0
use_real=1
real_max=""
do_rebuild=1
do_serve=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "bench/run.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) sizes="${2:?--sizes needs a value}"; shift 2 ;;
        --sizes=*) sizes="${1#*=}"; shift ;;
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) runs="${1#*=}"; shift ;;
        --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) seed="${1#*=}"; shift ;;
        --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
        --dir=*) dir="${1#*=}"; shift ;;
        --no-hugo) use_hugo=0; shift ;;
        --hugo-max) hugo_max="${2:?--hugo-max needs a value}"; shift 2 ;;
        --hugo-max=*) hugo_max="${1#*=}"; shift ;;
        --no-realistic) use_real=0; shift ;;
        --realistic-max) real_max="${2:?--realistic-max needs a value}"; shift 2 ;;
        --realistic-max=*) real_max="${1#*=}"; shift ;;
        --no-rebuild) do_rebuild=0; shift ;;
        --no-serve) do_serve=0; shift ;;
        --wait-quiet) wait_quiet="${2:?--wait-quiet needs a value}"; shift 2 ;;
        --wait-quiet=*) wait_quiet="${1#*=}"; shift ;;
        --no-build) do_build=0; shift ;;
        --gloss) gloss="${2:?--gloss needs a value}"; do_build=0; shift 2 ;;
        --gloss=*) gloss="${1#*=}"; do_build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer"
[[ -z "$hugo_max" || "$hugo_max" =~ ^[0-9]+$ ]] || die "--hugo-max must be an integer"
[[ -z "$real_max" || "$real_max" =~ ^[0-9]+$ ]] || die "--realistic-max must be an integer"
[[ "$wait_quiet" =~ ^[0-9]+$ ]] || die "--wait-quiet must be a number of seconds"
IFS=',' read -r -a size_list <<< "$sizes"
for s in "${size_list[@]}"; do
    [[ "$s" =~ ^[1-9][0-9]*$ ]] || die "bad size in --sizes: '$s'"
done
command -v python3 >/dev/null || die "python3 is required"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$dir/" in
    "$repo"/*) die "--dir must be outside the repository ($dir)" ;;
esac
gen="$here/gen_corpus.py"
measure="$here/measure.py"
results="$dir/results.tsv"
mkdir -p "$dir/corpora" "$dir/out" "$dir/logs"
: > "$results"

section() { printf '\n== %s\n' "$*"; }

# ------------------------------------------------------------------ build gloss
if [[ -z "$gloss" ]]; then
    target="${CARGO_TARGET_DIR:-target}"
    [[ "$target" == /* ]] || target="$repo/$target"   # cargo runs in $repo
    gloss="$target/release/gloss"
fi
if [[ $do_build -eq 1 ]]; then
    section "cargo build --release"
    (cd "$repo" && cargo build --release)
fi
[[ -x "$gloss" ]] || die "no gloss binary at $gloss (build it, or pass --gloss PATH)"

hugo_bin=""
if [[ $use_hugo -eq 1 ]] && command -v hugo >/dev/null; then
    hugo_bin=$(command -v hugo)
fi

# ------------------------------------------------------------------ the machine
section "machine"
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1 || true)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
os_name=$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}") || true)
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpu:      ${cpu_model:-unknown} ($(nproc 2>/dev/null || echo ?) cores available)"
echo "memory:   ${mem_total:-unknown}"
echo "os:       ${os_name:-unknown}, Linux $(uname -r)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) (1/5/15 min, before the runs)"
echo "rustc:    $(rustc -V 2>/dev/null || echo unknown)"
dirty=""
[[ -n "$(git -C "$repo" status --porcelain -- src Cargo.toml Cargo.lock themes 2>/dev/null)" ]] \
    && dirty=" + uncommitted changes in src/, Cargo.*, themes/"
echo "repo:     $repo (commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$dirty)"
echo "gloss:    $gloss ($("$gloss" --version 2>/dev/null || echo '?'))"
if [[ -n "$hugo_bin" ]]; then echo "hugo:     $("$hugo_bin" version 2>/dev/null | head -n1) ($hugo_bin)"; else echo "hugo:     not run"; fi
if [[ -x /usr/bin/time ]]; then echo "peak RSS: GNU time (/usr/bin/time -v)"; else echo "peak RSS: python rusage (~10-15 MB overstated)"; fi
echo "runs:     $runs per measurement (medians reported); corpora in $dir/corpora"

# ------------------------------------------------------------------ corpora
# gen_corpus.py's neutral flavour writes only content/: gloss also needs site.yaml and a theme.
scaffold_neutral() {
    local root="$1" n="$2"
    cat > "$root/site.yaml" <<EOF
title: "Synthetic literature review"
description: "gloss benchmark corpus: $n sources (bench/gen_corpus.py --seed $seed)"
base_url: "https://example.org/"
EOF
    cat > "$root/content/_index.md" <<'EOF'
---
title: "Literature review"
---

An annotated literature review.
EOF
}

# corpus FLAVOR N: prints the corpus folder, (re)generating it when its stamp is stale.
corpus() {
    local flavor="$1" n="$2"
    local root="$dir/corpora/$flavor-$n"
    local stamp
    stamp="$(sha256sum "$gen" | cut -d' ' -f1) seed=$seed sources=$n flavor=$flavor scaffold=1"
    if [[ ! -f "$root/.bench-stamp" || "$(cat "$root/.bench-stamp")" != "$stamp" ]]; then
        echo "  generating $flavor corpus of $n sources ..." >&2
        rm -rf "$root"
        if [[ "$flavor" == realistic ]]; then
            python3 "$gen" --sources "$n" --out "$root" --flavor neutral --realistic --seed "$seed" >&2
        else
            python3 "$gen" --sources "$n" --out "$root" --flavor "$flavor" --seed "$seed" >&2
        fi
        [[ "$flavor" == hugo || "$flavor" == zola ]] || scaffold_neutral "$root" "$n"
        echo "$stamp" > "$root/.bench-stamp"
    fi
    if [[ "$flavor" == neutral || "$flavor" == realistic ]]; then
        # Always the repository's current theme, so theme changes are measured.
        rm -rf "$root/themes"
        cp -R "$repo/themes" "$root/themes"
    fi
    echo "$root"
}

# measure LABEL SIZE RUN OUTDIR [--clean PATH]... -- COMMAND...   (one run, one line in $results)
measure() {
    local label="$1" size="$2" run="$3" out="$4"
    shift 4
    python3 "$measure" run --label "$label" --size "$size" --run "$run/$runs" --out "$out" \
        --log "$dir/logs/$label-$size" --result "$results" --wait-quiet "$wait_quiet" \
        --trash "$dir/trash" "$@"
}

# worst_exit LABEL SIZE: the first non-zero exit status of that measurement's runs, else 0.
worst_exit() {
    local code
    code=$(awk -F'\t' -v l="$1" -v s="$2" '$1 == l && $2 == s && $10 != 0 { print $10; exit }' "$results")
    echo "${code:-0}"
}

# ------------------------------------------------------------------ serve
# `gloss serve`'s incremental rebuilds: bench/serve_edit.py starts serve on the corpus, makes each
# kind of edit 5 times (the corpus put back afterwards) and reports the time gloss prints from the
# debounced file event to the reload event (its `rebuilt in N ms` line).
bench_serve() {
    local root="$1" kinds="$2"
    echo "  gloss serve --root $root: edits ($kinds), 5 of each"
    python3 "$here/serve_edit.py" "$gloss" "$root" --edits 5 --kinds "$kinds" || status=1
}

# measure_gloss LABEL N RUN ROOT OUT [--keep]: one `gloss build --timings` of ROOT into OUT. A clean
# run also moves aside the spare folder gloss keeps beside OUT (`.<name>.gloss-spare`, the output
# before last, which a rebuild reuses as its staging folder); --keep measures a rebuild over OUT.
measure_gloss() {
    local label="$1" n="$2" r="$3" root="$4" out="$5" keep="${6:-}"
    local how=(--clean "$(dirname "$out")/.$(basename "$out").gloss-spare")
    [[ "$keep" != --keep ]] || how=(--keep)
    measure "$label" "$n" "$r" "$out" "${how[@]}" -- "$gloss" build --timings --root "$root" --out "$out"
}

# rebuilds N ROOT: rebuilds over the output of the clean runs: nothing changed, then one note edited.
rebuilds() {
    local n="$1" root="$2" r
    local out="$dir/out/gloss-$n" note
    note=$(find "$root/content/sources" -name "*.md" | sort | sed -n 1p)
    echo "  rebuilds over $out (edit: a sentence appended to ${note#"$root"/})"
    # One unmeasured rebuild: after it, the output before last is the spare folder a rebuild reuses.
    "$gloss" build --quiet --root "$root" --out "$out" >/dev/null 2>&1 || true
    for ((r = 1; r <= runs; r++)); do
        measure_gloss nochange "$n" "$r" "$root" "$out" --keep
    done
    cp "$note" "$dir/edited-note.md"
    for ((r = 1; r <= runs; r++)); do
        printf '\nA sentence added by the benchmark, edit %d.\n' "$r" >> "$note"
        measure_gloss edit "$n" "$r" "$root" "$out" --keep
    done
    cp "$dir/edited-note.md" "$note"
}

# ------------------------------------------------------------------ runs
status=0
for n in "${size_list[@]}"; do
    section "$n sources"
    root=$(corpus neutral "$n")
    hroot=""
    if [[ -n "$hugo_bin" && ( -z "$hugo_max" || "$n" -le "${hugo_max:-0}" ) ]]; then
        hroot=$(corpus hugo "$n")
    fi
    echo "  gloss build --timings --root $root --out $dir/out/gloss-$n"
    [[ -z "$hroot" ]] || echo "  hugo --source $hroot --destination $dir/out/hugo-$n"
    # gloss and Hugo take turns, so a slow spell of the machine affects both alike.
    for ((r = 1; r <= runs; r++)); do
        measure_gloss gloss "$n" "$r" "$root" "$dir/out/gloss-$n"
        [[ -z "$hroot" ]] || measure hugo "$n" "$r" "$dir/out/hugo-$n" \
            --clean "$hroot/resources" --clean "$hroot/.hugo_build.lock" --clean "$dir/hugo-cache" -- \
            "$hugo_bin" --source "$hroot" --destination "$dir/out/hugo-$n" --cacheDir "$dir/hugo-cache"
    done
    echo "  gloss:"
    python3 "$measure" diags "$dir/logs/gloss-$n.stderr"
    code=$(worst_exit gloss "$n")
    if [[ "$code" != 0 ]]; then
        status=1
        echo "  gloss FAILED on the $n-source corpus (exit $code); full stderr: $dir/logs/gloss-$n.stderr"
    fi
    code=$(worst_exit hugo "$n")
    if [[ -n "$hroot" && "$code" != 0 ]]; then
        echo "  hugo failed (exit $code):"
        tail -n 20 "$dir/logs/hugo-$n.stderr" | sed 's/^/    | /'
    fi
    [[ $do_rebuild -eq 0 ]] || rebuilds "$n" "$root"
    if [[ $use_real -eq 1 && ( -z "$real_max" || "$n" -le "${real_max:-0}" ) ]]; then
        rroot=$(corpus realistic "$n")
        echo "  gloss build --timings --root $rroot (realistic)"
        for ((r = 1; r <= runs; r++)); do
            measure_gloss real "$n" "$r" "$rroot" "$dir/out/real-$n"
        done
        python3 "$measure" diags "$dir/logs/real-$n.stderr"
        [[ "$(worst_exit real "$n")" == 0 ]] || status=1
    fi
    # Free the space (tmpfs) before the next size.
    rm -rf "$dir/trash"
done

section "bundled review ($repo)"
echo "  gloss build --root $repo --out $dir/out/review"
for ((r = 1; r <= runs; r++)); do
    measure_gloss review bundled "$r" "$repo" "$dir/out/review"
done
python3 "$measure" diags "$dir/logs/review-bundled.stderr"
[[ "$(worst_exit review bundled)" == 0 ]] || status=1

if [[ $do_serve -eq 1 ]]; then
    section "gloss serve: incremental rebuilds"
    serve_size=""
    for n in "${size_list[@]}"; do
        if [[ "$n" -le 10000 ]]; then serve_size="$n"; fi
    done
    [[ -n "$serve_size" ]] && bench_serve "$dir/corpora/neutral-$serve_size" \
        body,title,tags,bib,cite,add,remove,template
    for n in "${size_list[@]}"; do
        if [[ "$n" -gt 10000 ]]; then bench_serve "$dir/corpora/neutral-$n" body; fi
    done
fi

# The outputs replaced between runs were moved here, not deleted (see measure.py: ext4 inode reuse).
rm -rf "$dir/trash"

section "results"
python3 "$measure" report "$results"
echo
echo "every run: $results; logs of the last runs: $dir/logs/"
exit "$status"
