//! Reader for V4 files: typed interactions (`Synchronous/HTTP`, `Asynchronous/Messages`,
//! `Synchronous/Messages`) and bodies wrapped as `{contentType, encoded, content}`.

use base64::Engine;
use serde_json::{Map, Value};

use super::json_path::At;
use super::legacy::{
    header_content_type, metadata_content_type, parse_query_string, read_plain_body,
    read_provider_states, take_generators,
};
use super::rules::{read_multi_map, read_rules_by_category, status};
use super::values::{
    Result, array, bad_value, boolean, object, optional_string, problem, require_string,
    take_object, take_string,
};
use crate::error::Problem;
use crate::model::{
    Body, BodyContent, BodyValue, ContentTypeHint, HttpRequest, HttpResponse, Interaction,
    InteractionKind, Message, SyncMessage, is_json_content_type, is_text_content_type,
};

/// Reads one interaction of a V4 `interactions` array.
pub(crate) fn read_interaction(value: Value, at: &At<'_>) -> Result<Interaction> {
    let mut map = object(value, at)?;
    let kind_name = take_string(&mut map, "type", at)?;
    let description = require_string(&mut map, "description", at)?;
    let key = take_string(&mut map, "key", at)?;
    let provider_states = read_provider_states(&mut map, at)?;
    let pending = match map.remove("pending") {
        None | Some(Value::Null) => false,
        Some(value) => boolean(&value, &at.key("pending"))?,
    };
    let comments = take_object(&mut map, "comments", at)?;
    // Files written without `type` are read by shape, as Pact's own reader does.
    let kind_name = kind_name.unwrap_or_else(|| {
        if map.contains_key("request") && map.get("response").is_some_and(Value::is_array) {
            "Synchronous/Messages".to_owned()
        } else if map.contains_key("request") {
            "Synchronous/HTTP".to_owned()
        } else {
            "Asynchronous/Messages".to_owned()
        }
    });
    let kind = match kind_name.as_str() {
        "Synchronous/HTTP" => {
            let request = map
                .remove("request")
                .ok_or_else(|| problem(at, Problem::Missing("request")))?;
            let response = map
                .remove("response")
                .ok_or_else(|| problem(at, Problem::Missing("response")))?;
            InteractionKind::Http {
                request: read_request(request, &at.key("request"))?,
                response: read_response(response, &at.key("response"))?,
            }
        }
        "Asynchronous/Messages" => {
            InteractionKind::AsyncMessage(read_message_fields(&mut map, at)?)
        }
        "Synchronous/Messages" => {
            let request_at = at.key("request");
            let request = map
                .remove("request")
                .ok_or_else(|| problem(at, Problem::Missing("request")))?;
            let mut request = object(request, &request_at)?;
            let request = read_message_fields(&mut request, &request_at)?;
            let responses_at = at.key("response");
            let responses = match map.remove("response") {
                None | Some(Value::Null) => Vec::new(),
                Some(value) => array(value, &responses_at)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, response)| {
                        let response_at = responses_at.index(i);
                        let mut response = object(response, &response_at)?;
                        read_message_fields(&mut response, &response_at)
                    })
                    .collect::<Result<_>>()?,
            };
            InteractionKind::SyncMessage(SyncMessage { request, responses })
        }
        _ => {
            return Err(problem(
                &at.key("type"),
                Problem::UnknownInteractionType(kind_name),
            ));
        }
    };
    Ok(Interaction {
        description,
        key,
        provider_states,
        pending,
        comments,
        extra: map,
        kind,
    })
}

/// Reads a V4 HTTP request.
pub(crate) fn read_request(value: Value, at: &At<'_>) -> Result<HttpRequest> {
    let mut map = object(value, at)?;
    let method = take_string(&mut map, "method", at)?.unwrap_or_else(|| "GET".to_owned());
    let path = take_string(&mut map, "path", at)?.unwrap_or_else(|| "/".to_owned());
    let query_at = at.key("query");
    let (query, raw_query) = match map.remove("query") {
        None | Some(Value::Null) => (None, None),
        Some(Value::String(raw)) => (Some(parse_query_string(&raw)), Some(raw)),
        Some(value) => (Some(read_multi_map(value, &query_at)?), None),
    };
    let headers = match map.remove("headers") {
        None | Some(Value::Null) => None,
        Some(value) => Some(read_multi_map(value, &at.key("headers"))?),
    };
    let body = read_body(
        map.remove("body"),
        &at.key("body"),
        header_content_type(headers.as_ref()),
    )?;
    Ok(HttpRequest {
        method,
        path,
        query,
        raw_query,
        headers,
        body,
        matching_rules: read_optional_rules(&mut map, at)?,
        generators: take_generators(&mut map, at)?,
    })
}

/// Reads a V4 HTTP response.
pub(crate) fn read_response(value: Value, at: &At<'_>) -> Result<HttpResponse> {
    let mut map = object(value, at)?;
    let status = match map.remove("status") {
        None | Some(Value::Null) => 200,
        Some(value) => status(&value, &at.key("status"))?,
    };
    let headers = match map.remove("headers") {
        None | Some(Value::Null) => None,
        Some(value) => Some(read_multi_map(value, &at.key("headers"))?),
    };
    let body = read_body(
        map.remove("body"),
        &at.key("body"),
        header_content_type(headers.as_ref()),
    )?;
    Ok(HttpResponse {
        status,
        headers,
        body,
        matching_rules: read_optional_rules(&mut map, at)?,
        generators: take_generators(&mut map, at)?,
    })
}

