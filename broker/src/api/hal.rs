//! HAL documents: the broker's base URL, every resource URL and link shape, and the
//! `application/hal+json` response. No other module builds an href.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use super::AppState;
use crate::store::Store;

/// Characters escaped in one path segment (besides non-ASCII, always escaped).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// The broker's base URL (no trailing slash), from `--public-url` or the request's `Host`.
#[derive(Debug, Clone)]
pub(crate) struct Base(String);

impl<S: Store> FromRequestParts<AppState<S>> for Base {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(url) = &state.config.public_url {
            return Ok(Base(url.trim_end_matches('/').to_owned()));
        }
        let header_str = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let scheme = match header_str("x-forwarded-proto") {
            Some("https") => "https",
            _ => "http",
        };
        let host = header_str(header::HOST.as_str())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c))
            })
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Ok(Base(format!("{scheme}://{host}")))
    }
}

fn seg(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

impl Base {
    #[cfg(test)]
    pub(crate) fn for_tests(base: &str) -> Self {
        Base(base.to_owned())
    }

    /// `{base}` followed by the given already-built path.
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }

    pub(crate) fn index(&self) -> String {
        self.at("/")
    }
    pub(crate) fn pacticipants(&self) -> String {
        self.at("/pacticipants")
    }
    pub(crate) fn pacticipant(&self, p: &str) -> String {
        self.at(&format!("/pacticipants/{}", seg(p)))
    }
    pub(crate) fn versions(&self, p: &str) -> String {
        format!("{}/versions", self.pacticipant(p))
    }
    pub(crate) fn version(&self, p: &str, v: &str) -> String {
        format!("{}/versions/{}", self.pacticipant(p), seg(v))
    }
    pub(crate) fn latest_version(&self, p: &str) -> String {
        format!("{}/latest-version", self.pacticipant(p))
    }
    pub(crate) fn tag(&self, p: &str, v: &str, t: &str) -> String {
        format!("{}/tags/{}", self.version(p, v), seg(t))
    }
    pub(crate) fn branches(&self, p: &str) -> String {
        format!("{}/branches", self.pacticipant(p))
    }
    pub(crate) fn branch(&self, p: &str, b: &str) -> String {
        format!("{}/branches/{}", self.pacticipant(p), seg(b))
    }
    pub(crate) fn branch_versions(&self, p: &str, b: &str) -> String {
        format!("{}/versions", self.branch(p, b))
    }
    pub(crate) fn branch_version(&self, p: &str, b: &str, v: &str) -> String {
        format!("{}/versions/{}", self.branch(p, b), seg(v))
    }
    pub(crate) fn matrix(&self) -> String {
        self.at("/matrix")
    }
    pub(crate) fn can_i_deploy(&self) -> String {
        self.at("/can-i-deploy")
    }
    pub(crate) fn pacts_for_verification(&self, provider: &str) -> String {
        format!("{}/for-verification", self.provider_pacts(provider))
    }
    /// A pact URL carrying selection metadata, as handed to verifiers.
    pub(crate) fn pact_sha_with_metadata(
        &self,
        provider: &str,
        consumer: &str,
        sha: &str,
        metadata: &str,
    ) -> String {
        format!(
            "{}/metadata/{}",
            self.pact_sha(provider, consumer, sha),
            seg(metadata)
        )
    }
    pub(crate) fn coupling(&self) -> String {
        self.at("/coupling")
    }
    pub(crate) fn deployment_plan(&self) -> String {
        self.at("/deployment-plan")
    }
    pub(crate) fn environments(&self) -> String {
        self.at("/environments")
    }
    pub(crate) fn environment(&self, uuid: &str) -> String {
        self.at(&format!("/environments/{}", seg(uuid)))
    }
    pub(crate) fn currently_deployed(&self, env: &str) -> String {
        format!(
            "{}/deployed-versions/currently-deployed",
            self.environment(env)
        )
    }
    pub(crate) fn currently_supported(&self, env: &str) -> String {
        format!(
            "{}/released-versions/currently-supported",
            self.environment(env)
        )
    }
    pub(crate) fn record_deployment(&self, p: &str, v: &str, env: &str) -> String {
        format!(
            "{}/deployed-versions/environment/{}",
            self.version(p, v),
            seg(env)
        )
    }
    pub(crate) fn record_release(&self, p: &str, v: &str, env: &str) -> String {
        format!(
            "{}/released-versions/environment/{}",
            self.version(p, v),
            seg(env)
        )
    }
    pub(crate) fn deployed_version(&self, uuid: &str) -> String {
        self.at(&format!("/deployed-versions/{}", seg(uuid)))
    }
    pub(crate) fn released_version(&self, uuid: &str) -> String {
        self.at(&format!("/released-versions/{}", seg(uuid)))
    }
    pub(crate) fn provider_pacts(&self, provider: &str) -> String {
        self.at(&format!("/pacts/provider/{}", seg(provider)))
    }
    pub(crate) fn integration(&self, provider: &str, consumer: &str) -> String {
        format!(
            "{}/consumer/{}",
            self.provider_pacts(provider),
            seg(consumer)
        )
    }
    pub(crate) fn pact(&self, provider: &str, consumer: &str, v: &str) -> String {
        format!(
            "{}/version/{}",
            self.integration(provider, consumer),
            seg(v)
        )
    }
    pub(crate) fn latest_pact(&self, provider: &str, consumer: &str) -> String {
        format!("{}/latest", self.integration(provider, consumer))
    }
    pub(crate) fn pact_versions(&self, provider: &str, consumer: &str) -> String {
        format!("{}/versions", self.integration(provider, consumer))
    }
    pub(crate) fn pact_sha(&self, provider: &str, consumer: &str, sha: &str) -> String {
        format!(
            "{}/pact-version/{}",
            self.integration(provider, consumer),
            seg(sha)
        )
    }
    /// Where verification results of content `sha` are published, keeping the verifier's
    /// metadata segment when the pact was fetched through one.
    pub(crate) fn verification_results(
        &self,
        provider: &str,
        consumer: &str,
        sha: &str,
        metadata: Option<&str>,
    ) -> String {
        match metadata {
            Some(m) => format!(
                "{}/metadata/{}/verification-results",
                self.pact_sha(provider, consumer, sha),
                seg(m)
            ),
            None => format!(
                "{}/verification-results",
                self.pact_sha(provider, consumer, sha)
            ),
        }
    }
    pub(crate) fn verification(&self, provider: &str, consumer: &str, sha: &str, n: i64) -> String {
        format!(
            "{}/{n}",
            self.verification_results(provider, consumer, sha, None)
        )
    }
    pub(crate) fn latest_verification(&self, provider: &str, consumer: &str, sha: &str) -> String {
        format!(
            "{}/latest",
            self.verification_results(provider, consumer, sha, None)
        )
    }
}

