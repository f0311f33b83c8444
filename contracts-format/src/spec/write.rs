//! Writing the model as a V4, V3, V2 or V1 contract file.

use base64::Engine;
use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use crate::error::WriteError;
use crate::model::{
    Body, BodyValue, Combine, ContentTypeHint, Contract, Generator, Generators, HttpRequest,
    HttpResponse, Interaction, InteractionKind, Matcher, MatchingRules, Message, ProviderState,
    RuleCategory, RuleList, SpecVersion, StatusCodes,
};

/// Writes `contract` as a JSON document of the given specification version.
///
/// V4 can express everything in the model. Older versions refuse what they cannot express
/// (generators before V3, matching rules in V1, several provider states before V3, message
/// and HTTP interactions in one V3 file, synchronous messages before V4) rather than drop it.
pub fn to_json(contract: &Contract, version: SpecVersion) -> Result<Value, WriteError> {
    let writer = Writer { version };
    let mut root = Map::new();
    root.insert("consumer".into(), json!({ "name": contract.consumer.name }));
    root.insert("provider".into(), json!({ "name": contract.provider.name }));
    let mut items = Vec::with_capacity(contract.interactions.len());
    let mut messages = 0;
    for (index, interaction) in contract.interactions.iter().enumerate() {
        if matches!(interaction.kind, InteractionKind::AsyncMessage(_)) {
            messages += 1;
        }
        items.push(writer.interaction(interaction, index)?);
    }
    let list_key = if version.is_legacy() && messages > 0 {
        if messages != contract.interactions.len() {
            return Err(writer.error(
                "$.interactions",
                "a V3 file holds either HTTP interactions or messages, not both",
            ));
        }
        "messages"
    } else {
        "interactions"
    };
    root.insert(list_key.into(), Value::Array(items));
    let mut metadata = contract.metadata.clone();
    metadata.insert(
        "pactSpecification".into(),
        json!({ "version": version.as_str() }),
    );
    root.insert("metadata".into(), Value::Object(metadata));
    Ok(Value::Object(root))
}

/// Writes `contract` as pretty-printed JSON text of the given specification version.
pub fn to_json_string(contract: &Contract, version: SpecVersion) -> Result<String, WriteError> {
    let value = to_json(contract, version)?;
    Ok(serde_json::to_string_pretty(&value).expect("a JSON value always serialises"))
}

struct Writer {
    version: SpecVersion,
}

impl Writer {
    fn error(&self, at: impl Into<String>, reason: impl Into<String>) -> WriteError {
        WriteError {
            version: self.version,
            at: at.into(),
            reason: reason.into(),
        }
    }

