//! The network commands of the tree: links, addresses, routes, neighbours, tun devices,
//! bridges, namespaces, and iproute2's output options.

use super::{Span, Word};

/// `ip neigh VERB OPTIONS`: the options as written, in order; what they mean together is
/// worked out by one resolver for the run and for `--check`.
#[derive(Clone, Debug, PartialEq)]
pub struct NeighCmd {
    pub verb: NeighVerb,
    pub opts: Vec<NeighOpt>,
}

impl NeighCmd {
    /// Every word of the options, in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.opts.iter().filter_map(|o| match o {
            NeighOpt::To(w)
            | NeighOpt::Dev(w)
            | NeighOpt::Lladdr(w)
            | NeighOpt::Nud(w)
            | NeighOpt::Proxy(w) => Some(w),
            NeighOpt::All(_)
            | NeighOpt::ProxyOnly(_)
            | NeighOpt::Router(_)
            | NeighOpt::Unused(_) => None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighVerb {
    Show,
    Flush,
    Get,
    Add,
    Replace,
    Change,
    Del,
}

/// One option of `ip neigh`.
#[derive(Clone, Debug, PartialEq)]
pub enum NeighOpt {
    /// The address (bare or after `to`); for show and flush a prefix.
    To(Word),
    /// `all`, `any`, `default` in show and flush: every address.
    All(Span),
    Dev(Word),
    Lladdr(Word),
    Nud(Word),
    /// `proxy ADDR` (add, del): the address of a proxy entry.
    Proxy(Word),
    /// `proxy` alone (show): proxy entries.
    ProxyOnly(Span),
    Router(Span),
    /// `unused` (show, flush): entries nothing refers to.
    Unused(Span),
}

/// `ip tuntap add|del [dev] NAME mode M ...` or `ip tuntap [show]`.
#[derive(Clone, Debug, PartialEq)]
pub enum TuntapCmd {
    Show,
    Change { add: bool, opts: Vec<TuntapOpt> },
}

impl TuntapCmd {
    /// Every word of the options, in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        let opts = match self {
            TuntapCmd::Show => &[][..],
            TuntapCmd::Change { opts, .. } => opts,
        };
        opts.iter().filter_map(|o| match o {
            TuntapOpt::Name(w) | TuntapOpt::Mode(w) | TuntapOpt::User(w) | TuntapOpt::Group(w) => {
                Some(w)
            }
            TuntapOpt::Flag(..) => None,
        })
    }
}

/// One option of `ip tuntap add|del`.
#[derive(Clone, Debug, PartialEq)]
pub enum TuntapOpt {
    Name(Word),
    Mode(Word),
    User(Word),
    Group(Word),
    /// `pi`, `vnet_hdr`, `multi_queue` (or a prefix of one).
    Flag(TuntapFlag, Span),
}

/// A flag of `tuntap add`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TuntapFlag {
    /// `pi`: packet information in front of each frame.
    Pi,
    /// `vnet_hdr`
    VnetHdr,
    /// `multi_queue`
    MultiQueue,
}

