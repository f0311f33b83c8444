//! Generators: replacing a contract's example values with values made at test time.
//!
//! The verifier applies a request's generators before sending it to the provider (with the
//! values provider-state callbacks returned); the mock provider applies a response's or
//! message's generators before answering (with its own base URL). Everything they need comes
//! in a [`GeneratorContext`]: no globals. A generator that cannot produce a value (a
//! provider-state name without a value, a mock server URL without a base, a regex using
//! unsupported syntax) leaves the example in place.

mod regex_gen;
mod time;

use chrono::{DateTime, FixedOffset, Utc};
use indexmap::IndexMap;
use rand::Rng;
use serde_json::{Map, Number, Value};

use crate::model::{
    Body, BodyContent, BodyValue, Generator, GeneratorCategory, Generators, HttpRequest,
    HttpResponse, Message, UuidFormat,
};
use crate::path::{PathExpr, Step};

/// What generators may draw on.
#[derive(Debug, Clone, Default)]
pub struct GeneratorContext {
    /// Values returned by provider-state set-up, for `ProviderState` generators.
    pub provider_state: Map<String, Value>,
    /// Base URL of the running mock provider, for `MockServerURL` generators.
    pub mock_server_url: Option<String>,
    /// The time `Date`, `Time` and `DateTime` generators count from; the current time when
    /// absent (tests fix it).
    pub now: Option<DateTime<FixedOffset>>,
}

impl GeneratorContext {
    /// A context for the verifier: provider-state values.
    pub fn for_provider(provider_state: Map<String, Value>) -> Self {
        GeneratorContext {
            provider_state,
            ..GeneratorContext::default()
        }
    }

    /// A context for the mock provider: its base URL (`http://127.0.0.1:PORT`).
    pub fn for_mock_server(url: impl Into<String>) -> Self {
        GeneratorContext {
            mock_server_url: Some(url.into()),
            ..GeneratorContext::default()
        }
    }

    fn now(&self) -> DateTime<FixedOffset> {
        self.now.unwrap_or_else(|| Utc::now().fixed_offset())
    }
}

/// A value made by `generator`, replacing `example`; `None` when the generator cannot make
/// one in this context (the example should stay).
pub fn generate_value(
    generator: &Generator,
    example: &Value,
    context: &GeneratorContext,
) -> Option<Value> {
    let mut rng = rand::rng();
    Some(match generator {
        Generator::RandomInt { min, max } => {
            let (lo, hi) = if min <= max {
                (*min, *max)
            } else {
                (*max, *min)
            };
            Value::from(rng.random_range(lo..=hi))
        }
        Generator::RandomDecimal { digits } => {
            let digits = (*digits).clamp(2, 15);
            let mut text: String = (0..digits)
                .map(|i| {
                    // No leading zero, and no trailing zero (it would vanish from the number).
                    let lo = if i == 0 || i == digits - 1 { 1 } else { 0 };
                    char::from(b'0' + rng.random_range(lo..10u8))
                })
                .collect();
            let point = rng.random_range(1..digits);
            text.insert(point, '.');
            let value: f64 = text.parse().ok()?;
            Value::Number(Number::from_f64(value)?)
        }
        Generator::RandomHexadecimal { digits } => Value::String(
            (0..*digits)
                .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
                .collect(),
        ),
        Generator::RandomString { size } => Value::String(
            (0..*size)
                .map(|_| {
                    const ALPHANUMERIC: &[u8] =
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                    char::from(ALPHANUMERIC[rng.random_range(0..ALPHANUMERIC.len())])
                })
                .collect(),
        ),
        Generator::Regex { regex } => {
            let text = regex_gen::generate(regex, &mut rng)?;
            let full = regex::Regex::new(&format!("^(?:{regex})$")).ok()?;
            full.is_match(&text).then_some(Value::String(text))?
        }
        Generator::Uuid { format } => {
            let id = uuid::Uuid::new_v4();
            Value::String(match format.unwrap_or(UuidFormat::LowerCaseHyphenated) {
                UuidFormat::Simple => id.simple().to_string(),
                UuidFormat::LowerCaseHyphenated => id.hyphenated().to_string(),
                UuidFormat::UpperCaseHyphenated => id.hyphenated().to_string().to_uppercase(),
                UuidFormat::Urn => id.urn().to_string(),
            })
        }
        Generator::Date { format, expression } => {
            time::generate(time::Kind::Date, format, expression, context.now())?
        }
        Generator::Time { format, expression } => {
            time::generate(time::Kind::Time, format, expression, context.now())?
        }
        Generator::DateTime { format, expression } => {
            time::generate(time::Kind::DateTime, format, expression, context.now())?
        }
        Generator::RandomBoolean => Value::Bool(rng.random()),
        Generator::ProviderState {
            expression,
            data_type,
        } => provider_state(expression, data_type.as_deref(), &context.provider_state)?,
        Generator::MockServerUrl {
            regex,
            example: url,
        } => {
            let base = context.mock_server_url.as_deref()?;
            let current = example.as_str().unwrap_or(url);
            let captures = regex::Regex::new(regex).ok()?.captures(current)?;
            let tail = captures.get(1)?.as_str();
            Value::String(format!("{}{tail}", base.trim_end_matches('/')))
        }
    })
}

