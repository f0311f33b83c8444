//! The request of an HTTP interaction.

use indexmap::IndexMap;

use accord_contracts_format::{GeneratorCategory, HttpRequest, RuleCategory};

use super::{BodySpec, HttpParts, Sink};
use crate::error::BuildError;
use crate::matchers::Template;

/// Builds the request the consumer sends: method, path, query, headers, body. Every value
/// may be a [`Template`] with matchers, so the mock provider accepts more than the example.
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    method: String,
    path: Template,
    query: IndexMap<String, Vec<Template>>,
    parts: HttpParts,
}

impl Default for RequestBuilder {
    fn default() -> Self {
        RequestBuilder {
            method: "GET".to_owned(),
            path: Template::from("/"),
            query: IndexMap::new(),
            parts: HttpParts::default(),
        }
    }
}

impl RequestBuilder {
    /// Sets the method (upper-cased) and path.
    pub fn method(mut self, method: &str, path: impl Into<Template>) -> Self {
        self.method = method.to_ascii_uppercase();
        self.path = path.into();
        self
    }

    /// `GET path`.
    pub fn get(self, path: impl Into<Template>) -> Self {
        self.method("GET", path)
    }

    /// `POST path`.
    pub fn post(self, path: impl Into<Template>) -> Self {
        self.method("POST", path)
    }

    /// `PUT path`.
    pub fn put(self, path: impl Into<Template>) -> Self {
        self.method("PUT", path)
    }

    /// `PATCH path`.
    pub fn patch(self, path: impl Into<Template>) -> Self {
        self.method("PATCH", path)
    }

    /// `DELETE path`.
    pub fn delete(self, path: impl Into<Template>) -> Self {
        self.method("DELETE", path)
    }

    /// Adds a value of query parameter `name`; call again to add more values.
    pub fn query(mut self, name: &str, value: impl Into<Template>) -> Self {
        self.query
            .entry(name.to_owned())
            .or_default()
            .push(value.into());
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

    pub(super) fn build(&self, sink: &mut Sink<'_>) -> Result<HttpRequest, BuildError> {
        let path = sink.text_value(
            &self.path,
            "path",
            RuleCategory::Path,
            GeneratorCategory::Path,
            "$",
        )?;
        let mut query = IndexMap::new();
        for (name, templates) in &self.query {
            let what = format!("query {name}");
            let mut values = Vec::with_capacity(templates.len());
            for template in templates {
                values.push(sink.text_value(
                    template,
                    &what,
                    RuleCategory::Query,
                    GeneratorCategory::Query,
                    name,
                )?);
            }
            query.insert(name.clone(), values);
        }
        let (headers, body) = self.parts.compile(sink)?;
        Ok(HttpRequest {
            method: self.method.clone(),
            path,
            query: (!query.is_empty()).then_some(query),
            raw_query: None,
            headers,
            body,
            ..HttpRequest::default()
        })
    }
}
