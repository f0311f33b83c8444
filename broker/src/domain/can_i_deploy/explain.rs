//! Words for can-i-deploy answers: how each version was chosen, why a row blocks, and what
//! would unblock it (which verification to run, or which version to deploy first).

use super::{DeployRow, ResolvedVersion, RowStatus, Selection, VersionSpec};
use crate::domain::index::{Index, Presence};
use crate::domain::model::{Pacticipant, Version};

/// How many alternative versions a fix names at most.
const MAX_ALTERNATIVES: usize = 5;

/// "version 23 of Foo", "a version of Bar currently deployed to production (56)", ...
pub(super) fn describe(
    pacticipant: &Pacticipant,
    version: Option<&Version>,
    selection: &Selection,
) -> String {
    let name = &pacticipant.name;
    let number = |missing: &str| {
        version.map_or_else(|| format!("({missing})"), |v| format!("({})", v.number))
    };
    match selection {
        Selection::Specified => match version {
            Some(v) => format!("version {} of {name}", v.number),
            None => format!("a version of {name} (none found)"),
        },
        Selection::InEnvironment {
            environment,
            presence,
        } => match version {
            None => format!(
                "a version of {name} currently in {environment} (no version is currently recorded as \
                 deployed/released in this environment)"
            ),
            Some(v) if *presence == Presence::Deployed => {
                format!(
                    "a version of {name} currently deployed to {environment} ({})",
                    v.number
                )
            }
            Some(v) => format!(
                "a version of {name} currently released and supported in {environment} ({})",
                v.number
            ),
        },
        Selection::LatestWithTag(tag) => {
            format!(
                "the latest version of {name} with tag {tag} {}",
                number("no version with this tag exists")
            )
        }
        Selection::LatestOnMainBranch(branch) if branch.is_empty() => {
            format!(
                "the latest version of {name} from its main branch {}",
                number("no main branch is configured")
            )
        }
        Selection::LatestOnMainBranch(branch) => {
            format!(
                "the latest version of {name} from branch {branch} {}",
                number("no version on this branch exists")
            )
        }
        Selection::Latest => format!(
            "the latest version of {name} {}",
            number("no version exists")
        ),
    }
}

/// "version 99 of Foo", "the latest version of Foo from branch main", ...
pub(super) fn describe_spec(resolved: &ResolvedVersion<'_>) -> String {
    let name = &resolved.pacticipant.name;
    match &resolved.spec {
        VersionSpec::Number(number) => format!("version {number} of {name}"),
        VersionSpec::Latest => format!("the latest version of {name}"),
        VersionSpec::LatestOnBranch(branch) => {
            format!("the latest version of {name} from branch {branch}")
        }
        VersionSpec::LatestWithTag(tag) => format!("the latest version of {name} with tag {tag}"),
    }
}

fn pair(row: &DeployRow<'_>) -> (String, String) {
    let r = &row.row;
    (
        describe(
            r.consumer,
            Some(r.consumer_version),
            &row.consumer_selection,
        ),
        describe(r.provider, r.provider_version, &row.provider_selection),
    )
}

/// The one-line reason for a row (Pact's wording for failed and unverified pacts).
pub(super) fn reason_for(row: &DeployRow<'_>) -> String {
    let (consumer, provider) = pair(row);
    match row.status {
        RowStatus::Success => format!("The pact between {consumer} and {provider} is verified"),
        RowStatus::Failed => format!(
            "The verification for the pact between {consumer} and {provider} failed{}",
            failing_list(row)
        ),
        RowStatus::Unknown => {
            format!("There is no verified pact between {consumer} and {provider}")
        }
    }
}

/// ` (failing interactions: "a", "b")`, or nothing when the failing interactions are not
/// known.
fn failing_list(row: &DeployRow<'_>) -> String {
    if row.failed_interactions.is_empty() {
        return String::new();
    }
    let names: Vec<String> = row
        .failed_interactions
        .iter()
        .map(|i| format!("\"{}\"", i.description))
        .collect();
    let label = if names.len() == 1 {
        "failing interaction"
    } else {
        "failing interactions"
    };
    format!(" ({label}: {})", names.join(", "))
}

