//! Pacts for verification: `POST` (and `GET`) `/pacts/provider/{provider}/for-verification`,
//! the resource Pact's verifiers find through `pb:provider-pacts-for-verification`.
//!
//! The body (or query string) carries consumer version selectors, the provider version's
//! branch (or legacy tags), `includePendingStatus` and `includeWipPactsSince`; every problem
//! is a 400 naming the field (`consumerVersionSelectors[2].fallbackTag`). The answer lists one
//! pact per distinct content, each with a short description, its verification properties
//! (pending, wip, notices) and a self link whose metadata segment records why it was selected.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{JsonBody, Segments};
use super::hal::{Base, Hal};
use super::matrix::NestedQuery;
use super::metadata::{PactMetadata, SelectedBy};
use crate::domain::{
    ConsumerVersionSelector, Index, PactsForVerificationError, PactsForVerificationQuery,
    VerifiablePact, pacts_for_verification,
};
use crate::store::load::DataRequest;
use crate::store::{LoadRequest, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route(
        "/pacts/provider/{provider}/for-verification",
        get(by_query::<S>).post(by_body::<S>),
    )
}

const BOOL_KEYS: [&str; 6] = [
    "mainBranch",
    "matchingBranch",
    "latest",
    "deployed",
    "released",
    "deployedOrReleased",
];
const TEXT_KEYS: [&str; 6] = [
    "branch",
    "fallbackBranch",
    "tag",
    "fallbackTag",
    "environment",
    "consumer",
];

/// One selector from JSON, naming each key of the wrong type.
fn selector(
    i: usize,
    value: &Value,
    errors: &mut Vec<(String, String)>,
) -> ConsumerVersionSelector {
    let mut s = ConsumerVersionSelector::default();
    let Value::Object(map) = value else {
        errors.push((
            format!("consumerVersionSelectors[{i}]"),
            "must be an object".into(),
        ));
        return s;
    };
    for (key, value) in map {
        let field = format!("consumerVersionSelectors[{i}].{key}");
        if BOOL_KEYS.contains(&key.as_str()) {
            let flag = match value {
                Value::Bool(b) => Some(*b),
                Value::Null => None,
                _ => {
                    errors.push((field, "must be true or false".into()));
                    continue;
                }
            };
            match key.as_str() {
                "mainBranch" => s.main_branch = flag,
                "matchingBranch" => s.matching_branch = flag,
                "latest" => s.latest = flag,
                "deployed" => s.deployed = flag,
                "released" => s.released = flag,
                _ => s.deployed_or_released = flag,
            }
        } else if TEXT_KEYS.contains(&key.as_str()) {
            let text = match value {
                Value::String(t) if !t.trim().is_empty() => Some(t.clone()),
                Value::String(_) => {
                    errors.push((field, "cannot be blank".into()));
                    continue;
                }
                Value::Null => None,
                _ => {
                    errors.push((field, "must be a string".into()));
                    continue;
                }
            };
            match key.as_str() {
                "branch" => s.branch = text,
                "fallbackBranch" => s.fallback_branch = text,
                "tag" => s.tag = text,
                "fallbackTag" => s.fallback_tag = text,
                "environment" => s.environment = text,
                _ => s.consumer = text,
            }
        }
    }
    s
}

