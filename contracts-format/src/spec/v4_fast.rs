//! A typed reader for V4 files: the fast path of [`parse_contract`](super::parse_contract).
//!
//! The `Value` reader parses a file into a `serde_json::Value` tree, then walks the tree into
//! the model; most of its time goes to allocating and freeing a map for every JSON object.
//! This reader deserialises the text straight into the members V4 defines (interactions,
//! requests, responses, body wrappers, matching rules, generators, provider states), keeps
//! `Value`s only where the model stores JSON (bodies, metadata, parameters, comments, members
//! of an interaction Accord does not interpret), and converts with the `Value` reader's own
//! helpers ([`matcher_from_fields`], [`wrapped_body`], [`declared_version`]...).
//!
//! It must never read a file differently from the `Value` reader, so it gives up (returns
//! `None`) on anything it cannot read exactly as that reader does: any error, a version other
//! than V4, an interaction without a `type` string, members of an interaction its kind does
//! not read, a member or rule category named twice where this reader would not keep the last
//! value as a `Value` object does, an unknown member of a request, response, message, rule
//! list, matcher or generator (serde skips such a value without the checks a `Value` parse
//! makes: lone surrogates, numbers out of range), a rule list written as a bare matcher, the
//! name serde_json reserves for raw values. [`parse_contract`](super::parse_contract) then
//! runs the `Value` reader, which stays the only source of error messages (a malformed file
//! is parsed twice). The tests (`v4_fast/tests.rs`) read every fixture, every corpus case
//! and mutated files both ways.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::declared_version;
use super::json_path::At;
use super::legacy::{header_content_type, metadata_content_type, read_plain_body};
use super::parse_query_string;
use super::rules::multi_map_values;
use super::v4::{BodyWrapper, WRAPPER_KEYS, wrapped_body};
use super::values::{self, present};
use crate::model::{
    Body, Contract, HttpRequest, HttpResponse, Interaction, InteractionKind, Message, Pacticipant,
    ProviderState, Query, SpecVersion, SyncMessage,
};

mod rules;

use rules::{Gens, Rules};

/// Reads a V4 contract file, or `None` when the `Value` reader must read it (see the module
/// documentation).
pub(crate) fn parse_contract(text: &str) -> Option<Contract> {
    let file: File = serde_json::from_str(text).ok()?;
    let mut metadata = object_or_empty(file.metadata);
    let declared = declared_version(&mut metadata, &At::ROOT.key("metadata")).ok()?;
    // Undeclared files are V4 when an interaction has a `type` (here every one has).
    let inferred = if file.interactions.is_empty() {
        SpecVersion::V3
    } else {
        SpecVersion::V4
    };
    if declared.unwrap_or(inferred) != SpecVersion::V4 {
        return None;
    }
    let mut interactions = file.interactions;
    interactions.extend(file.messages);
    Some(Contract {
        consumer: Pacticipant::new(file.consumer?),
        provider: Pacticipant::new(file.provider?),
        interactions,
        metadata,
        spec_version: SpecVersion::V4,
    })
}

/// Why this reader gave up; the message is never shown (the `Value` reader runs instead).
fn refuse<E: de::Error>(why: &'static str) -> E {
    E::custom(why)
}

fn converted<T, E: de::Error>(result: values::Result<T>) -> Result<T, E> {
    result.map_err(E::custom)
}