/// Provider versions (newest first, other than the row's) that verified the row's content
/// successfully.
fn passing_provider_versions(index: &Index<'_>, row: &DeployRow<'_>) -> Vec<String> {
    let r = &row.row;
    let mut numbers: Vec<(i64, String)> = Vec::new();
    for v in index
        .verifications_of(r.provider.id, &r.pact.content_sha)
        .iter()
        .rev()
    {
        if Some(v.provider_version) == r.provider_version.map(|p| p.id) {
            continue;
        }
        let Some(version) = index.version(v.provider_version) else {
            continue;
        };
        let latest = index.latest_verification(&v.content_sha, v.provider_version);
        if latest.is_some_and(|l| l.success) && !numbers.iter().any(|(_, n)| *n == version.number) {
            numbers.push((version.order, version.number.clone()));
        }
    }
    numbers.sort_by_key(|(order, _)| std::cmp::Reverse(*order));
    numbers
        .into_iter()
        .take(MAX_ALTERNATIVES)
        .map(|(_, n)| n)
        .collect()
}

/// Versions of the row's consumer (newest first, other than the row's) whose contract the
/// row's provider version passes.
fn passing_consumer_versions(index: &Index<'_>, row: &DeployRow<'_>) -> Vec<String> {
    let r = &row.row;
    let Some(provider_version) = r.provider_version else {
        return Vec::new();
    };
    let mut numbers: Vec<(i64, String)> = Vec::new();
    for v in index.verifications_by(provider_version.id) {
        let latest = index.latest_verification(&v.content_sha, provider_version.id);
        if latest.map(|l| l.id) != Some(v.id) || !v.success {
            continue;
        }
        for pact in index.pacts_with_content(r.provider.id, &v.content_sha) {
            let Some(cv) = index.version(pact.consumer_version) else {
                continue;
            };
            if cv.pacticipant == r.consumer.id && cv.id != r.consumer_version.id {
                numbers.push((cv.order, cv.number.clone()));
            }
        }
    }
    numbers.sort_by_key(|(order, _)| std::cmp::Reverse(*order));
    numbers.dedup();
    numbers
        .into_iter()
        .take(MAX_ALTERNATIVES)
        .map(|(_, n)| n)
        .collect()
}

/// What would make a failed or unknown row pass; `None` for successful rows.
pub(super) fn fix_for(index: &Index<'_>, row: &DeployRow<'_>) -> Option<String> {
    // Most rows pass: nothing to look up for them.
    if row.status == RowStatus::Success {
        return None;
    }
    let r = &row.row;
    let (consumer, provider) = (&r.consumer.name, &r.provider.name);
    let cv = &r.consumer_version.number;
    let sha: String = r.pact.content_sha.chars().take(8).collect();
    let others = passing_provider_versions(index, row);
    let mut fix = match (row.status, r.provider_version) {
        (RowStatus::Success, _) | (RowStatus::Failed, None) => return None,
        (RowStatus::Unknown, None) => {
            let place = match &row.provider_selection {
                Selection::InEnvironment { environment, .. } => environment.clone(),
                _ => "the target".to_owned(),
            };
            if others.is_empty() {
                format!(
                    "No version of {provider} is in {place} and none has verified the pact of {consumer} {cv} \
                     (content {sha}) yet: verify it with a {provider} version and deploy that version first"
                )
            } else {
                format!(
                    "Deploy a version of {provider} that passed the pact of {consumer} {cv} to {place} first: {}",
                    others.join(", ")
                )
            }
        }
        (RowStatus::Unknown, Some(pv)) => format!(
            "Run the verification of {provider} {} against the pact of {consumer} {cv} (content {sha}) and \
             publish the result",
            pv.number
        ),
        (RowStatus::Failed, Some(pv)) => format!(
            "{provider} {} fails the pact of {consumer} {cv}{}: change {provider} (or {consumer}'s expectations) \
             and publish a successful verification",
            pv.number,
            failing_list(row)
        ),
    };
    if r.provider_version.is_some() && !others.is_empty() {
        fix.push_str(&format!(
            "; {provider} versions that passed this pact: {}",
            others.join(", ")
        ));
    }
    if row.provider_selection == Selection::Specified
        && row.consumer_selection != Selection::Specified
    {
        let compatible = passing_consumer_versions(index, row);
        if !compatible.is_empty() {
            fix.push_str(&format!(
                "; or first replace {consumer} {cv} with a version whose pact it passes: {}",
                compatible.join(", ")
            ));
        }
    }
    Some(fix)
}
