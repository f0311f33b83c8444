//! `accord conformance DIR`: runs the Pact specification's matching cases found under DIR
//! and reports, per case, the verdict the specification expects and Accord's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_contracts_format::{ConformanceOutcome, run_conformance_case};
use anyhow::Context;
use clap::Args;
use serde_json::{Value, json};

/// Run the Pact specification's matching test cases.
#[derive(Debug, Args)]
pub(crate) struct ConformanceArgs {
    /// Folder of the cases: `<version>/<request|response|message>/<area>/<case>.json` below it.
    pub(crate) dir: PathBuf,
    /// One JSON object per case and line: {"path", "expected", "actual", "mismatches"}; the
    /// summary line goes to stderr.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) async fn run(args: ConformanceArgs) -> anyhow::Result<ExitCode> {
    let paths = case_paths(&args.dir)
        .with_context(|| format!("listing the cases under {}", args.dir.display()))?;
    anyhow::ensure!(!paths.is_empty(), "no cases under {}", args.dir.display());
    let (mut passed, mut failed) = (0usize, 0usize);
    for relative in &paths {
        let file = args.dir.join(relative);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let case: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
        let outcome = run_conformance_case(relative, &case)
            .with_context(|| format!("running {}", file.display()))?;
        if outcome.passed() {
            passed += 1;
        } else {
            failed += 1;
        }
        println!("{}", render(relative, &outcome, args.json));
    }
    // With --json, stdout carries only the case lines; the summary goes to stderr.
    if args.json {
        eprintln!("{passed} passed, {failed} failed");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn render(relative: &str, outcome: &ConformanceOutcome, as_json: bool) -> String {
    if as_json {
        let mismatches: Vec<Value> = outcome.mismatches.iter().map(|m| m.to_json()).collect();
        return json!({
            "path": relative,
            "expected": outcome.expected,
            "actual": outcome.actual,
            "mismatches": mismatches,
        })
        .to_string();
    }
    let verdict = if outcome.passed() { "ok  " } else { "FAIL" };
    let mut line = format!(
        "{verdict} {relative}: expected match={}, accord match={}",
        outcome.expected, outcome.actual
    );
    if !outcome.passed() {
        for mismatch in &outcome.mismatches {
            line.push_str(&format!("\n       {mismatch}"));
        }
    }
    line
}

/// Every `.json` file in a subfolder of `dir`, relative with `/`, sorted.
fn case_paths(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json")
                && let Ok(relative) = path.strip_prefix(dir)
            {
                let relative = relative.to_string_lossy().replace('\\', "/");
                if relative.contains('/') {
                    found.push(relative);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_cases_below_version_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("v3/request/body")).unwrap();
        std::fs::write(dir.path().join("index.json"), "[]").unwrap();
        std::fs::write(dir.path().join("v3/request/body/a b.json"), "{}").unwrap();
        std::fs::write(dir.path().join("v3/request/body/notes.txt"), "").unwrap();
        assert_eq!(
            case_paths(dir.path()).unwrap(),
            vec!["v3/request/body/a b.json"]
        );
    }

    #[test]
    fn renders_lines_and_json() {
        let outcome = ConformanceOutcome {
            expected: true,
            actual: true,
            mismatches: Vec::new(),
        };
        assert_eq!(
            render("v1/x.json", &outcome, false),
            "ok   v1/x.json: expected match=true, accord match=true"
        );
        let line: Value = serde_json::from_str(&render("v1/x.json", &outcome, true)).unwrap();
        assert_eq!(
            line,
            json!({"path": "v1/x.json", "expected": true, "actual": true, "mismatches": []})
        );
    }
}
