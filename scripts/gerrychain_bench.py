#!/usr/bin/env python3
"""GerryChain side of the Alliances benchmark (BENCHMARKS.md, "Alliances").

Plain ReCom with GerryChain's own `recom` proposal (bipartition_tree), the same
graphs and settings as `fedsplit ensemble`:

* grid:56x56 (networkx grid_2d_graph, unit population, rook adjacency), k = 8
* counties (data/counties.csv + data/county_edges.csv, `population`), k = 2, 4, 8

epsilon 0.05, starting plan from recursive_tree_part, constraints `contiguous`
and `within_percent_of_ideal_population(initial, 0.05)`, always accept.
Times N steps of the chain (not the starting plan) and prints steps/s.

Usage (scripts/bench_alliances.sh installs GerryChain into a venv first):

    python3 scripts/gerrychain_bench.py [--data DATA_DIR] [--grid-steps 300]
        [--county-steps 200] [--seed 1] [--only grid|counties]

Output: one line per case, "gerrychain <graph> k=<K> steps=<N> <secs> s <rate> steps/s",
plus a JSON summary line starting with "json ".
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from functools import partial
from importlib.metadata import version as _version

import networkx as nx

import gerrychain
from gerrychain import Graph, MarkovChain, Partition, accept, constraints, updaters
from gerrychain.proposals import recom
from gerrychain.tree import bipartition_tree

try:  # GerryChain >= 1.0 moved it; the old location still works with a warning
    from gerrychain.partition.initial_partition_generators import recursive_tree_part
except ImportError:  # pragma: no cover - older GerryChain
    from gerrychain.tree import recursive_tree_part

EPSILON = 0.05


def grid_graph(w, h):
    g = nx.grid_2d_graph(w, h)
    for n in g.nodes:
        g.nodes[n]["population"] = 1
    return g


def county_graph(data_dir):
    g = nx.Graph()
    with open(os.path.join(data_dir, "counties.csv"), newline="") as f:
        for row in csv.DictReader(f):
            g.add_node(row["fips"], population=int(row["population"]))
    with open(os.path.join(data_dir, "county_edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            g.add_edge(row["a"], row["b"])
    return g


def run(name, nxg, k, steps, seed):
    graph = Graph.from_networkx(nxg)
    total = sum(d["population"] for _, d in nxg.nodes(data=True))
    ideal = total / k
    rng = random.Random(seed)
    t0 = time.perf_counter()
    assignment = recursive_tree_part(graph, range(k), ideal, "population", EPSILON, rng=rng)
    t_init = time.perf_counter() - t0
    initial = Partition(
        graph,
        assignment,
        updaters={"population": updaters.Tally("population", alias="population")},
    )
    proposal = partial(
        recom,
        pop_col="population",
        pop_target=ideal,
        epsilon=EPSILON,
        bipartition_tree_fn=bipartition_tree,
    )
    chain = MarkovChain(
        proposal,
        [
            constraints.contiguous,
            constraints.within_percent_of_ideal_population(initial, EPSILON),
        ],
        accept.always_accept,
        initial,
        total_steps=steps + 1,  # the first state yielded is the initial partition
        rng=rng,
    )
    it = iter(chain)
    next(it)  # initial partition, not timed as a step
    t0 = time.perf_counter()
    n = 0
    for _ in it:
        n += 1
    secs = time.perf_counter() - t0
    rate = n / secs
    print(
        f"gerrychain {name} k={k} steps={n} {secs:.2f} s {rate:.1f} steps/s"
        f" (starting plan {t_init:.2f} s)",
        flush=True,
    )
    return {"graph": name, "k": k, "steps": n, "seconds": secs, "steps_per_s": rate}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "data"))
    ap.add_argument("--grid-steps", type=int, default=300)
    ap.add_argument("--county-steps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=["grid", "counties"])
    args = ap.parse_args()

    print(
        f"gerrychain {_version('gerrychain')}, networkx {nx.__version__},"
        f" python {sys.version.split()[0]}",
        flush=True,
    )
    results = []
    if args.only in (None, "grid"):
        results.append(run("grid:56x56", grid_graph(56, 56), 8, args.grid_steps, args.seed))
    if args.only in (None, "counties"):
        cg = county_graph(args.data)
        for k in (2, 4, 8):
            results.append(run("counties", cg, k, args.county_steps, args.seed))
    print("json " + json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