/// `includeWipPactsSince`: a date (`2024-01-31`) or an RFC 3339 time.
fn since(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

/// Reads a request body.
fn parse_body(
    provider: &str,
    body: &Map<String, Value>,
) -> Result<PactsForVerificationQuery, ApiError> {
    let mut errors = Vec::new();
    let mut query = PactsForVerificationQuery {
        provider: provider.to_owned(),
        ..PactsForVerificationQuery::default()
    };
    match body.get("consumerVersionSelectors") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            query.selectors = list
                .iter()
                .enumerate()
                .map(|(i, v)| selector(i, v, &mut errors))
                .collect();
        }
        Some(_) => errors.push((
            "consumerVersionSelectors".into(),
            "must be an array of selectors".into(),
        )),
    }
    match body.get("providerVersionBranch") {
        None | Some(Value::Null) => {}
        Some(Value::String(b)) => query.provider_version_branch = Some(b.clone()),
        Some(_) => errors.push(("providerVersionBranch".into(), "must be a string".into())),
    }
    match body.get("providerVersionTags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(tags)) => {
            for (i, tag) in tags.iter().enumerate() {
                match tag {
                    Value::String(t) => query.provider_version_tags.push(t.clone()),
                    _ => errors.push((
                        format!("providerVersionTags[{i}]"),
                        "must be a string".into(),
                    )),
                }
            }
        }
        Some(_) => errors.push((
            "providerVersionTags".into(),
            "must be an array of strings".into(),
        )),
    }
    match body.get("includePendingStatus") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => query.include_pending_status = *b,
        Some(_) => errors.push((
            "includePendingStatus".into(),
            "must be true or false".into(),
        )),
    }
    match body.get("includeWipPactsSince") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) => match since(t) {
            Some(at) => query.include_wip_pacts_since = Some(at),
            None => errors.push((
                "includeWipPactsSince".into(),
                "must be a date (YYYY-MM-DD) or an RFC 3339 time".into(),
            )),
        },
        Some(_) => errors.push((
            "includeWipPactsSince".into(),
            "must be a date (YYYY-MM-DD) or an RFC 3339 time".into(),
        )),
    }
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// The query-string form: the same keys, selectors as `consumerVersionSelectors[][key]=...`
/// (snake case accepted too).
fn body_from_query(raw: Option<&str>) -> Map<String, Value> {
    let query = NestedQuery::parse(raw);
    let mut body = Map::new();
    let mut selectors = query.hashes("consumerVersionSelectors");
    selectors.extend(query.hashes("consumer_version_selectors"));
    if !selectors.is_empty() {
        let list = selectors
            .into_iter()
            .map(|hash| {
                let map: Map<String, Value> = hash
                    .into_iter()
                    .map(|(k, v)| {
                        let k = snake_to_camel(&k);
                        let value = if BOOL_KEYS.contains(&k.as_str()) {
                            match v.as_str() {
                                "true" => Value::Bool(true),
                                "false" => Value::Bool(false),
                                _ => Value::String(v),
                            }
                        } else {
                            Value::String(v)
                        };
                        (k, value)
                    })
                    .collect();
                Value::Object(map)
            })
            .collect();
        body.insert("consumerVersionSelectors".into(), Value::Array(list));
    }
    for key in ["providerVersionBranch", "includeWipPactsSince"] {
        let snake = camel_to_snake(key);
        if let Some(v) = query.get(key).or_else(|| query.get(&snake)) {
            body.insert(key.into(), Value::String(v.to_owned()));
        }
    }
    let tags: Vec<Value> = query
        .list("providerVersionTags")
        .into_iter()
        .chain(query.list("provider_version_tags"))
        .map(|t| Value::String(t.to_owned()))
        .collect();
    if !tags.is_empty() {
        body.insert("providerVersionTags".into(), Value::Array(tags));
    }
    if let Some(v) = query
        .get("includePendingStatus")
        .or_else(|| query.get("include_pending_status"))
    {
        body.insert(
            "includePendingStatus".into(),
            match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_owned()),
            },
        );
    }
    body
}

