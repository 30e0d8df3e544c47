//! Safe to run anywhere: undo on failure, --keep and `vsh down`, signals, SIGKILL then down,
//! rootless runs, host moves denied, concurrent runs. Each test has objects that existed
//! before the run and must survive it.

use crate::lab::Lab;

/// Objects that exist before every run here, and must be exactly as they were after it.
const BEFORE: &str = "ip netns add keep && ip link add old0 type veth peer name old1 && ip addr add 10.8.0.1/24 dev old0";

const FAILING: &str = "netns add red
veth a peer b netns red
addr add 10.0.0.1/24 dev a
addr add 10.0.0.9/24 dev old0
link set old0 up
route add 10.9.0.0/24 dev old0
route add 10.10.0.0/24 via 10.8.0.254
link set old1 netns red
link set old0 name renamed0
netns add blue
link add a type bridge
";

#[test]
fn a_failed_run_undoes_what_it_made_and_nothing_else() {
    needs_root!();
    let run = Lab::new(FAILING)
        .before(BEFORE)
        .snapshot()
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .oracle("ls /run/vsh")
        .oracle("ip route show | sed 's/ linkdown *$//'")
        .run()
        .failure(1)
        .stderr_has("removed route 10.10.0.0/24 in root")
        .stderr_has("removed route 10.9.0.0/24 in root")
        .stderr_has("cannot create \"a\" in the root namespace: File exists")
        .stderr_has("vsh: undoing what this run made and changed:")
        .stderr_has("removed namespace blue")
        .stderr_has("renamed link renamed0 back to old0 in root")
        .stderr_has("moved link old1 back to root")
        .stderr_has("removed address 10.0.0.9/24 from old0 in root")
        .stderr_has("removed namespace red, and with it veth a in root");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
    assert_eq!(
        run.oracle(2).trim(),
        "",
        "the journal of an undone run is empty"
    );
    // old0 is down again, as it was before the run: the kernel keeps no route for it, and
    // none of the run's routes is left.
    assert_eq!(run.oracle(3).trim(), "");
}

#[test]
fn keep_leaves_the_network_and_down_removes_it_once() {
    needs_root!();
    let run = Lab::new("netns add red\nveth a peer b netns red\nlink add a type bridge\n")
        .before(BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" --keep script.vnet; echo \"status $?\"
             ls /run/netns | sort | tr '\\n' ' '; echo
             \"$VSH\" down script.vnet; echo \"status $?\"
             \"$VSH\" down script.vnet; echo \"status $?\"
             \"$VSH\" script.vnet 2>/dev/null; echo \"rerun $?\"",
        )
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .run()
        .success()
        .stderr_has(
            "vsh: kept what this run made and changed (3 journal entries); undo it with: vsh down script.vnet",
        )
        .stdout_has("status 1\nkeep red \n")
        .stdout_has("removed namespace red, and with it veth a in root\nstatus 0\n")
        .stdout_has("vsh down: nothing to remove for script.vnet\nstatus 0\n")
        // The names were released at once: the same script fails at the same line again.
        .stdout_has("rerun 1");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
}

/// Starts vsh on `script.vnet` in the background, waits until it runs its `sleep`, sends
/// `signal`, then reports its exit status.
fn signal_script(signal: &str) -> String {
    // Job control on, so the background vsh gets SIGINT like a foreground one would.
    format!(
        "set -m
         \"$VSH\" script.vnet & pid=$!
         for i in $(seq 100); do child=$(pgrep -P $pid sleep) && break; sleep 0.05; done
         kill -{signal} $pid; wait $pid; echo \"status $?\"
         kill $child 2>/dev/null; true"
    )
}

const SLEEPING: &str =
    "netns add red\nveth a peer b netns red\naddr add 10.0.0.1/24 dev old0\nsleep 30\necho never\n";

#[test]
fn sigint_and_sigterm_undo_and_exit_130_and_143() {
    needs_root!();
    for (signal, status, name) in [("INT", 130, "SIGINT"), ("TERM", 143, "SIGTERM")] {
        let run = Lab::new(SLEEPING)
            .before(BEFORE)
            .snapshot()
            .shell(&signal_script(signal))
            .oracle("ls /run/netns")
            .oracle("ip -j addr show")
            .run()
            .success()
            .stdout_has(&format!("status {status}"))
            .stderr_has(&format!("interrupted by {name}"))
            .stderr_has("removed namespace red");
        assert!(!run.stdout.contains("never"));
        // Every namespace as before: links, state, mtu, master, addresses, routes.
        run.same_state();
    }
}

#[test]
fn sigkill_then_down_removes_exactly_what_the_run_made() {
    needs_root!();
    let run = Lab::new(SLEEPING)
        .before(BEFORE)
        .snapshot()
        .shell(&(signal_script("KILL") + "\n\"$VSH\" down script.vnet\n\"$VSH\" down script.vnet"))
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .run()
        .success()
        .stdout_has("status 137")
        .stdout_has("removed address 10.0.0.1/24 from old0 in root\nremoved namespace red, and with it veth a in root\n")
        .stdout_has("nothing to remove");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
}

#[test]
fn a_named_c_run_is_journaled_under_its_name() {
    needs_root!();
    let run = Lab::new("")
        .before(BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" --name lab1 -c 'netns add n1; veth x0 peer x1 netns n1'
             \"$VSH\" down --name lab1",
        )
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .run()
        .success()
        .stdout_has("removed namespace n1, and with it veth x0 in root");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
}

