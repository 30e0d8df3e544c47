//! Speed without a visible difference: a veth made then its peer moved runs as one request
//! (the peer made in place), and ifindexes are cached by name. Every script here runs twice,
//! with fusion and without (VSH_NO_FUSION=1), and both runs must leave the same state as
//! iproute2 reports it, print the same, and fail the same way at the same line.

use crate::lab::{link, Lab, Run};
use serde_json::Value;

/// What iproute2 sees after a script: links of root and of h1, namespaces, bridge ports.
const ORACLES: [&str; 4] = [
    "ip -j link show",
    "ip -n h1 -j link show 2>/dev/null || echo '[]'",
    "ip -j netns list || echo '[]'",
    "bridge -j link show",
];

fn lab(script: &str, fused: bool) -> Run {
    let mut lab = Lab::new(script).env("VSH_NO_FUSION", if fused { "0" } else { "1" });
    for o in ORACLES {
        lab = lab.oracle(o);
    }
    lab.run()
}

/// The kernel's state without what the kernel picks by itself: ifindexes (a peer made in
/// place takes its namespace's next one) and random MAC addresses. `bridge link` also renders
/// a port's peer index as the name of whatever link has that index *here* ("link") and flags
/// the port M-DOWN when that link is down: both follow from the ifindex alone.
fn state(run: &Run, i: usize) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in ["ifindex", "link_index", "address", "broadcast"] {
                    map.remove(key);
                }
                if map.contains_key("state") {
                    map.remove("link");
                    if let Some(Value::Array(flags)) = map.get_mut("flags") {
                        flags.retain(|f| f != "M-DOWN");
                    }
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = run.json(i);
    strip(&mut v);
    v
}

/// Runs `script` fused and not; asserts that nothing observable differs; returns both runs.
fn same_both_ways(script: &str) -> (Run, Run) {
    let fused = lab(script, true);
    let plain = lab(script, false);
    assert_eq!(fused.status, plain.status, "status\n{script}");
    assert_eq!(fused.stdout, plain.stdout, "stdout\n{script}");
    assert_eq!(fused.stderr, plain.stderr, "stderr\n{script}");
    for (i, oracle) in ORACLES.iter().enumerate() {
        assert_eq!(state(&fused, i), state(&plain, i), "{oracle}\n{script}");
    }
    (fused, plain)
}

/// A bridge made first takes index 2 in root: a moved peer keeps root's index (3 or more),
/// a peer made in place in a fresh namespace takes 2 (lo is 1). So the index tells which way
/// the pair was made.
const BRIDGE_FIRST: &str = "link add br0 type bridge\nnetns add h1\n";

#[test]
fn a_pair_made_then_moved_is_made_in_place_with_the_same_result() {
    needs_root!();
    let script = format!(
        "{BRIDGE_FIRST}\
         link add v1 type veth peer name e1\n\
         link set e1 netns h1\n\
         link set v1 master br0\n\
         link set v1 up\n\
         netns h1 {{\n\
             addr add 10.0.0.1/24 dev e1\n\
             link set e1 up\n\
         }}\n\
         veth v2 peer e2\n\
         link set e2 netns h1\n\
         echo status $?\n"
    );
    let (fused, plain) = same_both_ways(&script);
    let fused = fused.success().stdout_has("status 0");
    plain.success();
    let h1 = fused.json(1);
    assert_eq!(link(&h1, "e1")["ifindex"], 2, "the peer was made in place");
    assert_eq!(link(&h1, "e1")["operstate"], "UP");
    assert_eq!(link(&fused.json(0), "v1")["master"], "br0");
    assert!(fused
        .json(0)
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["ifname"] != "e1" && l["ifname"] != "e2"));
}

#[test]
fn a_statement_in_between_prevents_fusion_and_changes_nothing_else() {
    needs_root!();
    let adjacent = lab(
        &format!("{BRIDGE_FIRST}link add v1 type veth peer name e1\nlink set e1 netns h1\n"),
        true,
    )
    .success();
    let apart = lab(
        &format!(
            "{BRIDGE_FIRST}link add v1 type veth peer name e1\nlet x = 1\nlink set e1 netns h1\n"
        ),
        true,
    )
    .success();
    // Moved, e1 kept the index it had in root; made in place, it took h1's first free one.
    assert_eq!(link(&adjacent.json(1), "e1")["ifindex"], 2);
    assert_ne!(link(&apart.json(1), "e1")["ifindex"], 2);
    for (i, oracle) in ORACLES.iter().enumerate() {
        assert_eq!(state(&adjacent, i), state(&apart, i), "{oracle}");
    }
}

#[test]
fn a_missing_namespace_is_still_reported_at_the_move() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         link add v1 type veth peer name e1\n\
         link set e1 netns nosuch\n\
         echo not-reached\n",
    );
    let fused = fused
        .failure(1)
        .stderr_has("script.vnet:3:")
        .stderr_has("nosuch")
        // The pair was made, as written, before the move failed; the failed run undid it.
        .stderr_has("removed link v1 in root");
    assert!(!fused.stdout.contains("not-reached"));
}

#[test]
fn a_peer_name_taken_in_the_target_fails_at_the_move() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         ip -n h1 link add e1 type bridge\n\
         link add v1 type veth peer name e1\n\
         link set e1 netns h1\n",
    );
    fused.failure(1).stderr_has("script.vnet:4:");
}

#[test]
fn a_peer_name_taken_here_fails_at_the_pair() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         link add e1 type bridge\n\
         link add v1 type veth peer name e1\n\
         link set e1 netns h1\n",
    );
    fused
        .failure(1)
        .stderr_has("script.vnet:3:")
        .stderr_has("File exists");
}

