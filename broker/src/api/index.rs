//! The index `GET /` (every relation clients discover features by) and the heartbeat.

use axum::Router;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::AppState;
use super::auth::HEARTBEAT_PATH;
use super::hal::{Base, Hal, link, templated};
use crate::store::Store;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/", get(index))
        .route(HEARTBEAT_PATH, get(heartbeat))
}

/// (relation, path on the base URL, title). Paths with `{..}` are templates.
const RELATIONS: &[(&str, &str, &str)] = &[
    (
        "pb:publish-pact",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
        "Publish a pact",
    ),
    (
        "pb:publish-contracts",
        "/contracts/publish",
        "Publish contracts",
    ),
    (
        "pb:latest-pact-versions",
        "/pacts/latest",
        "Latest pact versions",
    ),
    (
        "pb:tagged-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}",
        "All versions of a pact for a given consumer, provider and consumer version tag",
    ),
    (
        "pb:branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
        "All versions of a pact for a given consumer, provider and consumer version branch",
    ),
    (
        "pb:latest-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest",
        "Latest pact for a given consumer, provider and consumer version branch",
    ),
    (
        "pb:main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch",
        "All versions of a pact on the consumer's main branch",
    ),
    (
        "pb:latest-main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/latest",
        "Latest pact on the consumer's main branch",
    ),
    (
        "pb:provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch",
        "All pacts for a provider on their consumers' main branches",
    ),
    (
        "pb:provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}",
        "All pacts for a provider with a given consumer branch",
    ),
    (
        "pb:latest-provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch/latest",
        "Latest pacts for a provider on their consumers' main branches",
    ),
    (
        "pb:latest-provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}/latest",
        "Latest pacts for a provider with a given consumer branch",
    ),
    ("pb:pacticipants", "/pacticipants", "Pacticipants"),
    (
        "pb:pacticipant",
        "/pacticipants/{pacticipant}",
        "Fetch pacticipant by name",
    ),
    (
        "pb:latest-provider-pacts",
        "/pacts/provider/{provider}/latest",
        "Latest pacts by provider",
    ),
    (
        "pb:latest-provider-pacts-with-tag",
        "/pacts/provider/{provider}/latest/{tag}",
        "Latest pacts for provider with the specified tag",
    ),
    (
        "pb:provider-pacts-with-tag",
        "/pacts/provider/{provider}/tag/{tag}",
        "All pact versions for the provider with the specified consumer version tag",
    ),
    (
        "pb:provider-pacts-for-verification",
        "/pacts/provider/{provider}/for-verification",
        "Pact versions to be verified for the specified provider",
    ),
    (
        "beta:provider-pacts-for-verification",
        "/pacts/provider/{provider}/for-verification",
        "Pact versions to be verified for the specified provider",
    ),
    (
        "pb:provider-pacts",
        "/pacts/provider/{provider}",
        "All pact versions for the specified provider",
    ),
    (
        "pb:latest-version",
        "/pacticipants/{pacticipant}/latest-version",
        "Latest pacticipant version",
    ),
    (
        "pb:latest-tagged-version",
        "/pacticipants/{pacticipant}/latest-version/{tag}",
        "Latest pacticipant version with the specified tag",
    ),
    (
        "pb:pacticipant-version-tag",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "Get, create or delete a tag for a pacticipant version",
    ),
    (
        "pb:pacticipant-branch",
        "/pacticipants/{pacticipant}/branches/{branch}",
        "Get or delete a pacticipant branch",
    ),
    (
        "pb:pacticipant-branch-version",
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        "Get or add/create a pacticipant version for a branch",
    ),
    (
        "pb:pacticipant-version",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Get, create or delete a pacticipant version",
    ),
    ("pb:environments", "/environments", "Environments"),
    ("pb:environment", "/environments/{uuid}", "Environment"),
    (
        "pb:coupling",
        "/coupling",
        "Service graph and coupling findings (Accord); query: environment, window, minRatio, minEvents, ignore",
    ),
    (
        "pb:deployment-plan",
        "/deployment-plan",
        "Plan the deployment of a batch of versions to an environment (Accord; POST)",
    ),
];

async fn index(base: Base) -> Hal {
    let mut links = Map::new();
    links.insert(
        "self".into(),
        json!({ "href": base.index(), "title": "Index" }),
    );
    for (rel, path, title) in RELATIONS {
        let mut entry = if path.contains('{') {
            templated(base.at(path))
        } else {
            link(base.at(path))
        };
        entry["title"] = Value::from(*title);
        links.insert((*rel).into(), entry);
    }
    links.insert(
        "curies".into(),
        json!([{ "name": "pb", "href": base.at("/doc/{rel}?context=index"), "templated": true }]),
    );
    Hal::ok(json!({ "_links": links }))
}

async fn heartbeat(base: Base) -> Hal {
    Hal::ok(json!({ "ok": true, "_links": { "self": link(base.at(HEARTBEAT_PATH)) } }))
}
