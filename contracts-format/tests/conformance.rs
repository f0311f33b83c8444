//! The Pact specification's matching cases (`../shared/conformance/pact-spec`): one test per
//! case, each passing when Accord's verdict equals the case's `match` member.
//!
//! The folder comes from `ACCORD_CONFORMANCE_DIR`, else the shared folder next to the
//! workspace. A missing folder fails the run; no case is skipped.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_contracts_format::run_conformance_case;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("ACCORD_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/pact-spec")
        }
    }
}

/// Every `.json` file below a version folder, as paths relative to `dir` with `/`.
fn case_paths(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path.strip_prefix(dir).expect("below the corpus folder");
                let relative = relative.to_string_lossy().replace('\\', "/");
                // Top-level files (index.json) are not cases.
                if relative.contains('/') {
                    found.push(relative);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

fn run(dir: &Path, relative: &str) -> Result<(), Failed> {
    let text = std::fs::read_to_string(dir.join(relative))
        .map_err(|e| format!("cannot read {relative}: {e}"))?;
    let case: Value = serde_json::from_str(&text).map_err(|e| format!("{relative}: {e}"))?;
    let outcome = run_conformance_case(relative, &case).map_err(|e| format!("{relative}: {e}"))?;
    if outcome.passed() {
        return Ok(());
    }
    let found: Vec<String> = outcome
        .mismatches
        .iter()
        .map(|m| format!("  {m}"))
        .collect();
    Err(format!(
        "the case expects match={} but Accord found {} mismatch(es)\n{}",
        outcome.expected,
        outcome.mismatches.len(),
        found.join("\n")
    )
    .into())
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let dir = corpus_dir();
    let trials = match case_paths(&dir) {
        Ok(paths) if !paths.is_empty() => paths
            .into_iter()
            .map(|relative| {
                let dir = dir.clone();
                let name = relative.trim_end_matches(".json").to_owned();
                Trial::test(name, move || run(&dir, &relative))
            })
            .collect(),
        Ok(_) => vec![Trial::test("conformance corpus present", {
            let dir = dir.clone();
            move || Err(format!("no cases under {}", dir.display()).into())
        })],
        Err(error) => vec![Trial::test("conformance corpus present", {
            let dir = dir.clone();
            move || Err(format!("cannot read {}: {error}", dir.display()).into())
        })],
    };
    libtest_mimic::run(&args, trials).exit_code()
}
