//! `neigh ...` / `ip neigh ...`: neighbour entries of the current namespace, journaled so that
//! undo removes what the run added and puts back what it replaced, changed or deleted.

use super::error::{Result, RunError};
use super::journal::Entry;
use super::neigh_request::{resolve, Filter, NeighRequest, NO_STATE};
use super::netns::{fail, where_};
use super::Evaluator;
use crate::net::addr::Prefix;
use crate::net::neighbours::{self, nud, Mode, Neighbour, NTF_EXT_LEARNED, NTF_PROXY, NTF_ROUTER};
use crate::syntax::ast::NeighCmd;
use crate::syntax::Span;
use nix::errno::Errno;
use std::collections::HashMap;
use std::net::IpAddr;

/// iproute2 gives up a flush after this many rounds of dump and delete.
const FLUSH_ROUNDS: usize = 10;

impl Evaluator {
    pub(super) fn neigh_cmd(&mut self, cmd: &NeighCmd, span: Span) -> Result<()> {
        let request =
            resolve(cmd, span, &mut |w| self.word(w).map(Some))?.ok_or(RunError::Usage {
                what: "a word of this line has no value".into(),
                span,
                help: None,
            })?;
        match request {
            NeighRequest::Show(f) => self.neigh_show(&f, span),
            NeighRequest::Flush(f) => self.neigh_flush(&f, span),
            NeighRequest::Get { dev, dst } => self.neigh_get(&dev, dst, span),
            NeighRequest::Set {
                mode,
                dev,
                dst,
                lladdr,
                state,
                flags,
            } => {
                let (index, name) = match &dev {
                    Some(d) => (self.device_named(d)?, d.0.clone()),
                    None => (0, String::new()),
                };
                let entry = neighbours::Entry {
                    index,
                    dst,
                    lladdr,
                    state,
                    flags,
                };
                self.neigh_set(&entry, &name, mode, span)
            }
            NeighRequest::Del { dev, dst, proxy } => {
                let (index, name) = match &dev {
                    Some(d) => (self.device_named(d)?, d.0.clone()),
                    None => (0, String::new()),
                };
                self.neigh_del(index, &name, dst, proxy, span)
            }
        }
    }

    /// `neigh show`: the entries the filter takes, one a line.
    fn neigh_show(&mut self, f: &Filter, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let index = self.filter_index(f)?;
        let sock = self.socket(&ns, span)?;
        let all = neighbours::list(sock, f.proxy).map_err(fail(
            format!("cannot list neighbours {}", where_(&ns)),
            span,
        ))?;
        let names = self.names_by_index(span)?;
        let mut out = String::new();
        for n in all.iter().filter(|n| keep(n, f, index)) {
            out.push_str(&line(n, index.is_none(), &names));
        }
        self.out.print(&out);
        Ok(())
    }

    /// `neigh get`: the entry, if there is one.
    fn neigh_get(&mut self, dev: &(String, Span), dst: IpAddr, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let index = self.device_named(dev)?;
        let sock = self.socket(&ns, span)?;
        let found = neighbours::get(sock, index, dst)
            .map_err(fail(format!("cannot get neighbour {dst}"), span))?;
        let names = self.names_by_index(span)?;
        if let Some(n) = found {
            self.out.print(&line(&n, true, &names));
        }
        Ok(())
    }

    /// `neigh add|replace|change`, journaled first.
    fn neigh_set(
        &mut self,
        entry: &neighbours::Entry,
        name: &str,
        mode: Mode,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let (index, dst) = (entry.index, entry.dst);
        let proxy = entry.flags & NTF_PROXY != 0;
        let saved = match mode {
            Mode::Add => self.neigh_added(index, name, dst, proxy, span)?,
            _ => self.neigh_before(index, name, dst, proxy, span)?,
        };
        let verb = match mode {
            Mode::Add => "add",
            Mode::Replace => "replace",
            Mode::Change => "change",
        };
        self.journaled(saved, |ev| {
            let sock = ev.socket(&ns, span)?;
            neighbours::set(sock, entry, mode).map_err(fail(
                format!("cannot {verb} neighbour {dst} {}", where_(&ns)),
                span,
            ))
        })
    }

