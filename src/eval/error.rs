//! Why a statement failed: one variant per kind of failure, each pointing at its span.

use crate::net::{NameKind, NetError};
use crate::syntax::Span;

pub type Result<T> = std::result::Result<T, RunError>;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    /// The kernel (or a system call) refused: what we tried, where, and what it said. The
    /// code says why, from the errno (see `impl Diagnostic for NetError`).
    #[error("{what}: {error}")]
    #[diagnostic(forward(error))]
    Net {
        what: String,
        error: NetError,
        #[label("here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("cannot find device \"{name}\" {place}")]
    #[diagnostic(
        code(vsh::link::not_found),
        help("`link list` shows the devices {place}")
    )]
    NoDevice {
        name: String,
        place: String,
        #[label("no such device")]
        span: Span,
    },

    #[error("invalid {kind} name \"{name}\": {reason}")]
    #[diagnostic(code(vsh::bad_name))]
    BadName {
        kind: NameKind,
        name: String,
        reason: &'static str,
        #[label("refused before the kernel saw it")]
        span: Span,
    },

    #[error("invalid address \"{text}\": {reason}")]
    #[diagnostic(
        code(vsh::bad_address),
        help("write an address with its prefix length, e.g. 10.1.1.1/24 or 2001:db8::1/64")
    )]
    BadPrefix {
        text: String,
        reason: String,
        #[label("refused before the kernel saw it")]
        span: Span,
    },

    #[error("\"{text}\" is not {expected}")]
    #[diagnostic(code(vsh::bad_value))]
    BadValue {
        text: String,
        expected: &'static str,
        #[label("expected {expected}")]
        span: Span,
    },

    #[error("unknown option \"{key}\" for a {kind} link")]
    #[diagnostic(code(vsh::link::option), help("{kind} takes: {accepted}"))]
    BadOption {
        kind: String,
        key: String,
        accepted: &'static str,
        #[label("not an option of {kind}")]
        span: Span,
    },

    #[error("a {kind} link needs `{key}`")]
    #[diagnostic(code(vsh::link::option))]
    MissingOption {
        kind: String,
        key: &'static str,
        #[label("add `{key} ...` here")]
        span: Span,
    },

    #[error("variable ${name} is not set")]
    #[diagnostic(code(vsh::undefined))]
    Undefined {
        name: String,
        #[label("not set")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{what}")]
    #[diagnostic(code(vsh::arithmetic))]
    Arithmetic {
        what: &'static str,
        #[label("here")]
        span: Span,
    },

    #[error("program not found: {program}")]
    #[diagnostic(code(vsh::exec::not_found))]
    ProgramNotFound {
        program: String,
        #[label("not a builtin, and not a program in PATH")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{program} exited with status {code}")]
    #[diagnostic(code(vsh::exec::status))]
    ProgramFailed {
        program: String,
        code: i32,
        #[label("this program failed")]
        span: Span,
    },

    #[error("\"{name}\" is {actual}, not a {wanted}")]
    #[diagnostic(code(vsh::link::kind))]
    WrongKind {
        name: String,
        /// What it is: "a bridge", "a veth", "a device without a kind".
        actual: String,
        wanted: &'static str,
        #[label("not a {wanted}")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{what} must be an IPv{version} address, as {rest}")]
    #[diagnostic(code(vsh::family))]
    MixedFamily {
        what: &'static str,
        version: u8,
        /// What sets the family: "the rest of the route", "the destination".
        rest: &'static str,
        #[label("another address family")]
        span: Span,
    },

    #[error("interrupted by {}", signal_name(*signal))]
    #[diagnostic(code(vsh::interrupted))]
    Interrupted {
        signal: i32,
        #[label("stopped here")]
        span: Span,
    },

    #[error("moving \"{dev}\" into the host's namespace is denied")]
    #[diagnostic(
        code(vsh::deny::host_moves),
        help("this script said `deny host-moves`: a device in the host's namespace is one the host's programs see; run under --isolated to move it into the sandbox's root instead")
    )]
    HostMoveDenied {
        dev: String,
        #[label("the host's namespace")]
        span: Span,
    },

    #[error("process {pid} is outside the sandbox")]
    #[diagnostic(
        code(vsh::isolated::pid),
        help("under --isolated a device may only move to the sandbox's namespaces: `netns 1` or `root` for its root, or a namespace name")
    )]
    OutsideSandbox {
        pid: u32,
        #[label("not a namespace of this sandbox")]
        span: Span,
    },

    #[error("the statement after `!` succeeded")]
    #[diagnostic(
        code(vsh::not),
        help("`! STATEMENT` succeeds only when STATEMENT fails")
    )]
    NotFailed {
        #[label("expected this to fail")]
        span: Span,
    },

    #[error("no reply from {dest}: {transmitted} packets transmitted, {received} received")]
    #[diagnostic(
        code(vsh::ping::no_reply),
        help("`! ping ...` states that a destination must not answer")
    )]
    NoReply {
        dest: String,
        transmitted: u64,
        received: u64,
        #[label("this ping failed")]
        span: Span,
    },

    #[error("{failed} of {total} checks of the ping block do not hold")]
    #[diagnostic(code(vsh::ping::block))]
    PingBlock {
        failed: usize,
        total: usize,
        #[label(collection, "does not hold")]
        lines: Vec<miette::LabeledSpan>,
        #[help]
        help: Option<String>,
    },

    #[error("{what}")]
    #[diagnostic(code(vsh::option))]
    Usage {
        what: String,
        #[label("here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    /// A note of `--check`, not a failure: the kernel takes it, but it is seldom meant.
    #[error(
        "{addr} has no prefix length: it is {addr}/{len}, with no route to the rest of the subnet"
    )]
    #[diagnostic(
        code(vsh::addr::no_prefix),
        severity(Warning),
        help("write the subnet's length, as in 10.9.4.1/24: a ping to a neighbour would fail with \"Network is unreachable\"")
    )]
    NoPrefixLength {
        addr: String,
        len: u8,
        #[label("/{len}")]
        span: Span,
    },

    #[error("cannot open {path}: {source}")]
    #[diagnostic(code(vsh::redirect))]
    File {
        path: String,
        source: std::io::Error,
        #[label("this file")]
        span: Span,
    },

    #[error("no spawned program has pid {pid}")]
    #[diagnostic(
        code(vsh::process::not_a_child),
        help("`wait` reaps programs started with `spawn`")
    )]
    NotAChild {
        pid: i32,
        #[label("not spawned by this run")]
        span: Span,
    },
}