#[test]
fn four_concurrent_runs_never_undo_each_others_objects() {
    needs_root!();
    let mut shell = String::new();
    for i in 1..=4 {
        let tail = if i % 2 == 0 {
            "sleep 0.3; netns add keep"
        } else {
            "sleep 0.3"
        };
        shell.push_str(&format!(
            "printf 'netns add n{i}\\nveth v{i} peer p{i} netns n{i}\\nfor j in 1..5 {{ netns add n{i}x$j }}\\n{tail}\\n' > s{i}.vnet\n\
             \"$VSH\" s{i}.vnet 2>/dev/null & pids=\"$pids $!\"\n"
        ));
    }
    shell.push_str("for p in $pids; do wait $p; echo \"status $?\"; done\n");
    let run = Lab::new("")
        .before(BEFORE)
        .snapshot()
        .shell(&shell)
        .oracle("ls /run/netns | sort | tr '\\n' ' '")
        .oracle("ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\\n' ' '")
        .run()
        .success()
        .stdout_has("status 0\nstatus 1\nstatus 0\nstatus 1\n");
    // Runs 1 and 3 succeeded and keep theirs; 2 and 4 failed and removed only theirs.
    assert_eq!(
        run.oracle(0).trim(),
        "keep n1 n1x1 n1x2 n1x3 n1x4 n1x5 n3 n3x1 n3x2 n3x3 n3x4 n3x5"
    );
    assert_eq!(run.oracle(1).trim(), "lo old0 old1 v1 v3");
}

#[test]
fn deny_host_moves_refuses_moves_into_the_host() {
    needs_root!();
    Lab::new(
        "deny host-moves\nnetns add red\nveth a peer b netns red\nip -n red link set b netns 1\n",
    )
    .run()
    .failure(1)
    .stderr_has("moving \"b\" into the host's namespace is denied")
    .stderr_has("script.vnet:4:28");
    Lab::new("netns add red\nveth a peer b netns red\nip -n red link set b netns root\n")
        .flag("--deny-host-moves")
        .run()
        .failure(1)
        .stderr_has("is denied");
    // Between namespaces of the lab, moves are fine.
    Lab::new("deny host-moves\nnetns add red\nnetns add blue\nveth a peer b netns red\nip -n red link set b netns blue\n")
        .run()
        .success();
}

#[test]
fn under_isolated_no_pid_reaches_outside_the_sandbox() {
    needs_root!();
    // Under --isolated, PID 1 is the sandbox's own init, in the sandbox's root namespace.
    Lab::new("netns add red\nveth a peer b netns red\nip -n red link set b netns 1\nlink show b\n")
        .flag("--isolated")
        .run()
        .success()
        .stdout_has("b@a");
    // The lab harness's own shell is outside vsh's sandbox.
    Lab::new("")
        .shell("\"$VSH\" --isolated -c \"veth a peer b; link set b netns $$\"; echo status $?")
        .run()
        .success()
        .stdout_has("status 1")
        .stderr_has("is outside the sandbox");
}

#[test]
fn rootless_isolated_runs_a_whole_lab_as_nobody() {
    needs_root!();
    Lab::new("")
        .shell(
            "cp \"$VSH\" /run/vsh-bin && chmod 755 /run/vsh-bin
             setpriv --reuid=65534 --regid=65534 --clear-groups /run/vsh-bin --isolated -c '
               netns add red
               veth a peer b netns red
               addr add 10.5.0.1/24 dev a; link set a up
               netns red { addr add 10.5.0.2/24 dev b; link set b up; id -u }
               addr show dev a'
             echo \"status $?\"
             setpriv --reuid=65534 --regid=65534 --clear-groups /run/vsh-bin -c 'netns add red'
             echo \"status $?\"",
        )
        .run()
        .success()
        .stdout_has("0\n")
        .stdout_has("inet 10.5.0.1/24")
        .stdout_has("status 0\n")
        .stdout_has("status 1\n")
        .stderr_has("use `vsh --isolated`");
}

#[test]
fn a_pair_made_in_place_by_look_ahead_is_undone_and_denied_like_the_two_statements() {
    needs_root!();
    // `link add` then `link set netns` run as one request (fuse.rs): journaled all the same.
    let run = Lab::new("netns add red\nlink add a type veth peer name b\nlink set b netns red\nlink add a type bridge\n")
        .before(BEFORE)
        .snapshot()
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .run()
        .failure(1)
        .stderr_has("removed namespace red, and with it veth a in root");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
    Lab::new("deny host-moves\nnetns red {\n  veth a peer b\n  link set b netns root\n}\n")
        .run()
        .failure(1)
        .stderr_has("moving \"b\" into the host's namespace is denied")
        .stderr_has("script.vnet:4:20");
}

#[test]
fn two_runs_of_one_script_at_once_keep_their_journals_apart() {
    needs_root!();
    // Run 2 fails and undoes only n2; run 1 succeeds, and `down` then removes n1.
    let run = Lab::new("netns add n$1\nsleep 0.3\nif exec test \"$2\" = fail { netns add n$1 }\n")
        .before(BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" script.vnet 1 ok & a=$!
             \"$VSH\" script.vnet 2 fail 2>err2 & b=$!
             wait $a; echo \"run1 $?\"; wait $b; echo \"run2 $?\"
             grep removed err2
             ls /run/netns | sort | tr '\\n' ' '; echo
             \"$VSH\" down script.vnet",
        )
        .oracle("ls /run/netns")
        .oracle("ip -j addr show")
        .run()
        .success()
        .stdout_has("run1 0\nrun2 1\n")
        .stdout_has("  removed namespace n2\n")
        .stdout_has("keep n1 \n")
        .stdout_has("removed namespace n1\n");
    // Every namespace as before: links, state, mtu, master, addresses, routes.
    run.same_state();
}