/// The document root. Members other than these are parsed (as `Value`s, so with the same
/// checks as the `Value` reader) and dropped, as that reader drops them.
#[derive(Default)]
struct File {
    consumer: Option<String>,
    provider: Option<String>,
    metadata: Option<JsonObject>,
    interactions: Vec<Interaction>,
    messages: Vec<Interaction>,
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = File;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a contract object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<File, A::Error> {
        let mut file = File::default();
        let mut seen = Vec::with_capacity(5);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let name = match key.as_str() {
                "consumer" => "consumer",
                "provider" => "provider",
                "metadata" => "metadata",
                "interactions" => "interactions",
                "messages" => "messages",
                _ => {
                    map.next_value::<Value>()?;
                    continue;
                }
            };
            if seen.contains(&name) {
                return Err(refuse("duplicate member"));
            }
            seen.push(name);
            match name {
                "consumer" => file.consumer = Some(map.next_value::<Object<Party>>()?.0.name),
                "provider" => file.provider = Some(map.next_value::<Object<Party>>()?.0.name),
                "metadata" => file.metadata = map.next_value()?,
                "interactions" => file.interactions = map.next_value::<Interactions>()?.0,
                _ => file.messages = map.next_value::<Interactions>()?.0,
            }
        }
        Ok(file)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Party {
    name: String,
}

/// An array of interactions (`null` is refused, as by the `Value` reader).
struct Interactions(Vec<Interaction>);

impl<'de> Deserialize<'de> for Interactions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<TypedInteraction>::deserialize(deserializer)?;
        Ok(Interactions(items.into_iter().map(|i| i.0).collect()))
    }
}

/// A free-form JSON object (metadata, comments, parameters), deserialised through `Value`
/// as the `Value` reader reads it: `serde_json::Map`'s own `Deserialize` differs from
/// `Value`'s for one reserved member name (see [`RAW_VALUE_TOKEN`]).
struct JsonObject(Map<String, Value>);

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(JsonObject(map)),
            _ => Err(refuse("not an object")),
        }
    }
}

fn object_or_empty(object: Option<JsonObject>) -> Map<String, Value> {
    object.map(|o| o.0).unwrap_or_default()
}

/// The member name with which serde_json's `raw_value` feature (enabled in some builds of
/// the workspace) makes a `Value` object out of a string of JSON. Objects this reader builds
/// itself would keep it as a member, so it gives up on it wherever it reads a name.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A member name, borrowed from the text when it has no escapes. [`RAW_VALUE_TOKEN`] is
/// refused.
struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    fn checked<E: de::Error>(name: Cow<'de, str>) -> Result<Self, E> {
        if name == RAW_VALUE_TOKEN {
            return Err(refuse("reserved member name"));
        }
        Ok(Key(name))
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Key::checked(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Key::checked(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Key::checked(Cow::Owned(v))
    }
}

/// A derived struct read from a JSON object only: serde's derived structs also accept an
/// array of their members in order, which the `Value` reader refuses.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Object)
    }
}

/// Members of an interaction in the order of the file, to give `Interaction::extra` the
/// order the `Value` reader leaves it in.
#[derive(Clone, Copy)]
enum Member {
    Known(&'static str),
    Extra(usize),
}

/// Members every interaction reads, in the order the `Value` reader removes them.
const COMMON_MEMBERS: [&str; 8] = [
    "type",
    "description",
    "key",
    "providerState",
    "provider_state",
    "providerStates",
    "pending",
    "comments",
];

/// Members of an interaction that only an asynchronous message reads, in the order the
/// `Value` reader removes them.
const MESSAGE_MEMBERS: [&str; 5] = [
    "metadata",
    "metaData",
    "contents",
    "matchingRules",
    "generators",
];

const EXCHANGE_MEMBERS: [&str; 2] = ["request", "response"];

/// The members of an interaction, as deserialised.
#[derive(Default)]
struct InteractionParts {
    kind: Option<String>,
    description: Option<String>,
    key: Option<String>,
    provider_state: Option<String>,
    provider_state_snake: Option<String>,
    provider_states: Option<Vec<Object<StateParts>>>,
    pending: Option<bool>,
    comments: Option<JsonObject>,
    request: Option<Object<RequestParts>>,
    response: Option<ResponseField>,
    metadata: Option<JsonObject>,
    meta_data: Option<JsonObject>,
    contents: Option<BodyField>,
    matching_rules: Option<Rules>,
    generators: Option<Gens>,
    /// Every member in file order; unknown ones point into `extra`.
    order: Vec<Member>,
    extra: Vec<(String, Value)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateParts {
    name: String,
    params: Option<JsonObject>,
}

struct TypedInteraction(Interaction);

impl<'de> Deserialize<'de> for TypedInteraction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(InteractionVisitor)
    }
}

