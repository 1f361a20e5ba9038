//! A graph of units (states, counties, grid cells) in CSR form, and a
//! partition of it into blocs: the one model behind scenarios' contiguity,
//! the alliance sampler, stability and optimisation.

/// Why a graph could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("edge {a}–{b} names a node outside 0..{n}")]
    NodeOutOfRange { a: usize, b: usize, n: usize },
    #[error("node {0} is joined to itself")]
    SelfLoop(usize),
    #[error("{0} nodes and {1} populations")]
    PopulationLength(usize, usize),
}

/// An undirected graph: node `v`'s neighbours are
/// `neighbors[edges_start[v]..edges_start[v + 1]]`, sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    pub edges_start: Vec<u32>,
    pub neighbors: Vec<u32>,
    /// Population of each node.
    pub pops: Vec<u64>,
    /// A name per node (postal code, county FIPS, or "r,c" on a grid).
    pub names: Vec<String>,
}

impl Graph {
    /// Builds a graph from undirected edges (each listed once or twice;
    /// duplicates are merged).
    pub fn from_edges(
        pops: Vec<u64>,
        names: Vec<String>,
        edges: &[(usize, usize)],
    ) -> Result<Graph, GraphError> {
        let n = pops.len();
        if names.len() != n {
            return Err(GraphError::PopulationLength(names.len(), n));
        }
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in edges {
            if a >= n || b >= n {
                return Err(GraphError::NodeOutOfRange { a, b, n });
            }
            if a == b {
                return Err(GraphError::SelfLoop(a));
            }
            adj[a].push(b as u32);
            adj[b].push(a as u32);
        }
        let mut edges_start = Vec::with_capacity(n + 1);
        let mut neighbors = Vec::new();
        edges_start.push(0);
        for list in &mut adj {
            list.sort_unstable();
            list.dedup();
            neighbors.extend_from_slice(list);
            edges_start.push(neighbors.len() as u32);
        }
        Ok(Graph {
            edges_start,
            neighbors,
            pops,
            names,
        })
    }

    /// A `width × height` grid with rook adjacency and unit populations.
    pub fn grid(width: usize, height: usize) -> Graph {
        let id = |r: usize, c: usize| r * width + c;
        let mut edges = Vec::new();
        let mut names = Vec::with_capacity(width * height);
        for r in 0..height {
            for c in 0..width {
                names.push(format!("{r},{c}"));
                if c + 1 < width {
                    edges.push((id(r, c), id(r, c + 1)));
                }
                if r + 1 < height {
                    edges.push((id(r, c), id(r + 1, c)));
                }
            }
        }
        Graph::from_edges(vec![1; width * height], names, &edges).expect("grid edges are valid")
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.pops.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pops.is_empty()
    }

    /// Neighbours of `v`.
    #[inline]
    pub fn neighbors(&self, v: usize) -> &[u32] {
        &self.neighbors[self.edges_start[v] as usize..self.edges_start[v + 1] as usize]
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.neighbors.len() / 2
    }

    pub fn total_pop(&self) -> u64 {
        self.pops.iter().sum()
    }

    /// The subgraph of the nodes `keep` (ascending), renumbered 0.. in that
    /// order; edges to nodes outside `keep` are dropped.
    pub fn induced(&self, keep: &[usize]) -> Graph {
        let mut new_index = vec![u32::MAX; self.len()];
        for (v, &old) in keep.iter().enumerate() {
            new_index[old] = v as u32;
        }
        let mut edges_start = Vec::with_capacity(keep.len() + 1);
        let mut neighbors = Vec::new();
        edges_start.push(0);
        for &old in keep {
            neighbors.extend(
                self.neighbors(old)
                    .iter()
                    .map(|&u| new_index[u as usize])
                    .filter(|&u| u != u32::MAX),
            );
            edges_start.push(neighbors.len() as u32);
        }
        Graph {
            edges_start,
            neighbors,
            pops: keep.iter().map(|&v| self.pops[v]).collect(),
            names: keep.iter().map(|&v| self.names[v].clone()).collect(),
        }
    }

    /// Number of connected components.
    pub fn component_count(&self) -> usize {
        self.bloc_components(&vec![0u32; self.len()], 1)[0].len()
    }

    /// Connected pieces of every bloc at once (a node's neighbours count only
    /// when in the same bloc). `result[b]` lists bloc `b`'s pieces in the
    /// order of their smallest node, each piece ascending. Every entry of
    /// `bloc_of` must be below `k`.
    pub fn bloc_components<B: BlocIndex>(&self, bloc_of: &[B], k: usize) -> Vec<Vec<Vec<usize>>> {
        debug_assert_eq!(bloc_of.len(), self.len());
        let mut result: Vec<Vec<Vec<usize>>> = vec![Vec::new(); k];
        let mut seen = vec![false; self.len()];
        let mut queue: Vec<usize> = Vec::with_capacity(self.len());
        for start in 0..self.len() {
            if seen[start] {
                continue;
            }
            let b = bloc_of[start].index();
            seen[start] = true;
            queue.clear();
            queue.push(start);
            let mut head = 0;
            while head < queue.len() {
                let v = queue[head];
                head += 1;
                for &u in self.neighbors(v) {
                    let u = u as usize;
                    if !seen[u] && bloc_of[u].index() == b {
                        seen[u] = true;
                        queue.push(u);
                    }
                }
            }
            let mut piece = queue.clone();
            piece.sort_unstable();
            result[b].push(piece);
        }
        result
    }
}

