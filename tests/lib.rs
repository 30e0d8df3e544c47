//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod bridges;
mod errors;
mod inspect;
mod lab;
mod links;
mod net;
mod netns;
mod repl;
mod routes;
mod syntax;
mod tutorial;
