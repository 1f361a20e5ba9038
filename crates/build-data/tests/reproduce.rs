//! Rebuilding the tables from the raw sources reproduces the committed
//! `data/` byte for byte. Skipped, and said so on the terminal, when the raw
//! sources are not beside the workspace; under CI=true that is a failure.

use std::path::PathBuf;

#[test]
fn builder_reproduces_committed_tables() {
    let Some(raw) = fedsplit_build_data::raw_root_for_test("builder_reproduces_committed_tables")
    else {
        return;
    };
    let files = fedsplit_build_data::write::build(&raw).expect("build succeeds");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    assert_eq!(files.len(), 11);
    for f in files {
        let committed = std::fs::read_to_string(data.join(f.name)).expect("committed table exists");
        assert!(
            committed == f.text,
            "data/{} differs from what the sources produce: run `cargo run -p fedsplit-build-data`",
            f.name
        );
    }
}
