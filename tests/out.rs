//! The evaluator's output sink, in this process: what builtins print goes to the sink a
//! front door (here, the test) gives the evaluator, and follows redirections as programs do.

use std::process::Command;
use vsh::diag::Source;
use vsh::eval::{Evaluator, Out};
use vsh::run::{eval_source, Outcome};

/// An evaluator printing to a buffer.
fn evaluator() -> Evaluator {
    let mut ev = Evaluator::new("out", vec![], false).expect("an evaluator");
    ev.out = Out::buffer();
    ev
}

fn run(ev: &mut Evaluator, text: &str) -> Outcome {
    eval_source(ev, &Source::new("out", text))
}

#[test]
fn help_prints_to_the_evaluators_sink() {
    let mut ev = evaluator();
    assert_eq!(run(&mut ev, "help ping"), Outcome::Success);
    let printed = ev.out.taken();
    let ping = vsh::builtins::find("ping").expect("ping is a builtin");
    let mut lines = printed.lines();
    assert_eq!(
        lines.next(),
        Some(format!("ping: {}", ping.summary).as_str())
    );
    assert_eq!(lines.next(), Some("usage:"));
    assert!(
        printed.contains(&format!("  {}\n", vsh::builtins::help_lines(ping)[0])),
        "{printed}"
    );
    // Taken: the next statement starts from nothing.
    assert_eq!(ev.out.taken(), "");
}

#[test]
fn a_redirection_or_a_substitution_takes_the_output_from_the_sink() {
    let mut ev = evaluator();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join(format!("out-{}.txt", std::process::id()));
    let script = format!(
        "help link > {}\nlet usage = $(help addr)\nhelp route",
        file.display()
    );
    assert_eq!(run(&mut ev, &script), Outcome::Success);
    let in_file = std::fs::read_to_string(&file).expect("the redirection's file");
    std::fs::remove_file(&file).expect("remove the file");
    assert!(in_file.starts_with("link: "), "{in_file}");
    // Only the statement not redirected printed to the sink.
    let printed = ev.out.taken();
    assert!(printed.starts_with("route: "), "{printed}");
    assert!(
        !printed.contains("link: ") && !printed.contains("addr: "),
        "{printed}"
    );
}

/// Runs `f` on a thread of its own in a network namespace of its own (the evaluator works in
/// its thread's namespace), which goes away with the thread.
fn in_own_netns<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare");
            f()
        })
        .join()
        .expect("the test's thread")
    })
}

#[test]
fn show_and_ping_print_to_the_sink_as_ip_and_iputils_do() {
    needs_root!();
    let (printed, ip) = in_own_netns(|| {
        let mut ev = evaluator();
        let outcome = run(
            &mut ev,
            "link set lo up\nveth a0 peer b0\nlink show a0\nping -c 1 127.0.0.1",
        );
        assert_eq!(outcome, Outcome::Success);
        // The oracle runs in this thread's namespace: a child starts in its parent's.
        let ip = Command::new("ip")
            .args(["link", "show", "a0"])
            .output()
            .expect("ip");
        assert!(ip.status.success(), "{ip:?}");
        (
            ev.out.taken(),
            String::from_utf8(ip.stdout).expect("ip's text"),
        )
    });
    let (show, ping) = printed.split_at(ip.len());
    assert_eq!(show, ip);
    let mut lines = ping.lines();
    assert_eq!(
        lines.next(),
        Some("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.")
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("64 bytes from 127.0.0.1: icmp_seq=1 ")),
        "{ping}"
    );
    assert!(
        ping.contains("1 packets transmitted, 1 received, 0% packet loss"),
        "{ping}"
    );
}

#[test]
fn builtins_and_programs_keep_their_order_on_standard_output() {
    // Standard output is a pipe here, as under a CI runner: programs write to descriptor 1
    // themselves, builtins through the sink, which is flushed before each program starts.
    let script = "help ping | head -1\necho one\nhelp link | head -1\nlet x = $(help addr)\necho two\nhelp route | head -1";
    let run = Command::new(env!("CARGO_BIN_EXE_vsh"))
        .args(["-c", script])
        .output()
        .expect("vsh");
    assert!(run.status.success(), "{run:?}");
    let first = |name: &str| {
        let b = vsh::builtins::find(name).expect("a builtin");
        format!("{}: {}", b.name, b.summary)
    };
    let expected = [
        first("ping"),
        "one".into(),
        first("link"),
        "two".into(),
        first("route"),
    ];
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        expected.join("\n") + "\n"
    );
}
