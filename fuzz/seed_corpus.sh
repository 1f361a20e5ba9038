#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets.
#
# dataset (input scheme: fuzz_targets/dataset.rs) -> fuzz/corpus/dataset/:
#   seed-<i>-<table>         selector byte i + the latest year's (or a shared) data table
#   seed-<i>-<table>-header  selector byte i + that table's header line only
#   seed-13-all              selector 13 + the nine dataset tables joined by 0x00
# scenario (input: the TOML text; fuzz_targets/scenario.rs) -> fuzz/corpus/scenario/:
#   seed-<name>              each shipped scenarios/<name>.toml
#   seed-var-<what>          variants reaching the other forms and options:
#                            assignment map, margin/Swing bloc, pooling = "bloc",
#                            cut-spending, per-bloc devolution, all three policies,
#                            inline tables, JSON-ish and near-miss errors
#
# Usage (from anywhere):
#   fuzz/seed_corpus.sh                   both targets, default directories
#   fuzz/seed_corpus.sh dataset [DIR]     one target (DIR: instead of fuzz/corpus/<target>)
#   fuzz/seed_corpus.sh scenario [DIR]
#   fuzz/seed_corpus.sh DIR               (older form) the dataset seeds into DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."

target="all"
dir=""
case "${1:-}" in
    "") ;;
    dataset|scenario|all) target="$1"; dir="${2:-}" ;;
    *) target="dataset"; dir="$1" ;;
esac
[ "$target" = all ] && [ -n "$dir" ] && { echo "give a target with a directory" >&2; exit 2; }

dataset_seeds() {
    local data="$root/data" out="${1:-$here/corpus/dataset}"
    local year
    year="$(ls -d "$data"/fy* | sort | tail -n 1)"
    mkdir -p "$out"
    # Same order as schema::ALL_FILES, then EMBEDDED_MAPS (selectors 9..12).
    local tables=(dataset states receipt_keys spending controls borders elections income_classes manifest counties county_edges state_paths county_paths)
    local i t sel file
    table_file() { if [ -f "$year/$1.csv" ]; then echo "$year/$1.csv"; else echo "$data/$1.csv"; fi; }
    for i in "${!tables[@]}"; do
        t="${tables[$i]}"
        file="$(table_file "$t")"
        sel="$(printf '\\%03o' "$i")"
        { printf "$sel"; cat "$file"; } > "$out/seed-$i-$t"
        { printf "$sel"; head -n 1 "$file"; } > "$out/seed-$i-$t-header"
    done
    {
        printf '\015'
        for i in 0 1 2 3 4 5 6 7 8; do
            [ "$i" -gt 0 ] && printf '\000'
            cat "$(table_file "${tables[$i]}")"
        done
    } > "$out/seed-13-all"
    echo "wrote $(ls "$out" | grep -c '^seed-') seeds to $out"
}

scenario_seeds() {
    local out="${1:-$here/corpus/scenario}" f
    mkdir -p "$out"
    for f in "$root"/scenarios/*.toml; do
        cp "$f" "$out/seed-$(basename "$f" .toml)"
    done
    # Variants: each reaches code the shipped examples do not.
    cat > "$out/seed-var-assignment-bloc-pooling" <<'EOF'
name = "pacifica"
[ledger]
method = "benefit"
deficit = "scale-spending"
corporate_key = "headquarters"
procurement_key = "population"
[blocs.assignment]
CA = "Pacifica"
OR = "Pacifica"
WA = "Pacifica"
[bluexit]
income_tax_scale = 0.5
withdraw = ["grants", "medicaid", "snap", "other-payments"]
replace_share = 0.75
instrument = "sales-tax"
pooling = "bloc"
federal_response = "cut-spending"
[bluexit.bloc.Rest]
income_tax_scale = 1.0
withdraw = []
EOF
    cat > "$out/seed-var-margin-swing" <<'EOF'
name = "swing"
year = 2022
[ledger]
deficit = "per-capita"
interest = "income"
residual = "per-capita"
[blocs]
election = 2020
margin = 5.0
votes = 2016
[bluexit.bloc.Swing]
income_tax_scale = 2.0
withdraw = ["snap"]
replace_share = 0.5
instrument = "state-income-tax"
pooling = "bloc"
EOF
    cat > "$out/seed-var-devolution-per-bloc" <<'EOF'
name = "devolve-some"
[blocs]
election = 2016
[devolution]
programs = ["grants"]
instrument = "state-income-tax"
[devolution.bloc.Republican]
programs = ["medicaid", "snap", "other-payments"]
instrument = "sales-tax"
EOF
    cat > "$out/seed-var-all-policies" <<'EOF'
name = "everything"
description = "bluexit, devolution and partition at once"
[ledger]
method = "flow"
deficit = "scale-receipts"
corporate_key = "gdp"
procurement_key = "gdp"
[blocs]
list = [
  { name = "West", states = ["WA", "OR", "CA", "NV", "AK", "HI"] },
  { name = "Northeast", states = ["NY", "NJ", "CT", "MA", "RI", "VT", "NH", "ME", "DC"] },
  { name = "Rest", rest = true },
]
[bluexit]
income_tax_scale = 0.9
withdraw = ["grants"]
replace_share = 1.0
federal_response = "cut-spending"
[devolution]
programs = ["medicaid"]
[partition]
public_goods_key = "gdp"
debt_key = "net-benefit"
EOF
    cat > "$out/seed-var-array-of-tables" <<'EOF'
name = "aot"
[[blocs.list]]
name = "Texas"
states = ["TX"]
[[blocs.list]]
name = "Florida"
states = ["FL"]
[partition]
debt_key = "gdp"
EOF
    cat > "$out/seed-var-inline" <<'EOF'
name = "inline"
blocs = { assignment = { NY = "A", TX = "B" } }
bluexit = { income_tax_scale = 0.0, bloc = { A = { replace_share = 0.25, withdraw = ["medicaid"] } } }
EOF
    # Near misses: each is refused by a different check.
    cat > "$out/seed-err-both-withdrawn-and-devolved" <<'EOF'
name = "clash"
[blocs]
election = 2024
[bluexit]
withdraw = ["medicaid"]
[devolution]
programs = ["medicaid"]
EOF
    cat > "$out/seed-err-state-twice" <<'EOF'
name = "twice"
[blocs]
list = [ { name = "A", states = ["CA", "ca"] }, { name = "B", rest = true }, { name = "C", rest = true } ]
[partition]
EOF
    cat > "$out/seed-err-ranges" <<'EOF'
name = " "
[blocs]
election = 1999
margin = 100
[bluexit]
income_tax_scale = -0.0
replace_share = 1.5
[bluexit.bloc.Nobody]
income_tax_scale = nan
EOF
    printf 'name = "x"\n[blocs]\nelection = 2024\n[bluexit]\nincome_tax_scale = inf\nbogus = 1\n' \
        > "$out/seed-err-unknown-key"
    echo "wrote $(ls "$out" | grep -c '^seed-') seeds to $out"
}

case "$target" in
    dataset) dataset_seeds "$dir" ;;
    scenario) scenario_seeds "$dir" ;;
    all) dataset_seeds ""; scenario_seeds "" ;;
esac
