//! Comparing two versions of a contract: which interactions were added, removed or changed,
//! and which of those changes can break one of the parties.
//!
//! Interactions are paired by description and provider states (names and parameters). Each
//! change says whom it can break, from the point of view of parties built against the old
//! contract while the other party moves to the new one:
//!
//! - **provider**: a provider that passes verification of the old contract can fail the new
//!   one (an added interaction, a new response field or header, a changed status or type, a
//!   tightened response matcher, a request field the provider relied on that is no longer
//!   sent, a new request field or header it must now handle);
//! - **consumer**: a consumer built from the old contract can fail against a provider that
//!   only honours the new one (a removed interaction, a removed response field or header, a
//!   loosened response matcher, a new request field or header the provider may now require).
//!
//! Changes of example values only count where no matcher other than equality covers them.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::{
    Contract, HttpRequest, HttpResponse, Interaction, InteractionKind, Matcher, MatchingRules,
    Message, ProviderState, RuleCategory, find_header, media_type,
};

mod body;
mod matchers;

use body::compare_bodies;
use matchers::compare_rules;

/// The differences between two versions of a contract.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContractDiff {
    /// Interactions added, removed or changed, in the order of the old contract then the
    /// additions of the new one.
    pub interactions: Vec<InteractionDiff>,
}

impl ContractDiff {
    /// True when the contracts have the same interactions with the same meaning.
    pub fn is_empty(&self) -> bool {
        self.interactions.is_empty()
    }

    /// True when any change can break a party.
    pub fn is_breaking(&self) -> bool {
        self.interactions.iter().any(InteractionDiff::is_breaking)
    }
}

/// How one interaction differs between the two contracts.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionDiff {
    /// The interaction's description.
    pub description: String,
    /// Its provider states.
    pub provider_states: Vec<ProviderState>,
    /// Whether it was added, removed or changed.
    pub status: DiffStatus,
    /// What changed; for additions and removals, one change describing the interaction.
    pub changes: Vec<Change>,
}

impl InteractionDiff {
    /// True when any of the changes can break a party.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaks.any())
    }
}

/// Whether an interaction was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffStatus {
    /// Only in the new contract.
    Added,
    /// Only in the old contract.
    Removed,
    /// In both, with differences.
    Changed,
}

impl DiffStatus {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffStatus::Added => "added",
            DiffStatus::Removed => "removed",
            DiffStatus::Changed => "changed",
        }
    }
}

/// One difference inside an interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Where: `request.headers.Accept`, `response.body.items[0].id`, `response.status`...
    pub at: String,
    /// What changed, for people.
    pub what: String,
    /// Whom the change can break.
    pub breaks: Breaks,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)?;
        match (self.breaks.provider, self.breaks.consumer) {
            (true, true) => f.write_str(" [breaks provider and consumer]"),
            (true, false) => f.write_str(" [breaks provider]"),
            (false, true) => f.write_str(" [breaks consumer]"),
            (false, false) => Ok(()),
        }
    }
}

/// Which parties a change can break (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breaks {
    /// A provider verified against the old contract can fail the new one.
    pub provider: bool,
    /// A consumer built from the old contract can fail against a provider of the new one.
    pub consumer: bool,
}

impl Breaks {
    const NONE: Breaks = Breaks {
        provider: false,
        consumer: false,
    };
    const PROVIDER: Breaks = Breaks {
        provider: true,
        consumer: false,
    };
    const CONSUMER: Breaks = Breaks {
        provider: false,
        consumer: true,
    };
    const BOTH: Breaks = Breaks {
        provider: true,
        consumer: true,
    };

    /// True when the change breaks anyone.
    pub fn any(self) -> bool {
        self.provider || self.consumer
    }
}

