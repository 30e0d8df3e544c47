//! Which link kinds this kernel can make, to list them when it refuses one.

use super::link::{self, LinkKind};
use super::netlink::RouteSocket;
use nix::errno::Errno;

/// The kinds `ip link add` knows: the candidates asked about.
const CANDIDATES: &[&str] = &[
    "bareudp",
    "bond",
    "bridge",
    "can",
    "dummy",
    "erspan",
    "geneve",
    "gre",
    "gretap",
    "gtp",
    "hsr",
    "ifb",
    "ip6erspan",
    "ip6gre",
    "ip6gretap",
    "ip6tnl",
    "ipip",
    "ipvlan",
    "ipvtap",
    "macsec",
    "macvlan",
    "macvtap",
    "netkit",
    "nlmon",
    "sit",
    "team",
    "vcan",
    "veth",
    "virt_wifi",
    "vlan",
    "vrf",
    "vti",
    "vxcan",
    "vxlan",
    "wireguard",
    "xfrm",
];

/// The link kinds this kernel has, built in or as a module, sorted; empty if it cannot tell.
///
/// Each candidate is tried in a throwaway namespace that only a short-lived thread enters,
/// so nothing of the caller's changes: a kind the kernel lacks is refused with EOPNOTSUPP
/// before anything else is looked at; any other answer (made, or a missing parameter) means
/// it has it.
pub fn available() -> Vec<&'static str> {
    let probe = std::thread::spawn(|| {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).ok()?;
        let mut sock = RouteSocket::open().ok()?;
        let mut kinds = Vec::new();
        for &kind in CANDIDATES {
            match link::add(&mut sock, "vshprobe0", &LinkKind::Other(kind)) {
                Err(e) if e.errno() == Some(Errno::EOPNOTSUPP) => {}
                Ok(()) => {
                    kinds.push(kind);
                    if let Ok(Some(made)) = link::get(&mut sock, "vshprobe0") {
                        let _ = link::del(&mut sock, made.index);
                    }
                }
                Err(_) => kinds.push(kind),
            }
        }
        Some(kinds)
    });
    probe.join().ok().flatten().unwrap_or_default()
}
