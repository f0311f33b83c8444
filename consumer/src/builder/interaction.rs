//! HTTP interactions, and what every kind of interaction shares: description, provider
//! states, the pending flag and comments.

use serde_json::{Map, Value};

use accord_contracts_format::{
    Generators, HttpRequest, HttpResponse, Interaction, InteractionKind, MatchingRules,
    ProviderState,
};

use super::{RequestBuilder, ResponseBuilder, Sink};
use crate::error::BuildError;

/// The fields every kind of interaction has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Common {
    pub(crate) description: String,
    states: Vec<(String, Value)>,
    pending: bool,
    comments: Map<String, Value>,
}

impl Common {
    pub(crate) fn new(description: &str) -> Self {
        Common {
            description: description.to_owned(),
            ..Common::default()
        }
    }

    pub(crate) fn given(&mut self, state: &str, params: Value) {
        self.states.push((state.to_owned(), params));
    }

    pub(crate) fn pending(&mut self, pending: bool) {
        self.pending = pending;
    }

    pub(crate) fn comment(&mut self, text: &str) {
        let list = self
            .comments
            .entry("text")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            items.push(Value::String(text.to_owned()));
        }
    }

    /// The interaction with these fields and `kind`.
    pub(crate) fn finish(self, kind: InteractionKind) -> Result<Interaction, BuildError> {
        let mut provider_states = Vec::with_capacity(self.states.len());
        for (name, params) in self.states {
            let params = match params {
                Value::Null => Map::new(),
                Value::Object(map) => map,
                found => {
                    return Err(BuildError::StateParams {
                        interaction: self.description,
                        state: name,
                        found,
                    });
                }
            };
            provider_states.push(ProviderState { name, params });
        }
        Ok(Interaction {
            description: self.description,
            key: None,
            provider_states,
            pending: self.pending,
            comments: self.comments,
            extra: Map::new(),
            kind,
        })
    }
}

/// Methods for the fields every interaction builder shares.
macro_rules! common_methods {
    () => {
        /// Adds a provider state the provider must be in first.
        pub fn given(mut self, state: &str) -> Self {
            self.common.given(state, serde_json::Value::Null);
            self
        }

        /// Adds a provider state with parameters (a JSON object) for the provider's
        /// state-change handler.
        pub fn given_with(mut self, state: &str, params: serde_json::Value) -> Self {
            self.common.given(state, params);
            self
        }

        /// Marks the interaction as pending: providers are told about failures of it but
        /// their verification does not fail (V4 only).
        pub fn pending(mut self, pending: bool) -> Self {
            self.common.pending(pending);
            self
        }

        /// Adds a comment for people reading the contract (V4 only).
        pub fn comment(mut self, text: &str) -> Self {
            self.common.comment(text);
            self
        }
    };
}

pub(crate) use common_methods;

/// Builds one HTTP interaction: provider states, the request the consumer sends and the
/// response it expects. Created by [`ContractBuilder::interaction`](super::ContractBuilder::interaction).
#[derive(Debug, Clone)]
pub struct InteractionBuilder {
    common: Common,
    request: RequestBuilder,
    response: ResponseBuilder,
}

impl InteractionBuilder {
    pub(crate) fn new(description: &str) -> Self {
        InteractionBuilder {
            common: Common::new(description),
            request: RequestBuilder::default(),
            response: ResponseBuilder::default(),
        }
    }

    common_methods!();

    /// Describes the request (`GET /` unless set).
    pub fn request(mut self, build: impl FnOnce(RequestBuilder) -> RequestBuilder) -> Self {
        self.request = build(self.request);
        self
    }

    /// Describes the expected response (status 200 and nothing else unless set).
    pub fn response(mut self, build: impl FnOnce(ResponseBuilder) -> ResponseBuilder) -> Self {
        self.response = build(self.response);
        self
    }

    pub(crate) fn build(self) -> Result<Interaction, BuildError> {
        let description = self.common.description.as_str();
        let mut request_rules = MatchingRules::default();
        let mut request_generators = Generators::default();
        let request: HttpRequest = self.request.build(&mut Sink {
            interaction: description,
            part: "request",
            rules: &mut request_rules,
            generators: &mut request_generators,
        })?;
        let mut response_rules = MatchingRules::default();
        let mut response_generators = Generators::default();
        let response: HttpResponse = self.response.build(&mut Sink {
            interaction: description,
            part: "response",
            rules: &mut response_rules,
            generators: &mut response_generators,
        })?;
        let request = HttpRequest {
            matching_rules: request_rules,
            generators: request_generators,
            ..request
        };
        let response = HttpResponse {
            matching_rules: response_rules,
            generators: response_generators,
            ..response
        };
        self.common
            .finish(InteractionKind::Http { request, response })
    }
}
