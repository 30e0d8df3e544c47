//! The command line: flags, inputs and exit codes.

use crate::diag::Source;
use crate::eval::Evaluator;
use crate::run::{check_source, eval_source, Outcome};
use clap::Parser;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

/// vsh: a shell for Linux virtual networks.
#[derive(Parser, Debug)]
#[command(name = "vsh", version, about)]
struct Cli {
    /// Run these statements instead of a script.
    #[arg(short = 'c', value_name = "STATEMENTS")]
    command: Option<String>,
    /// Parse and check only; touch nothing.
    #[arg(long)]
    check: bool,
    /// Run in a fresh network and mount namespace with a private /run/netns: the host is
    /// never touched, and everything vanishes when vsh exits.
    #[arg(long)]
    isolated: bool,
    /// The script to run (`-` or none: standard input when it is not a terminal).
    script: Option<PathBuf>,
    /// Arguments for the script: $1, $2, ...
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// The interactive REPL: the same evaluator, fed line by line.
fn repl(isolated: bool, args: Vec<String>) -> i32 {
    if isolated {
        if let Err(e) = crate::net::sandbox::isolate() {
            eprintln!("vsh: cannot make the isolated sandbox: {e}");
            return 1;
        }
    }
    match Evaluator::new("vsh", args, isolated) {
        Ok(ev) => crate::repl::run(ev),
        Err(e) => {
            eprintln!("{}", crate::diag::render(e, &Source::new("vsh", "")));
            1
        }
    }
}

/// Runs vsh with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let mut args = cli.args;
    let source = match (&cli.command, &cli.script) {
        (Some(text), script) => {
            // With -c, a "script" operand is the first argument, as in sh -c.
            if let Some(s) = script {
                args.insert(0, s.display().to_string());
            }
            Source::new("-c", text.clone())
        }
        (None, Some(path)) if path.as_os_str() != "-" => match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Source::new(path.display().to_string(), text),
                Err(_) => {
                    eprintln!("vsh: {}: not a text file (invalid UTF-8)", path.display());
                    return 2;
                }
            },
            Err(e) => {
                eprintln!("vsh: cannot read {}: {e}", path.display());
                return 2;
            }
        },
        _ => {
            if cli.script.is_none() && std::io::stdin().is_terminal() && !cli.check {
                return repl(cli.isolated, args);
            }
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("vsh: cannot read standard input: {e}");
                return 2;
            }
            Source::new("<stdin>", text)
        }
    };
    if cli.check {
        return check_source(&source) as i32;
    }
    if cli.isolated {
        if let Err(e) = crate::net::sandbox::isolate() {
            eprintln!("vsh: cannot make the isolated sandbox: {e}");
            return 1;
        }
    }
    let mut ev = match Evaluator::new(&source.name, args, cli.isolated) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("{}", crate::diag::render(e, &source));
            return Outcome::Failed as i32;
        }
    };
    eval_source(&mut ev, &source) as i32
}
