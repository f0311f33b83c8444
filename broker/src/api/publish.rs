//! `POST /contracts/publish`: pacticipant, version, branch, tags and contracts in one write.

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::JsonBody;
use super::hal::{Base, Hal, link, named};
use super::pacticipants::check_text;
use crate::domain::content;
use crate::domain::names::check_name;
use crate::store::{ContractOutcome, ContractToPublish, Publication, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route("/contracts/publish", post(publish::<S>))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PublishBody {
    pacticipant_name: Option<String>,
    pacticipant_version_number: Option<String>,
    branch: Option<String>,
    tags: Option<Vec<String>>,
    build_url: Option<String>,
    contracts: Option<Vec<ContractBody>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContractBody {
    consumer_name: Option<String>,
    provider_name: Option<String>,
    specification: Option<String>,
    content_type: Option<String>,
    content: Option<String>,
    on_conflict: Option<String>,
}

fn required<'a>(
    errors: &mut Vec<(String, String)>,
    field: &str,
    value: Option<&'a str>,
) -> Option<&'a str> {
    match value {
        None => {
            errors.push((field.into(), "is required".into()));
            None
        }
        Some(v) => match check_name(v) {
            Ok(()) => Some(v),
            Err(problem) => {
                errors.push((field.into(), problem));
                None
            }
        },
    }
}

/// Validates the request into a store publication, collecting every problem by field.
fn validate(body: PublishBody, allow_modification: bool) -> Result<Publication, ApiError> {
    let mut errors = Vec::new();
    let pacticipant = required(
        &mut errors,
        "pacticipantName",
        body.pacticipant_name.as_deref(),
    )
    .map(str::to_owned);
    let version = required(
        &mut errors,
        "pacticipantVersionNumber",
        body.pacticipant_version_number.as_deref(),
    )
    .map(str::to_owned);
    if let Some(Err(problem)) = body.branch.as_deref().map(check_name) {
        errors.push(("branch".into(), problem));
    }
    let tags = body.tags.unwrap_or_default();
    for (i, tag) in tags.iter().enumerate() {
        if let Err(problem) = check_name(tag) {
            errors.push((format!("tags[{i}]"), problem));
        }
    }
    check_text(&mut errors, "buildUrl", body.build_url.as_deref());
    let contracts_in = body.contracts.unwrap_or_default();
    if contracts_in.is_empty() {
        errors.push((
            "contracts".into(),
            "must contain at least one contract".into(),
        ));
    }
    let mut contracts = Vec::with_capacity(contracts_in.len());
    let mut providers = std::collections::HashSet::new();
    for (i, c) in contracts_in.into_iter().enumerate() {
        let at = |field: &str| format!("contracts[{i}].{field}");
        if let Some(consumer) =
            required(&mut errors, &at("consumerName"), c.consumer_name.as_deref())
            && pacticipant.as_deref().is_some_and(|p| p != consumer)
        {
            errors.push((at("consumerName"), "must match pacticipantName".into()));
        }
        let provider = required(&mut errors, &at("providerName"), c.provider_name.as_deref())
            .map(str::to_owned);
        if let Some(provider) = &provider
            && !providers.insert(provider.clone())
        {
            errors.push((
                at("providerName"),
                "appears in more than one contract of this publication".into(),
            ));
        }
        match c.specification.as_deref() {
            Some("pact") => {}
            Some(other) => errors.push((
                at("specification"),
                format!("\"{other}\" is not supported; use \"pact\""),
            )),
            None => errors.push((at("specification"), "is required".into())),
        }
        match c.content_type.as_deref() {
            Some(ct) if ct.to_ascii_lowercase().contains("json") => {}
            Some(ct) => errors.push((
                at("contentType"),
                format!("\"{ct}\" is not supported; use application/json"),
            )),
            None => errors.push((at("contentType"), "is required".into())),
        }
        if let Some(mode) = c.on_conflict.as_deref()
            && mode != "overwrite"
        {
            errors.push((
                at("onConflict"),
                format!("\"{mode}\" is not supported; only \"overwrite\" is"),
            ));
        }
        let decoded = match c.content.as_deref() {
            None => {
                errors.push((at("content"), "is required".into()));
                None
            }
            Some(encoded) => match base64::engine::general_purpose::STANDARD.decode(encoded.trim())
            {
                Ok(bytes) => Some(bytes),
                Err(e) => {
                    errors.push((at("content"), format!("is not valid Base64: {e}")));
                    None
                }
            },
        };
        let parsed = decoded.and_then(|bytes| match content::parse(bytes) {
            Ok((parsed, _)) => Some(parsed),
            Err(e) => {
                errors.push((at("content"), e.to_string()));
                None
            }
        });
        if let (Some(provider), Some(content)) = (provider, parsed) {
            contracts.push(ContractToPublish { provider, content });
        }
    }
    match (pacticipant, version, errors.is_empty()) {
        (Some(pacticipant), Some(version), true) => Ok(Publication {
            pacticipant,
            version,
            branch: body.branch,
            tags,
            build_url: body.build_url,
            contracts,
            allow_modification,
        }),
        _ => Err(ApiError::Invalid(errors)),
    }
}

