//! "What could go with it": when versions cannot be deployed alone, look for counterpart
//! versions that, deployed together with them as a set, would make the answer yes. This turns
//! an unknown or failed answer into a concrete plan (deploy Bar 58 with Foo 24), and a set
//! that keeps growing is a sign of services that cannot ship on their own.

use super::explain::{passing_consumer_versions, passing_provider_versions};
use super::{
    CanIDeployError, CanIDeployQuery, RowStatus, Selection, SpecifiedVersion, VersionSpec,
    can_i_deploy,
};
use crate::domain::index::Index;

/// How many times the set may grow before giving up.
const MAX_ROUNDS: usize = 4;

/// Versions to add to the question's so that the set is deployable, or `None` when it already
/// is, or when no such set is found. Greedy: each round adds, for every blocking row, the
/// newest counterpart version that passed that row's pact, then checks the grown set again
/// (the added versions bring their own integrations). A counterpart added to the set replaces
/// all of its versions in the target, including other application instances.
pub(crate) fn deployable_together(
    index: &Index<'_>,
    query: &CanIDeployQuery,
) -> Result<Option<Vec<SpecifiedVersion>>, CanIDeployError> {
    let mut query = query.clone();
    let mut added: Vec<SpecifiedVersion> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let answer = can_i_deploy(index, &query)?;
        if answer.deployable == Some(true) {
            return Ok((!added.is_empty()).then_some(added));
        }
        if answer.specified.iter().any(|s| s.version.is_none()) {
            return Ok(None);
        }
        let mut round: Vec<SpecifiedVersion> = Vec::new();
        for row in answer
            .rows
            .iter()
            .filter(|r| !r.ignored && r.status != RowStatus::Success)
        {
            let (counterpart, candidates) = if row.provider_selection != Selection::Specified {
                (
                    &row.row.provider.name,
                    passing_provider_versions(index, row),
                )
            } else if row.consumer_selection != Selection::Specified {
                (
                    &row.row.consumer.name,
                    passing_consumer_versions(index, row),
                )
            } else {
                // Both sides are already in the set: adding versions cannot help.
                return Ok(None);
            };
            let Some(newest) = candidates.into_iter().next() else {
                return Ok(None);
            };
            if !round.iter().any(|s| &s.pacticipant == counterpart) {
                round.push(SpecifiedVersion {
                    pacticipant: counterpart.clone(),
                    version: VersionSpec::Number(newest),
                });
            }
        }
        if round.is_empty() {
            return Ok(None);
        }
        query.specified.extend(round.iter().cloned());
        added.extend(round);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::can_i_deploy::Target;
    use crate::domain::scenario::Scenario;

    fn suggest(s: &Scenario, pacticipant: &str, number: &str) -> Option<Vec<String>> {
        let index = Index::new(s.data());
        let query = CanIDeployQuery {
            specified: vec![SpecifiedVersion {
                pacticipant: pacticipant.into(),
                version: VersionSpec::Number(number.into()),
            }],
            target: Target::Environment("production".into()),
            ignore: Vec::new(),
        };
        let set = deployable_together(&index, &query).unwrap()?;
        Some(
            set.iter()
                .map(|s| match &s.version {
                    VersionSpec::Number(n) => format!("{} {n}", s.pacticipant),
                    other => format!("{} {other:?}", s.pacticipant),
                })
                .collect(),
        )
    }

    #[test]
    fn a_consumer_waiting_for_its_provider_goes_with_the_provider_version_that_passed() {
        let mut s = Scenario::worked_example();
        s.deploy("Bar", "56", "production")
            .deploy("Foo", "22", "production");
        assert_eq!(suggest(&s, "Foo", "24"), Some(vec!["Bar 58".to_owned()]));
        assert_eq!(suggest(&s, "Foo", "23"), None, "already deployable alone");
    }

    #[test]
    fn a_provider_breaking_a_deployed_consumer_goes_with_a_consumer_version_it_passes() {
        let mut s = Scenario::worked_example();
        s.deploy("Foo", "25", "production");
        assert_eq!(suggest(&s, "Bar", "58"), Some(vec!["Foo 24".to_owned()]));
    }

    #[test]
    fn no_set_when_nothing_ever_passed() {
        let mut s = Scenario::worked_example();
        s.deploy("Bar", "58", "production");
        assert_eq!(suggest(&s, "Foo", "25"), None);
    }
}
