//! can-i-deploy: may these versions go to that environment (or tag), given what is already
//! there? Every counterpart version currently deployed or released-and-supported there must
//! have a successful verification with the version being deployed (Pact's `cvpv` rule).
//!
//! Integrations come from the contracts of the exact version being deployed: as a consumer,
//! every provider it has a contract with is required (a provider with nothing in the
//! environment makes the answer unknown); as a provider, each consumer version in the
//! environment that has a contract with it must pass, and consumers that are absent, or whose
//! deployed version dropped the contract, do not block.

use std::collections::{HashMap, HashSet};

use super::index::{Index, Presence};
use super::matrix::MatrixRow;
use super::model::{Pacticipant, PacticipantId, Publication, VerificationId, Version, VersionId};

mod explain;
mod failed;

pub(crate) use failed::{FailedInteraction, failed_interactions};

use explain::{fix_for, reason_for};

/// Which version of a pacticipant is to be deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VersionSpec {
    Number(String),
    /// The latest version overall (`--latest`).
    Latest,
    /// The latest version on a branch (`--latest --branch B`).
    LatestOnBranch(String),
    /// The latest version with a tag (`--latest TAG`).
    LatestWithTag(String),
}

/// One pacticipant version to deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecifiedVersion {
    pub(crate) pacticipant: String,
    pub(crate) version: VersionSpec,
}

/// Where the specified versions are going; decides which counterpart versions they must be
/// compatible with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Every version currently deployed, or released and supported, in the environment.
    Environment(String),
    /// The older form: the latest version of each counterpart with this tag (`--to TAG`).
    Tag(String),
    /// The latest version of each counterpart's main branch (can-i-merge).
    MainBranch,
    /// The latest version of each counterpart (no target given; race-prone).
    Latest,
    /// Only the specified pacticipants, checked against each other.
    SpecifiedOnly,
}

/// Rows involving this pacticipant (and version, when given) do not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IgnoreSelector {
    pub(crate) pacticipant: String,
    pub(crate) version: Option<String>,
}

/// A can-i-deploy question. Several specified versions are deployed as a set: each replaces
/// its own pacticipant's versions in the target when the others are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CanIDeployQuery {
    pub(crate) specified: Vec<SpecifiedVersion>,
    pub(crate) target: Target,
    pub(crate) ignore: Vec<IgnoreSelector>,
}

/// A question naming a pacticipant or environment that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CanIDeployError {
    #[error("no pacticipant named {0:?}")]
    UnknownPacticipant(String),
    #[error("no environment named {0:?}")]
    UnknownEnvironment(String),
    #[error("at least one pacticipant version is required")]
    NothingSpecified,
}

/// How a version in a row was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selection {
    /// One of the versions being deployed.
    Specified,
    InEnvironment {
        environment: String,
        presence: Presence,
    },
    LatestWithTag(String),
    LatestOnMainBranch(String),
    Latest,
}

/// Outcome of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowStatus {
    Success,
    Failed,
    /// No verification of the content by that provider version (or no provider version in
    /// the target at all).
    Unknown,
}

/// One (consumer version, provider version) pair that the answer depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeployRow<'a> {
    /// The matrix row; `provider_version` is `None` when the provider has no version in the
    /// target at all.
    pub(crate) row: MatrixRow<'a>,
    pub(crate) status: RowStatus,
    /// Matches an ignore selector: shown, counted as ignored, not deciding.
    pub(crate) ignored: bool,
    pub(crate) consumer_selection: Selection,
    pub(crate) provider_selection: Selection,
    /// For failed and unknown rows: what would make this row pass.
    pub(crate) fix: Option<String>,
    /// For failed rows: the interactions the verification reports as failing (attached with
    /// [`CanIDeployAnswer::attach_failed_interactions`]; empty until then or when unknown).
    pub(crate) failed_interactions: Vec<FailedInteraction>,
}

