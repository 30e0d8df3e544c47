//! The typed syntax tree. Every node keeps the span of the text it came from, so that any
//! later error can point at it.

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.end - span.start).into()
    }
}

/// A whole script, or one REPL entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// `{ ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `let NAME = WORD`
    Let {
        name: Ident,
        value: Word,
    },
    /// `for VAR in A..B { }` or `for VAR in W1 W2 ... { }`
    For {
        var: Ident,
        items: ForItems,
        body: Block,
    },
    /// `if COND { } else { }`
    If {
        cond: Cond,
        then: Block,
        otherwise: Option<Block>,
    },
    /// `! STMT`: succeeds exactly when STMT fails.
    Not(Box<Stmt>),
    /// `netns NAME { }`: the body runs inside NAME, created if absent.
    NetnsBlock {
        ns: Word,
        body: Block,
    },
    /// `netns NAME` alone: what follows (a script's next statements, the REPL's next lines)
    /// runs inside NAME; `netns root` goes back.
    NetnsEnter(Word),
    /// `deny host-moves`
    Deny(Word),
    /// `help [NAME]`
    Help(Option<Word>),
    /// `root { }`: the body runs in the namespace vsh started in.
    RootBlock(Block),
    /// `build { }`: links the body brings up stay down until it ends, then come up leaves
    /// first.
    Build(Block),
    /// `ip -n NAME CMD`: one builtin inside NAME.
    InNetns {
        ns: Word,
        cmd: Box<Stmt>,
    },
    Netns(NetnsCmd),
    Link(LinkCmd),
    Addr(AddrCmd),
    /// `veth A peer B [netns NS]`
    Veth {
        name: Word,
        peer: Word,
        netns: Option<Word>,
    },
    /// `exec [-n NS] PROG ARGS`: always a program, even when PROG names a builtin.
    Exec {
        ns: Option<Word>,
        argv: Vec<Word>,
    },
    /// An `ip` line of an object or option vsh does not implement (`ip rule`, `ip -j link`):
    /// the real `ip` runs it with the same words, as an external command, and vsh does not
    /// undo what it did. The first word is `ip`.
    Iproute {
        argv: Vec<Word>,
    },
    /// `ip -j link`, `ip -br -c addr`, `bridge -j link`, bare `ip netns`: a show form with
    /// iproute2's output options. `cmd` is the show form (maybe inside `-n NS`); `argv` the
    /// line as written, for what vsh cannot print as iproute2 does (show/mod.rs).
    IpShow {
        opts: OutputOpts,
        argv: Vec<Word>,
        cmd: Box<Stmt>,
    },
    /// Any other command line: a program run in the current namespace.
    External {
        argv: Vec<Word>,
    },
    /// `ping [OPTIONS] DEST`: ICMP echo, iputils' flags and output.
    Ping {
        opts: Vec<PingOpt>,
        dest: Word,
    },
    /// `ping [-W SECS] [-v] { SRC -> DEST; SRC !-> DEST }`: a reachability matrix, whose
    /// lines loops may generate.
    PingBlock {
        opts: Vec<PingOpt>,
        items: Vec<PingItem>,
    },
    /// `capture [-c N] [-w FILE] DEV { }`: packets on DEV while the body runs.
    Capture {
        count: Option<Word>,
        file: Option<Word>,
        dev: Word,
        body: Block,
    },
    /// `spawn [-n NS] PROG ARGS` or `spawn NS PROG ARGS`: a program in the background.
    Spawn {
        ns: Option<Word>,
        argv: Vec<Word>,
    },
    /// `kill [-SIGNAL] [PID...]`: signal spawned programs (default: `$!`, SIGTERM).
    Kill {
        signal: Option<(String, Span)>,
        pids: Vec<Word>,
    },
    /// `wait [PID...]`: reap spawned programs (default: all of them).
    Wait {
        pids: Vec<Word>,
    },
    /// `route ...`, `ip route ...`
    Route(RouteCmd),
    /// `bridge link ...` and `bridge NAME { ... }`
    Bridge(BridgeCmd),
    /// `peer DEV`: the other end of a veth.
    Peer(Word),
    /// `stats DEV`: ethtool's and the link's counters.
    Stats(Word),
    /// `graph [--all] [--format F] [-o FILE]`: the live topology.
    Graph(GraphCmd),
    /// `trace [-w FILE] [DEV...] { }`: each packet's path across devices while the body runs.
    Trace {
        file: Option<Word>,
        devs: Vec<Word>,
        body: Block,
    },
    /// `A | B | C`: each stage's standard output is the next one's input; the status is the
    /// last stage's.
    Pipeline(Vec<Stmt>),
    /// `STMT > FILE`, `STMT 2>&1`, ...: the statement with its standard streams redirected.
    Redirected {
        stmt: Box<Stmt>,
        redirects: Vec<Redirect>,
    },
    /// `A && B || C`: each next statement runs if the status so far is a success (`&&`) or a
    /// failure (`||`); left to right, as in sh.
    AndOr {
        first: Box<Stmt>,
        rest: Vec<(AndOr, Stmt)>,
    },
    /// `set -eu -o pipefail`: sh's options, each on (`-`) or off (`+`).
    Set(Vec<SetOpt>),
    /// `neigh ...`, `ip neigh ...`: the neighbour table.
    Neigh(NeighCmd),
    /// `tuntap ...`, `ip tuntap ...`: persistent tun and tap devices.
    Tuntap(TuntapCmd),
}

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

