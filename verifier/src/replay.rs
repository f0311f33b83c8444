//! Replaying a request against the provider: building the URL, headers and body from the
//! contract's request, sending it and reading the provider's answer back into the model.

use std::time::Duration;

use accord_contracts_format::{Body, HttpRequest, HttpResponse};
use indexmap::IndexMap;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use url::form_urlencoded;

use crate::error::InteractionError;

/// Headers that describe one connection or message framing rather than the request; a
/// contract recorded from real traffic may contain them, but the client sets its own.
const CONNECTION_HEADERS: [&str; 5] = [
    "content-length",
    "host",
    "connection",
    "transfer-encoding",
    "keep-alive",
];

/// Changes each request before it is sent: add authentication, rewrite a host... Filters see
/// the request after generators have run.
pub trait RequestFilter: Send + Sync {
    /// Modifies the request in place.
    fn filter(&self, request: &mut HttpRequest);
}

/// The URL of `request` under the provider's base URL (whose path is kept as a prefix).
pub(crate) fn request_url(base: &url::Url, request: &HttpRequest) -> url::Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    let path = if request.path.starts_with('/') {
        format!("{prefix}{}", request.path)
    } else {
        format!("{prefix}/{}", request.path)
    };
    url.set_path(&path);
    // The raw query string is the consumer's exact wire form; generators drop it when they
    // change a parameter.
    let query = match (&request.query, &request.raw_query) {
        (_, Some(raw)) => Some(raw.clone()),
        (Some(query), None) => {
            let mut serializer = form_urlencoded::Serializer::new(String::new());
            for (name, values) in query {
                for value in values {
                    serializer.append_pair(name, value);
                }
            }
            Some(serializer.finish())
        }
        (None, None) => None,
    };
    url.set_query(query.as_deref().filter(|q| !q.is_empty()));
    url
}

/// Sends `request` to `url` (see [`request_url`]) and reads the answer.
pub(crate) async fn send(
    client: &reqwest::Client,
    url: url::Url,
    request: &HttpRequest,
    timeout: Duration,
) -> Result<HttpResponse, InteractionError> {
    let method = reqwest::Method::from_bytes(request.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| {
            InteractionError::InvalidRequest(format!("bad method {:?}", request.method))
        })?;
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, values) in request.headers.iter().flatten() {
        // The client computes these for the request it actually sends.
        if CONNECTION_HEADERS
            .iter()
            .any(|managed| name.eq_ignore_ascii_case(managed))
        {
            continue;
        }
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| InteractionError::InvalidRequest(format!("bad header name {name:?}")))?;
        for value in values {
            let value = HeaderValue::from_str(value).map_err(|_| {
                InteractionError::InvalidRequest(format!("bad value {value:?} for header {name}"))
            })?;
            headers.append(header.clone(), value);
        }
    }
    if let Some(content_type) = request.body.content_type()
        && !headers.contains_key(CONTENT_TYPE)
        && let Ok(value) = HeaderValue::from_str(content_type)
    {
        headers.insert(CONTENT_TYPE, value);
    }
    let mut builder = client.request(method.clone(), url.clone()).headers(headers);
    if !matches!(request.body, Body::Missing) {
        builder = builder.body(request.body.to_bytes());
    }
    let transport =
        |source: reqwest::Error| provider_error(source, method.as_str(), url.as_str(), timeout);
    let response = builder.send().await.map_err(transport)?;
    let status = response.status().as_u16();
    let headers = headers_from_wire(response.headers());
    let bytes = response.bytes().await.map_err(transport)?;
    let content_type = headers.get("content-type").and_then(|v| v.first());
    Ok(HttpResponse {
        status,
        body: Body::from_wire(&bytes, content_type.map(String::as_str)),
        headers: Some(headers),
        ..HttpResponse::default()
    })
}

/// Classifies a transport error of a request to the provider.
pub(crate) fn provider_error(
    source: reqwest::Error,
    method: &str,
    url: &str,
    timeout: Duration,
) -> InteractionError {
    if source.is_timeout() {
        InteractionError::Timeout {
            method: method.to_owned(),
            url: url.to_owned(),
            timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        }
    } else if source.is_connect() {
        InteractionError::ProviderUnreachable {
            url: url.to_owned(),
            source,
        }
    } else {
        InteractionError::Transport {
            url: url.to_owned(),
            source,
        }
    }
}

/// Applies the custom headers of the options: each replaces any header of the same name.
pub(crate) fn apply_custom_headers(request: &mut HttpRequest, custom: &[(String, String)]) {
    if custom.is_empty() {
        return;
    }
    let headers = request.headers.get_or_insert_with(Default::default);
    for (name, value) in custom {
        headers.retain(|existing, _| !existing.eq_ignore_ascii_case(name));
        headers.insert(name.clone(), vec![value.clone()]);
    }
}

/// Response headers as read from the wire, in the model's shape (lower-case names).
pub(crate) fn headers_from_wire(
    headers: &reqwest::header::HeaderMap,
) -> IndexMap<String, Vec<String>> {
    let mut map = IndexMap::<String, Vec<String>>::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_owned()).or_default().push(value);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_base_path_and_encode_the_query() {
        let base = url::Url::parse("http://localhost:1234/api/").unwrap();
        let mut request = HttpRequest {
            path: "/orders/1".into(),
            ..HttpRequest::default()
        };
        let mut query = accord_contracts_format::Query::default();
        query.insert("q".into(), vec!["a b".into(), "c&d".into()]);
        request.query = Some(query);
        assert_eq!(
            request_url(&base, &request).as_str(),
            "http://localhost:1234/api/orders/1?q=a+b&q=c%26d"
        );
    }

    #[test]
    fn custom_headers_replace_contract_headers() {
        let mut request = HttpRequest::default();
        let mut headers = accord_contracts_format::Query::default();
        headers.insert("authorization".into(), vec!["Bearer old".into()]);
        request.headers = Some(headers);
        apply_custom_headers(
            &mut request,
            &[("Authorization".into(), "Bearer new".into())],
        );
        let headers = request.headers.unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(headers["Authorization"], vec!["Bearer new".to_owned()]);
    }
}
