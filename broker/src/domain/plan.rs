//! Deployment planning: in which order can a batch of new versions go to an environment, one
//! service at a time, so that every step passes can-i-deploy against the environment as the
//! previous steps left it (later changes not yet deployed, earlier ones having replaced their
//! old versions)?
//!
//! The only rule used is can-i-deploy itself, asked for sets of changes (see
//! [`oracle`]): a state (the changes deployed so far) is safe when can-i-deploy
//! says yes for it, and a plan is a chain of safe states from nothing to the whole batch.
//!
//! 1. If the whole batch is not deployable even at once, no order exists: the plan lists the
//!    single changes that can go now, one after the other (greedily), and reports the rows
//!    that still block (often a missing verification, or a service outside the batch; an
//!    ignore selector can take it out).
//! 2. Otherwise a depth-first search adds one change at a time, trying the changes in the
//!    order given and remembering dead states, so 10 changes cost at most 1,024 questions (in
//!    practice about n²/2).
//! 3. When no one-at-a-time order exists, the plan grows groups by size: at each state it
//!    takes the smallest set of remaining changes that passes together (pairs before triples)
//!    and names the rows that stop each member from going alone: those contracts force the
//!    services to ship together.
//!
//! Changes whose services never had a contract with each other cannot affect each other's
//! answers, so the batch is first split into such independent parts, each planned alone.
//!
//! Each step also says which earlier changes it waits for and why, from pairwise questions:
//! X waits for Y when X alone has a blocking row with Y's pacticipant and that row's
//! counterpart passes once Y is in.

mod oracle;

use std::collections::HashSet;

pub(crate) use oracle::{
    BlockingRow, MAX_MEMBERS, ServiceVersion, SetOracle, bit, bits, check_set,
};

use super::can_i_deploy::{CanIDeployError, IgnoreSelector, RowStatus};
use super::index::Index;

/// How many distinct sets one plan may ask about before settling for what it has (the rest
/// then ships as one group, when that passes).
const MAX_CHECKS: usize = 20_000;

/// A batch of changes to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanQuery {
    pub(crate) changes: Vec<ServiceVersion>,
    pub(crate) environment: String,
    pub(crate) ignore: Vec<IgnoreSelector>,
}

/// Why a plan could not be made at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PlanError {
    #[error(transparent)]
    CanIDeploy(#[from] CanIDeployError),
    #[error("no version {version} of {service}")]
    UnknownVersion { service: String, version: String },
    #[error("{0} appears more than once in the batch")]
    DuplicateService(String),
    #[error("a plan takes at most {MAX_MEMBERS} changes, not {0}")]
    TooManyChanges(usize),
    #[error("nothing to plan")]
    NoChanges,
}

/// What kind of plan was found (ordered from best to worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PlanOutcome {
    /// One service at a time, every step passing.
    Sequential,
    /// Every step passes, but some steps deploy several services at once: they cannot ship
    /// on their own in any order.
    NeedsGroups,
    /// Even the whole batch at once does not pass: the steps are what can ship now, the rest
    /// is blocked.
    Blocked,
}

/// An earlier change a step waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Precedence {
    pub(crate) after: ServiceVersion,
    /// E.g. "orders 2 needs inventory 5: its pact with inventory (sha) is not verified by
    /// inventory 4 (in production); inventory 5 passes it".
    pub(crate) reason: String,
    /// The rows that block this step's change while `after` is not deployed.
    pub(crate) rows: Vec<BlockingRow>,
}

/// One deployment: a single change, or a group that must ship together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanStep {
    pub(crate) deploy: Vec<ServiceVersion>,
    /// Earlier changes this step must come after.
    pub(crate) after: Vec<Precedence>,
    /// For a group: the rows that block each member if it went alone at this point.
    pub(crate) together_because: Vec<BlockingRow>,
}

/// The answer. Steps are in order; `blocked` and `blocking_rows` are filled only for
/// [`PlanOutcome::Blocked`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeploymentPlan {
    pub(crate) environment: String,
    pub(crate) outcome: PlanOutcome,
    pub(crate) steps: Vec<PlanStep>,
    /// Changes left out of the steps because no safe state contains them.
    pub(crate) blocked: Vec<ServiceVersion>,
    /// The rows that fail with every change deployed.
    pub(crate) blocking_rows: Vec<BlockingRow>,
    /// Distinct can-i-deploy questions asked.
    pub(crate) checks: usize,
}

