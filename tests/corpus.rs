//! The corpus of bad scripts in tests/bad/: each one's diagnostic is pinned in a snapshot
//! (NAME.stderr beside NAME.vnet). `vsh --check` touches nothing, so no sandbox is needed.
//! Set VSH_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after a deliberate change.

use crate::lab::VSH;
use std::path::Path;
use std::process::Command;

#[test]
fn every_bad_script_has_its_pinned_diagnostic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vnet"))
        .collect();
    scripts.sort();
    assert!(
        scripts.len() >= 40,
        "the corpus holds {} scripts",
        scripts.len()
    );
    let update = std::env::var_os("VSH_UPDATE_SNAPSHOTS").is_some();
    let mut mismatches = Vec::new();
    for script in &scripts {
        let name = script.file_name().unwrap().to_str().unwrap();
        let out = Command::new(VSH)
            .args(["--check", name])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 1 || code == 2,
            "{name}: exit {code}, not a diagnosed failure"
        );
        let got = format!("exit {code}\n{}", String::from_utf8_lossy(&out.stderr));
        let snapshot = script.with_extension("stderr");
        if update {
            std::fs::write(&snapshot, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if got != want {
            mismatches.push(format!("--- {name}: want\n{want}--- got\n{got}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
