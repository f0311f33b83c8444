//! Pacts: the old `PUT` publish, reading one pact (by version, content SHA, latest, tag,
//! branch) and listing a provider's pacts.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{RawJson, Segments};
use super::hal::{Base, Hal, link, named};
use super::pacticipants::path_name;
use crate::domain::{content, pacts};
use crate::store::{PactFilter, PactRow, PactSelector, Store};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    const I: &str = "/pacts/provider/{provider}/consumer/{consumer}";
    Router::new()
        .route("/pacts/latest", get(latest_everywhere::<S>))
        .route(
            &format!("{I}/version/{{version}}"),
            get(by_version::<S>).put(put::<S>).delete(delete::<S>),
        )
        .route(&format!("{I}/pact-version/{{sha}}"), get(by_sha::<S>))
        .route(
            &format!("{I}/pact-version/{{sha}}/metadata/{{metadata}}"),
            get(by_sha_with_metadata::<S>),
        )
        .route(&format!("{I}/latest"), get(latest::<S>))
        .route(&format!("{I}/latest/{{tag}}"), get(latest_tagged::<S>))
        .route(&format!("{I}/branch/latest"), get(latest_main_branch::<S>))
        .route(
            &format!("{I}/branch/{{branch}}/latest"),
            get(latest_on_branch::<S>),
        )
        .route(&format!("{I}/versions"), get(integration_all::<S>))
        .route(&format!("{I}/tag/{{tag}}"), get(integration_tag::<S>))
        .route(&format!("{I}/branch"), get(integration_main_branch::<S>))
        .route(
            &format!("{I}/branch/{{branch}}"),
            get(integration_branch::<S>),
        )
        .route("/pacts/provider/{provider}", get(provider_all::<S>))
        .route(
            "/pacts/provider/{provider}/latest",
            get(provider_latest::<S>),
        )
        .route(
            "/pacts/provider/{provider}/latest/{tag}",
            get(provider_latest_tag::<S>),
        )
        .route(
            "/pacts/provider/{provider}/tag/{tag}",
            get(provider_tag::<S>),
        )
        .route(
            "/pacts/provider/{provider}/branch",
            get(provider_main_branch::<S>),
        )
        .route(
            "/pacts/provider/{provider}/branch/latest",
            get(provider_latest_main_branch::<S>),
        )
        .route(
            "/pacts/provider/{provider}/branch/{branch}",
            get(provider_branch::<S>),
        )
        .route(
            "/pacts/provider/{provider}/branch/{branch}/latest",
            get(provider_latest_branch::<S>),
        )
}

/// A pact document: the stored content with the broker's `_links` (and `createdAt`) added.
fn pact_json(
    base: &Base,
    row: &PactRow,
    bytes: &[u8],
    metadata: Option<&str>,
) -> Result<Value, ApiError> {
    let mut doc: Map<String, Value> = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::Internal(format!(
            "stored contract {} is not a JSON object: {e}",
            row.sha
        ))
    })?;
    let (p, c, v) = (
        &row.provider_name,
        &row.consumer_name,
        &row.consumer_version_number,
    );
    doc.insert("createdAt".into(), json!(row.created_at));
    doc.insert(
        "_links".into(),
        json!({
            "self": named(base.pact(p, c, v), &format!("Pact between {c} ({v}) and {p}"), "Pact"),
            "pb:consumer": named(base.pacticipant(c), c, "Consumer"),
            "pb:consumer-version": named(base.version(c, v), v, "Consumer version"),
            "pb:provider": named(base.pacticipant(p), p, "Provider"),
            "pb:pact-version": named(base.pact_sha(p, c, &row.sha), &row.sha, "Pact content version permalink"),
            "pb:latest-pact-version": named(base.latest_pact(p, c), "Latest version of this pact", "Pact"),
            "pb:all-pact-versions": named(base.pact_versions(p, c), "All versions of this pact", "Pact versions"),
            "pb:publish-verification-results": json!({
                "href": base.verification_results(p, c, &row.sha, metadata),
                "title": "Publish verification results",
            }),
            "pb:latest-verification-results": link(base.latest_verification(p, c, &row.sha)),
        }),
    );
    Ok(Value::Object(doc))
}