/// Compares two versions of a contract.
///
/// ```
/// use accord_contracts_format::{compare, parse_contract};
///
/// let old = parse_contract(r#"{"consumer": {"name": "web"}, "provider": {"name": "api"},
///   "interactions": [{"description": "get", "request": {"method": "GET", "path": "/a"},
///                     "response": {"status": 200, "body": {"id": 1, "name": "x"}}}]}"#)?;
/// let new = parse_contract(r#"{"consumer": {"name": "web"}, "provider": {"name": "api"},
///   "interactions": [{"description": "get", "request": {"method": "GET", "path": "/a"},
///                     "response": {"status": 200, "body": {"id": 1}}}]}"#)?;
/// let diff = compare(&old, &new);
/// assert!(diff.is_breaking());
/// assert_eq!(diff.interactions[0].changes[0].to_string(),
///            "response.body.name: field removed [breaks consumer]");
/// # Ok::<(), accord_contracts_format::ParseError>(())
/// ```
pub fn compare(old: &Contract, new: &Contract) -> ContractDiff {
    let mut unmatched: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, interaction) in new.interactions.iter().enumerate() {
        unmatched
            .entry(identity(interaction))
            .or_default()
            .push_back(i);
    }
    let mut paired = vec![false; new.interactions.len()];
    let mut out = Vec::new();
    for old_interaction in &old.interactions {
        let partner = unmatched
            .get_mut(&identity(old_interaction))
            .and_then(VecDeque::pop_front);
        match partner {
            Some(j) => {
                paired[j] = true;
                let changes = compare_interactions(old_interaction, &new.interactions[j]);
                if !changes.is_empty() {
                    out.push(summary(old_interaction, DiffStatus::Changed, changes));
                }
            }
            None => out.push(summary(
                old_interaction,
                DiffStatus::Removed,
                vec![Change {
                    at: "$".to_owned(),
                    what: format!("{} interaction removed", kind_name(old_interaction)),
                    breaks: Breaks::CONSUMER,
                }],
            )),
        }
    }
    for (j, new_interaction) in new.interactions.iter().enumerate() {
        if !paired[j] {
            out.push(summary(
                new_interaction,
                DiffStatus::Added,
                vec![Change {
                    at: "$".to_owned(),
                    what: format!("{} interaction added", kind_name(new_interaction)),
                    breaks: Breaks::PROVIDER,
                }],
            ));
        }
    }
    ContractDiff { interactions: out }
}

fn identity(interaction: &Interaction) -> String {
    let states: Vec<Value> = interaction
        .provider_states
        .iter()
        .map(|s| serde_json::json!([s.name, s.params]))
        .collect();
    serde_json::json!([interaction.description, states]).to_string()
}

fn summary(interaction: &Interaction, status: DiffStatus, changes: Vec<Change>) -> InteractionDiff {
    InteractionDiff {
        description: interaction.description.clone(),
        provider_states: interaction.provider_states.clone(),
        status,
        changes,
    }
}

fn kind_name(interaction: &Interaction) -> &'static str {
    match interaction.kind {
        InteractionKind::Http { .. } => "HTTP",
        InteractionKind::AsyncMessage(_) => "asynchronous message",
        InteractionKind::SyncMessage(_) => "synchronous message",
    }
}

/// Which way data flows in the part being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Sent by the consumer, handled by the provider (HTTP requests, sync request messages).
    Request,
    /// Produced by the provider, read by the consumer (responses, messages).
    Response,
}

impl Role {
    fn added(self) -> Breaks {
        match self {
            Role::Request => Breaks::BOTH,
            Role::Response => Breaks::PROVIDER,
        }
    }

    fn removed(self) -> Breaks {
        match self {
            Role::Request => Breaks::PROVIDER,
            Role::Response => Breaks::CONSUMER,
        }
    }

    fn tightened(self) -> Breaks {
        match self {
            Role::Request => Breaks::NONE,
            Role::Response => Breaks::PROVIDER,
        }
    }

    fn loosened(self) -> Breaks {
        match self {
            Role::Request => Breaks::PROVIDER,
            Role::Response => Breaks::CONSUMER,
        }
    }
}

struct Diff {
    changes: Vec<Change>,
}

impl Diff {
    fn push(&mut self, at: impl Into<String>, what: impl Into<String>, breaks: Breaks) {
        self.changes.push(Change {
            at: at.into(),
            what: what.into(),
            breaks,
        });
    }
}

