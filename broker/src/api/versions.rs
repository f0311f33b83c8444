//! Pacticipant versions, their tags and branches.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, Segments};
use super::hal::{Base, Hal, link, named, templated};
use super::pacticipants::{check_text, path_name};
use crate::domain::names::check_name;
use crate::store::{Branch, BranchVersion, Environment, Store, Tag, Version, VersionDetail};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/pacticipants/{pacticipant}/versions", get(list::<S>))
        .route(
            "/pacticipants/{pacticipant}/versions/{version}",
            get(show::<S>)
                .put(put::<S>)
                .patch(put::<S>)
                .delete(delete::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version",
            get(latest::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}",
            get(latest_tagged::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            get(show_tag::<S>).put(put_tag::<S>).delete(delete_tag::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/branches",
            get(list_branches::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}",
            get(show_branch::<S>).delete(delete_branch::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/versions",
            get(branch_versions::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version",
            get(branch_latest::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            get(show_branch_version::<S>)
                .put(put_branch_version::<S>)
                .delete(delete_branch_version::<S>),
        )
}

/// A version in a list: number, build URL and self link.
pub(crate) fn version_summary_json(base: &Base, v: &Version) -> Value {
    json!({
        "number": v.number,
        "buildUrl": v.build_url,
        "createdAt": v.created_at,
        "_links": {
            "self": named(base.version(&v.pacticipant_name, &v.number), &v.number, "Version"),
            "pb:pacticipant": named(base.pacticipant(&v.pacticipant_name), &v.pacticipant_name, "Pacticipant"),
        }
    })
}

fn tag_json(base: &Base, t: &Tag) -> Value {
    json!({
        "name": t.name,
        "createdAt": t.created_at,
        "_links": {
            "self": named(base.tag(&t.pacticipant_name, &t.version_number, &t.name), &t.name, "Tag"),
            "pb:version": named(base.version(&t.pacticipant_name, &t.version_number), &t.version_number, "Version"),
            "pb:pacticipant": named(base.pacticipant(&t.pacticipant_name), &t.pacticipant_name, "Pacticipant"),
        }
    })
}

fn branch_version_json(base: &Base, bv: &BranchVersion) -> Value {
    json!({
        "name": bv.branch_name,
        "number": bv.version_number,
        "createdAt": bv.created_at,
        "_links": {
            "self": link(base.branch_version(&bv.pacticipant_name, &bv.branch_name, &bv.version_number)),
            "pb:branch": named(base.branch(&bv.pacticipant_name, &bv.branch_name), &bv.branch_name, "Branch"),
            "pb:version": named(base.version(&bv.pacticipant_name, &bv.version_number), &bv.version_number, "Version"),
        }
    })
}

fn branch_json(base: &Base, b: &Branch) -> Value {
    json!({
        "name": b.name,
        "createdAt": b.created_at,
        "_links": {
            "self": named(base.branch(&b.pacticipant_name, &b.name), &b.name, "Branch"),
            "pb:pacticipant": named(base.pacticipant(&b.pacticipant_name), &b.pacticipant_name, "Pacticipant"),
            "pb:versions": link(base.branch_versions(&b.pacticipant_name, &b.name)),
            "pb:latest-version": link(format!("{}/latest-version", base.branch(&b.pacticipant_name, &b.name))),
        }
    })
}

/// The version resource, with `pb:record-deployment` / `pb:record-release` links for every
/// environment (clients pick the one whose `name` is the environment they target).
pub(crate) fn version_json(base: &Base, d: &VersionDetail, environments: &[Environment]) -> Value {
    let p = &d.version.pacticipant_name;
    let n = &d.version.number;
    let per_env = |rel: fn(&Base, &str, &str, &str) -> String, title: &str| -> Vec<Value> {
        environments
            .iter()
            .map(|e| {
                named(
                    rel(base, p, n, &e.uuid),
                    &e.name,
                    &format!(
                        "{title} {n} to {}",
                        e.display_name.as_deref().unwrap_or(&e.name)
                    ),
                )
            })
            .collect()
    };
    let deployed: Vec<Value> = d
        .deployments
        .iter()
        .map(|dv| {
            json!({
                "href": base.deployed_version(&dv.uuid),
                "name": dv.environment_name,
                "title": format!("Version {n} deployed to {}", dv.environment_name),
                "currentlyDeployed": dv.currently_deployed(),
                "applicationInstance": dv.application_instance,
            })
        })
        .collect();
    let released: Vec<Value> = d
        .releases
        .iter()
        .map(|rv| {
            json!({
                "href": base.released_version(&rv.uuid),
                "name": rv.environment_name,
                "title": format!("Version {n} released to {}", rv.environment_name),
                "currentlySupported": rv.currently_supported(),
            })
        })
        .collect();
    let branches: Vec<Value> = d
        .branches
        .iter()
        .map(|b| branch_version_json(base, b))
        .collect();
    json!({
        "number": n,
        "buildUrl": d.version.build_url,
        "createdAt": d.version.created_at,
        "updatedAt": d.version.updated_at,
        "_embedded": {
            "pacticipant": { "name": p, "_links": { "self": link(base.pacticipant(p)) } },
            "branchVersions": branches,
            "branches": d.branches.iter().map(|b| json!({ "name": b.branch_name })).collect::<Vec<_>>(),
            "tags": d.tags.iter().map(|t| tag_json(base, t)).collect::<Vec<_>>(),
        },
        "_links": {
            "self": named(base.version(p, n), n, "Version"),
            "pb:pacticipant": named(base.pacticipant(p), p, "Pacticipant"),
            "pb:tag": templated(format!("{}/tags/{{tag}}", base.version(p, n))),
            "pb:deployed-environments": deployed,
            "pb:released-environments": released,
            "pb:record-deployment": per_env(Base::record_deployment, "Record deployment of"),
            "pb:record-release": per_env(Base::record_release, "Record release of"),
        }
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionBody {
    branch: Option<String>,
    build_url: Option<String>,
}

async fn list<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(p): Segments<String>,
) -> Result<Hal, ApiError> {
    let versions = state.store.versions(&p).await?;
    Ok(Hal::ok(json!({
        "_embedded": { "versions": versions.iter().map(|v| version_summary_json(&base, v)).collect::<Vec<_>>() },
        "_links": { "self": link(base.versions(&p)), "pb:pacticipant": named(base.pacticipant(&p), &p, "Pacticipant") }
    })))
}

async fn show<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let detail = state.store.version(&p, &v).await?;
    let environments = state.store.environments().await?;
    Ok(Hal::ok(version_json(&base, &detail, &environments)))
}

async fn put<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v)): Segments<(String, String)>,
    JsonBody(body): JsonBody<VersionBody>,
) -> Result<Hal, ApiError> {
    let mut errors = Vec::new();
    for (field, value) in [
        ("pacticipant", Some(p.as_str())),
        ("version", Some(v.as_str())),
        ("branch", body.branch.as_deref()),
    ] {
        if let Some(Err(problem)) = value.map(check_name) {
            errors.push((field.to_owned(), problem));
        }
    }
    check_text(&mut errors, "buildUrl", body.build_url.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let (detail, created) = state
        .store
        .put_version(&p, &v, body.branch.as_deref(), body.build_url.as_deref())
        .await?;
    let environments = state.store.environments().await?;
    Ok(Hal::created_or_ok(
        created,
        version_json(&base, &detail, &environments),
    ))
}

async fn delete<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    state.store.delete_version(&p, &v).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:pacticipant": link(base.pacticipant(&p)) } }),
    ))
}

async fn latest<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(p): Segments<String>,
) -> Result<Hal, ApiError> {
    let detail = state.store.latest_version(&p, None).await?;
    let environments = state.store.environments().await?;
    Ok(Hal::ok(version_json(&base, &detail, &environments)))
}

