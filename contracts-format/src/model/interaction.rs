//! Interactions: HTTP request/response pairs, asynchronous messages and synchronous messages.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{Body, Generators, MatchingRules, ProviderState};

/// One interaction of a contract, with the fields every kind shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// What the interaction is about; unique in a file together with its provider states.
    pub description: String,
    /// V4's `key`: an identifier of the interaction, if the file gives one.
    pub key: Option<String>,
    /// States the provider must be in first, in order.
    pub provider_states: Vec<ProviderState>,
    /// V4's `pending` flag: failures of this interaction do not fail a verification.
    pub pending: bool,
    /// V4's `comments` (`testname`, `text`...).
    pub comments: Map<String, Value>,
    /// Fields Accord does not interpret (`pluginConfiguration`, `interactionMarkup`,
    /// `transport`, `_id`...), kept so that they survive a round trip.
    pub extra: Map<String, Value>,
    /// The request/response or message parts.
    pub kind: InteractionKind,
}

/// The parts that differ between kinds of interaction.
// HTTP is by far the common kind; boxing it to shrink the enum would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum InteractionKind {
    /// `Synchronous/HTTP`: a request and its response.
    Http {
        /// What the consumer sends.
        request: HttpRequest,
        /// What the provider answers.
        response: HttpResponse,
    },
    /// `Asynchronous/Messages`: a message the provider produces and the consumer handles.
    AsyncMessage(Message),
    /// `Synchronous/Messages`: a request message and the response messages.
    SyncMessage(SyncMessage),
}

impl Interaction {
    /// An HTTP interaction with no provider states.
    pub fn http(
        description: impl Into<String>,
        request: HttpRequest,
        response: HttpResponse,
    ) -> Self {
        Self::with_kind(description, InteractionKind::Http { request, response })
    }

    /// An asynchronous message interaction with no provider states.
    pub fn async_message(description: impl Into<String>, message: Message) -> Self {
        Self::with_kind(description, InteractionKind::AsyncMessage(message))
    }

    fn with_kind(description: impl Into<String>, kind: InteractionKind) -> Self {
        Interaction {
            description: description.into(),
            key: None,
            provider_states: Vec::new(),
            pending: false,
            comments: Map::new(),
            extra: Map::new(),
            kind,
        }
    }

    /// The V4 `type` string of this interaction.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            InteractionKind::Http { .. } => "Synchronous/HTTP",
            InteractionKind::AsyncMessage(_) => "Asynchronous/Messages",
            InteractionKind::SyncMessage(_) => "Synchronous/Messages",
        }
    }
}

/// Query parameters: each name with its values, in order.
pub type Query = IndexMap<String, Vec<String>>;

/// An HTTP request as a contract states it (expected) or as seen on the wire (actual).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The method, upper-case by convention (matching ignores case).
    pub method: String,
    /// The path, starting with `/`.
    pub path: String,
    /// The query parameters, or `None` when the contract says nothing about them.
    pub query: Option<Query>,
    /// The query string exactly as a V1/V2 file (or the wire) wrote it. V1 matching compares
    /// query strings rather than parameters, so the raw form must be kept.
    pub raw_query: Option<String>,
    /// Headers by name (as written; names compare case-insensitively), or `None` when the
    /// contract says nothing about them.
    pub headers: Option<IndexMap<String, Vec<String>>>,
    /// The body.
    pub body: Body,
    /// Matching rules for the request's parts (`path`, `query`, `header`, `body`, `method`).
    pub matching_rules: MatchingRules,
    /// Generators for the request's parts, applied by the verifier.
    pub generators: Generators,
}

impl Default for HttpRequest {
    fn default() -> Self {
        HttpRequest {
            method: "GET".to_owned(),
            path: "/".to_owned(),
            query: None,
            raw_query: None,
            headers: None,
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
        }
    }
}

/// An HTTP response as a contract states it (expected) or as seen on the wire (actual).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers by name, or `None` when the contract says nothing about them.
    pub headers: Option<IndexMap<String, Vec<String>>>,
    /// The body.
    pub body: Body,
    /// Matching rules for the response's parts (`status`, `header`, `body`).
    pub matching_rules: MatchingRules,
    /// Generators for the response's parts, applied by the mock provider.
    pub generators: Generators,
}

impl Default for HttpResponse {
    fn default() -> Self {
        HttpResponse {
            status: 200,
            headers: None,
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
        }
    }
}

/// A message: contents plus metadata (content type, topic, routing keys...).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// The payload.
    pub contents: Body,
    /// Metadata values by key (V3 `metaData`, V4 `metadata`).
    pub metadata: Map<String, Value>,
    /// Matching rules; the contents' rules are in the `body` category (V4 files call it
    /// `content`), metadata rules in `metadata`.
    pub matching_rules: MatchingRules,
    /// Generators for the contents and metadata.
    pub generators: Generators,
}

/// A synchronous message exchange: one request message and its response messages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncMessage {
    /// The request message.
    pub request: Message,
    /// The response messages (usually one).
    pub responses: Vec<Message>,
}

/// Looks a header up by name, ignoring case.
pub fn find_header<'a>(
    headers: &'a IndexMap<String, Vec<String>>,
    name: &str,
) -> Option<&'a Vec<String>> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, values)| values)
}

impl HttpRequest {
    /// The `Content-Type` header's first value, or the body's declared content type.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .as_ref()
            .and_then(|h| find_header(h, "content-type"))
            .and_then(|v| v.first())
            .map(String::as_str)
            .or_else(|| self.body.content_type())
    }
}

impl HttpResponse {
    /// The `Content-Type` header's first value, or the body's declared content type.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .as_ref()
            .and_then(|h| find_header(h, "content-type"))
            .and_then(|v| v.first())
            .map(String::as_str)
            .or_else(|| self.body.content_type())
    }
}