async fn one<S: Store>(
    state: &AppState<S>,
    base: &Base,
    provider: &str,
    consumer: &str,
    selector: PactSelector,
    metadata: Option<&str>,
) -> Result<Hal, ApiError> {
    let (row, bytes) = state.store.pact(provider, consumer, selector).await?;
    Ok(Hal::ok(pact_json(base, &row, &bytes, metadata)?))
}

async fn by_version<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, v)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::Version(v), None).await
}

async fn by_sha<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::Sha(sha), None).await
}

async fn by_sha_with_metadata<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, sha, m)): Segments<(String, String, String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::Sha(sha), Some(&m)).await
}

async fn latest<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::Latest, None).await
}

async fn latest_tagged<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, t)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::LatestTagged(t), None).await
}

async fn latest_on_branch<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, b)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    one(&state, &base, &p, &c, PactSelector::LatestOnBranch(b), None).await
}

async fn latest_main_branch<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c)): Segments<(String, String)>,
) -> Result<Hal, ApiError> {
    let consumer = state.store.pacticipant(&c).await?;
    let main = consumer.main_branch.ok_or_else(|| {
        ApiError::NotFound(format!("main branch of pacticipant \"{c}\" (none is set)"))
    })?;
    one(
        &state,
        &base,
        &p,
        &c,
        PactSelector::LatestOnBranch(main),
        None,
    )
    .await
}

async fn put<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, v)): Segments<(String, String, String)>,
    RawJson(bytes): RawJson,
) -> Result<Hal, ApiError> {
    path_name("provider", &p)?;
    path_name("consumer", &c)?;
    path_name("consumerVersion", &v)?;
    if p == c {
        return Err(ApiError::invalid(
            "provider",
            "cannot be the same pacticipant as the consumer",
        ));
    }
    let (parsed, _) = content::parse(Bytes::into(bytes))
        .map_err(|e| ApiError::invalid("content", e.to_string()))?;
    let (row, outcome) = state
        .store
        .put_pact(&p, &c, &v, parsed, state.config.allow_contract_modification)
        .await?;
    let (row, bytes) = state
        .store
        .pact(
            &row.provider_name,
            &row.consumer_name,
            PactSelector::Version(row.consumer_version_number),
        )
        .await?;
    Ok(Hal::created_or_ok(
        outcome == crate::store::ContractOutcome::Created,
        pact_json(&base, &row, &bytes, None)?,
    ))
}

async fn delete<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
    Segments((p, c, v)): Segments<(String, String, String)>,
) -> Result<Hal, ApiError> {
    state.store.delete_pact(&p, &c, &v).await?;
    Ok(Hal::ok(
        json!({ "_links": { "pb:all-pact-versions": link(base.pact_versions(&p, &c)) } }),
    ))
}

/// A list of pacts as Pact's provider-pacts resource: `pb:pacts` links and embedded pacts.
fn list_json(base: &Base, self_href: String, provider: &str, rows: &[PactRow]) -> Value {
    let links: Vec<Value> = rows
        .iter()
        .map(|r| {
            named(
                base.pact(
                    &r.provider_name,
                    &r.consumer_name,
                    &r.consumer_version_number,
                ),
                &r.consumer_name,
                &format!(
                    "Pact between {} ({}) and {}",
                    r.consumer_name, r.consumer_version_number, r.provider_name
                ),
            )
        })
        .collect();
    let embedded: Vec<Value> = rows
        .iter()
        .map(|r| json!({
            "consumerName": r.consumer_name,
            "consumerVersionNumber": r.consumer_version_number,
            "createdAt": r.created_at,
            "_links": { "self": named(base.pact(&r.provider_name, &r.consumer_name, &r.consumer_version_number), &r.consumer_name, "Pact") },
        }))
        .collect();
    json!({
        "_embedded": { "pacts": embedded },
        "_links": {
            "self": link(self_href),
            "pb:provider": named(base.pacticipant(provider), provider, "Provider"),
            "pb:provider-pacts-for-verification": named(base.pacts_for_verification(provider), "Pacts to be verified", "Pacts to be verified"),
            "pb:pacts": links,
        }
    })
}