struct InteractionVisitor;

impl<'de> Visitor<'de> for InteractionVisitor {
    type Value = TypedInteraction;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an interaction object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TypedInteraction, A::Error> {
        let mut p = InteractionParts {
            order: Vec::with_capacity(8),
            ..InteractionParts::default()
        };
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let name = match key.as_str() {
                "type" => "type",
                "description" => "description",
                "key" => "key",
                "providerState" => "providerState",
                "provider_state" => "provider_state",
                "providerStates" => "providerStates",
                "pending" => "pending",
                "comments" => "comments",
                "request" => "request",
                "response" => "response",
                "metadata" => "metadata",
                "metaData" => "metaData",
                "contents" => "contents",
                "matchingRules" => "matchingRules",
                "generators" => "generators",
                _ => {
                    let value: Value = map.next_value()?;
                    let name = key.into_string();
                    // A repeated member keeps its first place and its last value, as in a
                    // `Value` object.
                    match p.extra.iter_mut().find(|(k, _)| *k == name) {
                        Some(entry) => entry.1 = value,
                        None => {
                            p.order.push(Member::Extra(p.extra.len()));
                            p.extra.push((name, value));
                        }
                    }
                    continue;
                }
            };
            if p.has(name) {
                return Err(refuse("duplicate member"));
            }
            p.order.push(Member::Known(name));
            match name {
                "type" => p.kind = map.next_value()?,
                "description" => p.description = map.next_value()?,
                "key" => p.key = map.next_value()?,
                "providerState" => p.provider_state = map.next_value()?,
                "provider_state" => p.provider_state_snake = map.next_value()?,
                // `null` is refused here, as by the `Value` reader.
                "providerStates" => p.provider_states = Some(map.next_value()?),
                "pending" => p.pending = map.next_value()?,
                "comments" => p.comments = map.next_value()?,
                "request" => p.request = map.next_value()?,
                "response" => p.response = map.next_value()?,
                "metadata" => p.metadata = map.next_value()?,
                "metaData" => p.meta_data = map.next_value()?,
                "contents" => p.contents = Some(map.next_value()?),
                "matchingRules" => p.matching_rules = map.next_value()?,
                _ => p.generators = map.next_value()?,
            }
        }
        p.into_interaction().map(TypedInteraction)
    }
}

impl InteractionParts {
    fn has(&self, name: &str) -> bool {
        self.order
            .iter()
            .any(|m| matches!(m, Member::Known(k) if *k == name))
    }

