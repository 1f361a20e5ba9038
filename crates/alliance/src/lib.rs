//! Alliances: contiguous partitions of a graph of units (states or counties)
//! into blocs.
//!
//! The graph is flat CSR arrays (`edges_start`, `neighbors`) with per-node
//! populations, so the sampler's inner loop walks slices and reuses buffers.

pub mod attrs;
pub mod bounds;
pub mod chain;
pub mod feasible;
pub mod optimize;
pub mod output;
pub mod plan;
pub mod recom;
pub mod rng;
pub mod scores;
pub mod shipped;
pub mod stability;
pub mod summary;

pub use fedsplit_core::graph::{Graph, GraphError, Partition};
