//! Co-deployment: pairs of services whose recorded deployments to an environment mostly
//! happen together, within a short window. Teams that always release two services together
//! have a distributed monolith whether or not their contracts say so (a shared database,
//! a shared library, or a habit).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::domain::index::Index;
use crate::domain::model::{PacticipantId, VersionId};

/// What counts as "together" and as "most of the time".
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CoDeployOptions {
    /// Two deployments at most this far apart are together.
    pub(crate) window: Duration,
    /// Smallest ratio reported.
    pub(crate) min_ratio: f64,
    /// Fewest co-deployed events reported (one coincidence is not a pattern).
    pub(crate) min_events: usize,
}

impl Default for CoDeployOptions {
    fn default() -> Self {
        CoDeployOptions {
            window: Duration::minutes(10),
            min_ratio: 0.5,
            min_events: 3,
        }
    }
}

/// Two services that deploy together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CoDeployment {
    /// The less frequently deployed service first (by name on a tie).
    pub(crate) services: [String; 2],
    /// Deployment events of each, in the order of `services`.
    pub(crate) deployments: [usize; 2],
    /// Events of the first service with an event of the second within the window.
    pub(crate) co_deployed: usize,
    /// `co_deployed / deployments[0]`, between 0 and 1.
    pub(crate) ratio: f64,
}

/// The co-deployed pairs of an environment, highest ratio first (then most events, names).
/// Events are the deployments recorded to the environment, past and current, and the
/// releases; several records of the same version within the window (application instances
/// rolled out one after the other) are one event. `None` when the environment is unknown.
pub(crate) fn co_deployments(
    index: &Index<'_>,
    environment: &str,
    options: &CoDeployOptions,
) -> Option<Vec<CoDeployment>> {
    let environment = index.environment_named(environment)?;
    let data = index.data();
    let mut records: BTreeMap<PacticipantId, Vec<(DateTime<Utc>, VersionId)>> = BTreeMap::new();
    let deployed = data
        .deployed_versions
        .iter()
        .filter(|d| d.environment == environment.id)
        .map(|d| (d.version, d.deployed_at));
    let released = data
        .released_versions
        .iter()
        .filter(|r| r.environment == environment.id)
        .map(|r| (r.version, r.released_at));
    for (version, at) in deployed.chain(released) {
        if let Some(v) = index.version(version) {
            records
                .entry(v.pacticipant)
                .or_default()
                .push((at, version));
        }
    }
    let events: Vec<(String, Vec<DateTime<Utc>>)> = records
        .into_iter()
        .filter_map(|(pacticipant, mut list)| {
            let name = index.pacticipant(pacticipant)?.name.clone();
            list.sort();
            let mut times: Vec<DateTime<Utc>> = Vec::new();
            let mut last: Option<(DateTime<Utc>, VersionId)> = None;
            for (at, version) in list {
                let same_rollout =
                    last.is_some_and(|(t, v)| v == version && at - t <= options.window);
                if !same_rollout {
                    times.push(at);
                    last = Some((at, version));
                }
            }
            Some((name, times))
        })
        .collect();

    let mut pairs = Vec::new();
    for (i, (a, a_times)) in events.iter().enumerate() {
        for (b, b_times) in &events[i + 1..] {
            let ((first, first_times), (second, second_times)) =
                if (a_times.len(), a) <= (b_times.len(), b) {
                    ((a, a_times), (b, b_times))
                } else {
                    ((b, b_times), (a, a_times))
                };
            let together = first_times
                .iter()
                .filter(|t| has_event_near(second_times, **t, options.window))
                .count();
            let ratio = together as f64 / first_times.len() as f64;
            if together >= options.min_events.max(1) && ratio >= options.min_ratio {
                pairs.push(CoDeployment {
                    services: [first.clone(), second.clone()],
                    deployments: [first_times.len(), second_times.len()],
                    co_deployed: together,
                    ratio,
                });
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.ratio
            .total_cmp(&x.ratio)
            .then_with(|| y.co_deployed.cmp(&x.co_deployed))
            .then_with(|| x.services.cmp(&y.services))
    });
    Some(pairs)
}

/// Whether a sorted list has a time within `window` of `at`.
fn has_event_near(sorted: &[DateTime<Utc>], at: DateTime<Utc>, window: Duration) -> bool {
    let from = sorted.partition_point(|t| *t < at - window);
    sorted.get(from).is_some_and(|t| *t <= at + window)
}
