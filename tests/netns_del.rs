//! `netns del` of many namespaces: the deletes overlap, yet every other statement, the end of
//! the script and iproute2 afterwards see them done, and a failure points at its own line.

use crate::lab::{Lab, Run};

/// The names `ip -j netns list` printed as oracle `i` (it prints nothing when there are none).
fn ip_netns_names(run: &Run, i: usize) -> Vec<String> {
    if run.oracle(i).trim().is_empty() {
        return vec![];
    }
    let mut names: Vec<String> = run
        .json(i)
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["name"].as_str().expect("a name").to_string())
        .collect();
    names.sort();
    names
}

fn names(prefix: &str, range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    let mut names: Vec<String> = range.map(|i| format!("{prefix}{i}")).collect();
    names.sort();
    names
}

/// `ip netns add h1 .. hN` before vsh runs: not made by the script, so never undone.
fn made_by_ip(n: u32) -> String {
    format!("for i in $(seq 1 {n}); do ip netns add h$i || exit 1; done")
}

#[test]
fn two_hundred_deletes_in_a_loop_leave_nothing() {
    needs_root!();
    let run = Lab::new(
        "for i in 1..200 { netns add h$i }\n\
         for i in 1..200 {\n  netns del h$i\n}\n\
         netns list\n",
    )
    .oracle("ip -j netns list")
    .oracle("ls -A /run/netns")
    .run()
    .success();
    assert_eq!(run.stdout, "", "netns list after the deletes");
    assert_eq!(ip_netns_names(&run, 0), Vec::<String>::new());
    assert_eq!(run.oracle(1), "", "files left in /run/netns");
}

#[test]
fn names_deleted_and_added_again_are_fresh_namespaces() {
    needs_root!();
    // A bridge inside each first namespace: the second of the same name must not have it.
    let run = Lab::new(
        "for i in 1..50 {\n  netns add h$i\n  ip -n h$i link add br$i type bridge\n}\n\
         for i in 1..50 { netns del h$i }\n\
         for i in 1..50 { netns add h$i }\n\
         netns del x1\n\
         netns add x1\n\
         for i in 1..50 {\n  netns del h$i\n  netns add h$i\n}\n",
    )
    .before("ip netns add x1 && ip -n x1 link add brx type bridge")
    .oracle("ip -j netns list")
    .oracle("ip -n h1 -j link show")
    .oracle("ip -n h50 -j link show")
    .oracle("ip -n x1 -j link show")
    .run()
    .success();
    let mut want = names("h", 1..=50);
    want.push("x1".into());
    want.sort();
    assert_eq!(ip_netns_names(&run, 0), want);
    for i in 1..=3 {
        let links = run.json(i);
        let names: Vec<&str> = links
            .as_array()
            .expect("links")
            .iter()
            .map(|l| l["ifname"].as_str().expect("a name"))
            .collect();
        assert_eq!(names, ["lo"], "oracle {i}");
    }
}

#[test]
fn a_missing_name_after_a_loop_of_deletes_fails_at_its_line() {
    needs_root!();
    let run = Lab::new(
        "for i in 1..50 {\n  netns del h$i\n}\n\
         netns del nosuch\n\
         for i in 51..100 { netns del h$i }\n",
    )
    .before(&made_by_ip(100))
    .oracle("ip -j netns list")
    .run()
    .failure(1)
    .stderr_has("cannot delete namespace \"nosuch\": namespace \"nosuch\" does not exist")
    .stderr_has("╭─[script.vnet:4:1]")
    .stderr_has(" 4 │ netns del nosuch");
    // The deletes before it happened; the statements after it never ran.
    assert_eq!(ip_netns_names(&run, 0), names("h", 51..=100));
}

#[test]
fn a_missing_name_inside_a_loop_of_deletes_stops_the_loop_there() {
    needs_root!();
    let run = Lab::new("for n in h1 h2 nosuch h3 {\n  netns del $n\n}\n")
        .before(&made_by_ip(3))
        .oracle("ip -j netns list")
        .run()
        .failure(1)
        .stderr_has("namespace \"nosuch\" does not exist")
        .stderr_has("╭─[script.vnet:2:3]");
    assert_eq!(ip_netns_names(&run, 0), ["h3"]);
}

#[test]
fn the_statement_after_a_delete_sees_it_done() {
    needs_root!();
    let run = Lab::new(
        "for i in 1..100 { netns add h$i }\n\
         netns add a\n\
         netns add b\n\
         netns del a\n\
         if netns exists a { echo a-still-there } else { echo a-gone }\n\
         for i in 1..100 { netns del h$i }\n\
         netns del b\n\
         ls -A /run/netns\n\
         ! netns del b\n\
         netns list\n",
    )
    .oracle("ip -j netns list")
    .run()
    .success()
    .stdout_has("a-gone");
    assert_eq!(run.stdout, "a-gone\n", "only the if printed");
    assert_eq!(ip_netns_names(&run, 0), Vec::<String>::new());
}

#[test]
fn a_delete_that_fails_once_queued_is_reported_at_its_line() {
    needs_root!();
    // A second mount stacked on /run/netns/stacked: it exists, but after one lazy unmount the
    // file is still a mount point, and unlink fails (as `ip netns del` does) with EBUSY.
    let run = Lab::new(
        "netns add mine\n\
         netns del h1\n\
         netns del stacked\n\
         netns del h2\n\
         exec touch /run/after-the-deletes\n",
    )
    .before(&made_by_ip(2))
    .before("ip netns add stacked && mount --bind /run/netns/stacked /run/netns/stacked")
    .oracle("ip -j netns list")
    .oracle("test -e /run/after-the-deletes && echo ran || echo never-ran")
    .run()
    .failure(1)
    .stderr_has("cannot delete namespace \"stacked\": unlink /run/netns/stacked: Device or")
    .stderr_has("╭─[script.vnet:3:1]")
    .stderr_has("removed namespace mine");
    // The deletes queued before the failure was known ran; the next other statement did not.
    assert_eq!(ip_netns_names(&run, 0), ["stacked"]);
    assert_eq!(run.oracle(1).trim(), "never-ran");
}
