//! The kernel layer: netlink route sockets, network namespaces, links, addresses and running
//! programs inside a namespace.
//!
//! Typed requests in, typed answers or [`NetError`] out. Nothing here knows the vsh language;
//! all `unsafe` code and raw system calls of vsh live in this module tree.

#![warn(missing_docs)]

pub mod addr;
pub mod bridge;
pub mod decode;
pub mod error;
pub mod ethtool;
pub mod exec;
pub mod icmp;
pub mod interrupt;
pub mod kinds;
pub mod link;
pub mod link_detail;
mod link_kind;
pub mod link_more;
pub mod names;
pub mod neigh;
pub mod neighbours;
pub mod netlink;
pub mod netns;
pub mod nexthop;
pub mod packet;
pub mod pcapng;
mod pidns;
pub mod reach;
mod reaper;
pub mod release;
pub mod route;
pub mod route_get;
pub mod sandbox;
pub mod stdio;
pub mod topology;
pub mod tuntap;

pub use error::{NetError, Result};
pub use names::NameKind;
pub use netns::{Namespaces, Ns, NsId};
