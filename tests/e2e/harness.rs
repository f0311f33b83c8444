//! Starts `accord broker serve` on a free port and a temp SQLite file, waits until it answers,
//! and stops it on `Drop`; runs the `accord` and Pact client commands against it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long the broker may take to start before the test fails.
const START_DEADLINE: Duration = Duration::from_secs(30);

/// A running broker.
pub(crate) struct Broker {
    child: Child,
    pub(crate) url: String,
    _dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Broker {
    pub(crate) fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts the broker with extra `broker serve` arguments.
    pub(crate) fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = format!("sqlite://{}", dir.path().join("a.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["broker", "serve", "--port", "0", "--database", &database])
            .args(extra)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting accord broker serve");
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let line = match received.recv_timeout(START_DEADLINE) {
            Ok(Ok(line)) => line,
            other => {
                let _ = child.kill();
                panic!("the broker printed no listening line: {other:?}");
            }
        };
        let url = line
            .strip_prefix("accord broker listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let broker = Broker {
            child,
            url,
            _dir: dir,
            runtime,
        };
        broker.wait_until_ready();
        broker
    }

    /// Polls the heartbeat until it answers 200 or the deadline passes.
    fn wait_until_ready(&self) {
        let deadline = Instant::now() + START_DEADLINE;
        let heartbeat = format!("{}/diagnostic/status/heartbeat", self.url);
        loop {
            let ok = self.runtime.block_on(async {
                reqwest::get(&heartbeat)
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false)
            });
            if ok {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the broker did not answer {heartbeat} in time"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// GETs a path of the broker and returns the JSON body (panics unless 200).
    pub(crate) fn get(&self, path: &str) -> Value {
        let url = format!("{}{path}", self.url);
        self.runtime.block_on(async {
            let response = reqwest::get(&url).await.unwrap();
            assert_eq!(response.status(), 200, "GET {url}");
            response.json().await.unwrap()
        })
    }

    /// Sends `body` as JSON with `method` to a path or absolute URL of the broker and returns
    /// the JSON answer (panics unless 2xx).
    pub(crate) fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> Value {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.url)
        };
        self.runtime.block_on(async {
            let response = reqwest::Client::new()
                .request(method.clone(), &url)
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            assert!(status.is_success(), "{method} {url}: {status} {text}");
            serde_json::from_str(&text).unwrap()
        })
    }

    /// The UUID of the environment named `name`.
    pub(crate) fn environment_uuid(&self, name: &str) -> String {
        let list = self.get("/environments");
        list["_embedded"]["environments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no environment {name}"))["uuid"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

impl Broker {
    /// Sends SIGTERM and waits (to a deadline) for the process to exit.
    pub(crate) fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the broker did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The contract fixtures folder.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures")
}

pub(crate) fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

/// A finished command, for assertions.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub(crate) fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A command with no broker credentials or URL inherited from the environment.
fn clean(mut command: Command) -> Command {
    for var in [
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
    ] {
        command.env_remove(var);
    }
    command.env("PACT_DO_NOT_TRACK", "true");
    command
}

/// Runs `accord ARGS` with extra environment variables.
pub(crate) fn accord_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = clean(Command::new(env!("CARGO_BIN_EXE_accord")));
    command.args(args).envs(env.iter().copied());
    Run::from(command.output().expect("running accord"))
}

pub(crate) fn accord(args: &[&str]) -> Run {
    accord_env(args, &[])
}

/// Pact's broker client (`pact-broker`), found on `PATH` or in `$PEERS_HOME/bin`
/// (default `/opt/peers`). `None` (test skipped) when missing, unless `CI` is set.
pub(crate) fn pact_broker_cli() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("pact-broker"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let peers =
        std::env::var_os("PEERS_HOME").map_or_else(|| PathBuf::from("/opt/peers"), PathBuf::from);
    let found = on_path
        .into_iter()
        .chain([peers.join("bin/pact-broker")])
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but Pact's broker client (pact-broker) is not installed: run ../shared/peers/install.sh"
        );
        eprintln!("note: pact-broker not found on PATH or in $PEERS_HOME/bin; skipping");
    }
    found
}

/// Runs `pact-broker SUBCOMMAND ARGS --broker-base-url URL --retries 0`.
pub(crate) fn pact_broker(cli: &Path, broker: &Broker, args: &[&str]) -> Run {
    let mut command = clean(Command::new(cli));
    command
        .args(args)
        .args(["--broker-base-url", &broker.url, "--retries", "0"]);
    Run::from(command.output().expect("running pact-broker"))
}
