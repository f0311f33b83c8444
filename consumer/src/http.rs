//! Converting between axum's HTTP types and the contract model, shared by the mock provider
//! and the stub server.

use axum::body::{Body as AxumBody, Bytes};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use serde_json::Value;

use accord_contracts_format::{Body, HttpRequest, HttpResponse, parse_query_string};

/// Requests larger than this are refused (a consumer has no business sending more).
pub(crate) const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The request as the matching engine sees it. The path is percent-decoded: contracts hold
/// decoded paths (`/search/a b`), which clients send encoded (`/search/a%20b`).
pub(crate) fn to_model_request(parts: &Parts, bytes: &[u8]) -> HttpRequest {
    let mut headers: IndexMap<String, Vec<String>> = IndexMap::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        headers
            .entry(name.as_str().to_owned())
            .or_default()
            .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    let content_type = parts
        .headers
        .get("content-type")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let raw_query = parts.uri.query();
    HttpRequest {
        method: parts.method.as_str().to_owned(),
        path: percent_encoding::percent_decode_str(parts.uri.path())
            .decode_utf8_lossy()
            .into_owned(),
        query: raw_query.map(parse_query_string),
        raw_query: raw_query.map(str::to_owned),
        headers: Some(headers),
        body: Body::from_wire(bytes, content_type.as_deref()),
        ..HttpRequest::default()
    }
}

/// A response ready to send many times: status, headers and body bytes, rendered once.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Rendered {
    pub(crate) fn of(expected: &HttpResponse) -> Self {
        let mut headers = HeaderMap::new();
        for (name, values) in expected.headers.iter().flatten() {
            let Ok(name) = HeaderName::try_from(name.as_str()) else {
                tracing::warn!(header = %name, "skipping a response header with an invalid name");
                continue;
            };
            for value in values {
                if let Ok(value) = HeaderValue::try_from(value.as_str()) {
                    headers.append(name.clone(), value);
                }
            }
        }
        Rendered {
            status: StatusCode::from_u16(expected.status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers,
            body: Bytes::from(expected.body.to_bytes()),
        }
    }

    pub(crate) fn to_response(&self) -> Response {
        let mut response = Response::new(AxumBody::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// `expected` as an axum response.
pub(crate) fn to_response(expected: &HttpResponse) -> Response {
    Rendered::of(expected).to_response()
}

/// A JSON response with `status`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}
