//! The shell forms people bring: pipelines, redirections, `&&` / `||` and `$( )`.

use crate::lab::Lab;

#[test]
fn a_pipe_feeds_a_program_inside_a_namespace_and_only_there() {
    needs_root!();
    // Two lines from public lab scripts: vsh used to pass `| ...` on to the first program.
    let run = Lab::new(
        "netns add r\n\
         echo 1 | ip netns exec r tee /proc/sys/net/ipv4/ip_forward\n\
         netns add n1\n\
         ip netns exec n1 ip link show | grep lo\n",
    )
    .oracle("ip netns exec r cat /proc/sys/net/ipv4/ip_forward")
    .oracle("cat /proc/sys/net/ipv4/ip_forward")
    .oracle("ip -n n1 -o link show lo")
    .run()
    .success();
    assert_eq!(run.oracle(0), "1\n", "forwarding is on inside r");
    assert_eq!(run.oracle(1), "0\n", "and still off where vsh stood");
    // tee echoes the 1; grep passes on the lines of n1's loopback, and nothing else.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "1");
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[1].starts_with("1: lo: <LOOPBACK>"), "{}", run.stdout);
    assert!(lines[2].trim_start().starts_with("link/loopback"));
    assert!(run.oracle(2).starts_with("1: lo: <LOOPBACK>"));
}

#[test]
fn builtins_print_into_pipes_in_the_namespace_where_the_pipeline_stands() {
    needs_root!();
    let run = Lab::new(
        "netns add red\n\
         veth veth0 peer veth1 netns red\n\
         netns red { link show | grep -c veth }\n\
         link show | grep -c veth\n\
         netns red { addr show | grep -o 'veth1' | tr a-z A-Z }\n\
         echo one two | tr ' ' '\\n' | grep -n two\n",
    )
    .run()
    .success();
    assert_eq!(run.stdout, "1\n1\nVETH1\n2:two\n");
}

