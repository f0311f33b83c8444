use super::*;
use std::sync::Arc;

use accord_contracts_format::{
    Body, HttpRequest, HttpResponse, InteractionKind, Message, ProviderState,
};

fn http(description: &str, state: Option<&str>, status: u16) -> Interaction {
    let mut interaction = Interaction::http(
        description,
        HttpRequest {
            path: format!("/{}", description.replace(' ', "-")),
            ..HttpRequest::default()
        },
        HttpResponse {
            status,
            body: Body::json(json!({"status": status})),
            ..HttpResponse::default()
        },
    );
    if let Some(state) = state {
        interaction.provider_states.push(ProviderState::new(state));
    }
    interaction
}

fn contract(interactions: Vec<Interaction>) -> Contract {
    let mut contract = Contract::new("web-app", "orders-api");
    contract.interactions = interactions;
    contract
}

fn read(path: &Path) -> Contract {
    parse_contract(&fs::read_to_string(path).unwrap()).unwrap()
}

fn status_of(interaction: &Interaction) -> u16 {
    match &interaction.kind {
        InteractionKind::Http { response, .. } => response.status,
        other => panic!("not HTTP: {other:?}"),
    }
}

#[test]
fn writes_a_v4_file_named_after_the_parties() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ContractWriter::new().with_dir(dir.path());
    let path = writer.write(&contract(vec![http("b", None, 200)])).unwrap();
    assert_eq!(path, dir.path().join("web-app-orders-api.json"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"Synchronous/HTTP\""), "{text}");
    let written = read(&path);
    assert_eq!(written.spec_version, SpecVersion::V4);
    assert_eq!(written.interactions, vec![http("b", None, 200)]);
    assert_eq!(
        written.metadata["accord"]["consumerVersion"],
        env!("CARGO_PKG_VERSION")
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn merges_sorts_and_replaces_changed_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ContractWriter::new().with_dir(dir.path());
    writer
        .write(&contract(vec![
            http("c", None, 200),
            http("a", Some("x"), 200),
            http("a", None, 200),
        ]))
        .unwrap();
    // Same description and states as an existing one: replaces it. Other states: a new one.
    let path = writer
        .write(&contract(vec![
            http("a", Some("x"), 404),
            http("a", Some("y"), 200),
        ]))
        .unwrap();
    let written = read(&path);
    let summary: Vec<_> = written
        .interactions
        .iter()
        .map(|i| {
            let states: Vec<_> = i.provider_states.iter().map(|s| s.name.as_str()).collect();
            (i.description.as_str(), states, status_of(i))
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("a", vec![], 200),
            ("a", vec!["x"], 404),
            ("a", vec!["y"], 200),
            ("c", vec![], 200),
        ]
    );
}

#[test]
fn provider_state_parameters_tell_interactions_apart() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ContractWriter::new().with_dir(dir.path());
    let with_id = |id: i64| {
        let mut interaction = http("get", None, 200);
        let mut state = ProviderState::new("order exists");
        state.params.insert("id".into(), json!(id));
        interaction.provider_states.push(state);
        interaction
    };
    writer.write(&contract(vec![with_id(1)])).unwrap();
    let path = writer
        .write(&contract(vec![with_id(2), with_id(1)]))
        .unwrap();
    assert_eq!(read(&path).interactions.len(), 2);
}

#[test]
fn writes_v3_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ContractWriter::new()
        .with_dir(dir.path())
        .with_version(SpecVersion::V3);
    let path = writer.write(&contract(vec![http("a", None, 200)])).unwrap();
    let written = read(&path);
    assert_eq!(written.spec_version, SpecVersion::V3);
    assert_eq!(written.interactions.len(), 1);
    let mixed = contract(vec![
        http("a", None, 200),
        Interaction::async_message("event", Message::default()),
    ]);
    assert!(matches!(
        writer.write(&mixed),
        Err(WriteContractError::Format(_))
    ));
}

#[test]
fn refuses_to_merge_into_a_broken_or_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ContractWriter::new().with_dir(dir.path());
    let path = writer.path_for(&contract(vec![]));
    fs::write(&path, "{ not json").unwrap();
    let error = writer
        .write(&contract(vec![http("a", None, 200)]))
        .unwrap_err();
    assert!(matches!(error, WriteContractError::Existing(_)), "{error}");
    assert!(
        error.to_string().contains("web-app-orders-api.json"),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ not json");

    let mut foreign = contract(vec![]);
    foreign.consumer.name = "web/app".into();
    let foreign_writer = ContractWriter::new().with_dir(dir.path());
    let foreign_path = foreign_writer.write(&foreign).unwrap();
    assert_eq!(foreign_path, dir.path().join("web_app-orders-api.json"));
    let mut other = contract(vec![]);
    other.consumer.name = "web_app".into();
    let error = writer.write(&other).unwrap_err();
    assert!(
        matches!(error, WriteContractError::OtherParties { .. }),
        "{error}"
    );
}

#[test]
fn parallel_threads_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let writer = Arc::new(ContractWriter::new().with_dir(dir.path()));
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let writer = Arc::clone(&writer);
            std::thread::spawn(move || {
                for n in 0..50 {
                    let description = format!("thread {thread} interaction {n:02}");
                    writer
                        .write(&contract(vec![http(&description, None, 200)]))
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let written = read(&writer.path_for(&contract(vec![])));
    assert_eq!(written.interactions.len(), 400);
    let mut descriptions: Vec<_> = written
        .interactions
        .iter()
        .map(|i| i.description.clone())
        .collect();
    let in_file_order = descriptions.clone();
    descriptions.sort();
    descriptions.dedup();
    assert_eq!(descriptions.len(), 400);
    assert_eq!(in_file_order, descriptions, "interactions are sorted");
}
