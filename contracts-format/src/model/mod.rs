//! The contract model: one V4-shaped representation that every spec version normalises into.

mod body;
mod contract;
mod generators;
mod interaction;
mod pattern;
mod provider_state;
mod rules;

pub use body::{
    Body, BodyContent, BodyValue, ContentTypeHint, is_json_content_type, is_text_content_type,
    is_xml_content_type, media_type,
};
pub use contract::{Contract, Pacticipant, SpecVersion, UnknownSpecVersion};
pub use generators::{Generator, GeneratorCategory, Generators, UuidFormat};
pub use interaction::{
    HttpRequest, HttpResponse, Interaction, InteractionKind, Message, Query, SyncMessage,
    find_header,
};
pub use pattern::Pattern;
pub use provider_state::ProviderState;
pub use rules::{
    ArrayContainsVariant, Combine, Matcher, MatchingRules, RuleCategory, RuleList, StatusClass,
    StatusCodes,
};
