//! Pending and work-in-progress (WIP) pacts, computed per (content, provider branch) from the
//! verification history; nothing about them is stored.
//!
//! Content is pending for a provider branch until a version of the provider on that branch
//! verified it successfully, or another branch verified it successfully before this branch
//! was created. Only successes change the state, and a pact that is not pending never becomes
//! pending again. A WIP pact is the head pact of a consumer branch (or tag) that was not
//! explicitly selected, was published after a cut-off date, and is still pending for the
//! provider branch; a success while it was verified as WIP does not end its WIP status.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::index::Index;
use super::model::{PacticipantId, Publication, Verification, Version};

/// Whether content is pending for a provider branch. Without a branch (legacy callers), it is
/// pending until any provider version verified it successfully.
pub(crate) fn is_pending(
    index: &Index<'_>,
    provider: PacticipantId,
    content_sha: &str,
    provider_branch: Option<&str>,
) -> bool {
    let successes = || {
        index
            .verifications_of(provider, content_sha)
            .iter()
            .copied()
            .filter(|v| v.success)
    };
    let Some(branch) = provider_branch else {
        return successes().next().is_none();
    };
    if successes().any(|v| from_branch(index, v, branch)) {
        return false;
    }
    !verified_by_another_branch_first(index, provider, branch, successes())
}

/// Pending status for legacy providers that send tags instead of a branch: pending when it is
/// pending for any of the tags. For one tag, the content stops being pending once a provider
/// version with that tag verified it successfully, or a version with another tag did before
/// the tag was first used (the creation time of the oldest provider version carrying it).
pub(crate) fn is_pending_for_tags(
    index: &Index<'_>,
    provider: PacticipantId,
    content_sha: &str,
    tags: &[String],
) -> bool {
    let successes: Vec<(&Verification, &Version)> = index
        .verifications_of(provider, content_sha)
        .iter()
        .filter(|v| v.success)
        .filter_map(|v| index.version(v.provider_version).map(|pv| (*v, pv)))
        .collect();
    tags.iter().any(|tag| {
        let tagged = |pv: &Version| pv.tags.iter().any(|t| t == tag);
        if successes.iter().any(|(_, pv)| tagged(pv)) {
            return false;
        }
        let first_used = index
            .versions_with_tag(provider, tag)
            .iter()
            .map(|v| v.created_at)
            .min();
        !successes.iter().any(|(v, pv)| {
            let other_tag = pv.tags.iter().any(|t| t != tag);
            other_tag && first_used.is_none_or(|first| v.verified_at < first)
        })
    })
}

/// The branches a verification counts for: the one recorded with it and those its provider
/// version belongs to now (Pact joins the provider version's branches).
fn branches_of<'v>(index: &Index<'v>, v: &'v Verification) -> impl Iterator<Item = &'v str> {
    let version_branches = index
        .version(v.provider_version)
        .into_iter()
        .flat_map(|pv| pv.branches.iter());
    v.provider_branch
        .iter()
        .chain(version_branches)
        .map(String::as_str)
}

fn from_branch(index: &Index<'_>, v: &Verification, branch: &str) -> bool {
    v.provider_branch.as_deref() == Some(branch)
        || index
            .version(v.provider_version)
            .is_some_and(|pv| pv.branches.iter().any(|b| b == branch))
}

/// A successful verification from another branch made before `branch` was created (any, when
/// the branch does not exist yet: it will be created after them).
fn verified_by_another_branch_first<'v>(
    index: &Index<'_>,
    provider: PacticipantId,
    branch: &str,
    mut successes: impl Iterator<Item = &'v Verification>,
) -> bool {
    let created = index.branch(provider, branch).map(|b| b.created_at);
    successes.any(|v| {
        let other_branch = branches_of(index, v).any(|b| b != branch);
        other_branch && created.is_none_or(|created| v.verified_at < created)
    })
}

/// Where a WIP pact is the head of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum WipSource {
    Branch(String),
    Tag(String),
}

/// One WIP pact: a head pact not explicitly selected and still pending for the provider branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WipPact<'a> {
    /// The newest head publication with this content.
    pub(crate) pact: &'a Publication,
    pub(crate) consumer_version: &'a Version,
    /// Every branch or tag whose head has this content, with its head consumer version.
    pub(crate) heads: Vec<(WipSource, &'a Version)>,
}

/// The WIP pacts for a provider branch: head pacts of every consumer branch and tag, minus
/// explicitly selected content, pacts published before `since`, content a version of this
/// branch verified successfully outside WIP, and content another branch verified successfully
/// before this branch was created. Returned oldest first, one per content.
pub(crate) fn wip_pacts<'a>(
    index: &Index<'a>,
    provider: PacticipantId,
    provider_branch: &str,
    since: DateTime<Utc>,
    explicitly_selected: &HashSet<&str>,
) -> Vec<WipPact<'a>> {
    let mut found: Vec<WipPact<'a>> = Vec::new();
    let mut by_content: HashMap<&'a str, usize> = HashMap::new();
    for consumer in index.consumers_of(provider) {
        for (source, head, pact) in heads(index, *consumer, provider) {
            let sha = pact.content_sha.as_str();
            if explicitly_selected.contains(sha) || pact.created_at < since {
                continue;
            }
            if let Some(&at) = by_content.get(sha) {
                let wip = &mut found[at];
                wip.heads.push((source, head));
                if pact.id > wip.pact.id {
                    (wip.pact, wip.consumer_version) = (pact, head);
                }
                continue;
            }
            if !pending_while_wip(index, provider, sha, provider_branch) {
                continue;
            }
            by_content.insert(sha, found.len());
            found.push(WipPact {
                pact,
                consumer_version: head,
                heads: vec![(source, head)],
            });
        }
    }
    found.sort_by_key(|w| (w.pact.created_at, w.pact.id));
    found
}

/// Head pacts of one consumer for a provider: per branch and per tag, the contract of the
/// latest version that has one.
fn heads<'a>(
    index: &Index<'a>,
    consumer: PacticipantId,
    provider: PacticipantId,
) -> Vec<(WipSource, &'a Version, &'a Publication)> {
    let latest_with_pact = |versions: &[&'a Version]| {
        versions
            .iter()
            .rev()
            .find_map(|v| index.pact(v.id, provider).map(|p| (*v, p)))
    };
    let mut heads = Vec::new();
    for branch in index.branch_names(consumer) {
        if let Some((v, p)) = latest_with_pact(index.versions_on_branch(consumer, branch)) {
            heads.push((WipSource::Branch((*branch).to_owned()), v, p));
        }
    }
    for tag in index.tag_names(consumer) {
        if let Some((v, p)) = latest_with_pact(index.versions_with_tag(consumer, tag)) {
            heads.push((WipSource::Tag((*tag).to_owned()), v, p));
        }
    }
    heads
}

/// Pending for WIP purposes: only successes made outside WIP count, on this branch or on
/// another branch before this one was created.
fn pending_while_wip(index: &Index<'_>, provider: PacticipantId, sha: &str, branch: &str) -> bool {
    let successes = || {
        index
            .verifications_of(provider, sha)
            .iter()
            .copied()
            .filter(|v| v.success && !v.wip)
    };
    if successes().any(|v| from_branch(index, v, branch)) {
        return false;
    }
    !verified_by_another_branch_first(index, provider, branch, successes())
}

#[cfg(test)]
mod tests;