/// Substitutes `${name}` placeholders; an expression that is exactly one placeholder keeps
/// the value's JSON type unless `data_type` converts it.
fn provider_state(
    expression: &str,
    data_type: Option<&str>,
    values: &Map<String, Value>,
) -> Option<Value> {
    let whole = expression
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .filter(|name| !name.contains("${"));
    let raw = match whole {
        Some(name) => values.get(name)?.clone(),
        None => {
            let mut out = String::new();
            let mut rest = expression;
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = rest[start..].find('}')? + start;
                let value = values.get(&rest[start + 2..end])?;
                match value {
                    Value::String(s) => out.push_str(s),
                    other => out.push_str(&other.to_string()),
                }
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            Value::String(out)
        }
    };
    let text = || match &raw {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(match data_type.map(str::to_ascii_uppercase).as_deref() {
        None | Some("RAW") => raw.clone(),
        Some("STRING") => Value::String(text()),
        Some("INTEGER") => Value::from(text().trim().parse::<i64>().ok()?),
        Some("DECIMAL" | "FLOAT") => {
            Value::Number(Number::from_f64(text().trim().parse::<f64>().ok()?)?)
        }
        Some("BOOLEAN") => Value::Bool(text().trim().parse::<bool>().ok()?),
        Some(_) => raw.clone(),
    })
}

/// Text for headers, query values and paths.
fn as_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn generators_of(
    generators: &Generators,
    category: GeneratorCategory,
) -> impl Iterator<Item = (&String, &Generator)> {
    generators.categories.get(&category).into_iter().flatten()
}

fn apply_to_values(
    values: &mut IndexMap<String, Vec<String>>,
    generators: &Generators,
    category: GeneratorCategory,
    context: &GeneratorContext,
    ignore_case: bool,
) {
    for (name, generator) in generators_of(generators, category) {
        let entry = values.iter_mut().find(|(key, _)| {
            if ignore_case {
                key.eq_ignore_ascii_case(name)
            } else {
                *key == name
            }
        });
        if let Some((_, list)) = entry {
            for value in list.iter_mut() {
                let example = Value::String(value.clone());
                if let Some(new) = generate_value(generator, &example, context) {
                    *value = as_text(new);
                }
            }
        }
    }
}

/// A copy of `request` with its generators applied (path, query, headers, body).
pub fn apply_request_generators(request: &HttpRequest, context: &GeneratorContext) -> HttpRequest {
    let mut out = request.clone();
    let generators = &request.generators;
    if let Some((_, generator)) = generators_of(generators, GeneratorCategory::Path).next()
        && let Some(path) = generate_value(generator, &Value::String(out.path.clone()), context)
    {
        out.path = as_text(path);
    }
    if let Some(query) = out.query.as_mut() {
        apply_to_values(query, generators, GeneratorCategory::Query, context, false);
        if generators_of(generators, GeneratorCategory::Query)
            .next()
            .is_some()
        {
            // The raw form no longer describes the parameters.
            out.raw_query = None;
        }
    }
    if let Some(headers) = out.headers.as_mut() {
        apply_to_values(
            headers,
            generators,
            GeneratorCategory::Header,
            context,
            true,
        );
    }
    apply_body_generators(&mut out.body, generators, context);
    out
}

/// A copy of `response` with its generators applied (status, headers, body).
pub fn apply_response_generators(
    response: &HttpResponse,
    context: &GeneratorContext,
) -> HttpResponse {
    let mut out = response.clone();
    let generators = &response.generators;
    if let Some((_, generator)) = generators_of(generators, GeneratorCategory::Status).next()
        && let Some(status) = generate_value(generator, &Value::from(out.status), context)
        && let Some(code) = status
            .as_u64()
            .or_else(|| status.as_str().and_then(|s| s.parse().ok()))
            .and_then(|c| u16::try_from(c).ok())
    {
        out.status = code;
    }
    if let Some(headers) = out.headers.as_mut() {
        apply_to_values(
            headers,
            generators,
            GeneratorCategory::Header,
            context,
            true,
        );
    }
    apply_body_generators(&mut out.body, generators, context);
    out
}

/// A copy of `message` with its generators applied (contents and metadata).
pub fn apply_message_generators(message: &Message, context: &GeneratorContext) -> Message {
    let mut out = message.clone();
    let generators = &message.generators;
    for (key, generator) in generators_of(generators, GeneratorCategory::Metadata) {
        if let Some(value) = out.metadata.get_mut(key)
            && let Some(new) = generate_value(generator, value, context)
        {
            *value = new;
        }
    }
    apply_body_generators(&mut out.contents, generators, context);
    out
}

/// Applies body generators to a JSON body (keys are path expressions); a text body only
/// takes a generator at `$`.
pub fn apply_body_generators(body: &mut Body, generators: &Generators, context: &GeneratorContext) {
    let Body::Present(BodyContent { value, .. }) = body else {
        return;
    };
    for (key, generator) in generators_of(generators, GeneratorCategory::Body) {
        let Ok(expr) = PathExpr::parse(key) else {
            continue;
        };
        match value {
            BodyValue::Json(json) => replace_at(json, expr.steps(), generator, context),
            BodyValue::Text(text) if expr.steps().is_empty() => {
                let example = Value::String(text.clone());
                if let Some(new) = generate_value(generator, &example, context) {
                    *text = as_text(new);
                }
            }
            _ => {}
        }
    }
}

fn replace_at(
    value: &mut Value,
    tokens: &[Step<'_>],
    generator: &Generator,
    context: &GeneratorContext,
) {
    let Some((token, rest)) = tokens.split_first() else {
        if let Some(new) = generate_value(generator, value, context) {
            *value = new;
        }
        return;
    };
    match (token, value) {
        (Step::Field(name), Value::Object(map)) => {
            if let Some(child) = map.get_mut(name.as_ref()) {
                replace_at(child, rest, generator, context);
            }
        }
        (Step::Field(name), Value::Array(items)) => {
            if let Some(child) = name.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                replace_at(child, rest, generator, context);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(child) = items.get_mut(*i) {
                replace_at(child, rest, generator, context);
            }
        }
        (Step::Star | Step::StarIndex, Value::Array(items)) => {
            for child in items {
                replace_at(child, rest, generator, context);
            }
        }
        (Step::Star, Value::Object(map)) => {
            for child in map.values_mut() {
                replace_at(child, rest, generator, context);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