async fn list<S: Store>(
    state: &AppState<S>,
    base: &Base,
    self_path: String,
    provider: &str,
    consumer: Option<&str>,
    filter: PactFilter,
    latest_only: bool,
) -> Result<Hal, ApiError> {
    let mut rows = state
        .store
        .provider_pacts(provider, consumer, filter)
        .await?;
    if latest_only {
        rows = pacts::latest_per_integration(rows);
    }
    Ok(Hal::ok(list_json(
        base,
        base.at(&self_path),
        provider,
        &rows,
    )))
}

macro_rules! list_handler {
    ($name:ident, ($($seg:ident),+), $provider:expr, $consumer:expr, $filter:expr, $latest:expr) => {
        async fn $name<S: Store>(
            State(state): State<AppState<S>>,
            base: Base,
            uri: axum::http::Uri,
            Segments(($($seg,)+)): Segments<($(list_handler!(@string $seg),)+)>,
        ) -> Result<Hal, ApiError> {
            list(&state, &base, uri.path().to_owned(), &$provider, $consumer, $filter, $latest).await
        }
    };
    (@string $seg:ident) => { String };
}

list_handler!(
    integration_all,
    (provider, consumer),
    provider,
    Some(&consumer),
    PactFilter::All,
    false
);
list_handler!(
    integration_tag,
    (provider, consumer, tag),
    provider,
    Some(&consumer),
    PactFilter::Tag(tag),
    false
);
list_handler!(
    integration_main_branch,
    (provider, consumer),
    provider,
    Some(&consumer),
    PactFilter::MainBranch,
    false
);
list_handler!(
    integration_branch,
    (provider, consumer, branch),
    provider,
    Some(&consumer),
    PactFilter::Branch(branch),
    false
);
list_handler!(
    provider_all,
    (provider),
    provider,
    None,
    PactFilter::All,
    false
);
list_handler!(
    provider_latest,
    (provider),
    provider,
    None,
    PactFilter::All,
    true
);
list_handler!(
    provider_latest_tag,
    (provider, tag),
    provider,
    None,
    PactFilter::Tag(tag),
    true
);
list_handler!(
    provider_tag,
    (provider, tag),
    provider,
    None,
    PactFilter::Tag(tag),
    false
);
list_handler!(
    provider_main_branch,
    (provider),
    provider,
    None,
    PactFilter::MainBranch,
    false
);
list_handler!(
    provider_latest_main_branch,
    (provider),
    provider,
    None,
    PactFilter::MainBranch,
    true
);
list_handler!(
    provider_branch,
    (provider, branch),
    provider,
    None,
    PactFilter::Branch(branch),
    false
);
list_handler!(
    provider_latest_branch,
    (provider, branch),
    provider,
    None,
    PactFilter::Branch(branch),
    true
);

/// `GET /pacts/latest`: the latest pact of every integration.
async fn latest_everywhere<S: Store>(
    State(state): State<AppState<S>>,
    base: Base,
) -> Result<Hal, ApiError> {
    let rows = state.store.latest_pacts().await?;
    let pacts_json: Vec<Value> = rows
        .iter()
        .map(|r| {
            let (p, c, v) = (&r.provider_name, &r.consumer_name, &r.consumer_version_number);
            json!({
                "createdAt": r.created_at,
                "_embedded": {
                    "consumer": {
                        "name": c,
                        "_links": { "self": link(base.pacticipant(c)) },
                        "_embedded": { "version": { "number": v } },
                    },
                    "provider": { "name": p, "_links": { "self": link(base.pacticipant(p)) } },
                },
                "_links": {
                    "self": [
                        named(base.latest_pact(p, c), &format!("Latest pact between {c} and {p}"), "Latest pact"),
                        named(base.pact(p, c, v), &format!("Pact between {c} ({v}) and {p}"), "Pact"),
                    ],
                },
            })
        })
        .collect();
    let links: Vec<Value> = rows
        .iter()
        .map(|r| {
            named(
                base.pact(
                    &r.provider_name,
                    &r.consumer_name,
                    &r.consumer_version_number,
                ),
                &r.consumer_name,
                &format!(
                    "Pact between {} ({}) and {}",
                    r.consumer_name, r.consumer_version_number, r.provider_name
                ),
            )
        })
        .collect();
    Ok(Hal::ok(json!({
        "pacts": pacts_json,
        "_links": { "self": link(base.at("/pacts/latest")), "pb:pacts": links },
    })))
}