/// A bloc number in an assignment: `u32` in the sampler's partitions,
/// `usize` in scenarios' assignments.
pub trait BlocIndex: Copy {
    fn index(self) -> usize;
}

impl BlocIndex for u32 {
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
}

impl BlocIndex for usize {
    #[inline]
    fn index(self) -> usize {
        self
    }
}

/// A partition of a graph's nodes into `k` blocs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// Bloc of each node, 0..k.
    pub assignment: Vec<u32>,
    /// Population of each bloc.
    pub pops: Vec<u64>,
}

impl Partition {
    /// A partition from an assignment; populations are summed from the graph.
    pub fn new(graph: &Graph, assignment: Vec<u32>, k: usize) -> Partition {
        let mut pops = vec![0; k];
        for (v, &b) in assignment.iter().enumerate() {
            pops[b as usize] += graph.pops[v];
        }
        Partition { assignment, pops }
    }

    #[inline]
    pub fn k(&self) -> usize {
        self.pops.len()
    }

    /// Number of edges whose ends are in different blocs.
    pub fn cut_edges(&self, graph: &Graph) -> usize {
        (0..graph.len())
            .map(|v| {
                graph
                    .neighbors(v)
                    .iter()
                    .filter(|&&u| {
                        (u as usize) > v && self.assignment[u as usize] != self.assignment[v]
                    })
                    .count()
            })
            .sum()
    }

    /// Number of connected pieces of each bloc.
    pub fn pieces(&self, graph: &Graph) -> Vec<usize> {
        graph
            .bloc_components(&self.assignment, self.k())
            .iter()
            .map(Vec::len)
            .collect()
    }

    /// Whether every bloc is connected (and non-empty).
    pub fn is_contiguous(&self, graph: &Graph) -> bool {
        let k = self.k();
        let mut seen = vec![false; graph.len()];
        let mut found = vec![false; k];
        let mut stack = Vec::new();
        for start in 0..graph.len() {
            if seen[start] {
                continue;
            }
            let b = self.assignment[start];
            if found[b as usize] {
                return false; // a second piece of bloc b
            }
            found[b as usize] = true;
            seen[start] = true;
            stack.push(start);
            while let Some(v) = stack.pop() {
                for &u in graph.neighbors(v) {
                    let u = u as usize;
                    if !seen[u] && self.assignment[u] == b {
                        seen[u] = true;
                        stack.push(u);
                    }
                }
            }
        }
        found.iter().all(|f| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_has_expected_edges_and_degrees() {
        let g = Graph::grid(4, 3);
        assert_eq!(g.len(), 12);
        assert_eq!(g.edge_count(), 3 * 3 + 4 * 2);
        assert_eq!(g.neighbors(0), &[1, 4]);
        assert_eq!(g.neighbors(5), &[1, 4, 6, 9]);
    }

    #[test]
    fn contiguity_and_cut_edges() {
        let g = Graph::grid(2, 2); // 0 1 / 2 3
        let p = Partition::new(&g, vec![0, 0, 1, 1], 2);
        assert!(p.is_contiguous(&g));
        assert_eq!(p.cut_edges(&g), 2);
        let diag = Partition::new(&g, vec![0, 1, 1, 0], 2);
        assert!(!diag.is_contiguous(&g));
        assert_eq!(diag.pops, vec![2, 2]);
        assert_eq!(diag.pieces(&g), vec![2, 2]);
        assert_eq!(
            g.bloc_components(&[0u32, 1, 1, 0], 2),
            vec![vec![vec![0], vec![3]], vec![vec![1], vec![2]]]
        );
    }

    #[test]
    fn induced_subgraph_renumbers_and_drops_outside_edges() {
        let g = Graph::grid(3, 1); // 0 - 1 - 2
        let sub = g.induced(&[0, 2]);
        assert_eq!(sub.len(), 2);
        assert_eq!(sub.edge_count(), 0);
        assert_eq!(sub.names, ["0,0", "0,2"]);
        let sub = g.induced(&[1, 2]);
        assert_eq!(sub.neighbors(0), &[1]);
    }

    #[test]
    fn components_of_a_graph_with_an_island() {
        let g = Graph::from_edges(
            vec![1; 4],
            (0..4).map(|i| i.to_string()).collect(),
            &[(0, 1), (1, 2)],
        )
        .unwrap();
        assert_eq!(g.component_count(), 2);
        assert_eq!(
            g.bloc_components(&[0usize, 0, 0, 0], 1),
            vec![vec![vec![0, 1, 2], vec![3]]]
        );
    }

    #[test]
    fn bad_edges_are_refused() {
        assert!(Graph::from_edges(vec![1, 1], vec!["a".into(), "b".into()], &[(0, 2)]).is_err());
        assert!(Graph::from_edges(vec![1, 1], vec!["a".into(), "b".into()], &[(1, 1)]).is_err());
    }
}
