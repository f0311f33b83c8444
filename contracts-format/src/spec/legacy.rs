//! Readers for V1, V1.1, V2 and V3 files: plain JSON bodies, string headers, single
//! `providerState` strings (V1/V2) or `providerStates` arrays (V3), V3 message pacts.

use indexmap::IndexMap;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::json_path::At;
use super::rules::{
    read_flat_rules, read_generators, read_multi_map, read_rules_by_category, status,
};
use super::values::{Result, array, object, problem, require_string, take_object, take_string};
use crate::error::Problem;
use crate::model::{
    Body, BodyContent, BodyValue, Generators, HttpRequest, HttpResponse, Interaction,
    InteractionKind, MatchingRules, Message, ProviderState, Query, SpecVersion,
    is_json_content_type,
};

/// Reads one interaction of a V1–V3 `interactions` array.
pub(crate) fn read_interaction(
    value: Value,
    at: &At<'_>,
    version: SpecVersion,
) -> Result<Interaction> {
    let mut map = object(value, at)?;
    let description = require_string(&mut map, "description", at)?;
    let provider_states = read_provider_states(&mut map, at)?;
    let request_at = at.key("request");
    let request = map
        .remove("request")
        .ok_or_else(|| problem(at, Problem::Missing("request")))?;
    let request = read_request(request, &request_at, version)?;
    let response_at = at.key("response");
    let response = map
        .remove("response")
        .ok_or_else(|| problem(at, Problem::Missing("response")))?;
    let response = read_response(response, &response_at, version)?;
    Ok(Interaction {
        description,
        key: None,
        provider_states,
        pending: false,
        comments: Map::new(),
        extra: map,
        kind: InteractionKind::Http { request, response },
    })
}

/// Reads one message of a V3 message pact's `messages` array.
pub(crate) fn read_message_interaction(value: Value, at: &At<'_>) -> Result<Interaction> {
    let mut map = object(value, at)?;
    let description = require_string(&mut map, "description", at)?;
    let provider_states = read_provider_states(&mut map, at)?;
    let message = read_message_fields(&mut map, at, SpecVersion::V3)?;
    Ok(Interaction {
        description,
        key: None,
        provider_states,
        pending: false,
        comments: Map::new(),
        extra: map,
        kind: InteractionKind::AsyncMessage(message),
    })
}

/// Reads `providerState` / `provider_state` (one name) or `providerStates` (V3 list).
pub(crate) fn read_provider_states(
    map: &mut Map<String, Value>,
    at: &At<'_>,
) -> Result<Vec<ProviderState>> {
    let mut states = Vec::new();
    for key in ["providerState", "provider_state"] {
        if let Some(name) = take_string(map, key, at)? {
            states.push(ProviderState::new(name));
        }
    }
    if let Some(list) = map.remove("providerStates") {
        let list_at = at.key("providerStates");
        for (i, state) in array(list, &list_at)?.into_iter().enumerate() {
            let state_at = list_at.index(i);
            let mut state = object(state, &state_at)?;
            let name = require_string(&mut state, "name", &state_at)?;
            let params = take_object(&mut state, "params", &state_at)?;
            states.push(ProviderState { name, params });
        }
    }
    Ok(states)
}

/// Reads a request of any version up to V3.
pub(crate) fn read_request(value: Value, at: &At<'_>, version: SpecVersion) -> Result<HttpRequest> {
    let mut map = object(value, at)?;
    let method = take_string(&mut map, "method", at)?.unwrap_or_else(|| "GET".to_owned());
    let path = take_string(&mut map, "path", at)?.unwrap_or_else(|| "/".to_owned());
    let (query, raw_query) = read_query(map.remove("query"), &at.key("query"))?;
    let headers = read_headers(map.remove("headers"), &at.key("headers"))?;
    let content_type = header_content_type(headers.as_ref());
    let body = read_plain_body(map.remove("body"), content_type);
    let matching_rules = read_rules(
        map.remove("matchingRules"),
        &at.key("matchingRules"),
        version,
    )?;
    let generators = take_generators(&mut map, at)?;
    Ok(HttpRequest {
        method,
        path,
        query,
        raw_query,
        headers,
        body,
        matching_rules,
        generators,
    })
}

/// Reads a response of any version up to V3.
pub(crate) fn read_response(
    value: Value,
    at: &At<'_>,
    version: SpecVersion,
) -> Result<HttpResponse> {
    let mut map = object(value, at)?;
    let status = match map.remove("status") {
        None | Some(Value::Null) => 200,
        Some(value) => status(&value, &at.key("status"))?,
    };
    let headers = read_headers(map.remove("headers"), &at.key("headers"))?;
    let content_type = header_content_type(headers.as_ref());
    let body = read_plain_body(map.remove("body"), content_type);
    let matching_rules = read_rules(
        map.remove("matchingRules"),
        &at.key("matchingRules"),
        version,
    )?;
    let generators = take_generators(&mut map, at)?;
    Ok(HttpResponse {
        status,
        headers,
        body,
        matching_rules,
        generators,
    })
}

