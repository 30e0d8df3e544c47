//! `link set`'s options beyond state, master and MTU (`address`, `alias`, `arp`, `txqueuelen`,
//! `group`, `type bridge ...`), and `link property add|del ... altname`: the words read into
//! the typed request by one resolver, which the evaluator and `--check` both run.

use super::error::{Result, RunError};
use super::journal::{Attrs, Entry};
use super::netns::{fail, where_};
use super::resolve::Val;
use super::Evaluator;
use crate::net::link::{BridgeOpt, LinkChange};
use crate::net::link_more::{self, LinkMore};
use crate::net::names::IfName;
use crate::net::Ns;
use crate::syntax::ast::{LinkOp, LinkSwitch, Word};
use crate::syntax::Span;

/// A word's text, or `None` when it is not known yet (a variable, for `--check`).
pub(super) type Text<'a> = dyn FnMut(&Word) -> Result<Option<String>> + 'a;

/// The attributes `ops` set besides state, master and MTU, read from their words. Words not
/// known yet leave their attribute alone.
pub(super) fn resolve_more(ops: &[&LinkOp], text: &mut Text) -> Result<LinkMore> {
    let mut more = LinkMore::default();
    for op in ops {
        match op {
            LinkOp::Address(w) | LinkOp::Broadcast(w) => {
                let Some(t) = text(w)? else { continue };
                let mac = Some(parse_lladdr(&t, w.span)?);
                match op {
                    LinkOp::Address(_) => more.address = mac,
                    _ => more.broadcast = mac,
                }
            }
            LinkOp::Alias(w) => {
                let Some(t) = text(w)? else { continue };
                // IFALIASZ is 256 with the NUL.
                if t.len() >= 256 {
                    return Err(RunError::BadValue {
                        text: t,
                        expected: "an alias of at most 255 bytes",
                        span: w.span,
                    });
                }
                more.alias = Some(t);
            }
            LinkOp::TxQueueLen(w) => {
                let Some(t) = text(w)? else { continue };
                more.txqlen = Some(number(&t, "a queue length (packets)", w.span)?);
            }
            LinkOp::Group(w) => {
                let Some(t) = text(w)? else { continue };
                more.group = Some(match t.as_str() {
                    "default" => 0,
                    _ => number(&t, "a group number or default", w.span)?,
                });
            }
            LinkOp::Switch(which, w) => {
                let Some(t) = text(w)? else { continue };
                switch(&mut more, *which, t, w.span)?;
            }
            LinkOp::Type { kind, opts } => {
                let bridge = more.bridge.get_or_insert_with(Vec::new);
                bridge_opts(bridge, kind, opts, text)?;
            }
            LinkOp::Up(_)
            | LinkOp::Down(_)
            | LinkOp::NoMaster(_)
            | LinkOp::Netns(_)
            | LinkOp::Master(_)
            | LinkOp::Mtu(_)
            | LinkOp::Name(_) => {}
        }
    }
    Ok(more)
}

/// `arp|multicast|allmulticast|promisc on|off`: a bit of the flags and of their mask.
fn switch(more: &mut LinkMore, which: LinkSwitch, t: String, span: Span) -> Result<()> {
    let on = match t.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(RunError::BadValue {
                text: t,
                expected: "on or off",
                span,
            })
        }
    };
    let (bit, set) = match which {
        // `arp on` clears NOARP.
        LinkSwitch::Arp => (link_more::IFF_NOARP, !on),
        LinkSwitch::Multicast => (link_more::IFF_MULTICAST, on),
        LinkSwitch::AllMulticast => (link_more::IFF_ALLMULTI, on),
        LinkSwitch::Promisc => (link_more::IFF_PROMISC, on),
    };
    more.mask |= bit;
    more.flags = if set {
        more.flags | bit
    } else {
        more.flags & !bit
    };
    Ok(())
}

/// `type KIND OPTION VALUE...`: a bridge's options, into `bridge`.
fn bridge_opts(
    bridge: &mut Vec<BridgeOpt>,
    kind: &Word,
    opts: &[(Word, Word)],
    text: &mut Text,
) -> Result<()> {
    let kind_name = text(kind)?.unwrap_or_default();
    for (key, value) in opts {
        let Some(k) = text(key)? else { continue };
        let unknown = || RunError::BadOption {
            kind: kind_name.clone(),
            key: k.clone(),
            accepted: super::kinds::kind_options(&kind_name),
            span: key.span,
        };
        if !super::kinds::kind_takes("bridge", &k) {
            return Err(unknown());
        }
        let Some(v) = text(value)? else { continue };
        let opt = super::kinds::bridge_opt_text(&k, &v, value.span)?;
        bridge.push(opt.ok_or_else(unknown)?);
    }
    Ok(())
}

/// The words of `link set` for an error message: `address 02:00:00:00:00:01`, `arp off`.
pub(super) fn describe(op: &LinkOp, text: &mut Text) -> Option<String> {
    let shown = |w: &Word, text: &mut Text| text(w).ok().flatten().unwrap_or_default();
    Some(match op {
        LinkOp::Address(w) => format!("address {}", shown(w, text)),
        LinkOp::Broadcast(w) => format!("broadcast {}", shown(w, text)),
        LinkOp::Alias(w) => format!("alias \"{}\"", shown(w, text)),
        LinkOp::TxQueueLen(w) => format!("txqueuelen {}", shown(w, text)),
        LinkOp::Group(w) => format!("group {}", shown(w, text)),
        LinkOp::Switch(which, w) => {
            let name = match which {
                LinkSwitch::Arp => "arp",
                LinkSwitch::Multicast => "multicast",
                LinkSwitch::AllMulticast => "allmulticast",
                LinkSwitch::Promisc => "promisc",
            };
            format!("{name} {}", shown(w, text))
        }
        LinkOp::Type { opts, .. } => {
            let mut words = vec!["type bridge".to_string()];
            for (k, v) in opts {
                words.push(format!("{} {}", shown(k, text), shown(v, text)));
            }
            words.join(" ")
        }
        _ => return None,
    })
}

