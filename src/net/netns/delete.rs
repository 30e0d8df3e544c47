//! Deleting namespaces as `ip netns del` does, on worker threads, and waiting until the
//! kernel has destroyed the devices that die with them (veth peers in other namespaces), so
//! that their names are free again.

use super::*;

/// A device that dies with a deleted namespace: its veth peer lived there.
pub(super) struct Releasing {
    /// The deleted namespace.
    deleted: String,
    /// Its identity, to tell whether something else keeps it alive.
    id: crate::net::release::NsInode,
    /// Where the device lives.
    ns: Ns,
    /// Its ifindex there.
    index: u32,
}

impl Namespaces {
    /// Delete namespace `name` as `ip netns del` does; it dies once nothing else holds it.
    ///
    /// Whether it exists is checked now; the unmount and unlink are queued to worker threads
    /// (they mostly wait for the kernel, so many deletes overlap): until
    /// [`Namespaces::settle`] returns, the name may still be in
    /// /run/netns, and `add` of the same name may fail. Methods of `self` already treat it as
    /// gone.
    pub fn del(&mut self, name: &str) -> Result<()> {
        check_name(name)?;
        let path = netns_path(name);
        let missing = || NetError::NoNetns {
            name: name.to_owned(),
        };
        let checked = if self.reaper.pending.contains(name) {
            Err(missing())
        } else {
            match nix::sys::stat::lstat(&path) {
                Ok(_) => Ok(()),
                Err(Errno::ENOENT) => Err(missing()),
                Err(e) => Err(NetError::sys(format!("stat {}", path.display()), e)),
            }
        };
        // What dies with it elsewhere, asked while we can still look inside; a namespace
        // that cannot be looked into has nothing to wait for.
        if checked.is_ok() {
            let peers = self.peers_outside(name).unwrap_or_default();
            self.releasing.extend(peers);
        }
        // Dropping our fd and socket, so they do not keep the namespace alive.
        self.fds.remove(name);
        self.routes.remove(&Ns::Named(name.to_owned()));
        self.nsids.clear();
        checked?;
        self.reaper.queue(name);
        Ok(())
    }

    /// The devices outside namespace `name` that die with it: the veth peers (and other
    /// links with their lower end, IFLA_LINK, there) of its links, where vsh can name their
    /// namespace. Peers in namespaces being deleted too are left out: their names go with them.
    fn peers_outside(&mut self, name: &str) -> Result<Vec<Releasing>> {
        let inside = Ns::Named(name.to_owned());
        let Some(id) = ns_id(&netns_path(name)) else {
            return Ok(Vec::new());
        };
        let links = crate::net::link::list(self.route(&inside)?)?;
        let mut found = Vec::new();
        let mut places: HashMap<i32, Option<Ns>> = HashMap::new();
        for link in links {
            let (Some(index), Some(nsid)) = (link.link, link.link_netnsid) else {
                continue;
            };
            if nsid < 0 {
                continue;
            }
            let place = match places.get(&nsid) {
                Some(place) => place.clone(),
                None => {
                    let place = self.ns_with_nsid(&inside, nsid)?;
                    places.insert(nsid, place.clone());
                    place
                }
            };
            if let Some(ns) = place {
                found.push(Releasing {
                    deleted: name.to_owned(),
                    id,
                    ns,
                    index,
                });
            }
        }
        Ok(found)
    }

    /// The namespace `from` knows as `nsid`: root, or one in /run/netns that is not being
    /// deleted; `None` if it is neither.
    fn ns_with_nsid(&mut self, from: &Ns, nsid: i32) -> Result<Option<Ns>> {
        if self.nsid(from, &Ns::Root)? == Some(nsid) {
            return Ok(Some(Ns::Root));
        }
        for name in netns_names()? {
            let other = Ns::Named(name.clone());
            if other == *from || self.reaper.pending.contains(&name) {
                continue;
            }
            // Opened for this question only: a cached fd would keep it alive.
            let Ok(fd) = open_ns(&netns_path(&name)) else {
                continue;
            };
            if nsid_of(self.route(from)?, fd.as_fd())? == Some(nsid) {
                return Ok(Some(other));
            }
        }
        Ok(None)
    }

