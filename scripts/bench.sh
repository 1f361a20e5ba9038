#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md:
#   1. machine description (nproc, CPU model, RAM, rustc, date);
#   2. criterion: cargo bench -p fedsplit-ledger --bench ledger (median per bench function);
#   3. hyperfine: cold start of `fedsplit report`, `fedsplit ledger --format csv`,
#      `fedsplit sensitivity` on the release binary (mean ± σ);
#   4. the goals: one full ledger evaluation ≤ 20 µs; `fedsplit report` cold start ≤ 50 ms.
# Optional: --fuzz SECONDS also runs the `dataset` fuzz target (needs cargo-fuzz;
# stable toolchain with RUSTC_BOOTSTRAP=1) and prints its execution count.
#
# Usage: scripts/bench.sh [--quick] [--fuzz SECONDS]
#   --quick   shorter criterion measurement (3 s per bench) and fewer hyperfine runs
# Needs: cargo, python3 (to read the JSON results); installs hyperfine if missing
# (apt-get when root, else `cargo install hyperfine`).
# Run on an otherwise idle machine: anything else running (e.g. a fuzzer) skews the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

quick=0
fuzz_seconds=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --fuzz) fuzz_seconds="${2:?--fuzz needs a number of seconds}"; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

command -v python3 >/dev/null || { echo "python3 is required to read the JSON results" >&2; exit 1; }

out="$(mktemp -d "${TMPDIR:-/tmp}/fedsplit-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

section() { printf '\n== %s ==\n' "$1"; }

# ---------------------------------------------------------------- machine
section "machine"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nproc:    $(nproc)"
echo "cpu:      $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
echo "ram:      $(free -h | awk '/^Mem:/ {print $2}')"
echo "os:       $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")"
echo "rustc:    $(rustc --version)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo n/a)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"

# ---------------------------------------------------------------- hyperfine
if ! command -v hyperfine >/dev/null; then
    section "installing hyperfine"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq hyperfine
    else
        cargo install --locked hyperfine
    fi
fi
echo "hyperfine: $(hyperfine --version)"

# ---------------------------------------------------------------- criterion
section "criterion: cargo bench -p fedsplit-ledger --bench ledger"
crit_args=()
[ "$quick" = 1 ] && crit_args=(-- --measurement-time 3 --warm-up-time 1)
stamp="$out/stamp"; touch "$stamp"
cargo bench -p fedsplit-ledger --bench ledger "${crit_args[@]}" 2>&1 | tee "$out/criterion.log"

# Medians from target/criterion/<id>/new/estimates.json, only benches run just now.
python3 - "$root/target/criterion" "$stamp" >"$out/criterion.tsv" <<'PY'
import json, os, sys
base, stamp = sys.argv[1], os.path.getmtime(sys.argv[2])
for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
    est = os.path.join(base, d, "new", "estimates.json")
    meta = os.path.join(base, d, "new", "benchmark.json")
    if not (os.path.exists(est) and os.path.getmtime(est) >= stamp):
        continue
    name = json.load(open(meta)).get("full_id", d) if os.path.exists(meta) else d
    e = json.load(open(est))
    print(f"{name}\t{e['median']['point_estimate']}\t{e['mean']['point_estimate']}")
PY

fmt_ns() { python3 -c "
import sys; v=float(sys.argv[1])
print(f'{v/1e6:.3f} ms' if v>=1e6 else f'{v/1e3:.3f} µs' if v>=1e3 else f'{v:.1f} ns')" "$1"; }

# ---------------------------------------------------------------- hyperfine runs
section "cargo build --release"
cargo build --release 2>&1 | tail -n 1
bin="./target/release/fedsplit"

hf_args=(--warmup 3 -N)
[ "$quick" = 1 ] && hf_args+=(--min-runs 10 --max-runs 30)
cmds=("$bin report" "$bin ledger --format csv" "$bin sensitivity")
i=0
for cmd in "${cmds[@]}"; do
    section "hyperfine --warmup 3 -N '$cmd'"
    hyperfine "${hf_args[@]}" --export-json "$out/hf-$i.json" "$cmd"
    i=$((i + 1))
done

# ---------------------------------------------------------------- fuzz (optional)
fuzz_line=""
if [ "$fuzz_seconds" -gt 0 ]; then
    section "fuzz: cargo fuzz run dataset -- -max_total_time=$fuzz_seconds"
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
    [ -d fuzz/corpus/dataset ] || fuzz/seed_corpus.sh
    set +e
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run dataset -- \
        -max_total_time="$fuzz_seconds" -print_final_stats=1) >"$out/fuzz.log" 2>&1
    rc=$?
    set -e
    execs="$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$out/fuzz.log" | tail -n1)"
    if [ "$rc" = 0 ]; then result="no crash"; else result="FAILED (exit $rc), see fuzz/artifacts/dataset/"; fi
    grep -E "panicked at|SUMMARY|Test unit written" "$out/fuzz.log" || true
    fuzz_line="fuzz dataset, ${fuzz_seconds} s: ${execs:-?} executions, $result"
fi

# ---------------------------------------------------------------- summary
section "summary"
echo "criterion (median):"
ledger_ns=""
while IFS=$'\t' read -r name median _mean; do
    printf '  %-50s %s\n' "$name" "$(fmt_ns "$median")"
    case "$name" in "ledger compute_into (flow, default options)") ledger_ns="$median" ;; esac
done <"$out/criterion.tsv"

echo "hyperfine (mean ± σ):"
report_s=""
i=0
for cmd in "${cmds[@]}"; do
    line="$(python3 - "$out/hf-$i.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']*1e3:.2f} ms ± {r['stddev']*1e3:.2f} ms  (median {r['median']*1e3:.2f} ms, "
      f"min {r['min']*1e3:.2f}, max {r['max']*1e3:.2f}, {len(r['times'])} runs)\t{r['mean']}")
PY
)"
    printf '  %-47s %s\n' "$cmd" "${line%%$'\t'*}"
    [ "$i" = 0 ] && report_s="${line##*$'\t'}"
    i=$((i + 1))
done

echo "goals:"
python3 - "${ledger_ns:-nan}" "${report_s:-nan}" <<'PY'
import math, sys
ns, s = float(sys.argv[1]), float(sys.argv[2])
def verdict(v, goal):
    return "n/a" if math.isnan(v) else ("MET" if v <= goal else "NOT MET")
print(f"  one full ledger evaluation ≤ 20 µs: {ns/1e3:.3f} µs (criterion median, flow)  -> {verdict(ns, 20e3)}")
print(f"  fedsplit report cold start ≤ 50 ms: {s*1e3:.2f} ms (hyperfine mean)        -> {verdict(s, 0.050)}")
PY
[ -n "$fuzz_line" ] && echo "$fuzz_line"
exit 0
