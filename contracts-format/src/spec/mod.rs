//! Reading contract files of every Pact specification version into the model, and writing
//! the model back as V4, V3, V2 or V1.

mod json_path;
mod legacy;
mod rules;
mod v4;
mod v4_fast;
mod values;
mod write;

use serde_json::{Map, Value};

pub use legacy::parse_query_string;
pub use write::{to_json, to_json_string};

use crate::error::{ParseError, Problem};
use crate::model::{Contract, HttpRequest, HttpResponse, Message, Pacticipant, SpecVersion};
use json_path::At;
use values::{Result, array, object, problem, require_string, wrong_type};

pub(crate) use json_path::push_key;
pub(crate) use rules::split_flat_key;

/// Keys of `metadata` that carry the specification version, in the spellings of each era.
const VERSION_KEYS: [&str; 3] = [
    "pactSpecification",
    "pact-specification",
    "pactSpecificationVersion",
];

/// Parses the text of a contract file of any specification version.
///
/// Errors name the JSON path of the problem; use [`ParseError::in_file`] to add the file.
pub fn parse_contract(text: &str) -> Result<Contract> {
    // Some writers (Windows tools) start files with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Most files are well-formed V4: read them without building a `Value` tree first. The
    // typed reader gives up on anything else, including every error.
    if let Some(contract) = v4_fast::parse_contract(text) {
        return Ok(contract);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|source| ParseError::Syntax { file: None, source })?;
    contract_from_value(value)
}

/// Reads a contract from an already parsed JSON document.
pub fn contract_from_value(value: Value) -> Result<Contract> {
    let root = At::ROOT;
    let mut map = object(value, &root)?;
    let consumer = read_pacticipant(&mut map, "consumer", &root)?;
    let provider = read_pacticipant(&mut map, "provider", &root)?;
    let metadata_at = root.key("metadata");
    let mut metadata = match map.remove("metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(value) => object(value, &metadata_at)?,
    };
    let declared = declared_version(&mut metadata, &metadata_at)?;
    let interactions_value = map.remove("interactions");
    let messages_value = map.remove("messages");
    let spec_version = declared
        .unwrap_or_else(|| infer_version(interactions_value.as_ref(), messages_value.is_some()));
    let mut interactions = Vec::new();
    if let Some(list) = interactions_value {
        let list_at = root.key("interactions");
        for (i, item) in array(list, &list_at)?.into_iter().enumerate() {
            let item_at = list_at.index(i);
            interactions.push(if spec_version == SpecVersion::V4 {
                v4::read_interaction(item, &item_at)?
            } else {
                legacy::read_interaction(item, &item_at, spec_version)?
            });
        }
    }
    if let Some(list) = messages_value {
        let list_at = root.key("messages");
        for (i, item) in array(list, &list_at)?.into_iter().enumerate() {
            let item_at = list_at.index(i);
            interactions.push(if spec_version == SpecVersion::V4 {
                v4::read_interaction(item, &item_at)?
            } else {
                legacy::read_message_interaction(item, &item_at)?
            });
        }
    }
    Ok(Contract {
        consumer,
        provider,
        interactions,
        metadata,
        spec_version,
    })
}

/// Reads the `request` part of an interaction as the given version writes it.
pub fn read_request(value: Value, version: SpecVersion) -> Result<HttpRequest> {
    if version == SpecVersion::V4 {
        v4::read_request(value, &At::ROOT)
    } else {
        legacy::read_request(value, &At::ROOT, version)
    }
}

/// Reads the `response` part of an interaction as the given version writes it.
pub fn read_response(value: Value, version: SpecVersion) -> Result<HttpResponse> {
    if version == SpecVersion::V4 {
        v4::read_response(value, &At::ROOT)
    } else {
        legacy::read_response(value, &At::ROOT, version)
    }
}

/// Reads a message (`contents`, metadata, rules, generators) as the given version writes it.
pub fn read_message(value: Value, version: SpecVersion) -> Result<Message> {
    let mut map = object(value, &At::ROOT)?;
    if version == SpecVersion::V4 {
        v4::read_message_fields(&mut map, &At::ROOT)
    } else {
        legacy::read_message_fields(&mut map, &At::ROOT, version)
    }
}

