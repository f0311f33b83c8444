//! Runs `examples/run.sh`, the whole contract-testing loop on the example shop, and checks
//! the outcomes it prints: the consumers' contracts verified, every service deployable, the
//! breaking rename caught with its diff and blocked by can-i-deploy, the coordinated change
//! planned provider first, and nothing left running.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target folder the `accord` under test was built in (`<target>/<profile>/accord`).
fn target_dir() -> PathBuf {
    let accord = Path::new(env!("CARGO_BIN_EXE_accord"));
    accord
        .parent()
        .and_then(Path::parent)
        .expect("accord lives in <target>/<profile>/")
        .to_owned()
}

/// Processes whose command line mentions `needle` (Linux only; elsewhere none are found).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(needle))
        .collect()
}

#[test]
fn the_example_loop_runs_green() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let output = Command::new("bash")
        .arg(root.join("examples/run.sh"))
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO", env!("CARGO"))
        .env_remove("ACCORD_EXAMPLE_KEEP")
        .env_remove("ACCORD_CONTRACTS_DIR")
        .env_remove("PACT_BROKER_BASE_URL")
        .output()
        .expect("running examples/run.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = format!("--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert!(output.status.success(), "run.sh failed:\n{report}");

    let expected = [
        // 2 and 3: contracts written, published and verified.
        "wrote web-app-orders-api.json",
        "wrote orders-api-inventory-api.json",
        "wrote billing-worker-orders-api.json",
        "ok: inventory-api b91a6f4 honours orders-api's contract",
        "given an order was placed: an order-created event ... OK",
        // 4: every service deployable.
        "ok: can-i-deploy inventory-api b91a6f4 to production: yes",
        "ok: can-i-deploy orders-api 0c4f9b2 to production: yes",
        "ok: can-i-deploy web-app 5e1d2a0 to production: yes",
        "ok: can-i-deploy billing-worker 9f0b3e6 to production: yes",
        // 5: the rename, its diff, and can-i-deploy's no naming the interaction.
        "given a SKU is in stock: get the stock level of a SKU ... FAILED",
        "body $.available: expected 5 but it is missing",
        "+   \"available_quantity\": 5",
        "ok: can-i-deploy inventory-api e2c5d70: no",
        "ok: can-i-deploy names the failing interaction \"get the stock level of a SKU\"",
        // 6: provider first.
        "plan order: inventory-api orders-api",
        // 7.
        "All steps gave the expected outcome.",
    ];
    for line in expected {
        assert!(stdout.contains(line), "missing {line:?} in:\n{report}");
    }

    let work = stdout
        .split("(SQLite in ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no temporary folder in:\n{report}"));
    assert!(
        !Path::new(work).exists(),
        "{work} was not removed:\n{report}"
    );
    let left = processes_mentioning(work);
    assert!(left.is_empty(), "still running: {left:?}");
}