#[test]
fn a_pipelines_status_is_its_last_stages() {
    needs_root!();
    let run = Lab::new(
        "false | true\n\
         echo first=$?\n\
         if link show | grep -q nosuchdevice { echo found } else { echo not-found=$? }\n\
         link show | grep nosuchdevice\n\
         echo not-reached\n",
    )
    .run()
    .failure(1);
    assert_eq!(run.stdout, "first=0\nnot-found=1\n");
    assert!(
        run.stderr.contains("grep exited with status 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_earlier_builtin_stage_that_fails_is_reported_and_the_last_decides() {
    needs_root!();
    let run = Lab::new("link show nosuch | wc -l\necho status=$?\n")
        .run()
        .success();
    assert_eq!(run.stdout, "0\nstatus=0\n");
    assert!(
        run.stderr.contains("cannot find device \"nosuch\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_reader_that_stops_early_does_not_end_vsh() {
    needs_root!();
    // head exits after one line; the builtin goes on printing into a closed pipe.
    let run = Lab::new(
        "for i in 1..40 { veth a$i peer b$i }\n\
         link show | head -1\n\
         echo still-here\n",
    )
    .run()
    .success();
    assert_eq!(run.stdout, "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\nstill-here\n");
}

#[test]
fn redirections_write_append_and_read_files_beside_the_script() {
    needs_root!();
    let run = Lab::new(
        "netns add red\n\
         netns list > out.txt\n\
         echo second >> out.txt\n\
         link show lo >> out.txt\n\
         ls /no/such/file 2> err.txt || echo ls-failed\n\
         ls /no/such/file > both.txt 2>&1 || true\n\
         ls /no/such/file &> all.txt || true\n\
         tr a-z A-Z < out.txt > upper.txt\n\
         netns red { link show } > red.txt\n",
    )
    .oracle("cat out.txt")
    .oracle("cat err.txt")
    .oracle("cat both.txt all.txt")
    .oracle("head -2 upper.txt")
    .oracle("cat red.txt")
    .run()
    .success();
    assert_eq!(run.stdout, "ls-failed\n");
    let out = run.oracle(0);
    assert!(out.starts_with("red\nsecond\n1: lo: <LOOPBACK>"), "{out}");
    assert!(run.oracle(1).contains("No such file or directory"));
    let both = run.oracle(2);
    assert_eq!(
        both.matches("No such file or directory").count(),
        2,
        "{both}"
    );
    assert_eq!(run.oracle(3), "RED\nSECOND\n");
    assert!(run.oracle(4).starts_with("1: lo: <LOOPBACK>"));
}

#[test]
fn a_redirection_to_a_file_that_cannot_be_opened_says_which() {
    needs_root!();
    let run = Lab::new("echo x > /no/such/dir/out.txt\necho not-reached\n")
        .run()
        .failure(1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("cannot open /no/such/dir/out.txt: No such file or directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn and_or_chain_left_to_right_as_sh() {
    needs_root!();
    let run = Lab::new(
        "true && echo a || echo b\n\
         false && echo c || echo d\n\
         false || false || echo e\n\
         true || echo never && echo f\n\
         link show nosuch && echo never\n\
         echo status=$?\n\
         netns add red && netns red { echo in-$(ip netns identify) }\n\
         false || link show nosuch\n\
         echo not-reached\n",
    )
    .run()
    .failure(1);
    assert_eq!(run.stdout, "a\nd\ne\nf\nstatus=1\nin-red\n");
    assert!(run.stderr.contains("nosuch"), "{}", run.stderr);
}

#[test]
fn command_substitution_in_let_and_inside_words() {
    needs_root!();
    let run = Lab::new(
        "veth veth0 peer veth1\n\
         let idx = $(cat /sys/class/net/veth0/iflink)\n\
         echo peer-index=$idx\n\
         cat /sys/class/net/veth1/ifindex\n\
         echo \"made $(link show | grep -c veth) links, $(echo a; echo b)\"\n\
         netns add red\n\
         netns red { echo ns=$(ip netns identify) }\n\
         let n = $(link show | grep -c veth)\n\
         echo links=${n + 0}\n",
    )
    .run()
    .success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], format!("peer-index={}", lines[1]));
    assert_eq!(lines[2], "made 2 links, a");
    assert_eq!(lines[3], "b");
    assert_eq!(lines[4], "ns=red");
    assert_eq!(lines[5], "links=2");
}

#[test]
fn a_failing_substitution_stops_the_run_at_its_statement() {
    needs_root!();
    let run = Lab::new("let x = $(cat /no/such)\necho not-reached\n")
        .run()
        .failure(1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("cat exited with status 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn any_mix_of_builtin_block_and_program_stages_streams_through() {
    needs_root!();
    let run = Lab::new(
        "netns red { link set lo up }\n\
         netns red { ping -c 2 -i 0.2 127.0.0.1 | grep -c 'bytes from 127.0.0.1' }\n\
         echo hello | netns red { tr a-z A-Z } | sed s/^/got-/\n\
         netns add blue\n\
         netns list | link show lo | grep -o LOOPBACK\n\
         ! ping -c 1 -W 1 127.0.0.2 | grep -q 'bytes from'\n",
    )
    .run()
    .success();
    assert_eq!(run.stdout, "2\ngot-HELLO\nLOOPBACK\n");
}

#[test]
fn sigterm_stops_every_stage_of_a_pipeline() {
    needs_root!();
    // Durations no other test uses: pgrep sees every process of the machine.
    let run = Lab::new("sleep 30.1 | sleep 31.2 | sleep 32.3\necho never\n")
        .shell(
            "\"$VSH\" script.vnet 2>err & pid=$!
             for i in $(seq 100); do pgrep -x -f 'sleep 32.3' >/dev/null && break; sleep 0.05; done
             kill -TERM $pid; wait $pid; echo \"status $?\"; cat err
             pgrep -f 'sleep 3[012][.][123]' || echo no-sleep-left",
        )
        .run()
        .success()
        .stdout_has("status 143")
        .stdout_has("interrupted by SIGTERM")
        .stdout_has("no-sleep-left");
    assert!(!run.stdout.contains("never"));
}

#[test]
fn set_takes_the_options_sh_scripts_start_with() {
    needs_root!();
    // -e and -u are how vsh runs anyway; pipefail makes any failing stage fail the pipeline.
    let run = Lab::new(
        "set -euo pipefail\n\
         set +o pipefail\n\
         false | true\n\
         echo without=$?\n\
         set -o pipefail\n\
         false | true || echo with=$?\n\
         ls /no/such | cat\n\
         echo not-reached\n",
    )
    .run()
    .failure(1);
    assert_eq!(run.stdout, "without=0\nwith=1\n");
    assert!(
        run.stderr.contains("ls exited with status 2"),
        "{}",
        run.stderr
    );
    for (line, says) in [
        (
            "set +e",
            "vsh always stops at the first statement that fails",
        ),
        ("set -x", "vsh has no `set` option \"x\""),
    ] {
        Lab::new(line).run().failure(1).stderr_has(says);
    }
}

#[test]
fn a_program_between_two_builtin_stages_never_waits_on_a_full_pipe() {
    needs_root!();
    // Half a megabyte through `cat`, between a block that prints it and one that reads it:
    // the second block starts only when the first is done.
    let run =
        Lab::new("root { for i in 1..3000 { link show lo } } | cat | root { wc -l }\necho done\n")
            .shell("timeout 30 \"$VSH\" script.vnet; echo \"status $?\"")
            .run()
            .success()
            .stdout_has("status 0");
    assert_eq!(run.stdout, "6000\ndone\nstatus 0\n");
}
