//! Population bounds of a bloc: every bloc within a tolerance of the ideal
//! population (total / k). Shared by the sampler, the feasibility search and
//! the optimiser.

/// Population bounds of a bloc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub total: u64,
    pub k: usize,
    pub tol: f64,
    /// total / k.
    pub ideal: f64,
    /// ⌈ideal·(1 − tol)⌉.
    pub lo: u64,
    /// ⌊ideal·(1 + tol)⌋.
    pub hi: u64,
}

impl Bounds {
    pub fn new(total: u64, k: usize, tol: f64) -> Bounds {
        let ideal = total as f64 / k as f64;
        // A hair of slack so that e.g. 8 × (1 ± 0) stays [8, 8] despite rounding.
        let lo = (ideal * (1.0 - tol) - 1e-9).ceil().max(0.0) as u64;
        let hi = (ideal * (1.0 + tol) + 1e-9).floor() as u64;
        Bounds {
            total,
            k,
            tol,
            ideal,
            lo,
            hi,
        }
    }

    #[inline]
    pub fn contains(&self, pop: u64) -> bool {
        self.lo <= pop && pop <= self.hi
    }

    /// Largest relative deviation |pop − ideal| / ideal over `pops`.
    pub fn max_deviation(&self, pops: &[u64]) -> f64 {
        pops.iter()
            .map(|&p| (p as f64 - self.ideal).abs() / self.ideal)
            .fold(0.0, f64::max)
    }
}
