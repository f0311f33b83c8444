//! Loading the [`BrokerData`] the domain rules work on, for both backends.
//!
//! A request loads only what its question reads (see the domain module's docs):
//!
//! - [`DataRequest::CanIDeploy`]: the specified versions (resolved in SQL: number, latest,
//!   latest on a branch, latest with a tag), the counterpart versions in the target (currently
//!   deployed or released-and-supported in the environment; or the latest with a tag, on the
//!   main branch, or overall, per pacticipant), the ignored versions, the publications of all
//!   of those versions, and every verification of those contents with the verifying versions.
//!   For the fixes of blocking rows, also (outside a specified-only question) every
//!   verification by a specified version and the consumer versions with a contract with a
//!   specified pacticipant of a content it verified, with those contracts; a pacticipant with
//!   such a version keeps all its versions in the target. Nothing else: the domain builds its
//!   index over this subset and answers as over everything, fixes included.
//! - [`DataRequest::Integrations`]: everything about the integrations of some pacticipants
//!   (every publication they take part in, the versions involved, every verification of those
//!   contents with the verifying versions, branches, current deployments and releases). Used
//!   by `/matrix` without a target and by pacts for verification (pending and WIP read the
//!   provider's whole verification history of the selected contents).
//! - [`DataRequest::Coupling`]: what the coupling report reads. Without an environment: each
//!   pacticipant's main-branch head with its contracts and their content summaries. With one:
//!   also the environment's whole deployment and release history (co-deployment), the
//!   contracts of its current versions (the graph and the counterparts of every lockstep
//!   question), every verification of those contracts and of the heads' with the verifying
//!   versions, every verification by a head, and the consumer versions whose contract has a
//!   content a head verified (what the fixes of blocking rows name).
//! - [`DataRequest::All`]: the whole database, including the complete deployment and release
//!   history.
//!
//! Every subset is consistent: each id referenced is in the matching list.

use std::collections::BTreeSet;

use crate::domain::{BrokerData, SpecifiedVersion, Target};

/// What to load, by question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DataRequest {
    /// A can-i-deploy question: specified versions, where they go, and ignored pacticipant
    /// versions (`(pacticipant, version number)`, loaded so ignore warnings stay exact).
    CanIDeploy {
        specified: Vec<SpecifiedVersion>,
        target: Target,
        ignore: Vec<(String, String)>,
    },
    /// Pacts for verification of one provider: every head (per consumer, per consumer
    /// branch, per consumer tag) of the consumer versions with a contract with it, the
    /// consumer versions currently deployed or released, every version carrying one of
    /// `tags` (selectors without `latest`, and the provider's legacy tags, whose oldest
    /// provider version starts the tag's line), the publications of those versions with the
    /// provider and of the same contents, and every verification of those contents with the
    /// verifying versions.
    ForVerification { provider: String, tags: Vec<String> },
    /// Everything about the integrations these pacticipants take part in.
    Integrations { pacticipants: Vec<String> },
    /// The coupling report of an environment, or of the main-branch heads (`None`).
    Coupling { environment: Option<String> },
    /// Everything, with the whole deployment and release history.
    All,
}

/// A load request, opaque outside the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRequest(pub(crate) DataRequest);

impl LoadRequest {
    /// Everything in the store, with the whole deployment and release history.
    pub fn all() -> Self {
        Self(DataRequest::All)
    }

    /// Everything about the integrations of these pacticipants.
    pub fn integrations<I: IntoIterator<Item = S>, S: Into<String>>(pacticipants: I) -> Self {
        Self(DataRequest::Integrations {
            pacticipants: pacticipants.into_iter().map(Into::into).collect(),
        })
    }
}

/// The loaded data, opaque outside the crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedData(pub(crate) BrokerData);

impl LoadedData {
    /// How many (versions, publications, verifications) were loaded.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.0.versions.len(),
            self.0.publications.len(),
            self.0.verifications.len(),
        )
    }
}

/// Ids collected while loading, kept sorted for stable SQL.
pub(super) type Ids = BTreeSet<i64>;

/// Most ids bound in one `IN (…)` list: SQLite allows 32,766 parameters per statement and
/// PostgreSQL 65,535, and a long deployment history can name more versions than that.
const MAX_IDS_PER_STATEMENT: usize = 10_000;

/// `ids` in ascending runs of at most [`MAX_IDS_PER_STATEMENT`] (none when empty).
pub(super) fn chunks(ids: &Ids) -> Vec<Ids> {
    let list: Vec<i64> = ids.iter().copied().collect();
    list.chunks(MAX_IDS_PER_STATEMENT)
        .map(|chunk| chunk.iter().copied().collect())
        .collect()
}