impl RunError {
    /// A note `--check` prints without failing.
    pub fn is_note(&self) -> bool {
        matches!(self, RunError::NoPrefixLength { .. })
    }

    /// The exit status this failure gives `$?`: a program's own, otherwise 1.
    pub fn status(&self) -> i32 {
        match self {
            RunError::ProgramFailed { code, .. } => *code,
            RunError::ProgramNotFound { .. } => 127,
            RunError::Interrupted { signal, .. } => 128 + signal,
            _ => 1,
        }
    }
}

/// Only the code: the span, label and help are the `RunError::Net` around it.
impl miette::Diagnostic for NetError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(kernel_code(self)))
    }
}

/// The diagnostic code of a kernel failure, by its cause, so that a script's caller (or a
/// reader) can tell "already there" from "not allowed" without parsing the message.
pub fn kernel_code(error: &NetError) -> &'static str {
    use nix::errno::Errno;
    match error {
        NetError::Panicked { .. } => return "vsh::panic",
        NetError::Malformed { .. } => return "vsh::kernel::malformed",
        _ => {}
    }
    match error.errno() {
        Some(Errno::EEXIST | Errno::ENOTEMPTY | Errno::EADDRINUSE) => "vsh::kernel::exists",
        Some(
            Errno::ENOENT | Errno::ENODEV | Errno::ESRCH | Errno::ENXIO | Errno::EADDRNOTAVAIL,
        ) => "vsh::kernel::not_found",
        Some(Errno::EPERM | Errno::EACCES) => "vsh::kernel::permission",
        Some(Errno::EBUSY) => "vsh::kernel::busy",
        Some(Errno::EINVAL | Errno::ERANGE | Errno::E2BIG) => "vsh::kernel::invalid",
        Some(Errno::ENETUNREACH | Errno::EHOSTUNREACH | Errno::ENETDOWN) => {
            "vsh::kernel::unreachable"
        }
        Some(Errno::EOPNOTSUPP | Errno::EAFNOSUPPORT | Errno::EPROTONOSUPPORT | Errno::ENOSYS) => {
            "vsh::kernel::unsupported"
        }
        Some(Errno::ENOMEM | Errno::ENOBUFS | Errno::ENOSPC | Errno::EMFILE | Errno::ENFILE) => {
            "vsh::kernel::resources"
        }
        Some(Errno::EINTR) => "vsh::kernel::interrupted",
        _ => "vsh::kernel",
    }
}

fn signal_name(signal: i32) -> String {
    nix::sys::signal::Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_keeps_its_message_and_has_its_own_code() {
        let payload = std::thread::spawn(|| panic!("index {} out of range", 3))
            .join()
            .unwrap_err();
        let e = NetError::panicked("the capture thread", payload);
        assert_eq!(
            e.to_string(),
            "the capture thread panicked: index 3 out of range (a bug in vsh)"
        );
        assert_eq!(kernel_code(&e), "vsh::panic");
    }

    #[test]
    fn an_io_error_without_errno_is_kept_not_given_one() {
        let io = std::io::Error::new(
            std::io::ErrorKind::WriteZero,
            "failed to write whole buffer",
        );
        let e = NetError::io("write x.pcapng", &io);
        assert_eq!(e.errno(), None);
        assert_eq!(
            e.to_string(),
            "write x.pcapng: failed to write whole buffer"
        );
        assert_eq!(kernel_code(&e), "vsh::kernel");
        let os = NetError::io("write y", &std::io::Error::from_raw_os_error(libc::EACCES));
        assert_eq!(kernel_code(&os), "vsh::kernel::permission");
    }
}
