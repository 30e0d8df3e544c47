//! The command line: flags, inputs and exit codes.

use crate::diag::{render, Source};
use crate::eval::journal::Journal;
use crate::eval::Evaluator;
use crate::run::{check_source, down, run_script, Outcome};
use clap::{CommandFactory, Parser};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// vsh: a shell for Linux virtual networks.
#[derive(Parser, Debug)]
#[command(
    name = "vsh",
    version,
    about,
    after_help = "vsh down [--name NAME | SCRIPT]   remove what the last run of SCRIPT made\nvsh graph [--all] [--format F] [-o FILE]   the live topology of every namespace"
)]
struct Cli {
    /// Run these statements instead of a script.
    #[arg(short = 'c', value_name = "STATEMENTS")]
    command: Option<String>,
    /// Parse and check only; touch nothing.
    #[arg(long)]
    check: bool,
    /// Run in a fresh network, mount and PID namespace with a private /run: the host is never
    /// touched, and everything (programs too) vanishes when vsh exits.
    #[arg(long)]
    isolated: bool,
    /// When the run fails, leave what it made for debugging (remove it with `vsh down`).
    #[arg(long)]
    keep: bool,
    /// Refuse to move any device into the host's namespace (as `deny host-moves`).
    #[arg(long)]
    deny_host_moves: bool,
    /// Write the checks of the run's ping blocks to FILE as a JUnit XML report (also when
    /// the run fails or is interrupted).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// The name a `-c` or standard-input run is journaled under, for `vsh down --name`.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The script to run (`-` or none: standard input when it is not a terminal).
    script: Option<PathBuf>,
    /// Arguments for the script: $1, $2, ...
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs vsh with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    crate::net::interrupt::default_sigpipe();
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("down") && !Path::new("down").is_file() {
        return down_command(&argv[2..]);
    }
    if argv.get(1).map(String::as_str) == Some("graph") && !Path::new("graph").is_file() {
        return graph_command(&argv[1..]);
    }
    // `vsh help [NAME]`, unless a script is named help.
    if argv.get(1).map(String::as_str) == Some("help") && !Path::new("help").is_file() {
        return help_command(&argv[2..]);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let mut args = cli.args.clone();
    let source = match source(&cli, &mut args) {
        Ok(source) => source,
        Err(code) => return code,
    };
    if cli.check {
        return check_source(&source).code();
    }
    if cli.isolated {
        if let Err(e) = crate::net::sandbox::isolate_process() {
            eprintln!("vsh: cannot make the isolated sandbox: {e}");
            return 1;
        }
    }
    let mut ev = match Evaluator::new(&source.name, args, cli.isolated) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("{}", render(e, &source));
            return Outcome::Failed.code();
        }
    };
    let down_hint = prepare(&mut ev, &cli);
    let started = std::time::SystemTime::now();
    let clock = std::time::Instant::now();
    let code = run_script(&mut ev, &source, cli.keep, &down_hint).code();
    let Some(path) = cli.junit else {
        return code;
    };
    let end = crate::junit::RunEnd {
        script: &source.name,
        time: clock.elapsed(),
        started,
        error: ev.failure.take(),
    };
    let xml = crate::junit::report(ev.checks_log.as_deref().unwrap_or_default(), &end);
    match std::fs::write(&path, xml) {
        Ok(()) => code,
        Err(e) => {
            eprintln!("vsh: cannot write the JUnit report {}: {e}", path.display());
            code.max(1)
        }
    }
}

/// The text to run: `-c`'s, the script's or standard input's (a `-c` script operand becomes
/// the first argument, as in sh -c). `Err` is the exit status when there is none to run: a
/// script that cannot be read, or the REPL, which has run by then.
fn source(cli: &Cli, args: &mut Vec<String>) -> Result<Source, i32> {
    match (&cli.command, &cli.script) {
        (Some(text), script) => {
            if let Some(s) = script {
                args.insert(0, s.display().to_string());
            }
            Ok(Source::new("-c", text.clone()))
        }
        (None, Some(path)) if path.as_os_str() != "-" => read_script(path),
        _ => {
            if cli.script.is_none() && std::io::stdin().is_terminal() && !cli.check {
                return Err(repl(cli.isolated, args.clone()));
            }
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("vsh: cannot read standard input: {e}");
                return Err(2);
            }
            Ok(Source::new("<stdin>", text))
        }
    }
}

