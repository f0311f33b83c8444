//! Contract files written by real Pact libraries (pact-js 17, pact-python 4.2; see
//! `fixtures/pact-libs/generate/`) validate without problems, and survive round trips in
//! their own version and across versions with their meaning intact.

use std::path::{Path, PathBuf};

use accord_contracts_format::{
    Contract, InteractionKind, SpecVersion, parse_contract, to_json_string, validate,
};

fn fixtures() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pact-libs");
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 9,
        "expected the generated fixtures in {}",
        dir.display()
    );
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn reparse(contract: &Contract, version: SpecVersion, label: &str) -> Contract {
    let text = to_json_string(contract, version)
        .unwrap_or_else(|e| panic!("{label}: cannot write as {version}: {e}"));
    let problems = validate(&text, label);
    assert!(problems.is_empty(), "{label} as {version}: {problems:#?}");
    parse_contract(&text).unwrap_or_else(|e| panic!("{label}: cannot re-read {version}: {e}"))
}

/// The contract with the version label set, for comparing models across versions.
fn labelled(contract: &Contract, version: SpecVersion) -> Contract {
    let mut contract = contract.clone();
    contract.spec_version = version;
    contract
}

#[test]
fn every_generated_file_validates_without_problems() {
    let mut failures = Vec::new();
    for (path, text) in fixtures() {
        let problems = validate(&text, &path);
        failures.extend(problems.iter().map(ToString::to_string));
        if let Err(error) = parse_contract(&text) {
            failures.push(format!("{}: {error}", name(&path)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fixtures_cover_versions_kinds_and_libraries() {
    let mut seen = std::collections::BTreeSet::new();
    for (path, text) in fixtures() {
        let contract = parse_contract(&text).unwrap();
        let library = if name(&path).starts_with("pact-js") {
            "js"
        } else {
            "python"
        };
        for interaction in &contract.interactions {
            let kind = match interaction.kind {
                InteractionKind::Http { .. } => "http",
                InteractionKind::AsyncMessage(_) => "async",
                InteractionKind::SyncMessage(_) => "sync",
            };
            seen.insert(format!("{library} {} {kind}", contract.spec_version));
        }
    }
    for expected in [
        "js V2 http",
        "js V3 http",
        "js V3 async",
        "js V4 http",
        "js V4 async",
        "js V4 sync",
        "python V2 http",
        "python V3 http",
        "python V3 async",
        "python V4 http",
        "python V4 async",
        "python V4 sync",
    ] {
        assert!(
            seen.contains(expected),
            "no fixture for {expected}: {seen:?}"
        );
    }
}

#[test]
fn each_file_round_trips_in_its_own_version() {
    for (path, text) in fixtures() {
        let label = name(&path);
        let contract = parse_contract(&text).unwrap();
        let again = reparse(&contract, contract.spec_version, &label);
        assert_eq!(again, contract, "{label}");
    }
}

#[test]
fn legacy_files_round_trip_through_v4() {
    for (path, text) in fixtures() {
        let label = name(&path);
        let contract = parse_contract(&text).unwrap();
        let version = contract.spec_version;
        if version == SpecVersion::V4 {
            continue;
        }
        let v4 = reparse(&contract, SpecVersion::V4, &label);
        let back = reparse(&v4, version, &label);
        assert_eq!(back, contract, "{label}: {version} -> V4 -> {version}");
    }
}

#[test]
fn v4_files_round_trip_through_v3_when_v3_can_express_them() {
    for (path, text) in fixtures() {
        let label = name(&path);
        let contract = parse_contract(&text).unwrap();
        if contract.spec_version != SpecVersion::V4 {
            continue;
        }
        match to_json_string(&contract, SpecVersion::V3) {
            Ok(_) => {
                let v3 = reparse(&contract, SpecVersion::V3, &label);
                let back = reparse(&v3, SpecVersion::V4, &label);
                assert_eq!(
                    back,
                    labelled(&v3, SpecVersion::V4),
                    "{label}: V4 -> V3 -> V4 changes the V3-expressible part"
                );
                assert_eq!(
                    back.interactions.len(),
                    contract.interactions.len(),
                    "{label}"
                );
            }
            Err(error) => {
                // Only files with what V3 lacks may be refused.
                let has_v4_only = contract.interactions.iter().any(|i| {
                    i.pending
                        || matches!(i.kind, InteractionKind::SyncMessage(_))
                        || (matches!(i.kind, InteractionKind::AsyncMessage(_))
                            && contract
                                .interactions
                                .iter()
                                .any(|o| matches!(o.kind, InteractionKind::Http { .. })))
                });
                assert!(has_v4_only, "{label}: refused without reason: {error}");
            }
        }
    }
}
