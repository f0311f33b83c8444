//! The matrix: every contract a consumer version published, left-joined to the verification
//! results of its content. A verification of some content counts for every consumer version
//! that published the same content, so identical re-publications are already verified.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use super::index::Index;
use super::model::{
    Pacticipant, PacticipantId, Publication, Verification, VerificationId, Version, VersionId,
};

/// One row: a consumer version's contract with a provider and, when one exists, a
/// verification of its content by a provider version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MatrixRow<'a> {
    pub(crate) consumer: &'a Pacticipant,
    pub(crate) consumer_version: &'a Version,
    pub(crate) provider: &'a Pacticipant,
    /// The latest revision the consumer version published for the provider.
    pub(crate) pact: &'a Publication,
    pub(crate) provider_version: Option<&'a Version>,
    pub(crate) verification: Option<&'a Verification>,
}

impl MatrixRow<'_> {
    /// `None` when no (selected) provider version verified the content.
    pub(crate) fn success(&self) -> Option<bool> {
        self.verification.map(|v| v.success)
    }
}

/// Which rows survive when several verify the same thing (Pact's `latestby`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LatestBy {
    /// `cvp`: per consumer version and provider, only the newest provider version's result.
    NewestProviderVersion,
    /// `cvpv`: per consumer version and provider version, only the latest result.
    EachProviderVersion,
    /// `cp`: per consumer and provider, only the newest consumer and provider versions.
    NewestOfIntegration,
}

/// Which versions of one pacticipant a query is about. With no filter, every version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MatrixSelector {
    pub(crate) pacticipant: String,
    pub(crate) version: Option<String>,
    pub(crate) branch: Option<String>,
    /// The pacticipant's configured main branch.
    pub(crate) main_branch: bool,
    pub(crate) tag: Option<String>,
    /// Deployed to or released (and supported) in the environment.
    pub(crate) environment: Option<String>,
    /// Only the latest of the versions selected by the other keys.
    pub(crate) latest: bool,
}

/// A matrix query: one selector gives every row of that pacticipant (as consumer and as
/// provider); several give the rows between the selected pacticipants only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MatrixQuery {
    pub(crate) selectors: Vec<MatrixSelector>,
    pub(crate) latestby: Option<LatestBy>,
    /// Keep only rows whose success is one of these (`None` = unverified); empty keeps all.
    pub(crate) success: Vec<Option<bool>>,
    pub(crate) limit: Option<usize>,
}

/// A matrix query naming something that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MatrixError {
    #[error("no pacticipant named {0:?}")]
    UnknownPacticipant(String),
    #[error("no environment named {0:?}")]
    UnknownEnvironment(String),
    #[error("at least one selector is required")]
    NoSelectors,
}

/// Versions of one pacticipant: `None` means all of them.
type VersionSet = Option<HashSet<VersionId>>;

/// Resolves a selector to its pacticipant and the set of versions it names.
fn resolve_selector<'a>(
    index: &Index<'a>,
    selector: &MatrixSelector,
) -> Result<(&'a Pacticipant, VersionSet), MatrixError> {
    let pacticipant = index
        .pacticipant_named(&selector.pacticipant)
        .ok_or_else(|| MatrixError::UnknownPacticipant(selector.pacticipant.clone()))?;
    let mut candidates: Option<Vec<&Version>> = None;
    let mut narrow = |list: Vec<&'a Version>| {
        candidates = Some(match candidates.take() {
            None => list,
            Some(previous) => {
                let wanted: HashSet<VersionId> = list.iter().map(|v| v.id).collect();
                previous
                    .into_iter()
                    .filter(|v| wanted.contains(&v.id))
                    .collect()
            }
        });
    };
    if let Some(number) = &selector.version {
        narrow(
            index
                .version_numbered(pacticipant.id, number)
                .into_iter()
                .collect(),
        );
    }
    let branch = match (&selector.branch, selector.main_branch) {
        (Some(branch), _) => Some(branch.as_str()),
        (None, true) => Some(pacticipant.main_branch.as_deref().unwrap_or_default()),
        (None, false) => None,
    };
    if let Some(branch) = branch {
        narrow(index.versions_on_branch(pacticipant.id, branch).to_vec());
    }
    if let Some(tag) = &selector.tag {
        narrow(index.versions_with_tag(pacticipant.id, tag).to_vec());
    }
    if let Some(name) = &selector.environment {
        let environment = index
            .environment_named(name)
            .ok_or_else(|| MatrixError::UnknownEnvironment(name.clone()))?;
        let mut list: Vec<&Version> = index
            .in_environment(environment.id, pacticipant.id)
            .iter()
            .filter_map(|(v, _)| index.version(*v))
            .collect();
        list.dedup_by_key(|v| v.id);
        narrow(list);
    }
    if selector.latest {
        let all = || index.versions_of(pacticipant.id).to_vec();
        let mut list = candidates.take().unwrap_or_else(all);
        list.sort_by_key(|v| (v.order, v.id));
        candidates = Some(list.last().copied().into_iter().collect());
    }
    Ok((
        pacticipant,
        candidates.map(|list| list.into_iter().map(|v| v.id).collect()),
    ))
}

