//! Recording deployments and releases of versions to environments, listing what is currently
//! deployed / supported, and ending them (`PATCH` with `application/merge-patch+json`).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, QueryParams, Segments};
use super::hal::{Base, Hal, link, named};
use crate::domain::names::check_name;
use crate::store::{DeployedVersion, ReleasedVersion, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    const V: &str = "/pacticipants/{pacticipant}/versions/{version}";
    Router::new()
        .route(
            &format!("{V}/deployed-versions/environment/{{environment}}"),
            get(list_for_version_deployed::<S>).post(record_deployment::<S>),
        )
        .route(
            &format!("{V}/released-versions/environment/{{environment}}"),
            get(list_for_version_released::<S>).post(record_release::<S>),
        )
        .route(
            "/deployed-versions/{uuid}",
            get(show_deployed::<S>).patch(patch_deployed::<S>),
        )
        .route(
            "/released-versions/{uuid}",
            get(show_released::<S>).patch(patch_released::<S>),
        )
        .route(
            "/environments/{uuid}/deployed-versions/currently-deployed",
            get(currently_deployed::<S>),
        )
        .route(
            "/environments/{uuid}/released-versions/currently-supported",
            get(currently_supported::<S>),
        )
}

fn embedded(base: &Base, p: &str, v: &str, env_uuid: &str, env_name: &str) -> Value {
    json!({
        "pacticipant": { "name": p, "_links": { "self": link(base.pacticipant(p)) } },
        "version": { "number": v, "_links": { "self": named(base.version(p, v), v, "Version") } },
        "environment": { "uuid": env_uuid, "name": env_name, "_links": { "self": named(base.environment(env_uuid), env_name, "Environment") } },
    })
}

fn deployed_json(base: &Base, d: &DeployedVersion) -> Value {
    json!({
        "uuid": d.uuid,
        "currentlyDeployed": d.currently_deployed(),
        "applicationInstance": d.application_instance,
        "target": d.application_instance,
        "createdAt": d.created_at,
        "undeployedAt": d.undeployed_at,
        "_embedded": embedded(base, &d.pacticipant_name, &d.version_number, &d.environment_uuid, &d.environment_name),
        "_links": {
            "self": named(base.deployed_version(&d.uuid), &d.uuid, "Deployed version"),
            "pb:version": named(base.version(&d.pacticipant_name, &d.version_number), &d.version_number, "Version"),
            "pb:environment": named(base.environment(&d.environment_uuid), &d.environment_name, "Environment"),
        }
    })
}

fn released_json(base: &Base, r: &ReleasedVersion) -> Value {
    json!({
        "uuid": r.uuid,
        "currentlySupported": r.currently_supported(),
        "createdAt": r.created_at,
        "supportEndedAt": r.support_ended_at,
        "_embedded": embedded(base, &r.pacticipant_name, &r.version_number, &r.environment_uuid, &r.environment_name),
        "_links": {
            "self": named(base.released_version(&r.uuid), &r.uuid, "Released version"),
            "pb:version": named(base.version(&r.pacticipant_name, &r.version_number), &r.version_number, "Version"),
            "pb:environment": named(base.environment(&r.environment_uuid), &r.environment_name, "Environment"),
        }
    })
}

/// The application instance of a record-deployment body (`target` is its old name).
fn application_instance(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let value = body
        .get("applicationInstance")
        .filter(|v| !v.is_null())
        .or_else(|| body.get("target").filter(|v| !v.is_null()));
    match value {
        None => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => {
            check_name(s).map_err(|problem| ApiError::invalid("applicationInstance", problem))?;
            Ok(Some(s.clone()))
        }
        Some(_) => Err(ApiError::invalid("applicationInstance", "must be a string")),
    }
}

async fn record_deployment<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, env)): Segments<(String, String, String)>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let instance = application_instance(&body)?;
    let recorded = state
        .store
        .record_deployment(&p, &v, &env, instance.as_deref())
        .await?;
    Ok(Hal::created_or_ok(true, deployed_json(&base, &recorded)))
}

