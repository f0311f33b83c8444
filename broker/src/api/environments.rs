//! `/environments`: where versions are deployed or released (`test` and `production` exist
//! from the start).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, Segments};
use super::hal::{Base, Hal, link, named};
use super::pacticipants::check_text;
use crate::domain::names::check_environment_name;
use crate::store::{Environment, EnvironmentFields, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/environments", get(list::<S>).post(create::<S>))
        .route(
            "/environments/{uuid}",
            get(show::<S>).put(update::<S>).delete(delete::<S>),
        )
}

/// The environment resource.
pub(crate) fn environment_json(base: &Base, e: &Environment) -> Value {
    let contacts: Value = e
        .contacts
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(json!([]));
    json!({
        "uuid": e.uuid,
        "name": e.name,
        "displayName": e.display_name,
        "production": e.production,
        "contacts": contacts,
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "_links": {
            "self": named(base.environment(&e.uuid), &e.name, "Environment"),
            "pb:currently-deployed-deployed-versions": named(base.currently_deployed(&e.uuid), &e.name, "Versions currently deployed to this environment"),
            "pb:currently-supported-released-versions": named(base.currently_supported(&e.uuid), &e.name, "Versions released and supported in this environment"),
            "pb:environments": link(base.environments()),
        }
    })
}

/// Validates a create/update body, naming every bad field.
fn validate(body: &Map<String, Value>) -> Result<EnvironmentFields, ApiError> {
    let mut errors = Vec::new();
    let name = match body.get("name") {
        Some(Value::String(name)) => match check_environment_name(name) {
            Ok(()) => Some(name.clone()),
            Err(problem) => {
                errors.push(("name".into(), problem));
                None
            }
        },
        Some(_) => {
            errors.push(("name".into(), "must be a string".into()));
            None
        }
        None => {
            errors.push(("name".into(), "is required".into()));
            None
        }
    };
    let display_name = match body.get("displayName") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => {
            check_text(&mut errors, "displayName", Some(d));
            Some(d.clone())
        }
        Some(_) => {
            errors.push(("displayName".into(), "must be a string".into()));
            None
        }
    };
    let production = match body.get("production") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(("production".into(), "must be true or false".into()));
            false
        }
    };
    let contacts = match body.get("contacts") {
        None | Some(Value::Null) => None,
        Some(list @ Value::Array(items)) if items.iter().all(Value::is_object) => {
            Some(list.to_string())
        }
        Some(_) => {
            errors.push(("contacts".into(), "must be a list of objects".into()));
            None
        }
    };
    match (name, errors.is_empty()) {
        (Some(name), true) => Ok(EnvironmentFields {
            name,
            display_name,
            production,
            contacts,
        }),
        _ => Err(ApiError::Invalid(errors)),
    }
}

async fn list<S: Store>(State(state): State<AppState<S>>, base: Base) -> Result<Hal, ApiError> {
    let all = state.store.environments().await?;
    Ok(Hal::ok(json!({
        "_embedded": { "environments": all.iter().map(|e| environment_json(&base, e)).collect::<Vec<_>>() },
        "_links": {
            "self": link(base.environments()),
            "pb:environments": all.iter().map(|e| named(base.environment(&e.uuid), &e.name, "Environment")).collect::<Vec<_>>(),
        }
    })))
}

async fn create<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let fields = validate(&body)?;
    let created = state.store.create_environment(fields).await?;
    Ok(Hal::created_or_ok(true, environment_json(&base, &created)))
}

async fn show<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
) -> Result<Hal, ApiError> {
    let found = state.store.environment(&uuid).await?;
    Ok(Hal::ok(environment_json(&base, &found)))
}

async fn update<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let fields = validate(&body)?;
    let updated = state.store.update_environment(&uuid, fields).await?;
    Ok(Hal::ok(environment_json(&base, &updated)))
}

async fn delete<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(uuid): Segments<String>,
) -> Result<Hal, ApiError> {
    state.store.delete_environment(&uuid).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:environments": link(base.environments()) } }),
    ))
}