fn contains(set: &VersionSet, version: VersionId) -> bool {
    set.as_ref().is_none_or(|s| s.contains(&version))
}

/// Rows of one contract: one per verification by a provider version in `providers` (only the
/// latest per provider version when `latest_only`), or one unverified row.
fn rows_of_pact<'a>(
    index: &Index<'a>,
    pact: &'a Publication,
    providers: &VersionSet,
    latest_only: bool,
    out: &mut Vec<MatrixRow<'a>>,
) {
    let (Some(consumer_version), Some(provider)) = (
        index.version(pact.consumer_version),
        index.pacticipant(pact.provider),
    ) else {
        return;
    };
    let Some(consumer) = index.pacticipant(consumer_version.pacticipant) else {
        return;
    };
    let before = out.len();
    for verification in index.verifications_of(pact.provider, &pact.content_sha) {
        if !contains(providers, verification.provider_version) {
            continue;
        }
        if latest_only
            && index
                .latest_verification(&pact.content_sha, verification.provider_version)
                .map(|l| l.id)
                != Some(verification.id)
        {
            continue;
        }
        let provider_version = index.version(verification.provider_version);
        out.push(MatrixRow {
            consumer,
            consumer_version,
            provider,
            pact,
            provider_version,
            verification: Some(verification),
        });
    }
    if out.len() == before {
        out.push(MatrixRow {
            consumer,
            consumer_version,
            provider,
            pact,
            provider_version: None,
            verification: None,
        });
    }
}

/// Answers a matrix query. Rows come newest first (consumer version, then provider version).
pub(crate) fn matrix<'a>(
    index: &Index<'a>,
    query: &MatrixQuery,
) -> Result<Vec<MatrixRow<'a>>, MatrixError> {
    if query.selectors.is_empty() {
        return Err(MatrixError::NoSelectors);
    }
    let latest_only = query.latestby.is_some();
    let mut selected: Vec<(PacticipantId, VersionSet)> = Vec::new();
    for selector in &query.selectors {
        let (pacticipant, set) = resolve_selector(index, selector)?;
        match selected.iter_mut().find(|(p, _)| *p == pacticipant.id) {
            Some((_, existing)) => {
                if let (Some(existing), Some(set)) = (existing.as_mut(), set.as_ref()) {
                    existing.extend(set);
                } else {
                    *existing = None;
                }
            }
            None => selected.push((pacticipant.id, set)),
        }
    }
    let mut rows = Vec::new();
    if let [(pacticipant, set)] = selected.as_slice() {
        rows_of_one(index, *pacticipant, set, latest_only, &mut rows);
    } else {
        let providers: HashMap<PacticipantId, &VersionSet> =
            selected.iter().map(|(p, s)| (*p, s)).collect();
        for (consumer, set) in &selected {
            for version in versions_in(index, *consumer, set) {
                for pact in index.pacts_of_consumer_version(version.id) {
                    if let Some(provider_set) = providers
                        .get(&pact.provider)
                        .filter(|_| pact.provider != *consumer)
                    {
                        rows_of_pact(index, pact, provider_set, latest_only, &mut rows);
                    }
                }
            }
        }
    }
    let mut rows = match query.latestby {
        Some(latestby) => apply_latestby(rows, latestby),
        None => rows,
    };
    if !query.success.is_empty() {
        rows.retain(|r| query.success.contains(&r.success()));
    }
    sort_newest_first(&mut rows);
    if let Some(limit) = query.limit {
        rows.truncate(limit);
    }
    Ok(rows)
}