fn read_pacticipant(
    map: &mut Map<String, Value>,
    key: &'static str,
    root: &At<'_>,
) -> Result<Pacticipant> {
    let at = root.key(key);
    let value = map
        .remove(key)
        .ok_or_else(|| problem(root, Problem::Missing(key)))?;
    let mut party = object(value, &at)?;
    Ok(Pacticipant {
        name: require_string(&mut party, "name", &at)?,
    })
}

/// The version the file declares, removing the declaration from the metadata (writers add
/// their own).
fn declared_version(metadata: &mut Map<String, Value>, at: &At<'_>) -> Result<Option<SpecVersion>> {
    let mut found = None;
    for key in VERSION_KEYS {
        let Some(value) = metadata.remove(key) else {
            continue;
        };
        let key_at = at.key(key);
        let (text, text_at) = match value {
            Value::String(text) => (text, key_at),
            Value::Object(mut inner) => match inner.remove("version") {
                Some(Value::String(text)) => (text, key_at),
                Some(other) => return Err(wrong_type(&key_at.key("version"), "a string", &other)),
                None => return Err(problem(&key_at, Problem::Missing("version"))),
            },
            other => return Err(wrong_type(&key_at, "an object with a version", &other)),
        };
        if found.is_none() {
            found = Some(
                text.parse::<SpecVersion>()
                    .map_err(|e| problem(&text_at, Problem::UnknownVersion(e)))?,
            );
        }
    }
    Ok(found)
}

/// A version for files that do not declare one, from their shape.
fn infer_version(interactions: Option<&Value>, has_messages: bool) -> SpecVersion {
    let typed = interactions
        .and_then(Value::as_array)
        .is_some_and(|items| items.iter().any(|i| i.get("type").is_some()));
    if typed {
        SpecVersion::V4
    } else if has_messages {
        SpecVersion::V3
    } else {
        // Pact's own tools read undeclared files as V3; flat `$.body` rules are still
        // recognised by their shape.
        SpecVersion::V3
    }
}

/// The version a contract document declares in its metadata, or the one its shape implies.
/// Fails when the declaration itself is malformed (the error is rooted at `$`).
pub(crate) fn version_of(root: &Map<String, Value>) -> Result<SpecVersion> {
    let declared = match root.get("metadata") {
        Some(Value::Object(metadata)) => {
            declared_version(&mut metadata.clone(), &At::ROOT.key("metadata"))?
        }
        _ => None,
    };
    Ok(declared
        .unwrap_or_else(|| infer_version(root.get("interactions"), root.get("messages").is_some())))
}

/// Reads the parts of a contract document other than its interactions (parties, metadata),
/// so that validation can read each interaction on its own and report every broken one.
pub(crate) fn check_envelope(root: &Map<String, Value>) -> Result<()> {
    let mut envelope = Map::new();
    for key in ["consumer", "provider", "metadata"] {
        if let Some(value) = root.get(key) {
            envelope.insert(key.to_owned(), value.clone());
        }
    }
    for key in ["interactions", "messages"] {
        match root.get(key) {
            None => {}
            Some(Value::Array(_)) => {
                envelope.insert(key.to_owned(), Value::Array(Vec::new()));
            }
            Some(other) => {
                envelope.insert(key.to_owned(), other.clone());
            }
        }
    }
    contract_from_value(Value::Object(envelope)).map(drop)
}

/// Reads one interaction (of `interactions`, or of a V3 `messages` list when `message` is
/// true) as `version` writes it. Error paths are rooted at the interaction (`$`).
pub(crate) fn read_interaction_value(
    value: Value,
    version: SpecVersion,
    message: bool,
) -> Result<crate::model::Interaction> {
    if version == SpecVersion::V4 {
        v4::read_interaction(value, &At::ROOT)
    } else if message {
        legacy::read_message_interaction(value, &At::ROOT)
    } else {
        legacy::read_interaction(value, &At::ROOT, version)
    }
}

/// Reads one matcher object. Error paths are rooted at the matcher (`$`).
pub(crate) fn read_matcher_value(value: Value) -> Result<crate::model::Matcher> {
    rules::read_matcher(values::object(value, &At::ROOT)?, &At::ROOT)
}

/// Reads one generator object. Error paths are rooted at the generator (`$`).
pub(crate) fn read_generator_value(value: Value) -> Result<crate::model::Generator> {
    rules::read_generator(value, &At::ROOT)
}