impl DeployRow<'_> {
    /// The one-line reason for this row, as in the answer's reasons (without "Ignoring: ").
    pub(crate) fn reason(&self) -> String {
        reason_for(self)
    }
}

/// A specified version, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedVersion<'a> {
    pub(crate) pacticipant: &'a Pacticipant,
    pub(crate) spec: VersionSpec,
    /// `None` when no such version exists: the answer is then "no".
    pub(crate) version: Option<&'a Version>,
}

/// Row counts of an answer (ignored rows are counted only as ignored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) success: usize,
    pub(crate) failed: usize,
    pub(crate) unknown: usize,
    pub(crate) ignored: usize,
}

/// The answer: `deployable` is `Some(true)`, `Some(false)` (a failure or a missing specified
/// version) or `None` (unknown: some verification is missing, which dominates failures as in
/// Pact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CanIDeployAnswer<'a> {
    pub(crate) deployable: Option<bool>,
    /// One line each, in Pact's wording where Pact has one.
    pub(crate) reasons: Vec<String>,
    pub(crate) counts: Counts,
    pub(crate) rows: Vec<DeployRow<'a>>,
    pub(crate) specified: Vec<ResolvedVersion<'a>>,
    pub(crate) warnings: Vec<String>,
}

/// How a notice should be shown (the `type` of Pact's `notices[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoticeLevel {
    Success,
    Warning,
    Error,
}

impl NoticeLevel {
    /// The wire value of `notices[].type`.
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            NoticeLevel::Success => "success",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Error => "error",
        }
    }
}

impl CanIDeployAnswer<'_> {
    /// The verifications of the failed rows, whose test results name the failing
    /// interactions.
    pub(crate) fn failed_verifications(&self) -> Vec<VerificationId> {
        let mut ids: Vec<VerificationId> = self
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Failed)
            .filter_map(|r| r.row.verification.map(|v| v.id))
            .collect();
        ids.sort_by_key(|id| id.0);
        ids.dedup();
        ids
    }

    /// Attaches the failing interactions of the failed rows' verifications (by verification)
    /// and words them into the rows' reasons and fixes and the answer's reasons.
    pub(crate) fn attach_failed_interactions(
        &mut self,
        index: &Index<'_>,
        failed: &HashMap<VerificationId, Vec<FailedInteraction>>,
    ) {
        for row in &mut self.rows {
            let found = row
                .row
                .verification
                .filter(|_| row.status == RowStatus::Failed)
                .and_then(|v| failed.get(&v.id));
            if let Some(interactions) = found {
                row.failed_interactions = interactions.clone();
                row.fix = fix_for(index, row);
            }
        }
        self.reasons = reasons(&self.specified, &self.rows, self.deployable, self.counts);
    }

    /// Reasons and warnings as typed notices: blocking reasons are errors, ignored ones and
    /// warnings are warnings, the final "all good" line is a success.
    pub(crate) fn notices(&self) -> Vec<(NoticeLevel, &str)> {
        let level = |reason: &str| {
            if reason.starts_with("Ignoring: ") {
                NoticeLevel::Warning
            } else if self.deployable == Some(true) {
                NoticeLevel::Success
            } else {
                NoticeLevel::Error
            }
        };
        let reasons = self.reasons.iter().map(|r| (level(r), r.as_str()));
        let warnings = self
            .warnings
            .iter()
            .map(|w| (NoticeLevel::Warning, w.as_str()));
        reasons.chain(warnings).collect()
    }
}