/// One option of `set`: `-e` is errexit, `-u` nounset, `-o NAME` any by name.
#[derive(Clone, Debug, PartialEq)]
pub struct SetOpt {
    pub on: bool,
    /// The long name: `errexit`, `nounset`, `pipefail`, or as written (`x`, `vi`).
    pub name: Word,
    pub span: Span,
}

/// `graph [--all] [--format F] [-o FILE]`
#[derive(Clone, Debug, PartialEq)]
pub struct GraphCmd {
    /// `--all`: also the namespaces only a process holds.
    pub all: bool,
    /// `--format F`: text (default), json, dot, mermaid, svg or html.
    pub format: Option<Word>,
    /// `-o FILE`: write there instead of standard output.
    pub out: Option<Word>,
}

/// `&&` or `||`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOr {
    And,
    Or,
}

/// One redirection: `N> FILE`, `N>> FILE`, `N< FILE` or `N>&M`.
#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    /// The descriptor redirected: 0, 1 or 2.
    pub fd: i32,
    pub to: RedirectTo,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirectTo {
    /// `< FILE`
    Read(Word),
    /// `> FILE`: truncated first.
    Write(Word),
    /// `>> FILE`
    Append(Word),
    /// `>&M`: a copy of descriptor M.
    Dup(i32),
}

/// One option of `ping`.
#[derive(Clone, Debug, PartialEq)]
pub struct PingOpt {
    pub flag: PingFlag,
    /// Its argument (none for `-q` and `-v`).
    pub value: Option<Word>,
    pub span: Span,
}

/// A flag of `ping` or of a ping block, decided by the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PingFlag {
    /// `-c N`: stop after N replies.
    Count,
    /// `-i SECS`: between requests.
    Interval,
    /// `-W SECS`: how long to wait for each reply.
    Timeout,
    /// `-w SECS`: the whole run's deadline.
    Deadline,
    /// `-s BYTES`: the payload's size.
    Size,
    /// `-I ADDR|DEV`: the source address or device.
    Interface,
    /// `-q`: only the summary.
    Quiet,
    /// `-v` (ping blocks): a line for every check.
    Verbose,
}

impl PingFlag {
    /// The flag from its text (`-c`), as the grammar takes it.
    pub fn from_text(text: &str) -> Option<PingFlag> {
        Some(match text {
            "-c" => PingFlag::Count,
            "-i" => PingFlag::Interval,
            "-W" => PingFlag::Timeout,
            "-w" => PingFlag::Deadline,
            "-s" => PingFlag::Size,
            "-I" => PingFlag::Interface,
            "-q" => PingFlag::Quiet,
            "-v" => PingFlag::Verbose,
            _ => return None,
        })
    }

    /// As written, for messages.
    pub fn text(self) -> &'static str {
        match self {
            PingFlag::Count => "-c",
            PingFlag::Interval => "-i",
            PingFlag::Timeout => "-W",
            PingFlag::Deadline => "-w",
            PingFlag::Size => "-s",
            PingFlag::Interface => "-I",
            PingFlag::Quiet => "-q",
            PingFlag::Verbose => "-v",
        }
    }
}

/// What a ping block holds: lines, and the `let`, `for` and `if` that generate them.
#[derive(Clone, Debug, PartialEq)]
pub enum PingItem {
    Line(PingLine),
    /// `let NAME = WORD`
    Let {
        name: Ident,
        value: Word,
    },
    /// `for VAR in ITEMS { ... }`
    For {
        var: Ident,
        items: ForItems,
        body: Vec<PingItem>,
    },
    /// `if COND { ... } else { ... }`
    If {
        cond: Cond,
        then: Vec<PingItem>,
        otherwise: Option<Vec<PingItem>>,
    },
}

/// `SRC -> DEST` (must answer) or `SRC !-> DEST` (must not) in a ping block. DEST is an
/// address, or a namespace: then each of its global addresses.
#[derive(Clone, Debug, PartialEq)]
pub struct PingLine {
    pub src: Word,
    pub reachable: bool,
    pub dest: Word,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForItems {
    Range { from: Word, to: Word },
    List(Vec<Word>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Not(Box<Cond>, Span),
    NetnsExists(Word),
    LinkExists(Word),
    /// Any statement: true when it succeeds.
    Stmt(Box<Stmt>),
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

/// A name in the language itself: a variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A word, made of parts glued together: `h$i`, `"10.0.${i + 1}.1/24"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub parts: Vec<WordPart>,
    pub span: Span,
}

impl Word {
    /// The text of a word without interpolation, if it has none.
    pub fn literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                WordPart::Lit(s) => text.push_str(s),
                _ => return None,
            }
        }
        Some(text)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum WordPart {
    Lit(String),
    Var(Var),
    Expr(Expr),
    /// `$( STATEMENTS )`: what they print, trailing newlines removed.
    Subst(Subst),
}

/// `$( STATEMENTS )` in a word.
#[derive(Clone, Debug, PartialEq)]
pub struct Subst {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// `$name`, `$1`, `$?`, `$!`.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    pub name: String,
    pub span: Span,
}

/// Integer arithmetic inside `${ }`.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(i64, Span),
    Var(Var),
    Neg(Box<Expr>, Span),
    Bin(Box<Expr>, BinOp, Box<Expr>, Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Num(_, s) | Expr::Neg(_, s) | Expr::Bin(_, _, _, s) => *s,
            Expr::Var(v) => v.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
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
