//! `link ...` and `veth ...`: devices in the current namespace.

use super::error::{Result, RunError};
use super::journal::Entry;
use super::netns::{fail, where_};
use super::resolve::{self, KindOpts, KindReq, LinkReq, OpReq, Target, Val};
use super::{show, Evaluator};
use crate::net::link::{self, Born, Link, LinkChange, LinkKind, MacvlanMode, NsTarget, VxlanOpt};
use crate::net::link_more;
use crate::net::names::{IfName, NetnsName};
use crate::net::Ns;
use crate::syntax::ast::{LinkCmd, LinkOp, Word};
use crate::syntax::Span;
use std::os::fd::{AsFd, OwnedFd};

impl Evaluator {
    pub(super) fn link_cmd(&mut self, cmd: &LinkCmd, span: Span) -> Result<()> {
        match resolve::link(self, cmd)? {
            LinkReq::Show { dev } => self.link_show(dev, span),
            LinkReq::Add { name, kind, ops } => self.link_add(name, kind, ops, span),
            LinkReq::Set { dev, ops } => {
                let (index, name) = self.device_of(&dev)?;
                let here = self.ns.clone();
                self.within(here, |ev| ev.link_ops(index, &name, &ops, span))
            }
            LinkReq::Property { add, dev, altnames } => {
                self.link_property(add, &dev, &altnames, span)
            }
            LinkReq::Del { dev } => {
                let (index, name) = self.device_of(&dev)?;
                let ns = self.ns.clone();
                let gone = vec![Entry::LinkDeleted(self.link_at(&ns, index, &name, span)?)];
                self.journaled(gone, |ev| {
                    let sock = ev.socket(&ns, span)?;
                    link::del(sock, index).map_err(fail(
                        format!("cannot delete \"{name}\" {}", where_(&ns)),
                        span,
                    ))
                })
            }
        }
    }

    /// `link show [dev DEV]`; with `-d` and a link whose details vsh cannot print as
    /// iproute2 does, the real `ip`.
    fn link_show(&mut self, dev: Option<Val<IfName>>, span: Span) -> Result<()> {
        let links = self.links(span)?;
        let wanted = match dev {
            Some(d) => Some(self.device_of(&d)?.0),
            None => None,
        };
        let names = show::NsNames::resolve(&mut self.net, &self.ns, &links);
        let shown: Vec<&Link> = links
            .iter()
            .filter(|l| wanted.is_none_or(|i| l.index == i))
            .collect();
        let opts = self.output_opts();
        if opts.details && !show::details_printable(&shown) {
            return self.real_program(span);
        }
        self.out.print(&show::links(&shown, &links, &names, &opts));
        Ok(())
    }

    /// `link add NAME [OPTIONS] type KIND ...`: the link, then the options before `type`.
    fn link_add(
        &mut self,
        name: Val<IfName>,
        kind: KindReq,
        mut ops: Vec<OpReq>,
        span: Span,
    ) -> Result<()> {
        let name = name.take()?.into_string();
        match kind {
            KindReq::Veth {
                peer,
                peer_netns,
                peer_ops,
                span: ty_span,
            } => {
                let peer_name = match &peer {
                    Some(p) => p.get()?.to_string(),
                    // As iproute2: an unnamed peer gets the kernel's vethN name.
                    None => String::new(),
                };
                self.add_veth(&name, &peer_name, peer_netns.as_ref(), ty_span, span)?;
                if !peer_ops.is_empty() && peer.is_some() {
                    // The peer's options where the peer is.
                    let at = match &peer_netns {
                        Some(ns) => self.ns_of(ns, false)?,
                        None => self.ns.clone(),
                    };
                    self.within(at, |ev| {
                        let index = ev.device_index(&peer_name, span)?;
                        ev.link_ops(index, &peer_name, &peer_ops, span)
                    })?;
                }
            }
            KindReq::Other { kind, opts } => {
                let kind_name = kind.get()?;
                let born = self.born(&mut ops)?;
                self.add_other(&name, kind_name, opts, &born, kind.span, span)?;
            }
        }
        // Device options before `type`: the new link is set as `link set` would.
        if ops.is_empty() {
            return Ok(());
        }
        let index = self.device_index(&name, span)?;
        let here = self.ns.clone();
        self.within(here, |ev| ev.link_ops(index, &name, &ops, span))
    }