impl TuntapFlag {
    /// The flag from any prefix iproute2 takes for it (`p` is `pi`, `v` `vnet_hdr`, `mu`
    /// `multi_queue`).
    pub fn from_text(text: &str) -> Option<TuntapFlag> {
        match text.as_bytes().first()? {
            b'p' => Some(TuntapFlag::Pi),
            b'v' => Some(TuntapFlag::VnetHdr),
            b'm' => Some(TuntapFlag::MultiQueue),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NetnsCmd {
    Add(Word),
    Del(Word),
    List,
    Exec {
        ns: Word,
        argv: Vec<Word>,
    },
    /// `netns attach NAME PID`
    Attach {
        name: Word,
        pid: Word,
    },
    /// `netns identify [PID]`
    Identify(Option<Word>),
    /// `netns pids NAME`
    Pids(Word),
}

#[derive(Clone, Debug, PartialEq)]
pub enum LinkCmd {
    /// `link`, `link list`, `link show [dev] DEV`
    Show {
        dev: Option<Word>,
    },
    Add {
        name: Word,
        kind: LinkType,
        /// Device options before `type` (`mtu`, `netns`, `up`, `master`), set once it exists.
        ops: Vec<LinkOp>,
    },
    Set {
        dev: Word,
        ops: Vec<LinkOp>,
    },
    Del {
        dev: Word,
    },
    /// `link property add|del [dev] DEV altname NAME...`
    Property {
        add: bool,
        dev: Word,
        altnames: Vec<Word>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum LinkType {
    /// `type veth [peer [name] NAME [netns NS]]`
    Veth {
        peer: Option<Word>,
        peer_netns: Option<Word>,
        /// The peer's own options (`mtu`, `up`), set once it exists.
        peer_ops: Vec<LinkOp>,
        span: Span,
    },
    /// `type KIND [KEY VALUE]...`: bridge, dummy, macvlan, vxlan, ...
    Other { kind: Word, opts: Vec<(Word, Word)> },
}

#[derive(Clone, Debug, PartialEq)]
pub enum LinkOp {
    Up(Span),
    Down(Span),
    NoMaster(Span),
    Netns(Word),
    Master(Word),
    Mtu(Word),
    Name(Word),
    /// `address MAC`
    Address(Word),
    /// `broadcast MAC`
    Broadcast(Word),
    /// `alias TEXT`
    Alias(Word),
    /// `txqueuelen N`
    TxQueueLen(Word),
    /// `group N|default`
    Group(Word),
    /// `arp on|off`, `multicast on|off`, ...: the flag and its value as written.
    Switch(LinkSwitch, Word),
    /// `type bridge KEY VALUE...`: the kind's options, changed in place.
    Type {
        kind: Word,
        opts: Vec<(Word, Word)>,
    },
}

/// The device flags `link set` turns on and off by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkSwitch {
    Arp,
    Multicast,
    AllMulticast,
    Promisc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AddrCmd {
    Add {
        prefix: Word,
        dev: Word,
        opts: Box<AddrOpts>,
    },
    Del {
        prefix: Word,
        dev: Word,
    },
    /// `addr flush SELECTORS`: every address they select.
    Flush {
        dev: Option<Word>,
        filter: Box<AddrFilter>,
    },
    /// `addr show [up] [[dev] DEV] [SELECTORS]`: `up` lists running interfaces only.
    Show {
        dev: Option<Word>,
        up: bool,
        filter: Box<AddrFilter>,
    },
}

/// A flag selector of `addr show|flush`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrSelFlag {
    Permanent,
    Dynamic,
    Primary,
    Secondary,
}

impl AddrSelFlag {
    /// The flag from its word, as the grammar takes it.
    pub fn from_text(text: &str) -> Option<AddrSelFlag> {
        Some(match text {
            "permanent" => AddrSelFlag::Permanent,
            "dynamic" => AddrSelFlag::Dynamic,
            "primary" => AddrSelFlag::Primary,
            "secondary" => AddrSelFlag::Secondary,
            _ => return None,
        })
    }
}

/// The selectors of `addr show|flush` other than the device and `up`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddrFilter {
    /// `-4`, `-6`, `-f inet|inet6` before `addr`.
    pub family: Option<IpFamily>,
    pub scope: Option<Word>,
    /// `label PATTERN`, a glob as iproute2 takes it.
    pub label: Option<Word>,
    /// `to PREFIX`.
    pub to: Option<Word>,
    /// `permanent`, `dynamic`, `primary`, `secondary`, in the order written.
    pub flags: Vec<(AddrSelFlag, Span)>,
    /// `up`, for flush.
    pub up: bool,
}

/// The options of `addr add`, iproute2's: `brd +|-|ADDR`, `label`, `scope`, lifetimes, flags.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddrOpts {
    pub broadcast: Option<Word>,
    pub label: Option<Word>,
    pub scope: Option<Word>,
    pub valid_lft: Option<Word>,
    pub preferred_lft: Option<Word>,
    /// `nodad`, `noprefixroute`, ... in the order written.
    pub flags: Vec<(AddrFlag, Span)>,
    /// `-4`, `-6` before `addr`: the address must be of that family.
    pub family: Option<IpFamily>,
}

/// A flag of `addr add` (iproute2's names; the kernel's `IFA_F_*` bits are eval's business).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrFlag {
    /// `nodad`: no duplicate address detection.
    NoDad,
    /// `optimistic`
    Optimistic,
    /// `home`
    Home,
    /// `mngtmpaddr`: make temporary addresses from this one.
    MngTmpAddr,
    /// `noprefixroute`: no route for the prefix.
    NoPrefixRoute,
    /// `autojoin`: join the multicast group.
    AutoJoin,
}

impl AddrFlag {
    /// The flag from its text, as the grammar takes it.
    pub fn from_text(text: &str) -> Option<AddrFlag> {
        Some(match text {
            "nodad" => AddrFlag::NoDad,
            "optimistic" => AddrFlag::Optimistic,
            "home" => AddrFlag::Home,
            "mngtmpaddr" => AddrFlag::MngTmpAddr,
            "noprefixroute" => AddrFlag::NoPrefixRoute,
            "autojoin" => AddrFlag::AutoJoin,
            _ => return None,
        })
    }
}

/// `-4` or `-6` before or after `route`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpFamily {
    V4,
    V6,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RouteCmd {
    /// `route [-6] [show [dev DEV] [SELECTORS]]`
    Show {
        family: Option<IpFamily>,
        dev: Option<Word>,
        sel: Box<RouteSel>,
    },
    /// `route add|replace|change|append|prepend DST [OPTIONS]`
    Add(Box<RouteSpec>),
    /// `route del DST ...`, with the same options as add.
    Del(Box<RouteSpec>),
    /// `route flush SELECTORS`: every route they select.
    Flush {
        family: Option<IpFamily>,
        dev: Option<Word>,
        sel: Box<RouteSel>,
    },
    /// `route get ADDR [from A] [iif DEV] [oif DEV]`
    Get(Box<RouteGet>),
}

/// How `route add` and its kin treat a route already there, as iproute2's verbs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RouteMode {
    /// `add`: refuse it.
    #[default]
    Add,
    /// `replace`: replace it, or add.
    Replace,
    /// `change`: replace it; there must be one.
    Change,
    /// `append`: add one more after it.
    Append,
    /// `prepend`: add one more before it.
    Prepend,
}

