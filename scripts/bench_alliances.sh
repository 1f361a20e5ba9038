#!/usr/bin/env bash
# Reproduces the "Alliances" figures in BENCHMARKS.md: plain ReCom (`fedsplit ensemble`,
# --variant recom, MST trees, --tol 5) against GerryChain on the same graphs and settings.
#   1. machine description;
#   2. one thread (taskset -c 0, --threads 1, one chain): steps/s on grid:56x56 k = 8 and on
#      the county graph k = 2, 4, 8; each case RUNS times (median of the rate the sampler
#      prints; wall time and peak RSS from /usr/bin/time -v);
#   3. scaling: 2 independent chains on 2 threads vs the same 2 chains on 1 thread
#      (aggregate steps/s = chains × steps / wall time of the whole process);
#   4. memory: peak RSS at 10,000 vs 100,000 steps (one chain, --every 100);
#   5. GerryChain: installs `gerrychain` from PyPI into a venv (default /tmp/gerrychain-venv)
#      and runs scripts/gerrychain_bench.py (same graphs, epsilon 0.05, recom with
#      bipartition_tree, recursive_tree_part start, contiguity + population constraints).
# frcw.rs is not run here (no source access from this machine); BENCHMARKS.md uses the
# published anchors from the issue for it.
#
# Usage: scripts/bench_alliances.sh [--steps N] [--runs R] [--no-gerrychain]
#            [--gc-grid-steps N] [--gc-county-steps N]
# Env: GC_VENV (venv path), OUT_DIR (scratch dir for the sampler's output, default a mktemp dir).
# Run on an otherwise idle machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

steps=20000
runs=3
gerrychain=1
gc_grid_steps=1000
gc_county_steps=300
while [ $# -gt 0 ]; do
    case "$1" in
        --steps) steps="${2:?}"; shift ;;
        --runs) runs="${2:?}"; shift ;;
        --no-gerrychain) gerrychain=0 ;;
        --gc-grid-steps) gc_grid_steps="${2:?}"; shift ;;
        --gc-county-steps) gc_county_steps="${2:?}"; shift ;;
        -h|--help) sed -n 2,22p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

gc_venv="${GC_VENV:-/tmp/gerrychain-venv}"
out_dir="${OUT_DIR:-$(mktemp -d /tmp/bench_alliances.XXXXXX)}"
mkdir -p "$out_dir"
bin="$root/target/release/fedsplit"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time; apt-get install time)" >&2; exit 2; }
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nproc:   $(nproc)"
echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "ram:     $(free -h | awk '/^Mem:/ {print $2}')"
echo "rustc:   $(rustc --version)"
echo "source:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== build"
cargo build --release -q
"$bin" --version 2>/dev/null || true

# run_case LABEL [fedsplit ensemble args...] -> prints "rate wall_s rss_kb" (rate = the
# sampler's own steps/s over all chains; wall = whole process; rss = peak RSS)
run_one() {
    local log="$out_dir/time.log" err="$out_dir/err.log"
    /usr/bin/time -v -o "$log" "$@" 2>"$err" >/dev/null
    local rate wall rss
    rate=$(sed -n 's/.*, \([0-9.]*\) steps\/s,.*/\1/p' "$err" | tail -1)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "$rate $wall $rss"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== one thread, one chain, $steps steps, --every $steps, pinned to CPU 0 (median of $runs runs)"
printf '%-14s %3s %12s %12s %10s   %s\n' graph k "steps/s" "wall s" "RSS KB" "(all runs: steps/s)"
for case in "grid:56x56 8" "counties 2" "counties 4" "counties 8"; do
    set -- $case
    graph=$1 k=$2
    rates=() walls=() rsss=()
    for r in $(seq "$runs"); do
        read -r rate wall rss < <(run_one "${pin[@]}" "$bin" ensemble --graph "$graph" --blocs "$k" \
            --steps "$steps" --seed "$r" --tol 5 --every "$steps" --threads 1 \
            --out "$out_dir/one.jsonl")
        rates+=("$rate") walls+=("$wall") rsss+=("$rss")
    done
    printf '%-14s %3s %12s %12s %10s   %s\n' "$graph" "$k" \
        "$(printf '%s\n' "${rates[@]}" | median)" "$(printf '%s\n' "${walls[@]}" | median)" \
        "$(printf '%s\n' "${rsss[@]}" | median)" "${rates[*]}"
done

echo "== scaling: 2 independent chains × $steps steps (aggregate steps/s = 2 × $steps / wall)"
printf '%-14s %3s %8s %12s %10s %14s\n' graph k threads "sampler s/s" "wall s" "aggregate s/s"
for case in "grid:56x56 8" "counties 8"; do
    set -- $case
    graph=$1 k=$2
    for t in 1 2; do
        read -r rate wall rss < <(run_one "$bin" ensemble --graph "$graph" --blocs "$k" \
            --steps "$steps" --seed 1 --tol 5 --every "$steps" --chains 2 --threads "$t" \
            --out "$out_dir/scale.jsonl")
        agg=$(awk -v s="$steps" -v w="$wall" 'BEGIN {printf "%.0f", 2*s/w}')
        printf '%-14s %3s %8s %12s %10s %14s\n' "$graph" "$k" "$t" "$rate" "$wall" "$agg"
    done
done

echo "== memory: peak RSS, one chain, --every 100, one thread"
printf '%-14s %3s %8s %12s %10s %12s\n' graph k steps "steps/s" "RSS KB" "output bytes"
for case in "grid:56x56 8" "counties 8"; do
    set -- $case
    graph=$1 k=$2
    for n in 10000 100000; do
        read -r rate wall rss < <(run_one "$bin" ensemble --graph "$graph" --blocs "$k" \
            --steps "$n" --seed 1 --tol 5 --every 100 --threads 1 --out "$out_dir/mem.jsonl")
        printf '%-14s %3s %8s %12s %10s %12s\n' "$graph" "$k" "$n" "$rate" "$rss" \
            "$(stat -c %s "$out_dir/mem.jsonl")"
    done
done
rm -f "$out_dir"/*.jsonl

if [ "$gerrychain" = 1 ]; then
    echo "== GerryChain (PyPI) in $gc_venv"
    if [ ! -x "$gc_venv/bin/python" ] || ! "$gc_venv/bin/python" -c 'import gerrychain' 2>/dev/null; then
        python3 -m venv "$gc_venv"
        if ! "$gc_venv/bin/pip" install -q gerrychain; then
            echo "pip install gerrychain failed; GerryChain figures skipped" >&2
            exit 1
        fi
    fi
    "$gc_venv/bin/pip" list 2>/dev/null | grep -i -E '^(gerrychain|networkx|numpy|scipy) ' || true
    "${pin[@]}" "$gc_venv/bin/python" scripts/gerrychain_bench.py --data "$root/data" \
        --grid-steps "$gc_grid_steps" --county-steps "$gc_county_steps"
fi
