//! Pacts for verification: which contracts a provider build must verify, chosen by consumer
//! version selectors, de-duplicated by content, with pending and WIP status and the notices a
//! verifier prints before and after verifying.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::index::{Index, Presence};
use super::model::{Pacticipant, PacticipantId, Publication, Version, VersionId};
use super::pending::{ProviderScope, WipSource, is_pending, wip_pacts};

mod notices;
mod validate;

pub(crate) use notices::Notice;
pub(crate) use validate::{SelectorError, validate};

/// One consumer version selector, as sent by verifiers (field names on the wire are Pact's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConsumerVersionSelector {
    pub(crate) main_branch: Option<bool>,
    pub(crate) branch: Option<String>,
    pub(crate) fallback_branch: Option<String>,
    pub(crate) matching_branch: Option<bool>,
    pub(crate) tag: Option<String>,
    pub(crate) fallback_tag: Option<String>,
    pub(crate) latest: Option<bool>,
    pub(crate) deployed: Option<bool>,
    pub(crate) released: Option<bool>,
    pub(crate) deployed_or_released: Option<bool>,
    pub(crate) environment: Option<String>,
    pub(crate) consumer: Option<String>,
}

/// A pacts-for-verification request for one provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PactsForVerificationQuery {
    pub(crate) provider: String,
    /// When empty, the default selectors apply (see [`pacts_for_verification`]).
    pub(crate) selectors: Vec<ConsumerVersionSelector>,
    pub(crate) provider_version_branch: Option<String>,
    /// Legacy: used for pending status when no branch is given.
    pub(crate) provider_version_tags: Vec<String>,
    pub(crate) include_pending_status: bool,
    pub(crate) include_wip_pacts_since: Option<DateTime<Utc>>,
}

/// Why a request cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PactsForVerificationError {
    #[error("no provider named {0:?}")]
    UnknownProvider(String),
    #[error("invalid request: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<SelectorError>),
}

/// Why one consumer version's contract was selected. The fields mirror the selector metadata
/// Pact embeds in the pact URL (`b`, `t`, `l`, `e`, `cv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SelectionReason {
    /// Index of the selector in the request; `None` for default selectors.
    pub(crate) selector: Option<usize>,
    pub(crate) consumer_version: VersionId,
    pub(crate) branch: Option<String>,
    pub(crate) tag: Option<String>,
    pub(crate) latest: bool,
    pub(crate) environment: Option<String>,
    /// E.g. "latest version of Foo from branch 'main' (1.2.0)".
    pub(crate) description: String,
}

/// One contract to verify; several selected consumer versions with the same content share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerifiablePact<'a> {
    pub(crate) consumer: &'a Pacticipant,
    pub(crate) provider: &'a Pacticipant,
    /// The newest selected publication with this content.
    pub(crate) pact: &'a Publication,
    pub(crate) content_sha: &'a str,
    /// Every reason, in request order (for WIP pacts, one per branch or tag head).
    pub(crate) selected_by: Vec<SelectionReason>,
    /// Present only when pending status was requested (always `Some(true)` for WIP pacts).
    pub(crate) pending: Option<bool>,
    pub(crate) wip: bool,
    pub(crate) notices: Vec<Notice>,
    /// E.g. "latest from branch 'main' of Foo" for the verifier's summary.
    pub(crate) short_description: String,
}

