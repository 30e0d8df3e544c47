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

/// A name that breaks the rules of its kind, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadName {
    /// What the name was for.
    pub kind: NameKind,
    /// The name as given.
    pub name: String,
    /// Which rule it breaks.
    pub reason: &'static str,
}

/// An interface name the kernel takes (IFNAMSIZ rules): only made through `FromStr`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfName(String);

/// A name a namespace can have (a file name in /run/netns): only made through `FromStr`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NetnsName(String);

macro_rules! name_type {
    ($t:ident, $kind:expr) => {
        impl std::str::FromStr for $t {
            type Err = BadName;
            fn from_str(name: &str) -> std::result::Result<Self, BadName> {
                match problem($kind, name) {
                    None => Ok($t(name.to_owned())),
                    Some(reason) => Err(BadName {
                        kind: $kind,
                        name: name.to_owned(),
                        reason,
                    }),
                }
            }
        }
        impl $t {
            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The name as owned text.
            pub fn into_string(self) -> String {
                self.0
            }
        }
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(IfName, NameKind::Interface);
name_type!(NetnsName, NameKind::Netns);

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

    #[test]
    fn names_are_typed_by_their_rules() {
        assert_eq!("veth0".parse::<IfName>().unwrap().as_str(), "veth0");
        let bad = "a/b".parse::<IfName>().unwrap_err();
        assert_eq!(
            (bad.kind, bad.reason),
            (NameKind::Interface, "it contains `/`")
        );
        assert_eq!("red".parse::<NetnsName>().unwrap().to_string(), "red");
        let long = "x".repeat(20);
        assert!(long.parse::<NetnsName>().is_ok());
        assert!(long.parse::<IfName>().is_err());
        assert_eq!(
            "..".parse::<NetnsName>().unwrap_err().reason,
            "it is `.` or `..`"
        );
    }
}
