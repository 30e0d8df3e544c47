//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).

mod errors;
mod lab;
mod links;
mod net;
mod netns;
mod packets;
mod processes;
mod syntax;
mod tutorial;