fn versions_in<'a>(
    index: &Index<'a>,
    pacticipant: PacticipantId,
    set: &VersionSet,
) -> Vec<&'a Version> {
    match set {
        None => index.versions_of(pacticipant).to_vec(),
        Some(ids) => ids.iter().filter_map(|id| index.version(*id)).collect(),
    }
}

/// Every row of one pacticipant: its contracts as a consumer, and as a provider the
/// contracts its selected versions verified (all its contracts when every version is selected).
fn rows_of_one<'a>(
    index: &Index<'a>,
    pacticipant: PacticipantId,
    set: &VersionSet,
    latest_only: bool,
    out: &mut Vec<MatrixRow<'a>>,
) {
    for version in versions_in(index, pacticipant, set) {
        for pact in index.pacts_of_consumer_version(version.id) {
            rows_of_pact(index, pact, &None, latest_only, out);
        }
    }
    match set {
        None => {
            for consumer in index.consumers_of(pacticipant) {
                if *consumer == pacticipant {
                    continue;
                }
                for version in index.versions_of(*consumer) {
                    if let Some(pact) = index.pact(version.id, pacticipant) {
                        rows_of_pact(index, pact, &None, latest_only, out);
                    }
                }
            }
        }
        Some(ids) => {
            let mut seen = HashSet::new();
            for id in ids {
                for verification in index.verifications_by(*id) {
                    if !seen.insert(verification.content_sha.as_str()) {
                        continue;
                    }
                    for pact in index.pacts_with_content(pacticipant, &verification.content_sha) {
                        let before = out.len();
                        rows_of_pact(index, pact, set, latest_only, out);
                        // A pact this provider never verified within the selection adds nothing.
                        if out.len() == before + 1 && out[before].verification.is_none() {
                            out.truncate(before);
                        }
                    }
                }
            }
        }
    }
    let mut seen = HashSet::new();
    out.retain(|r| seen.insert((r.pact.id, r.verification.map(|v| v.id))));
}

/// Keeps, per group, the row with the newest provider version; unverified groups stay whole.
fn apply_latestby(rows: Vec<MatrixRow<'_>>, latestby: LatestBy) -> Vec<MatrixRow<'_>> {
    type Key = (
        PacticipantId,
        Option<VersionId>,
        PacticipantId,
        Option<VersionId>,
    );
    let key = |r: &MatrixRow<'_>| -> Key {
        match latestby {
            LatestBy::EachProviderVersion => (
                r.consumer.id,
                Some(r.consumer_version.id),
                r.provider.id,
                r.provider_version.map(|v| v.id),
            ),
            LatestBy::NewestProviderVersion => (
                r.consumer.id,
                Some(r.consumer_version.id),
                r.provider.id,
                None,
            ),
            LatestBy::NewestOfIntegration => (r.consumer.id, None, r.provider.id, None),
        }
    };
    let rank = |r: &MatrixRow<'_>| {
        (
            r.consumer_version.order,
            r.provider_version.map(|v| v.order),
            r.verification.map(|v| v.id),
        )
    };
    let mut groups: HashMap<Key, Vec<MatrixRow<'_>>> = HashMap::new();
    let mut order = Vec::new();
    for row in rows {
        let k = key(&row);
        if !groups.contains_key(&k) {
            order.push(k);
        }
        groups.entry(k).or_default().push(row);
    }
    let mut kept = Vec::new();
    for k in order {
        let group = groups.remove(&k).unwrap_or_default();
        let best = group
            .iter()
            .filter(|r| r.verification.is_some())
            .max_by_key(|r| rank(r))
            .copied();
        match best {
            Some(row) => kept.push(row),
            None => kept.extend(group),
        }
    }
    kept
}

type SortKey<'r> = (
    Reverse<i64>,
    &'r str,
    Reverse<Option<i64>>,
    Reverse<Option<VerificationId>>,
);

fn sort_key<'r>(r: &'r MatrixRow<'_>) -> SortKey<'r> {
    (
        Reverse(r.consumer_version.order),
        r.provider.name.as_str(),
        Reverse(r.provider_version.map(|v| v.order)),
        Reverse(r.verification.map(|v| v.id)),
    )
}

fn sort_newest_first(rows: &mut [MatrixRow<'_>]) {
    rows.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

#[cfg(test)]
mod tests;