/// Chooses the contracts a provider must verify. Without selectors, it uses Pact's defaults:
/// per consumer, the latest pact of its main branch (or else of the latest version tagged with
/// the main branch's name, or else the latest pact), plus every currently deployed and every
/// currently supported released version. WIP pacts follow the selected ones.
pub(crate) fn pacts_for_verification<'a>(
    index: &Index<'a>,
    query: &PactsForVerificationQuery,
) -> Result<Vec<VerifiablePact<'a>>, PactsForVerificationError> {
    let provider = index
        .pacticipant_named(&query.provider)
        .ok_or_else(|| PactsForVerificationError::UnknownProvider(query.provider.clone()))?;
    let errors = validate(index, query);
    if !errors.is_empty() {
        return Err(PactsForVerificationError::Invalid(errors));
    }
    let branch = query
        .provider_version_branch
        .as_deref()
        .filter(|b| !b.trim().is_empty());
    let scope = match (branch, query.provider_version_tags.as_slice()) {
        (Some(branch), _) => ProviderScope::Branch(branch),
        (None, []) => ProviderScope::Any,
        (None, tags) => ProviderScope::Tags(tags),
    };
    let mut selected: Vec<Selected<'a>> = Vec::new();
    if query.selectors.is_empty() {
        default_selections(index, provider.id, &mut selected);
    } else {
        for (i, selector) in query.selectors.iter().enumerate() {
            select(index, provider.id, Some(i), selector, branch, &mut selected);
        }
    }
    let mut pacts = merge_by_content(index, provider, selected);
    for pact in &mut pacts {
        if query.include_pending_status {
            pact.pending = Some(is_pending(index, provider.id, pact.content_sha, scope));
        }
        pact.notices = notices::for_selected(pact, scope);
    }
    if let Some(since) = query.include_wip_pacts_since {
        let explicit: HashSet<&str> = pacts.iter().map(|p| p.content_sha).collect();
        for wip in wip_pacts(index, provider.id, scope, since, &explicit) {
            pacts.extend(wip_pact(index, provider, wip, scope, since));
        }
    }
    Ok(pacts)
}

/// One selected consumer version contract, before merging by content.
struct Selected<'a> {
    pact: &'a Publication,
    version: &'a Version,
    reason: SelectionReason,
}

/// What a selector asks for, resolved against one consumer.
struct Pick<'s> {
    branch: Option<&'s str>,
    tag: Option<&'s str>,
    latest: bool,
    environment: Option<&'s str>,
    label: String,
}

fn consumers<'a>(
    index: &Index<'a>,
    provider: PacticipantId,
    only: Option<&str>,
) -> Vec<&'a Pacticipant> {
    let mut list: Vec<&Pacticipant> = index
        .consumers_of(provider)
        .iter()
        .filter_map(|c| index.pacticipant(*c))
        .filter(|c| only.is_none_or(|name| c.name == name))
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

fn latest_with_pact<'a>(
    index: &Index<'a>,
    versions: &[&'a Version],
    provider: PacticipantId,
) -> Option<(&'a Version, &'a Publication)> {
    versions
        .iter()
        .rev()
        .find_map(|v| index.pact(v.id, provider).map(|p| (*v, p)))
}

fn branch_pick(branch: &str, label: String) -> Pick<'_> {
    Pick {
        branch: Some(branch),
        tag: None,
        latest: true,
        environment: None,
        label,
    }
}

fn tag_pick(tag: &str, latest: bool, label: String) -> Pick<'_> {
    Pick {
        branch: None,
        tag: Some(tag),
        latest,
        environment: None,
        label,
    }
}