/// Sets up `ev` from the options: where relative paths start, the journal, the JUnit log.
/// Returns how the user can undo the run later, for the report of a kept run.
fn prepare(ev: &mut Evaluator, cli: &Cli) -> String {
    ev.deny_host_moves = cli.deny_host_moves;
    // Relative redirection paths start where the script is.
    if let (None, Some(path)) = (&cli.command, &cli.script) {
        ev.dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf);
    }
    // Under --isolated everything vanishes with the sandbox: only undo needs the journal.
    let script = match (&cli.command, &cli.script) {
        (None, Some(path)) if path.as_os_str() != "-" => Some(path.as_path()),
        _ => None,
    };
    let key = journal_key(script, cli.name.as_deref());
    if let (Some(key), false) = (key, cli.isolated) {
        match Journal::open(&Journal::dir_for(&key)) {
            Ok(j) => ev.journal = j,
            Err(e) => eprintln!(
                "vsh: warning: no journal in {}: {e}",
                crate::eval::journal::JOURNAL_DIR
            ),
        }
    }
    if cli.junit.is_some() {
        ev.checks_log = Some(Vec::new());
    }
    match (&cli.name, &cli.script) {
        (Some(name), _) => format!("vsh down --name {name}"),
        (None, Some(script)) if cli.command.is_none() => format!("vsh down {}", script.display()),
        _ => "give the run a --name to remove it with vsh down".to_string(),
    }
}

fn read_script(path: &Path) -> Result<Source, i32> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(path.display().to_string(), text)),
            Err(_) => {
                eprintln!("vsh: {}: not a text file (invalid UTF-8)", path.display());
                Err(2)
            }
        },
        Err(e) => {
            eprintln!("vsh: cannot read {}: {e}", path.display());
            Err(2)
        }
    }
}

/// The journal of a script is keyed by its absolute path; a `-c` run by its `--name`.
fn journal_key(script: Option<&Path>, name: Option<&str>) -> Option<String> {
    if let Some(name) = name {
        return Some(format!("name:{name}"));
    }
    let script = script?;
    let absolute = std::fs::canonicalize(script)
        .or_else(|_| std::path::absolute(script))
        .ok()?;
    Some(absolute.display().to_string())
}

/// `vsh help`: the command line's options and the builtins; `vsh help NAME`: one builtin.
fn help_command(args: &[String]) -> i32 {
    let statement = match args {
        [] => {
            let _ = Cli::command().print_help();
            println!();
            "help".to_string()
        }
        [name] => format!("help '{}'", name.replace('\'', "")),
        _ => {
            eprintln!("usage: vsh help [BUILTIN]");
            return 2;
        }
    };
    let source = Source::new("vsh help", statement);
    match Evaluator::new("vsh", vec![], false) {
        Ok(mut ev) => crate::run::eval_source(&mut ev, &source).code(),
        Err(e) => {
            eprintln!("{}", render(e, &source));
            1
        }
    }
}

/// `vsh down [--name NAME | SCRIPT]`
fn down_command(args: &[String]) -> i32 {
    let (key, what) = match args {
        [flag, name] if flag == "--name" => {
            (journal_key(None, Some(name)), format!("--name {name}"))
        }
        [script] => (journal_key(Some(Path::new(script)), None), script.clone()),
        _ => {
            eprintln!("usage: vsh down [--name NAME | SCRIPT]");
            return 2;
        }
    };
    let Some(key) = key else {
        eprintln!("vsh down: cannot find {what}");
        return 2;
    };
    let mut ev = match Evaluator::new("down", vec![], false) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("{}", render(e, &Source::new("down", "")));
            return 1;
        }
    };
    down(&mut ev, &Journal::dir_for(&key), &what)
}

/// `vsh graph [OPTIONS]`: the `graph` statement, run on its own as with `vsh -c`.
fn graph_command(words: &[String]) -> i32 {
    // Each argument becomes one word of the statement, exactly as given: plain ones bare
    // (options must be), others quoted.
    let plain = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:+,=@%".contains(c))
    };
    let quoted: Vec<String> = words[1..]
        .iter()
        .map(|w| {
            if plain(w) {
                w.clone()
            } else if w.contains('\'') {
                let escaped = w
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('$', "\\$");
                format!("\"{escaped}\"")
            } else {
                format!("'{w}'")
            }
        })
        .collect();
    let text = format!("graph {}", quoted.join(" "));
    let source = Source::new("graph", text);
    let mut ev = match Evaluator::new("vsh", vec![], false) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("{}", render(e, &source));
            return Outcome::Failed.code();
        }
    };
    run_script(&mut ev, &source, false, "").code()
}

/// The interactive REPL: the same evaluator, fed line by line.
fn repl(isolated: bool, args: Vec<String>) -> i32 {
    if isolated {
        if let Err(e) = crate::net::sandbox::isolate_process() {
            eprintln!("vsh: cannot make the isolated sandbox: {e}");
            return 1;
        }
    }
    match Evaluator::new("vsh", args, isolated) {
        Ok(ev) => crate::repl::run(ev),
        Err(e) => {
            eprintln!("{}", render(e, &Source::new("vsh", "")));
            1
        }
    }
}
