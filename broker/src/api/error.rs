//! The one error type of the HTTP layer and how each kind is answered.
//!
//! Every error body is JSON in Pact's shape: `{"errors": {"<field>": ["<message>", ...]}}`.
//! Backend failures are logged once here and answered with a generic message.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::store::StoreError;

/// An HTTP error answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404.
    #[error("{0} not found")]
    NotFound(String),
    /// 409: the write contradicts stored data.
    #[error("{0}")]
    Conflict(String),
    /// 400: bad input, per field.
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    /// 422: well-formed but not allowed.
    #[error("{1}")]
    Unprocessable(String, String),
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 413: the body is larger than the limit.
    #[error("request body too large")]
    PayloadTooLarge,
    /// 401: credentials missing or wrong.
    #[error("authentication required")]
    Unauthorized,
    /// 403: credentials valid but read-only.
    #[error("read-only credentials cannot write")]
    Forbidden,
    /// 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 500: the store failed.
    #[error("store failure")]
    Backend(#[source] StoreError),
    /// 500: stored data could not be served (logged, generic body).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 about one field.
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![(field.into(), message.into())])
    }

    /// The status code of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Invalid(_) => StatusCode::BAD_REQUEST,
            Self::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Backend(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> Value {
        let fields: Vec<(String, String)> = match self {
            Self::NotFound(what) => vec![("resource".into(), format!("{what} not found"))],
            Self::Conflict(what) => vec![("content".into(), what.clone())],
            Self::Invalid(fields) => fields.clone(),
            Self::Unprocessable(field, message) => vec![(field.clone(), message.clone())],
            Self::UnsupportedMediaType(message) => vec![("contentType".into(), message.clone())],
            Self::PayloadTooLarge => {
                vec![("body".into(), "is larger than the broker accepts".into())]
            }
            Self::Unauthorized => vec![(
                "authorization".into(),
                "credentials are missing or wrong (use HTTP basic or a bearer token)".into(),
            )],
            Self::Forbidden => {
                vec![(
                    "authorization".into(),
                    "read-only credentials cannot change data".into(),
                )]
            }
            Self::MethodNotAllowed => {
                vec![("method".into(), "is not allowed on this resource".into())]
            }
            Self::Backend(_) | Self::Internal(_) => {
                vec![(
                    "server".into(),
                    "the broker could not complete the request".into(),
                )]
            }
        };
        let mut errors = Map::new();
        for (field, message) in fields {
            match errors
                .entry(field)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(list) => list.push(Value::String(message)),
                other => *other = json!([message]),
            }
        }
        let mut body = json!({ "errors": errors });
        if let Self::Conflict(what) = self {
            body["notices"] = json!([{ "type": "error", "text": what }]);
        }
        body
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::Conflict { what } => Self::Conflict(what),
            other => Self::Backend(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Backend(source) => {
                tracing::error!(error = %source, cause = ?std::error::Error::source(source), "store failure");
            }
            Self::Internal(problem) => tracing::error!(problem, "internal error"),
            _ => {}
        }
        let status = self.status();
        let mut response = (status, self.body().to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=utf-8"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Accord broker\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_use_pacts_shape() {
        let error = ApiError::Invalid(vec![
            ("name".into(), "cannot be blank".into()),
            ("name".into(), "too short".into()),
            ("branch".into(), "bad".into()),
        ]);
        assert_eq!(
            error.body(),
            json!({"errors": {"name": ["cannot be blank", "too short"], "branch": ["bad"]}})
        );
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn backend_errors_leak_nothing() {
        let error = ApiError::from(StoreError::Backend(sqlx::Error::PoolTimedOut));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!error.body().to_string().contains("Pool"));
    }

    #[test]
    fn conflicts_carry_a_notice() {
        let body = ApiError::Conflict("changed".into()).body();
        assert_eq!(body["notices"][0]["type"], "error");
        assert_eq!(body["errors"]["content"][0], "changed");
    }
}
