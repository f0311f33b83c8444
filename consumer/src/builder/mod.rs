//! The builder DSL: contracts, interactions, requests, responses and messages.

mod contract;
mod interaction;
mod message;
mod request;
mod response;

pub use contract::ContractBuilder;
pub use interaction::InteractionBuilder;
pub use message::{MessageBuilder, MessageExample, MessagePartBuilder, SyncMessageBuilder};
pub use request::RequestBuilder;
pub use response::ResponseBuilder;

use indexmap::IndexMap;

use accord_contracts_format::{
    Body, Generator, GeneratorCategory, Generators, Matcher, MatchingRules, RuleCategory,
    find_header,
};

use crate::error::{BuildError, TemplateError};
use crate::matchers::{Template, compile_body, compile_value};

/// Compiled headers: each name with its values.
type Headers = IndexMap<String, Vec<String>>;

/// A body as the builder holds it until the interaction is built.
#[derive(Debug, Clone, Default)]
enum BodySpec {
    #[default]
    None,
    Json(Template),
    Text {
        text: String,
        content_type: String,
    },
    Bytes {
        bytes: Vec<u8>,
        content_type: String,
    },
}

/// Headers and body: the parts requests and responses share.
#[derive(Debug, Clone, Default)]
struct HttpParts {
    headers: IndexMap<String, Vec<Template>>,
    body: BodySpec,
}

/// Where compiled rules and generators go, and how to name errors.
struct Sink<'a> {
    interaction: &'a str,
    part: &'a str,
    rules: &'a mut MatchingRules,
    generators: &'a mut Generators,
}

impl Sink<'_> {
    fn error(&self, what: &str, error: Box<TemplateError>) -> BuildError {
        BuildError::Template {
            interaction: self.interaction.to_owned(),
            part: format!("{} {what}", self.part),
            error,
        }
    }

    /// Compiles a single-valued template (path, header, query) to its text, recording its
    /// rules and generator under `key` of the categories.
    fn text_value(
        &mut self,
        template: &Template,
        what: &str,
        rule_category: RuleCategory,
        generator_category: GeneratorCategory,
        key: &str,
    ) -> Result<String, BuildError> {
        let compiled = compile_value(template).map_err(|e| self.error(what, e))?;
        let text = compiled
            .text()
            .map_err(|problem| self.error(what, TemplateError::new("$", problem)))?;
        self.record(
            compiled.matchers,
            compiled.generator,
            rule_category,
            generator_category,
            key,
        );
        Ok(text)
    }

    fn record(
        &mut self,
        matchers: Vec<Matcher>,
        generator: Option<Generator>,
        rule_category: RuleCategory,
        generator_category: GeneratorCategory,
        key: &str,
    ) {
        for matcher in matchers {
            self.rules.add(rule_category, key, matcher);
        }
        if let Some(generator) = generator {
            self.generators.add(generator_category, key, generator);
        }
    }

    /// Compiles a body template, recording its rules and generators in the body category.
    fn body(&mut self, template: &Template, what: &str) -> Result<serde_json::Value, BuildError> {
        let compiled = compile_body(template).map_err(|e| self.error(what, e))?;
        if !compiled.rules.is_empty() {
            self.rules
                .categories
                .entry(RuleCategory::Body)
                .or_default()
                .extend(compiled.rules);
        }
        for (key, generator) in compiled.generators {
            self.generators.add(GeneratorCategory::Body, key, generator);
        }
        Ok(compiled.example)
    }
}

impl HttpParts {
    fn header(&mut self, name: &str, value: Template) {
        let key = self
            .headers
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
            .unwrap_or_else(|| name.to_owned());
        self.headers.entry(key).or_default().push(value);
    }

    /// Compiles headers and body. A body with a content type but no `Content-Type` header
    /// gets one, as a real client or server would send it.
    fn compile(&self, sink: &mut Sink<'_>) -> Result<(Option<Headers>, Body), BuildError> {
        let mut headers = IndexMap::new();
        for (name, templates) in &self.headers {
            let what = format!("header {name}");
            let mut values = Vec::with_capacity(templates.len());
            for template in templates {
                values.push(sink.text_value(
                    template,
                    &what,
                    RuleCategory::Header,
                    GeneratorCategory::Header,
                    name,
                )?);
            }
            headers.insert(name.clone(), values);
        }
        let body = match &self.body {
            BodySpec::None => Body::Missing,
            BodySpec::Json(template) => Body::json(sink.body(template, "body")?),
            BodySpec::Text { text, content_type } => Body::text(text.clone(), Some(content_type)),
            BodySpec::Bytes {
                bytes,
                content_type,
            } => Body::bytes(bytes.clone(), Some(content_type)),
        };
        if let Some(content_type) = body.content_type()
            && find_header(&headers, "content-type").is_none()
        {
            headers.insert("Content-Type".to_owned(), vec![content_type.to_owned()]);
        }
        Ok(((!headers.is_empty()).then_some(headers), body))
    }
}

#[cfg(test)]
mod tests;
