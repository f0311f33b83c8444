//! Persistence: one [`Store`] trait with a method per use case, implemented for SQLite
//! ([`SqliteStore`]) and PostgreSQL ([`PostgresStore`]).
//!
//! Every write method runs in one transaction: on any error nothing is written. The SQL is
//! written once (`sql.rs`) in the dialect both databases accept, and the store test suite runs
//! every method on both.

pub(crate) mod load;
#[cfg(test)]
mod load_tests;
mod postgres;
mod rows;
mod sql;
mod sqlite;
#[cfg(test)]
#[path = "../../tests/support/mod.rs"]
mod test_database;

use std::future::Future;

pub use load::{LoadRequest, LoadedData};
pub use postgres::PostgresStore;
pub use rows::{
    Branch, BranchVersion, ContentSummaryRecord, DeployedVersion, Environment, PactRow,
    Pacticipant, ReleasedVersion, Tag, Verification, Version,
};
pub use sqlite::SqliteStore;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The named thing does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. `pacticipant "Foo"`.
        what: String,
    },
    /// The write would contradict what is stored (duplicate name, changed contract content...).
    #[error("{what}")]
    Conflict {
        /// Why the write was refused, for people.
        what: String,
    },
    /// The database failed.
    #[error("database error")]
    Backend(#[from] sqlx::Error),
    /// The migrations could not be applied.
    #[error("cannot apply database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }
}

/// Result alias of the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// Optional pacticipant properties, as sent on create / update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacticipantFields {
    /// Human name.
    pub display_name: Option<String>,
    /// Where the code lives.
    pub repository_url: Option<String>,
    /// Repository name.
    pub repository_name: Option<String>,
    /// Repository owner / namespace.
    pub repository_namespace: Option<String>,
    /// The branch whose versions are "the main line" (used by `mainBranch` selectors).
    pub main_branch: Option<String>,
}

/// How an update treats absent fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// PUT: absent fields become empty.
    Replace,
    /// PATCH: absent fields keep their value.
    Merge,
}

/// A contract's content, already validated and hashed by `domain::content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactContent {
    /// SHA-256 (lower-case hex) of the normalised JSON.
    pub sha: String,
    /// The bytes as received.
    pub bytes: Vec<u8>,
}

/// One contract of a publication.
#[derive(Debug, Clone)]
pub struct ContractToPublish {
    /// Provider name (the consumer is the publishing pacticipant).
    pub provider: String,
    /// The content.
    pub content: PactContent,
}

/// `POST /contracts/publish`, validated.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The consumer.
    pub pacticipant: String,
    /// The consumer version number.
    pub version: String,
    /// Branch of the version, if any.
    pub branch: Option<String>,
    /// Tags to add to the version.
    pub tags: Vec<String>,
    /// CI build URL of the version.
    pub build_url: Option<String>,
    /// The contracts, one per provider.
    pub contracts: Vec<ContractToPublish>,
    /// Whether changed content may replace the stored content of the same consumer version.
    pub allow_modification: bool,
}

/// What happened to one contract when publishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractOutcome {
    /// First contract of this consumer version with this provider.
    Created,
    /// The same content was already stored.
    Unchanged,
    /// Different content replaced the stored one (only with modification allowed).
    Replaced,
}

/// Result of a publication.
#[derive(Debug, Clone)]
pub struct PublicationResult {
    /// The consumer.
    pub pacticipant: Pacticipant,
    /// The consumer version.
    pub version: Version,
    /// Whether the version was created by this publication.
    pub version_created: bool,
    /// Each contract and what happened to it.
    pub contracts: Vec<(PactRow, ContractOutcome)>,
}

/// Which pact of one integration to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PactSelector {
    /// The pact of this consumer version.
    Version(String),
    /// The content with this SHA (any consumer version that published it; the latest wins).
    Sha(String),
    /// The latest pact.
    Latest,
    /// The latest pact of a consumer version with this tag.
    LatestTagged(String),
    /// The latest pact of a consumer version on this branch.
    LatestOnBranch(String),
}