impl DeploymentPlan {
    /// The groups that must ship together: the steps with more than one change.
    pub(crate) fn groups(&self) -> impl Iterator<Item = &PlanStep> {
        self.steps.iter().filter(|s| s.deploy.len() > 1)
    }
}

/// Plans a batch.
pub(crate) fn plan_deployment(
    index: &Index<'_>,
    query: &PlanQuery,
) -> Result<DeploymentPlan, PlanError> {
    validate(index, query)?;
    let mut plan = DeploymentPlan {
        environment: query.environment.clone(),
        outcome: PlanOutcome::Sequential,
        steps: Vec::new(),
        blocked: Vec::new(),
        blocking_rows: Vec::new(),
        checks: 0,
    };
    for members in independent_parts(index, &query.changes) {
        let part = plan_part(index, query, members)?;
        plan.outcome = plan.outcome.max(part.outcome);
        plan.steps.extend(part.steps);
        plan.blocked.extend(part.blocked);
        plan.blocking_rows.extend(part.blocking_rows);
        plan.checks += part.checks;
    }
    Ok(plan)
}

/// Splits the batch into parts whose pacticipants never had a contract with a pacticipant
/// of another part, each in the order given, parts ordered by their first change.
///
/// Whether a set of changes passes can-i-deploy depends, for each member, only on which of
/// its integrated pacticipants are in the set (rows are pairs), so a set passes exactly when
/// its intersection with every part does: parts can be planned alone and their steps
/// concatenated. This keeps the search exponential only in the size of a part, not of the
/// batch (eight unrelated changes and a lockstep pair ask 11 questions instead of 768).
fn independent_parts(index: &Index<'_>, changes: &[ServiceVersion]) -> Vec<Vec<ServiceVersion>> {
    let ids: Vec<_> = changes
        .iter()
        .map(|c| index.pacticipant_named(&c.service).map(|p| p.id))
        .collect();
    let mut part: Vec<usize> = (0..changes.len()).collect();
    fn root(part: &mut [usize], mut i: usize) -> usize {
        while part[i] != i {
            part[i] = part[part[i]];
            i = part[i];
        }
        i
    }
    for i in 0..changes.len() {
        for j in i + 1..changes.len() {
            let (Some(a), Some(b)) = (ids[i], ids[j]) else {
                continue;
            };
            let integrated =
                index.providers_of(a).contains(&b) || index.consumers_of(a).contains(&b);
            if integrated {
                let (ra, rb) = (root(&mut part, i), root(&mut part, j));
                part[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut parts: Vec<(usize, Vec<ServiceVersion>)> = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let r = root(&mut part, i);
        match parts.iter_mut().find(|(first, _)| *first == r) {
            Some((_, members)) => members.push(change.clone()),
            None => parts.push((r, vec![change.clone()])),
        }
    }
    parts.into_iter().map(|(_, members)| members).collect()
}

/// The plan of one part of the batch.
fn plan_part(
    index: &Index<'_>,
    query: &PlanQuery,
    members: Vec<ServiceVersion>,
) -> Result<DeploymentPlan, PlanError> {
    let mut oracle = SetOracle::new(index, &query.environment, &query.ignore, members);
    let n = oracle.members().len();
    let full = if n == 64 { u64::MAX } else { bit(n) - 1 };

    let mut dead = HashSet::new();
    let (outcome, sets) = if !oracle.passes(full)? {
        (PlanOutcome::Blocked, greedy_prefix(&mut oracle, full)?)
    } else if let Some(order) = sequential(&mut oracle, 0, full, &mut dead)? {
        let sets = order.into_iter().map(bit).collect();
        (PlanOutcome::Sequential, sets)
    } else {
        (PlanOutcome::NeedsGroups, grouped(&mut oracle, full, &dead)?)
    };

    let mut steps = Vec::new();
    let mut state = 0u64;
    for set in &sets {
        steps.push(explain_step(&mut oracle, state, *set, &query.environment)?);
        state |= set;
    }
    let (blocked, blocking_rows) = if outcome == PlanOutcome::Blocked {
        let left = oracle
            .set_members(full & !state)
            .into_iter()
            .cloned()
            .collect();
        (left, oracle.verdict(full)?.blocking.clone())
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(DeploymentPlan {
        environment: query.environment.clone(),
        outcome,
        steps,
        blocked,
        blocking_rows,
        checks: oracle.checks(),
    })
}

fn validate(index: &Index<'_>, query: &PlanQuery) -> Result<(), PlanError> {
    if query.changes.is_empty() {
        return Err(PlanError::NoChanges);
    }
    if query.changes.len() > MAX_MEMBERS {
        return Err(PlanError::TooManyChanges(query.changes.len()));
    }
    if index.environment_named(&query.environment).is_none() {
        return Err(CanIDeployError::UnknownEnvironment(query.environment.clone()).into());
    }
    let mut seen = HashSet::new();
    for change in &query.changes {
        let pacticipant = index
            .pacticipant_named(&change.service)
            .ok_or_else(|| CanIDeployError::UnknownPacticipant(change.service.clone()))?;
        if index
            .version_numbered(pacticipant.id, &change.version)
            .is_none()
        {
            return Err(PlanError::UnknownVersion {
                service: change.service.clone(),
                version: change.version.clone(),
            });
        }
        if !seen.insert(change.service.as_str()) {
            return Err(PlanError::DuplicateService(change.service.clone()));
        }
    }
    Ok(())
}

/// A one-at-a-time order from `state` to `full`, trying changes in member order; states from
/// which no order exists are added to `dead`. `None` when there is none (or the question
/// budget ran out).
pub(crate) fn sequential(
    oracle: &mut SetOracle<'_, '_>,
    state: u64,
    full: u64,
    dead: &mut HashSet<u64>,
) -> Result<Option<Vec<usize>>, CanIDeployError> {
    let mut path = Vec::new();
    if extend(oracle, state, full, dead, &mut path)? {
        Ok(Some(path))
    } else {
        Ok(None)
    }
}

fn extend(
    oracle: &mut SetOracle<'_, '_>,
    state: u64,
    full: u64,
    dead: &mut HashSet<u64>,
    path: &mut Vec<usize>,
) -> Result<bool, CanIDeployError> {
    if state == full {
        return Ok(true);
    }
    if dead.contains(&state) {
        return Ok(false);
    }
    for i in bits(full & !state) {
        if oracle.checks() >= MAX_CHECKS {
            return Ok(false);
        }
        let next = state | bit(i);
        if dead.contains(&next) || !oracle.passes(next)? {
            continue;
        }
        path.push(i);
        if extend(oracle, next, full, dead, path)? {
            return Ok(true);
        }
        path.pop();
    }
    dead.insert(state);
    Ok(false)
}

/// While the whole batch is blocked: single changes that can go now, greedily.
fn greedy_prefix(oracle: &mut SetOracle<'_, '_>, full: u64) -> Result<Vec<u64>, CanIDeployError> {
    let mut state = 0u64;
    let mut sets = Vec::new();
    'grow: loop {
        for i in bits(full & !state) {
            if oracle.passes(state | bit(i))? {
                state |= bit(i);
                sets.push(bit(i));
                continue 'grow;
            }
        }
        return Ok(sets);
    }
}

/// Steps of growing size: at each state the smallest passing set of remaining changes,
/// preferring one from which the search did not already find a dead end.
fn grouped(
    oracle: &mut SetOracle<'_, '_>,
    full: u64,
    dead: &HashSet<u64>,
) -> Result<Vec<u64>, CanIDeployError> {
    let mut state = 0u64;
    let mut sets = Vec::new();
    while state != full {
        let remaining: Vec<usize> = bits(full & !state).collect();
        let mut chosen = None;
        'sizes: for size in 1..=remaining.len() {
            let mut fallback = None;
            let mut combination: Vec<usize> = (0..size).collect();
            loop {
                if oracle.checks() >= MAX_CHECKS {
                    break 'sizes;
                }
                let set = combination
                    .iter()
                    .fold(0u64, |acc, &c| acc | bit(remaining[c]));
                if oracle.passes(state | set)? {
                    if !dead.contains(&(state | set)) {
                        chosen = Some(set);
                        break 'sizes;
                    }
                    fallback.get_or_insert(set);
                }
                if !next_combination(&mut combination, remaining.len()) {
                    break;
                }
            }
            if fallback.is_some() {
                chosen = fallback;
                break;
            }
        }
        // Out of budget (or, impossibly, nothing passes): the rest goes as one group, which
        // passes because the whole batch does.
        let set = chosen.unwrap_or(full & !state);
        sets.push(set);
        state |= set;
    }
    Ok(sets)
}

/// Advances `c` (ascending positions below `n`) to the next combination of the same size in
/// lexicographic order; `false` after the last.
pub(crate) fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    for i in (0..k).rev() {
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

fn explain_step(
    oracle: &mut SetOracle<'_, '_>,
    state: u64,
    set: u64,
    environment: &str,
) -> Result<PlanStep, CanIDeployError> {
    let deploy: Vec<ServiceVersion> = oracle.set_members(set).into_iter().cloned().collect();
    let mut after = Vec::new();
    for member in bits(set) {
        for earlier in bits(state) {
            if let Some(p) = precedence(oracle, member, earlier, environment)? {
                after.push(p);
            }
        }
    }
    let mut together_because = Vec::new();
    if deploy.len() > 1 {
        for member in bits(set) {
            together_because.extend(
                oracle
                    .verdict(state | bit(member))?
                    .blocking
                    .iter()
                    .cloned(),
            );
        }
    }
    Ok(PlanStep {
        deploy,
        after,
        together_because,
    })
}

/// Whether change `x` waits for change `y`: deployed alone, x has blocking rows with y's
/// pacticipant, and with y deployed too, none of x's rows with y's pacticipant blocks.
pub(crate) fn precedence(
    oracle: &mut SetOracle<'_, '_>,
    x: usize,
    y: usize,
    environment: &str,
) -> Result<Option<Precedence>, CanIDeployError> {
    let (me, other) = (oracle.members()[x].clone(), oracle.members()[y].clone());
    let between = |r: &BlockingRow| {
        (r.consumer == me.service && r.provider == other.service)
            || (r.provider == me.service && r.consumer == other.service)
    };
    let rows: Vec<BlockingRow> = oracle
        .verdict(bit(x))?
        .blocking
        .iter()
        .filter(|r| between(r))
        .cloned()
        .collect();
    if rows.is_empty()
        || oracle
            .verdict(bit(x) | bit(y))?
            .blocking
            .iter()
            .any(between)
    {
        return Ok(None);
    }
    let reason = wait_reason(&me, &other, &rows[0], environment);
    Ok(Some(Precedence {
        after: other,
        reason,
        rows,
    }))
}

/// "orders 2 needs inventory 5: its pact with inventory (content abc) is not verified by
/// inventory 4 (in production); inventory 5 passes it", or the provider-side equivalent.
pub(crate) fn wait_reason(
    me: &ServiceVersion,
    other: &ServiceVersion,
    row: &BlockingRow,
    environment: &str,
) -> String {
    let sha: String = row.content_sha.chars().take(12).collect();
    let outcome = match row.status {
        RowStatus::Failed => "fails verification by",
        _ => "is not verified by",
    };
    if row.consumer == me.service {
        let old = match &row.provider_version {
            Some(v) => format!("{} {v} (in {environment})", other.service),
            None => format!(
                "any version of {} in {environment} (none is there)",
                other.service
            ),
        };
        format!(
            "{me} needs {other}: its pact with {} (content {sha}) {outcome} {old}; {other} passes it",
            other.service
        )
    } else {
        let verb = match row.status {
            RowStatus::Failed => "fails",
            _ => "has no verification of",
        };
        format!(
            "{me} must wait for {other}: it {verb} the pact of {} {} (in {environment}, content {sha}); \
             the pact of {other} passes",
            other.service, row.consumer_version
        )
    }
}

#[cfg(test)]
mod tests;
