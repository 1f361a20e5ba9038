//! Alliances: contiguous partitions of a graph of units (states or counties)
//! into blocs.
//!
//! The graph is flat CSR arrays (`edges_start`, `neighbors`) with per-node
//! populations, so the sampler's inner loop walks slices and reuses buffers.

pub mod graph;

pub use graph::{Graph, GraphError, Partition};