    fn into_interaction<E: de::Error>(mut self) -> Result<Interaction, E> {
        // Without `type`, the `Value` reader guesses the kind from the members.
        let kind_name = self.kind.take().ok_or_else(|| refuse("no type"))?;
        let (kind, kind_members): (_, &[&str]) = match kind_name.as_str() {
            "Synchronous/HTTP" => {
                self.refuse_members(&MESSAGE_MEMBERS)?;
                let request = self.request.take().ok_or_else(|| refuse("no request"))?;
                let Some(ResponseField::Http(response)) = self.response.take() else {
                    return Err(refuse("no response object"));
                };
                let kind = InteractionKind::Http {
                    request: converted(http_request(request.0))?,
                    response: converted(http_response(response))?,
                };
                (kind, &EXCHANGE_MEMBERS)
            }
            "Asynchronous/Messages" => {
                self.refuse_members(&EXCHANGE_MEMBERS)?;
                let message = converted(message(
                    self.metadata.take(),
                    self.meta_data.take(),
                    self.contents.take(),
                    self.matching_rules.take(),
                    self.generators.take(),
                ))?;
                (InteractionKind::AsyncMessage(message), &MESSAGE_MEMBERS)
            }
            "Synchronous/Messages" => {
                self.refuse_members(&MESSAGE_MEMBERS)?;
                let request = self.request.take().ok_or_else(|| refuse("no request"))?.0;
                let request = converted(message(
                    request.metadata,
                    request.meta_data,
                    request.contents,
                    request.matching_rules,
                    request.generators,
                ))?;
                let responses = match self.response.take() {
                    None => Vec::new(),
                    Some(ResponseField::Messages(list)) => list
                        .into_iter()
                        .map(|m| {
                            let m = m.0;
                            message(
                                m.metadata,
                                m.meta_data,
                                m.contents,
                                m.matching_rules,
                                m.generators,
                            )
                        })
                        .collect::<values::Result<_>>()
                        .map_err(E::custom)?,
                    Some(ResponseField::Http(_)) => return Err(refuse("response not an array")),
                };
                let kind = InteractionKind::SyncMessage(SyncMessage { request, responses });
                (kind, &EXCHANGE_MEMBERS)
            }
            _ => return Err(refuse("unknown interaction type")),
        };
        let mut provider_states = Vec::new();
        for name in [self.provider_state, self.provider_state_snake]
            .into_iter()
            .flatten()
        {
            provider_states.push(ProviderState::new(name));
        }
        for state in self.provider_states.into_iter().flatten() {
            let StateParts { name, params } = state.0;
            provider_states.push(ProviderState {
                name,
                params: object_or_empty(params),
            });
        }
        let extra = extra_in_value_order(self.order, self.extra, kind_members);
        Ok(Interaction {
            description: self.description.ok_or_else(|| refuse("no description"))?,
            key: self.key,
            provider_states,
            pending: self.pending.unwrap_or(false),
            comments: object_or_empty(self.comments),
            extra,
            kind,
        })
    }

    /// Refuses an interaction with members its kind does not read: the `Value` reader keeps
    /// those in `extra` as JSON, which this reader did not build.
    fn refuse_members<E: de::Error>(&self, members: &[&str]) -> Result<(), E> {
        if members.iter().any(|m| self.has(m)) {
            return Err(refuse("member its kind does not read"));
        }
        Ok(())
    }
}

/// The unknown members of an interaction in the order the `Value` reader leaves them: it
/// takes the members it reads out of the interaction's map one by one, and each removal
/// moves the map's last member into the freed place (`serde_json::Map::remove` is
/// `swap_remove` with `preserve_order`).
fn extra_in_value_order(
    mut order: Vec<Member>,
    extra: Vec<(String, Value)>,
    kind_members: &[&str],
) -> Map<String, Value> {
    if extra.is_empty() {
        return Map::new();
    }
    for name in COMMON_MEMBERS.iter().chain(kind_members) {
        if let Some(i) = order
            .iter()
            .position(|m| matches!(m, Member::Known(k) if k == name))
        {
            order.swap_remove(i);
        }
    }
    let mut extra: Vec<Option<(String, Value)>> = extra.into_iter().map(Some).collect();
    let mut map = Map::new();
    for member in order {
        // Every known member left was refused before (`refuse_members`).
        if let Member::Extra(i) = member
            && let Some((key, value)) = extra[i].take()
        {
            map.insert(key, value);
        }
    }
    map
}