/// Which pacts of a provider to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PactFilter {
    /// Every publication.
    All,
    /// Publications of consumer versions with this tag.
    Tag(String),
    /// Publications of consumer versions on this branch.
    Branch(String),
    /// Publications of consumer versions on each consumer's main branch.
    MainBranch,
}

/// A verification result to record.
#[derive(Debug, Clone)]
pub struct NewVerification {
    /// The provider version that ran the verification (created when missing).
    pub provider_version: String,
    /// Whether every interaction passed.
    pub success: bool,
    /// CI build URL.
    pub build_url: Option<String>,
    /// Per-interaction results, as JSON text.
    pub test_results: Option<String>,
    /// The verifying tool, as JSON text.
    pub verified_by: Option<String>,
    /// The content was verified as a work-in-progress pact (the `w` flag of the metadata in
    /// the URL the result was published to).
    pub wip: bool,
}

/// An environment to create or the new state of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentFields {
    /// Unique name without spaces.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
    /// Contacts, as JSON text.
    pub contacts: Option<String>,
}

/// A version with everything shown on its resource.
#[derive(Debug, Clone)]
pub struct VersionDetail {
    /// The version.
    pub version: Version,
    /// The pacticipant.
    pub pacticipant: Pacticipant,
    /// Branches the version is on.
    pub branches: Vec<BranchVersion>,
    /// Tags of the version.
    pub tags: Vec<Tag>,
    /// Deployments of the version (current and past).
    pub deployments: Vec<DeployedVersion>,
    /// Releases of the version (current and past).
    pub releases: Vec<ReleasedVersion>,
}

