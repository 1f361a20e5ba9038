#!/usr/bin/env bash
# Regenerates the ensembles shipped in the binary (data/ensembles/): ReCom
# ensembles of contiguous plans within ±5% of the ideal population, on the
# states graph for K = 2..6 and the counties graph for K = 2..4, drawn on the
# default (latest) year's populations. Each is 4 chains of 10,000 steps from
# seed 2024, recording every 40th step: 1,004 plans. The output is gzip'd
# without a timestamp (gzip -n), so a rerun gives the same bytes for the same
# binary and data; crates/cli/tests/ensemble.rs regenerates states-k2 and
# compares.
#
# Usage: scripts/ensembles.sh [FEDSPLIT_BINARY]   (default: builds and uses
# target/release/fedsplit). Takes about a minute on 2 cores.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-}"
if [[ -z "$bin" ]]; then
  cargo build --release -p fedsplit --quiet
  bin="target/release/fedsplit"
fi

out="data/ensembles"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

draw() { # graph k
  local name="$1-k$2"
  "$bin" ensemble --graph "$1" --blocs "$2" --chains 4 --steps 10000 --every 40 \
    --seed 2024 --quiet --out "$tmp/$name.jsonl"
  gzip -n -9 "$tmp/$name.jsonl"
  mv "$tmp/$name.jsonl.gz" "$out/$name.jsonl.gz"
  echo "$out/$name.jsonl.gz: $(stat -c %s "$out/$name.jsonl.gz") bytes"
}

for k in 2 3 4 5 6; do draw states "$k"; done
for k in 2 3 4; do draw counties "$k"; done