async fn publish<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    JsonBody(body): JsonBody<PublishBody>,
) -> Result<Hal, ApiError> {
    let publication = validate(body, state.config.allow_contract_modification)?;
    let branch = publication.branch.clone();
    let tags = publication.tags.clone();
    let result = state.store.publish_contracts(publication).await?;
    let p = &result.pacticipant.name;
    let n = &result.version.number;

    let mut notices = Vec::new();
    let verb = if result.version_created {
        "Created"
    } else {
        "Using existing"
    };
    let mut created = format!("{verb} version {n} of {p}");
    if let Some(branch) = &branch {
        created.push_str(&format!(" on branch {branch}"));
    }
    if !tags.is_empty() {
        created.push_str(&format!(" with tags {}", tags.join(", ")));
    }
    notices.push(json!({ "type": "info", "text": created }));
    let mut contract_links = Vec::new();
    for (pact, outcome) in &result.contracts {
        let what = match outcome {
            ContractOutcome::Created => "published",
            ContractOutcome::Unchanged => {
                "already published with the same content; nothing changed"
            }
            ContractOutcome::Replaced => {
                "published, replacing the previous content of this version"
            }
        };
        let kind = if *outcome == ContractOutcome::Replaced {
            "warning"
        } else {
            "success"
        };
        let href = base.pact(
            &pact.provider_name,
            &pact.consumer_name,
            &pact.consumer_version_number,
        );
        notices.push(json!({
            "type": kind,
            "text": format!("Pact between {} (v{}) and {} {what}. View it at {href}", pact.consumer_name, n, pact.provider_name),
        }));
        contract_links.push(named(
            href,
            &format!(
                "Pact between {} ({n}) and {}",
                pact.consumer_name, pact.provider_name
            ),
            "Pact",
        ));
    }
    if branch.is_none() {
        notices.push(json!({
            "type": "warning",
            "text": "No branch was given: versions without a branch cannot be selected by branch or main-branch selectors",
        }));
    }
    let logs: Vec<Value> = notices
        .iter()
        .map(|n| json!({ "level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices" }))
        .collect();
    let version_href = base.version(p, n);
    Ok(Hal::ok(json!({
        "notices": notices,
        "logs": logs,
        "_embedded": {
            "pacticipant": { "name": p, "_links": { "self": link(base.pacticipant(p)) } },
            "version": {
                "number": n,
                "buildUrl": result.version.build_url,
                "_links": { "self": named(version_href.clone(), n, &format!("Version {n} of {p}")) }
            }
        },
        "_links": {
            "pb:pacticipant": named(base.pacticipant(p), p, "Pacticipant"),
            "pb:pacticipant-version": named(version_href, n, "Pacticipant version"),
            "pb:pacticipant-version-tags": tags.iter().map(|t| named(base.tag(p, n, t), t, "Tag")).collect::<Vec<_>>(),
            "pb:contracts": contract_links,
        }
    })))
}
