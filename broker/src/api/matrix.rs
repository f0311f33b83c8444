//! The matrix and can-i-deploy: `GET /matrix` (Pact's nested query parameters),
//! `GET /can-i-deploy`, and the branch variant
//! `GET /pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{env}`.
//!
//! A matrix query with a target (`environment`, `latest` with `tag` or `mainBranch`, or
//! `latest` alone) is a can-i-deploy question and is answered by the domain's
//! [`can_i_deploy`]; without one, the matrix rows of the selected versions are listed with a
//! summary of them. Either way the store loads only what the question reads.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::Segments;
use super::hal::{Base, Hal};
use crate::domain::{
    CanIDeployAnswer, CanIDeployError, CanIDeployQuery, Counts, DeployRow, IgnoreSelector, Index,
    LatestBy, MatrixError, MatrixQuery, MatrixRow, MatrixSelector, RowStatus, SpecifiedVersion,
    Target, Verification, VersionSpec, can_i_deploy, failed_interactions, matrix,
};
use crate::store::load::DataRequest;
use crate::store::{LoadRequest, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/matrix", get(get_matrix::<S>))
        .route("/can-i-deploy", get(get_can_i_deploy::<S>))
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}",
            get(branch_can_i_deploy::<S>),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}",
            get(tag_can_i_deploy::<S>),
        )
}

/// A Rack-style nested query: `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B` gives
/// two `q` entries; a key repeated inside the current entry starts a new one.
#[derive(Debug, Default)]
pub(super) struct NestedQuery {
    pub(super) pairs: Vec<(String, String)>,
}

impl NestedQuery {
    pub(super) fn parse(raw: Option<&str>) -> Self {
        let pairs = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self { pairs }
    }

