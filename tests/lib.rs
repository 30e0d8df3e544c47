//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod errors;
mod fusion;
mod lab;
mod links;
mod net;
mod netns;
mod repl;
mod syntax;
mod tutorial;