    fn interaction(&self, interaction: &Interaction, index: usize) -> Result<Value, WriteError> {
        let at = format!("$.interactions[{index}]");
        let mut out = Map::new();
        if self.version == SpecVersion::V4 {
            out.insert("type".into(), json!(interaction.type_name()));
        }
        out.insert("description".into(), json!(interaction.description));
        if self.version == SpecVersion::V4 {
            if let Some(key) = &interaction.key {
                out.insert("key".into(), json!(key));
            }
            if interaction.pending {
                out.insert("pending".into(), json!(true));
            }
            if !interaction.comments.is_empty() {
                out.insert(
                    "comments".into(),
                    Value::Object(interaction.comments.clone()),
                );
            }
        } else if interaction.pending {
            return Err(self.error(at, "only V4 can mark an interaction as pending"));
        }
        self.provider_states(&interaction.provider_states, &at, &mut out)?;
        for (key, value) in &interaction.extra {
            out.insert(key.clone(), value.clone());
        }
        match &interaction.kind {
            InteractionKind::Http { request, response } => {
                out.insert("request".into(), self.request(request, &at)?);
                out.insert("response".into(), self.response(response, &at)?);
            }
            InteractionKind::AsyncMessage(message) => {
                if self.version < SpecVersion::V3 {
                    return Err(self.error(at, "messages need V3 or later"));
                }
                self.message(message, &at, &mut out)?;
            }
            InteractionKind::SyncMessage(sync) => {
                if self.version != SpecVersion::V4 {
                    return Err(self.error(at, "synchronous messages need V4"));
                }
                let mut request = Map::new();
                self.message(&sync.request, &at, &mut request)?;
                out.insert("request".into(), Value::Object(request));
                let responses = sync
                    .responses
                    .iter()
                    .map(|response| {
                        let mut out = Map::new();
                        self.message(response, &at, &mut out)
                            .map(|()| Value::Object(out))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert("response".into(), Value::Array(responses));
            }
        }
        Ok(Value::Object(out))
    }

    fn provider_states(
        &self,
        states: &[ProviderState],
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), WriteError> {
        if states.is_empty() {
            return Ok(());
        }
        if self.version >= SpecVersion::V3 {
            let list = states
                .iter()
                .map(|state| {
                    let mut s = Map::new();
                    s.insert("name".into(), json!(state.name));
                    if !state.params.is_empty() {
                        s.insert("params".into(), Value::Object(state.params.clone()));
                    }
                    Value::Object(s)
                })
                .collect();
            out.insert("providerStates".into(), Value::Array(list));
            return Ok(());
        }
        match states {
            [state] if state.params.is_empty() => {
                out.insert("providerState".into(), json!(state.name));
                Ok(())
            }
            [_] => Err(self.error(at, "provider state parameters need V3 or later")),
            _ => Err(self.error(at, "several provider states need V3 or later")),
        }
    }

    fn request(&self, request: &HttpRequest, at: &str) -> Result<Value, WriteError> {
        let at = format!("{at}.request");
        let mut out = Map::new();
        out.insert("method".into(), json!(request.method));
        out.insert("path".into(), json!(request.path));
        if let Some(query) = &request.query {
            let value = if self.version >= SpecVersion::V3 {
                multi_map(query)
            } else {
                Value::String(
                    request
                        .raw_query
                        .clone()
                        .unwrap_or_else(|| encode_query(query)),
                )
            };
            out.insert("query".into(), value);
        }
        self.headers(request.headers.as_ref(), &mut out);
        self.body(&request.body, "body", &at, &mut out)?;
        self.rules(&request.matching_rules, false, &at, &mut out)?;
        self.generators(&request.generators, false, &at, &mut out)?;
        Ok(Value::Object(out))
    }

    fn response(&self, response: &HttpResponse, at: &str) -> Result<Value, WriteError> {
        let at = format!("{at}.response");
        let mut out = Map::new();
        out.insert("status".into(), json!(response.status));
        self.headers(response.headers.as_ref(), &mut out);
        self.body(&response.body, "body", &at, &mut out)?;
        self.rules(&response.matching_rules, false, &at, &mut out)?;
        self.generators(&response.generators, false, &at, &mut out)?;
        Ok(Value::Object(out))
    }

    fn message(
        &self,
        message: &Message,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), WriteError> {
        self.body(&message.contents, "contents", at, out)?;
        if !message.metadata.is_empty() {
            let key = if self.version == SpecVersion::V4 {
                "metadata"
            } else {
                "metaData"
            };
            out.insert(key.into(), Value::Object(message.metadata.clone()));
        }
        self.rules(&message.matching_rules, true, at, out)?;
        self.generators(&message.generators, true, at, out)?;
        Ok(())
    }

    fn headers(
        &self,
        headers: Option<&IndexMap<String, Vec<String>>>,
        out: &mut Map<String, Value>,
    ) {
        let Some(headers) = headers else { return };
        let value = if self.version == SpecVersion::V4 {
            multi_map(headers)
        } else {
            Value::Object(
                headers
                    .iter()
                    .map(|(name, values)| (name.clone(), Value::String(values.join(", "))))
                    .collect(),
            )
        };
        out.insert("headers".into(), value);
    }

    fn body(
        &self,
        body: &Body,
        key: &str,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), WriteError> {
        let content = match body {
            Body::Missing => return Ok(()),
            // V4 wraps every body, a null one too (`{"content": null}`); older versions write
            // the bare JSON null.
            Body::Null if self.version == SpecVersion::V4 => {
                out.insert(key.into(), json!({ "content": null }));
                return Ok(());
            }
            Body::Null => {
                out.insert(key.into(), Value::Null);
                return Ok(());
            }
            Body::Present(content) => content,
        };
        if self.version != SpecVersion::V4 {
            let value = match &content.value {
                BodyValue::Json(value) => value.clone(),
                BodyValue::Text(text) => Value::String(text.clone()),
                BodyValue::Bytes(_) => {
                    return Err(self.error(format!("{at}.{key}"), "binary bodies need V4"));
                }
            };
            out.insert(key.into(), value);
            return Ok(());
        }
        let mut wrapper = Map::new();
        let (value, default_type, encoded) = match &content.value {
            BodyValue::Json(value) => (value.clone(), "application/json", json!(false)),
            BodyValue::Text(text) => (Value::String(text.clone()), "text/plain", json!(false)),
            BodyValue::Bytes(bytes) => (
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
                "application/octet-stream",
                json!("base64"),
            ),
        };
        wrapper.insert("content".into(), value);
        wrapper.insert(
            "contentType".into(),
            json!(content.content_type.as_deref().unwrap_or(default_type)),
        );
        if let Some(hint) = content.hint {
            let hint = match hint {
                ContentTypeHint::Text => "TEXT",
                ContentTypeHint::Binary => "BINARY",
            };
            wrapper.insert("contentTypeHint".into(), json!(hint));
        }
        wrapper.insert("encoded".into(), encoded);
        out.insert(key.into(), Value::Object(wrapper));
        Ok(())
    }

    fn rules(
        &self,
        rules: &MatchingRules,
        message: bool,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), WriteError> {
        if rules.is_empty() {
            return Ok(());
        }
        let at = format!("{at}.matchingRules");
        let value = match self.version {
            SpecVersion::V1 | SpecVersion::V1_1 => {
                return Err(self.error(at, "matching rules need V2 or later"));
            }
            SpecVersion::V2 => self.flat_rules(rules, &at)?,
            SpecVersion::V3 | SpecVersion::V4 => {
                let mut categories = Map::new();
                for (category, entries) in &rules.categories {
                    if entries.is_empty() {
                        continue;
                    }
                    let name = if message
                        && *category == RuleCategory::Body
                        && self.version == SpecVersion::V4
                    {
                        "content"
                    } else {
                        category.as_str()
                    };
                    let value = match entries.get("$") {
                        Some(list) if category.is_single_valued() && entries.len() == 1 => {
                            rule_list(list)
                        }
                        _ => Value::Object(
                            entries
                                .iter()
                                .map(|(key, list)| (key.clone(), rule_list(list)))
                                .collect(),
                        ),
                    };
                    categories.insert(name.into(), value);
                }
                Value::Object(categories)
            }
        };
        out.insert("matchingRules".into(), value);
        Ok(())
    }

    /// V2's flat layout: one matcher per key, keys rooted at the whole request or response.
    fn flat_rules(&self, rules: &MatchingRules, at: &str) -> Result<Value, WriteError> {
        let mut flat = Map::new();
        for (category, entries) in &rules.categories {
            for (key, list) in entries {
                let flat_key = match category {
                    RuleCategory::Body => format!("$.body{}", key.strip_prefix('$').unwrap_or(key)),
                    RuleCategory::Header => prefixed("$.headers", key),
                    RuleCategory::Query => prefixed("$.query", key),
                    RuleCategory::Path => "$.path".to_owned(),
                    RuleCategory::Method => "$.method".to_owned(),
                    RuleCategory::Status => "$.status".to_owned(),
                    RuleCategory::Metadata => {
                        return Err(self.error(at, "metadata rules need V3 or later"));
                    }
                };
                let here = format!("{at}['{flat_key}']");
                let [matcher] = list.matchers.as_slice() else {
                    return Err(self.error(here, "V2 allows exactly one matcher per path"));
                };
                let value = match matcher {
                    Matcher::Regex(pattern) => {
                        json!({ "match": "regex", "regex": pattern.as_str() })
                    }
                    Matcher::Type { min, max } => {
                        let mut m = Map::new();
                        m.insert("match".into(), json!("type"));
                        if let Some(min) = min {
                            m.insert("min".into(), json!(min));
                        }
                        if let Some(max) = max {
                            m.insert("max".into(), json!(max));
                        }
                        Value::Object(m)
                    }
                    other => {
                        return Err(self.error(
                            here,
                            format!("the {} matcher needs V3 or later", other.name()),
                        ));
                    }
                };
                flat.insert(flat_key, value);
            }
        }
        Ok(Value::Object(flat))
    }

    fn generators(
        &self,
        generators: &Generators,
        message: bool,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), WriteError> {
        if generators.is_empty() {
            return Ok(());
        }
        if self.version < SpecVersion::V3 {
            return Err(self.error(format!("{at}.generators"), "generators need V3 or later"));
        }
        let mut categories = Map::new();
        for (category, entries) in &generators.categories {
            if entries.is_empty() {
                continue;
            }
            let name = if message && category.as_str() == "body" && self.version == SpecVersion::V4
            {
                "content"
            } else {
                category.as_str()
            };
            let value = match entries.get("$") {
                Some(generator) if category.is_single_valued() && entries.len() == 1 => {
                    generator_value(generator)
                }
                _ => Value::Object(
                    entries
                        .iter()
                        .map(|(key, generator)| (key.clone(), generator_value(generator)))
                        .collect(),
                ),
            };
            categories.insert(name.into(), value);
        }
        out.insert("generators".into(), Value::Object(categories));
        Ok(())
    }
}

fn prefixed(prefix: &str, key: &str) -> String {
    let mut out = prefix.to_owned();
    super::push_key(&mut out, key);
    out
}

fn multi_map(map: &IndexMap<String, Vec<String>>) -> Value {
    Value::Object(
        map.iter()
            .map(|(name, values)| (name.clone(), json!(values)))
            .collect(),
    )
}

/// Renders query parameters as a query string, percent-encoding what needs it.
fn encode_query(query: &IndexMap<String, Vec<String>>) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const QUERY: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let mut parts = Vec::new();
    for (name, values) in query {
        for value in values {
            parts.push(format!(
                "{}={}",
                utf8_percent_encode(name, QUERY),
                utf8_percent_encode(value, QUERY)
            ));
        }
    }
    parts.join("&")
}

fn rule_list(list: &RuleList) -> Value {
    json!({
        "combine": match list.combine { Combine::And => "AND", Combine::Or => "OR" },
        "matchers": list.matchers.iter().map(matcher_value).collect::<Vec<_>>(),
    })
}

/// One matcher as a V3/V4 `{"match": ...}` object.
pub(crate) fn matcher_value(matcher: &Matcher) -> Value {
    let mut out = Map::new();
    out.insert("match".into(), json!(matcher.name()));
    match matcher {
        Matcher::Regex(pattern) => {
            out.insert("regex".into(), json!(pattern.as_str()));
        }
        Matcher::Type { min, max } => {
            if let Some(min) = min {
                out.insert("min".into(), json!(min));
            }
            if let Some(max) = max {
                out.insert("max".into(), json!(max));
            }
        }
        Matcher::Include(value) | Matcher::ContentType(value) => {
            out.insert("value".into(), json!(value));
        }
        Matcher::Date(format) | Matcher::Time(format) | Matcher::DateTime(format) => {
            if let Some(format) = format {
                out.insert("format".into(), json!(format));
            }
        }
        Matcher::ArrayContains(variants) => {
            let variants = variants
                .iter()
                .map(|variant| {
                    let mut v = Map::new();
                    v.insert("index".into(), json!(variant.index));
                    v.insert(
                        "rules".into(),
                        Value::Object(
                            variant
                                .rules
                                .iter()
                                .map(|(key, list)| (key.clone(), rule_list(list)))
                                .collect(),
                        ),
                    );
                    if !variant.generators.is_empty() {
                        v.insert(
                            "generators".into(),
                            Value::Object(
                                variant
                                    .generators
                                    .iter()
                                    .map(|(key, g)| (key.clone(), generator_value(g)))
                                    .collect(),
                            ),
                        );
                    }
                    Value::Object(v)
                })
                .collect::<Vec<_>>();
            out.insert("variants".into(), Value::Array(variants));
        }
        Matcher::StatusCode(codes) => {
            let status = match codes {
                StatusCodes::Class(class) => json!(class.as_str()),
                StatusCodes::Codes(codes) => json!(codes),
            };
            out.insert("status".into(), status);
        }
        Matcher::EachKey { rules, value } | Matcher::EachValue { rules, value } => {
            out.insert(
                "rules".into(),
                Value::Array(rules.iter().map(matcher_value).collect()),
            );
            if let Some(value) = value {
                out.insert("value".into(), value.clone());
            }
        }
        Matcher::Equality
        | Matcher::Integer
        | Matcher::Decimal
        | Matcher::Number
        | Matcher::Boolean
        | Matcher::Null
        | Matcher::Values
        | Matcher::NotEmpty
        | Matcher::Semver => {}
    }
    Value::Object(out)
}

/// One generator as a `{"type": ...}` object.
pub(crate) fn generator_value(generator: &Generator) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(generator.type_name()));
    let mut put = |key: &str, value: Value| {
        out.insert(key.into(), value);
    };
    match generator {
        Generator::RandomInt { min, max } => {
            put("min", json!(min));
            put("max", json!(max));
        }
        Generator::RandomDecimal { digits } | Generator::RandomHexadecimal { digits } => {
            put("digits", json!(digits))
        }
        Generator::RandomString { size } => put("size", json!(size)),
        Generator::Regex { regex } => put("regex", json!(regex)),
        Generator::Uuid { format } => {
            if let Some(format) = format {
                put("format", json!(format.as_str()));
            }
        }
        Generator::Date { format, expression }
        | Generator::Time { format, expression }
        | Generator::DateTime { format, expression } => {
            if let Some(format) = format {
                put("format", json!(format));
            }
            if let Some(expression) = expression {
                put("expression", json!(expression));
            }
        }
        Generator::RandomBoolean => {}
        Generator::ProviderState {
            expression,
            data_type,
        } => {
            put("expression", json!(expression));
            if let Some(data_type) = data_type {
                put("dataType", json!(data_type));
            }
        }
        Generator::MockServerUrl { regex, example } => {
            put("regex", json!(regex));
            put("example", json!(example));
        }
    }
    Value::Object(out)
}
