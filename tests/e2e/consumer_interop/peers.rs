//! Finding Pact's tools for interoperability tests.

use std::path::PathBuf;

/// The path of Pact tool `name`, from `PATH` or `$PEERS_HOME/bin` (default `/opt/peers`).
/// `None` (after saying so) when it is missing and `CI` is not set; a panic under CI.
pub(super) fn tool(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("PEERS_HOME").unwrap_or_else(|| "/opt/peers".into());
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    dirs.push(PathBuf::from(home).join("bin"));
    if let Some(found) = dirs.iter().map(|dir| dir.join(name)).find(|p| p.is_file()) {
        return Some(found);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{name} is missing (CI is set): run ../shared/peers/install.sh");
    }
    eprintln!("skipping: {name} not found on PATH nor in $PEERS_HOME/bin (set CI to fail instead)");
    None
}
