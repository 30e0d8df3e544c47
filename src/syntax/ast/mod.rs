//! The typed syntax tree. Every node keeps the span of the text it came from, so that any
//! later error can point at it.

mod net;
pub use net::*;

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
