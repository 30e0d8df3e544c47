//! The sandbox harness: a vsh script run in a throwaway network + mount namespace, with
//! iproute2 as the oracle in the same sandbox afterwards.
//!
//! `Lab::new("veth a peer b").oracle("ip -j link").run()` starts
//! `unshare --net --mount --propagation private`, mounts a private tmpfs on /run (so
//! /run/netns is the sandbox's own) and a fresh sysfs, runs vsh, then each oracle command.
//! When the sandbox exits, everything in it vanishes.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const VSH: &str = env!("CARGO_BIN_EXE_vsh");

/// Whether the test calling it must be skipped: it needs root (network and mount namespaces)
/// and this is not root. Says so on the terminal, not in the output libtest captures (shown
/// only for failures), so a skip is never mistaken for a pass. Under VSH_TESTS_NEED_ROOT=1
/// (CI) a skip fails instead.
pub fn skip_without_root() -> bool {
    use std::io::Write;
    if nix::unistd::geteuid().is_root() {
        return false;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var_os("VSH_TESTS_NEED_ROOT").is_some() {
        panic!("{test} needs root, and VSH_TESTS_NEED_ROOT is set");
    }
    // Straight to fd 2: `eprintln!` would be captured.
    let _ = writeln!(std::io::stderr(), "skipped: needs root: {test}");
    true
}

#[must_use]
pub struct Lab {
    script: String,
    args: Vec<String>,
    flags: Vec<String>,
    oracles: Vec<String>,
    private_etc: bool,
    before: Vec<String>,
    shell: Option<String>,
    envs: Vec<(String, String)>,
    snapshot: bool,
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    oracles: Vec<String>,
    oracle_errors: Vec<Option<String>>,
    script: String,
    /// The whole state before and after, when asked for with `Lab::snapshot`.
    snapshots: Option<(String, String)>,
}

impl Lab {
    pub fn new(script: &str) -> Self {
        Lab {
            script: script.to_string(),
            args: vec![],
            flags: vec![],
            oracles: vec![],
            private_etc: false,
            before: vec![],
            shell: None,
            envs: vec![],
            snapshot: false,
        }
    }

    /// Takes the whole state of every namespace (see `crate::state`) before vsh runs and
    /// after: `Run::same_state` compares them.
    pub fn snapshot(mut self) -> Self {
        self.snapshot = true;
        self
    }

    /// An environment variable for vsh.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    /// Script arguments: $1, $2, ...
    pub fn args(mut self, args: &[&str]) -> Self {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Flags for vsh itself, before the script.
    pub fn flag(mut self, flag: &str) -> Self {
        self.flags.push(flag.to_string());
        self
    }

    /// A private copy of /etc in the sandbox, for tests that write /etc/netns.
    pub fn private_etc(mut self) -> Self {
        self.private_etc = true;
        self
    }

    /// A shell command run in the sandbox before vsh: objects that exist before the run.
    pub fn before(mut self, cmd: &str) -> Self {
        self.before.push(cmd.to_string());
        self
    }

    /// Instead of `vsh script.vnet`, this bash text runs in the sandbox (in the directory
    /// holding script.vnet, with $VSH set); its output is the run's.
    pub fn shell(mut self, bash: &str) -> Self {
        self.shell = Some(bash.to_string());
        self
    }

    /// A shell command run in the sandbox after vsh; its stdout is `Run::oracle(i)`.
    pub fn oracle(mut self, cmd: &str) -> Self {
        self.oracles.push(cmd.to_string());
        self
    }

    pub fn run(self) -> Run {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vsh-lab-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = |name: &str| -> PathBuf { dir.join(name) };
        std::fs::write(path("script.vnet"), &self.script).unwrap();
        let mut runner = String::from(
            "mount -t tmpfs vsh-lab /run && mount -t sysfs sysfs /sys || exit 99\n\
             cd \"$LAB\"\n",
        );
        if self.private_etc {
            runner.push_str("cp -a /etc /run/etc && mount --bind /run/etc /etc || exit 99\n");
        }
        for cmd in &self.before {
            runner.push_str(&format!("( {cmd} ) >/dev/null || exit 98\n"));
        }
        if self.snapshot {
            runner.push_str(&format!(
                "( {} ) >snap_before || exit 97\n",
                crate::state::SNAPSHOT
            ));
        }
        if let Some(bash) = &self.shell {
            std::fs::write(path("shell.sh"), bash).unwrap();
            runner.push_str("bash shell.sh >stdout 2>stderr; echo $? >status\n");
        } else {
            runner.push_str(&format!(
                "\"$VSH\" {} script.vnet {} >stdout 2>stderr; echo $? >status\n",
                self.flags.join(" "),
                self.args
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if self.snapshot {
            runner.push_str(&format!(
                "( {} ) >snap_after || exit 97\n",
                crate::state::SNAPSHOT
            ));
        }
        for (i, cmd) in self.oracles.iter().enumerate() {
            runner.push_str(&format!(
                "( {cmd} ) >oracle{i} 2>oracle{i}.err; echo $? >oracle{i}.status\n"
            ));
        }
        std::fs::write(path("runner.sh"), runner).unwrap();
        let out = Command::new("unshare")
            .args(["--net", "--mount", "--propagation", "private", "bash"])
            .arg(path("runner.sh"))
            .env("VSH", VSH)
            .env("LAB", &dir)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("unshare runs");
        assert!(
            out.status.success(),
            "sandbox setup failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = |name: &str| std::fs::read_to_string(path(name)).unwrap_or_default();
        let run = Run {
            status: read("status").trim().parse().unwrap_or(-1),
            stdout: read("stdout"),
            stderr: read("stderr"),
            oracles: (0..self.oracles.len())
                .map(|i| read(&format!("oracle{i}")))
                .collect(),
            oracle_errors: (0..self.oracles.len())
                .map(|i| {
                    let status = read(&format!("oracle{i}.status"));
                    (status.trim() != "0").then(|| {
                        format!(
                            "oracle `{}` exited {}: {}",
                            self.oracles[i],
                            status.trim(),
                            read(&format!("oracle{i}.err"))
                        )
                    })
                })
                .collect(),
            script: self.script,
            snapshots: self
                .snapshot
                .then(|| (read("snap_before"), read("snap_after"))),
        };
        let _ = std::fs::remove_dir_all(&dir);
        run
    }
}

impl Run {
    fn context(&self) -> String {
        format!(
            "script:\n{}\nstatus {}\nstdout:\n{}\nstderr:\n{}\noracles:\n{}",
            self.script,
            self.status,
            self.stdout,
            self.stderr,
            self.oracles.join("\n---\n")
        )
    }

    pub fn success(self) -> Self {
        assert_eq!(self.status, 0, "expected success\n{}", self.context());
        self
    }

    pub fn failure(self, status: i32) -> Self {
        assert_eq!(
            self.status,
            status,
            "expected status {status}\n{}",
            self.context()
        );
        self
    }

    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n{}",
            self.context()
        );
        self
    }

    /// What oracle `i` printed; a failed oracle fails the test (it is not empty output).
    pub fn oracle(&self, i: usize) -> &str {
        if let Some(e) = &self.oracle_errors[i] {
            panic!("{e}\n{}", self.context());
        }
        &self.oracles[i]
    }

    /// The state before and after the run must be the same (`Lab::snapshot`).
    pub fn same_state(&self) {
        let (before, after) = self.snapshots.clone().expect("Lab::snapshot was asked for");
        crate::state::assert_same(&before, &after, &self.context());
    }

    /// An oracle's output parsed as JSON (`ip -j ...`).
    pub fn json(&self, i: usize) -> serde_json::Value {
        serde_json::from_str(self.oracle(i))
            .unwrap_or_else(|e| panic!("oracle {i} is not JSON ({e})\n{}", self.context()))
    }
}

/// The links of an `ip -j link` answer, by name.
pub fn link<'a>(links: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    links
        .as_array()
        .and_then(|a| a.iter().find(|l| l["ifname"] == name))
        .unwrap_or_else(|| panic!("no link {name} in {links}"))
}

/// The addresses ("10.1.1.1/24"), link-local ones aside, of `name` in an `ip -j addr` answer.
pub fn addrs(links: &serde_json::Value, name: &str) -> Vec<String> {
    link(links, name)["addr_info"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|i| i["scope"] != "link")
                .map(|i| format!("{}/{}", i["local"].as_str().unwrap(), i["prefixlen"]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn flags(link: &serde_json::Value) -> Vec<String> {
    link["flags"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// `line` is refused alike before and during a run: `vsh --check` exits 1 with vsh's own
/// diagnostic (not a note that the real `ip` runs it), and a run in a sandbox fails, both
/// saying `said`. The two share one resolver; this holds them to it.
pub fn refused_alike(line: &str, said: &str) {
    let checked = Command::new(VSH)
        .args(["--check", "-c", line])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(1), "{line}: {stderr}");
    assert!(stderr.contains(said), "{line}: {stderr}");
    assert!(!stderr.contains("runs the real"), "{line}: {stderr}");
    let ran = Command::new(VSH)
        .args(["--isolated", "-c", line])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let run_stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(!ran.status.success(), "{line} ran: {run_stderr}");
    assert!(run_stderr.contains(said), "{line} when run: {run_stderr}");
}
