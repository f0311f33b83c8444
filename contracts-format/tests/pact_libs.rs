//! Contract files written by real Pact libraries (pact-js 17, pact-python 4.2; see
//! `fixtures/pact-libs/generate/`) validate without problems, and survive round trips in
//! their own version and across versions with their meaning intact.

use std::path::{Path, PathBuf};

use accord_contracts_format::{
    Body, BodyValue, Contract, Interaction, InteractionKind, SpecVersion, parse_contract,
    to_json_string, validate,
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

/// True when V3 can express the interaction on its own: no synchronous message, no binary
/// body, not pending.
fn v3_expressible(interaction: &Interaction) -> bool {
    let binary =
        |body: &Body| matches!(body.content(), Some(c) if matches!(c.value, BodyValue::Bytes(_)));
    !interaction.pending
        && match &interaction.kind {
            InteractionKind::Http { request, response } => {
                !binary(&request.body) && !binary(&response.body)
            }
            InteractionKind::AsyncMessage(message) => !binary(&message.contents),
            InteractionKind::SyncMessage(_) => false,
        }
}

/// What a V4 contract means once written as V3: no interaction keys or comments, header
/// values joined into one, bodies whose content type comes from the `Content-Type` header
/// (or message metadata) rather than the V4 body wrapper.
fn as_v3_would_carry(contract: &Contract) -> Contract {
    fn body_type(body: &mut Body, declared: Option<String>) {
        if let Body::Present(content) = body {
            content.content_type = declared;
            content.hint = None;
        }
    }
    fn join(headers: &mut Option<indexmap::IndexMap<String, Vec<String>>>) {
        for values in headers.iter_mut().flat_map(|h| h.values_mut()) {
            *values = vec![values.join(", ")];
        }
    }
    let mut contract = labelled(contract, SpecVersion::V3);
    for interaction in &mut contract.interactions {
        interaction.key = None;
        interaction.comments.clear();
        match &mut interaction.kind {
            InteractionKind::Http { request, response } => {
                join(&mut request.headers);
                join(&mut response.headers);
                let declared = request.headers.as_ref().and_then(|h| {
                    accord_contracts_format::find_header(h, "content-type").map(|v| v[0].clone())
                });
                body_type(&mut request.body, declared);
                let declared = response.headers.as_ref().and_then(|h| {
                    accord_contracts_format::find_header(h, "content-type").map(|v| v[0].clone())
                });
                body_type(&mut response.body, declared);
            }
            InteractionKind::AsyncMessage(message) => {
                let declared = message
                    .metadata
                    .get("contentType")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                body_type(&mut message.contents, declared);
            }
            InteractionKind::SyncMessage(_) => {}
        }
    }
    contract
}

#[test]
fn v4_files_keep_their_meaning_through_v3() {
    let mut checked = 0;
    for (path, text) in fixtures() {
        let label = name(&path);
        let contract = parse_contract(&text).unwrap();
        if contract.spec_version != SpecVersion::V4 {
            continue;
        }
        // V3 files hold either HTTP interactions or messages: check each group alone.
        for http in [true, false] {
            let mut part = contract.clone();
            part.interactions.retain(|i| {
                v3_expressible(i) && matches!(i.kind, InteractionKind::Http { .. }) == http
            });
            if part.interactions.is_empty() {
                continue;
            }
            let v3 = reparse(&part, SpecVersion::V3, &label);
            assert_eq!(v3, as_v3_would_carry(&part), "{label}: V4 -> V3");
            let back = reparse(&v3, SpecVersion::V4, &label);
            assert_eq!(
                as_v3_would_carry(&back),
                as_v3_would_carry(&part),
                "{label}: V4 -> V3 -> V4"
            );
            checked += part.interactions.len();
        }
        // What V3 cannot express is refused, never dropped.
        if contract.interactions.iter().any(|i| !v3_expressible(i)) {
            assert!(
                to_json_string(&contract, SpecVersion::V3).is_err(),
                "{label}: V3 writer accepted V4-only content"
            );
        }
    }
    assert!(checked >= 9, "only {checked} V4 interactions were checked");
}

#[test]
fn converting_changes_nothing_the_comparison_can_see() {
    for (path, text) in fixtures() {
        let label = name(&path);
        let contract = parse_contract(&text).unwrap();
        for version in [SpecVersion::V3, SpecVersion::V4] {
            if to_json_string(&contract, version).is_err() {
                continue;
            }
            let converted = reparse(&contract, version, &label);
            let diff = accord_contracts_format::compare(&contract, &converted);
            assert!(diff.is_empty(), "{label} as {version}: {diff:#?}");
        }
    }
}
