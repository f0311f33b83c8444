//! Pending and work-in-progress (WIP) pacts, computed per (content, provider branch) from the
//! verification history; nothing about them is stored.
//!
//! Content is pending for a provider branch until a version of the provider on that branch
//! verified it successfully, or another branch verified it successfully before this branch
//! was created. Only successes change the state, and a pact that is not pending never becomes
//! pending again. A WIP pact is the head pact of a consumer branch (or tag) that was not
//! explicitly selected, was published after a cut-off date, and is still pending for the
//! provider branch; a success while it was verified as WIP does not end its WIP status.
//! Legacy providers that send tags instead of a branch get the same rules per tag.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::index::Index;
use super::model::{PacticipantId, Publication, Verification, Version};

/// Which provider versions pending status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProviderScope<'s> {
    /// Versions on this branch (the normal case).
    Branch(&'s str),
    /// Legacy providers that send tags instead of a branch: pending while pending for any of
    /// them. A tag "starts" when the oldest provider version carrying it was created.
    Tags(&'s [String]),
    /// Neither: pending until any provider version verified the content successfully.
    Any,
}

/// One line of provider development: a branch, or a tag for legacy providers.
#[derive(Debug, Clone, Copy)]
enum Line<'s> {
    Branch(&'s str),
    Tag(&'s str),
}

fn lines(scope: ProviderScope<'_>) -> Vec<Line<'_>> {
    match scope {
        ProviderScope::Branch(branch) => vec![Line::Branch(branch)],
        ProviderScope::Tags(tags) => tags.iter().map(|t| Line::Tag(t)).collect(),
        ProviderScope::Any => Vec::new(),
    }
}

impl Line<'_> {
    /// The verification was made by a provider version on this line. For branches, Pact joins
    /// the provider version's branches; the branch recorded with the result counts too.
    fn made_on(self, index: &Index<'_>, v: &Verification) -> bool {
        let version = index.version(v.provider_version);
        match self {
            Line::Branch(b) => {
                v.provider_branch.as_deref() == Some(b)
                    || version.is_some_and(|pv| pv.branches.iter().any(|x| x == b))
            }
            Line::Tag(t) => version.is_some_and(|pv| pv.tags.iter().any(|x| x == t)),
        }
    }

    /// The verification was made on some other line (results without any branch or tag
    /// count for none).
    fn made_elsewhere(self, index: &Index<'_>, v: &Verification) -> bool {
        let version = index.version(v.provider_version);
        match self {
            Line::Branch(b) => {
                let version_branches = version.into_iter().flat_map(|pv| pv.branches.iter());
                v.provider_branch
                    .iter()
                    .chain(version_branches)
                    .any(|x| x != b)
            }
            Line::Tag(t) => version.is_some_and(|pv| pv.tags.iter().any(|x| x != t)),
        }
    }

    /// When the line started: the branch's creation, or the tag's first use. `None` when it
    /// does not exist yet (it will start after every existing result).
    fn started(self, index: &Index<'_>, provider: PacticipantId) -> Option<DateTime<Utc>> {
        match self {
            Line::Branch(b) => index.branch(provider, b).map(|branch| branch.created_at),
            Line::Tag(t) => index
                .versions_with_tag(provider, t)
                .iter()
                .map(|v| v.created_at)
                .min(),
        }
    }

    /// Pending for this line given the successful results that count: none made on it, and
    /// none made elsewhere before it started.
    fn pending(
        self,
        index: &Index<'_>,
        provider: PacticipantId,
        successes: &[&Verification],
    ) -> bool {
        if successes.iter().any(|v| self.made_on(index, v)) {
            return false;
        }
        let started = self.started(index, provider);
        !successes
            .iter()
            .any(|v| self.made_elsewhere(index, v) && started.is_none_or(|s| v.verified_at < s))
    }
}

/// Whether content is pending for the provider versions in `scope`.
pub(crate) fn is_pending(
    index: &Index<'_>,
    provider: PacticipantId,
    content_sha: &str,
    scope: ProviderScope<'_>,
) -> bool {
    let successes: Vec<&Verification> = index
        .verifications_of(provider, content_sha)
        .iter()
        .copied()
        .filter(|v| v.success)
        .collect();
    let lines = lines(scope);
    if lines.is_empty() {
        return successes.is_empty();
    }
    lines
        .iter()
        .any(|line| line.pending(index, provider, &successes))
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

/// The WIP pacts for a provider branch (or, for legacy providers, any of its tags): head pacts
/// of every consumer branch and tag, minus explicitly selected content, pacts published before
/// `since`, content a version of this branch verified successfully outside WIP, and content
/// another branch verified successfully (outside WIP) before this branch was created. Empty
/// without a branch or tags. Returned oldest first, one per content.
pub(crate) fn wip_pacts<'a>(
    index: &Index<'a>,
    provider: PacticipantId,
    scope: ProviderScope<'_>,
    since: DateTime<Utc>,
    explicitly_selected: &HashSet<&str>,
) -> Vec<WipPact<'a>> {
    let lines = lines(scope);
    if lines.is_empty() {
        return Vec::new();
    }
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
            if !pending_while_wip(index, provider, sha, &lines) {
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

/// Pending for WIP purposes: only successes made outside WIP count.
fn pending_while_wip(
    index: &Index<'_>,
    provider: PacticipantId,
    sha: &str,
    lines: &[Line<'_>],
) -> bool {
    let successes: Vec<&Verification> = index
        .verifications_of(provider, sha)
        .iter()
        .copied()
        .filter(|v| v.success && !v.wip)
        .collect();
    lines
        .iter()
        .any(|line| line.pending(index, provider, &successes))
}

#[cfg(test)]
mod tests;