/// Answers can-i-deploy. Rows come sorted by consumer name, newest consumer version first,
/// then provider name and newest provider version first.
pub(crate) fn can_i_deploy<'a>(
    index: &Index<'a>,
    query: &CanIDeployQuery,
) -> Result<CanIDeployAnswer<'a>, CanIDeployError> {
    if query.specified.is_empty() {
        return Err(CanIDeployError::NothingSpecified);
    }
    if let Target::Environment(name) = &query.target
        && index.environment_named(name).is_none()
    {
        return Err(CanIDeployError::UnknownEnvironment(name.clone()));
    }
    let specified = query
        .specified
        .iter()
        .map(|s| resolve_specified(index, s))
        .collect::<Result<Vec<_>, _>>()?;
    let checker = Checker {
        index,
        target: &query.target,
        specified: &specified,
    };
    let mut rows = checker.rows();
    let warnings = mark_ignored(index, &query.ignore, &mut rows);
    let mut warnings = [target_warnings(query), warnings].concat();
    warnings.dedup();
    Ok(decide(specified, rows, warnings))
}

fn resolve_specified<'a>(
    index: &Index<'a>,
    s: &SpecifiedVersion,
) -> Result<ResolvedVersion<'a>, CanIDeployError> {
    let pacticipant = index
        .pacticipant_named(&s.pacticipant)
        .ok_or_else(|| CanIDeployError::UnknownPacticipant(s.pacticipant.clone()))?;
    let version = match &s.version {
        VersionSpec::Number(number) => index.version_numbered(pacticipant.id, number),
        VersionSpec::Latest => index.latest_version(pacticipant.id),
        VersionSpec::LatestOnBranch(branch) => index
            .versions_on_branch(pacticipant.id, branch)
            .last()
            .copied(),
        VersionSpec::LatestWithTag(tag) => {
            index.versions_with_tag(pacticipant.id, tag).last().copied()
        }
    };
    Ok(ResolvedVersion {
        pacticipant,
        spec: s.version.clone(),
        version,
    })
}

struct Checker<'i, 'a> {
    index: &'i Index<'a>,
    target: &'i Target,
    specified: &'i [ResolvedVersion<'a>],
}

