//! The REPL, driven through a real pseudo-terminal inside a sandbox.

use crate::lab::VSH;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::process::Command;

/// `vsh` with no script, on a terminal, in a throwaway network + mount namespace.
pub fn repl() -> PtySession {
    let mut cmd = Command::new("unshare");
    cmd.args(["--net", "--mount", "--propagation", "private", "sh", "-c"])
        .arg("mount -t tmpfs vsh-repl /run && mount -t sysfs sysfs /sys && exec \"$VSH\"")
        .env("VSH", VSH);
    on_pty(cmd)
}

/// `cmd` (a vsh REPL) on a pseudo-terminal, once its first prompt is there. Its history
/// file lives in the sandbox's own /run, and goes with it.
pub fn on_pty(mut cmd: Command) -> PtySession {
    cmd.env("XDG_STATE_HOME", "/run/vsh-state")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let options = Options::new()
        .timeout_ms(Some(15_000))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).expect("vsh starts on a pty");
    p.exp_string("vsh> ").expect("a prompt");
    p
}

/// Runs a line and waits for the next prompt. The editor redraws the prompt as a line is
/// typed, and drops input typed before it starts a line: so wait for output the typed text
/// cannot contain (`ok-42`), then for the prompt after it.
pub fn run(p: &mut PtySession, line: &str) {
    p.send_line(&format!("{line}; echo ok-${{7 * 6}}")).unwrap();
    p.exp_string("ok-42").unwrap();
    p.exp_string("vsh> ").unwrap();
}

