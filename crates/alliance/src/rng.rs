//! Random numbers from a named algorithm, one independent stream per chain.
//!
//! Every chain of an ensemble draws from ChaCha8 (`rand_chacha::ChaCha8Rng`):
//! the key comes from `seed_from_u64(seed)` (rand_core's documented PCG32
//! expansion of the 64-bit seed) and the stream number is the chain index
//! (`set_stream(chain)`), so chain `c` of seed `s` sees the same numbers
//! whichever thread runs it, in whatever order, and whichever shard it is in.
//!
//! The conversions from raw words to bounded integers and floats are written
//! out here (not taken from `rand`'s distributions) so that the output cannot
//! change under a dependency upgrade: [`ChainRng::below`] is Lemire's
//! multiply-and-reject method on 32-bit words, [`ChainRng::unit`] takes the
//! top 53 bits of a 64-bit word.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// Name of the generator, as written in output metadata.
pub const RNG_NAME: &str =
    "ChaCha8 (rand_chacha 0.9): seed_from_u64(seed), set_stream(chain index)";

/// The random source of one chain.
#[derive(Debug, Clone)]
pub struct ChainRng {
    inner: ChaCha8Rng,
}

impl ChainRng {
    /// The stream of chain `chain` under `seed`.
    pub fn new(seed: u64, chain: u64) -> ChainRng {
        let mut inner = ChaCha8Rng::seed_from_u64(seed);
        inner.set_stream(chain);
        ChainRng { inner }
    }

    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        self.inner.next_u32()
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform integer in `0..n` (`n` ≥ 1), without bias (Lemire 2019).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        let mut m = u64::from(self.next_u32()) * u64::from(n);
        if (m as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u32) < threshold {
                m = u64::from(self.next_u32()) * u64::from(n);
            }
        }
        (m >> 32) as u32
    }

    /// A uniform index in `0..n` for `n` ≤ 2³².
    #[inline]
    pub fn index(&mut self, n: usize) -> usize {
        debug_assert!(n > 0 && n <= u32::MAX as usize + 1);
        if n > u32::MAX as usize {
            return self.next_u32() as usize;
        }
        self.below(n as u32) as usize
    }

    /// A uniform float in [0, 1) with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A fair coin.
    #[inline]
    pub fn coin(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = ChainRng::new(7, 0);
        let mut b = ChainRng::new(7, 0);
        let mut c = ChainRng::new(7, 1);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = ChainRng::new(1, 0);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        for _ in 0..1000 {
            assert!(r.unit() < 1.0);
            assert_eq!(r.below(1), 0);
        }
    }
}