    /// Wait until every namespace [`Namespaces::del`] queued is unmounted and unlinked, and
    /// until the kernel has destroyed the devices that die with them elsewhere (veth peers),
    /// so that their names can be used again at once (while one goes at least every
    /// [`crate::net::release::RELEASE_TIMEOUT`]; then [`NetError::StillReleasing`]). Returns the
    /// deletes that failed, in the order they were queued.
    pub fn settle(&mut self) -> Vec<(String, NetError)> {
        let mut failed = self.reaper.settle();
        let releasing = std::mem::take(&mut self.releasing);
        // A namespace that could not be deleted keeps its devices.
        let releasing: Vec<Releasing> = releasing
            .into_iter()
            .filter(|r| !failed.iter().any(|(name, _)| *name == r.deleted))
            .collect();
        failed.extend(self.await_released(&releasing));
        failed
    }

    /// Waits until each device of `releasing` is gone, as long as one goes at least every
    /// [`crate::net::release::RELEASE_TIMEOUT`] (a thousand namespaces take the kernel seconds);
    /// returns those still there then, by deleted namespace. A namespace that something
    /// else keeps alive ([`crate::net::release::held`]) keeps its devices: they are not waited for.
    /// SIGINT or SIGTERM ([`crate::net::interrupt::pending`]) ends the wait.
    fn await_released(&mut self, releasing: &[Releasing]) -> Vec<(String, NetError)> {
        use crate::net::release::{held, link_by_index, POLL, RELEASE_TIMEOUT};
        use std::time::Instant;
        // A namespace deleted too (or gone) took its devices with it.
        let mut waiting: Vec<&Releasing> = releasing
            .iter()
            .filter(|r| !matches!(&r.ns, Ns::Named(n) if !self.exists(n)))
            .collect();
        if waiting.is_empty() {
            return Vec::new();
        }
        let kept = held(&waiting.iter().map(|r| r.id).collect());
        waiting.retain(|r| !kept.contains(&r.id));
        let mut deadline = Instant::now() + RELEASE_TIMEOUT;
        loop {
            let before = waiting.len();
            // A device that cannot be looked at is not waited for. (Our own sockets release
            // the namespace only after an RCU grace period: until then its devices are not
            // yet dying, but they will be.)
            waiting.retain(|r| {
                self.route(&r.ns)
                    .and_then(|sock| link_by_index(sock, r.index))
                    .is_ok_and(|link| link.is_some())
            });
            let now = Instant::now();
            if waiting.len() < before {
                deadline = now + RELEASE_TIMEOUT;
            }
            if waiting.is_empty() || now >= deadline {
                break;
            }
            // SIGINT or SIGTERM: stop at once; the kernel finishes on its own.
            if crate::net::interrupt::pending().is_some() {
                return Vec::new();
            }
            std::thread::sleep(POLL);
        }
        let mut lingering: Vec<(String, NetError)> = Vec::new();
        for r in waiting {
            let name = match self.route(&r.ns).and_then(|s| link_by_index(s, r.index)) {
                Ok(Some(link)) => link.name,
                _ => format!("if{}", r.index),
            };
            let device = format!("{name} in {}", r.ns);
            match lingering.iter_mut().find(|(n, _)| *n == r.deleted) {
                Some((_, NetError::StillReleasing { devices, .. })) => devices.push(device),
                _ => lingering.push((
                    r.deleted.clone(),
                    NetError::StillReleasing {
                        devices: vec![device],
                        after: RELEASE_TIMEOUT,
                    },
                )),
            }
        }
        lingering
    }
}
