//! `/pacticipants` and `/pacticipants/{name}`: list, create, read, update, delete.

use axum::Router;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, Segments};
use super::hal::{Base, Hal, link, named, templated};
use crate::domain::names::check_name;
use crate::store::{Pacticipant, PacticipantFields, Store, UpdateMode};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/pacticipants", get(list::<S>).post(create::<S>))
        .route(
            "/pacticipants/{pacticipant}",
            get(show::<S>)
                .put(replace::<S>)
                .patch(patch::<S>)
                .delete(delete::<S>),
        )
}

/// The pacticipant resource.
pub(crate) fn pacticipant_json(base: &Base, p: &Pacticipant) -> Value {
    json!({
        "name": p.name,
        "displayName": p.display_name,
        "repositoryUrl": p.repository_url,
        "repositoryName": p.repository_name,
        "repositoryNamespace": p.repository_namespace,
        "mainBranch": p.main_branch,
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
        "_links": {
            "self": named(base.pacticipant(&p.name), &p.name, "Pacticipant"),
            "pb:versions": link(base.versions(&p.name)),
            "pb:version": templated(format!("{}/{{version}}", base.versions(&p.name))),
            "pb:version-tag": templated(format!("{}/{{version}}/tags/{{tag}}", base.versions(&p.name))),
            "pb:branches": link(base.branches(&p.name)),
            "pb:branch-version": templated(format!("{}/{{branch}}/versions/{{version}}", base.branches(&p.name))),
            "pb:latest-version": link(base.latest_version(&p.name)),
            "pb:provider-pacts-for-verification": named(base.pacts_for_verification(&p.name), "Pacts to be verified", "Pacts to be verified"),
        }
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PacticipantBody {
    name: Option<String>,
    display_name: Option<String>,
    repository_url: Option<String>,
    repository_name: Option<String>,
    repository_namespace: Option<String>,
    main_branch: Option<String>,
}

/// Longest free-text property accepted.
const MAX_TEXT: usize = 2048;

pub(crate) fn check_text(errors: &mut Vec<(String, String)>, field: &str, value: Option<&str>) {
    if let Some(value) = value {
        if value.chars().count() > MAX_TEXT {
            errors.push((
                field.into(),
                format!("cannot be longer than {MAX_TEXT} characters"),
            ));
        } else if value.chars().any(char::is_control) {
            errors.push((field.into(), "cannot contain control characters".into()));
        }
    }
}

impl PacticipantBody {
    fn fields(self, errors: &mut Vec<(String, String)>) -> PacticipantFields {
        check_text(errors, "displayName", self.display_name.as_deref());
        check_text(errors, "repositoryUrl", self.repository_url.as_deref());
        check_text(errors, "repositoryName", self.repository_name.as_deref());
        check_text(
            errors,
            "repositoryNamespace",
            self.repository_namespace.as_deref(),
        );
        if let Some(Err(problem)) = self.main_branch.as_deref().map(check_name) {
            errors.push(("mainBranch".into(), problem));
        }
        PacticipantFields {
            display_name: self.display_name,
            repository_url: self.repository_url,
            repository_name: self.repository_name,
            repository_namespace: self.repository_namespace,
            main_branch: self.main_branch,
        }
    }
}

/// Checks a name taken from the URL path.
pub(crate) fn path_name(field: &str, value: &str) -> Result<(), ApiError> {
    check_name(value).map_err(|problem| ApiError::invalid(field, problem))
}

async fn list<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
) -> Result<Hal, ApiError> {
    let all = state.store.pacticipants().await?;
    let items: Vec<Value> = all.iter().map(|p| pacticipant_json(&base, p)).collect();
    // Pact's CLI reads the top-level `pacticipants`; HAL clients read `_embedded`.
    Ok(Hal::ok(json!({
        "pacticipants": items,
        "_embedded": { "pacticipants": items },
        "_links": {
            "self": link(base.pacticipants()),
            "pb:pacticipants": all.iter().map(|p| named(base.pacticipant(&p.name), &p.name, "Pacticipant")).collect::<Vec<_>>(),
        }
    })))
}

async fn create<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
    JsonBody(mut body): JsonBody<PacticipantBody>,
) -> Result<Hal, ApiError> {
    let mut errors = Vec::new();
    let name = body.name.take();
    match name.as_deref() {
        None => errors.push(("name".into(), "is required".into())),
        Some(name) => {
            if let Err(problem) = check_name(name) {
                errors.push(("name".into(), problem));
            }
        }
    }
    let fields = body.fields(&mut errors);
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let created = state.store.create_pacticipant(&name, fields).await?;
    Ok(Hal::created_or_ok(true, pacticipant_json(&base, &created)))
}

async fn show<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
    Segments(name): Segments<String>,
) -> Result<Hal, ApiError> {
    let found = state.store.pacticipant(&name).await?;
    Ok(Hal::ok(pacticipant_json(&base, &found)))
}

async fn update<S: Store>(
    state: &AppState<S>,
    base: &Base,
    name: &str,
    body: PacticipantBody,
    mode: UpdateMode,
) -> Result<Hal, ApiError> {
    path_name("pacticipant", name)?;
    let mut errors = Vec::new();
    if body.name.as_deref().is_some_and(|n| n != name) {
        errors.push((
            "name".into(),
            "must match the name in the URL (pacticipants cannot be renamed)".into(),
        ));
    }
    let fields = body.fields(&mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let (updated, created) = state.store.update_pacticipant(name, fields, mode).await?;
    Ok(Hal::created_or_ok(
        created,
        pacticipant_json(base, &updated),
    ))
}

async fn replace<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
    Segments(name): Segments<String>,
    JsonBody(body): JsonBody<PacticipantBody>,
) -> Result<Hal, ApiError> {
    update(&state, &base, &name, body, UpdateMode::Replace).await
}

async fn patch<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
    Segments(name): Segments<String>,
    JsonBody(body): JsonBody<PacticipantBody>,
) -> Result<Hal, ApiError> {
    update(&state, &base, &name, body, UpdateMode::Merge).await
}

async fn delete<S: Store>(
    state: axum::extract::State<AppState<S>>,
    base: Base,
    Segments(name): Segments<String>,
) -> Result<Hal, ApiError> {
    state.store.delete_pacticipant(&name).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:pacticipants": link(base.pacticipants()) } }),
    ))
}
