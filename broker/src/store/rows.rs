//! Records read from the database (`FromRow`), shared by both backends.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// An application taking part in contracts, as consumer, provider or both.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Pacticipant {
    /// Database id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Repository URL.
    pub repository_url: Option<String>,
    /// Repository name.
    pub repository_name: Option<String>,
    /// Repository namespace.
    pub repository_namespace: Option<String>,
    /// Main branch.
    pub main_branch: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

/// A version of a pacticipant (usually a commit SHA).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Version {
    /// Database id; higher is newer.
    pub id: i64,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// Version number.
    pub number: String,
    /// CI build URL.
    pub build_url: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

/// A branch of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Branch {
    /// Database id.
    pub id: i64,
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// Branch name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A version's membership of a branch.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct BranchVersion {
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// Branch name.
    pub branch_name: String,
    /// Version number.
    pub version_number: String,
    /// When the version was added to the branch.
    pub created_at: DateTime<Utc>,
}

/// A tag on a version.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Tag {
    /// The pacticipant's name.
    pub pacticipant_name: String,
    /// Version number.
    pub version_number: String,
    /// Tag name.
    pub name: String,
    /// When the tag was added.
    pub created_at: DateTime<Utc>,
}

/// A pact publication: a consumer version's contract with a provider (content not included).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PactRow {
    /// Database id of the publication.
    pub id: i64,
    /// Consumer name.
    pub consumer_name: String,
    /// Provider name.
    pub provider_name: String,
    /// Consumer version id (higher is newer).
    pub consumer_version_id: i64,
    /// Consumer version number.
    pub consumer_version_number: String,
    /// SHA-256 of the normalised content.
    pub sha: String,
    /// When this publication was stored (or its content last replaced).
    pub created_at: DateTime<Utc>,
}

/// A verification result of contract content by a provider version.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Verification {
    /// Database id.
    pub id: i64,
    /// Sequence number per content and integration, from 1.
    pub number: i64,
    /// SHA of the verified content.
    pub sha: String,
    /// Consumer name.
    pub consumer_name: String,
    /// Provider name.
    pub provider_name: String,
    /// Provider version that verified.
    pub provider_version_number: String,
    /// Whether it passed.
    pub success: bool,
    /// CI build URL.
    pub build_url: Option<String>,
    /// Per-interaction results (JSON text).
    pub test_results: Option<String>,
    /// Verifying tool (JSON text).
    pub verified_by: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A deployment target or release channel.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Environment {
    /// Database id.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// Unique name.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Production or not.
    pub production: bool,
    /// Contacts (JSON text).
    pub contacts: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last update.
    pub updated_at: DateTime<Utc>,
}

/// A record of a version deployed to an environment.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DeployedVersion {
    /// Public identifier.
    pub uuid: String,
    /// Pacticipant name.
    pub pacticipant_name: String,
    /// Version number.
    pub version_number: String,
    /// Environment UUID.
    pub environment_uuid: String,
    /// Environment name.
    pub environment_name: String,
    /// Instance (for permanently co-existing copies); `None` is its own instance.
    pub application_instance: Option<String>,
    /// When deployed.
    pub created_at: DateTime<Utc>,
    /// When replaced or undeployed; `None` while current.
    pub undeployed_at: Option<DateTime<Utc>>,
}

impl DeployedVersion {
    /// Whether the version is still deployed there.
    pub fn currently_deployed(&self) -> bool {
        self.undeployed_at.is_none()
    }
}

/// A record of a version released to an environment.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReleasedVersion {
    /// Public identifier.
    pub uuid: String,
    /// Pacticipant name.
    pub pacticipant_name: String,
    /// Version number.
    pub version_number: String,
    /// Environment UUID.
    pub environment_uuid: String,
    /// Environment name.
    pub environment_name: String,
    /// When released.
    pub created_at: DateTime<Utc>,
    /// When support ended; `None` while supported.
    pub support_ended_at: Option<DateTime<Utc>>,
}

impl ReleasedVersion {
    /// Whether the release is still supported.
    pub fn currently_supported(&self) -> bool {
        self.support_ended_at.is_none()
    }
}

/// What one contract content holds, for the service graph: interaction counts and the fields
/// the consumer relies on (see `domain::summarise_contract` for how fields are named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentSummaryRecord {
    /// The content's SHA-256.
    pub sha: String,
    /// HTTP interactions.
    pub http_interactions: u32,
    /// Asynchronous and synchronous message interactions.
    pub message_interactions: u32,
    /// Distinct fields relied on, sorted.
    pub fields: Vec<String>,
}

impl ContentSummaryRecord {
    /// The domain's form of the summary.
    pub(crate) fn to_domain(&self) -> crate::domain::ContentSummary {
        crate::domain::ContentSummary {
            content_sha: self.sha.clone(),
            http_interactions: self.http_interactions,
            message_interactions: self.message_interactions,
            fields: self.fields.iter().cloned().collect(),
        }
    }
}
