//! A scenario's blocs drawn on a graph of units: each unit (a state, or a
//! county) takes its state's bloc, unless the scenario moves it.

use fedsplit_core::graph::{Graph, Partition};
use fedsplit_data::Dataset;
use fedsplit_scenario::Assignment;

use crate::attrs::NodeAttrs;

/// A plan on a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOnGraph {
    pub partition: Partition,
    /// Names of the blocs with at least one unit, in the scenario's order.
    pub names: Vec<String>,
    /// Blocs with no unit on the graph (only Alaska or Hawaii, or every
    /// state of the bloc moved away county by county), left out.
    pub dropped: Vec<String>,
    /// Moves that name no unit of the graph.
    pub unknown_moves: Vec<String>,
}

/// Each unit of `graph` in its state's bloc of `assignment`, except the
/// units `moves` names (by graph name, e.g. a county's FIPS code), which go
/// to the named bloc; a name no state bloc has makes a new bloc, after the
/// others. Blocs with no unit on the graph are dropped and the rest
/// renumbered in order. Moves naming no unit of the graph are returned in
/// `unknown_moves` (every move on the state graph, whose units are states).
pub fn plan_partition(
    data: &Dataset,
    graph: &Graph,
    attrs: &NodeAttrs,
    assignment: &Assignment,
    moves: &[(String, String)],
) -> PlanOnGraph {
    let mut names_all: Vec<String> = assignment.names.clone();
    let mut bloc_of_unit: Vec<usize> = attrs
        .state
        .iter()
        .map(|s| {
            let i = data
                .position(*s)
                .expect("graph units lie in the dataset's states");
            assignment.bloc_of[i]
        })
        .collect();
    let mut unknown_moves = Vec::new();
    for (unit, bloc) in moves {
        let Some(u) = graph.names.iter().position(|n| n == unit) else {
            unknown_moves.push(unit.clone());
            continue;
        };
        bloc_of_unit[u] = match names_all.iter().position(|n| n == bloc) {
            Some(b) => b,
            None => {
                names_all.push(bloc.clone());
                names_all.len() - 1
            }
        };
    }
    let mut used = vec![false; names_all.len()];
    for &b in &bloc_of_unit {
        used[b] = true;
    }
    let mut new_index = vec![u32::MAX; names_all.len()];
    let mut names = Vec::new();
    let mut dropped = Vec::new();
    for (b, name) in names_all.iter().enumerate() {
        if used[b] {
            new_index[b] = names.len() as u32;
            names.push(name.clone());
        } else {
            dropped.push(name.clone());
        }
    }
    let units: Vec<u32> = bloc_of_unit.iter().map(|&b| new_index[b]).collect();
    let k = names.len();
    PlanOnGraph {
        partition: Partition::new(graph, units, k),
        names,
        dropped,
        unknown_moves,
    }
}