/// Resolves one selector for every consumer it applies to.
fn select<'a>(
    index: &Index<'a>,
    provider: PacticipantId,
    selector_index: Option<usize>,
    s: &ConsumerVersionSelector,
    provider_branch: Option<&str>,
    out: &mut Vec<Selected<'a>>,
) {
    for consumer in consumers(index, provider, s.consumer.as_deref()) {
        let name = &consumer.name;
        let mut add = |version: &'a Version, pact: &'a Publication, pick: Pick<'_>| {
            let reason = SelectionReason {
                selector: selector_index,
                consumer_version: version.id,
                branch: pick.branch.map(str::to_owned),
                tag: pick.tag.map(str::to_owned),
                latest: pick.latest,
                environment: pick.environment.map(str::to_owned),
                description: format!("{} ({})", pick.label, version.number),
            };
            out.push(Selected {
                pact,
                version,
                reason,
            });
        };
        let latest_on_branch = |branch: &str| {
            latest_with_pact(
                index,
                index.versions_on_branch(consumer.id, branch),
                provider,
            )
        };
        let latest_with_tag = |tag: &str| {
            latest_with_pact(index, index.versions_with_tag(consumer.id, tag), provider)
        };
        if s.main_branch == Some(true) {
            let Some(main) = consumer.main_branch.as_deref() else {
                continue;
            };
            if let Some((v, p)) = latest_on_branch(main) {
                add(
                    v,
                    p,
                    branch_pick(
                        main,
                        format!("latest version of {name} from its main branch '{main}'"),
                    ),
                );
            }
        } else if s.matching_branch == Some(true) {
            let Some(branch) = provider_branch else {
                continue;
            };
            if let Some((v, p)) = latest_on_branch(branch) {
                let label = format!(
                    "latest version of {name} from branch '{branch}', matching the provider branch"
                );
                add(v, p, branch_pick(branch, label));
            }
        } else if let Some(branch) = s.branch.as_deref() {
            if let Some((v, p)) = latest_on_branch(branch) {
                add(
                    v,
                    p,
                    branch_pick(
                        branch,
                        format!("latest version of {name} from branch '{branch}'"),
                    ),
                );
            } else if let Some(fallback) = s.fallback_branch.as_deref()
                && let Some((v, p)) = latest_on_branch(fallback)
            {
                let label = format!(
                    "latest version of {name} from branch '{fallback}' (fallback: branch '{branch}' has no pact)"
                );
                add(v, p, branch_pick(fallback, label));
            }
        } else if let Some(tag) = s.tag.as_deref() {
            if s.latest == Some(true) {
                if let Some((v, p)) = latest_with_tag(tag) {
                    add(
                        v,
                        p,
                        tag_pick(
                            tag,
                            true,
                            format!("latest version of {name} tagged '{tag}'"),
                        ),
                    );
                } else if let Some(fallback) = s.fallback_tag.as_deref()
                    && let Some((v, p)) = latest_with_tag(fallback)
                {
                    let label = format!(
                        "latest version of {name} tagged '{fallback}' (fallback: no version tagged '{tag}' has a pact)"
                    );
                    add(v, p, tag_pick(fallback, true, label));
                }
            } else {
                for v in index.versions_with_tag(consumer.id, tag) {
                    if let Some(p) = index.pact(v.id, provider) {
                        add(
                            v,
                            p,
                            tag_pick(tag, false, format!("a version of {name} tagged '{tag}'")),
                        );
                    }
                }
            }
        } else if s.latest == Some(true) {
            if let Some((v, p)) = latest_with_pact(index, index.versions_of(consumer.id), provider)
            {
                let label = format!("latest version of {name}");
                add(
                    v,
                    p,
                    Pick {
                        branch: None,
                        tag: None,
                        latest: true,
                        environment: None,
                        label,
                    },
                );
            }
        } else {
            let wanted = match (s.deployed, s.released) {
                (Some(true), _) => Some(Presence::Deployed),
                (_, Some(true)) => Some(Presence::Released),
                _ => None,
            };
            for (v, p, environment, presence) in
                in_environments(index, consumer, provider, s.environment.as_deref())
            {
                if wanted.is_some_and(|w| w != presence) {
                    continue;
                }
                let label = match presence {
                    Presence::Deployed => {
                        format!("a version of {name} currently deployed to {environment}")
                    }
                    Presence::Released => {
                        format!("a version of {name} released and supported in {environment}")
                    }
                };
                add(
                    v,
                    p,
                    Pick {
                        branch: None,
                        tag: None,
                        latest: false,
                        environment: Some(environment),
                        label,
                    },
                );
            }
        }
    }
}

/// Contracts of the consumer's versions currently in an environment (or in any).
fn in_environments<'a>(
    index: &Index<'a>,
    consumer: &Pacticipant,
    provider: PacticipantId,
    only: Option<&str>,
) -> Vec<(&'a Version, &'a Publication, &'a str, Presence)> {
    let mut found = Vec::new();
    for environment in &index.data().environments {
        if only.is_some_and(|name| environment.name != name) {
            continue;
        }
        for (version, presence) in index.in_environment(environment.id, consumer.id) {
            let (Some(v), Some(p)) = (index.version(*version), index.pact(*version, provider))
            else {
                continue;
            };
            found.push((v, p, environment.name.as_str(), *presence));
        }
    }
    found
}

