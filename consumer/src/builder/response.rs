//! The expected response of an HTTP interaction.

use accord_contracts_format::{HttpResponse, Matcher, RuleCategory, StatusClass, StatusCodes};

use super::{BodySpec, HttpParts, Sink};
use crate::error::{BuildError, TemplateError, TemplateProblem};
use crate::matchers::Template;

/// Builds the response the consumer expects: status, headers, body.
#[derive(Debug, Clone)]
pub struct ResponseBuilder {
    status: u16,
    status_class: Option<StatusClass>,
    parts: HttpParts,
}

impl Default for ResponseBuilder {
    fn default() -> Self {
        ResponseBuilder {
            status: 200,
            status_class: None,
            parts: HttpParts::default(),
        }
    }
}

impl ResponseBuilder {
    /// Sets the status code.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Accepts any status of `class` from the provider; the mock provider answers `example`.
    pub fn status_in(mut self, class: StatusClass, example: u16) -> Self {
        self.status = example;
        self.status_class = Some(class);
        self
    }

    /// Adds a value of header `name` (names compare ignoring case); call again to add more.
    pub fn header(mut self, name: &str, value: impl Into<Template>) -> Self {
        self.parts.header(name, value.into());
        self
    }

    /// Sets a JSON body (and `Content-Type: application/json` unless a header says
    /// otherwise).
    pub fn json_body(mut self, body: impl Into<Template>) -> Self {
        self.parts.body = BodySpec::Json(body.into());
        self
    }

    /// Sets a text body with its content type.
    pub fn body(mut self, text: impl Into<String>, content_type: &str) -> Self {
        self.parts.body = BodySpec::Text {
            text: text.into(),
            content_type: content_type.to_owned(),
        };
        self
    }

    /// Sets a binary body with its content type.
    pub fn bytes_body(mut self, bytes: impl Into<Vec<u8>>, content_type: &str) -> Self {
        self.parts.body = BodySpec::Bytes {
            bytes: bytes.into(),
            content_type: content_type.to_owned(),
        };
        self
    }

    pub(super) fn build(&self, sink: &mut Sink<'_>) -> Result<HttpResponse, BuildError> {
        if let Some(class) = self.status_class {
            if !class.contains(self.status) {
                return Err(sink.error(
                    "status",
                    TemplateError::new(
                        "$",
                        TemplateProblem::WrongExample {
                            matcher: "status_in",
                            expected: "a status of the class",
                            found: self.status.into(),
                        },
                    ),
                ));
            }
            sink.rules.add(
                RuleCategory::Status,
                "$",
                Matcher::StatusCode(StatusCodes::Class(class)),
            );
        }
        let (headers, body) = self.parts.compile(sink)?;
        Ok(HttpResponse {
            status: self.status,
            headers,
            body,
            ..HttpResponse::default()
        })
    }
}
