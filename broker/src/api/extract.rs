//! Request extractors whose rejections are [`ApiError`]s, so malformed input gets the same
//! JSON error body as every other failure.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON request body. An empty body reads as `{}` (so required fields are reported by
/// name); a non-empty body must have a JSON content type.
#[derive(Debug)]
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawJson(bytes) = RawJson::from_request(req, state).await?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
            Bytes::from_static(b"{}")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::invalid("body", format!("is not valid: {e}")))
    }
}

/// The raw bytes of a body that must be JSON (checked by content type, not parsed), within
/// the body limit.
#[derive(Debug)]
pub(crate) struct RawJson(pub(crate) Bytes);

impl<S> FromRequest<S> for RawJson
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").to_owned());
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::invalid("body", rejection.body_text())
            }
        })?;
        if !bytes.is_empty() {
            match content_type {
                Some(ct) if is_json(&ct) => {}
                Some(ct) => {
                    return Err(ApiError::UnsupportedMediaType(format!(
                        "\"{ct}\" is not accepted; send application/json"
                    )));
                }
                None => {
                    return Err(ApiError::UnsupportedMediaType(
                        "is missing; send Content-Type: application/json".into(),
                    ));
                }
            }
        }
        Ok(RawJson(bytes))
    }
}

/// `application/json`, `application/merge-patch+json`, `application/hal+json`, ... with
/// optional parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Path parameters; a rejection (e.g. invalid percent-encoding) is a JSON 400.
#[derive(Debug)]
pub(crate) struct Segments<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Segments<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        refuse_nul("path", parts.uri.path())?;
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Segments(value))
            .map_err(|rejection| ApiError::invalid("path", rejection.body_text()))
    }
}

/// Refuses an encoded NUL character: no name may contain one, and PostgreSQL text cannot.
fn refuse_nul(field: &str, raw: &str) -> Result<(), ApiError> {
    if raw.to_ascii_lowercase().contains("%00") {
        return Err(ApiError::invalid(field, "cannot contain NUL characters"));
    }
    Ok(())
}

/// Query parameters; a rejection is a JSON 400.
#[derive(Debug)]
pub(crate) struct QueryParams<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        refuse_nul("query", parts.uri.query().unwrap_or(""))?;
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| QueryParams(value))
            .map_err(|rejection| ApiError::invalid("query", rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_content_types() {
        for ct in [
            "application/json",
            "application/json; charset=utf-8",
            "application/merge-patch+json",
            "application/hal+json;charset=utf-8",
            "Application/JSON",
        ] {
            assert!(is_json(ct), "{ct}");
        }
        for ct in ["text/plain", "application/xml", "multipart/form-data", ""] {
            assert!(!is_json(ct), "{ct}");
        }
    }
}
