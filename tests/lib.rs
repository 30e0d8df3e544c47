//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod bridges;
mod compat;
mod compat_rows;
mod compat_scripts;
mod corpus;
mod errors;
mod fusion;
mod fuzz;
mod inspect;
mod lab;
mod links;
mod net;
mod netns;
mod netns_del;
mod packets;
mod processes;
mod repl;
mod routes;
mod safety;
mod state;
mod syntax;
mod tutorial;
mod undo;