impl<'a> Checker<'_, 'a> {
    fn is_specified(&self, pacticipant: PacticipantId) -> bool {
        self.specified
            .iter()
            .any(|s| s.pacticipant.id == pacticipant)
    }

    /// The versions of a counterpart to check against; `None` when it is not considered.
    fn counterpart_versions(
        &self,
        counterpart: &'a Pacticipant,
    ) -> Option<Vec<(&'a Version, Selection)>> {
        let index = self.index;
        if self.is_specified(counterpart.id) {
            let list = self
                .specified
                .iter()
                .filter(|s| s.pacticipant.id == counterpart.id);
            return Some(
                list.filter_map(|s| s.version)
                    .map(|v| (v, Selection::Specified))
                    .collect(),
            );
        }
        let one = |v: Option<&'a Version>, selection: Selection| {
            v.map(|v| (v, selection)).into_iter().collect()
        };
        match self.target {
            Target::SpecifiedOnly => None,
            Target::Latest => Some(one(index.latest_version(counterpart.id), Selection::Latest)),
            Target::Tag(tag) => {
                let latest = index.versions_with_tag(counterpart.id, tag).last().copied();
                Some(one(latest, Selection::LatestWithTag(tag.clone())))
            }
            Target::MainBranch => {
                let branch = counterpart.main_branch.clone().unwrap_or_default();
                let latest = index
                    .versions_on_branch(counterpart.id, &branch)
                    .last()
                    .copied();
                Some(one(latest, Selection::LatestOnMainBranch(branch)))
            }
            Target::Environment(name) => {
                let environment = index.environment_named(name)?;
                let mut seen = HashSet::new();
                let present = index.in_environment(environment.id, counterpart.id);
                let list = present
                    .iter()
                    .filter(|(v, _)| seen.insert(*v))
                    .filter_map(|(v, presence)| {
                        let selection = Selection::InEnvironment {
                            environment: name.clone(),
                            presence: *presence,
                        };
                        index.version(*v).map(|v| (v, selection))
                    })
                    .collect();
                Some(list)
            }
        }
    }

    fn rows(&self) -> Vec<DeployRow<'a>> {
        let index = self.index;
        let mut rows = Vec::new();
        let mut seen: HashSet<(VersionId, PacticipantId, Option<VersionId>)> = HashSet::new();
        for resolved in self.specified {
            let Some(version) = resolved.version else {
                continue;
            };
            let me = resolved.pacticipant;
            for pact in index.pacts_of_consumer_version(version.id) {
                let Some(provider) = index.pacticipant(pact.provider).filter(|p| p.id != me.id)
                else {
                    continue;
                };
                let Some(providers) = self.counterpart_versions(provider) else {
                    continue;
                };
                let consumer = (me, version, Selection::Specified);
                if providers.is_empty() && seen.insert((version.id, provider.id, None)) {
                    let absence = if self.is_specified(provider.id) {
                        Selection::Specified
                    } else {
                        provider_absence(self.target)
                    };
                    rows.push(self.row(pact, consumer.clone(), (provider, None, absence)));
                }
                for (provider_version, selection) in providers {
                    if seen.insert((version.id, provider.id, Some(provider_version.id))) {
                        rows.push(self.row(
                            pact,
                            consumer.clone(),
                            (provider, Some(provider_version), selection),
                        ));
                    }
                }
            }
            for consumer_id in index.consumers_of(me.id) {
                let Some(consumer) = index.pacticipant(*consumer_id).filter(|c| c.id != me.id)
                else {
                    continue;
                };
                for (consumer_version, selection) in
                    self.counterpart_versions(consumer).unwrap_or_default()
                {
                    // A consumer version without a contract with us dropped the integration.
                    let Some(pact) = index.pact(consumer_version.id, me.id) else {
                        continue;
                    };
                    if seen.insert((consumer_version.id, me.id, Some(version.id))) {
                        let provider = (me, Some(version), Selection::Specified);
                        rows.push(self.row(
                            pact,
                            (consumer, consumer_version, selection),
                            provider,
                        ));
                    }
                }
            }
        }
        // Stable, readable order: by consumer, newest consumer version first, then provider.
        rows.sort_by(|a, b| {
            let key = |r: &DeployRow<'a>| {
                let row = r.row;
                (
                    row.consumer.name.clone(),
                    std::cmp::Reverse(row.consumer_version.order),
                    row.provider.name.clone(),
                    std::cmp::Reverse(row.provider_version.map(|v| v.order)),
                )
            };
            key(a).cmp(&key(b))
        });
        rows
    }

    fn row(
        &self,
        pact: &'a Publication,
        (consumer, consumer_version, consumer_selection): (&'a Pacticipant, &'a Version, Selection),
        (provider, provider_version, provider_selection): (
            &'a Pacticipant,
            Option<&'a Version>,
            Selection,
        ),
    ) -> DeployRow<'a> {
        let index = self.index;
        let verification =
            provider_version.and_then(|p| index.latest_verification(&pact.content_sha, p.id));
        let status = match verification {
            Some(v) if v.success => RowStatus::Success,
            Some(_) => RowStatus::Failed,
            None => RowStatus::Unknown,
        };
        let row = MatrixRow {
            consumer,
            consumer_version,
            provider,
            pact,
            provider_version,
            verification,
        };
        let mut row = DeployRow {
            row,
            status,
            ignored: false,
            consumer_selection,
            provider_selection,
            fix: None,
            failed_interactions: Vec::new(),
        };
        row.fix = fix_for(index, &row);
        row
    }
}

/// The selection a missing provider version would have had.
fn provider_absence(target: &Target) -> Selection {
    match target {
        Target::Environment(environment) => Selection::InEnvironment {
            environment: environment.clone(),
            presence: Presence::Deployed,
        },
        Target::Tag(tag) => Selection::LatestWithTag(tag.clone()),
        Target::MainBranch => Selection::LatestOnMainBranch(String::new()),
        Target::Latest | Target::SpecifiedOnly => Selection::Latest,
    }
}

