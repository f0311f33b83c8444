//! Asynchronous and synchronous message interactions.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use accord_contracts_format::{
    Body, BodyValue, GeneratorCategory, Generators, Interaction, InteractionKind, MatchingRules,
    Message, RuleCategory, SyncMessage,
};

use super::Sink;
use super::interaction::{Common, common_methods};
use crate::error::BuildError;
use crate::matchers::{Template, compile_value};

/// A message as the consumer's handler sees it: the example contents and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageExample {
    /// The contents: the JSON document, or a JSON string for text contents, or `null` when
    /// the message has none.
    pub contents: Value,
    /// The metadata (content type, topic...).
    pub metadata: Map<String, Value>,
}

impl MessageExample {
    pub(crate) fn of(message: &Message) -> Self {
        let contents = match message.contents.content().map(|c| &c.value) {
            Some(BodyValue::Json(value)) => value.clone(),
            Some(BodyValue::Text(text)) => Value::String(text.clone()),
            Some(BodyValue::Bytes(bytes)) => {
                Value::Array(bytes.iter().map(|b| Value::from(*b)).collect())
            }
            None => Value::Null,
        };
        MessageExample {
            contents,
            metadata: message.metadata.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
enum Contents {
    #[default]
    None,
    Json(Template),
    Text {
        text: String,
        content_type: String,
    },
}

/// Builds one message: its contents and metadata. Used for asynchronous messages (through
/// [`MessageBuilder`]) and for each side of a synchronous message.
#[derive(Debug, Clone, Default)]
pub struct MessagePartBuilder {
    contents: Contents,
    metadata: IndexMap<String, Template>,
}

impl MessagePartBuilder {
    /// Sets JSON contents (and the `contentType` metadata to `application/json` unless set).
    pub fn json_contents(mut self, contents: impl Into<Template>) -> Self {
        self.contents = Contents::Json(contents.into());
        self
    }

    /// Sets text contents with their content type.
    pub fn text_contents(mut self, text: impl Into<String>, content_type: &str) -> Self {
        self.contents = Contents::Text {
            text: text.into(),
            content_type: content_type.to_owned(),
        };
        self
    }

    /// Sets a metadata entry (topic, routing key...); the value may be any JSON or a matcher
    /// helper.
    pub fn metadata(mut self, key: &str, value: impl Into<Template>) -> Self {
        self.metadata.insert(key.to_owned(), value.into());
        self
    }

    fn build(&self, interaction: &str, part: &str) -> Result<Message, BuildError> {
        let mut rules = MatchingRules::default();
        let mut generators = Generators::default();
        let mut sink = Sink {
            interaction,
            part,
            rules: &mut rules,
            generators: &mut generators,
        };
        let contents = match &self.contents {
            Contents::None => Body::Missing,
            Contents::Json(template) => Body::json(sink.body(template, "contents")?),
            Contents::Text { text, content_type } => Body::text(text.clone(), Some(content_type)),
        };
        let mut metadata = Map::new();
        for (key, template) in &self.metadata {
            let compiled =
                compile_value(template).map_err(|e| sink.error(&format!("metadata {key}"), e))?;
            sink.record(
                compiled.matchers,
                compiled.generator,
                RuleCategory::Metadata,
                GeneratorCategory::Metadata,
                key,
            );
            metadata.insert(key.clone(), compiled.example);
        }
        if let Some(content_type) = contents.content_type()
            && !metadata
                .keys()
                .any(|k| k.eq_ignore_ascii_case("contentType"))
        {
            metadata.insert("contentType".to_owned(), Value::from(content_type));
        }
        Ok(Message {
            contents,
            metadata,
            matching_rules: rules,
            generators,
        })
    }
}

/// Builds an asynchronous message interaction: a message the provider produces and the
/// consumer handles. Created by [`ContractBuilder::message`](super::ContractBuilder::message).
#[derive(Debug, Clone)]
pub struct MessageBuilder {
    common: Common,
    part: MessagePartBuilder,
}

impl MessageBuilder {
    pub(crate) fn new(description: &str) -> Self {
        MessageBuilder {
            common: Common::new(description),
            part: MessagePartBuilder::default(),
        }
    }

    common_methods!();

    /// Sets JSON contents (and the `contentType` metadata to `application/json` unless set).
    pub fn json_contents(mut self, contents: impl Into<Template>) -> Self {
        self.part = self.part.json_contents(contents);
        self
    }

    /// Sets text contents with their content type.
    pub fn text_contents(mut self, text: impl Into<String>, content_type: &str) -> Self {
        self.part = self.part.text_contents(text, content_type);
        self
    }

    /// Sets a metadata entry; the value may be any JSON or a matcher helper.
    pub fn metadata(mut self, key: &str, value: impl Into<Template>) -> Self {
        self.part = self.part.metadata(key, value);
        self
    }

    pub(crate) fn build(self) -> Result<Interaction, BuildError> {
        let message = self.part.build(&self.common.description, "message")?;
        self.common.finish(InteractionKind::AsyncMessage(message))
    }
}

/// Builds a synchronous message interaction: a request message the consumer sends and the
/// response message(s) it expects. Created by
/// [`ContractBuilder::sync_message`](super::ContractBuilder::sync_message).
#[derive(Debug, Clone)]
pub struct SyncMessageBuilder {
    common: Common,
    request: MessagePartBuilder,
    responses: Vec<MessagePartBuilder>,
}

impl SyncMessageBuilder {
    pub(crate) fn new(description: &str) -> Self {
        SyncMessageBuilder {
            common: Common::new(description),
            request: MessagePartBuilder::default(),
            responses: Vec::new(),
        }
    }

    common_methods!();

    /// Describes the request message.
    pub fn request(mut self, build: impl FnOnce(MessagePartBuilder) -> MessagePartBuilder) -> Self {
        self.request = build(self.request);
        self
    }

    /// Adds a response message; call again for each further response.
    pub fn response(
        mut self,
        build: impl FnOnce(MessagePartBuilder) -> MessagePartBuilder,
    ) -> Self {
        self.responses.push(build(MessagePartBuilder::default()));
        self
    }

    pub(crate) fn build(self) -> Result<Interaction, BuildError> {
        let description = self.common.description.as_str();
        let request = self.request.build(description, "request message")?;
        let responses = self
            .responses
            .iter()
            .enumerate()
            .map(|(i, part)| part.build(description, &format!("response message {i}")))
            .collect::<Result<Vec<_>, _>>()?;
        self.common
            .finish(InteractionKind::SyncMessage(SyncMessage {
                request,
                responses,
            }))
    }
}
