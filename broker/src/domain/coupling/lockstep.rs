//! Lockstep: candidate versions (the main-branch heads not yet in the environment) that
//! cannot be deployed in any order because each needs another: X' alone is not deployable,
//! Y' alone is not deployable, {X', Y'} together is. Found with the can-i-deploy relation, as
//! planning does.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use crate::domain::can_i_deploy::{CanIDeployError, IgnoreSelector};
use crate::domain::index::Index;
use crate::domain::plan::{
    BlockingRow, ServiceVersion, SetOracle, bit, bits, check_set, next_combination, sequential,
};

/// Largest group searched for.
pub(crate) const MAX_GROUP: usize = 4;
/// Most candidates related to one candidate (through blocking rows) that the search considers.
const MAX_RELATED: usize = 12;

/// Why one member of a lockstep group cannot go alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AloneBlocked {
    pub(crate) version: ServiceVersion,
    /// The rows that block it when deployed alone.
    pub(crate) rows: Vec<BlockingRow>,
}

/// Candidate versions that only deploy together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LockstepGroup {
    /// The group, sorted by service.
    pub(crate) versions: Vec<ServiceVersion>,
    /// Other candidates that must be deployed before the group can go (they can go alone).
    pub(crate) needs_first: Vec<ServiceVersion>,
    /// For each member: why it cannot go alone (in the environment with `needs_first` in).
    pub(crate) alone: Vec<AloneBlocked>,
    /// Rows that pass when the group goes together.
    pub(crate) together_successes: usize,
}

/// The candidates for the next deployment: the latest version on each pacticipant's main
/// branch, when it is not already in the environment; in pacticipant name order.
pub(crate) fn candidate_versions(index: &Index<'_>, environment: &str) -> Vec<ServiceVersion> {
    let Some(environment) = index.environment_named(environment) else {
        return Vec::new();
    };
    let mut list: Vec<ServiceVersion> = index
        .data()
        .pacticipants
        .iter()
        .filter_map(|p| {
            let head = index
                .versions_on_branch(p.id, p.main_branch.as_deref()?)
                .last()?;
            let present = index
                .in_environment(environment.id, p.id)
                .iter()
                .any(|(v, _)| *v == head.id);
            (!present).then(|| ServiceVersion::new(&p.name, &head.number))
        })
        .collect();
    list.sort();
    list
}

/// The lockstep groups among the candidates, sorted by their members.
pub(crate) fn lockstep_groups(
    index: &Index<'_>,
    environment: &str,
    ignore: &[IgnoreSelector],
    candidates: &[ServiceVersion],
) -> Result<Vec<LockstepGroup>, CanIDeployError> {
    let by_service: HashMap<&str, &ServiceVersion> =
        candidates.iter().map(|c| (c.service.as_str(), c)).collect();
    let mut alone: HashMap<&ServiceVersion, Vec<BlockingRow>> = HashMap::new();
    for candidate in candidates {
        let verdict = check_set(index, environment, ignore, &[candidate])?;
        if !verdict.passes() {
            alone.insert(candidate, verdict.blocking);
        }
    }
    let mut groups = Vec::new();
    let mut found: HashSet<BTreeSet<ServiceVersion>> = HashSet::new();
    for candidate in candidates {
        if !alone.contains_key(candidate) {
            continue;
        }
        let related = related(candidate, &alone, &by_service);
        if related.len() < 2 {
            continue;
        }
        let mut oracle = SetOracle::new(index, environment, ignore, related);
        let Some(group) = smallest_passing_group(&mut oracle)? else {
            continue;
        };
        // Members other than the candidate that can be deployed first, one by one.
        let others = group & !bit(0);
        let mut dead = HashSet::new();
        if sequential(&mut oracle, 0, others, &mut dead)?.is_some() {
            // The candidate only waits for the others: an order, not lockstep.
            continue;
        }
        let first = deployable_prefix(&mut oracle, others)?;
        let members = group & !first;
        let key: BTreeSet<ServiceVersion> =
            oracle.set_members(members).into_iter().cloned().collect();
        if !found.insert(key.clone()) {
            continue;
        }
        let mut blocked = Vec::new();
        for m in bits(members) {
            blocked.push(AloneBlocked {
                version: oracle.members()[m].clone(),
                rows: oracle.verdict(first | bit(m))?.blocking.clone(),
            });
        }
        blocked.sort_by(|a, b| a.version.cmp(&b.version));
        groups.push(LockstepGroup {
            versions: key.into_iter().collect(),
            needs_first: oracle.set_members(first).into_iter().cloned().collect(),
            alone: blocked,
            together_successes: oracle.verdict(group)?.successes,
        });
    }
    groups.sort_by(|a, b| a.versions.cmp(&b.versions));
    Ok(groups)
}

/// The candidate first, then the candidates its blocking rows (and theirs) lead to,
/// breadth-first, at most [`MAX_RELATED`].
fn related(
    candidate: &ServiceVersion,
    alone: &HashMap<&ServiceVersion, Vec<BlockingRow>>,
    by_service: &HashMap<&str, &ServiceVersion>,
) -> Vec<ServiceVersion> {
    let mut members = vec![candidate.clone()];
    let mut queue = VecDeque::from([candidate.clone()]);
    while let Some(member) = queue.pop_front() {
        let Some(rows) = alone.get(&member) else {
            continue;
        };
        let mut next: Vec<&ServiceVersion> = rows
            .iter()
            .filter_map(|r| by_service.get(r.counterpart_of(&member.service)).copied())
            .collect();
        next.sort();
        next.dedup();
        for n in next {
            if members.len() < MAX_RELATED && !members.contains(n) {
                members.push(n.clone());
                queue.push_back(n.clone());
            }
        }
    }
    members
}

/// The smallest set containing member 0 that passes, of at most [`MAX_GROUP`] members.
fn smallest_passing_group(oracle: &mut SetOracle<'_, '_>) -> Result<Option<u64>, CanIDeployError> {
    let others = oracle.members().len() - 1;
    for size in 1..MAX_GROUP.min(others + 1) {
        let mut combination: Vec<usize> = (0..size).collect();
        loop {
            let set = combination.iter().fold(bit(0), |acc, &c| acc | bit(c + 1));
            if oracle.passes(set)? {
                return Ok(Some(set));
            }
            if !next_combination(&mut combination, others) {
                break;
            }
        }
    }
    Ok(None)
}

/// Members of `set` that can be deployed one at a time from the environment, greedily.
fn deployable_prefix(oracle: &mut SetOracle<'_, '_>, set: u64) -> Result<u64, CanIDeployError> {
    let mut state = 0;
    'grow: loop {
        for m in bits(set & !state) {
            if oracle.passes(state | bit(m))? {
                state |= bit(m);
                continue 'grow;
            }
        }
        return Ok(state);
    }
}
