//! The standalone mock provider (`accord mock`): the same session as the in-process
//! [`super::MockProvider`], served on a chosen address for consumers written in any
//! language, driven through a JSON control API under [`CONTROL_PREFIX`].

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use accord_contracts_format::{Contract, InteractionKind, contract_from_value, to_json};

use super::journal::MockReport;
use super::server::{Shared, handle};
use super::session::Session;
use crate::error::MockServerError;
use crate::http::json_response;
use crate::writer::ContractWriter;

/// The path prefix of the control API; the consumer's own requests must not use it.
pub const CONTROL_PREFIX: &str = "/__accord";

/// A standalone mock provider: register interactions, let the consumer send its requests,
/// verify, write the contract, reset, and start again.
///
/// Cloning gives another handle on the same session. See `consumer/MOCK_STUB.md` for the
/// control API.
#[derive(Debug, Clone)]
pub struct MockServer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    shared: Arc<Shared>,
    expected: Mutex<Expected>,
}

/// What the session expects, as contract interactions (the writer's input).
#[derive(Debug)]
struct Expected {
    /// The session's consumer and provider names, when known.
    parties: Option<(String, String)>,
    /// True when the names were given at start: contracts between others are accepted
    /// and written under these names.
    fixed: bool,
    contract: Contract,
    writer: ContractWriter,
}

impl Default for MockServer {
    fn default() -> Self {
        Self::new()
    }
}

impl MockServer {
    /// An empty session writing with [`ContractWriter::new`].
    pub fn new() -> Self {
        MockServer {
            inner: Arc::new(Inner {
                shared: Arc::new(Shared {
                    session: Mutex::new(Session::new("")),
                }),
                expected: Mutex::new(Expected {
                    parties: None,
                    fixed: false,
                    contract: Contract::new("", ""),
                    writer: ContractWriter::new(),
                }),
            }),
        }
    }

    /// Names the consumer and provider the contract is written for; registered contracts
    /// may then be between any parties.
    pub fn with_parties(self, consumer: &str, provider: &str) -> Self {
        {
            let mut expected = self.expected();
            expected.parties = Some((consumer.to_owned(), provider.to_owned()));
            expected.fixed = true;
        }
        self
    }

    /// Writes contracts with `writer` (its folder and specification version).
    pub fn with_writer(self, writer: ContractWriter) -> Self {
        self.expected().writer = writer;
        self
    }

    /// Expects the HTTP interactions of `contract` (messages are ignored); returns how many
    /// were added. Without names given at start, the first contract names the parties and
    /// later ones must agree.
    pub fn add_contract(&self, contract: &Contract) -> Result<usize, MockServerError> {
        self.add(contract, true)
    }

    /// Expects the interactions in `value`: one interaction object (V4, or V2/V3 when it has
    /// no `type`), an array of them, or a whole contract. Returns how many were added.
    pub fn add_json(&self, value: Value) -> Result<usize, MockServerError> {
        match value {
            Value::Object(mut map) if map.contains_key("interactions") => {
                let named = ["consumer", "provider"]
                    .iter()
                    .all(|party| map.get(*party).and_then(|p| p.get("name")).is_some());
                for party in ["consumer", "provider"] {
                    map.entry(party).or_insert_with(|| json!({ "name": "" }));
                }
                let contract = contract_from_value(Value::Object(map))?;
                self.add(&contract, named)
            }
            Value::Object(_) => self.add(&wrap(vec![value])?, false),
            Value::Array(items) if items.iter().all(Value::is_object) => {
                self.add(&wrap(items)?, false)
            }
            _ => Err(MockServerError::Shape),
        }
    }

    /// Adds the HTTP interactions of `contract`; `named` says whether its parties count.
    fn add(&self, contract: &Contract, named: bool) -> Result<usize, MockServerError> {
        let mut expected = self.expected();
        if named && !expected.fixed {
            let parties = (
                contract.consumer.name.clone(),
                contract.provider.name.clone(),
            );
            match &expected.parties {
                None => expected.parties = Some(parties),
                Some((consumer, provider)) if (consumer, provider) != (&parties.0, &parties.1) => {
                    return Err(MockServerError::OtherParties {
                        consumer: parties.0,
                        provider: parties.1,
                        expected_consumer: consumer.clone(),
                        expected_provider: provider.clone(),
                    });
                }
                Some(_) => {}
            }
        }
        let mut session = self.inner.shared.lock();
        let mut added = 0;
        for interaction in &contract.interactions {
            if !matches!(interaction.kind, InteractionKind::Http { .. }) {
                continue;
            }
            let key = expected.contract.interactions.len();
            session.expect(key, interaction, contract.spec_version);
            expected.contract.interactions.push(interaction.clone());
            added += 1;
        }
        Ok(added)
    }

    /// The report of the session so far: expected interactions not received, unexpected
    /// requests, mismatched requests.
    pub fn report(&self) -> MockReport {
        self.inner.shared.lock().report()
    }

    /// The expected interactions as a V4 contract document.
    pub fn contract_json(&self) -> Value {
        let expected = self.expected();
        let mut contract = expected.contract.clone();
        if let Some((consumer, provider)) = &expected.parties {
            contract.consumer.name.clone_from(consumer);
            contract.provider.name.clone_from(provider);
        }
        to_json(&contract, accord_contracts_format::SpecVersion::V4)
            .unwrap_or_else(|error| json!({ "error": error.to_string() }))
    }