    /// `veth A peer B [netns NS]`
    pub(super) fn veth(
        &mut self,
        name: &Word,
        peer: &Word,
        netns: Option<&Word>,
        span: Span,
    ) -> Result<()> {
        let req = resolve::veth(self, name, peer, netns)?;
        let (name, peer_name) = (req.name.get()?, req.peer.get()?);
        self.add_veth(name, peer_name, req.netns.as_ref(), peer.span, span)
    }

    fn add_veth(
        &mut self,
        name: &str,
        peer: &str,
        peer_netns: Option<&Val<NetnsName>>,
        peer_span: Span,
        span: Span,
    ) -> Result<()> {
        let peer_ns = match peer_netns {
            Some(ns) => Some(self.ns_of(ns, false)?),
            None => None,
        };
        // The peer's namespace fd must stay open until the kernel has answered.
        let peer_fd: Option<OwnedFd> = match &peer_ns {
            Some(ns) => Some(self.ns_fd(ns, peer_span)?),
            None => None,
        };
        let ns = self.ns.clone();
        let kind = LinkKind::Veth {
            peer,
            peer_ns: peer_fd.as_ref().map(|fd| fd.as_fd()),
        };
        let place = match &peer_ns {
            Some(p) => format!("{} (peer \"{peer}\" {})", where_(&ns), where_(p)),
            None => where_(&ns),
        };
        let what = format!("cannot create veth pair \"{name}\"/\"{peer}\" {place}");
        self.make_link(name, &kind, what, span)?;
        self.note_made_link(&ns, name, peer_ns.as_ref(), span)
    }

    /// Creates a link in the current namespace; the caller journals it (a veth with its peer).
    fn make_link(&mut self, name: &str, kind: &LinkKind, what: String, span: Span) -> Result<()> {
        self.make_born_link(name, kind, &Born::default(), what, span)
    }

    /// [`Self::make_link`], with what the device gets at birth.
    fn make_born_link(
        &mut self,
        name: &str,
        kind: &LinkKind,
        born: &Born,
        what: String,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        link::add_born(sock, name, kind, born)
            .map_err(fail(what, span))
            .map_err(exists_hint)
    }

    /// Creates a link that is not a veth in the current namespace, journaled.
    pub(super) fn make_single_link(
        &mut self,
        name: &str,
        kind: &LinkKind,
        what: String,
        span: Span,
    ) -> Result<()> {
        self.make_born_link(name, kind, &Born::default(), what, span)?;
        let ns = self.ns.clone();
        self.note_made_link(&ns, name, None, span)
    }

    /// `address` and `broadcast` before `type`, taken out of `ops`: the kernel reads them only
    /// in the request that makes the device.
    fn born(&mut self, ops: &mut Vec<OpReq>) -> Result<Born> {
        let (at_birth, rest): (Vec<OpReq>, Vec<OpReq>) = std::mem::take(ops)
            .into_iter()
            .partition(|op| matches!(op, OpReq::More(LinkOp::Address(_) | LinkOp::Broadcast(_))));
        *ops = rest;
        let words: Vec<&LinkOp> = at_birth
            .iter()
            .filter_map(|op| match op {
                OpReq::More(op) => Some(op),
                _ => None,
            })
            .collect();
        let more = super::linkset::resolve_more(&words, &mut |w| self.word(w).map(Some))?;
        Ok(Born {
            address: more.address,
            broadcast: more.broadcast,
        })
    }