/// A `request`: an HTTP request, or the request message of a synchronous message
/// interaction (each kind ignores the other's members, as the `Value` reader does).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestParts {
    method: Option<String>,
    path: Option<String>,
    query: Option<QueryField>,
    headers: Option<MultiMap>,
    #[serde(default, deserialize_with = "present")]
    body: Option<BodyField>,
    #[serde(rename = "matchingRules")]
    matching_rules: Option<Rules>,
    generators: Option<Gens>,
    metadata: Option<JsonObject>,
    #[serde(rename = "metaData")]
    meta_data: Option<JsonObject>,
    #[serde(default, deserialize_with = "present")]
    contents: Option<BodyField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseParts {
    status: Option<Value>,
    headers: Option<MultiMap>,
    #[serde(default, deserialize_with = "present")]
    body: Option<BodyField>,
    #[serde(rename = "matchingRules")]
    matching_rules: Option<Rules>,
    generators: Option<Gens>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageParts {
    metadata: Option<JsonObject>,
    #[serde(rename = "metaData")]
    meta_data: Option<JsonObject>,
    #[serde(default, deserialize_with = "present")]
    contents: Option<BodyField>,
    #[serde(rename = "matchingRules")]
    matching_rules: Option<Rules>,
    generators: Option<Gens>,
}

/// A `response`: an HTTP response, or the response messages of a synchronous message
/// interaction.
// The large variant is the common one, and the value lives only until the interaction is
// converted: boxing it would add an allocation per interaction.
#[allow(clippy::large_enum_variant)]
enum ResponseField {
    Http(ResponseParts),
    Messages(Vec<Object<MessageParts>>),
}

impl<'de> Deserialize<'de> for ResponseField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ResponseVisitor)
    }
}

struct ResponseVisitor;

impl<'de> Visitor<'de> for ResponseVisitor {
    type Value = ResponseField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response object or an array of messages")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ResponseField, A::Error> {
        ResponseParts::deserialize(MapAccessDeserializer::new(map)).map(ResponseField::Http)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ResponseField, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(ResponseField::Messages)
    }
}

fn http_request(parts: RequestParts) -> values::Result<HttpRequest> {
    let (query, raw_query) = match parts.query {
        None => (None, None),
        Some(QueryField::Raw(raw)) => (Some(parse_query_string(&raw)), Some(raw)),
        Some(QueryField::Params(query)) => (Some(query), None),
    };
    let headers = parts.headers.map(|h| h.0);
    let body = body(parts.body, header_content_type(headers.as_ref()))?;
    Ok(HttpRequest {
        method: parts.method.unwrap_or_else(|| "GET".to_owned()),
        path: parts.path.unwrap_or_else(|| "/".to_owned()),
        query,
        raw_query,
        headers,
        body,
        matching_rules: parts.matching_rules.map(|r| r.0).unwrap_or_default(),
        generators: parts.generators.map(|g| g.0).unwrap_or_default(),
    })
}

fn http_response(parts: ResponseParts) -> values::Result<HttpResponse> {
    let status = match parts.status {
        None => 200,
        Some(value) => super::rules::status(&value, &At::ROOT)?,
    };
    let headers = parts.headers.map(|h| h.0);
    let body = body(parts.body, header_content_type(headers.as_ref()))?;
    Ok(HttpResponse {
        status,
        headers,
        body,
        matching_rules: parts.matching_rules.map(|r| r.0).unwrap_or_default(),
        generators: parts.generators.map(|g| g.0).unwrap_or_default(),
    })
}

/// A V4 message from its members, as `v4::read_message_fields` reads them.
fn message(
    metadata: Option<JsonObject>,
    meta_data: Option<JsonObject>,
    contents: Option<BodyField>,
    matching_rules: Option<Rules>,
    generators: Option<Gens>,
) -> values::Result<Message> {
    let mut metadata = object_or_empty(metadata);
    metadata.extend(object_or_empty(meta_data));
    let content_type = metadata_content_type(&metadata);
    let contents = body(contents, content_type.as_deref())?;
    Ok(Message {
        contents,
        metadata,
        matching_rules: matching_rules.map(|r| r.0).unwrap_or_default(),
        generators: generators.map(|g| g.0).unwrap_or_default(),
    })
}