/// `{"href": ...}`.
pub(crate) fn link(href: String) -> Value {
    json!({ "href": href })
}

/// `{"href", "name", "title"}`.
pub(crate) fn named(href: String, name: &str, title: &str) -> Value {
    json!({ "href": href, "name": name, "title": title })
}

/// `{"href", "templated": true}` for an href containing `{placeholders}`.
pub(crate) fn templated(href: String) -> Value {
    json!({ "href": href, "templated": true })
}

/// A HAL response: the status, `Content-Type: application/hal+json;charset=utf-8`, the body.
#[derive(Debug)]
pub(crate) struct Hal(pub(crate) StatusCode, pub(crate) Value);

impl Hal {
    pub(crate) fn ok(body: Value) -> Self {
        Self(StatusCode::OK, body)
    }
    pub(crate) fn created_or_ok(created: bool, body: Value) -> Self {
        Self(
            if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            body,
        )
    }
}

impl IntoResponse for Hal {
    fn into_response(self) -> Response {
        let location = (self.0 == StatusCode::CREATED)
            .then(|| self.1["_links"]["self"]["href"].as_str().map(str::to_owned))
            .flatten();
        let mut response = (self.0, self.1.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/hal+json;charset=utf-8"),
        );
        if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        let base = Base::for_tests("http://b:1");
        assert_eq!(
            base.branch("My App", "feat/x"),
            "http://b:1/pacticipants/My%20App/branches/feat%2Fx"
        );
        assert_eq!(
            base.version("a", "1.0+b?c#d"),
            "http://b:1/pacticipants/a/versions/1.0+b%3Fc%23d"
        );
        assert_eq!(
            base.pacticipant("Ünï"),
            "http://b:1/pacticipants/%C3%9Cn%C3%AF"
        );
    }

    #[test]
    fn verification_url_keeps_metadata() {
        let base = Base::for_tests("http://b");
        assert_eq!(
            base.verification_results("P", "C", "abc", Some("m1")),
            "http://b/pacts/provider/P/consumer/C/pact-version/abc/metadata/m1/verification-results"
        );
    }
}