fn compare_interactions(old: &Interaction, new: &Interaction) -> Vec<Change> {
    let mut diff = Diff {
        changes: Vec::new(),
    };
    match (&old.kind, &new.kind) {
        (
            InteractionKind::Http {
                request: old_request,
                response: old_response,
            },
            InteractionKind::Http {
                request: new_request,
                response: new_response,
            },
        ) => {
            compare_requests(old_request, new_request, &mut diff);
            compare_responses(old_response, new_response, &mut diff);
        }
        (
            InteractionKind::AsyncMessage(old_message),
            InteractionKind::AsyncMessage(new_message),
        ) => {
            compare_messages(
                old_message,
                new_message,
                "message",
                Role::Response,
                &mut diff,
            );
        }
        (InteractionKind::SyncMessage(old_sync), InteractionKind::SyncMessage(new_sync)) => {
            compare_messages(
                &old_sync.request,
                &new_sync.request,
                "request",
                Role::Request,
                &mut diff,
            );
            let count = old_sync.responses.len().max(new_sync.responses.len());
            for i in 0..count {
                let at = format!("response[{i}]");
                match (old_sync.responses.get(i), new_sync.responses.get(i)) {
                    (Some(a), Some(b)) => compare_messages(a, b, &at, Role::Response, &mut diff),
                    (None, Some(_)) => diff.push(at, "response message added", Breaks::PROVIDER),
                    (Some(_), None) => diff.push(at, "response message removed", Breaks::CONSUMER),
                    (None, None) => {}
                }
            }
        }
        _ => diff.push(
            "$",
            format!("kind changed from {} to {}", kind_name(old), kind_name(new)),
            Breaks::BOTH,
        ),
    }
    diff.changes
}

fn compare_requests(old: &HttpRequest, new: &HttpRequest, diff: &mut Diff) {
    let role = Role::Request;
    if !old.method.eq_ignore_ascii_case(&new.method) {
        diff.push(
            "request.method",
            format!("method changed from {} to {}", old.method, new.method),
            Breaks::BOTH,
        );
    }
    let path_rule = |rules: &MatchingRules| {
        rules
            .category(RuleCategory::Path)
            .and_then(|c| c.get("$"))
            .cloned()
    };
    let covered = path_rule(&new.matching_rules)
        .is_some_and(|list| !list.matchers.iter().all(|m| *m == Matcher::Equality));
    if old.path != new.path && !covered {
        diff.push(
            "request.path",
            format!("path changed from {} to {}", old.path, new.path),
            Breaks::BOTH,
        );
    }
    compare_multi_maps(
        old.query.as_ref(),
        new.query.as_ref(),
        "request.query",
        "query parameter",
        false,
        rules_of(
            &old.matching_rules,
            &new.matching_rules,
            RuleCategory::Query,
        ),
        role,
        diff,
    );
    compare_multi_maps(
        old.headers.as_ref(),
        new.headers.as_ref(),
        "request.headers",
        "header",
        true,
        rules_of(
            &old.matching_rules,
            &new.matching_rules,
            RuleCategory::Header,
        ),
        role,
        diff,
    );
    compare_bodies(
        &old.body,
        &new.body,
        "request.body",
        (&old.matching_rules, &new.matching_rules),
        role,
        diff,
    );
    compare_rules(
        &old.matching_rules,
        &new.matching_rules,
        "request.matchingRules",
        role,
        diff,
    );
}

