//! vsh: a shell for Linux virtual networks.