    /// The last value of a plain key.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key[]` (and of `key`).
    pub(super) fn list(&self, key: &str) -> Vec<&str> {
        let array = format!("{key}[]");
        self.pairs
            .iter()
            .filter(|(k, _)| *k == array || k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The entries of `key[][field]=value`, as lists of (field, value).
    pub(super) fn hashes(&self, key: &str) -> Vec<Vec<(String, String)>> {
        let prefix = format!("{key}[][");
        let mut out: Vec<Vec<(String, String)>> = Vec::new();
        let mut current: Vec<(String, String)> = Vec::new();
        for (k, v) in &self.pairs {
            let Some(field) = k.strip_prefix(&prefix).and_then(|f| f.strip_suffix(']')) else {
                continue;
            };
            if current.iter().any(|(f, _)| f == field) {
                out.push(std::mem::take(&mut current));
            }
            current.push((field.to_owned(), v.clone()));
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }
}

fn field<'h>(hash: &'h [(String, String)], name: &str) -> Option<&'h str> {
    hash.iter()
        .find(|(f, _)| f == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn ignore_selectors(query: &NestedQuery) -> Vec<IgnoreSelector> {
    let mut ignore: Vec<IgnoreSelector> = query
        .hashes("ignore")
        .iter()
        .filter_map(|h| {
            Some(IgnoreSelector {
                pacticipant: field(h, "pacticipant")?.to_owned(),
                version: field(h, "version").map(str::to_owned),
            })
        })
        .collect();
    ignore.extend(
        query
            .list("ignore")
            .into_iter()
            .filter(|name| !name.is_empty())
            .map(|name| IgnoreSelector {
                pacticipant: name.to_owned(),
                version: None,
            }),
    );
    ignore
}

/// Loads what `query` reads and answers it.
async fn answer<S: Store>(
    state: &AppState<S>,
    base: &Base,
    query: CanIDeployQuery,
) -> Result<Value, ApiError> {
    let ignore = query
        .ignore
        .iter()
        .filter_map(|i| Some((i.pacticipant.clone(), i.version.clone()?)))
        .collect();
    let request = LoadRequest(DataRequest::CanIDeploy {
        specified: query.specified.clone(),
        target: query.target.clone(),
        ignore,
    });
    let loaded = state.store.load_broker_data(&request).await?;
    let index = Index::new(&loaded.0);
    let mut answer = can_i_deploy(&index, &query).map_err(|e| match e {
        CanIDeployError::UnknownPacticipant(name) => {
            ApiError::NotFound(format!("pacticipant \"{name}\""))
        }
        CanIDeployError::UnknownEnvironment(name) => ApiError::invalid(
            "environment",
            format!("no environment named \"{name}\" exists"),
        ),
        CanIDeployError::NothingSpecified => {
            ApiError::invalid("q", "at least one pacticipant version is required")
        }
    })?;
    // Only the failed rows' results are read again, for the interactions that failed.
    let failed = answer.failed_verifications();
    if !failed.is_empty() {
        let ids: Vec<i64> = failed.iter().map(|id| id.0).collect();
        let results = state.store.verification_test_results(&ids).await?;
        let by_verification: HashMap<_, _> = failed
            .into_iter()
            .filter_map(|id| {
                let (_, text) = results.iter().find(|(r, _)| *r == id.0)?;
                Some((id, failed_interactions(text)))
            })
            .filter(|(_, interactions)| !interactions.is_empty())
            .collect();
        answer.attach_failed_interactions(&index, &by_verification);
    }
    Ok(answer_json(base, &answer))
}

/// The matrix query string, as Pact's clients send it.
async fn get_matrix<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Hal, ApiError> {
    let query = NestedQuery::parse(raw.as_deref());
    let selectors = query.hashes("q");
    if selectors.is_empty() {
        return Err(ApiError::invalid(
            "q",
            "at least one selector (q[][pacticipant]=...) is required",
        ));
    }
    for (i, s) in selectors.iter().enumerate() {
        if field(s, "pacticipant").is_none() {
            return Err(ApiError::invalid(
                format!("q[{i}].pacticipant"),
                "is required",
            ));
        }
    }
    let latest = truthy(query.get("latest"));
    let target = if let Some(environment) = query.get("environment").filter(|e| !e.is_empty()) {
        Some(Target::Environment(environment.to_owned()))
    } else if let (true, Some(tag)) = (latest, query.get("tag").filter(|t| !t.is_empty())) {
        Some(Target::Tag(tag.to_owned()))
    } else if latest && truthy(query.get("mainBranch")) {
        Some(Target::MainBranch)
    } else if latest {
        Some(Target::Latest)
    } else {
        None
    };
    let specs: Option<Vec<SpecifiedVersion>> = selectors.iter().map(|s| version_spec(s)).collect();
    match (target, specs) {
        (Some(target), Some(specified)) => {
            let query = CanIDeployQuery {
                specified,
                target,
                ignore: ignore_selectors(&query),
            };
            Ok(Hal::ok(with_self(
                answer(&state, &base, query).await?,
                base.matrix(),
            )))
        }
        (None, Some(specified)) if specified.len() > 1 => {
            let query = CanIDeployQuery {
                specified,
                target: Target::SpecifiedOnly,
                ignore: ignore_selectors(&query),
            };
            Ok(Hal::ok(with_self(
                answer(&state, &base, query).await?,
                base.matrix(),
            )))
        }
        _ => {
            let body = matrix_rows(&state, &base, &query, &selectors).await?;
            Ok(Hal::ok(with_self(body, base.matrix())))
        }
    }
}

fn with_self(mut body: Value, href: String) -> Value {
    body["_links"] = json!({ "self": { "href": href } });
    body
}

/// A selector that names one version (number, latest, latest on a branch or with a tag).
fn version_spec(s: &[(String, String)]) -> Option<SpecifiedVersion> {
    let pacticipant = field(s, "pacticipant")?.to_owned();
    let latest = truthy(field(s, "latest"));
    let version = if let Some(number) = field(s, "version") {
        VersionSpec::Number(number.to_owned())
    } else if let Some(branch) = field(s, "branch") {
        VersionSpec::LatestOnBranch(branch.to_owned())
    } else if let (true, Some(tag)) = (latest, field(s, "tag")) {
        VersionSpec::LatestWithTag(tag.to_owned())
    } else if latest && field(s, "tag").is_none() && field(s, "environment").is_none() {
        VersionSpec::Latest
    } else {
        return None;
    };
    Some(SpecifiedVersion {
        pacticipant,
        version,
    })
}

/// Plain matrix rows for selectors that name sets of versions (no target).
async fn matrix_rows<S: Store>(
    state: &AppState<S>,
    base: &Base,
    query: &NestedQuery,
    selectors: &[Vec<(String, String)>],
) -> Result<Value, ApiError> {
    let latestby = match query.get("latestby") {
        None | Some("") => None,
        Some("cvp") => Some(LatestBy::NewestProviderVersion),
        Some("cvpv") => Some(LatestBy::EachProviderVersion),
        Some("cp") => Some(LatestBy::NewestOfIntegration),
        Some(_) => return Err(ApiError::invalid("latestby", "must be cvp, cvpv or cp")),
    };
    let limit = match query.get("limit") {
        None | Some("") => 100,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "must be a number from 1 to 10000"))?,
    };
    let mut success = Vec::new();
    for value in query.list("success") {
        success.push(match value {
            "true" => Some(true),
            "false" => Some(false),
            "" | "null" => None,
            _ => return Err(ApiError::invalid("success", "must be true, false or null")),
        });
    }
    let matrix_query = MatrixQuery {
        selectors: selectors
            .iter()
            .map(|s| MatrixSelector {
                pacticipant: field(s, "pacticipant").unwrap_or_default().to_owned(),
                version: field(s, "version").map(str::to_owned),
                branch: field(s, "branch").map(str::to_owned),
                main_branch: truthy(field(s, "mainBranch")),
                tag: field(s, "tag").map(str::to_owned),
                environment: field(s, "environment").map(str::to_owned),
                latest: truthy(field(s, "latest")),
            })
            .collect(),
        latestby,
        success,
        limit: Some(limit),
    };
    let names: Vec<String> = matrix_query
        .selectors
        .iter()
        .map(|s| s.pacticipant.clone())
        .collect();
    let loaded = state
        .store
        .load_broker_data(&LoadRequest::integrations(names))
        .await?;
    let index = Index::new(&loaded.0);
    let rows = matrix(&index, &matrix_query).map_err(|e| match e {
        MatrixError::UnknownPacticipant(name) => {
            ApiError::NotFound(format!("pacticipant \"{name}\""))
        }
        MatrixError::UnknownEnvironment(name) => ApiError::invalid(
            "environment",
            format!("no environment named \"{name}\" exists"),
        ),
        MatrixError::NoSelectors => ApiError::invalid("q", "at least one selector is required"),
    })?;
    let mut counts = Counts::default();
    for row in &rows {
        match row.success() {
            Some(true) => counts.success += 1,
            Some(false) => counts.failed += 1,
            None => counts.unknown += 1,
        }
    }
    let deployable = if counts.unknown > 0 {
        Value::Null
    } else {
        Value::Bool(counts.failed == 0)
    };
    let reason = if rows.is_empty() {
        "No matrix rows match the selectors".to_owned()
    } else {
        format!(
            "{} successful, {} failed, {} without a verification",
            counts.success, counts.failed, counts.unknown
        )
    };
    Ok(json!({
        "summary": {
            "deployable": deployable,
            "reason": reason,
            "success": counts.success,
            "failed": counts.failed,
            "unknown": counts.unknown,
        },
        "notices": [],
        "matrix": rows.iter().map(|r| row_json(base, &index, r, None)).collect::<Vec<_>>(),
    }))
}

fn version_json(base: &Base, index: &Index<'_>, name: &str, v: &crate::domain::Version) -> Value {
    let environments: Vec<Value> = index
        .environments_of_version(v.id)
        .iter()
        .filter_map(|(e, _)| index.environment(*e))
        .map(|e| json!({ "name": e.name, "production": e.production }))
        .collect();
    let latest_tag = |tag: &str| {
        index
            .versions_with_tag(v.pacticipant, tag)
            .last()
            .is_some_and(|latest| latest.id == v.id)
    };
    json!({
        "number": v.number,
        "branch": v.branches.last(),
        "branchVersions": v.branches.iter().map(|b| json!({ "name": b })).collect::<Vec<_>>(),
        "environments": environments,
        "tags": v.tags.iter().map(|t| json!({ "name": t, "latest": latest_tag(t) })).collect::<Vec<_>>(),
        "_links": { "self": { "href": base.version(name, &v.number) } },
    })
}

/// A row's verification result, linking to that very result.
fn verification_json(base: &Base, p: &str, c: &str, sha: &str, v: &Verification) -> Value {
    json!({
        "success": v.success,
        "verifiedAt": v.verified_at,
        "_links": { "self": { "href": base.verification(p, c, sha, v.number) } },
    })
}

fn row_json(base: &Base, index: &Index<'_>, r: &MatrixRow<'_>, ignored: Option<bool>) -> Value {
    let (c, p) = (&r.consumer.name, &r.provider.name);
    let sha = &r.pact.content_sha;
    let mut row = json!({
        "consumer": {
            "name": c,
            "version": version_json(base, index, c, r.consumer_version),
        },
        "provider": {
            "name": p,
            "version": r.provider_version.map(|v| version_json(base, index, p, v)),
        },
        "pact": {
            "createdAt": r.pact.created_at,
            "sha": sha,
            "_links": { "self": { "href": base.pact(p, c, &r.consumer_version.number) } },
        },
        "verificationResult": r.verification.map(|v| verification_json(base, p, c, sha, v)),
    });
    if ignored == Some(true) {
        row["ignored"] = Value::Bool(true);
    }
    row
}

/// Pact's matrix response for a can-i-deploy answer, with Accord's additions per row
/// (`status`, `reason`, `fix`).
fn answer_json(base: &Base, answer: &CanIDeployAnswer<'_>) -> Value {
    let data_rows: Vec<Value> = answer
        .rows
        .iter()
        .map(|d| deploy_row_json(base, d))
        .collect();
    let mut summary = json!({
        "deployable": answer.deployable,
        "reason": answer.reasons.join("\n"),
        "success": answer.counts.success,
        "failed": answer.counts.failed,
        "unknown": answer.counts.unknown,
    });
    if answer.rows.iter().any(|r| r.ignored) || answer.counts.ignored > 0 {
        summary["ignored"] = json!(answer.counts.ignored);
    }
    json!({
        "summary": summary,
        "notices": answer
            .notices()
            .into_iter()
            .map(|(level, text)| json!({ "type": level.wire_name(), "text": text }))
            .collect::<Vec<_>>(),
        "matrix": data_rows,
    })
}

fn simple_version(base: &Base, name: &str, v: &crate::domain::Version) -> Value {
    json!({
        "number": v.number,
        "branch": v.branches.last(),
        "branchVersions": v.branches.iter().map(|b| json!({ "name": b })).collect::<Vec<_>>(),
        "tags": v.tags.iter().map(|t| json!({ "name": t })).collect::<Vec<_>>(),
        "_links": { "self": { "href": base.version(name, &v.number) } },
    })
}

fn deploy_row_json(base: &Base, d: &DeployRow<'_>) -> Value {
    let r = &d.row;
    let (c, p) = (&r.consumer.name, &r.provider.name);
    let sha = &r.pact.content_sha;
    let mut row = json!({
        "consumer": { "name": c, "version": simple_version(base, c, r.consumer_version) },
        "provider": { "name": p, "version": r.provider_version.map(|v| simple_version(base, p, v)) },
        "pact": {
            "createdAt": r.pact.created_at,
            "sha": sha,
            "_links": { "self": { "href": base.pact(p, c, &r.consumer_version.number) } },
        },
        "verificationResult": r.verification.map(|v| verification_json(base, p, c, sha, v)),
        "status": match d.status {
            RowStatus::Success => "success",
            RowStatus::Failed => "failed",
            RowStatus::Unknown => "unknown",
        },
        "reason": d.reason(),
        "fix": d.fix,
    });
    if !d.failed_interactions.is_empty()
        && let Some(result) = row["verificationResult"].as_object_mut()
    {
        let failed: Vec<Value> = d
            .failed_interactions
            .iter()
            .map(|i| json!({ "description": i.description, "mismatches": i.mismatches }))
            .collect();
        result.insert("failedInteractions".to_owned(), Value::Array(failed));
    }
    if d.ignored {
        row["ignored"] = Value::Bool(true);
    }
    row
}

/// `GET /can-i-deploy?pacticipant=P&version=V&environment=E` (or `&to=TAG`), with
/// `ignore[]=NAME` or `ignore[][pacticipant]=NAME&ignore[][version]=V`.
async fn get_can_i_deploy<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Hal, ApiError> {
    let query = NestedQuery::parse(raw.as_deref());
    let mut errors = Vec::new();
    let pacticipant = query.get("pacticipant").filter(|p| !p.is_empty());
    if pacticipant.is_none() {
        errors.push(("pacticipant".to_owned(), "is required".to_owned()));
    }
    let version = query.get("version").filter(|v| !v.is_empty());
    let environment = query.get("environment").filter(|e| !e.is_empty());
    let to = query.get("to").filter(|t| !t.is_empty());
    let target = match (environment, to) {
        (Some(e), None) => Some(Target::Environment(e.to_owned())),
        (None, Some(t)) => Some(Target::Tag(t.to_owned())),
        (Some(_), Some(_)) => {
            errors.push((
                "environment".to_owned(),
                "cannot be combined with to".to_owned(),
            ));
            None
        }
        (None, None) => {
            errors.push((
                "environment".to_owned(),
                "is required (or the tag form: to)".to_owned(),
            ));
            None
        }
    };
    let (Some(pacticipant), Some(target), true) = (pacticipant, target, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let version = match (version, query.get("branch").filter(|b| !b.is_empty())) {
        (Some(v), _) => VersionSpec::Number(v.to_owned()),
        (None, Some(b)) => VersionSpec::LatestOnBranch(b.to_owned()),
        (None, None) => match query.get("tag").filter(|t| !t.is_empty()) {
            Some(tag) => VersionSpec::LatestWithTag(tag.to_owned()),
            None => VersionSpec::Latest,
        },
    };
    let question = CanIDeployQuery {
        specified: vec![SpecifiedVersion {
            pacticipant: pacticipant.to_owned(),
            version,
        }],
        target,
        ignore: ignore_selectors(&query),
    };
    Ok(Hal::ok(with_self(
        answer(&state, &base, question).await?,
        base.can_i_deploy(),
    )))
}

async fn branch_can_i_deploy<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((pacticipant, branch, environment)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let question = CanIDeployQuery {
        specified: vec![SpecifiedVersion {
            pacticipant: pacticipant.clone(),
            version: VersionSpec::LatestOnBranch(branch.clone()),
        }],
        target: Target::Environment(environment),
        ignore: Vec::new(),
    };
    let body = answer(&state, &base, question).await?;
    Ok(Hal::ok(with_self(
        body,
        base.branch(&pacticipant, &branch) + "/latest-version/can-i-deploy",
    )))
}

/// The tag variant: the latest version with `tag`, against the latest versions tagged `to`.
async fn tag_can_i_deploy<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((pacticipant, tag, to)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    let question = CanIDeployQuery {
        specified: vec![SpecifiedVersion {
            pacticipant: pacticipant.clone(),
            version: VersionSpec::LatestWithTag(tag.clone()),
        }],
        target: Target::Tag(to),
        ignore: Vec::new(),
    };
    let body = answer(&state, &base, question).await?;
    Ok(Hal::ok(with_self(
        body,
        base.latest_version(&pacticipant) + "/" + &tag,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_selectors_split_on_repeated_keys() {
        let q = NestedQuery::parse(Some(
            "q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=1&q[][pacticipant]=Bar\
             &q[][latest]=true&q[][tag]=prod&latestby=cvpv&ignore[]=Baz",
        ));
        let hashes = q.hashes("q");
        assert_eq!(hashes.len(), 2);
        assert_eq!(field(&hashes[0], "version"), Some("1"));
        assert_eq!(field(&hashes[1], "tag"), Some("prod"));
        assert_eq!(q.get("latestby"), Some("cvpv"));
        assert_eq!(ignore_selectors(&q)[0].pacticipant, "Baz");
        let spec = version_spec(&hashes[1]).unwrap();
        assert_eq!(spec.version, VersionSpec::LatestWithTag("prod".into()));
        assert!(version_spec(&[("pacticipant".into(), "Foo".into())]).is_none());
    }
}