/// Reads `contents`, `metadata`, `matchingRules` and `generators` of a V4 message,
/// removing them from `map`.
pub(crate) fn read_message_fields(map: &mut Map<String, Value>, at: &At<'_>) -> Result<Message> {
    let mut metadata = take_object(map, "metadata", at)?;
    metadata.extend(take_object(map, "metaData", at)?);
    let content_type = metadata_content_type(&metadata);
    let contents = read_body(
        map.remove("contents"),
        &at.key("contents"),
        content_type.as_deref(),
    )?;
    Ok(Message {
        contents,
        metadata,
        matching_rules: read_optional_rules(map, at)?,
        generators: take_generators(map, at)?,
    })
}

fn read_optional_rules(
    map: &mut Map<String, Value>,
    at: &At<'_>,
) -> Result<crate::model::MatchingRules> {
    match map.remove("matchingRules") {
        None | Some(Value::Null) => Ok(Default::default()),
        Some(value) => read_rules_by_category(value, &at.key("matchingRules")),
    }
}

/// The members a V4 body wrapper may have; an object with any other member is a plain body.
pub(crate) const WRAPPER_KEYS: [&str; 5] = [
    "content",
    "contents",
    "contentType",
    "encoded",
    "contentTypeHint",
];

/// Reads a V4 body wrapper. A plain JSON value in its place is read as a legacy body.
pub(crate) fn read_body(
    value: Option<Value>,
    at: &At<'_>,
    header_content_type: Option<&str>,
) -> Result<Body> {
    let mut map = match value {
        Some(Value::Object(map))
            if (map.contains_key("content") || map.contains_key("contents"))
                && map.keys().all(|k| WRAPPER_KEYS.contains(&k.as_str())) =>
        {
            map
        }
        other => return Ok(read_plain_body(other, header_content_type)),
    };
    let content_key = if map.contains_key("content") {
        "content"
    } else {
        "contents"
    };
    let wrapper = BodyWrapper {
        content_type: map.remove("contentType"),
        hint: map.remove("contentTypeHint"),
        encoded: map.remove("encoded"),
        content: map.remove(content_key).unwrap_or(Value::Null),
        content_key,
    };
    wrapped_body(wrapper, at, header_content_type)
}

/// The members of a V4 body wrapper, taken out of it (`Some(Value::Null)` when written as
/// `null`).
#[derive(Debug)]
pub(crate) struct BodyWrapper {
    /// `content`, or `contents` when the wrapper has no `content`.
    pub(crate) content: Value,
    /// The key `content` was read from, for error paths.
    pub(crate) content_key: &'static str,
    pub(crate) content_type: Option<Value>,
    pub(crate) encoded: Option<Value>,
    pub(crate) hint: Option<Value>,
}

/// Reads the V4 body wrapper at `at` from its members.
pub(crate) fn wrapped_body(
    wrapper: BodyWrapper,
    at: &At<'_>,
    header_content_type: Option<&str>,
) -> Result<Body> {
    let BodyWrapper {
        content,
        content_key,
        content_type,
        encoded,
        hint,
    } = wrapper;
    let content_type = optional_string(content_type, "contentType", at)?
        .or_else(|| header_content_type.map(str::to_owned));
    let hint = match optional_string(hint, "contentTypeHint", at)? {
        None => None,
        Some(h) if h.eq_ignore_ascii_case("TEXT") => Some(ContentTypeHint::Text),
        Some(h) if h.eq_ignore_ascii_case("BINARY") => Some(ContentTypeHint::Binary),
        Some(other) => {
            return Err(bad_value(
                &at.key("contentTypeHint"),
                "TEXT or BINARY",
                &Value::String(other),
            ));
        }
    };
    let encoding = match encoded {
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some("base64".to_owned()),
        Some(Value::String(name)) => Some(name.to_ascii_lowercase()),
        Some(other) => {
            return Err(bad_value(
                &at.key("encoded"),
                "false, \"base64\" or \"JSON\"",
                &other,
            ));
        }
    };
    let content_at = at.key(content_key);
    let json_type = content_type.as_deref().is_some_and(is_json_content_type);
    let value = match (encoding.as_deref(), content) {
        (_, Value::Null) => return Ok(Body::Null),
        (None, Value::String(text)) if json_type => BodyValue::Json(Value::String(text)),
        (None, Value::String(text)) => BodyValue::Text(text),
        (None, other) => BodyValue::Json(other),
        (Some("json"), Value::String(text)) => BodyValue::Json(
            serde_json::from_str(&text)
                .map_err(|e| problem(&content_at, Problem::BadEncodedJson(e)))?,
        ),
        (Some("json"), other) => BodyValue::Json(other),
        (Some(_), Value::String(encoded)) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|e| problem(&content_at, Problem::BadBase64(e)))?;
            decoded_value(bytes, content_type.as_deref(), hint)
        }
        (Some(_), other) => {
            return Err(super::values::wrong_type(
                &content_at,
                "a base64 string",
                &other,
            ));
        }
    };
    Ok(Body::Present(BodyContent {
        content_type,
        value,
        hint,
    }))
}

/// Decoded bytes of an encoded body: binary unless the content type (or hint) says text.
fn decoded_value(
    bytes: Vec<u8>,
    content_type: Option<&str>,
    hint: Option<ContentTypeHint>,
) -> BodyValue {
    let texty = match hint {
        Some(ContentTypeHint::Text) => true,
        Some(ContentTypeHint::Binary) => false,
        None => content_type.is_some_and(is_text_content_type),
    };
    if !texty {
        return BodyValue::Bytes(bytes);
    }
    if content_type.is_some_and(is_json_content_type)
        && let Ok(json) = serde_json::from_slice(&bytes)
    {
        return BodyValue::Json(json);
    }
    match String::from_utf8(bytes) {
        Ok(text) => BodyValue::Text(text),
        Err(e) => BodyValue::Bytes(e.into_bytes()),
    }
}
