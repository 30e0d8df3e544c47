//! `tuntap ...` / `ip tuntap ...`: persistent tun and tap devices in the current namespace.
//! One resolver turns the words into a request, for the run and for `--check`.

use super::error::{Result, RunError};
use super::journal::{Attrs, Entry};
use super::netns::{fail, where_};
use super::Evaluator;
use crate::net::link;
use crate::net::tuntap::{self, flags, TunDevice};
use crate::syntax::ast::{TuntapCmd, TuntapFlag, TuntapOpt, Word};
use crate::syntax::Span;

/// What `tuntap add|del` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TuntapRequest {
    pub add: bool,
    pub request: tuntap::Request,
}

/// The request of `tuntap add|del OPTIONS`, as iproute2 6.1 reads the options; `Ok(None)`
/// when a word is not known yet (`--check`), once every known one is checked.
pub(super) fn resolve(
    add: bool,
    opts: &[TuntapOpt],
    span: Span,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
) -> Result<Option<TuntapRequest>> {
    let mut known = true;
    let mut r = tuntap::Request {
        flags: flags::NO_PI,
        ..Default::default()
    };
    let mut name_given = false;
    let mut mode_given = false;
    for opt in opts {
        match opt {
            TuntapOpt::Name(w) => {
                if name_given {
                    return Err(usage(
                        "a second name",
                        w.span,
                        "tuntap makes one device a line",
                    ));
                }
                name_given = true;
                match text(w)? {
                    Some(t) => {
                        super::resolve::parse_ifname(&t, w.span)?;
                        r.name = Some(t);
                    }
                    None => known = false,
                }
            }
            TuntapOpt::Mode(w) => {
                mode_given = true;
                match text(w)? {
                    Some(t) => set_mode(&mut r, t, w.span)?,
                    None => known = false,
                }
            }
            TuntapOpt::User(w) | TuntapOpt::Group(w) => {
                if !add {
                    return Err(usage(
                        "an owner in del",
                        w.span,
                        "tuntap del takes the name, the mode and the flags",
                    ));
                }
                match text(w)? {
                    Some(t) => set_owner(&mut r, t, w.span, matches!(opt, TuntapOpt::User(_)))?,
                    None => known = false,
                }
            }
            TuntapOpt::Flag(f, _) => {
                r.flags = match f {
                    TuntapFlag::Pi => r.flags & !flags::NO_PI,
                    TuntapFlag::VnetHdr => r.flags | flags::VNET_HDR,
                    TuntapFlag::MultiQueue => r.flags | flags::MULTI_QUEUE,
                }
            }
        }
    }
    if add && !mode_given {
        return Err(usage(
            "no mode",
            span,
            "say which: tuntap add dev tap0 mode tap (or mode tun)",
        ));
    }
    Ok(known.then_some(TuntapRequest { add, request: r }))
}

/// `mode tun|tap`: any prefix, `tun` first, as iproute2; a second, other mode is refused.
fn set_mode(r: &mut tuntap::Request, t: String, span: Span) -> Result<()> {
    let mode = match t.as_str() {
        m if !m.is_empty() && "tun".starts_with(m) => flags::TUN,
        m if !m.is_empty() && "tap".starts_with(m) => flags::TAP,
        _ => {
            return Err(RunError::BadValue {
                text: t,
                expected: "a mode: tun or tap",
                span,
            })
        }
    };
    if r.flags & (flags::TUN | flags::TAP) & !mode != 0 {
        return Err(usage("a second mode", span, "a device is tun or tap"));
    }
    r.flags |= mode;
    Ok(())
}

/// `user U` (`user` true) or `group G`: by name or number.
fn set_owner(r: &mut tuntap::Request, t: String, span: Span, user: bool) -> Result<()> {
    let id = owner_id(&t, user).ok_or(RunError::BadValue {
        text: t,
        expected: if user {
            "a user name or uid"
        } else {
            "a group name or gid"
        },
        span,
    })?;
    if user {
        r.owner = Some(id);
    } else {
        r.group = Some(id);
    }
    Ok(())
}

/// A uid or gid as iproute2 takes it: a number, or a name looked up in passwd or group.
fn owner_id(text: &str, user: bool) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    match user {
        true => nix::unistd::User::from_name(text)
            .ok()
            .flatten()
            .map(|u| u.uid.as_raw()),
        false => nix::unistd::Group::from_name(text)
            .ok()
            .flatten()
            .map(|g| g.gid.as_raw()),
    }
}

fn usage(what: &str, span: Span, help: &str) -> RunError {
    RunError::Usage {
        what: format!("ip tuntap: {what}"),
        span,
        help: Some(help.into()),
    }
}