    /// `neigh del`, journaled first.
    fn neigh_del(
        &mut self,
        index: u32,
        name: &str,
        dst: IpAddr,
        proxy: bool,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let saved = self.neigh_before(index, name, dst, proxy, span)?;
        self.journaled(saved, |ev| {
            let sock = ev.socket(&ns, span)?;
            neighbours::del(sock, index, dst, proxy).map_err(fail(
                format!("cannot delete neighbour {dst} {}", where_(&ns)),
                span,
            ))
        })
    }

    /// As iproute2: dump, delete what the filter takes, again until nothing is left (at most
    /// ten rounds). Each entry is journaled as it was before it goes.
    fn neigh_flush(&mut self, f: &Filter, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let index = self.filter_index(f)?;
        let names = self.names_by_index(span)?;
        for _ in 0..FLUSH_ROUNDS {
            let sock = self.socket(&ns, span)?;
            // `proxy`: the proxy entries instead, as iproute2's dump asks for them.
            let all = neighbours::list(sock, f.proxy).map_err(fail(
                format!("cannot list neighbours {}", where_(&ns)),
                span,
            ))?;
            let doomed: Vec<Neighbour> = all.into_iter().filter(|n| keep(n, f, index)).collect();
            if doomed.is_empty() {
                return Ok(());
            }
            for n in doomed {
                let name = names.get(&n.index).cloned().unwrap_or_default();
                let saved = match self.made_here(&ns, Some(n.index), span)? {
                    true => vec![],
                    false => vec![Entry::NeighSaved {
                        link: self.link_at(&ns, n.index, &name, span)?,
                        neigh: n.clone(),
                    }],
                };
                self.journaled(saved, |ev| {
                    let sock = ev.socket(&ns, span)?;
                    match neighbours::del(sock, n.index, n.dst, n.is_proxy()) {
                        // Gone already (the kernel's timers): nothing to flush.
                        Err(e) if e.errno() == Some(Errno::ENOENT) => Ok(()),
                        r => r.map_err(fail(
                            format!("cannot flush neighbour {} {}", n.dst, where_(&ns)),
                            span,
                        )),
                    }
                })?;
            }
        }
        Err(RunError::Usage {
            what: format!("flush not complete after {FLUSH_ROUNDS} rounds"),
            span,
            help: Some("something keeps making the entries again".into()),
        })
    }

    /// `add` of an entry: undo deletes it, unless its device is the run's own.
    fn neigh_added(
        &mut self,
        index: u32,
        name: &str,
        dst: IpAddr,
        proxy: bool,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let ns = self.ns.clone();
        if index != 0 && self.made_here(&ns, Some(index), span)? {
            return Ok(vec![]);
        }
        Ok(vec![Entry::Neigh {
            link: self.link_at(&ns, index, name, span)?,
            dst,
            proxy,
        }])
    }

    /// Before `replace`, `change` or `del`: the entry as it is, for undo to put back; none
    /// there, undo deletes what the change makes.
    fn neigh_before(
        &mut self,
        index: u32,
        name: &str,
        dst: IpAddr,
        proxy: bool,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let ns = self.ns.clone();
        if index != 0 && self.made_here(&ns, Some(index), span)? {
            return Ok(vec![]);
        }
        let sock = self.socket(&ns, span)?;
        let now = neighbours::list(sock, proxy).map_err(fail(
            format!("cannot list neighbours {}", where_(&ns)),
            span,
        ))?;
        let link = self.link_at(&ns, index, name, span)?;
        Ok(
            match now.into_iter().find(|n| n.index == index && n.dst == dst) {
                Some(neigh) => vec![Entry::NeighSaved { link, neigh }],
                None => vec![Entry::Neigh { link, dst, proxy }],
            },
        )
    }

    /// The ifindex of a device named in a request.
    fn device_named(&mut self, dev: &(String, Span)) -> Result<u32> {
        let (name, span) = dev;
        self.ifindex_of(name, *span)?
            .ok_or_else(|| RunError::NoDevice {
                name: name.clone(),
                place: where_(&self.ns),
                span: *span,
            })
    }

    fn filter_index(&mut self, f: &Filter) -> Result<Option<u32>> {
        f.dev.as_ref().map(|d| self.device_named(d)).transpose()
    }

