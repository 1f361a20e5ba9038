//! One module per subcommand. Each `run` returns the full output text, so
//! nothing is printed when a command fails part-way.

pub mod blocs;
pub mod ensemble;
pub mod explain;
pub mod ledger;
pub mod optimize;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod series;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sources;
pub mod stability;
pub mod sweep;
