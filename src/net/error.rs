//! Typed errors of the net layer. The errno is kept as [`Errno`] so callers can match on it;
//! it becomes text only when displayed.

use nix::errno::Errno;

use super::names::NameKind;
use super::netns::Ns;

/// Everything the net layer can fail with.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The kernel refused a netlink request. `message` is the extended-ack NLMSGERR_ATTR_MSG text if any.
    #[error("{}", kernel_text(*errno, message.as_deref()))]
    Kernel {
        /// The errno the kernel answered with.
        errno: Errno,
        /// The kernel's extended-ack explanation, when it sent one.
        message: Option<String>,
    },
    /// No device of that name in that namespace (ENODEV, or a lookup that found nothing).
    #[error("Cannot find device \"{name}\"{}", in_ns(ns))]
    NoDevice {
        /// The interface name looked for.
        name: String,
        /// The namespace it was looked for in.
        ns: Ns,
    },
    /// No namespace of that name in /run/netns.
    #[error("namespace \"{name}\" does not exist")]
    NoNetns {
        /// The namespace name.
        name: String,
    },
    /// A namespace of that name already exists in /run/netns.
    #[error("namespace \"{name}\" already exists")]
    NetnsExists {
        /// The namespace name.
        name: String,
    },
    /// A name the kernel or /run/netns would refuse or misread ("a/b", "..", a 16-byte ifname).
    #[error("invalid {kind} name \"{name}\"")]
    InvalidName {
        /// What the name was for.
        kind: NameKind,
        /// The refused name.
        name: String,
    },
    /// A system call failed; `what` says which, with its argument (e.g. "mount /run/netns/red").
    #[error("{what}: {}", errno.desc())]
    Sys {
        /// The call and its argument.
        what: String,
        /// The errno it failed with.
        errno: Errno,
    },
    /// An external program could not be started (not found, not executable).
    #[error("{program}: {source}")]
    Spawn {
        /// The program as given.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// A namespace was deleted, but the kernel destroyed none of the devices that go with it
    /// (veth peers in other namespaces) for [`super::release::RELEASE_TIMEOUT`]: their names
    /// are still taken.
    #[error(
        "the kernel has not finished destroying {} (none went in {}s); making {} again may fail with \"File exists\"",
        devices.join(", "),
        after.as_secs(),
        if devices.len() == 1 { "it" } else { "them" }
    )]
    StillReleasing {
        /// The devices still there, as "NAME in NS".
        devices: Vec<String>,
        /// How long vsh waited.
        after: std::time::Duration,
    },
    /// An I/O call failed without an errno (a short write, a closed pipe's custom error).
    #[error("{what}: {source}")]
    Io {
        /// The call and its argument.
        what: String,
        /// What it failed with.
        source: std::io::Error,
    },
    /// The kernel sent a netlink message we could not decode (a bug here or a new kernel).
    #[error("malformed netlink reply: {what}")]
    Malformed {
        /// What could not be decoded.
        what: String,
    },
    /// A helper thread (a capture, a probe) panicked: a bug in vsh, not a kernel answer.
    #[error("{what} panicked: {message} (a bug in vsh)")]
    Panicked {
        /// Which thread: "the capture thread".
        what: String,
        /// The panic's message, when it had one.
        message: String,
    },
}

/// The result type of the net layer.
pub type Result<T> = std::result::Result<T, NetError>;

impl NetError {
    /// The errno behind this error, for callers that match on EEXIST, ENODEV and the like.
    pub fn errno(&self) -> Option<Errno> {
        match self {
            NetError::Kernel { errno, .. } | NetError::Sys { errno, .. } => Some(*errno),
            NetError::NoDevice { .. } => Some(Errno::ENODEV),
            NetError::NoNetns { .. } => Some(Errno::ENOENT),
            NetError::NetnsExists { .. } => Some(Errno::EEXIST),
            NetError::InvalidName { .. } => Some(Errno::EINVAL),
            NetError::Spawn { source, .. } => source.raw_os_error().map(Errno::from_raw),
            NetError::Io { .. } | NetError::Malformed { .. } | NetError::Panicked { .. } => None,
            NetError::StillReleasing { .. } => Some(Errno::EBUSY),
        }
    }

    /// A failed system call, named with its argument.
    pub(crate) fn sys(what: impl Into<String>, errno: Errno) -> Self {
        NetError::Sys {
            what: what.into(),
            errno,
        }
    }

    /// A failed system call reported through `std::io::Error`: its errno when it has one,
    /// otherwise the error itself (never a made-up errno).
    pub(crate) fn io(what: impl Into<String>, err: &std::io::Error) -> Self {
        match err.raw_os_error() {
            Some(code) => Self::sys(what, Errno::from_raw(code)),
            None => NetError::Io {
                what: what.into(),
                source: std::io::Error::new(err.kind(), err.to_string()),
            },
        }
    }

    /// A thread of `what` ended in a panic; `payload` is what `JoinHandle::join` gave back.
    pub fn panicked(what: &str, payload: Box<dyn std::any::Any + Send>) -> Self {
        let message = match payload.downcast::<String>() {
            Ok(s) => *s,
            Err(payload) => match payload.downcast::<&'static str>() {
                Ok(s) => (*s).to_owned(),
                Err(_) => "no message".to_owned(),
            },
        };
        NetError::Panicked {
            what: what.to_owned(),
            message,
        }
    }
}

fn kernel_text(errno: Errno, message: Option<&str>) -> String {
    match message {
        Some(m) => m.to_owned(),
        None => errno.desc().to_owned(),
    }
}

fn in_ns(ns: &Ns) -> String {
    match ns {
        Ns::Root => String::new(),
        Ns::Named(name) => format!(" in namespace {name}"),
    }
}