#[test]
fn a_name_taken_by_the_pair_itself_fails_at_the_pair() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         link add v1 type bridge\n\
         veth v1 peer e1\n\
         link set e1 netns h1\n",
    );
    fused.failure(1).stderr_has("script.vnet:3:");
}

#[test]
fn the_move_reads_dollar_question_as_after_the_pair() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h0\n\
         netns add h1\n\
         if netns add h1 {}\n\
         link add v1 type veth peer name e1\n\
         link set e1 netns h$?\n\
         netns h0 { link set e1 mtu 1400 }\n",
    );
    fused.success();
}

#[test]
fn moving_the_other_end_or_moving_and_more_is_not_fused() {
    needs_root!();
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         link add v1 type veth peer name e1\n\
         link set v1 netns h1\n\
         link add v2 type veth peer name e2\n\
         link set e2 up netns h1\n",
    );
    fused.success();
}

// The ifindex cache: names re-created after a rename, a delete, a move, a program, or their
// namespace's deletion must reach the new link, never the old index.

#[test]
fn a_renamed_name_reaches_the_new_link() {
    needs_root!();
    let run = Lab::new(
        "link add a type bridge\n\
         link set a mtu 1400\n\
         link set a name b\n\
         link add a type bridge\n\
         link set a mtu 1300\n\
         link set b mtu 1200\n",
    )
    .oracle("ip -j link show")
    .run()
    .success();
    let links = run.json(0);
    assert_eq!(link(&links, "a")["mtu"], 1300);
    assert_eq!(link(&links, "b")["mtu"], 1200);
}

#[test]
fn a_deleted_name_is_not_found_then_reaches_its_new_link() {
    needs_root!();
    Lab::new(
        "link add a type bridge\n\
         link set a up\n\
         link del a\n\
         link set a up\n",
    )
    .run()
    .failure(1)
    .stderr_has("cannot find device \"a\"")
    .stderr_has("script.vnet:4:");
    let run = Lab::new(
        "link add a type bridge\n\
         link set a up\n\
         link del a\n\
         link add x type bridge\n\
         link add a type bridge\n\
         link set a mtu 1300\n",
    )
    .oracle("ip -j link show")
    .run()
    .success();
    let links = run.json(0);
    assert_eq!(link(&links, "a")["mtu"], 1300);
    assert_eq!(link(&links, "x")["mtu"], 1500);
}

#[test]
fn a_moved_name_reaches_the_link_left_behind_and_the_one_that_moved() {
    needs_root!();
    let run = Lab::new(
        "netns add h1\n\
         link add a type veth peer name pa\n\
         link set a mtu 1400\n\
         link set a netns h1\n\
         link add a type bridge\n\
         link set a mtu 1300\n\
         netns h1 { link set a mtu 1200 }\n",
    )
    .oracle("ip -j link show")
    .oracle("ip -n h1 -j link show")
    .run()
    .success();
    assert_eq!(link(&run.json(0), "a")["mtu"], 1300);
    assert_eq!(link(&run.json(1), "a")["mtu"], 1200);
}

#[test]
fn a_name_a_program_deleted_and_made_again_reaches_the_new_link() {
    needs_root!();
    let run = Lab::new(
        "link add a type bridge\n\
         link set a mtu 1400\n\
         exec ip link del dev a\n\
         exec ip link add name x type bridge\n\
         exec ip link add name a type bridge\n\
         link set a mtu 1300\n",
    )
    .oracle("ip -j link show")
    .run()
    .success();
    let links = run.json(0);
    assert_eq!(link(&links, "a")["mtu"], 1300);
    assert_eq!(link(&links, "x")["mtu"], 1500);
}

#[test]
fn names_in_a_deleted_and_remade_namespace_reach_the_new_links() {
    needs_root!();
    let run = Lab::new(
        "netns h1 { link add a type bridge; link set a mtu 1400 }\n\
         netns del h1\n\
         netns h1 { link add x type bridge; link add a type bridge; link set a mtu 1300 }\n",
    )
    .oracle("ip -n h1 -j link show")
    .run()
    .success();
    let links = run.json(0);
    assert_eq!(link(&links, "a")["mtu"], 1300);
    assert_eq!(link(&links, "x")["mtu"], 1500);
}

#[test]
fn a_veth_deleted_from_the_other_side_takes_its_cached_peer_along() {
    needs_root!();
    let run = Lab::new(
        "netns add h1\n\
         link add v type veth peer name e netns h1\n\
         netns h1 { link set e mtu 1400 }\n\
         link del v\n\
         netns h1 { link add x type bridge; link add e type bridge; link set e mtu 1300 }\n",
    )
    .oracle("ip -n h1 -j link show")
    .run()
    .success();
    let links = run.json(0);
    assert_eq!(link(&links, "e")["mtu"], 1300);
    assert_eq!(link(&links, "x")["mtu"], 1500);
}

#[test]
fn ends_that_would_share_an_index_are_made_as_written() {
    needs_root!();
    // In a fresh sandbox both ends would take index 2, and the kernel would then report no
    // peer (IFLA_LINK) for either: fusion undoes that pair and makes it as written.
    let (fused, _) = same_both_ways(
        "netns add h1\n\
         link add v1 type veth peer name e1\n\
         link set e1 netns h1\n",
    );
    let fused = fused.success();
    let (root, h1) = (fused.json(0), fused.json(1));
    let (v1, e1) = (link(&root, "v1"), link(&h1, "e1"));
    assert_ne!(v1["ifindex"], e1["ifindex"]);
    assert_eq!(v1["link_index"], e1["ifindex"]);
    assert_eq!(e1["link_index"], v1["ifindex"]);
}
