//! vsh: a shell for Linux virtual networks.
//!
//! `syntax` turns text into a typed AST, `net` talks to the kernel, `eval` joins them;
//! `run` is the one entry point that the command line (`cli`) drives.

// pest_derive without its `std` feature (see Cargo.toml) names `alloc` from the crate root.
extern crate alloc;

pub mod builtins;
pub mod cli;
pub mod diag;
pub mod eval;
pub mod graph;
pub mod junit;
pub mod net;
pub mod repl;
pub mod run;
pub mod syntax;
pub mod trace;
pub mod xml;
