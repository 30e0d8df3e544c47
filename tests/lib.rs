//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod bridges;
mod corpus;
mod errors;
mod first_hour;
mod fusion;
mod fuzz;
mod graph;
mod inspect;
mod isolation;
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
mod shell;
mod state;
mod syntax;
mod trace;
mod tutorial;
mod undo;
