//! Verification results: published against contract content (the pact version SHA), so every
//! consumer version with the same content shares them.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, Segments};
use super::hal::{Base, Hal, named};
use super::metadata::PactMetadata;
use super::pacticipants::check_text;
use crate::domain::names::check_name;
use crate::store::{NewVerification, PactSelector, Store, Verification};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    const SHA: &str = "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}";
    Router::new()
        .route(&format!("{SHA}/verification-results"), post(publish::<S>))
        .route(
            &format!("{SHA}/metadata/{{metadata}}/verification-results"),
            post(publish_with_metadata::<S>),
        )
        .route(
            &format!("{SHA}/verification-results/latest"),
            get(latest::<S>),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{version}/verification-results/latest",
            get(latest_for_consumer_version::<S>),
        )
        .route(
            &format!("{SHA}/verification-results/{{number}}"),
            get(by_number::<S>),
        )
}

fn verification_json(base: &Base, v: &Verification) -> Value {
    let parse = |text: &Option<String>| -> Value {
        text.as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null)
    };
    let (p, c) = (&v.provider_name, &v.consumer_name);
    json!({
        "providerName": p,
        "consumerName": c,
        "providerApplicationVersion": v.provider_version_number,
        "success": v.success,
        "verificationDate": v.created_at,
        "buildUrl": v.build_url,
        "testResults": parse(&v.test_results),
        "verifiedBy": parse(&v.verified_by),
        "_links": {
            "self": named(base.verification(p, c, &v.sha, v.number), &format!("Verification result {}", v.number), "Verification result"),
            "pb:pact-version": named(base.pact_sha(p, c, &v.sha), &v.sha, "Pact"),
            "pb:provider-version": named(base.version(p, &v.provider_version_number), &v.provider_version_number, "Provider version"),
        }
    })
}

/// Validates a verification result body, naming every bad field.
fn validate(body: &Map<String, Value>, wip: bool) -> Result<NewVerification, ApiError> {
    let mut errors = Vec::new();
    let success = match body.get("success") {
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            errors.push(("success".into(), "must be true or false".into()));
            None
        }
        None => {
            errors.push(("success".into(), "is required".into()));
            None
        }
    };
    let version = match body.get("providerApplicationVersion") {
        Some(Value::String(v)) => match check_name(v) {
            Ok(()) => Some(v.clone()),
            Err(problem) => {
                errors.push(("providerApplicationVersion".into(), problem));
                None
            }
        },
        Some(_) => {
            errors.push((
                "providerApplicationVersion".into(),
                "must be a string".into(),
            ));
            None
        }
        None => {
            errors.push(("providerApplicationVersion".into(), "is required".into()));
            None
        }
    };
    let build_url = match body.get("buildUrl") {
        None | Some(Value::Null) => None,
        Some(Value::String(url)) => {
            check_text(&mut errors, "buildUrl", Some(url));
            Some(url.clone())
        }
        Some(_) => {
            errors.push(("buildUrl".into(), "must be a string".into()));
            None
        }
    };
    let json_text = |key: &str| body.get(key).filter(|v| !v.is_null()).map(Value::to_string);
    match (success, version, errors.is_empty()) {
        (Some(success), Some(provider_version), true) => Ok(NewVerification {
            provider_version,
            success,
            build_url,
            test_results: json_text("testResults"),
            verified_by: json_text("verifiedBy"),
            wip,
        }),
        _ => Err(ApiError::Invalid(errors)),
    }
}

async fn record<S: Store>(
    state: &AppState<S>,
    base: &Base,
    (p, c, sha): (&str, &str, &str),
    body: &Map<String, Value>,
    wip: bool,
) -> Result<Hal, ApiError> {
    let verification = validate(body, wip)?;
    let stored = state
        .store
        .publish_verification(p, c, sha, verification)
        .await?;
    Ok(Hal::created_or_ok(true, verification_json(base, &stored)))
}

async fn publish<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha)): Segments<(String, String, String)>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    record(&state, &base, (&p, &c, &sha), &body, false).await
}

async fn publish_with_metadata<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha, metadata)): Segments<(String, String, String, String)>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let wip = PactMetadata::decode(&metadata).wip;
    record(&state, &base, (&p, &c, &sha), &body, wip).await
}

async fn latest<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let found = state.store.verification(&p, &c, &sha, None).await?;
    Ok(Hal::ok(verification_json(&base, &found)))
}

async fn by_number<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha, number)): Segments<(String, String, String, String)>,
) -> Result<Hal, ApiError> {
    let number: i64 = number
        .parse()
        .map_err(|_| ApiError::invalid("number", "must be a verification number or \"latest\""))?;
    let found = state.store.verification(&p, &c, &sha, Some(number)).await?;
    Ok(Hal::ok(verification_json(&base, &found)))
}

/// The latest verification of the content a consumer version published.
async fn latest_for_consumer_version<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, v)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let (pact, _) = state.store.pact(&p, &c, PactSelector::Version(v)).await?;
    let found = state.store.verification(&p, &c, &pact.sha, None).await?;
    Ok(Hal::ok(verification_json(&base, &found)))
}
