//! Contracts converted by `accord contract convert` mean to Pact's own tools what the
//! originals mean: Pact's stub server serves the original file, Pact's verifier checks the
//! converted file against it, and the verdict (and every failure) is the same as for the
//! original file.
//!
//! Needs the peer tools (`../shared/peers/install.sh`; `.ci/run` installs them). Without
//! them the test fails when `CI` is set and says so otherwise.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn peer(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("PEERS_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    dirs.push(PathBuf::from("/opt/peers/bin"));
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../contracts-format/tests/fixtures/pact-libs")
        .join(name)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The stub server, killed on drop.
struct Stub(Child);

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_stub(binary: &Path, pact: &Path, port: u16) -> Stub {
    let child = Command::new(binary)
        .args(["-p", &port.to_string(), "-l", "error", "-f"])
        .arg(pact)
        .env("PACT_DO_NOT_TRACK", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pact-stub-server starts");
    let stub = Stub(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "pact-stub-server did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    stub
}

fn verify(binary: &Path, pact: &Path, port: u16) -> Output {
    Command::new(binary)
        .args(["--hostname", "127.0.0.1", "--port", &port.to_string(), "-f"])
        .arg(pact)
        .env("PACT_DO_NOT_TRACK", "true")
        .env("NO_COLOR", "1")
        .output()
        .expect("pact-verifier runs")
}

/// The verifier's failure lines (`$.path -> reason`), which name what did not match.
fn failures(output: &Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| line.contains(" -> "))
        .map(|line| line.trim().to_owned())
        .collect();
    lines.sort();
    lines
}

#[test]
fn converted_contracts_verify_like_the_originals() {
    let (Some(stub), Some(verifier)) = (peer("pact-stub-server"), peer("pact-verifier")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the Pact peer tools are missing; run ../shared/peers/install.sh"
        );
        eprintln!("skipped: the Pact peer tools are not installed (../shared/peers/install.sh)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, target) in [
        ("pact-js-http-v2.json", "v4"),
        ("pact-js-http-v3.json", "v4"),
        ("pact-python-http-v3.json", "v4"),
        ("pact-python-http-v4.json", "v3"),
    ] {
        let original = fixture(name);
        let converted = dir.path().join(format!("{name}.{target}.json"));
        let status = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["contract", "convert", "--to", target])
            .arg(&original)
            .arg("-o")
            .arg(&converted)
            .status()
            .unwrap();
        assert!(status.success(), "{name}: convert failed");

        let port = free_port();
        let _stub = start_stub(&stub, &original, port);
        let before = verify(&verifier, &original, port);
        let after = verify(&verifier, &converted, port);
        assert_eq!(
            after.status.code(),
            before.status.code(),
            "{name} as {target}: verdicts differ\n{}",
            String::from_utf8_lossy(&after.stdout)
        );
        assert_eq!(failures(&after), failures(&before), "{name} as {target}");
    }
}
