//! The rules for interface and namespace names, in one place: the net layer refuses a bad
//! name before a request, and the evaluator refuses it at its word with the same reason.

use std::fmt;

use super::error::{NetError, Result};

/// What kind of name a value was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A network namespace name (a file name in /run/netns).
    Netns,
    /// A network interface name (IFNAMSIZ rules).
    Interface,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Netns => "namespace",
            NameKind::Interface => "interface",
        })
    }
}

/// Why the kernel would refuse `name` as an interface name (1 to 15 bytes, no '/', ':', NUL
/// or whitespace, not "." or ".."), or `None` if it would take it.
pub fn ifname_problem(name: &str) -> Option<&'static str> {
    Some(if name.is_empty() {
        "it is empty"
    } else if name.len() > 15 {
        "it is longer than 15 bytes"
    } else if name.contains('/') {
        "it contains `/`"
    } else if name.chars().any(char::is_whitespace) {
        "it contains whitespace"
    } else if name == "." || name == ".." || name.contains([':', '\0']) {
        "the kernel does not accept it"
    } else {
        return None;
    })
}

/// Why `name` cannot name a namespace (a plain file name in /run/netns), or `None`.
pub fn netns_name_problem(name: &str) -> Option<&'static str> {
    Some(if name.is_empty() {
        "it is empty"
    } else if name.contains('/') {
        "it contains `/`"
    } else if name == "." || name == ".." {
        "it is `.` or `..`"
    } else if name.len() > 255 || name.contains('\0') {
        "it is not a valid file name"
    } else {
        return None;
    })
}

/// Why `name` is not a good name of `kind`, or `None`.
pub fn problem(kind: NameKind, name: &str) -> Option<&'static str> {
    match kind {
        NameKind::Netns => netns_name_problem(name),
        NameKind::Interface => ifname_problem(name),
    }
}

/// Whether the kernel accepts `name` as an interface name.
pub fn valid_ifname(name: &str) -> bool {
    ifname_problem(name).is_none()
}

/// Whether `name` can name a namespace.
pub fn valid_netns_name(name: &str) -> bool {
    netns_name_problem(name).is_none()
}

/// [`NetError::InvalidName`] for a name of `kind` that breaks its rules.
pub fn check(kind: NameKind, name: &str) -> Result<()> {
    match problem(kind, name) {
        None => Ok(()),
        Some(_) => Err(NetError::InvalidName {
            kind,
            name: name.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names() {
        assert!(valid_ifname("veth0"));
        assert!(valid_ifname("a23456789012345"));
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a b",
            "a:1",
            "a\tb",
            "a\0b",
            "a234567890123456",
        ] {
            assert!(!valid_ifname(bad), "{bad:?}");
        }
        assert_eq!(ifname_problem("a:1"), Some("the kernel does not accept it"));
    }

    #[test]
    fn netns_names() {
        assert!(valid_netns_name("red"));
        assert!(valid_netns_name("a.b-c_1"));
        for bad in ["", ".", "..", "a/b", "/", "a\0b", &"x".repeat(256)] {
            assert!(!valid_netns_name(bad), "{bad:?}");
        }
        assert_eq!(netns_name_problem(".."), Some("it is `.` or `..`"));
    }
}