/// An altname the kernel would take: 1 to 127 bytes, no `/`, `:` or whitespace, not `.` or
/// `..` (ALTIFNAMSIZ is 128 with the NUL).
pub(super) fn check_altname(name: &str, span: Span) -> Result<()> {
    let bad = name.is_empty()
        || name.len() > 127
        || name == "."
        || name == ".."
        || name.contains(['/', ':', '\0'])
        || name.chars().any(char::is_whitespace);
    if bad {
        return Err(RunError::BadValue {
            text: name.to_string(),
            expected: "an alternative name (1 to 127 bytes, no `/`, `:` or whitespace)",
            span,
        });
    }
    Ok(())
}

fn number(text: &str, expected: &'static str, span: Span) -> Result<u32> {
    text.parse().map_err(|_| RunError::BadValue {
        text: text.to_string(),
        expected,
        span,
    })
}

/// A link-layer address as iproute2 reads one: bytes of one or two hex digits between `:`.
fn parse_lladdr(text: &str, span: Span) -> Result<Vec<u8>> {
    let bytes: Option<Vec<u8>> = text
        .split(':')
        .map(|b| {
            (1..=2)
                .contains(&b.len())
                .then(|| u8::from_str_radix(b, 16).ok())
                .flatten()
        })
        .collect();
    match bytes {
        Some(b) if b.len() <= 32 => Ok(b),
        _ => Err(RunError::BadValue {
            text: text.to_string(),
            expected: "a link-layer address such as 02:00:00:00:00:01",
            span,
        }),
    }
}

impl Evaluator {
    /// `link property add|del [dev] DEV altname NAME...`, journaled: undo removes the names
    /// added and gives back those removed.
    pub(super) fn link_property(
        &mut self,
        add: bool,
        dev: &Val<IfName>,
        altnames: &[Val<String>],
        span: Span,
    ) -> Result<()> {
        let (index, name) = self.device_of(dev)?;
        let names = altnames
            .iter()
            .map(|w| w.get().cloned())
            .collect::<Result<Vec<_>>>()?;
        let ns = self.ns.clone();
        let before = self.before_altnames(&ns, index, &name, span)?;
        let what = format!(
            "cannot {} altname {} {} \"{name}\" {}",
            if add { "add" } else { "delete" },
            names.join(", "),
            if add { "to" } else { "of" },
            where_(&ns)
        );
        self.journaled(before, |ev| {
            let sock = ev.socket(&ns, span)?;
            link_more::altnames(sock, index, add, &names).map_err(fail(what, span))
        })
    }

    /// A link's altnames before a change to them, for undo.
    fn before_altnames(
        &mut self,
        ns: &Ns,
        index: u32,
        name: &str,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let Some(old) = self.older_link(ns, index, name, span)? else {
            return Ok(vec![]);
        };
        Ok(vec![Entry::Attrs {
            link: self.link_at(ns, index, name, span)?,
            before: Attrs {
                altnames: Some(old.altnames),
                ..Attrs::default()
            },
        }])
    }

    /// What undo needs to reverse `change` and `more` on link `index` of `ns`: as
    /// `before_change`, with the old values of what `more` sets.
    pub(super) fn before_change_more(
        &mut self,
        ns: &Ns,
        index: u32,
        name: &str,
        change: &LinkChange,
        more: &LinkMore,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let mut entries = match *change == LinkChange::default() {
            true => vec![],
            false => self.before_change(ns, index, name, change, span)?,
        };
        if more.is_empty() {
            return Ok(entries);
        }
        let Some(old) = self.older_link(ns, index, name, span)? else {
            return Ok(entries);
        };
        let bridge = match &more.bridge {
            Some(opts) if old.kind.as_deref() == Some("bridge") => {
                let sock = self.socket(ns, span)?;
                let now = link_more::bridge_options(sock, index)
                    .map_err(fail(format!("cannot look up \"{name}\""), span))?;
                now.into_iter()
                    .filter(|o| opts.iter().any(|n| n.same_key(*o)))
                    .collect()
            }
            _ => vec![],
        };
        let before = Attrs {
            address: more
                .address
                .as_ref()
                .map(|_| old.mac.clone().unwrap_or_default()),
            broadcast: more
                .broadcast
                .as_ref()
                .map(|_| old.broadcast.clone().unwrap_or_default()),
            alias: more
                .alias
                .as_ref()
                .map(|_| old.alias.clone().unwrap_or_default()),
            flags: (more.mask != 0).then_some((more.mask, old.flags & more.mask)),
            txqlen: more.txqlen.map(|_| old.txqlen),
            group: more.group.map(|_| old.group),
            bridge,
            ..Attrs::default()
        };
        entries.push(Entry::Attrs {
            link: self.link_at(ns, index, name, span)?,
            before,
        });
        Ok(entries)
    }
}