/// Expands `load_data(pool, request)` for a concrete `sqlx` database.
macro_rules! impl_loader {
    ($db:ty) => {
        mod loader {
            use std::collections::{BTreeSet, HashMap};

            use chrono::{DateTime, Utc};
            use sqlx::{QueryBuilder, Transaction};

            use $crate::domain::{
                Branch, BrokerData, DeployedVersion, Environment, EnvironmentId, Pacticipant,
                PacticipantId, Publication, PublicationId, ReleasedVersion, SpecifiedVersion,
                Target, Verification, VerificationId, Version, VersionId, VersionSpec,
            };
            use $crate::store::StoreResult;
            use $crate::store::load::{DataRequest, Ids};

            type Tx = Transaction<'static, $db>;

            /// Appends ` IN (…)` over `ids` (which must not be empty).
            fn push_in(qb: &mut QueryBuilder<'_, $db>, ids: &Ids) {
                qb.push(" IN (");
                let mut list = qb.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                list.push_unseparated(")");
            }

            pub(crate) async fn load_data(
                pool: &sqlx::Pool<$db>,
                request: &DataRequest,
            ) -> StoreResult<BrokerData> {
                let mut tx = pool.begin().await?;
                let mut data = BrokerData::default();
                load_pacticipants(&mut tx, &mut data).await?;
                load_environments(&mut tx, &mut data).await?;
                match request {
                    DataRequest::CanIDeploy {
                        specified,
                        target,
                        ignore,
                    } => load_can_i_deploy(&mut tx, &mut data, specified, target, ignore).await?,
                    DataRequest::ForVerification { provider, tags } => {
                        load_for_verification(&mut tx, &mut data, provider, tags).await?
                    }
                    DataRequest::Integrations { pacticipants } => {
                        load_integrations(&mut tx, &mut data, pacticipants).await?
                    }
                    DataRequest::Coupling { environment } => {
                        load_coupling(&mut tx, &mut data, environment.as_deref()).await?
                    }
                    DataRequest::All => load_all(&mut tx, &mut data).await?,
                }
                tx.commit().await?;
                Ok(data)
            }

            /// The `testResults` of these verifications (those that have some).
            pub(crate) async fn load_test_results(
                pool: &sqlx::Pool<$db>,
                ids: &[i64],
            ) -> StoreResult<Vec<(i64, String)>> {
                let ids: Ids = ids.iter().copied().collect();
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT id, test_results FROM verifications WHERE test_results IS NOT NULL AND id",
                );
                push_in(&mut qb, &ids);
                qb.push(" ORDER BY id");
                Ok(qb.build_query_as().fetch_all(pool).await?)
            }

            async fn load_pacticipants(tx: &mut Tx, data: &mut BrokerData) -> StoreResult<()> {
                let rows: Vec<(i64, String, Option<String>)> =
                    sqlx::query_as("SELECT id, name, main_branch FROM pacticipants ORDER BY id")
                        .fetch_all(&mut **tx)
                        .await?;
                data.pacticipants = rows
                    .into_iter()
                    .map(|(id, name, main_branch)| Pacticipant {
                        id: PacticipantId(id),
                        name,
                        main_branch,
                    })
                    .collect();
                Ok(())
            }

            async fn load_environments(tx: &mut Tx, data: &mut BrokerData) -> StoreResult<()> {
                let rows: Vec<(i64, String, bool)> =
                    sqlx::query_as("SELECT id, name, production FROM environments ORDER BY id")
                        .fetch_all(&mut **tx)
                        .await?;
                data.environments = rows
                    .into_iter()
                    .map(|(id, name, production)| Environment {
                        id: EnvironmentId(id),
                        name,
                        production,
                    })
                    .collect();
                Ok(())
            }

            fn pacticipant_id(data: &BrokerData, name: &str) -> Option<i64> {
                data.pacticipants
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.id.0)
            }

            /// The version a specification names, resolved as the domain resolves it
            /// (creation order = id).
            async fn resolve(
                tx: &mut Tx,
                pacticipant: i64,
                spec: &VersionSpec,
            ) -> StoreResult<Option<i64>> {
                let id: Option<i64> = match spec {
                    VersionSpec::Number(number) => {
                        sqlx::query_scalar(
                            "SELECT id FROM versions WHERE pacticipant_id = $1 AND number = $2",
                        )
                        .bind(pacticipant)
                        .bind(number)
                        .fetch_optional(&mut **tx)
                        .await?
                    }
                    VersionSpec::Latest => {
                        sqlx::query_scalar(
                            "SELECT id FROM versions WHERE pacticipant_id = $1 \
                             ORDER BY id DESC LIMIT 1",
                        )
                        .bind(pacticipant)
                        .fetch_optional(&mut **tx)
                        .await?
                    }
                    VersionSpec::LatestOnBranch(branch) => {
                        sqlx::query_scalar(
                            "SELECT bv.version_id FROM branch_versions bv \
                             JOIN branches b ON b.id = bv.branch_id \
                             WHERE b.pacticipant_id = $1 AND b.name = $2 \
                             ORDER BY bv.version_id DESC LIMIT 1",
                        )
                        .bind(pacticipant)
                        .bind(branch)
                        .fetch_optional(&mut **tx)
                        .await?
                    }
                    VersionSpec::LatestWithTag(tag) => {
                        sqlx::query_scalar(
                            "SELECT t.version_id FROM tags t \
                             JOIN versions v ON v.id = t.version_id \
                             WHERE t.name = $2 AND v.pacticipant_id = $1 \
                             ORDER BY t.version_id DESC LIMIT 1",
                        )
                        .bind(pacticipant)
                        .bind(tag)
                        .fetch_optional(&mut **tx)
                        .await?
                    }
                };
                Ok(id)
            }

            async fn load_can_i_deploy(
                tx: &mut Tx,
                data: &mut BrokerData,
                specified: &[SpecifiedVersion],
                target: &Target,
                ignore: &[(String, String)],
            ) -> StoreResult<()> {
                // The specified and ignored versions, then the versions in the target.
                let mut core = Ids::new();
                for s in specified {
                    let Some(pacticipant) = pacticipant_id(data, &s.pacticipant) else {
                        continue;
                    };
                    core.extend(resolve(tx, pacticipant, &s.version).await?);
                }
                let chosen = core.clone();
                for (name, number) in ignore {
                    if let Some(pacticipant) = pacticipant_id(data, name) {
                        let spec = VersionSpec::Number(number.clone());
                        core.extend(resolve(tx, pacticipant, &spec).await?);
                    }
                }
                let mut versions = core.clone();
                match target {
                    Target::SpecifiedOnly => {}
                    Target::Environment(name) => {
                        let environment = data
                            .environments
                            .iter()
                            .find(|e| &e.name == name)
                            .map(|e| e.id.0);
                        if let Some(environment) = environment {
                            load_presence(tx, data, Some(environment), true, &mut versions)
                                .await?;
                        }
                    }
                    Target::Tag(tag) => {
                        let heads: Vec<i64> = sqlx::query_scalar(
                            "SELECT MAX(t.version_id) FROM tags t \
                             JOIN versions v ON v.id = t.version_id \
                             WHERE t.name = $1 GROUP BY v.pacticipant_id",
                        )
                        .bind(tag)
                        .fetch_all(&mut **tx)
                        .await?;
                        versions.extend(heads);
                    }
                    Target::MainBranch => versions.extend(main_branch_heads(tx).await?),
                    Target::Latest => {
                        let heads: Vec<Option<i64>> = sqlx::query_scalar(
                            "SELECT (SELECT MAX(v.id) FROM versions v \
                             WHERE v.pacticipant_id = p.id) FROM pacticipants p",
                        )
                        .fetch_all(&mut **tx)
                        .await?;
                        versions.extend(heads.into_iter().flatten());
                    }
                }
                // Of the versions in the target, only counterparts matter: versions of the
                // providers the specified versions have contracts with, and versions with a
                // contract with a specified pacticipant.
                load_versions(tx, data, &versions).await?;
                let specified_ids: Ids = specified
                    .iter()
                    .filter_map(|s| pacticipant_id(data, &s.pacticipant))
                    .collect();
                let mut contents = load_publications_of(tx, data, &core).await?;
                let providers: Ids = data.publications.iter().map(|p| p.provider.0).collect();
                let others: Ids = versions.difference(&core).copied().collect();
                let mut keep = core.clone();
                if !others.is_empty() && !specified_ids.is_empty() {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.consumer_version_id");
                    push_in(&mut qb, &others);
                    qb.push(" AND pp.provider_id");
                    push_in(&mut qb, &specified_ids);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    keep.extend(rows.iter().map(|r| r.1));
                    contents.extend(add_publications(data, rows));
                }
                // Every verification of the rows' contents: each row's status (by the kept
                // versions), and the provider versions that passed a blocking row's pact (its
                // fix). Those versions come without their publications (no row reads them).
                let verifiers = load_verifications_of(tx, data, &contents, None).await?;
                let mut extra: Ids = verifiers.difference(&versions).copied().collect();
                keep.extend(&verifiers);
                // The fix of a row where a specified version is the provider and the consumer's
                // version is in the target names the consumer's versions whose pact it passes:
                // every verification by the specified versions, and the consumer versions with
                // a contract with a specified pacticipant of a content they verified, with
                // those contracts (the index keeps the latest per consumer version and
                // provider, so they are loaded together or not at all).
                let mut consumers = Ids::new();
                if *target != Target::SpecifiedOnly && !chosen.is_empty() {
                    let loaded: BTreeSet<i64> =
                        data.verifications.iter().map(|v| v.id.0).collect();
                    let mut qb = QueryBuilder::<$db>::new(VERIFICATION_SELECT);
                    qb.push("WHERE vr.provider_version_id");
                    push_in(&mut qb, &chosen);
                    qb.push(" ORDER BY vr.id");
                    let rows: Vec<VerificationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    let rows = rows.into_iter().filter(|r| !loaded.contains(&r.0)).collect();
                    add_verifications(data, rows);
                    let found =
                        consumer_versions_verified_by(tx, &chosen, Some(&specified_ids)).await?;
                    consumers.extend(found.into_iter().filter(|v| !versions.contains(v)));
                }
                extra.extend(&consumers);
                keep.extend(&extra);
                load_versions(tx, data, &extra).await?;
                for chunk in $crate::store::load::chunks(&consumers) {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.consumer_version_id");
                    push_in(&mut qb, &chunk);
                    qb.push(" AND pp.provider_id");
                    push_in(&mut qb, &specified_ids);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    add_publications(data, rows);
                }
                // A pacticipant with a version loaded for a fix keeps all its versions in the
                // target, so that its latest version (with a tag, on its main branch) stays
                // the target's.
                let with_extra: Ids = data
                    .versions
                    .iter()
                    .filter(|v| extra.contains(&v.id.0))
                    .map(|v| v.pacticipant.0)
                    .collect();
                for v in &data.versions {
                    let p = v.pacticipant.0;
                    let counterpart = providers.contains(&p)
                        || specified_ids.contains(&p)
                        || with_extra.contains(&p);
                    if others.contains(&v.id.0) && counterpart {
                        keep.insert(v.id.0);
                    }
                }
                data.versions.retain(|v| keep.contains(&v.id.0));
                data.deployed_versions.retain(|d| keep.contains(&d.version.0));
                data.released_versions.retain(|r| keep.contains(&r.version.0));
                let kept: BTreeSet<i64> = data.versions.iter().map(|v| v.id.0).collect();
                data.verifications.retain(|v| kept.contains(&v.provider_version.0));
                load_branches(tx, data, Some(&specified_ids)).await?;
                Ok(())
            }

            /// Current (or, with `current` false, all) deployments and releases, in one
            /// environment or all; their versions join `versions`.
            async fn load_presence(
                tx: &mut Tx,
                data: &mut BrokerData,
                environment: Option<i64>,
                current: bool,
                versions: &mut Ids,
            ) -> StoreResult<()> {
                // Separate statements per case, so that each can use the partial indexes of
                // current deployments and releases per environment.
                let deployed_sql = format!(
                    "SELECT version_id, environment_id, application_instance, created_at, \
                     undeployed_at FROM deployed_versions{} ORDER BY id",
                    $crate::store::load::record_filter(environment.is_some(), current, "undeployed_at")
                );
                let mut query = sqlx::query_as(&deployed_sql);
                if let Some(environment) = environment {
                    query = query.bind(environment);
                }
                let deployed: Vec<(i64, i64, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)> =
                    query.fetch_all(&mut **tx).await?;
                for (version, environment, application_instance, deployed_at, undeployed_at) in
                    deployed
                {
                    versions.insert(version);
                    data.deployed_versions.push(DeployedVersion {
                        version: VersionId(version),
                        environment: EnvironmentId(environment),
                        application_instance,
                        currently_deployed: undeployed_at.is_none(),
                        deployed_at,
                        undeployed_at,
                    });
                }
                let released_sql = format!(
                    "SELECT version_id, environment_id, created_at, support_ended_at \
                     FROM released_versions{} ORDER BY id",
                    $crate::store::load::record_filter(environment.is_some(), current, "support_ended_at")
                );
                let mut query = sqlx::query_as(&released_sql);
                if let Some(environment) = environment {
                    query = query.bind(environment);
                }
                let released: Vec<(i64, i64, DateTime<Utc>, Option<DateTime<Utc>>)> =
                    query.fetch_all(&mut **tx).await?;
                for (version, environment, released_at, support_ended_at) in released {
                    versions.insert(version);
                    data.released_versions.push(ReleasedVersion {
                        version: VersionId(version),
                        environment: EnvironmentId(environment),
                        currently_supported: support_ended_at.is_none(),
                        released_at,
                        support_ended_at,
                    });
                }
                Ok(())
            }

            type PublicationRow = (i64, i64, i64, i64, String, DateTime<Utc>);

            fn add_publications(data: &mut BrokerData, rows: Vec<PublicationRow>) -> Ids {
                let mut contents = Ids::new();
                for (id, consumer_version, provider, content_id, sha, created_at) in rows {
                    contents.insert(content_id);
                    data.publications.push(Publication {
                        id: PublicationId(id),
                        consumer_version: VersionId(consumer_version),
                        provider: PacticipantId(provider),
                        content_sha: sha,
                        created_at,
                    });
                }
                contents
            }

            const PUBLICATION_SELECT: &str =
                "SELECT pp.id, pp.consumer_version_id, pp.provider_id, pp.content_id, pc.sha, \
                 pp.updated_at FROM pact_publications pp \
                 JOIN pact_contents pc ON pc.id = pp.content_id ";

            /// Publications of these consumer versions; returns their content ids.
            async fn load_publications_of(
                tx: &mut Tx,
                data: &mut BrokerData,
                versions: &Ids,
            ) -> StoreResult<Ids> {
                let mut contents = Ids::new();
                for chunk in $crate::store::load::chunks(versions) {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.consumer_version_id");
                    push_in(&mut qb, &chunk);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    contents.extend(add_publications(data, rows));
                }
                Ok(contents)
            }

            /// The consumer versions with a contract (with one of `providers`, when given) of a
            /// content one of these provider versions verified: whose pacts a fix can name.
            /// (Two statements: as one, PostgreSQL scans every publication.)
            async fn consumer_versions_verified_by(
                tx: &mut Tx,
                provider_versions: &Ids,
                providers: Option<&Ids>,
            ) -> StoreResult<Ids> {
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT DISTINCT content_id FROM verifications WHERE provider_version_id",
                );
                push_in(&mut qb, provider_versions);
                let verified: Vec<i64> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
                let mut consumers = Ids::new();
                for chunk in $crate::store::load::chunks(&verified.into_iter().collect()) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "SELECT DISTINCT consumer_version_id FROM pact_publications WHERE content_id",
                    );
                    push_in(&mut qb, &chunk);
                    if let Some(providers) = providers {
                        qb.push(" AND provider_id");
                        push_in(&mut qb, providers);
                    }
                    let found: Vec<i64> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
                    consumers.extend(found);
                }
                Ok(consumers)
            }

            type VerificationRow =
                (i64, i64, String, i64, Option<String>, bool, DateTime<Utc>, bool);

            fn add_verifications(data: &mut BrokerData, rows: Vec<VerificationRow>) -> Ids {
                let mut provider_versions = Ids::new();
                for (id, number, sha, provider_version, provider_branch, success, verified_at, wip) in
                    rows
                {
                    provider_versions.insert(provider_version);
                    data.verifications.push(Verification {
                        id: VerificationId(id),
                        number,
                        content_sha: sha,
                        provider_version: VersionId(provider_version),
                        provider_branch,
                        success,
                        verified_at,
                        wip,
                    });
                }
                provider_versions
            }

            const VERIFICATION_SELECT: &str =
                "SELECT vr.id, vr.number, pc.sha, vr.provider_version_id, vr.provider_branch, vr.success, \
                 vr.created_at, vr.wip FROM verifications vr \
                 JOIN pact_contents pc ON pc.id = vr.content_id ";

            /// Verifications of these contents (by these provider versions only, when given);
            /// returns the verifying provider versions.
            async fn load_verifications_of(
                tx: &mut Tx,
                data: &mut BrokerData,
                contents: &Ids,
                by: Option<&Ids>,
            ) -> StoreResult<Ids> {
                if contents.is_empty() || by.is_some_and(BTreeSet::is_empty) {
                    return Ok(Ids::new());
                }
                let mut qb = QueryBuilder::<$db>::new(VERIFICATION_SELECT);
                qb.push("WHERE vr.content_id");
                push_in(&mut qb, contents);
                if let Some(by) = by {
                    qb.push(" AND vr.provider_version_id");
                    push_in(&mut qb, by);
                }
                qb.push(" ORDER BY vr.id");
                let rows: Vec<VerificationRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
                Ok(add_verifications(data, rows))
            }

            type VersionRow = (i64, i64, String, DateTime<Utc>);

            /// These versions, with their branches and tags (`None`: every version).
            async fn load_versions_where(
                tx: &mut Tx,
                data: &mut BrokerData,
                versions: Option<&Ids>,
            ) -> StoreResult<()> {
                if versions.is_some_and(BTreeSet::is_empty) {
                    return Ok(());
                }
                let filter = |qb: &mut QueryBuilder<'_, $db>, column: &str| {
                    if let Some(ids) = versions {
                        qb.push(" WHERE ");
                        qb.push(column);
                        push_in(qb, ids);
                    }
                };
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT id, pacticipant_id, number, created_at FROM versions",
                );
                filter(&mut qb, "id");
                qb.push(" ORDER BY id");
                let rows: Vec<VersionRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT bv.version_id, b.name FROM branch_versions bv \
                     JOIN branches b ON b.id = bv.branch_id",
                );
                filter(&mut qb, "bv.version_id");
                qb.push(" ORDER BY bv.id");
                let branch_rows: Vec<(i64, String)> =
                    qb.build_query_as().fetch_all(&mut **tx).await?;
                let mut qb = QueryBuilder::<$db>::new("SELECT version_id, name FROM tags");
                filter(&mut qb, "version_id");
                qb.push(" ORDER BY id");
                let tag_rows: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
                let mut branches: HashMap<i64, Vec<String>> = HashMap::new();
                for (version, name) in branch_rows {
                    branches.entry(version).or_default().push(name);
                }
                let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
                for (version, name) in tag_rows {
                    tags.entry(version).or_default().push(name);
                }
                data.versions.extend(rows.into_iter().map(
                    |(id, pacticipant, number, created_at)| Version {
                        id: VersionId(id),
                        pacticipant: PacticipantId(pacticipant),
                        number,
                        order: id,
                        created_at,
                        branches: branches.remove(&id).unwrap_or_default(),
                        tags: tags.remove(&id).unwrap_or_default(),
                    },
                ));
                Ok(())
            }

            async fn load_versions(
                tx: &mut Tx,
                data: &mut BrokerData,
                versions: &Ids,
            ) -> StoreResult<()> {
                for chunk in $crate::store::load::chunks(versions) {
                    load_versions_where(tx, data, Some(&chunk)).await?;
                }
                Ok(())
            }

            /// Branch records (creation times) of these pacticipants (`None`: all).
            async fn load_branches(
                tx: &mut Tx,
                data: &mut BrokerData,
                pacticipants: Option<&Ids>,
            ) -> StoreResult<()> {
                if pacticipants.is_some_and(BTreeSet::is_empty) {
                    return Ok(());
                }
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT pacticipant_id, name, created_at FROM branches",
                );
                if let Some(ids) = pacticipants {
                    qb.push(" WHERE pacticipant_id");
                    push_in(&mut qb, ids);
                }
                qb.push(" ORDER BY id");
                let rows: Vec<(i64, String, DateTime<Utc>)> =
                    qb.build_query_as().fetch_all(&mut **tx).await?;
                data.branches
                    .extend(rows.into_iter().map(|(pacticipant, name, created_at)| Branch {
                        pacticipant: PacticipantId(pacticipant),
                        name,
                        created_at,
                    }));
                Ok(())
            }

            async fn load_integrations(
                tx: &mut Tx,
                data: &mut BrokerData,
                names: &[String],
            ) -> StoreResult<()> {
                let pacticipants: Ids = names
                    .iter()
                    .filter_map(|n| pacticipant_id(data, n))
                    .collect();
                let mut versions = Ids::new();
                load_presence(tx, data, None, true, &mut versions).await?;
                let mut contents = Ids::new();
                if !pacticipants.is_empty() {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.provider_id");
                    push_in(&mut qb, &pacticipants);
                    qb.push(
                        " UNION SELECT pp.id, pp.consumer_version_id, pp.provider_id, \
                         pp.content_id, pc.sha, pp.updated_at FROM pact_publications pp \
                         JOIN pact_contents pc ON pc.id = pp.content_id \
                         JOIN versions cv ON cv.id = pp.consumer_version_id \
                         WHERE cv.pacticipant_id",
                    );
                    push_in(&mut qb, &pacticipants);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    versions.extend(rows.iter().map(|r| r.1));
                    contents = add_publications(data, rows);
                }
                // The versions in an environment may have other publications; load those of
                // the versions not covered above so each loaded version is complete.
                let covered: BTreeSet<i64> =
                    data.publications.iter().map(|p| p.consumer_version.0).collect();
                let rest: Ids = versions.difference(&covered).copied().collect();
                let rest_contents = load_publications_of(tx, data, &rest).await?;
                contents.extend(rest_contents);
                let verifiers = load_verifications_of(tx, data, &contents, None).await?;
                versions.extend(verifiers);
                load_versions(tx, data, &versions).await?;
                let with_versions: Ids = data.versions.iter().map(|v| v.pacticipant.0).collect();
                load_branches(tx, data, Some(&with_versions)).await?;
                Ok(())
            }

            async fn load_for_verification(
                tx: &mut Tx,
                data: &mut BrokerData,
                provider: &str,
                tags: &[String],
            ) -> StoreResult<()> {
                let Some(provider) = pacticipant_id(data, provider) else {
                    return Ok(());
                };
                let mut versions = Ids::new();
                load_presence(tx, data, None, true, &mut versions).await?;
                // Heads of the consumers' versions with a contract with the provider: overall,
                // per branch and per tag.
                for sql in [
                    "SELECT MAX(pp.consumer_version_id) FROM pact_publications pp \
                     JOIN versions cv ON cv.id = pp.consumer_version_id \
                     WHERE pp.provider_id = $1 GROUP BY cv.pacticipant_id",
                    "SELECT MAX(pp.consumer_version_id) FROM pact_publications pp \
                     JOIN branch_versions bv ON bv.version_id = pp.consumer_version_id \
                     WHERE pp.provider_id = $1 GROUP BY bv.branch_id",
                    "SELECT MAX(pp.consumer_version_id) FROM pact_publications pp \
                     JOIN tags t ON t.version_id = pp.consumer_version_id \
                     JOIN versions cv ON cv.id = pp.consumer_version_id \
                     WHERE pp.provider_id = $1 GROUP BY cv.pacticipant_id, t.name",
                ] {
                    let heads: Vec<i64> = sqlx::query_scalar(sql)
                        .bind(provider)
                        .fetch_all(&mut **tx)
                        .await?;
                    versions.extend(heads);
                }
                for tag in tags {
                    let tagged: Vec<i64> = sqlx::query_scalar(
                        "SELECT pp.consumer_version_id FROM pact_publications pp \
                         JOIN tags t ON t.version_id = pp.consumer_version_id \
                         WHERE pp.provider_id = $1 AND t.name = $2",
                    )
                    .bind(provider)
                    .bind(tag)
                    .fetch_all(&mut **tx)
                    .await?;
                    versions.extend(tagged);
                    let first: Option<i64> = sqlx::query_scalar(
                        "SELECT MIN(t.version_id) FROM tags t \
                         JOIN versions v ON v.id = t.version_id \
                         WHERE t.name = $2 AND v.pacticipant_id = $1",
                    )
                    .bind(provider)
                    .bind(tag)
                    .fetch_one(&mut **tx)
                    .await?;
                    versions.extend(first);
                }
                // Only contracts with this provider matter to its verification; publications of
                // the same contents by other consumer versions come too (a content belongs to
                // one integration, so they are this provider's).
                let mut contents = Ids::new();
                if !versions.is_empty() {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.provider_id = ");
                    qb.push_bind(provider);
                    qb.push(" AND pp.consumer_version_id");
                    push_in(&mut qb, &versions);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    contents = add_publications(data, rows);
                }
                if !contents.is_empty() {
                    let mut qb = QueryBuilder::<$db>::new(PUBLICATION_SELECT);
                    qb.push("WHERE pp.provider_id = ");
                    qb.push_bind(provider);
                    qb.push(" AND pp.content_id");
                    push_in(&mut qb, &contents);
                    let rows: Vec<PublicationRow> =
                        qb.build_query_as().fetch_all(&mut **tx).await?;
                    let rows: Vec<PublicationRow> =
                        rows.into_iter().filter(|r| !versions.contains(&r.1)).collect();
                    versions.extend(rows.iter().map(|r| r.1));
                    add_publications(data, rows);
                }
                let verifiers = load_verifications_of(tx, data, &contents, None).await?;
                versions.extend(verifiers);
                load_versions(tx, data, &versions).await?;
                let with_versions: Ids = data.versions.iter().map(|v| v.pacticipant.0).collect();
                load_branches(tx, data, Some(&with_versions)).await?;
                Ok(())
            }

            /// The content summaries of these contents (the graph's edge labels); damaged
            /// ones are skipped, as by `Store::content_summaries`.
            async fn load_summaries(
                tx: &mut Tx,
                data: &mut BrokerData,
                contents: &Ids,
            ) -> StoreResult<()> {
                if contents.is_empty() {
                    return Ok(());
                }
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT pc.sha, s.http_interactions, s.message_interactions, s.fields \
                     FROM content_summaries s JOIN pact_contents pc ON pc.id = s.content_id \
                     WHERE s.content_id",
                );
                push_in(&mut qb, contents);
                let rows: Vec<(String, i64, i64, String)> =
                    qb.build_query_as().fetch_all(&mut **tx).await?;
                for (sha, http, message, fields) in rows {
                    match $crate::store::sql::summary_record(sha, http, message, &fields) {
                        Some(record) => data.content_summaries.push(record.to_domain()),
                        None => tracing::warn!("a stored content summary is damaged; skipped"),
                    }
                }
                Ok(())
            }

            /// The latest version on each pacticipant's main branch (creation order = id).
            async fn main_branch_heads(tx: &mut Tx) -> StoreResult<Ids> {
                // One index probe per main branch (the newest entry of the branch), rather
                // than grouping every version on every main branch.
                let heads: Vec<Option<i64>> = sqlx::query_scalar(
                    "SELECT (SELECT MAX(bv.version_id) FROM branch_versions bv \
                     WHERE bv.branch_id = b.id) FROM branches b \
                     JOIN pacticipants p ON p.id = b.pacticipant_id \
                     WHERE b.name = p.main_branch",
                )
                .fetch_all(&mut **tx)
                .await?;
                Ok(heads.into_iter().flatten().collect())
            }

            /// What the coupling report reads (see [`DataRequest::Coupling`]).
            async fn load_coupling(
                tx: &mut Tx,
                data: &mut BrokerData,
                environment: Option<&str>,
            ) -> StoreResult<()> {
                // The main-branch heads make the graph without an environment, and are the
                // lockstep candidates with one.
                let heads = main_branch_heads(tx).await?;
                let environment = environment
                    .and_then(|name| data.environments.iter().find(|e| e.name == name))
                    .map(|e| e.id.0);
                let Some(environment) = environment else {
                    // No environment (an unknown one is refused by the report itself).
                    let contents = load_publications_of(tx, data, &heads).await?;
                    load_versions(tx, data, &heads).await?;
                    return load_summaries(tx, data, &contents).await;
                };
                // The whole history of the environment (co-deployment); its current records
                // are the graph's versions and every lockstep question's counterparts.
                let mut versions = Ids::new();
                load_presence(tx, data, Some(environment), false, &mut versions).await?;
                let current = data
                    .deployed_versions
                    .iter()
                    .filter(|d| d.currently_deployed)
                    .map(|d| d.version.0)
                    .chain(
                        data.released_versions
                            .iter()
                            .filter(|r| r.currently_supported)
                            .map(|r| r.version.0),
                    );
                let core: Ids = current.chain(heads.iter().copied()).collect();
                versions.extend(&core);
                let contents = load_publications_of(tx, data, &core).await?;
                if heads.is_empty() {
                    // No candidates: no lockstep question, no row to check.
                    load_versions(tx, data, &versions).await?;
                    return load_summaries(tx, data, &contents).await;
                }
                // Every verification of the rows' contents: each row's status, and the provider
                // versions that passed a blocking row's pact (its fix). Every verification by a
                // head: the consumer versions whose pact a head passes (the fix of a row where
                // the head is the provider).
                let mut qb = QueryBuilder::<$db>::new(VERIFICATION_SELECT);
                qb.push("WHERE vr.provider_version_id");
                push_in(&mut qb, &heads);
                if !contents.is_empty() {
                    qb.push(" OR vr.content_id");
                    push_in(&mut qb, &contents);
                }
                qb.push(" ORDER BY vr.id");
                let rows: Vec<VerificationRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
                versions.extend(add_verifications(data, rows));
                // The consumer versions with a contract of a content a head verified, with all
                // their publications (the index keeps the latest per consumer version and
                // provider, so a version's publications are loaded together or not at all).
                let mut rest = consumer_versions_verified_by(tx, &heads, None).await?;
                rest.retain(|v| !core.contains(v));
                load_publications_of(tx, data, &rest).await?;
                versions.extend(rest);
                load_versions(tx, data, &versions).await?;
                load_summaries(tx, data, &contents).await
            }

            async fn load_all(tx: &mut Tx, data: &mut BrokerData) -> StoreResult<()> {
                load_versions_where(tx, data, None).await?;
                load_branches(tx, data, None).await?;
                let rows: Vec<PublicationRow> = sqlx::query_as(&format!(
                    "{PUBLICATION_SELECT} ORDER BY pp.id"
                ))
                .fetch_all(&mut **tx)
                .await?;
                add_publications(data, rows);
                let rows: Vec<VerificationRow> = sqlx::query_as(&format!(
                    "{VERIFICATION_SELECT} ORDER BY vr.id"
                ))
                .fetch_all(&mut **tx)
                .await?;
                add_verifications(data, rows);
                let mut ignored = Ids::new();
                load_presence(tx, data, None, false, &mut ignored).await?;
                Ok(())
            }
        }
    };
}

pub(super) use impl_loader;

/// The `WHERE` clause of a deployment or release query: by environment (bound as `$1`) and/or
/// only the records whose `ended_column` is still null (currently deployed or supported).
pub(crate) fn record_filter(
    by_environment: bool,
    current_only: bool,
    ended_column: &str,
) -> String {
    match (by_environment, current_only) {
        (true, true) => format!(" WHERE environment_id = $1 AND {ended_column} IS NULL"),
        (false, true) => format!(" WHERE {ended_column} IS NULL"),
        (true, false) => " WHERE environment_id = $1".to_owned(),
        (false, false) => String::new(),
    }
}
