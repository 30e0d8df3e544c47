//! vsh: a shell for Linux virtual networks.
pub mod net;
