//! `netns ...`, `netns NAME { }`, `ip -n NAME`: namespaces, and naming the current one.

use super::error::{Result, RunError};
use super::journal::Entry;
use super::resolve::{self, NetnsReq, Val};
use super::Evaluator;
use crate::net::names::NetnsName;
use crate::net::netlink::RouteSocket;
use crate::net::{netns, NetError, Ns};
use crate::syntax::ast::{NetnsCmd, Word};
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn netns_cmd(&mut self, cmd: &NetnsCmd, span: Span) -> Result<()> {
        match resolve::netns_cmd(self, cmd)? {
            NetnsReq::Add(name) => self.make_netns(name.get()?, span),
            NetnsReq::Del(name) => {
                let name = name.take()?.into_string();
                // Recorded, so that undo never takes a namespace made later under this name
                // for the one deleted here.
                let gone = match self.net.identity(&Ns::Named(name.clone())) {
                    Ok(Some(id)) => vec![Entry::NetnsDeleted {
                        name: name.clone(),
                        id,
                    }],
                    _ => vec![],
                };
                self.journaled(gone, |ev| {
                    ev.net.del(&name).map_err(del_failed(&name, span))
                })?;
                // The unmount finishes in the background; `settle` reports a failure here.
                self.deleting.insert(name, span);
                Ok(())
            }
            NetnsReq::List => {
                let entries = self
                    .net
                    .list()
                    .map_err(fail("cannot list namespaces", span))?;
                let dir = std::path::Path::new(crate::net::netns::NETNS_DIR).is_dir();
                let opts = self.output_opts();
                self.out.print(&super::show::netns(&entries, dir, &opts));
                Ok(())
            }
            NetnsReq::Exec { ns, argv } => {
                let ns = self.ns_of(&ns, false)?;
                self.run_program(&ns, argv, span)
            }
            NetnsReq::Attach { name, pid } => {
                let (name, pid) = (name.get()?, *pid.get()?);
                self.net.attach(name, pid).map_err(fail(
                    format!("cannot attach namespace \"{name}\" to process {pid}"),
                    span,
                ))?;
                self.note_made_netns(name, span)
            }
            NetnsReq::Identify(pid) => {
                let path = match pid {
                    Some(pid) => netns::pid_netns_path(*pid.get()?),
                    None => self.net.path_of(&self.ns),
                };
                let names =
                    netns::identify(&path).map_err(fail("cannot identify the namespace", span))?;
                for name in names {
                    self.out.line(&name);
                }
                Ok(())
            }
            NetnsReq::Pids(name) => {
                let name = name.get()?;
                let pids = netns::pids(name).map_err(fail(
                    format!("cannot list the processes of \"{name}\""),
                    span,
                ))?;
                for pid in pids {
                    self.out.line(&pid.to_string());
                }
                Ok(())
            }
        }
    }

    /// Waits for the deletes `netns del` queued; the first that failed is reported at its
    /// statement.
    pub(super) fn settle(&mut self) -> Result<()> {
        if self.deleting.is_empty() {
            return Ok(());
        }
        let spans = std::mem::take(&mut self.deleting);
        match self.net.settle().into_iter().next() {
            None => Ok(()),
            Some((name, error)) => {
                let span = spans.get(&name).copied().unwrap_or_default();
                Err(del_failed(&name, span)(error))
            }
        }
    }

    /// `netns add`, journaled.
    fn make_netns(&mut self, name: &str, span: Span) -> Result<()> {
        self.net
            .add(name)
            .map_err(fail(format!("cannot create namespace \"{name}\""), span))?;
        self.note_made_netns(name, span)
    }

    /// The namespace a word names: `root`, or one in /run/netns. A block creates it if absent.
    pub(super) fn ns_ref(&mut self, w: &Word, create: bool) -> Result<Ns> {
        let name = resolve::ns(self, w)?;
        self.ns_of(&name, create)
    }

    /// The namespace a resolved name names, as `ns_ref`.
    pub(super) fn ns_of(&mut self, name: &Val<NetnsName>, create: bool) -> Result<Ns> {
        let span = name.span;
        let name = name.get()?.to_string();
        if name == "root" {
            return Ok(Ns::Root);
        }
        if !self.net.exists(&name) {
            if create {
                self.make_netns(&name, span)?;
            } else {
                return Err(RunError::Net {
                    what: format!("cannot enter namespace \"{name}\""),
                    error: NetError::NoNetns { name: name.clone() },
                    span,
                    help: Some(match crate::builtins::nearest_subcommand("netns", &name) {
                        // `netns lst` reads as entering a namespace called lst.
                        Some(sub) => format!(
                            "did you mean `netns {sub}`? (to enter a namespace \"{name}\", \
                             create it first: netns add {name})"
                        ),
                        None => format!("create it first: netns add {name}"),
                    }),
                });
            }
        }
        Ok(Ns::Named(name))
    }
}

/// How to describe a namespace in a message.
pub(super) fn where_(ns: &Ns) -> String {
    match ns {
        Ns::Root => "in the root namespace".into(),
        Ns::Named(name) => format!("in namespace {name}"),
    }
}

/// `netns del` failed: creating a namespace to delete it is no advice.
fn del_failed(name: &str, span: Span) -> impl FnOnce(NetError) -> RunError {
    let what = format!("cannot delete namespace \"{name}\"");
    move |error| {
        let mut e = fail(what, span)(error);
        if let RunError::Net {
            error: NetError::NoNetns { .. },
            help,
            ..
        } = &mut e
        {
            *help = Some("`netns list` shows the namespaces there are".into());
        }
        e
    }
}

impl Evaluator {
    /// The route socket of `ns`, opened on first use; failing names the namespace, so that
    /// "namespace \"red\" does not exist" reads as the cause of the statement's failure.
    pub(super) fn socket(&mut self, ns: &Ns, span: Span) -> Result<&mut RouteSocket> {
        let what = match ns {
            Ns::Root => "cannot open the root namespace's netlink socket".to_string(),
            Ns::Named(name) => format!("cannot open namespace {name}'s netlink socket"),
        };
        self.net.route(ns).map_err(fail(what, span))
    }
}

/// Wraps a kernel error with what we were doing and where in the script, adding a hint
/// where one helps.
pub(super) fn fail(what: impl Into<String>, span: Span) -> impl FnOnce(NetError) -> RunError {
    move |error| {
        let help = hint(&error);
        RunError::Net {
            what: what.into(),
            error,
            span,
            help,
        }
    }
}

fn hint(error: &NetError) -> Option<String> {
    use nix::errno::Errno;
    match error {
        NetError::NoNetns { name } => Some(format!("create it first: netns add {name}")),
        NetError::NetnsExists { name } => Some(format!(
            "use `netns {name} {{ ... }}` to reuse it, or `netns del {name}` first"
        )),
        NetError::NoDevice { .. } => Some("`link list` shows the devices of this namespace".into()),
        _ => match error.errno() {
            Some(Errno::EPERM) | Some(Errno::EACCES) => {
                Some("this needs CAP_NET_ADMIN: run vsh as root, or use `vsh --isolated`".into())
            }
            _ => None,
        },
    }
}
