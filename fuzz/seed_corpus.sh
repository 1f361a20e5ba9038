#!/usr/bin/env bash
# Writes the seed corpus for the `dataset` fuzz target (see fuzz_targets/dataset.rs
# for the input scheme) into fuzz/corpus/dataset/ (or the directory given as $1):
#   seed-<i>-<table>         selector byte i + the default data/<table>.csv
#   seed-<i>-<table>-header  selector byte i + that table's header line only
#   seed-8-all               selector 8 + all eight tables joined by 0x00
# Usage (from anywhere): fuzz/seed_corpus.sh [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="$here/../data"
out="${1:-$here/corpus/dataset}"
mkdir -p "$out"
# Same order as fedsplit_data::EMBEDDED / schema::ALL_FILES.
tables=(states receipt_keys spending controls borders elections income_classes manifest)
for i in "${!tables[@]}"; do
    t="${tables[$i]}"
    sel="$(printf '\\%03o' "$i")"
    { printf "$sel"; cat "$data/$t.csv"; } > "$out/seed-$i-$t"
    { printf "$sel"; head -n 1 "$data/$t.csv"; } > "$out/seed-$i-$t-header"
done
{
    printf '\010'
    for i in "${!tables[@]}"; do
        [ "$i" -gt 0 ] && printf '\000'
        cat "$data/${tables[$i]}.csv"
    done
} > "$out/seed-8-all"
echo "wrote $(ls "$out" | grep -c '^seed-') seeds to $out"
