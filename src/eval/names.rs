//! Live names for REPL completion, by kind: the devices, bridges and addresses of a
//! namespace as the kernel has them now. None when they cannot be read: completion offers
//! nothing rather than failing a line being typed.

use super::Evaluator;
use crate::net::{addr, link, Ns};

impl Evaluator {
    /// `name`, or the current namespace.
    fn ns_or_current(&self, name: Option<&str>) -> Ns {
        match name {
            Some("root") => Ns::Root,
            Some(name) => Ns::Named(name.to_string()),
            None => self.ns.clone(),
        }
    }

    /// The devices of namespace `ns` (`None`: the current one); with `bridges`, the bridges.
    pub fn link_names(&mut self, ns: Option<&str>, bridges: bool) -> Vec<String> {
        let ns = self.ns_or_current(ns);
        let Ok(sock) = self.net.route(&ns) else {
            return vec![];
        };
        link::list(sock)
            .map(|links| {
                links
                    .into_iter()
                    .filter(|l| !bridges || l.kind.as_deref() == Some("bridge"))
                    .map(|l| l.name)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The addresses (`10.0.0.1/24`) of namespace `ns`'s devices (`None`: the current one).
    pub fn address_names(&mut self, ns: Option<&str>) -> Vec<String> {
        let ns = self.ns_or_current(ns);
        let Ok(sock) = self.net.route(&ns) else {
            return vec![];
        };
        addr::list(sock)
            .map(|all| all.into_iter().map(|a| a.prefix.to_string()).collect())
            .unwrap_or_default()
    }
}
