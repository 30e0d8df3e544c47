//! Routes as iproute2 6.1's `print_route` prints them with `-j`: the keys and order of its
//! text form, with `flags` always there.

use super::printer::Printer;
use crate::net::link::Link;
use crate::net::route::{self, Route};

/// One route. `show_dev`: `dev` is left out when the listing asked for one device;
/// `show_table`: a table other than main is named when the listing was not of one table.
pub(super) fn route(p: &mut Printer, r: &Route, links: &[Link], show_dev: bool, show_table: bool) {
    p.open_obj(None);
    // RTN_UNICAST is the one type ip leaves unsaid.
    if r.kind != 1 {
        let t = route::type_name(r.kind);
        p.str("type", &t, &format!("{t} "));
    }
    let dst = match r.dst {
        Some(d) if r.dst_len == r.family.host_len() => d.to_string(),
        Some(d) => format!("{d}/{}", r.dst_len),
        None if r.dst_len != 0 => format!("0/{} ", r.dst_len),
        None => "default".into(),
    };
    p.str("dst", &dst, &format!("{dst} "));
    if let Some(gw) = r.gateway {
        let gw = gw.to_string();
        p.str("gateway", &gw, &format!("via {gw} "));
    }
    if let (Some(oif), true) = (r.oif, show_dev) {
        let dev = links
            .iter()
            .find(|l| l.index == oif)
            .map_or_else(|| format!("if{oif}"), |l| l.name.clone());
        p.str("dev", &dev, &format!("dev {dev} "));
    }
    if r.table != route::TABLE_MAIN && show_table {
        let t = table_name(r.table);
        p.str("table", &t, &format!("table {t} "));
    }
    if !r.is_cloned() {
        // RTPROT_BOOT and RT_SCOPE_UNIVERSE are the defaults ip does not print.
        if r.protocol != 3 {
            let proto = route::protocol_name(r.protocol);
            p.str("protocol", &proto, &format!("proto {proto} "));
        }
        if r.scope != 0 {
            let scope = route::scope_name(r.scope);
            p.str("scope", &scope, &format!("scope {scope} "));
        }
    }
    if let Some(src) = r.prefsrc {
        let src = src.to_string();
        p.str("prefsrc", &src, &format!("src {src} "));
    }
    if let Some(m) = r.metric {
        p.num("metric", m, &format!("metric {m} "));
    }
    p.open_arr(Some("flags"));
    for (bit, name) in route::FLAG_NAMES {
        if r.flags & bit != 0 {
            p.elem(name, &format!("{name} "));
        }
    }
    p.close_arr();
    if let Some(pref) = r.pref {
        let pref = route::pref_name(pref);
        p.str("pref", &pref, &format!("pref {pref}"));
    }
    p.fp("\n");
    p.close_obj();
}

/// rtnl_rttable_n2a: the names of /etc/iproute2/rt_tables' reserved tables, else the number.
fn table_name(t: u32) -> String {
    match t {
        253 => "default".into(),
        254 => "main".into(),
        255 => "local".into(),
        n => n.to_string(),
    }
}