async fn record_release<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, env)): Segments<(String, String, String)>,
    JsonBody(_body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let recorded = state.store.record_release(&p, &v, &env).await?;
    Ok(Hal::created_or_ok(true, released_json(&base, &recorded)))
}

async fn list_for_version_deployed<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, env)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    state.store.version(&p, &v).await?;
    let all = state.store.deployed_versions(&env, Some(&p), false).await?;
    let mine: Vec<Value> = all
        .iter()
        .filter(|d| d.version_number == v)
        .map(|d| deployed_json(&base, d))
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": { "deployedVersions": mine },
        "_links": { "self": link(base.record_deployment(&p, &v, &env)) }
    })))
}

async fn list_for_version_released<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, env)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    state.store.version(&p, &v).await?;
    let all = state.store.released_versions(&env, Some(&p), false).await?;
    let mine: Vec<Value> = all
        .iter()
        .filter(|r| r.version_number == v)
        .map(|r| released_json(&base, r))
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": { "releasedVersions": mine },
        "_links": { "self": link(base.record_release(&p, &v, &env)) }
    })))
}

async fn show_deployed<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
) -> Result<Hal, ApiError> {
    Ok(Hal::ok(deployed_json(
        &base,
        &state.store.deployed_version(&uuid).await?,
    )))
}

async fn show_released<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
) -> Result<Hal, ApiError> {
    Ok(Hal::ok(released_json(
        &base,
        &state.store.released_version(&uuid).await?,
    )))
}

/// Reads the boolean `field` of a merge-patch body: absent = no change, `true` is refused
/// (a record cannot be revived; record a new deployment/release instead).
fn ending(body: &Map<String, Value>, field: &str) -> Result<bool, ApiError> {
    match body.get(field) {
        None => Ok(false),
        Some(Value::Bool(false)) => Ok(true),
        Some(Value::Bool(true)) => Err(ApiError::Unprocessable(
            field.to_owned(),
            "can only be set to false; record a new deployment or release instead".to_owned(),
        )),
        Some(_) => Err(ApiError::invalid(field, "must be false")),
    }
}

async fn patch_deployed<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let record = if ending(&body, "currentlyDeployed")? {
        state.store.undeploy(&uuid).await?
    } else {
        state.store.deployed_version(&uuid).await?
    };
    Ok(Hal::ok(deployed_json(&base, &record)))
}

async fn patch_released<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let record = if ending(&body, "currentlySupported")? {
        state.store.end_support(&uuid).await?
    } else {
        state.store.released_version(&uuid).await?
    };
    Ok(Hal::ok(released_json(&base, &record)))
}

#[derive(Debug, Deserialize)]
struct PacticipantFilter {
    pacticipant: Option<String>,
}

async fn currently_deployed<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
    QueryParams(filter): QueryParams<PacticipantFilter>,
) -> Result<Hal, ApiError> {
    let rows = state
        .store
        .deployed_versions(&uuid, filter.pacticipant.as_deref(), true)
        .await?;
    Ok(Hal::ok(json!({
        "_embedded": { "deployedVersions": rows.iter().map(|d| deployed_json(&base, d)).collect::<Vec<_>>() },
        "_links": { "self": link(base.currently_deployed(&uuid)), "pb:environment": link(base.environment(&uuid)) }
    })))
}

async fn currently_supported<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
    QueryParams(filter): QueryParams<PacticipantFilter>,
) -> Result<Hal, ApiError> {
    let rows = state
        .store
        .released_versions(&uuid, filter.pacticipant.as_deref(), true)
        .await?;
    Ok(Hal::ok(json!({
        "_embedded": { "releasedVersions": rows.iter().map(|r| released_json(&base, r)).collect::<Vec<_>>() },
        "_links": { "self": link(base.currently_supported(&uuid)), "pb:environment": link(base.environment(&uuid)) }
    })))
}