/// Pact's default selectors, for every consumer of the provider.
fn default_selections<'a>(index: &Index<'a>, provider: PacticipantId, out: &mut Vec<Selected<'a>>) {
    for consumer in consumers(index, provider, None) {
        let only = ConsumerVersionSelector {
            consumer: Some(consumer.name.clone()),
            ..Default::default()
        };
        let before = out.len();
        if let Some(main) = consumer.main_branch.as_deref() {
            let main_branch = ConsumerVersionSelector {
                main_branch: Some(true),
                ..only.clone()
            };
            select(index, provider, None, &main_branch, None, out);
            if out.len() == before {
                let tagged = ConsumerVersionSelector {
                    tag: Some(main.to_owned()),
                    latest: Some(true),
                    ..only.clone()
                };
                select(index, provider, None, &tagged, None, out);
            }
        }
        if out.len() == before {
            let latest = ConsumerVersionSelector {
                latest: Some(true),
                ..only.clone()
            };
            select(index, provider, None, &latest, None, out);
        }
        let deployed_or_released = ConsumerVersionSelector {
            deployed_or_released: Some(true),
            ..only
        };
        select(index, provider, None, &deployed_or_released, None, out);
    }
}

/// One entry per content, keeping every reason; ordered by first selection.
fn merge_by_content<'a>(
    index: &Index<'a>,
    provider: &'a Pacticipant,
    selected: Vec<Selected<'a>>,
) -> Vec<VerifiablePact<'a>> {
    let mut pacts: Vec<VerifiablePact<'a>> = Vec::new();
    let mut newest: Vec<&'a Version> = Vec::new();
    let mut at: HashMap<&'a str, usize> = HashMap::new();
    for Selected {
        pact,
        version,
        reason,
    } in selected
    {
        let sha = pact.content_sha.as_str();
        if let Some(&i) = at.get(sha) {
            if !pacts[i].selected_by.contains(&reason) {
                pacts[i].selected_by.push(reason);
            }
            if version.order > newest[i].order {
                (pacts[i].pact, newest[i]) = (pact, version);
            }
            continue;
        }
        let Some(consumer) = index.pacticipant(version.pacticipant) else {
            continue;
        };
        at.insert(sha, pacts.len());
        newest.push(version);
        pacts.push(VerifiablePact {
            consumer,
            provider,
            pact,
            content_sha: sha,
            selected_by: vec![reason],
            pending: None,
            wip: false,
            notices: Vec::new(),
            short_description: String::new(),
        });
    }
    for (pact, version) in pacts.iter_mut().zip(newest) {
        pact.short_description = notices::short_description(pact, version);
    }
    pacts
}

fn wip_pact<'a>(
    index: &Index<'a>,
    provider: &'a Pacticipant,
    wip: super::pending::WipPact<'a>,
    scope: ProviderScope<'_>,
    since: DateTime<Utc>,
) -> Option<VerifiablePact<'a>> {
    let consumer = index.pacticipant(wip.consumer_version.pacticipant)?;
    let selected_by = wip
        .heads
        .iter()
        .map(|(source, version)| {
            let (branch, tag, label) = match source {
                WipSource::Branch(b) => (
                    Some(b.clone()),
                    None,
                    format!("latest version of {} from branch '{b}'", consumer.name),
                ),
                WipSource::Tag(t) => (
                    None,
                    Some(t.clone()),
                    format!("latest version of {} tagged '{t}'", consumer.name),
                ),
            };
            SelectionReason {
                selector: None,
                consumer_version: version.id,
                branch,
                tag,
                latest: true,
                environment: None,
                description: format!("{label} ({})", version.number),
            }
        })
        .collect();
    let mut pact = VerifiablePact {
        consumer,
        provider,
        pact: wip.pact,
        content_sha: wip.pact.content_sha.as_str(),
        selected_by,
        pending: Some(true),
        wip: true,
        notices: Vec::new(),
        short_description: String::new(),
    };
    pact.short_description = notices::short_description(&pact, wip.consumer_version);
    pact.notices = notices::for_wip(&pact, scope, since);
    Some(pact)
}

#[cfg(test)]
mod tests;
