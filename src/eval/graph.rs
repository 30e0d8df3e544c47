//! `graph [--all] [--format F] [-o FILE]`: the live topology of every namespace vsh can
//! reach, as a text tree, JSON, DOT, Mermaid, SVG or an HTML page.

use super::error::Result;
use super::netns::fail;
use super::resolve;
use super::Evaluator;
use crate::graph::{render, Format};
use crate::net::topology::{self, NsHandle, Processes, Topology};
use crate::net::{NetError, Ns};
use crate::syntax::ast::GraphCmd;
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn graph(&mut self, cmd: &GraphCmd, span: Span) -> Result<()> {
        let req = resolve::graph(self, cmd)?;
        let out = resolve::known(&req.out)?;
        let format = match resolve::known(&req.format)? {
            Some(f) => f,
            // `-o lab.svg` says which format by its extension.
            None => out
                .as_deref()
                .and_then(Format::of_path)
                .unwrap_or(Format::Text),
        };
        let (_, topo) = self.topology(req.all, span)?;
        let text = render(&topo, format);
        match out {
            Some(path) => std::fs::write(&path, text).map_err(|e| {
                fail(format!("cannot write {path}"), span)(NetError::io(
                    format!("write {path}"),
                    &e,
                ))
            }),
            None => {
                // A closed pipe (`vsh graph | head`) is not the graph's failure (out.rs).
                self.out.print(&text);
                self.out.flush();
                Ok(())
            }
        }
    }

    /// Every namespace vsh can reach (with `processes`, also those only a process holds),
    /// and what is in them.
    pub(super) fn topology(
        &mut self,
        processes: bool,
        span: Span,
    ) -> Result<(Vec<NsHandle>, Topology)> {
        let root = self.ns_fd(&Ns::Root, span)?;
        let what = "cannot read the topology";
        // Under --isolated, the host's processes are no part of the picture.
        let processes = match (processes, self.isolated) {
            (false, _) => Processes::None,
            (true, false) => Processes::All,
            (true, true) => Processes::DescendantsOf(std::process::id()),
        };
        let handles = topology::namespaces(root, processes).map_err(fail(what, span))?;
        let topo = topology::discover(&handles).map_err(fail(what, span))?;
        Ok((handles, topo))
    }
}