fn body(field: Option<BodyField>, header_content_type: Option<&str>) -> values::Result<Body> {
    match field {
        None => Ok(Body::Missing),
        Some(BodyField::Plain(value)) => Ok(read_plain_body(Some(value), header_content_type)),
        Some(BodyField::Wrapped(wrapper)) => wrapped_body(wrapper, &At::ROOT, header_content_type),
    }
}

/// A `body` or `contents` member: a V4 wrapper, or a plain JSON value in its place.
// As for `ResponseField`: the large variant is the common one, and the value is short-lived.
#[allow(clippy::large_enum_variant)]
enum BodyField {
    Wrapped(BodyWrapper),
    Plain(Value),
}

impl<'de> Deserialize<'de> for BodyField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

/// Scalars and arrays become the `Value` that `Value`'s own visitor makes of them.
impl<'de> Visitor<'de> for BodyVisitor {
    type Value = BodyField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a body")
    }

    fn visit_unit<E>(self) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<BodyField, E> {
        Ok(BodyField::Plain(Value::String(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<BodyField, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(BodyField::Plain)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BodyField, A::Error> {
        let mut members: Vec<(Key<'de>, Value)> = Vec::with_capacity(4);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value = map.next_value()?;
            members.push((key, value));
        }
        // The `Value` reader's test (`v4::read_body`), on the same set of names.
        let wrapper = members
            .iter()
            .any(|(k, _)| matches!(k.as_str(), "content" | "contents"))
            && members
                .iter()
                .all(|(k, _)| WRAPPER_KEYS.contains(&k.as_str()));
        if !wrapper {
            let mut object = Map::new();
            for (key, value) in members {
                object.insert(key.into_string(), value);
            }
            return Ok(BodyField::Plain(Value::Object(object)));
        }
        // A repeated member keeps its last value, as in a `Value` object.
        let (mut content, mut contents) = (None, None);
        let (mut content_type, mut encoded, mut hint) = (None, None, None);
        for (key, value) in members {
            let slot = match key.as_str() {
                "content" => &mut content,
                "contents" => &mut contents,
                "contentType" => &mut content_type,
                "encoded" => &mut encoded,
                _ => &mut hint,
            };
            *slot = Some(value);
        }
        let (content, content_key) = match content {
            Some(content) => (content, "content"),
            None => (contents.unwrap_or(Value::Null), "contents"),
        };
        Ok(BodyField::Wrapped(BodyWrapper {
            content,
            content_key,
            content_type,
            encoded,
            hint,
        }))
    }
}

/// A V4 request's `query`: a query string, or parameter names with their values.
enum QueryField {
    Raw(String),
    Params(Query),
}

impl<'de> Deserialize<'de> for QueryField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QueryVisitor)
    }
}

struct QueryVisitor;

impl<'de> Visitor<'de> for QueryVisitor {
    type Value = QueryField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a query string or object")
    }

    fn visit_str<E>(self, v: &str) -> Result<QueryField, E> {
        Ok(QueryField::Raw(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<QueryField, E> {
        Ok(QueryField::Raw(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<QueryField, A::Error> {
        multi_map(map).map(QueryField::Params)
    }
}

/// Headers (or query parameters): names with one value or an array of values.
struct MultiMap(IndexMap<String, Vec<String>>);

impl<'de> Deserialize<'de> for MultiMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MultiMapVisitor)
    }
}

struct MultiMapVisitor;

impl<'de> Visitor<'de> for MultiMapVisitor {
    type Value = MultiMap;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of values")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MultiMap, A::Error> {
        multi_map(map).map(MultiMap)
    }
}

fn multi_map<'de, A: MapAccess<'de>>(
    mut map: A,
) -> Result<IndexMap<String, Vec<String>>, A::Error> {
    let mut out = IndexMap::new();
    while let Some(name) = map.next_key::<Key<'de>>()? {
        let name = name.into_string();
        let values = converted(multi_map_values(map.next_value()?, &At::ROOT))?;
        out.insert(name, values);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
