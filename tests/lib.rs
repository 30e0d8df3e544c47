//! vsh's integration tests: one module per area, over a small sandbox harness (lab.rs).
//!
//! Tests that make namespaces start with `needs_root!()`: without root they print
//! "skipped: needs root: TEST" on stderr and pass without running. CI runs as root with
//! VSH_TESTS_NEED_ROOT=1, which turns a skip into a failure.

/// The first line of a test that needs root: skips it, saying so, when not root.
macro_rules! needs_root {
    () => {
        if crate::lab::skip_without_root() {
            return;
        }
    };
}

mod bridges;
mod build;
mod compat;
mod compat_rows;
mod compat_scripts;
mod corpus;
mod errors;
mod first_hour;
mod fusion;
mod fuzz;
mod graph;
mod inspect;
mod isolation;
mod junit;
mod lab;
mod links;
mod net;
mod netns;
mod netns_del;
mod out;
mod packets;
mod processes;
mod reach;
mod repl;
mod repl_complete;
mod routes;
mod safety;
mod shell;
mod state;
mod syntax;
mod trace;
mod tutorial;
mod undo;