impl Evaluator {
    pub(super) fn tuntap_cmd(&mut self, cmd: &TuntapCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let TuntapCmd::Change { add, opts } = cmd else {
            let sock = self.socket(&ns, span)?;
            let devs = tuntap::list(sock)
                .map_err(fail(format!("cannot list devices {}", where_(&ns)), span))?;
            self.out.print(&devs.iter().map(line).collect::<String>());
            return Ok(());
        };
        let TuntapRequest { add, request } =
            resolve(*add, opts, span, &mut |w| self.word(w).map(Some))?.ok_or(RunError::Usage {
                what: "a word of this line has no value".into(),
                span,
                help: None,
            })?;
        if add {
            // The kernel makes the device in the namespace of the thread that opens the tun.
            let name = self
                .net
                .enter(&ns, || tuntap::add(&request))
                .and_then(|r| r)
                .map_err(fail(
                    format!(
                        "cannot add {} {}",
                        request.name.as_deref().unwrap_or("a tun device"),
                        where_(&ns)
                    ),
                    span,
                ))?;
            return self.note_made_link(&ns, &name, None, span);
        }
        let gone = match &request.name {
            Some(name) => self.before_tun_del(name, span)?,
            None => vec![],
        };
        self.journaled(gone, |ev| {
            ev.net
                .enter(&ns, || tuntap::del(&request))
                .and_then(|r| r)
                .map_err(fail(
                    format!(
                        "cannot delete {} {}",
                        request.name.as_deref().unwrap_or("a tun device"),
                        where_(&ns)
                    ),
                    span,
                ))
        })
    }
}

impl Evaluator {
    /// Before `tuntap del NAME`: a device the run made is only noted as gone; an older tun or
    /// tap device is saved whole (its routes, addresses, state and flags), for undo to make it
    /// again and give it back what it had.
    fn before_tun_del(&mut self, name: &str, span: Span) -> Result<Vec<Entry>> {
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        let Some(old) =
            link::get(sock, name).map_err(fail(format!("cannot look up \"{name}\""), span))?
        else {
            return Ok(vec![]);
        };
        let at = self.link_at(&ns, old.index, name, span)?;
        if self.made_here(&ns, Some(old.index), span)? {
            return Ok(vec![Entry::LinkDeleted(at)]);
        }
        let sock = self.socket(&ns, span)?;
        let devs = tuntap::list(sock).map_err(fail("cannot list tun devices", span))?;
        let Some(dev) = devs.into_iter().find(|d| d.index == old.index) else {
            // Not a tun device: the kernel refuses the line.
            return Ok(vec![]);
        };
        let mut entries = self.routes_of(&at.at, span)?;
        entries.push(Entry::Attrs {
            link: at.clone(),
            before: Attrs {
                up: Some(old.is_up()),
                mtu: Some(old.mtu),
                master: Some(old.master.unwrap_or(0)),
                // Made again, a tap would get a new MAC address: it gets its own back.
                address: old.mac.clone().filter(|mac| !mac.is_empty()),
                txqlen: Some(old.txqlen),
                group: Some(old.group),
                ..Attrs::default()
            },
        });
        // Undo goes newest first: the device, then its addresses while it is down, then its
        // state, then the routes.
        entries.extend(self.addresses_of(&at, None, span)?.into_iter().rev());
        entries.push(Entry::TunSaved { link: at, dev });
        Ok(entries)
    }
}

/// One device as `ip tuntap show` 6.1 prints it: `tap0: tap persist`.
fn line(d: &TunDevice) -> String {
    let f = d.flags;
    let mut out = format!("{}:", d.name);
    let named = [
        (f & flags::TUN != 0, "tun"),
        (f & flags::TAP != 0, "tap"),
        (f & flags::NO_PI == 0, "pi"),
        (f & flags::ONE_QUEUE != 0, "one_queue"),
        (f & flags::MULTI_QUEUE != 0, "multi_queue"),
        (f & flags::VNET_HDR != 0, "vnet_hdr"),
        (f & flags::PERSIST != 0, "persist"),
        // IFF_NOFILTER shares IFF_NO_PI's bit: iproute2 says `filter` with `pi`.
        (f & flags::NO_PI == 0, "filter"),
    ];
    for (set, word) in named {
        if set {
            out.push(' ');
            out.push_str(word);
        }
    }
    let rest = f & !(flags::TUN
        | flags::TAP
        | flags::NO_PI
        | flags::ONE_QUEUE
        | flags::MULTI_QUEUE
        | flags::VNET_HDR
        | flags::PERSIST);
    if rest != 0 {
        out.push_str(&format!(" {rest:#x}"));
    }
    if let Some(uid) = d.owner {
        out.push_str(&format!(" user {uid}"));
    }
    if let Some(gid) = d.group {
        out.push_str(&format!(" group {gid}"));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_read_as_iproute2_prints_them() {
        let d = TunDevice {
            index: 4,
            name: "tq".into(),
            flags: flags::TAP | flags::MULTI_QUEUE | flags::VNET_HDR | flags::PERSIST,
            owner: None,
            group: None,
        };
        assert_eq!(line(&d), "tq: tap pi multi_queue vnet_hdr persist filter\n");
        let t = TunDevice {
            name: "tun0".into(),
            flags: flags::TUN | flags::NO_PI | flags::PERSIST,
            owner: Some(1000),
            group: Some(100),
            ..d
        };
        assert_eq!(line(&t), "tun0: tun persist user 1000 group 100\n");
    }
}
