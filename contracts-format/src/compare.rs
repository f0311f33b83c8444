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
    Body, BodyValue, Contract, HttpRequest, HttpResponse, Interaction, InteractionKind, Matcher,
    MatchingRules, Message, ProviderState, RuleCategory, RuleList, StatusCodes, find_header,
    media_type,
};
use crate::validate::{PathStep, parse_path_expression};

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

/// Body rules of both contracts, parsed once.
struct BodyRules {
    rules: Vec<(Vec<PathStep>, RuleList)>,
}

impl BodyRules {
    fn new(old: &MatchingRules, new: &MatchingRules) -> Self {
        let mut rules = Vec::new();
        for source in [old, new] {
            if let Some(entries) = source.category(RuleCategory::Body) {
                for (key, list) in entries {
                    if let Ok(steps) = parse_path_expression(key) {
                        rules.push((steps, list.clone()));
                    }
                }
            }
        }
        BodyRules { rules }
    }

    /// The non-equality matchers that apply at `path` (rules cascade to children).
    fn covering(&self, path: &[Step]) -> impl Iterator<Item = &Matcher> {
        self.rules
            .iter()
            .filter(move |(steps, _)| prefix_matches(steps, path))
            .flat_map(|(_, list)| list.matchers.iter())
            .filter(|m| **m != Matcher::Equality)
    }

    fn covers_values(&self, path: &[Step]) -> bool {
        self.covering(path).next().is_some()
    }

    /// True when a matcher makes the array at `path` a template (`eachLike`, min/max...).
    fn templates_array(&self, path: &[Step]) -> bool {
        self.rules.iter().any(|(steps, list)| {
            steps.len() == path.len()
                && prefix_matches(steps, path)
                && list.matchers.iter().any(|m| {
                    matches!(
                        m,
                        Matcher::Type { .. }
                            | Matcher::EachValue { .. }
                            | Matcher::ArrayContains(_)
                            | Matcher::Values
                            | Matcher::NotEmpty
                    )
                })
        })
    }

    /// True when a matcher makes the keys of the object at `path` free.
    fn frees_keys(&self, path: &[Step]) -> bool {
        self.rules.iter().any(|(steps, list)| {
            steps.len() == path.len()
                && prefix_matches(steps, path)
                && list.matchers.iter().any(|m| {
                    matches!(
                        m,
                        Matcher::Values | Matcher::EachKey { .. } | Matcher::EachValue { .. }
                    )
                })
        })
    }
}

/// A step of a concrete location in a body.
#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
}

fn prefix_matches(rule: &[PathStep], path: &[Step]) -> bool {
    rule.len() <= path.len()
        && rule.iter().zip(path).all(|(r, p)| match (r, p) {
            (PathStep::Any, _) => true,
            (PathStep::Field(a), Step::Field(b)) => a == b,
            (PathStep::Index(a), Step::Index(b)) => a == b,
            _ => false,
        })
}

