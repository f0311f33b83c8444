//! The can-i-deploy relation over sets of changes: "if these versions replaced their
//! pacticipants' versions in the environment, would can-i-deploy say yes for all of them?".
//! Planning and lockstep detection ask only this question, always through [`can_i_deploy`],
//! so they follow exactly the rules of the `/can-i-deploy` endpoint (ignore selectors
//! included).
//!
//! Why one set question is enough: deploying the changes of a set S one after another is
//! valid when every intermediate set passes. Asking can-i-deploy for the whole of S (as a
//! multi-version query against the environment) checks every row touching a member of S with
//! the other members already in place, which, when the set before the last step passed, is
//! exactly the check of the last step against the environment as left by the earlier steps.

use std::collections::HashMap;

use crate::domain::can_i_deploy::{
    CanIDeployError, CanIDeployQuery, DeployRow, IgnoreSelector, RowStatus, SpecifiedVersion,
    Target, VersionSpec, can_i_deploy,
};
use crate::domain::index::Index;

/// A pacticipant version: a change to deploy, or a member of a group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ServiceVersion {
    pub(crate) service: String,
    pub(crate) version: String,
}

impl ServiceVersion {
    pub(crate) fn new(service: &str, version: &str) -> Self {
        ServiceVersion {
            service: service.to_owned(),
            version: version.to_owned(),
        }
    }
}

impl std::fmt::Display for ServiceVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.service, self.version)
    }
}

/// A can-i-deploy row that did not pass (and was not ignored): the contract that blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockingRow {
    pub(crate) consumer: String,
    pub(crate) consumer_version: String,
    pub(crate) provider: String,
    /// `None` when the provider has no version in the environment at all.
    pub(crate) provider_version: Option<String>,
    pub(crate) content_sha: String,
    /// Failed or unknown (no verification by that provider version).
    pub(crate) status: RowStatus,
    pub(crate) reason: String,
    pub(crate) fix: Option<String>,
}

impl BlockingRow {
    fn of(row: &DeployRow<'_>) -> Self {
        let r = &row.row;
        BlockingRow {
            consumer: r.consumer.name.clone(),
            consumer_version: r.consumer_version.number.clone(),
            provider: r.provider.name.clone(),
            provider_version: r.provider_version.map(|v| v.number.clone()),
            content_sha: r.pact.content_sha.clone(),
            status: row.status,
            reason: row.reason(),
            fix: row.fix.clone(),
        }
    }

    /// The other side of the row from `service`'s point of view.
    pub(crate) fn counterpart_of(&self, service: &str) -> &str {
        if self.consumer == service {
            &self.provider
        } else {
            &self.consumer
        }
    }
}

/// can-i-deploy's answer for one set, reduced to what planning needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// `Some(true)` only when every considered row passed.
    pub(crate) deployable: Option<bool>,
    pub(crate) blocking: Vec<BlockingRow>,
    pub(crate) successes: usize,
}

impl Verdict {
    pub(crate) fn passes(&self) -> bool {
        self.deployable == Some(true)
    }
}

/// Asks can-i-deploy for a set of versions deployed together to an environment.
pub(crate) fn check_set(
    index: &Index<'_>,
    environment: &str,
    ignore: &[IgnoreSelector],
    versions: &[&ServiceVersion],
) -> Result<Verdict, CanIDeployError> {
    let query = CanIDeployQuery {
        specified: versions
            .iter()
            .map(|v| SpecifiedVersion {
                pacticipant: v.service.clone(),
                version: VersionSpec::Number(v.version.clone()),
            })
            .collect(),
        target: Target::Environment(environment.to_owned()),
        ignore: ignore.to_vec(),
    };
    let answer = can_i_deploy(index, &query)?;
    let blocking = answer
        .rows
        .iter()
        .filter(|r| !r.ignored && r.status != RowStatus::Success)
        .map(BlockingRow::of)
        .collect();
    Ok(Verdict {
        deployable: answer.deployable,
        blocking,
        successes: answer.counts.success,
    })
}

/// Most members an oracle holds: sets are bit masks.
pub(crate) const MAX_MEMBERS: usize = 64;

/// [`check_set`] over subsets of a fixed list of members (at most [`MAX_MEMBERS`]), each set
/// asked once.
pub(crate) struct SetOracle<'i, 'a> {
    index: &'i Index<'a>,
    environment: String,
    ignore: Vec<IgnoreSelector>,
    members: Vec<ServiceVersion>,
    cache: HashMap<u64, Verdict>,
}

impl<'i, 'a> SetOracle<'i, 'a> {
    pub(crate) fn new(
        index: &'i Index<'a>,
        environment: &str,
        ignore: &[IgnoreSelector],
        members: Vec<ServiceVersion>,
    ) -> Self {
        assert!(members.len() <= MAX_MEMBERS, "callers check the size");
        SetOracle {
            index,
            environment: environment.to_owned(),
            ignore: ignore.to_vec(),
            members,
            cache: HashMap::new(),
        }
    }

    pub(crate) fn members(&self) -> &[ServiceVersion] {
        &self.members
    }

    /// The members in a set, in member order.
    pub(crate) fn set_members(&self, set: u64) -> Vec<&ServiceVersion> {
        bits(set).map(|i| &self.members[i]).collect()
    }

    pub(crate) fn verdict(&mut self, set: u64) -> Result<&Verdict, CanIDeployError> {
        if !self.cache.contains_key(&set) {
            let members = self.set_members(set);
            let verdict = check_set(self.index, &self.environment, &self.ignore, &members)?;
            self.cache.insert(set, verdict);
        }
        Ok(&self.cache[&set])
    }

    pub(crate) fn passes(&mut self, set: u64) -> Result<bool, CanIDeployError> {
        Ok(self.verdict(set)?.passes())
    }

    /// How many distinct sets were asked so far.
    pub(crate) fn checks(&self) -> usize {
        self.cache.len()
    }
}

/// Positions of the bits set, ascending.
pub(crate) fn bits(set: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |i| set & (1u64 << i) != 0)
}

/// The set with one member.
pub(crate) fn bit(i: usize) -> u64 {
    1u64 << i
}