fn snake_to_camel(key: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_to_snake(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

async fn by_body<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((provider,)): Segments<(String,)>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Hal, ApiError> {
    let query = parse_body(&provider, &body)?;
    answer(&state, &base, &query).await
}

async fn by_query<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((provider,)): Segments<(String,)>,
    RawQuery(raw): RawQuery,
) -> Result<Hal, ApiError> {
    let query = parse_body(&provider, &body_from_query(raw.as_deref()))?;
    answer(&state, &base, &query).await
}

async fn answer<S: Store>(
    state: &AppState<S>,
    base: &Base,
    query: &PactsForVerificationQuery,
) -> Result<Hal, ApiError> {
    let mut tags: Vec<String> = query
        .selectors
        .iter()
        .filter(|s| s.latest != Some(true))
        .filter_map(|s| s.tag.clone())
        .collect();
    tags.extend(query.provider_version_tags.iter().cloned());
    tags.sort();
    tags.dedup();
    let request = LoadRequest(DataRequest::ForVerification {
        provider: query.provider.clone(),
        tags,
    });
    let loaded = state.store.load_broker_data(&request).await?;
    let index = Index::new(&loaded.0);
    let pacts = pacts_for_verification(&index, query).map_err(|e| match e {
        PactsForVerificationError::UnknownProvider(name) => {
            ApiError::NotFound(format!("pacticipant \"{name}\""))
        }
        PactsForVerificationError::Invalid(errors) => ApiError::Invalid(
            errors
                .iter()
                .map(|e| (e.field(), e.message.clone()))
                .collect(),
        ),
    })?;
    let list: Vec<Value> = pacts
        .iter()
        .map(|pact| pact_json(base, &index, pact))
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": { "pacts": list },
        "_links": {
            "self": {
                "href": base.pacts_for_verification(&query.provider),
                "title": "Pacts to be verified",
            }
        }
    })))
}

fn pact_json(base: &Base, index: &Index<'_>, pact: &VerifiablePact<'_>) -> Value {
    let (c, p) = (&pact.consumer.name, &pact.provider.name);
    let metadata = PactMetadata {
        selected: pact
            .selected_by
            .iter()
            .map(|r| SelectedBy {
                branch: r.branch.clone(),
                tag: r.tag.clone(),
                latest: r.latest,
                environment: r.environment.clone(),
                consumer_version: Some(r.consumer_version.0),
            })
            .collect(),
        pending: pact.pending,
        wip: pact.wip,
    };
    let consumer_version = index
        .version(pact.pact.consumer_version)
        .map(|v| v.number.as_str())
        .unwrap_or_default();
    let mut properties = json!({
        "notices": pact
            .notices
            .iter()
            .map(|n| json!({ "when": n.when.wire_name(), "text": n.text }))
            .collect::<Vec<_>>(),
    });
    if let Some(pending) = pact.pending {
        properties["pending"] = Value::Bool(pending);
    }
    if pact.wip {
        properties["wip"] = Value::Bool(true);
    }
    json!({
        "shortDescription": pact.short_description,
        "verificationProperties": properties,
        "_links": {
            "self": {
                "href": base.pact_sha_with_metadata(p, c, pact.content_sha, &metadata.encode()),
                "name": format!("Pact between {c} ({consumer_version}) and {p}"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_name_the_selector_field() {
        let body = json!({
            "consumerVersionSelectors": [{ "mainBranch": true }, { "branch": 3 }, { "tag": "x", "fallbackTag": false }],
            "includePendingStatus": "yes",
            "includeWipPactsSince": "last week",
        });
        let Err(ApiError::Invalid(errors)) = parse_body("P", body.as_object().unwrap()) else {
            panic!("expected a 400");
        };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "consumerVersionSelectors[1].branch",
                "consumerVersionSelectors[2].fallbackTag",
                "includePendingStatus",
                "includeWipPactsSince"
            ]
        );
    }

    #[test]
    fn query_string_form_reads_like_the_body() {
        let body = body_from_query(Some(
            "consumer_version_selectors[][branch]=main&consumer_version_selectors[][latest]=true\
             &consumer_version_selectors[][branch]=feat\
             &include_pending_status=true&provider_version_branch=dev&includeWipPactsSince=2024-01-02",
        ));
        let query = parse_body("P", &body).unwrap();
        assert_eq!(query.selectors.len(), 2);
        assert_eq!(query.selectors[0].branch.as_deref(), Some("main"));
        assert_eq!(query.selectors[0].latest, Some(true));
        assert_eq!(query.selectors[1].branch.as_deref(), Some("feat"));
        assert!(query.include_pending_status);
        assert_eq!(query.provider_version_branch.as_deref(), Some("dev"));
        assert_eq!(
            query.include_wip_pacts_since,
            Some("2024-01-02T00:00:00Z".parse().unwrap())
        );
    }
}
