//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod bridges;
mod build;
mod corpus;
mod errors;
mod fusion;
mod fuzz;
mod inspect;
mod junit;
mod lab;
mod links;
mod net;
mod netns;
mod netns_del;
mod packets;
mod processes;
mod reach;
mod repl;
mod routes;
mod safety;
mod syntax;
mod tutorial;
