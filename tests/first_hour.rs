//! What a newcomer meets in the first hour: leaving the REPL, `vsh help`, Ctrl-C, typos,
//! and failures that say what to do.

use crate::lab::{Lab, VSH};
use std::process::Command;

/// The REPL on a pseudo-terminal in a throwaway sandbox; `line` typed after the prompt.
fn repl_exits_on(line: &str) -> rexpect::process::WaitStatus {
    let mut p = crate::repl::repl();
    p.send_line("netns add red; echo made").unwrap();
    p.exp_string("made").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line(line).unwrap();
    p.exp_eof().unwrap();
    p.process().wait().unwrap()
}

#[test]
fn exit_and_quit_leave_the_repl() {
    needs_root!();
    use rexpect::process::WaitStatus::Exited;
    assert!(matches!(repl_exits_on("exit"), Exited(_, 0)));
    assert!(matches!(repl_exits_on("quit"), Exited(_, 0)));
    assert!(matches!(repl_exits_on("exit 3"), Exited(_, 3)));
}

#[test]
fn vsh_help_prints_the_options_and_the_builtins() {
    let out = Command::new(VSH).arg("help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: vsh"), "{text}");
    assert!(text.contains("--isolated"), "{text}");
    assert!(text.contains("netns    make, list"), "{text}");
    let out = Command::new(VSH).args(["help", "veth"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("veth NAME peer PEER [netns NS]"));
}

#[test]
fn ctrl_c_at_a_running_program_is_one_line() {
    needs_root!();
    let run = Lab::new("netns add red\nsleep 30\necho never\n")
        .shell(
            "set -m
             \"$VSH\" script.vnet 2>err & pid=$!
             for i in $(seq 100); do pgrep -P $pid sleep >/dev/null && break; sleep 0.05; done
             kill -INT $pid; wait $pid; echo \"status $?\"; cat err",
        )
        .run()
        .success()
        .stdout_has("status 130")
        .stdout_has("vsh: interrupted by SIGINT at script.vnet:2 (sleep 30)\n");
    // No report box: the one line, then what was undone.
    assert!(!run.stdout.contains('╭'), "{}", run.stdout);
}

#[test]
fn a_misspelt_subcommand_is_suggested() {
    needs_root!();
    let out = Command::new(VSH)
        .args(["--check", "-c", "netns ad red"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `netns add`?"));
    // `netns lst` reads as entering a namespace called lst: the run says what was meant.
    Lab::new("netns lst\n")
        .run()
        .failure(1)
        .stderr_has("did you mean `netns list`?");
}

#[test]
fn an_unknown_kind_is_pointed_at_with_the_kinds_this_kernel_has() {
    needs_root!();
    let run = Lab::new("link add x type nosuchkind\n")
        .oracle("ip -o link show | wc -l")
        .run()
        .failure(1)
        .stderr_has("╭─[script.vnet:1:17]")
        .stderr_has("this kernel has these kinds:");
    // The kernel's own list, asked in a throwaway namespace: veth and bridge are always there.
    let kinds = run
        .stderr
        .split("these kinds:")
        .nth(1)
        .unwrap()
        .replace('\n', " ");
    assert!(
        kinds.contains("bridge") && kinds.contains("veth"),
        "{kinds}"
    );
    assert_eq!(
        run.oracle(0).trim(),
        "1",
        "only lo: the probe made nothing here"
    );
}

#[test]
fn an_address_without_prefix_is_a_check_note_and_its_missing_route_is_named() {
    needs_root!();
    let out = Command::new(VSH)
        .args(["--check", "-c", "addr add 10.9.4.1 dev v0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a note, not a failure");
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("10.9.4.1 has no prefix length: it is 10.9.4.1/32"));
    Lab::new(
        "veth v0 peer v1\nlink set v0 up\naddr add 10.9.4.1 dev v0\nping -c 1 -W 1 10.9.4.2\n",
    )
    .run()
    .failure(1)
    .stderr_has("Network is unreachable")
    .stderr_has("10.9.4.1 was added as 10.9.4.1/32")
    .stderr_has("`route add 10.9.4.0/24 dev DEV`");
}

#[test]
fn a_negated_ping_still_says_why_it_failed() {
    needs_root!();
    Lab::new("! ping -c 1 -W 1 10.9.9.9\necho fine\n")
        .run()
        .success()
        .stdout_has("fine")
        .stderr_has("ping: sendto 10.9.9.9: Network is unreachable");
}

#[test]
fn deleting_a_missing_namespace_does_not_advise_creating_it() {
    needs_root!();
    let run = Lab::new("netns del nosuch\n")
        .run()
        .failure(1)
        .stderr_has("`netns list` shows the namespaces there are");
    assert!(!run.stderr.contains("create it first"), "{}", run.stderr);
}

#[test]
fn a_rootless_isolated_script_prints_no_journal_warning() {
    needs_root!();
    let run = Lab::new("netns add red\nnetns list\n")
        .shell(
            "cp \"$VSH\" /run/vsh-bin && chmod 755 /run/vsh-bin && chmod 755 . && chmod 644 script.vnet
             setpriv --reuid=65534 --regid=65534 --clear-groups /run/vsh-bin --isolated script.vnet",
        )
        .run()
        .success()
        .stdout_has("red\n");
    assert_eq!(run.stderr, "");
}

/// The REPL the way a person sees it: in a terminal (tmux), typed at, read off the screen.
#[test]
fn exit_leaves_the_repl_in_a_terminal() {
    needs_root!();
    let server = format!("vsh-first-hour-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let out = Command::new("tmux")
            .args(["-L", &server])
            .args(args)
            .output()
            .expect("tmux runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    // The history file in the sandbox's own /run, gone with it.
    let start = format!("env XDG_STATE_HOME=/run/vsh-state NO_COLOR=1 {VSH} --isolated");
    assert!(
        tmux(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-s",
            "repl",
            &start
        ])
        .0
    );
    let screen_has = |text: &str| {
        (0..100).any(|_| {
            let (ok, screen) = tmux(&["capture-pane", "-p", "-t", "repl"]);
            std::thread::sleep(std::time::Duration::from_millis(50));
            ok && screen.contains(text)
        })
    };
    assert!(screen_has("vsh>"), "a prompt");
    assert!(
        tmux(&[
            "send-keys",
            "-t",
            "repl",
            "netns add red; netns list",
            "Enter"
        ])
        .0
    );
    assert!(screen_has("\nred"), "the typed line ran");
    assert!(tmux(&["send-keys", "-t", "repl", "exit", "Enter"]).0);
    // The session ends with vsh: no `program not found: exit`.
    let gone = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        !tmux(&["has-session", "-t", "repl"]).0
    });
    if !gone {
        let (_, screen) = tmux(&["capture-pane", "-p", "-t", "repl"]);
        tmux(&["kill-server"]);
        panic!("exit did not leave the REPL:\n{screen}");
    }
    tmux(&["kill-server"]);
}
