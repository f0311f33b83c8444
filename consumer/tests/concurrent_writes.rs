//! Several processes, each with several threads, merge interactions into one contract file;
//! none may be lost or duplicated. The binary re-invokes itself as the child processes, which
//! find the folder through `ACCORD_CONTRACTS_DIR` (so this also checks that variable).

use std::process::Command;

use accord_consumer::{CONTRACTS_DIR_VAR, ContractBuilder, ContractWriter};

const CHILD_VAR: &str = "ACCORD_TEST_WRITER_CHILD";
const PROCESSES: usize = 4;
const THREADS: usize = 2;
const PER_THREAD: usize = 25;

fn main() {
    match std::env::var(CHILD_VAR) {
        Ok(child) => run_child(&child),
        Err(_) => run_parent(),
    }
}

fn run_child(child: &str) {
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let child = child.to_owned();
            std::thread::spawn(move || {
                for n in 0..PER_THREAD {
                    // The builder's default writer: the folder comes from the environment.
                    let description = format!("p{child} t{thread} n{n:02}");
                    let mut builder = ContractBuilder::new("web-app", "orders-api");
                    builder
                        .message(&description, |m| {
                            m.json_contents(serde_json::json!({"n": n}))
                        })
                        .verify_message(&description, |contents, _| match contents["n"].as_u64() {
                            Some(_) => Ok(()),
                            None => Err("no n"),
                        });
                    builder.write();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("writer thread panicked");
    }
}

fn run_parent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("own path");
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new(&exe)
                .env(CHILD_VAR, p.to_string())
                .env(CONTRACTS_DIR_VAR, dir.path())
                .spawn()
                .expect("spawn child")
        })
        .collect();
    for mut child in children {
        let status = child.wait().expect("wait for child");
        assert!(status.success(), "a child failed: {status}");
    }
    let writer = ContractWriter::new().with_dir(dir.path());
    let path = writer.path_for(ContractBuilder::new("web-app", "orders-api").contract());
    let text = std::fs::read_to_string(&path).expect("contract written");
    let contract = accord_contracts_format::parse_contract(&text).expect("contract parses");
    let mut descriptions: Vec<_> = contract
        .interactions
        .iter()
        .map(|i| i.description.clone())
        .collect();
    let total = PROCESSES * THREADS * PER_THREAD;
    assert_eq!(descriptions.len(), total, "interactions in the file");
    descriptions.sort();
    descriptions.dedup();
    assert_eq!(descriptions.len(), total, "distinct interactions");
    println!(
        "concurrent_writes: {PROCESSES} processes x {THREADS} threads x {PER_THREAD} interactions: ok"
    );
}
