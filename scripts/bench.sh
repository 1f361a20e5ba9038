#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md:
#   1. machine description (nproc, CPU model, RAM, rustc, date);
#   2. criterion: cargo bench -p fedsplit-ledger --bench ledger and
#      cargo bench -p fedsplit-scenario --bench scenario (median per bench function);
#   3. hyperfine: cold start of `fedsplit report`, `fedsplit ledger --format csv`,
#      `fedsplit sensitivity` on the release binary (mean ± σ);
#   4. sweep throughput: `fedsplit sweep --example bluexit-2024` over 100,001 points,
#      pinned to one core (taskset -c 0): the scenarios/s it prints, and hyperfine;
#   5. the goals: one full ledger evaluation ≤ 20 µs; `fedsplit report` cold start ≤ 50 ms;
#      one bluexit-2024 evaluation ≤ 50 µs; sweep ≥ 100,000 scenarios/s on one core.
# Optional: --fuzz SECONDS also runs each fuzz target (dataset, then scenario with
# fuzz/scenario.dict) for SECONDS (needs cargo-fuzz; stable toolchain with
# RUSTC_BOOTSTRAP=1) and prints their execution counts; --fuzz-target NAME runs
# only that target.
#
# Usage: scripts/bench.sh [--quick] [--fuzz SECONDS [--fuzz-target dataset|scenario]]
#   --quick   shorter criterion measurement (3 s per bench), fewer hyperfine runs
#             and a 10,001-point sweep
# Needs: cargo, python3 (to read the JSON results); installs hyperfine if missing
# (apt-get when root, else `cargo install hyperfine`).
# Run on an otherwise idle machine: anything else running (e.g. a fuzzer) skews the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

quick=0
fuzz_seconds=0
fuzz_targets=(dataset scenario)
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --fuzz) fuzz_seconds="${2:?--fuzz needs a number of seconds}"; shift ;;
        --fuzz-target)
            case "${2:-}" in
                dataset|scenario) fuzz_targets=("$2") ;;
                *) echo "--fuzz-target needs dataset or scenario" >&2; exit 2 ;;
            esac
            shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
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
crit_args=()
[ "$quick" = 1 ] && crit_args=(-- --measurement-time 3 --warm-up-time 1)
stamp="$out/stamp"; touch "$stamp"
for pb in "fedsplit-ledger ledger" "fedsplit-scenario scenario"; do
    set -- $pb
    section "criterion: cargo bench -p $1 --bench $2"
    cargo bench -p "$1" --bench "$2" "${crit_args[@]}" 2>&1 | tee -a "$out/criterion.log"
done

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

# ---------------------------------------------------------------- sweep throughput
# Single-threaded; pinned to one core when taskset is available.
sweep_step=0.00001
[ "$quick" = 1 ] && sweep_step=0.0001
sweep_points="$(python3 -c "print(round(1/$sweep_step) + 1)")"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
sweep_cmd="$bin sweep --example bluexit-2024 --param bluexit.bloc.Democratic.income_tax_scale=0:1:$sweep_step --out $out/sweep.csv"
section "sweep: ${pin[*]} $sweep_cmd"
sweep_runs=5
[ "$quick" = 1 ] && sweep_runs=3
: >"$out/sweep-rates"
for _ in $(seq "$sweep_runs"); do
    # stderr: "fedsplit sweep: N points in T s (X scenarios/s)"
    line="$("${pin[@]}" $sweep_cmd 2>&1 >/dev/null)"
    echo "$line"
    echo "$line" | sed -n 's/.*(\([0-9.]*\) scenarios\/s).*/\1/p' >>"$out/sweep-rates"
done
rows="$(($(wc -l <"$out/sweep.csv") - 1))"
echo "CSV rows: $rows (expected $sweep_points)"
section "hyperfine --warmup 1 -N '${pin[*]} $sweep_cmd'"
hf_sweep=(--warmup 1 -N --min-runs 10)
[ "$quick" = 1 ] && hf_sweep=(--warmup 1 -N --min-runs 5 --max-runs 10)
hyperfine "${hf_sweep[@]}" --export-json "$out/hf-sweep.json" "${pin[*]} $sweep_cmd"