    fn add_other(
        &mut self,
        name: &str,
        kind: &str,
        opts: KindOpts,
        born: &Born,
        kind_span: Span,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let parent = match &opts.parent {
            Some(dev) => Some(self.device_of(dev)?.0),
            None => None,
        };
        // iproute2 leaves the mode to the kernel, whose default is vepa.
        let mode = opts.mode.unwrap_or(MacvlanMode::Vepa);
        let id = opts.id.map(Val::take).transpose()?;
        let port = opts.port.map(Val::take).transpose()?;
        let (bridge, vxlan) = (opts.bridge, opts.vxlan);
        let missing = |key| RunError::MissingOption {
            kind: kind.to_string(),
            key,
            span: kind_span,
        };
        let kind = match kind {
            "bridge" if bridge.is_empty() => LinkKind::Bridge,
            "bridge" => LinkKind::BridgeWith(&bridge),
            "dummy" => LinkKind::Dummy,
            "ifb" => LinkKind::Ifb,
            "macvlan" | "macvtap" => LinkKind::Macvlan {
                parent: parent.ok_or_else(|| missing("link"))?,
                mode,
                tap: kind == "macvtap",
            },
            "vlan" => LinkKind::Vlan {
                parent: parent.ok_or_else(|| missing("link"))?,
                // The resolver holds the id to 0-4094.
                id: id.ok_or_else(|| missing("id"))? as u16,
                ad: opts.ad,
            },
            "vxlan" => LinkKind::Vxlan {
                // Without `id`, `external` (the resolver saw to it): VNI 0, as iproute2 leaves it.
                id: match id {
                    Some(id) => id,
                    None if vxlan.contains(&VxlanOpt::External(true)) => 0,
                    None => return Err(missing("id")),
                },
                parent,
                port,
                more: &vxlan,
            },
            other => LinkKind::Other(other),
        };
        let what = format!("cannot create \"{name}\" {}", where_(&ns));
        self.make_born_link(name, &kind, born, what, span)
            .map_err(|e| unknown_kind(e, kind_span))?;
        self.note_made_link(&ns, name, None, span)
    }