/// Reads the message fields (`contents`, `metaData`/`metadata`, rules, generators) of a V3
/// message, removing them from `map`.
pub(crate) fn read_message_fields(
    map: &mut Map<String, Value>,
    at: &At<'_>,
    version: SpecVersion,
) -> Result<Message> {
    let mut metadata = take_object(map, "metaData", at)?;
    metadata.extend(take_object(map, "metadata", at)?);
    let content_type = metadata_content_type(&metadata);
    let contents = read_plain_body(map.remove("contents"), content_type.as_deref());
    let matching_rules = read_rules(
        map.remove("matchingRules"),
        &at.key("matchingRules"),
        version,
    )?;
    let generators = take_generators(map, at)?;
    Ok(Message {
        contents,
        metadata,
        matching_rules,
        generators,
    })
}

/// Removes and reads `generators` (V3 and later), if present.
pub(crate) fn take_generators(map: &mut Map<String, Value>, at: &At<'_>) -> Result<Generators> {
    match map.remove("generators") {
        None | Some(Value::Null) => Ok(Generators::default()),
        Some(value) => read_generators(value, &at.key("generators")),
    }
}

/// A message's content type, from the metadata key real files use for it.
pub(crate) fn metadata_content_type(metadata: &Map<String, Value>) -> Option<String> {
    ["contentType", "content-type", "content_type"]
        .iter()
        .find_map(|key| metadata.get(*key).and_then(Value::as_str))
        .map(str::to_owned)
}

/// Reads `matchingRules` in the layout its keys show: flat `$.`-rooted keys (V2) or
/// categories (V3 and later).
fn read_rules(value: Option<Value>, at: &At<'_>, version: SpecVersion) -> Result<MatchingRules> {
    match value {
        None | Some(Value::Null) => Ok(MatchingRules::default()),
        Some(Value::Object(map))
            if version <= SpecVersion::V2 || map.keys().any(|k| k.starts_with('$')) =>
        {
            read_flat_rules(Value::Object(map), at)
        }
        Some(value) => read_rules_by_category(value, at),
    }
}

/// A query as a string (V1/V2: `a=1&b=2`) or a map of names to values (V3).
fn read_query(value: Option<Value>, at: &At<'_>) -> Result<(Option<Query>, Option<String>)> {
    match value {
        None | Some(Value::Null) => Ok((None, None)),
        Some(Value::String(raw)) => Ok((Some(parse_query_string(&raw)), Some(raw))),
        Some(value) => Ok((Some(read_multi_map(value, at)?), None)),
    }
}

/// Parses `a=1&b=2&a=3` into `{a: [1, 3], b: [2]}`, percent-decoding names and values
/// (`+` is a space). Empty segments (`a=1&&b=2`, a trailing `&`) are skipped.
pub fn parse_query_string(raw: &str) -> Query {
    let mut query: Query = IndexMap::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        query
            .entry(decode_query_part(name))
            .or_default()
            .push(decode_query_part(value));
    }
    query
}

fn decode_query_part(part: &str) -> String {
    let spaced = part.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

fn read_headers(
    value: Option<Value>,
    at: &At<'_>,
) -> Result<Option<IndexMap<String, Vec<String>>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read_multi_map(value, at).map(Some),
    }
}

pub(crate) fn header_content_type(headers: Option<&IndexMap<String, Vec<String>>>) -> Option<&str> {
    headers
        .and_then(|h| crate::model::find_header(h, "content-type"))
        .and_then(|values| values.first())
        .map(String::as_str)
}

/// A body written as a plain JSON value (V1–V3, and V4 files that forgot the wrapper).
/// Strings are text unless the content type says JSON; everything else is JSON.
pub(crate) fn read_plain_body(value: Option<Value>, content_type: Option<&str>) -> Body {
    let owned_type = content_type.map(str::to_owned);
    match value {
        None => Body::Missing,
        Some(Value::Null) => Body::Null,
        Some(Value::String(text)) if !content_type.is_some_and(is_json_content_type) => {
            Body::Present(BodyContent {
                content_type: owned_type,
                value: BodyValue::Text(text),
                hint: None,
            })
        }
        Some(value) => Body::Present(BodyContent {
            content_type: owned_type,
            value: BodyValue::Json(value),
            hint: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_split_and_decoded() {
        let query = parse_query_string("a=1&b=x%3Dy&a=2&&c&d=a+b&");
        assert_eq!(query["a"], vec!["1", "2"]);
        assert_eq!(query["b"], vec!["x=y"]);
        assert_eq!(query["c"], vec![""]);
        assert_eq!(query["d"], vec!["a b"]);
        assert_eq!(query.len(), 4);
    }
}
