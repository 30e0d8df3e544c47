//! vsh's integration tests: one module per area, over a small sandbox harness.

mod syntax;