async fn latest_tagged<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, tag)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let detail = state.store.latest_version(&p, Some(&tag)).await?;
    let environments = state.store.environments().await?;
    Ok(Hal::ok(version_json(&base, &detail, &environments)))
}

async fn show_tag<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, t)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let tag = state.store.tag(&p, &v, &t).await?;
    Ok(Hal::ok(tag_json(&base, &tag)))
}

async fn put_tag<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, t)): Segments<(String, String, String)>,
    JsonBody(_body): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Hal, ApiError> {
    path_name("pacticipant", &p)?;
    path_name("version", &v)?;
    path_name("tag", &t)?;
    let (tag, created) = state.store.put_tag(&p, &v, &t).await?;
    Ok(Hal::created_or_ok(created, tag_json(&base, &tag)))
}

async fn delete_tag<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, v, t)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    state.store.delete_tag(&p, &v, &t).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:version": link(base.version(&p, &v)) } }),
    ))
}

async fn list_branches<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments(p): Segments<String>,
) -> Result<Hal, ApiError> {
    let branches = state.store.branches(&p).await?;
    Ok(Hal::ok(json!({
        "_embedded": { "branches": branches.iter().map(|b| branch_json(&base, b)).collect::<Vec<_>>() },
        "_links": { "self": link(base.branches(&p)), "pb:pacticipant": link(base.pacticipant(&p)) }
    })))
}

async fn show_branch<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let branch = state.store.branch(&p, &b).await?;
    Ok(Hal::ok(branch_json(&base, &branch)))
}

async fn delete_branch<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    state.store.delete_branch(&p, &b).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:branches": link(base.branches(&p)) } }),
    ))
}

async fn branch_versions<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let versions = state.store.branch_versions(&p, &b).await?;
    Ok(Hal::ok(json!({
        "_embedded": { "versions": versions.iter().map(|v| version_summary_json(&base, v)).collect::<Vec<_>>() },
        "_links": { "self": link(base.branch_versions(&p, &b)), "pb:branch": link(base.branch(&p, &b)) }
    })))
}

async fn branch_latest<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let versions = state.store.branch_versions(&p, &b).await?;
    let newest = versions
        .first()
        .ok_or_else(|| ApiError::NotFound(format!("a version on branch \"{b}\" of \"{p}\"")))?;
    let detail = state.store.version(&p, &newest.number).await?;
    let environments = state.store.environments().await?;
    Ok(Hal::ok(version_json(&base, &detail, &environments)))
}

async fn show_branch_version<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b, v)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let bv = state.store.branch_version(&p, &b, &v).await?;
    Ok(Hal::ok(branch_version_json(&base, &bv)))
}

async fn put_branch_version<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b, v)): Segments<(String, String, String)>,
    JsonBody(_body): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Hal, ApiError> {
    path_name("pacticipant", &p)?;
    path_name("branch", &b)?;
    path_name("version", &v)?;
    let (bv, created) = state.store.put_branch_version(&p, &b, &v).await?;
    Ok(Hal::created_or_ok(created, branch_version_json(&base, &bv)))
}

async fn delete_branch_version<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, b, v)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    state.store.delete_branch_version(&p, &b, &v).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:branch": link(base.branch(&p, &b)) } }),
    ))
}
