//! Undoing journal entries: after a failed or interrupted run, and for `vsh down`.

use super::journal::Entry;
use super::Evaluator;
use crate::net::addr::Prefix;
use crate::net::link::{self, NsTarget};
use crate::net::Ns;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

/// How long to wait for the kernel to release the names of deleted devices.
const RELEASE_TIMEOUT: Duration = Duration::from_secs(10);

/// One step of undoing, in the order it must happen (newest first).
enum Step {
    DelAddr {
        ns: Ns,
        dev: String,
        prefix: String,
    },
    DelRoute {
        ns: Ns,
        spec: String,
    },
    /// A link this run made, wherever and whatever it is called now.
    DelLink {
        ns: Ns,
        name: String,
    },
    /// A link that existed before, moved by the run: move it back.
    MoveBack {
        name: String,
        now: Ns,
        back: Ns,
    },
    /// A link that existed before, renamed by the run: name it back.
    RenameBack {
        ns: Ns,
        now: String,
        back: String,
    },
    DelNetns(String),
}

/// Works out what to undo from entries given oldest first: a link made and then moved or
/// renamed is deleted where it ended up; one that existed before is put back.
fn plan(entries: &[Entry]) -> Vec<Step> {
    // Where each link made by these entries is now: (ns, name), by creation order.
    let mut made: Vec<(Ns, String)> = Vec::new();
    let mut steps: Vec<(usize, Step)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e {
            Entry::Netns(n) => steps.push((i, Step::DelNetns(n.clone()))),
            Entry::Link { ns, name } => made.push((ns.clone(), name.clone())),
            Entry::Addr { ns, dev, prefix } => steps.push((
                i,
                Step::DelAddr {
                    ns: ns.clone(),
                    dev: dev.clone(),
                    prefix: prefix.clone(),
                },
            )),
            Entry::Route { ns, spec } => steps.push((
                i,
                Step::DelRoute {
                    ns: ns.clone(),
                    spec: spec.clone(),
                },
            )),
            Entry::Move { name, from, to } => {
                match made.iter_mut().find(|(ns, n)| ns == from && n == name) {
                    Some(link) => link.0 = to.clone(),
                    None => steps.push((
                        i,
                        Step::MoveBack {
                            name: name.clone(),
                            now: to.clone(),
                            back: from.clone(),
                        },
                    )),
                }
            }
            Entry::Rename { ns, from, to } => {
                match made.iter_mut().find(|(n_ns, n)| n_ns == ns && n == from) {
                    Some(link) => link.1 = to.clone(),
                    None => steps.push((
                        i,
                        Step::RenameBack {
                            ns: ns.clone(),
                            now: to.clone(),
                            back: from.clone(),
                        },
                    )),
                }
            }
        }
    }
    // Links go at their creation's place in the order.
    let mut link_positions = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Entry::Link { .. }))
        .map(|(i, _)| i);
    for (ns, name) in made {
        if let Some(i) = link_positions.next() {
            steps.push((i, Step::DelLink { ns, name }));
        }
    }
    steps.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
    steps.into_iter().map(|(_, s)| s).collect()
}

fn place(ns: &Ns) -> String {
    match ns {
        Ns::Root => "root".into(),
        Ns::Named(n) => n.clone(),
    }
}