    /// The operations of one `link set`, in order. As in iproute2's single request, those
    /// after `netns` apply to the device where it went.
    fn link_ops(&mut self, mut index: u32, name: &str, ops: &[OpReq], span: Span) -> Result<()> {
        // Consecutive state, master and MTU changes go to the kernel in one request, as
        // `ip link set` sends them; a rename or a move ends the group.
        let mut group: Vec<&OpReq> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let to = match op {
                OpReq::Name(new) => {
                    self.change_link(index, name, &group, span)?;
                    group.clear();
                    self.rename_link(index, name, new, span)?;
                    continue;
                }
                OpReq::Netns(to) => to,
                _ => {
                    group.push(op);
                    continue;
                }
            };
            self.change_link(index, name, &group, span)?;
            group.clear();
            let moved_to = self.move_link(index, name, to, span)?;
            if i + 1 == ops.len() {
                break;
            }
            let Some(moved) = moved_to else {
                // A pid's namespace vsh cannot name: the rest cannot follow the device.
                return Err(RunError::NoDevice {
                    name: name.to_string(),
                    place: format!("in the namespace of process {}", to.get()?),
                    span: to.span,
                });
            };
            self.ns = moved;
            index = self.device_index(name, to.span)?;
        }
        self.change_link(index, name, &group, span)
    }

    /// State, master and MTU changes to a link, in one request (none: no request).
    pub(super) fn change_link(
        &mut self,
        index: u32,
        name: &str,
        ops: &[&OpReq],
        span: Span,
    ) -> Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        let ns = self.ns.clone();
        let place = where_(&ns);
        let mut change = LinkChange::default();
        let mut words = Vec::new();
        let mut master_name = String::new();
        for op in ops {
            match op {
                OpReq::Up(_) | OpReq::Down(_) => {
                    let up = matches!(op, OpReq::Up(_));
                    // Inside `build { }`, an up waits for the block's end (build.rs).
                    if up && self.defer_up(index, name, span) {
                        continue;
                    }
                    if !up {
                        self.forget_up(&ns, Some(index));
                    }
                    change.up = Some(up);
                    words.push(if up { "up" } else { "down" }.to_string());
                }
                OpReq::NoMaster(_) => {
                    change.master = Some(0);
                    words.push("nomaster".into());
                }
                OpReq::Master(dev) => {
                    let (master, named) = self.device_of(dev)?;
                    change.master = Some(master);
                    words.push(format!("master \"{named}\""));
                    master_name = named;
                }
                OpReq::Mtu(mtu) => {
                    let mtu = *mtu.get()?;
                    change.mtu = Some(mtu);
                    words.push(format!("mtu {mtu}"));
                }
                OpReq::Name(_) | OpReq::Netns(_) => {}
                OpReq::More(op) => {
                    let text = &mut |w: &Word| self.word(w).map(Some);
                    words.extend(super::linkset::describe(op, text));
                }
            }
        }
        let more_ops: Vec<&LinkOp> = ops
            .iter()
            .filter_map(|op| match op {
                OpReq::More(op) => Some(op),
                _ => None,
            })
            .collect();
        let more = super::linkset::resolve_more(&more_ops, &mut |w| self.word(w).map(Some))?;
        if change == LinkChange::default() && more.is_empty() {
            return Ok(());
        }
        let what = match ops {
            [OpReq::Up(_) | OpReq::Down(_)] => {
                format!("cannot set \"{name}\" {} {place}", words[0])
            }
            [OpReq::NoMaster(_)] => format!("cannot release \"{name}\" {place}"),
            [OpReq::Master(_)] => format!("cannot attach \"{name}\" to \"{master_name}\" {place}"),
            [OpReq::Mtu(_)] => format!("cannot set the MTU of \"{name}\" {place}"),
            _ => format!("cannot set \"{name}\" {} {place}", words.join(" ")),
        };
        let before = self.before_change_more(&ns, index, name, &change, &more, span)?;
        self.journaled(before, |ev| {
            let sock = ev.socket(&ns, span)?;
            link_more::change_more(sock, index, change, &more).map_err(fail(what, span))
        })
    }

    /// `link set DEV name NEW`, journaled so that undo gives the old name back.
    fn rename_link(&mut self, index: u32, name: &str, new: &Val<IfName>, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let place = where_(&ns);
        let new = new.get()?.to_string();
        let entry = Entry::Rename {
            link: self.link_at(&ns, index, name, span)?,
            to: new.clone(),
        };
        self.journaled(vec![entry], |ev| {
            let sock = ev.socket(&ns, span)?;
            link::rename(sock, index, &new).map_err(fail(
                format!("cannot rename \"{name}\" to \"{new}\" {place}"),
                span,
            ))
        })
    }

    /// `link set DEV netns NS|PID`: returns where the device went, when vsh can name it.
    fn move_link(
        &mut self,
        index: u32,
        name: &str,
        to: &Val<Target>,
        span: Span,
    ) -> Result<Option<Ns>> {
        let ns = self.ns.clone();
        let place = where_(&ns);
        let (w, text) = (to, to.get()?.to_string());
        let (target_ns, pid) = match to.get()? {
            // The sandbox has its own PID namespace: PID 1 is its init, in its root namespace,
            // and a pid it cannot see is not its own.
            &Target::Pid(pid) if self.isolated => match self.net.ns_of_pid(pid) {
                Ok(Some(ns)) => (Some(ns), None),
                Ok(None) => (None, Some(pid)),
                Err(_) => return Err(RunError::OutsideSandbox { pid, span: w.span }),
            },
            &Target::Pid(pid) => (None, Some(pid)),
            Target::Named(n) => {
                let named = Val {
                    value: Some(n.clone()),
                    span: w.span,
                };
                (Some(self.ns_of(&named, false)?), None)
            }
        };
        if self.deny_host_moves && !self.isolated {
            let into_host = match (&target_ns, pid) {
                (Some(t), _) => *t == Ns::Root,
                // A pid's namespace is the host's unless it is one of ours by name.
                (None, Some(pid)) => !matches!(self.net.ns_of_pid(pid), Ok(Some(Ns::Named(_)))),
                (None, None) => false,
            };
            if into_host {
                return Err(RunError::HostMoveDenied {
                    dev: name.to_string(),
                    span: w.span,
                });
            }
        }
        let fd = match &target_ns {
            Some(t) => Some(self.ns_fd(t, w.span)?),
            None => None,
        };
        let target = match (&fd, pid) {
            (Some(fd), _) => NsTarget::Fd(fd.as_fd()),
            (None, Some(pid)) => NsTarget::Pid(pid),
            (None, None) => unreachable!("a namespace or a pid"),
        };
        // It arrives down: an up that waits for a `build` block's end is void.
        self.forget_up(&ns, Some(index));
        // A move to a pid's namespace cannot be named again later: not undone.
        let link = self.link_at(&ns, index, name, span)?;
        let before = match &target_ns {
            Some(_) => self.before_move(&link, span)?,
            None => vec![],
        };
        self.journaled(before, |ev| {
            let sock = ev.socket(&ns, span)?;
            link::set_netns(sock, index, target).map_err(fail(
                format!("cannot move \"{name}\" {place} to namespace {text}"),
                span,
            ))
        })?;
        if let Some(to_ns) = &target_ns {
            self.note_moved(link, to_ns, w.span)?;
        }
        let moved_to = target_ns;
        Ok(match (moved_to, pid) {
            (Some(ns), _) => Some(ns),
            (None, Some(pid)) => self.net.ns_of_pid(pid).ok().flatten(),
            (None, None) => None,
        })
    }

    /// All links of the current namespace.
    pub(super) fn links(&mut self, span: Span) -> Result<Vec<Link>> {
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        link::list(sock).map_err(fail(format!("cannot list links {}", where_(&ns)), span))
    }

    /// A link of the current namespace by name, if there is one.
    pub(super) fn find_link(&mut self, name: &str, span: Span) -> Result<Option<Link>> {
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        link::get(sock, name).map_err(fail(format!("cannot look up \"{name}\""), span))
    }

    /// The ifindex and name of the device a word names, in the current namespace.
    #[allow(dead_code)] // for builtins that take a device word without a resolver of their own
    pub(super) fn device(&mut self, w: &Word) -> Result<(u32, String)> {
        let dev = resolve::ifname(self, w)?;
        self.device_of(&dev)
    }

    /// The ifindex and name of a resolved device name, in the current namespace.
    pub(super) fn device_of(&mut self, dev: &Val<IfName>) -> Result<(u32, String)> {
        let name = dev.get()?.to_string();
        Ok((self.device_index(&name, dev.span)?, name))
    }

    /// The ifindex of `name` in the current namespace; a missing device is an error at `span`.
    fn device_index(&mut self, name: &str, span: Span) -> Result<u32> {
        self.ifindex_of(name, span)?
            .ok_or_else(|| RunError::NoDevice {
                name: name.to_string(),
                place: where_(&self.ns),
                span,
            })
    }

    /// An owned handle on a namespace, for requests that name it while using another socket.
    pub(super) fn ns_fd(&mut self, ns: &Ns, span: Span) -> Result<OwnedFd> {
        let fd = self
            .net
            .fd(ns)
            .map_err(fail(format!("cannot open {}", where_(ns)), span))?;
        fd.try_clone_to_owned().map_err(|e| {
            fail(format!("cannot open {}", where_(ns)), span)(crate::net::NetError::io(
                "dup namespace fd",
                &e,
            ))
        })
    }
}

/// A link that cannot be created because its name is taken gets a hint saying so.
/// A kind the kernel lacks: point at it, and list the kinds it has.
fn unknown_kind(mut e: RunError, kind_span: Span) -> RunError {
    if let RunError::Net {
        error, help, span, ..
    } = &mut e
    {
        if error.errno() == Some(nix::errno::Errno::EOPNOTSUPP) {
            *span = kind_span;
            let kinds = crate::net::kinds::available();
            *help = Some(if kinds.is_empty() {
                "this kernel lacks that kind of link (or its module)".into()
            } else {
                format!("this kernel has these kinds: {}", kinds.join(", "))
            });
        }
    }
    e
}

fn exists_hint(mut e: RunError) -> RunError {
    if let RunError::Net { error, help, .. } = &mut e {
        if error.errno() == Some(nix::errno::Errno::EEXIST) {
            *help = Some("a device of that name already exists: `link del NAME` first, or choose another name".into());
        }
    }
    e
}
