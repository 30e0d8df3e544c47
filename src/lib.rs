//! vsh: a shell for Linux virtual networks.
//!
//! `syntax` turns text into a typed AST, `net` talks to the kernel, `eval` joins them.

pub mod net;
pub mod syntax;