fn compare_responses(old: &HttpResponse, new: &HttpResponse, diff: &mut Diff) {
    let role = Role::Response;
    let status_rule = |rules: &MatchingRules| {
        rules
            .category(RuleCategory::Status)
            .and_then(|c| c.get("$"))
            .and_then(|list| {
                list.matchers.iter().find_map(|m| match m {
                    Matcher::StatusCode(codes) => Some(codes.clone()),
                    _ => None,
                })
            })
    };
    let (old_rule, new_rule) = (
        status_rule(&old.matching_rules),
        status_rule(&new.matching_rules),
    );
    let same_class = old_rule.is_some() && old_rule == new_rule;
    if old.status != new.status && !same_class {
        diff.push(
            "response.status",
            format!("status changed from {} to {}", old.status, new.status),
            Breaks::BOTH,
        );
    }
    compare_multi_maps(
        old.headers.as_ref(),
        new.headers.as_ref(),
        "response.headers",
        "header",
        true,
        rules_of(
            &old.matching_rules,
            &new.matching_rules,
            RuleCategory::Header,
        ),
        role,
        diff,
    );
    compare_bodies(
        &old.body,
        &new.body,
        "response.body",
        (&old.matching_rules, &new.matching_rules),
        role,
        diff,
    );
    compare_rules(
        &old.matching_rules,
        &new.matching_rules,
        "response.matchingRules",
        role,
        diff,
    );
}

fn compare_messages(old: &Message, new: &Message, at: &str, role: Role, diff: &mut Diff) {
    let as_multi = |message: &Message| -> IndexMap<String, Vec<String>> {
        message
            .metadata
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), vec![text])
            })
            .collect()
    };
    let (old_metadata, new_metadata) = (as_multi(old), as_multi(new));
    compare_multi_maps(
        Some(&old_metadata),
        Some(&new_metadata),
        &format!("{at}.metadata"),
        "metadata key",
        false,
        rules_of(
            &old.matching_rules,
            &new.matching_rules,
            RuleCategory::Metadata,
        ),
        role,
        diff,
    );
    compare_bodies(
        &old.contents,
        &new.contents,
        &format!("{at}.contents"),
        (&old.matching_rules, &new.matching_rules),
        role,
        diff,
    );
    compare_rules(
        &old.matching_rules,
        &new.matching_rules,
        &format!("{at}.matchingRules"),
        role,
        diff,
    );
}

/// The keys of one category that have a matcher other than equality, in either contract.
fn rules_of<'a>(
    old: &'a MatchingRules,
    new: &'a MatchingRules,
    category: RuleCategory,
) -> Vec<&'a str> {
    [old, new]
        .into_iter()
        .filter_map(|rules| rules.category(category))
        .flat_map(|entries| {
            entries
                .iter()
                .filter(|(_, list)| !list.matchers.iter().all(|m| *m == Matcher::Equality))
                .map(|(key, _)| key.as_str())
        })
        .collect()
}

/// Compares headers, query parameters or metadata (names ignoring case for headers).
#[allow(clippy::too_many_arguments)]
fn compare_multi_maps(
    old: Option<&IndexMap<String, Vec<String>>>,
    new: Option<&IndexMap<String, Vec<String>>>,
    at: &str,
    noun: &str,
    ignore_case: bool,
    covered: Vec<&str>,
    role: Role,
    diff: &mut Diff,
) {
    let empty = IndexMap::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let lookup = |map: &'_ IndexMap<String, Vec<String>>, name: &str| -> Option<Vec<String>> {
        if ignore_case {
            find_header(map, name).cloned()
        } else {
            map.get(name).cloned()
        }
    };
    let is_covered = |name: &str| {
        covered.iter().any(|key| {
            if ignore_case {
                key.eq_ignore_ascii_case(name)
            } else {
                *key == name
            }
        })
    };
    for (name, old_values) in old {
        let here = format!("{at}.{name}");
        match lookup(new, name) {
            None => diff.push(here, format!("{noun} removed"), role.removed()),
            Some(new_values) => {
                let differs = if ignore_case && name.eq_ignore_ascii_case("content-type") {
                    old_values.iter().map(|v| media_type(v)).collect::<Vec<_>>()
                        != new_values.iter().map(|v| media_type(v)).collect::<Vec<_>>()
                } else {
                    *old_values != new_values
                };
                if differs && !is_covered(name) {
                    diff.push(
                        here,
                        format!(
                            "{noun} value changed from {:?} to {:?}",
                            old_values.join(", "),
                            new_values.join(", ")
                        ),
                        Breaks::BOTH,
                    );
                }
            }
        }
    }
    for name in new.keys() {
        if lookup(old, name).is_none() {
            diff.push(
                format!("{at}.{name}"),
                format!("{noun} added"),
                role.added(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