    /// Every device's name by ifindex, as `dev NAME` prints it.
    fn names_by_index(&mut self, span: Span) -> Result<HashMap<u32, String>> {
        Ok(self
            .links(span)?
            .into_iter()
            .map(|l| (l.index, l.name))
            .collect())
    }
}

/// Whether `show` or `flush` takes `n`, as iproute2's filter.
fn keep(n: &Neighbour, f: &Filter, index: Option<u32>) -> bool {
    if index.is_some_and(|i| i != n.index) {
        return false;
    }
    let state = u32::from(n.state);
    // Proxy and externally learned entries pass the state filter; a stateless one only with
    // `nud none` (or `all`).
    if f.states & state == 0
        && n.flags & (NTF_PROXY | NTF_EXT_LEARNED) == 0
        && (state != 0 || f.states & NO_STATE == 0)
    {
        return false;
    }
    if f.unused && n.refcnt != 0 {
        return false;
    }
    f.prefix.is_none_or(|p| in_prefix(n.dst, &p))
}

fn in_prefix(a: IpAddr, p: &Prefix) -> bool {
    let bits = |x: IpAddr| -> u128 {
        match x {
            IpAddr::V4(v) => u128::from(u32::from(v)) << 96,
            IpAddr::V6(v) => u128::from(v),
        }
    };
    if a.is_ipv4() != p.addr.is_ipv4() {
        return false;
    }
    let mask = u128::MAX.checked_shl(128 - u32::from(p.len)).unwrap_or(0);
    bits(a) & mask == bits(p.addr) & mask
}

/// One entry as `ip neigh` 6.1 prints it: each field followed by a blank, states in capitals.
fn line(n: &Neighbour, with_dev: bool, names: &HashMap<u32, String>) -> String {
    let mut out = format!("{} ", n.dst);
    if with_dev && n.index != 0 {
        let name = names
            .get(&n.index)
            .cloned()
            .unwrap_or_else(|| format!("if{}", n.index));
        out.push_str(&format!("dev {name} "));
    }
    if let Some(ll) = &n.lladdr {
        let hex: Vec<String> = ll.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&format!("lladdr {} ", hex.join(":")));
    }
    if n.flags & NTF_ROUTER != 0 {
        out.push_str("router ");
    }
    if n.flags & NTF_PROXY != 0 {
        out.push_str("proxy ");
    }
    if n.flags & NTF_EXT_LEARNED != 0 {
        out.push_str("extern_learn ");
    }
    for (bit, word) in [
        (nud::INCOMPLETE, "INCOMPLETE"),
        (nud::REACHABLE, "REACHABLE"),
        (nud::STALE, "STALE"),
        (nud::DELAY, "DELAY"),
        (nud::PROBE, "PROBE"),
        (nud::FAILED, "FAILED"),
        (nud::NOARP, "NOARP"),
        (nud::PERMANENT, "PERMANENT"),
    ] {
        if n.state & bit != 0 {
            out.push_str(word);
            out.push(' ');
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_as_iproute2_matches_them() {
        let p: Prefix = "10.1.1.0/28".parse().unwrap();
        assert!(in_prefix("10.1.1.5".parse().unwrap(), &p));
        assert!(!in_prefix("10.1.1.16".parse().unwrap(), &p));
        assert!(!in_prefix("::1".parse().unwrap(), &p));
        let all: Prefix = "::/0".parse().unwrap();
        assert!(in_prefix("2001:db8::1".parse().unwrap(), &all));
    }

    #[test]
    fn lines_read_as_iproute2_prints_them() {
        let names = HashMap::from([(3, "v0".to_string())]);
        let n = Neighbour {
            index: 3,
            dst: "10.1.1.6".parse().unwrap(),
            lladdr: Some(vec![2, 0, 0, 0, 0, 6]),
            state: nud::REACHABLE,
            flags: NTF_ROUTER,
            refcnt: 0,
        };
        assert_eq!(
            line(&n, true, &names),
            "10.1.1.6 dev v0 lladdr 02:00:00:00:00:06 router REACHABLE \n"
        );
        let failed = Neighbour {
            lladdr: None,
            state: nud::FAILED,
            flags: 0,
            ..n
        };
        assert_eq!(line(&failed, false, &names), "10.1.1.6 FAILED \n");
    }
}