fn render(base: &str, path: &[Step]) -> String {
    let mut out = base.to_owned();
    for step in path {
        match step {
            Step::Field(name) => crate::spec::push_key(&mut out, name),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn compare_bodies(
    old: &Body,
    new: &Body,
    at: &str,
    rules: (&MatchingRules, &MatchingRules),
    role: Role,
    diff: &mut Diff,
) {
    let (old_content, new_content) = match (old, new) {
        (Body::Missing, Body::Missing) | (Body::Null, Body::Null) => return,
        (Body::Missing, _) => {
            diff.push(at, "body added", role.added());
            return;
        }
        (_, Body::Missing) => {
            diff.push(at, "body removed", role.removed());
            return;
        }
        (Body::Present(a), Body::Present(b)) => (a, b),
        _ => {
            diff.push(at, "body changed to or from null", Breaks::BOTH);
            return;
        }
    };
    let old_type = old_content.content_type.as_deref().map(media_type);
    let new_type = new_content.content_type.as_deref().map(media_type);
    if old_type.is_some() && new_type.is_some() && old_type != new_type {
        diff.push(
            at,
            format!(
                "content type changed from {} to {}",
                old_type.unwrap_or_default(),
                new_type.unwrap_or_default()
            ),
            Breaks::BOTH,
        );
        return;
    }
    let body_rules = BodyRules::new(rules.0, rules.1);
    match (&old_content.value, &new_content.value) {
        (BodyValue::Json(a), BodyValue::Json(b)) => {
            compare_json(a, b, &mut Vec::new(), at, &body_rules, role, diff)
        }
        (a, b) if a == b => {}
        _ if body_rules.covers_values(&[]) => {}
        _ => diff.push(at, "body content changed", Breaks::BOTH),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare_json(
    old: &Value,
    new: &Value,
    path: &mut Vec<Step>,
    at: &str,
    rules: &BodyRules,
    role: Role,
    diff: &mut Diff,
) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            if rules.frees_keys(path) {
                return;
            }
            for (key, old_value) in a {
                path.push(Step::Field(key.clone()));
                match b.get(key) {
                    Some(new_value) => {
                        compare_json(old_value, new_value, path, at, rules, role, diff)
                    }
                    None => diff.push(render(at, path), "field removed", role.removed()),
                }
                path.pop();
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                path.push(Step::Field(key.clone()));
                diff.push(render(at, path), "field added", role.added());
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            let templated = rules.templates_array(path);
            let common = if templated { 1 } else { a.len().min(b.len()) };
            for i in 0..common.min(a.len()).min(b.len()) {
                path.push(Step::Index(i));
                compare_json(&a[i], &b[i], path, at, rules, role, diff);
                path.pop();
            }
            if !templated && a.len() != b.len() && !rules.covers_values(path) {
                diff.push(
                    render(at, path),
                    format!("array length changed from {} to {}", a.len(), b.len()),
                    Breaks::BOTH,
                );
            }
        }
        (a, b) if json_type(a) != json_type(b) => diff.push(
            render(at, path),
            format!("type changed from {} to {}", json_type(a), json_type(b)),
            Breaks::BOTH,
        ),
        (a, b) => {
            if a != b && !rules.covers_values(path) {
                diff.push(
                    render(at, path),
                    format!("value changed from {a} to {b}"),
                    Breaks::BOTH,
                );
            }
        }
    }
}

/// Compares matching rules key by key: added rules loosen (any matcher is looser than
/// equality on the example), removed rules tighten, changed rules are ranked by strictness.
fn compare_rules(old: &MatchingRules, new: &MatchingRules, at: &str, role: Role, diff: &mut Diff) {
    let categories: Vec<RuleCategory> = {
        let mut all: Vec<RuleCategory> = old
            .categories
            .keys()
            .chain(new.categories.keys())
            .copied()
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let empty = IndexMap::new();
    for category in categories {
        let old_entries = old.category(category).unwrap_or(&empty);
        let new_entries = new.category(category).unwrap_or(&empty);
        let keys: Vec<&String> = {
            let mut keys: Vec<&String> = old_entries.keys().collect();
            keys.extend(new_entries.keys().filter(|k| !old_entries.contains_key(*k)));
            keys
        };
        for key in keys {
            let here = format!("{at}.{}['{key}']", category.as_str());
            match (old_entries.get(key), new_entries.get(key)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => {
                    let (tighter, looser) = strictness_change(a, b);
                    let breaks = match (tighter, looser) {
                        (true, true) => merge(role.tightened(), role.loosened()),
                        (true, false) => role.tightened(),
                        (false, true) => role.loosened(),
                        (false, false) => Breaks::NONE,
                    };
                    let verb = match (tighter, looser) {
                        (true, false) => "tightened",
                        (false, true) => "loosened",
                        _ => "changed",
                    };
                    diff.push(
                        here,
                        format!("matcher {verb}: {} -> {}", describe(a), describe(b)),
                        breaks,
                    );
                }
                (Some(a), None) => diff.push(
                    here,
                    format!(
                        "matcher removed ({}), the example must now match exactly",
                        describe(a)
                    ),
                    role.tightened(),
                ),
                (None, Some(b)) => {
                    if b.matchers.iter().all(|m| *m == Matcher::Equality) {
                        continue;
                    }
                    diff.push(
                        here,
                        format!("matcher added ({})", describe(b)),
                        role.loosened(),
                    );
                }
                (None, None) => {}
            }
        }
    }
}

fn merge(a: Breaks, b: Breaks) -> Breaks {
    Breaks {
        provider: a.provider || b.provider,
        consumer: a.consumer || b.consumer,
    }
}

/// How strict a matcher is: equality on the example is the strictest, shape-only matchers the
/// loosest.
fn rank(matcher: &Matcher) -> u8 {
    match matcher {
        Matcher::Equality => 4,
        Matcher::Regex(_)
        | Matcher::Include(_)
        | Matcher::Integer
        | Matcher::Decimal
        | Matcher::Boolean
        | Matcher::Null
        | Matcher::Date(_)
        | Matcher::Time(_)
        | Matcher::DateTime(_)
        | Matcher::ContentType(_)
        | Matcher::StatusCode(_)
        | Matcher::Semver => 3,
        Matcher::Number => 2,
        Matcher::Type { .. }
        | Matcher::Values
        | Matcher::ArrayContains(_)
        | Matcher::NotEmpty
        | Matcher::EachKey { .. }
        | Matcher::EachValue { .. } => 1,
    }
}

fn list_rank(list: &RuleList) -> u8 {
    let ranks = list.matchers.iter().map(rank);
    match list.combine {
        crate::model::Combine::And => ranks.max().unwrap_or(4),
        crate::model::Combine::Or => ranks.min().unwrap_or(4),
    }
}

/// Whether going from `old` to `new` can reject values accepted before (tighter) and accept
/// values rejected before (looser).
fn strictness_change(old: &RuleList, new: &RuleList) -> (bool, bool) {
    if let (
        [
            Matcher::Type {
                min: a_min,
                max: a_max,
            },
        ],
        [
            Matcher::Type {
                min: b_min,
                max: b_max,
            },
        ],
    ) = (old.matchers.as_slice(), new.matchers.as_slice())
    {
        let min_up = b_min.unwrap_or(0) > a_min.unwrap_or(0);
        let min_down = b_min.unwrap_or(0) < a_min.unwrap_or(0);
        let max_down = b_max.unwrap_or(usize::MAX) < a_max.unwrap_or(usize::MAX);
        let max_up = b_max.unwrap_or(usize::MAX) > a_max.unwrap_or(usize::MAX);
        return (min_up || max_down, min_down || max_up);
    }
    if let ([Matcher::StatusCode(a)], [Matcher::StatusCode(b)]) =
        (old.matchers.as_slice(), new.matchers.as_slice())
    {
        let accepts = |codes: &StatusCodes, status: u16| match codes {
            StatusCodes::Class(class) => class.contains(status),
            StatusCodes::Codes(list) => list.contains(&status),
        };
        let tighter = (100..600).any(|s| accepts(a, s) && !accepts(b, s));
        let looser = (100..600).any(|s| !accepts(a, s) && accepts(b, s));
        return (tighter, looser);
    }
    let (a, b) = (list_rank(old), list_rank(new));
    match a.cmp(&b) {
        std::cmp::Ordering::Less => (true, false),
        std::cmp::Ordering::Greater => (false, true),
        std::cmp::Ordering::Equal => (true, true),
    }
}

fn describe(list: &RuleList) -> String {
    let parts: Vec<String> = list.matchers.iter().map(describe_matcher).collect();
    let joiner = match list.combine {
        crate::model::Combine::And => " and ",
        crate::model::Combine::Or => " or ",
    };
    parts.join(joiner)
}

fn describe_matcher(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Regex(pattern) => format!("regex {:?}", pattern.as_str()),
        Matcher::Type { min, max } => {
            let mut out = "type".to_owned();
            if let Some(min) = min {
                out.push_str(&format!(" min {min}"));
            }
            if let Some(max) = max {
                out.push_str(&format!(" max {max}"));
            }
            out
        }
        Matcher::Include(value) => format!("include {value:?}"),
        Matcher::Date(Some(f)) | Matcher::Time(Some(f)) | Matcher::DateTime(Some(f)) => {
            format!("{} {f:?}", matcher.name())
        }
        Matcher::StatusCode(StatusCodes::Class(class)) => format!("statusCode {}", class.as_str()),
        Matcher::StatusCode(StatusCodes::Codes(codes)) => format!("statusCode {codes:?}"),
        other => other.name().to_owned(),
    }
}

#[cfg(test)]
mod tests;