/// The destination and options of `route add|del`.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteSpec {
    pub family: Option<IpFamily>,
    pub mode: RouteMode,
    /// `None` is `default`.
    pub dst: Option<Word>,
    pub dst_span: Span,
    pub via: Option<Word>,
    pub dev: Option<Word>,
    pub src: Option<Word>,
    pub metric: Option<Word>,
    /// `table`, `proto`, `scope`: as written.
    pub table: Option<Word>,
    pub proto: Option<Word>,
    pub scope: Option<Word>,
    /// `blackhole`, `unreachable`, `prohibit`, `local`, `throw`, `unicast` before the prefix.
    pub kind: Option<(String, Span)>,
    pub onlink: bool,
    /// `mtu N`.
    pub mtu: Option<Word>,
    /// `nexthop via A dev D weight W ...`: the hops of a multipath route.
    pub nexthops: Vec<NextHopSpec>,
}

/// One `nexthop` of a multipath route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NextHopSpec {
    pub via: Option<Word>,
    pub dev: Option<Word>,
    pub weight: Option<Word>,
    pub onlink: bool,
    pub span: Span,
}

/// The selectors of `route show|flush` other than `dev`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteSel {
    /// `table N|main|local|all`.
    pub table: Option<Word>,
    pub proto: Option<Word>,
    pub scope: Option<Word>,
    /// `type TYPE`.
    pub kind: Option<(String, Span)>,
    /// `root|match|exact PREFIX`, or a bare PREFIX (exact).
    pub prefix: Option<(PrefixMatch, Word)>,
}

/// How a selector's prefix selects routes, as iproute2's `root`, `match` and `exact`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefixMatch {
    /// Routes inside the prefix.
    Root,
    /// Routes that hold the prefix.
    Match,
    /// The route of that prefix.
    Exact,
}

/// `route get ADDR [from A] [iif DEV] [oif DEV]`.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteGet {
    pub family: Option<IpFamily>,
    pub dst: Word,
    pub from: Option<Word>,
    pub iif: Option<Word>,
    pub oif: Option<Word>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BridgeCmd {
    /// `bridge link [show [dev] DEV]`
    Link { dev: Option<Word> },
    /// `bridge NAME { port DEV...; addr CIDR }`
    Block { name: Word, items: Vec<BridgeItem> },
}

#[derive(Clone, Debug, PartialEq)]
pub enum BridgeItem {
    /// `port DEV...`: enslave these links (and bring them up).
    Port(Vec<Word>),
    /// `addr CIDR`: an address on the bridge.
    Addr(Word),
}

/// iproute2's global output options, as `ip` and `bridge` take them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputOpts {
    /// `-j`: JSON.
    pub json: bool,
    /// `-p`: JSON indented.
    pub pretty: bool,
    /// `-br`: one line a device, in columns.
    pub brief: bool,
    /// `-o`: each record on one line, `\\` where a line would break.
    pub oneline: bool,
    /// `-s`, counted: `-s -s` adds the error counters.
    pub stats: u8,
    /// `-d`: the kind's details.
    pub details: bool,
    /// `-c[=never|auto|always]`.
    pub color: ColorOpt,
    /// `-4`, `-6`, `-f inet|inet6`.
    pub family: Option<IpFamily>,
}

/// When to colour: iproute2's `-c` alone is `always`, even into a pipe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorOpt {
    #[default]
    Never,
    Auto,
    Always,
}
