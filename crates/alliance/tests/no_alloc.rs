//! A ReCom step does not allocate: every buffer is sized once when the chain
//! starts (counted with a global allocator, per thread).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use fedsplit_alliance::recom::{initial_plan, Params, Sampler, TreeMethod, Variant};
use fedsplit_alliance::rng::ChainRng;
use fedsplit_alliance::Graph;

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

#[test]
fn steps_do_not_allocate() {
    let g = Graph::grid(20, 20);
    for (variant, tree, k) in [
        (Variant::Recom, TreeMethod::Mst, 4),
        (Variant::Recom, TreeMethod::Wilson, 5),
        (Variant::Reversible, TreeMethod::Wilson, 4),
    ] {
        let params = Params {
            k,
            tol: 0.1,
            variant,
            tree,
        };
        let mut rng = ChainRng::new(9, 0);
        let start = initial_plan(&g, &params, &mut rng).unwrap();
        let mut s = Sampler::new(&g, params, &start).unwrap();
        let before = allocs();
        for _ in 0..2000 {
            s.step(&mut rng);
        }
        let during = allocs() - before;
        assert_eq!(
            during, 0,
            "{variant:?}/{tree:?}: {during} allocations in 2000 steps"
        );
        assert!(s.stats().moves > 0);
    }
}
