//! A scenario's blocs drawn on a graph of units: each unit (a state, or a
//! county) takes its state's bloc.

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
    /// Blocs with no unit on the graph (only Alaska or Hawaii), left out.
    pub dropped: Vec<String>,
}

/// Each unit of `graph` in its state's bloc of `assignment`. Blocs with no
/// unit on the graph are dropped and the rest renumbered in order.
pub fn plan_partition(
    data: &Dataset,
    graph: &Graph,
    attrs: &NodeAttrs,
    assignment: &Assignment,
) -> PlanOnGraph {
    let bloc_of_unit: Vec<usize> = attrs
        .state
        .iter()
        .map(|s| {
            let i = data
                .position(*s)
                .expect("graph units lie in the dataset's states");
            assignment.bloc_of[i]
        })
        .collect();
    let mut used = vec![false; assignment.len()];
    for &b in &bloc_of_unit {
        used[b] = true;
    }
    let mut new_index = vec![u32::MAX; assignment.len()];
    let mut names = Vec::new();
    let mut dropped = Vec::new();
    for (b, name) in assignment.names.iter().enumerate() {
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
    }
}