/// Ctrl-D at a fresh prompt ends the session.
pub fn quit(p: &mut PtySession) {
    run(p, "true");
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_block_over_three_lines_then_the_namespace_prompt() {
    needs_root!();
    let mut p = repl();
    p.send_line("netns red {").unwrap();
    p.exp_string("... ").unwrap();
    p.send_line("  link set lo up").unwrap();
    p.exp_string("... ").unwrap();
    p.send_line("}").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("netns list").unwrap();
    p.exp_string("red").unwrap();
    p.send_line("netns red").unwrap();
    p.exp_string("vsh[red]> ").unwrap();
    p.send_line("link show lo").unwrap();
    p.exp_string("<LOOPBACK,UP,LOWER_UP>").unwrap();
    p.send_line("netns root").unwrap();
    p.exp_string("vsh> ").unwrap();
    quit(&mut p);
}

#[test]
fn tab_completes_a_keyword_and_a_device_name() {
    needs_root!();
    let mut p = repl();
    run(&mut p, "veth veth-one peer veth-two");
    // `lin<Tab>` becomes `link `, `veth-o<Tab>` becomes `veth-one `.
    p.send("lin\t").unwrap();
    p.flush().unwrap();
    p.exp_string("link").unwrap();
    p.send("show veth-o\t").unwrap();
    p.flush().unwrap();
    p.exp_string("veth-one").unwrap();
    p.send_line("").unwrap();
    p.exp_string("veth-one@veth-two:").unwrap();
    quit(&mut p);
}

#[test]
fn tab_after_netns_offers_namespaces_and_after_netns_del_not_root() {
    needs_root!();
    let mut p = repl();
    run(&mut p, "netns add zebra");
    // `netns NAME {` is the common form: the name completes as a subcommand would.
    p.send("netns zeb\t").unwrap();
    p.flush().unwrap();
    p.exp_string("zebra").unwrap();
    p.send_line("{ echo inside-$(netns identify) }").unwrap();
    p.exp_string("inside-zebra").unwrap();
    p.exp_string("vsh> ").unwrap();
    // `root` cannot be deleted, so the one namespace there is completes alone.
    p.send("netns del \t").unwrap();
    p.flush().unwrap();
    p.exp_string("zebra").unwrap();
    p.send_line("; echo deleted-$?-${7 * 6}").unwrap();
    p.exp_string("deleted-0-42").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("netns list; echo listed").unwrap();
    let listed = p.exp_string("listed").unwrap();
    assert!(!listed.contains("zebra\r\n"), "{listed}");
    quit(&mut p);
}

#[test]
fn an_error_then_a_successful_line_and_history_with_up() {
    needs_root!();
    let mut p = repl();
    p.send_line("link show nothere").unwrap();
    p.exp_string("cannot find device \"nothere\"").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("echo it-goes-on-$?").unwrap();
    p.exp_string("it-goes-on-1").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("echo recalled-$?").unwrap();
    p.exp_string("recalled-0").unwrap();
    p.exp_string("vsh> ").unwrap();
    // Up brings back the last line; $? is 0 again after the echo.
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.send_line("").unwrap();
    p.exp_string("recalled-0").unwrap();
    quit(&mut p);
}

#[test]
fn ctrl_c_cancels_a_line_and_interrupts_a_running_program() {
    needs_root!();
    let mut p = repl();
    p.send("netns add never-made").unwrap();
    p.flush().unwrap();
    p.exp_string("never-made").unwrap();
    p.send_control('c').unwrap();
    // The editor drops what was typed ahead when it starts a line: wait for the prompt.
    p.exp_string("vsh> ").unwrap();
    p.send_line("netns list; echo listed").unwrap();
    let before = p.exp_string("listed").unwrap();
    assert!(!before.contains("never-made\r\n"), "{before}");
    p.send_line("sleep 30").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    p.send_control('c').unwrap();
    p.exp_string("interrupted by SIGINT").unwrap();
    p.exp_string("vsh> ").unwrap();
    run(&mut p, "echo still-here");
    quit(&mut p);
}

#[test]
fn help_lists_builtins_and_shows_one() {
    needs_root!();
    let mut p = repl();
    p.send_line("help").unwrap();
    // The table, line by line, in its order: each builtin with what it does.
    for line in [
        "vsh builtins (help NAME for one; any other line runs as a program):",
        "  netns    make, list, delete and enter network namespaces",
        "  link     list, create, change and delete network devices",
        "  veth     a veth pair, the peer optionally created inside a namespace",
        "  ping     ICMP echo with iputils' flags and summary; reachability blocks",
        "  capture  print (and save as pcap) the packets on a device while a block runs",
        "  spawn    start a program in the background, in a namespace; $! is its pid",
        "  wait     wait for spawned programs (default: all of them)",
        "  help     list the builtins, or show one with examples",
    ] {
        p.exp_string(line).unwrap();
    }
    p.exp_string("vsh> ").unwrap();
    // One builtin: its summary, usage and examples.
    p.send_line("help veth").unwrap();
    for line in [
        "veth: a veth pair, the peer optionally created inside a namespace",
        "usage:",
        "  veth NAME peer PEER [netns NS]",
        "examples:",
        "  veth veth0 peer veth1 netns netns1",
    ] {
        p.exp_string(line).unwrap();
    }
    p.exp_string("vsh> ").unwrap();
    // Options the usage lines leave out are listed from the table, so none goes unshown.
    p.send_line("help route").unwrap();
    for line in [
        "  route del PREFIX|default [via ADDR] [dev DEV] [src ADDR] [metric N] ...",
        "      also: unicast, blackhole, unreachable, prohibit, local, throw, table WORD, proto WORD,",
        "            scope global|link|host, onlink",
        "examples:",
    ] {
        p.exp_string(line).unwrap();
    }
    p.exp_string("vsh> ").unwrap();
    // iproute2's name of a builtin shows that builtin.
    p.send_line("help address").unwrap();
    p.exp_string("addr: IPv4 and IPv6 addresses").unwrap();
    p.exp_string("  addr add CIDR dev DEV").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("help nosuch").unwrap();
    p.exp_string("\"nosuch\" is not a builtin (`help` lists them)")
        .unwrap();
    p.exp_string("vsh> ").unwrap();
    quit(&mut p);
}

#[test]
fn statements_on_stdin_run_as_a_script() {
    needs_root!();
    let out = Command::new("unshare")
        .args(["--net", "--mount", "--propagation", "private", "sh", "-c"])
        .arg("mount -t tmpfs t /run && echo 'netns add piped; netns list' | \"$VSH\"")
        .env("VSH", VSH)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped\n");
}

#[test]
fn ctrl_c_stops_a_running_ping_with_its_summary() {
    needs_root!();
    let mut p = repl();
    run(
        &mut p,
        "netns add r; veth a peer b netns r; addr add 10.6.0.1/24 dev a; link set a up",
    );
    run(
        &mut p,
        "ip -n r addr add 10.6.0.2/24 dev b; ip -n r link set b up",
    );
    p.send_line("ping -i 0.2 10.6.0.2").unwrap();
    p.exp_string("icmp_seq=2").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("--- 10.6.0.2 ping statistics ---").unwrap();
    p.exp_string("packet loss").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("echo after-ping-$?").unwrap();
    p.exp_string("after-ping-0").unwrap();
    quit(&mut p);
}

#[test]
fn graph_prints_the_tree_and_writes_a_picture_from_the_repl() {
    needs_root!();
    let svg = std::env::temp_dir().join(format!("vsh-repl-graph-{}.svg", std::process::id()));
    let mut p = repl();
    run(&mut p, "veth a peer b");
    run(&mut p, &format!("graph -o {}", svg.display()));
    p.send_line("graph").unwrap();
    // (rexpect reads bytes one a char: match the ASCII parts of the tree's lines.)
    p.exp_string(" b  veth down").unwrap();
    p.exp_string(" a  veth down").unwrap();
    p.exp_string(" lo  loopback down").unwrap();
    quit(&mut p);
    let text = std::fs::read_to_string(&svg).expect("graph -o wrote the picture");
    let _ = std::fs::remove_file(&svg);
    assert!(text.starts_with("<svg "), "{text}");
    assert!(text.contains(">a  veth down<") && text.contains(">b  veth down<"));
}