# ---------------------------------------------------------------- fuzz (optional)
fuzz_lines=()
if [ "$fuzz_seconds" -gt 0 ]; then
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
    for target in "${fuzz_targets[@]}"; do
        dict=()
        [ "$target" = scenario ] && dict=(-dict=scenario.dict)
        section "fuzz: cargo fuzz run $target -- -max_total_time=$fuzz_seconds ${dict[*]}"
        [ -d "fuzz/corpus/$target" ] || fuzz/seed_corpus.sh "$target"
        set +e
        (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- \
            -max_total_time="$fuzz_seconds" -print_final_stats=1 "${dict[@]}") >"$out/fuzz-$target.log" 2>&1
        rc=$?
        set -e
        execs="$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$out/fuzz-$target.log" | tail -n1)"
        if [ "$rc" = 0 ]; then result="no crash"; else result="FAILED (exit $rc), see fuzz/artifacts/$target/"; fi
        grep -E "panicked at|SUMMARY|Test unit written" "$out/fuzz-$target.log" || true
        fuzz_lines+=("fuzz $target, ${fuzz_seconds} s: ${execs:-?} executions, $result")
    done
fi

# ---------------------------------------------------------------- summary
section "summary"
echo "criterion (median):"
ledger_ns=""
overlay_ns=""
eval_ns=""
while IFS=$'\t' read -r name median _mean; do
    printf '  %-50s %s\n' "$name" "$(fmt_ns "$median")"
    case "$name" in
        "ledger compute_into (flow, default options)") ledger_ns="$median" ;;
        "bluexit-2024 overlay") overlay_ns="$median" ;;
        "bluexit-2024 full evaluation") eval_ns="$median" ;;
    esac
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

echo "sweep ($sweep_points points, ${pin[*]:-unpinned}):"
sweep_rate="$(python3 - "$out/sweep-rates" "$out/hf-sweep.json" "$sweep_points" <<'PY'
import json, statistics, sys
rates = [float(x) for x in open(sys.argv[1]).read().split()]
r = json.load(open(sys.argv[2]))["results"][0]
points = int(sys.argv[3])
med = statistics.median(rates) if rates else float("nan")
print(f"  printed by fedsplit sweep: median {med:,.0f} scenarios/s over {len(rates)} runs "
      f"(min {min(rates, default=float('nan')):,.0f}, max {max(rates, default=float('nan')):,.0f})", file=sys.stderr)
print(f"  hyperfine, whole process:  {r['mean']*1e3:.1f} ms ± {r['stddev']*1e3:.1f} ms "
      f"(median {r['median']*1e3:.1f} ms, {len(r['times'])} runs) = {points / r['mean']:,.0f} scenarios/s", file=sys.stderr)
print(med)
PY
)"

echo "goals:"
python3 - "${ledger_ns:-nan}" "${report_s:-nan}" "${eval_ns:-nan}" "${overlay_ns:-nan}" "${sweep_rate:-nan}" <<'PY'
import math, sys
ns, s, ev, ov, rate = (float(x) for x in sys.argv[1:6])
def verdict(v, goal):
    return "n/a" if math.isnan(v) else ("MET" if v <= goal else "NOT MET")
print(f"  one full ledger evaluation ≤ 20 µs:        {ns/1e3:.3f} µs (criterion median, flow)  -> {verdict(ns, 20e3)}")
print(f"  fedsplit report cold start ≤ 50 ms:        {s*1e3:.2f} ms (hyperfine mean)        -> {verdict(s, 0.050)}")
print(f"  one bluexit-2024 evaluation ≤ 50 µs:       {ev/1e3:.3f} µs (criterion median, full evaluation; "
      f"overlay alone {ov/1e3:.3f} µs)  -> {verdict(ev, 50e3)}")
print(f"  sweep ≥ 100,000 scenarios/s on one core:  {rate:,.0f} scenarios/s (median printed)  -> "
      f"{'n/a' if math.isnan(rate) else ('MET' if rate >= 100e3 else 'NOT MET')}")
PY
for l in "${fuzz_lines[@]}"; do echo "$l"; done
exit 0