    /// Checks the session and, when it went as expected, merges the interactions into the
    /// contract file; returns the file.
    pub fn write(&self) -> Result<PathBuf, MockServerError> {
        let report = self.report();
        if !report.is_empty() {
            return Err(MockServerError::Failed(report));
        }
        let expected = self.expected();
        let Some((consumer, provider)) = &expected.parties else {
            return Err(MockServerError::NoParties);
        };
        let mut contract = expected.contract.clone();
        contract.consumer.name.clone_from(consumer);
        contract.provider.name.clone_from(provider);
        Ok(expected.writer.write(&contract)?)
    }

    /// Forgets every interaction and everything received (names given at start stay).
    pub fn reset(&self) {
        let mut expected = self.expected();
        expected.contract.interactions.clear();
        if !expected.fixed {
            expected.parties = None;
        }
        self.inner.shared.lock().clear();
    }

    /// The HTTP application: the control API under [`CONTROL_PREFIX`], the mock provider
    /// everywhere else. `url` is the server's base URL, for `MockServerURL` generators.
    pub fn router(&self, url: &str) -> Router {
        self.inner.shared.lock().set_url(url);
        let control = Router::new()
            .route("/health", get(|| async { Json(json!({ "status": "ok" })) }))
            .route(
                "/interactions",
                post(register).get(list).delete(reset).put(replace),
            )
            .route("/verify", get(verify).post(verify))
            .route("/write", post(write))
            .route("/reset", post(reset))
            .with_state(self.clone());
        let traffic = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&self.inner.shared));
        Router::new().nest(CONTROL_PREFIX, control).merge(traffic)
    }

    /// Serves on `listener` until `shutdown` completes.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let url = format!("http://{}", listener.local_addr()?);
        let app = self.router(&url);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    fn expected(&self) -> std::sync::MutexGuard<'_, Expected> {
        self.inner
            .expected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A V4 contract (V3 when the interactions have no `type`) holding `interactions`.
fn wrap(interactions: Vec<Value>) -> Result<Contract, MockServerError> {
    let v4 = interactions.iter().any(|i| i.get("type").is_some());
    let version = if v4 { "4.0" } else { "3.0.0" };
    Ok(contract_from_value(json!({
        "consumer": { "name": "" },
        "provider": { "name": "" },
        "interactions": interactions,
        "metadata": { "pactSpecification": { "version": version } },
    }))?)
}

async fn register(State(mock): State<MockServer>, request: Request) -> Response {
    match read_json(request).await {
        Ok(value) => match mock.add_json(value) {
            Ok(added) => json_response(StatusCode::CREATED, &json!({ "added": added })),
            Err(error) => error_response(&error),
        },
        Err(response) => response,
    }
}

async fn replace(State(mock): State<MockServer>, request: Request) -> Response {
    match read_json(request).await {
        Ok(value) => {
            mock.reset();
            match mock.add_json(value) {
                Ok(added) => json_response(StatusCode::OK, &json!({ "added": added })),
                Err(error) => error_response(&error),
            }
        }
        Err(response) => response,
    }
}

async fn list(State(mock): State<MockServer>) -> Response {
    json_response(StatusCode::OK, &mock.contract_json())
}

async fn verify(State(mock): State<MockServer>) -> Response {
    let report = mock.report();
    let status = if report.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    json_response(status, &report.to_json())
}

async fn write(State(mock): State<MockServer>) -> Response {
    match mock.write() {
        Ok(path) => json_response(
            StatusCode::OK,
            &json!({ "ok": true, "path": path.display().to_string() }),
        ),
        Err(error) => error_response(&error),
    }
}

async fn reset(State(mock): State<MockServer>) -> Response {
    mock.reset();
    json_response(StatusCode::OK, &json!({ "ok": true }))
}

async fn read_json(request: Request) -> Result<Value, Response> {
    let bytes = axum::body::to_bytes(request.into_body(), crate::http::BODY_LIMIT)
        .await
        .map_err(|error| {
            json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &json!({ "errors": [{ "field": "body", "message": error.to_string() }] }),
            )
        })?;
    serde_json::from_slice(&bytes).map_err(|error| {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "errors": [{ "field": "body", "message": format!("not JSON: {error}") }] }),
        )
    })
}

fn error_response(error: &MockServerError) -> Response {
    match error {
        MockServerError::Failed(report) => {
            let mut body = report.to_json();
            body["error"] = json!("the session did not go as expected; nothing was written");
            json_response(StatusCode::UNPROCESSABLE_ENTITY, &body)
        }
        MockServerError::Write(_) => {
            tracing::error!(%error, "writing the contract failed");
            json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({ "errors": [{ "field": "contract", "message": error.to_string() }] }),
            )
        }
        MockServerError::NoParties => json_response(
            StatusCode::CONFLICT,
            &json!({ "errors": [{ "field": "consumer", "message": error.to_string() }] }),
        ),
        _ => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "errors": [{ "field": "body", "message": error.to_string() }] }),
        ),
    }
}