/// Everything the broker stores. Methods are use cases; every write is one transaction.
///
/// Methods return `impl Future + Send` so handlers generic over the store stay `Send`.
pub trait Store: Clone + Send + Sync + 'static {
    /// Checks the database answers.
    fn ping(&self) -> impl Future<Output = StoreResult<()>> + Send;

    // --- pacticipants -------------------------------------------------------------------

    /// Creates a pacticipant; `Conflict` when the name is taken.
    fn create_pacticipant(
        &self,
        name: &str,
        fields: PacticipantFields,
    ) -> impl Future<Output = StoreResult<Pacticipant>> + Send;
    /// Updates a pacticipant, creating it when missing; `true` when created.
    fn update_pacticipant(
        &self,
        name: &str,
        fields: PacticipantFields,
        mode: UpdateMode,
    ) -> impl Future<Output = StoreResult<(Pacticipant, bool)>> + Send;
    /// One pacticipant.
    fn pacticipant(&self, name: &str) -> impl Future<Output = StoreResult<Pacticipant>> + Send;
    /// All pacticipants by name.
    fn pacticipants(&self) -> impl Future<Output = StoreResult<Vec<Pacticipant>>> + Send;
    /// Deletes a pacticipant with its versions, pacts, verifications and deployments.
    fn delete_pacticipant(&self, name: &str) -> impl Future<Output = StoreResult<()>> + Send;

    // --- versions, branches, tags ---------------------------------------------------------

    /// One version with branches, tags, deployments and releases.
    fn version(
        &self,
        pacticipant: &str,
        number: &str,
    ) -> impl Future<Output = StoreResult<VersionDetail>> + Send;
    /// The latest version of a pacticipant, optionally among those with a tag.
    fn latest_version(
        &self,
        pacticipant: &str,
        tag: Option<&str>,
    ) -> impl Future<Output = StoreResult<VersionDetail>> + Send;
    /// All versions of a pacticipant, newest first.
    fn versions(&self, pacticipant: &str)
    -> impl Future<Output = StoreResult<Vec<Version>>> + Send;
    /// Creates or updates a version (creating the pacticipant and branch when needed);
    /// `true` when created. A given build URL replaces the stored one.
    fn put_version(
        &self,
        pacticipant: &str,
        number: &str,
        branch: Option<&str>,
        build_url: Option<&str>,
    ) -> impl Future<Output = StoreResult<(VersionDetail, bool)>> + Send;
    /// Deletes a version with its pacts, tags, verifications and deployments.
    fn delete_version(
        &self,
        pacticipant: &str,
        number: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Tags a version, creating pacticipant and version when missing; `true` when created.
    fn put_tag(
        &self,
        pacticipant: &str,
        number: &str,
        tag: &str,
    ) -> impl Future<Output = StoreResult<(Tag, bool)>> + Send;
    /// One tag of a version.
    fn tag(
        &self,
        pacticipant: &str,
        number: &str,
        tag: &str,
    ) -> impl Future<Output = StoreResult<Tag>> + Send;
    /// Removes a tag from a version.
    fn delete_tag(
        &self,
        pacticipant: &str,
        number: &str,
        tag: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Branches of a pacticipant by name.
    fn branches(&self, pacticipant: &str) -> impl Future<Output = StoreResult<Vec<Branch>>> + Send;
    /// One branch.
    fn branch(
        &self,
        pacticipant: &str,
        branch: &str,
    ) -> impl Future<Output = StoreResult<Branch>> + Send;
    /// Deletes a branch; its versions stay.
    fn delete_branch(
        &self,
        pacticipant: &str,
        branch: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Versions on a branch, newest first.
    fn branch_versions(
        &self,
        pacticipant: &str,
        branch: &str,
    ) -> impl Future<Output = StoreResult<Vec<Version>>> + Send;
    /// Puts a version on a branch, creating pacticipant, branch and version when missing;
    /// `true` when the version was not on the branch before.
    fn put_branch_version(
        &self,
        pacticipant: &str,
        branch: &str,
        number: &str,
    ) -> impl Future<Output = StoreResult<(BranchVersion, bool)>> + Send;
    /// One version of a branch.
    fn branch_version(
        &self,
        pacticipant: &str,
        branch: &str,
        number: &str,
    ) -> impl Future<Output = StoreResult<BranchVersion>> + Send;
    /// Takes a version off a branch.
    fn delete_branch_version(
        &self,
        pacticipant: &str,
        branch: &str,
        number: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    // --- contracts ----------------------------------------------------------------------

    /// Publishes contracts: pacticipants, version, branch, tags and content together.
    fn publish_contracts(
        &self,
        publication: Publication,
    ) -> impl Future<Output = StoreResult<PublicationResult>> + Send;
    /// Stores the pact of one consumer version with one provider (the old PUT publish).
    fn put_pact(
        &self,
        provider: &str,
        consumer: &str,
        consumer_version: &str,
        content: PactContent,
        allow_modification: bool,
    ) -> impl Future<Output = StoreResult<(PactRow, ContractOutcome)>> + Send;
    /// One pact of an integration, with its content.
    fn pact(
        &self,
        provider: &str,
        consumer: &str,
        selector: PactSelector,
    ) -> impl Future<Output = StoreResult<(PactRow, Vec<u8>)>> + Send;
    /// Pacts of a provider (optionally one consumer), newest consumer version first.
    fn provider_pacts(
        &self,
        provider: &str,
        consumer: Option<&str>,
        filter: PactFilter,
    ) -> impl Future<Output = StoreResult<Vec<PactRow>>> + Send;
    /// The latest pact of every integration.
    fn latest_pacts(&self) -> impl Future<Output = StoreResult<Vec<PactRow>>> + Send;
    /// Deletes the pact of one consumer version with one provider.
    fn delete_pact(
        &self,
        provider: &str,
        consumer: &str,
        consumer_version: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The summary of every content that has one (the service graph's edge labels). Contents
    /// that do not parse as a contract have none.
    fn content_summaries(
        &self,
    ) -> impl Future<Output = StoreResult<Vec<ContentSummaryRecord>>> + Send;
    /// Summarises the contents stored without a summary (those published before summaries
    /// existed); returns how many got one. Each backend's `connect` calls it after migrating;
    /// contents that do not parse are looked at again on the next start, and stay without one.
    fn summarise_contents(&self) -> impl Future<Output = StoreResult<usize>> + Send;

    // --- verifications ------------------------------------------------------------------

    /// Records a verification of content `sha` of an integration (creating the provider
    /// version when missing).
    fn publish_verification(
        &self,
        provider: &str,
        consumer: &str,
        sha: &str,
        verification: NewVerification,
    ) -> impl Future<Output = StoreResult<Verification>> + Send;
    /// One verification by number, or the latest when `number` is `None`.
    fn verification(
        &self,
        provider: &str,
        consumer: &str,
        sha: &str,
        number: Option<i64>,
    ) -> impl Future<Output = StoreResult<Verification>> + Send;

    // --- environments, deployments, releases ------------------------------------------------

    /// Creates an environment; `Conflict` when the name is taken.
    fn create_environment(
        &self,
        fields: EnvironmentFields,
    ) -> impl Future<Output = StoreResult<Environment>> + Send;
    /// All environments by name.
    fn environments(&self) -> impl Future<Output = StoreResult<Vec<Environment>>> + Send;
    /// One environment by UUID.
    fn environment(&self, uuid: &str) -> impl Future<Output = StoreResult<Environment>> + Send;
    /// Replaces an environment's properties.
    fn update_environment(
        &self,
        uuid: &str,
        fields: EnvironmentFields,
    ) -> impl Future<Output = StoreResult<Environment>> + Send;
    /// Deletes an environment with its deployment and release records.
    fn delete_environment(&self, uuid: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Records that a version is deployed to an environment (instance `None` is a distinct
    /// instance). The previous current deployment of the same pacticipant, environment and
    /// instance is marked undeployed. Idempotent when the version is already current there.
    fn record_deployment(
        &self,
        pacticipant: &str,
        number: &str,
        environment_uuid: &str,
        application_instance: Option<&str>,
    ) -> impl Future<Output = StoreResult<DeployedVersion>> + Send;
    /// Deployments of an environment, optionally only current ones and one pacticipant.
    fn deployed_versions(
        &self,
        environment_uuid: &str,
        pacticipant: Option<&str>,
        currently_deployed_only: bool,
    ) -> impl Future<Output = StoreResult<Vec<DeployedVersion>>> + Send;
    /// One deployment record.
    fn deployed_version(
        &self,
        uuid: &str,
    ) -> impl Future<Output = StoreResult<DeployedVersion>> + Send;
    /// Marks a deployment as undeployed (idempotent).
    fn undeploy(&self, uuid: &str) -> impl Future<Output = StoreResult<DeployedVersion>> + Send;
    /// Records that a version is released to an environment (additive; idempotent; a release
    /// whose support ended becomes supported again).
    fn record_release(
        &self,
        pacticipant: &str,
        number: &str,
        environment_uuid: &str,
    ) -> impl Future<Output = StoreResult<ReleasedVersion>> + Send;
    /// Releases of an environment, optionally only supported ones and one pacticipant.
    fn released_versions(
        &self,
        environment_uuid: &str,
        pacticipant: Option<&str>,
        currently_supported_only: bool,
    ) -> impl Future<Output = StoreResult<Vec<ReleasedVersion>>> + Send;
    /// One release record.
    fn released_version(
        &self,
        uuid: &str,
    ) -> impl Future<Output = StoreResult<ReleasedVersion>> + Send;
    /// Ends support of a release (idempotent).
    fn end_support(&self, uuid: &str) -> impl Future<Output = StoreResult<ReleasedVersion>> + Send;

    /// Loads the data the domain rules need for one question (see [`LoadRequest`]): only
    /// the relevant subset for can-i-deploy, the integrations of some pacticipants, or all.
    fn load_broker_data(
        &self,
        request: &LoadRequest,
    ) -> impl Future<Output = StoreResult<LoadedData>> + Send;

    /// Loads everything, including the whole deployment and release history.
    fn load_broker_data_all(&self) -> impl Future<Output = StoreResult<LoadedData>> + Send;

    /// The recorded `testResults` JSON text of these verifications (by id; those without
    /// test results are left out): what names the failing interactions of failed
    /// can-i-deploy rows, read only for those rows.
    fn verification_test_results(
        &self,
        ids: &[i64],
    ) -> impl Future<Output = StoreResult<Vec<(i64, String)>>> + Send;
}
