//! Processes and the namespace API: spawn, $!, kill, wait; netns attach, identify and pids,
//! with `ip netns` as the oracle.

use crate::lab::Lab;

/// The lines printed between `echo BEGIN-name` and `echo END-name`.
fn section<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let begin = format!("BEGIN-{name}\n");
    let end = format!("END-{name}");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("no {begin} in {text}"))
        + begin.len();
    let stop = text[start..]
        .find(&end)
        .unwrap_or_else(|| panic!("no {end} in {text}"))
        + start;
    text[start..stop].lines().collect()
}

#[test]
fn identify_and_pids_agree_with_ip_netns() {
    needs_root!();
    let run = Lab::new(
        "netns add netns1\n\
         spawn netns1 sleep 100\n\
         let pid = $!\n\
         echo BEGIN-vsh-identify; netns identify $pid; echo END-vsh-identify\n\
         echo BEGIN-ip-identify; exec ip netns identify $pid; echo END-ip-identify\n\
         echo BEGIN-vsh-pids; netns pids netns1; echo END-vsh-pids\n\
         echo BEGIN-ip-pids; exec ip netns pids netns1; echo END-ip-pids\n\
         echo BEGIN-root; netns identify; echo END-root\n\
         echo BEGIN-inside; netns netns1 { netns identify }; echo END-inside\n\
         echo BEGIN-pid; echo $pid; echo END-pid\n\
         kill $pid\n\
         wait\n",
    )
    .run()
    .success();
    let out = &run.stdout;
    assert_eq!(section(out, "vsh-identify"), ["netns1"]);
    assert_eq!(section(out, "vsh-identify"), section(out, "ip-identify"));
    assert_eq!(section(out, "vsh-pids"), section(out, "pid"));
    assert_eq!(section(out, "vsh-pids"), section(out, "ip-pids"));
    assert!(section(out, "root").is_empty(), "{out}");
    assert_eq!(section(out, "inside"), ["netns1"]);
}

#[test]
fn attach_keeps_a_namespace_alive_after_its_process_dies() {
    needs_root!();
    // netns1 is deleted while a process still lives in it: the process keeps it alive,
    // attach pins it under a new name, and it outlives the process.
    let run = Lab::new(
        "netns add netns1\n\
         veth veth0 peer veth1 netns netns1\n\
         spawn netns1 sleep 100\n\
         netns del netns1\n\
         netns attach pinned $!\n\
         echo BEGIN-vsh; netns identify $!; echo END-vsh\n\
         echo BEGIN-ip; exec ip netns identify $!; echo END-ip\n\
         kill $!\n\
         ! wait $!\n\
         ip -n pinned link set lo up\n\
         ip -n pinned link show veth1\n\
         ! netns attach pinned 1\n",
    )
    .oracle("ip netns list")
    .oracle("ip -n pinned -j link show lo")
    .oracle("ip netns pids pinned | wc -l")
    .run()
    .success();
    assert_eq!(section(&run.stdout, "vsh"), ["pinned"]);
    assert_eq!(section(&run.stdout, "ip"), ["pinned"]);
    assert!(run.oracle(0).starts_with("pinned"), "{}", run.oracle(0));
    assert!(crate::lab::flags(&run.json(1)[0]).contains(&"UP".to_string()));
    assert_eq!(run.oracle(2).trim(), "0", "nothing runs in it any more");
    assert!(
        run.stdout.contains("veth1@"),
        "the same namespace: {}",
        run.stdout
    );
}

#[test]
fn kill_and_wait_report_what_happened() {
    needs_root!();
    Lab::new("spawn sh -c 'exit 3'\nspawn sh -c 'exit 4'\n! wait $!\nwait\necho reaped\n")
        .run()
        .success()
        .stdout_has("reaped");
    Lab::new("spawn sh -c 'exit 3'\nwait $!\n")
        .run()
        .failure(1)
        .stderr_has("exited with status 3");
    Lab::new("kill\n")
        .run()
        .failure(1)
        .stderr_has("start a program first");
    Lab::new("wait 12345\n")
        .run()
        .failure(1)
        .stderr_has("no spawned program has pid 12345");
    Lab::new("spawn sleep 100\nkill -KILL $!\nwait\necho reaped\n")
        .run()
        .success()
        .stdout_has("reaped");
}
