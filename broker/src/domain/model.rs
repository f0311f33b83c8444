//! The plain data the domain rules work on: pacticipants, versions, branches, contract
//! publications, verifications, environments, deployments and releases.
//!
//! These are simple structs the store fills from its rows; they carry database ids so that the
//! answers can point back at stored records. The rules never mutate them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

/// Database id of a pacticipant (an application taking part in contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PacticipantId(pub(crate) i64);

/// Database id of a pacticipant version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct VersionId(pub(crate) i64);

/// Database id of an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct EnvironmentId(pub(crate) i64);

/// Database id of a contract publication; a higher id is a newer revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PublicationId(pub(crate) i64);

/// Database id of a verification result; a higher id is a newer result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct VerificationId(pub(crate) i64);

/// An application that consumes or provides contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pacticipant {
    pub(crate) id: PacticipantId,
    pub(crate) name: String,
    /// The configured main branch (used by `mainBranch` selectors and default selectors).
    pub(crate) main_branch: Option<String>,
}

/// One version (build) of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    pub(crate) id: VersionId,
    pub(crate) pacticipant: PacticipantId,
    pub(crate) number: String,
    /// Creation order among the pacticipant's versions: the highest is the latest. "Latest
    /// version with tag X" uses this order, never the time the tag was applied.
    pub(crate) order: i64,
    pub(crate) created_at: DateTime<Utc>,
    /// Branches this version belongs to (normally zero or one).
    pub(crate) branches: Vec<String>,
    pub(crate) tags: Vec<String>,
}

/// A branch of a pacticipant; its creation time matters for pending pacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Branch {
    pub(crate) pacticipant: PacticipantId,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
}

/// A consumer version publishing a contract with a provider. Several revisions may exist for
/// one (consumer version, provider): the one with the highest id wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Publication {
    pub(crate) id: PublicationId,
    pub(crate) consumer_version: VersionId,
    pub(crate) provider: PacticipantId,
    /// SHA-256 of the normalised content. Content names its consumer and provider, so one
    /// hash belongs to one integration.
    pub(crate) content_sha: String,
    pub(crate) created_at: DateTime<Utc>,
}

/// A verification result: a provider version replayed some contract content. It applies to
/// every consumer version that published the same content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verification {
    pub(crate) id: VerificationId,
    /// The result's number within its integration's results for this content (the last
    /// segment of its `verification-results/{number}` URL).
    pub(crate) number: i64,
    pub(crate) content_sha: String,
    pub(crate) provider_version: VersionId,
    /// The provider version's branch when the result was published.
    pub(crate) provider_branch: Option<String>,
    pub(crate) success: bool,
    pub(crate) verified_at: DateTime<Utc>,
    /// The content was verified as a work-in-progress pact (the `w` flag of the pact URL
    /// metadata). A success while WIP does not end WIP status.
    pub(crate) wip: bool,
}

/// A place versions are deployed or released to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Environment {
    pub(crate) id: EnvironmentId,
    pub(crate) name: String,
    pub(crate) production: bool,
}

/// A record of a version deployed to an environment (per application instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeployedVersion {
    pub(crate) version: VersionId,
    pub(crate) environment: EnvironmentId,
    /// Permanently co-existing copies (per customer, per device); `None` is a value of its own.
    pub(crate) application_instance: Option<String>,
    pub(crate) currently_deployed: bool,
    pub(crate) deployed_at: DateTime<Utc>,
    pub(crate) undeployed_at: Option<DateTime<Utc>>,
}

/// A record of a version released to an environment; releases are additive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReleasedVersion {
    pub(crate) version: VersionId,
    pub(crate) environment: EnvironmentId,
    pub(crate) currently_supported: bool,
    pub(crate) released_at: DateTime<Utc>,
    pub(crate) support_ended_at: Option<DateTime<Utc>>,
}

/// What one contract content holds, for the service graph: how many interactions of each
/// kind, and which fields the consumer relies on. The store computes it once per content, when
/// the content is first published, with [`summarise_contract`](super::summarise_contract)
/// (which documents how fields are named: JSON paths of body leaves, query parameters and
/// headers per HTTP endpoint, content leaves and metadata keys per message).
///
/// Only the size of `fields` is reported today; the paths themselves are kept for a later
/// "who uses this field" query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ContentSummary {
    pub(crate) content_sha: String,
    pub(crate) http_interactions: u32,
    pub(crate) message_interactions: u32,
    pub(crate) fields: BTreeSet<String>,
}

/// Everything the rules may need, as loaded by the store. The store may hand over a subset
/// (for example only the integrations of one provider) as long as it is consistent: every id
/// referenced exists in the matching list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BrokerData {
    pub(crate) pacticipants: Vec<Pacticipant>,
    pub(crate) versions: Vec<Version>,
    pub(crate) branches: Vec<Branch>,
    pub(crate) publications: Vec<Publication>,
    pub(crate) verifications: Vec<Verification>,
    pub(crate) environments: Vec<Environment>,
    pub(crate) deployed_versions: Vec<DeployedVersion>,
    pub(crate) released_versions: Vec<ReleasedVersion>,
    /// One per content sha (the service graph's edge labels); contents without a summary
    /// still give an edge, of unknown kind.
    pub(crate) content_summaries: Vec<ContentSummary>,
}