/// Marks ignored rows; returns warnings for ignore selectors naming nothing.
fn mark_ignored(
    index: &Index<'_>,
    ignore: &[IgnoreSelector],
    rows: &mut [DeployRow<'_>],
) -> Vec<String> {
    let mut warnings = Vec::new();
    for selector in ignore {
        let Some(pacticipant) = index.pacticipant_named(&selector.pacticipant) else {
            warnings.push(format!(
                "Ignoring {}: no pacticipant with that name exists",
                selector.pacticipant
            ));
            continue;
        };
        if let Some(number) = &selector.version
            && index.version_numbered(pacticipant.id, number).is_none()
        {
            warnings.push(format!(
                "Ignoring version {number} of {}: no such version exists",
                selector.pacticipant
            ));
            continue;
        }
        let matches = |p: &Pacticipant, v: Option<&Version>| {
            p.id == pacticipant.id
                && selector
                    .version
                    .as_ref()
                    .is_none_or(|n| v.is_some_and(|v| &v.number == n))
        };
        for row in rows.iter_mut() {
            let r = &row.row;
            if matches(r.consumer, Some(r.consumer_version))
                || matches(r.provider, r.provider_version)
            {
                row.ignored = true;
            }
        }
    }
    warnings
}

fn target_warnings(query: &CanIDeployQuery) -> Vec<String> {
    let mut warnings = Vec::new();
    if query
        .specified
        .iter()
        .any(|s| !matches!(s.version, VersionSpec::Number(_)))
    {
        warnings.push(
            "Specify the version number to deploy rather than a latest version: a newer version may have been \
             published since this build started"
                .to_owned(),
        );
    }
    if query.target == Target::Latest {
        warnings.push(
            "Specify the environment you are deploying to: checking against the latest version of every other \
             application is unreliable"
                .to_owned(),
        );
    }
    warnings
}

fn decide<'a>(
    specified: Vec<ResolvedVersion<'a>>,
    rows: Vec<DeployRow<'a>>,
    warnings: Vec<String>,
) -> CanIDeployAnswer<'a> {
    let mut counts = Counts::default();
    for row in &rows {
        let slot = match (row.ignored, row.status) {
            (true, _) => &mut counts.ignored,
            (false, RowStatus::Success) => &mut counts.success,
            (false, RowStatus::Failed) => &mut counts.failed,
            (false, RowStatus::Unknown) => &mut counts.unknown,
        };
        *slot += 1;
    }
    let missing = specified.iter().any(|s| s.version.is_none());
    let deployable = if missing {
        Some(false)
    } else if counts.unknown > 0 {
        None
    } else {
        Some(counts.failed == 0)
    };
    let reasons = reasons(&specified, &rows, deployable, counts);
    CanIDeployAnswer {
        deployable,
        reasons,
        counts,
        rows,
        specified,
        warnings,
    }
}

/// One line per missing specified version and per row that is not a success, then the
/// "all good" line when deployable.
fn reasons(
    specified: &[ResolvedVersion<'_>],
    rows: &[DeployRow<'_>],
    deployable: Option<bool>,
    counts: Counts,
) -> Vec<String> {
    let mut reasons: Vec<String> = specified
        .iter()
        .filter(|s| s.version.is_none())
        .map(|s| format!("{} does not exist", explain::describe_spec(s)))
        .collect();
    for row in rows.iter().filter(|r| r.status != RowStatus::Success) {
        let reason = reason_for(row);
        reasons.push(if row.ignored {
            format!("Ignoring: {reason}")
        } else {
            reason
        });
    }
    if deployable == Some(true) {
        let considered = counts.success > 0;
        reasons.push(
            if considered {
                "All required verification results are published and successful"
            } else {
                "There are no missing dependencies"
            }
            .to_owned(),
        );
    }
    reasons
}

#[cfg(test)]
mod tests;