impl Evaluator {
    /// Undoes `entries` (oldest first), newest first, touching only what they name. Returns
    /// one line for each thing removed or put back. Waits until the kernel has released the
    /// names of deleted links, so the same script can run again at once.
    pub fn undo(&mut self, entries: &[Entry]) -> Vec<String> {
        let mut done = Vec::new();
        let mut deleted_links = Vec::new();
        for step in plan(entries) {
            match step {
                Step::DelAddr { ns, dev, prefix } => {
                    let Ok(p) = prefix.parse::<Prefix>() else {
                        continue;
                    };
                    if let Some((sock, index)) = self.locate(&ns, &dev) {
                        if crate::net::addr::del(sock, index, &p).is_ok() {
                            done.push(format!(
                                "removed address {prefix} from {dev} in {}",
                                place(&ns)
                            ));
                        }
                    }
                }
                Step::DelRoute { ns, spec } => {
                    let Some((mut request, dev)) = super::route::route_from_text(&spec) else {
                        continue;
                    };
                    if let Some(dev) = &dev {
                        match self.locate(&ns, dev) {
                            Some((_, index)) => request.oif = Some(index),
                            // The device went, and its routes with it.
                            None => continue,
                        }
                    }
                    let Ok(sock) = self.net.route(&ns) else {
                        continue;
                    };
                    if crate::net::route::del(sock, &request).is_ok() {
                        let dst = request.dst.map_or("default".into(), |p| p.to_string());
                        done.push(format!("removed route {dst} in {}", place(&ns)));
                    }
                }
                Step::DelLink { ns, name } => {
                    if let Some((sock, index)) = self.locate(&ns, &name) {
                        if link::del(sock, index).is_ok() {
                            done.push(format!("removed link {name} in {}", place(&ns)));
                        }
                    }
                    deleted_links.push((ns, name));
                }
                Step::MoveBack { name, now, back } => {
                    let Ok(fd) = self.ns_fd(&back, Default::default()) else {
                        continue;
                    };
                    if let Some((sock, index)) = self.locate(&now, &name) {
                        if link::set_netns(sock, index, NsTarget::Fd(fd.as_fd())).is_ok() {
                            done.push(format!("moved link {name} back to {}", place(&back)));
                        }
                    }
                }
                Step::RenameBack { ns, now, back } => {
                    if let Some((sock, index)) = self.locate(&ns, &now) {
                        if link::rename(sock, index, &back).is_ok() {
                            done.push(format!(
                                "renamed link {now} back to {back} in {}",
                                place(&ns)
                            ));
                        }
                    }
                }
                Step::DelNetns(name) => {
                    if self.net.exists(&name) && self.net.del(&name).is_ok() {
                        done.push(format!("removed namespace {name}"));
                    }
                }
            }
        }
        // Namespace deletes overlap; one that failed did not remove anything.
        for (name, _) in self.net.settle() {
            let line = format!("removed namespace {name}");
            done.retain(|l| *l != line);
        }
        self.await_released(&deleted_links);
        done
    }

    /// The route socket of `ns` and the index of `name` there, if both exist.
    fn locate(
        &mut self,
        ns: &Ns,
        name: &str,
    ) -> Option<(&mut crate::net::netlink::RouteSocket, u32)> {
        if let Ns::Named(n) = ns {
            if !self.net.exists(n) {
                return None;
            }
        }
        let sock = self.net.route(ns).ok()?;
        let index = link::get(sock, name).ok()??.index;
        Some((sock, index))
    }

    /// Devices inside a deleted namespace (and their veth peers outside) go away a little
    /// later: wait until none of the names is still there.
    fn await_released(&mut self, links: &[(Ns, String)]) {
        let deadline = Instant::now() + RELEASE_TIMEOUT;
        for (ns, name) in links {
            while self.locate(ns, name).is_some() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_link_is_deleted_where_it_ended_up_and_a_moved_one_goes_back() {
        let red = Ns::Named("red".into());
        let entries = [
            Entry::Netns("red".into()),
            Entry::Link {
                ns: Ns::Root,
                name: "a".into(),
            },
            Entry::Move {
                name: "a".into(),
                from: Ns::Root,
                to: red.clone(),
            },
            Entry::Rename {
                ns: red.clone(),
                from: "a".into(),
                to: "b".into(),
            },
            Entry::Move {
                name: "old".into(),
                from: Ns::Root,
                to: red.clone(),
            },
        ];
        let steps: Vec<String> = plan(&entries)
            .iter()
            .map(|s| match s {
                Step::MoveBack { name, .. } => format!("back {name}"),
                Step::DelLink { ns, name } => format!("del {name} in {}", place(ns)),
                Step::DelNetns(n) => format!("del ns {n}"),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(steps, ["back old", "del b in red", "del ns red"]);
    }
}
