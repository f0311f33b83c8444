//! The store's SQL, written once for both backends.
//!
//! SQLite and PostgreSQL accept the same statements here: `$N` parameters, `RETURNING`,
//! `ON CONFLICT .. DO NOTHING`, partial unique indexes. Timestamps are bound from Rust (UTC,
//! microseconds) so both databases hold the same values. `impl_store!` expands the [`Store`]
//! implementation for a concrete `sqlx` database; the suite in `tests/store.rs` runs every
//! method on both.
//!
//! [`Store`]: super::Store

use chrono::{DateTime, SubsecRound, Utc};

use super::StoreError;

/// The current time as stored: UTC, microsecond precision (PostgreSQL's resolution).
pub(super) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Turns a unique-constraint violation into a `Conflict` naming `what`.
pub(super) fn conflict_on_unique(error: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict { what: what() }
        }
        _ => StoreError::Backend(error),
    }
}

/// What a content holds, as stored in `content_summaries`: (HTTP interactions, message
/// interactions, fields as a JSON array). `None` when the bytes do not parse as a contract:
/// such content is still stored and served, it only has no summary.
pub(super) fn summary_of(sha: &str, bytes: &[u8]) -> Option<(i64, i64, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let contract = accord_contracts_format::parse_contract(text).ok()?;
    let summary = crate::domain::summarise_contract(sha, &contract);
    let fields = serde_json::to_string(&summary.fields).ok()?;
    Some((
        i64::from(summary.http_interactions),
        i64::from(summary.message_interactions),
        fields,
    ))
}

/// A stored summary row back into a record; `None` when the row is damaged.
pub(super) fn summary_record(
    sha: String,
    http: i64,
    message: i64,
    fields: &str,
) -> Option<super::ContentSummaryRecord> {
    Some(super::ContentSummaryRecord {
        sha,
        http_interactions: u32::try_from(http).ok()?,
        message_interactions: u32::try_from(message).ok()?,
        fields: serde_json::from_str(fields).ok()?,
    })
}

/// Branch names that become a pacticipant's main branch when it has none yet.
pub(super) const MAIN_BRANCH_CANDIDATES: [&str; 3] = ["develop", "main", "master"];

macro_rules! pacticipant_select {
    () => {
        "SELECT id, name, display_name, repository_url, repository_name, repository_namespace, \
         main_branch, created_at, updated_at FROM pacticipants "
    };
}

macro_rules! version_select {
    () => {
        "SELECT v.id, p.name AS pacticipant_name, v.number, v.build_url, v.created_at, \
         v.updated_at FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id "
    };
}

macro_rules! branch_version_select {
    () => {
        "SELECT p.name AS pacticipant_name, b.name AS branch_name, v.number AS version_number, \
         bv.created_at FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id \
         JOIN versions v ON v.id = bv.version_id JOIN pacticipants p ON p.id = b.pacticipant_id "
    };
}

macro_rules! tag_select {
    () => {
        "SELECT p.name AS pacticipant_name, v.number AS version_number, t.name, t.created_at \
         FROM tags t JOIN versions v ON v.id = t.version_id \
         JOIN pacticipants p ON p.id = v.pacticipant_id "
    };
}

macro_rules! pact_select {
    () => {
        "SELECT pp.id, c.name AS consumer_name, pr.name AS provider_name, \
         cv.id AS consumer_version_id, cv.number AS consumer_version_number, pc.sha, \
         pp.updated_at AS created_at \
         FROM pact_publications pp JOIN versions cv ON cv.id = pp.consumer_version_id \
         JOIN pacticipants c ON c.id = cv.pacticipant_id \
         JOIN pacticipants pr ON pr.id = pp.provider_id \
         JOIN pact_contents pc ON pc.id = pp.content_id "
    };
}

macro_rules! verification_select {
    () => {
        "SELECT vr.id, vr.number, pc.sha, c.name AS consumer_name, p.name AS provider_name, \
         pv.number AS provider_version_number, vr.success, vr.build_url, vr.test_results, \
         vr.verified_by, vr.created_at FROM verifications vr \
         JOIN pact_contents pc ON pc.id = vr.content_id \
         JOIN pacticipants c ON c.id = vr.consumer_id \
         JOIN pacticipants p ON p.id = vr.provider_id \
         JOIN versions pv ON pv.id = vr.provider_version_id "
    };
}

macro_rules! environment_select {
    () => {
        "SELECT id, uuid, name, display_name, production, contacts, created_at, updated_at \
         FROM environments "
    };
}

macro_rules! deployed_select {
    () => {
        "SELECT d.uuid, p.name AS pacticipant_name, v.number AS version_number, \
         e.uuid AS environment_uuid, e.name AS environment_name, d.application_instance, \
         d.created_at, d.undeployed_at FROM deployed_versions d \
         JOIN pacticipants p ON p.id = d.pacticipant_id JOIN versions v ON v.id = d.version_id \
         JOIN environments e ON e.id = d.environment_id "
    };
}

macro_rules! released_select {
    () => {
        "SELECT r.uuid, p.name AS pacticipant_name, v.number AS version_number, \
         e.uuid AS environment_uuid, e.name AS environment_name, r.created_at, \
         r.support_ended_at FROM released_versions r \
         JOIN pacticipants p ON p.id = r.pacticipant_id JOIN versions v ON v.id = r.version_id \
         JOIN environments e ON e.id = r.environment_id "
    };
}

/// Expands the `Store` implementation for `$store`, whose `pool` field is a pool of `$db` and
/// which has `async fn write_tx(&self) -> Result<Transaction<'static, $db>, sqlx::Error>`.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        use $crate::store::sql::{
            conflict_on_unique, now, summary_of, summary_record, MAIN_BRANCH_CANDIDATES,
        };
        use $crate::store::{
            Branch, BranchVersion, ContentSummaryRecord, ContractOutcome, DeployedVersion, Environment,
            EnvironmentFields, NewVerification, PactContent, PactFilter, PactRow, PactSelector,
            Pacticipant, PacticipantFields, Publication, PublicationResult, ReleasedVersion,
            Store, StoreError, StoreResult, Tag, UpdateMode, Verification, Version,
            VersionDetail,
        };

        type Conn = <$db as sqlx::Database>::Connection;

        async fn find_pacticipant(c: &mut Conn, name: &str) -> StoreResult<Option<Pacticipant>> {
            Ok(
                sqlx::query_as::<_, Pacticipant>(concat!(pacticipant_select!(), "WHERE name = $1"))
                    .bind(name)
                    .fetch_optional(&mut *c)
                    .await?,
            )
        }

        async fn require_pacticipant(c: &mut Conn, name: &str) -> StoreResult<Pacticipant> {
            find_pacticipant(c, name)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("pacticipant \"{name}\"")))
        }

        async fn ensure_pacticipant(c: &mut Conn, name: &str) -> StoreResult<Pacticipant> {
            let at = now();
            sqlx::query(
                "INSERT INTO pacticipants (name, created_at, updated_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(at)
            .execute(&mut *c)
            .await?;
            require_pacticipant(c, name).await
        }

        async fn find_version(
            c: &mut Conn,
            pacticipant: &str,
            number: &str,
        ) -> StoreResult<Option<Version>> {
            Ok(sqlx::query_as::<_, Version>(concat!(
                version_select!(),
                "WHERE p.name = $1 AND v.number = $2"
            ))
            .bind(pacticipant)
            .bind(number)
            .fetch_optional(&mut *c)
            .await?)
        }

        async fn require_version(
            c: &mut Conn,
            pacticipant: &str,
            number: &str,
        ) -> StoreResult<Version> {
            require_pacticipant(c, pacticipant).await?;
            find_version(c, pacticipant, number).await?.ok_or_else(|| {
                StoreError::not_found(format!("version \"{number}\" of pacticipant \"{pacticipant}\""))
            })
        }

        /// Creates the version when missing; `true` when created.
        async fn ensure_version(
            c: &mut Conn,
            pacticipant: &Pacticipant,
            number: &str,
        ) -> StoreResult<(Version, bool)> {
            let at = now();
            let inserted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO versions (pacticipant_id, number, created_at, updated_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT (pacticipant_id, number) DO NOTHING \
                 RETURNING id",
            )
            .bind(pacticipant.id)
            .bind(number)
            .bind(at)
            .fetch_optional(&mut *c)
            .await?;
            let version = find_version(c, &pacticipant.name, number)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("version \"{number}\"")))?;
            Ok((version, inserted.is_some()))
        }

        async fn set_build_url(c: &mut Conn, version_id: i64, build_url: &str) -> StoreResult<()> {
            sqlx::query("UPDATE versions SET build_url = $2, updated_at = $3 WHERE id = $1")
                .bind(version_id)
                .bind(build_url)
                .bind(now())
                .execute(&mut *c)
                .await?;
            Ok(())
        }

        /// Puts a version on a branch (creating the branch); `true` when newly added.
        async fn add_to_branch(
            c: &mut Conn,
            pacticipant: &Pacticipant,
            version_id: i64,
            branch: &str,
        ) -> StoreResult<bool> {
            let at = now();
            sqlx::query(
                "INSERT INTO branches (pacticipant_id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (pacticipant_id, name) DO NOTHING",
            )
            .bind(pacticipant.id)
            .bind(branch)
            .bind(at)
            .execute(&mut *c)
            .await?;
            let branch_id: i64 = sqlx::query_scalar(
                "SELECT id FROM branches WHERE pacticipant_id = $1 AND name = $2",
            )
            .bind(pacticipant.id)
            .bind(branch)
            .fetch_one(&mut *c)
            .await?;
            let added = sqlx::query(
                "INSERT INTO branch_versions (branch_id, version_id, created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (branch_id, version_id) DO NOTHING",
            )
            .bind(branch_id)
            .bind(version_id)
            .bind(at)
            .execute(&mut *c)
            .await?
            .rows_affected()
                > 0;
            if MAIN_BRANCH_CANDIDATES.contains(&branch) {
                sqlx::query(
                    "UPDATE pacticipants SET main_branch = $2, updated_at = $3 \
                     WHERE id = $1 AND main_branch IS NULL",
                )
                .bind(pacticipant.id)
                .bind(branch)
                .bind(at)
                .execute(&mut *c)
                .await?;
            }
            Ok(added)
        }

        /// Tags a version; `true` when the tag is new.
        async fn add_tag(c: &mut Conn, version_id: i64, tag: &str) -> StoreResult<bool> {
            Ok(sqlx::query(
                "INSERT INTO tags (version_id, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (version_id, name) DO NOTHING",
            )
            .bind(version_id)
            .bind(tag)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
                > 0)
        }

        async fn version_detail(c: &mut Conn, version: Version) -> StoreResult<VersionDetail> {
            let pacticipant = require_pacticipant(c, &version.pacticipant_name).await?;
            let branches = sqlx::query_as::<_, BranchVersion>(concat!(
                branch_version_select!(),
                "WHERE bv.version_id = $1 ORDER BY bv.id"
            ))
            .bind(version.id)
            .fetch_all(&mut *c)
            .await?;
            let tags = sqlx::query_as::<_, Tag>(concat!(
                tag_select!(),
                "WHERE t.version_id = $1 ORDER BY t.id"
            ))
            .bind(version.id)
            .fetch_all(&mut *c)
            .await?;
            let deployments = sqlx::query_as::<_, DeployedVersion>(concat!(
                deployed_select!(),
                "WHERE d.version_id = $1 ORDER BY d.id"
            ))
            .bind(version.id)
            .fetch_all(&mut *c)
            .await?;
            let releases = sqlx::query_as::<_, ReleasedVersion>(concat!(
                released_select!(),
                "WHERE r.version_id = $1 ORDER BY r.id"
            ))
            .bind(version.id)
            .fetch_all(&mut *c)
            .await?;
            Ok(VersionDetail { version, pacticipant, branches, tags, deployments, releases })
        }

        async fn require_branch(c: &mut Conn, pacticipant: &str, branch: &str) -> StoreResult<Branch> {
            require_pacticipant(c, pacticipant).await?;
            sqlx::query_as::<_, Branch>(
                "SELECT b.id, p.name AS pacticipant_name, b.name, b.created_at FROM branches b \
                 JOIN pacticipants p ON p.id = b.pacticipant_id WHERE p.name = $1 AND b.name = $2",
            )
            .bind(pacticipant)
            .bind(branch)
            .fetch_optional(&mut *c)
            .await?
            .ok_or_else(|| {
                StoreError::not_found(format!("branch \"{branch}\" of pacticipant \"{pacticipant}\""))
            })
        }

        async fn pact_row(c: &mut Conn, id: i64) -> StoreResult<PactRow> {
            Ok(sqlx::query_as::<_, PactRow>(concat!(pact_select!(), "WHERE pp.id = $1"))
                .bind(id)
                .fetch_one(&mut *c)
                .await?)
        }

        /// Stores the contract of a consumer version with a provider, enforcing immutability.
        async fn store_pact(
            c: &mut Conn,
            consumer: &Pacticipant,
            consumer_version: &Version,
            provider: &Pacticipant,
            content: &PactContent,
            allow_modification: bool,
        ) -> StoreResult<(PactRow, ContractOutcome)> {
            let at = now();
            let inserted = sqlx::query(
                "INSERT INTO pact_contents (sha, content, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (sha) DO NOTHING",
            )
            .bind(&content.sha)
            .bind(&content.bytes)
            .bind(at)
            .execute(&mut *c)
            .await?
            .rows_affected();
            let content_id: i64 = sqlx::query_scalar("SELECT id FROM pact_contents WHERE sha = $1")
                .bind(&content.sha)
                .fetch_one(&mut *c)
                .await?;
            if inserted > 0 {
                store_summary(c, content_id, &content.sha, &content.bytes).await?;
            }
            let existing: Option<(i64, i64)> = sqlx::query_as(
                "SELECT id, content_id FROM pact_publications \
                 WHERE consumer_version_id = $1 AND provider_id = $2",
            )
            .bind(consumer_version.id)
            .bind(provider.id)
            .fetch_optional(&mut *c)
            .await?;
            let (id, outcome) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO pact_publications \
                         (consumer_version_id, provider_id, content_id, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $4) RETURNING id",
                    )
                    .bind(consumer_version.id)
                    .bind(provider.id)
                    .bind(content_id)
                    .bind(at)
                    .fetch_one(&mut *c)
                    .await?;
                    (id, ContractOutcome::Created)
                }
                Some((id, stored)) if stored == content_id => (id, ContractOutcome::Unchanged),
                Some((id, _)) if allow_modification => {
                    sqlx::query(
                        "UPDATE pact_publications SET content_id = $2, updated_at = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(content_id)
                    .bind(at)
                    .execute(&mut *c)
                    .await?;
                    (id, ContractOutcome::Replaced)
                }
                Some(_) => {
                    return Err(StoreError::Conflict {
                        what: format!(
                            "a contract with different content is already published for version \
                             \"{}\" of consumer \"{}\" with provider \"{}\"; publish the changed \
                             contract with a new consumer version",
                            consumer_version.number, consumer.name, provider.name
                        ),
                    });
                }
            };
            Ok((pact_row(c, id).await?, outcome))
        }

        /// Stores the summary of a content (nothing when it does not parse as a contract).
        async fn store_summary(c: &mut Conn, content_id: i64, sha: &str, bytes: &[u8]) -> StoreResult<bool> {
            let Some((http, message, fields)) = summary_of(sha, bytes) else {
                return Ok(false);
            };
            sqlx::query(
                "INSERT INTO content_summaries \
                 (content_id, http_interactions, message_interactions, fields, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (content_id) DO NOTHING",
            )
            .bind(content_id)
            .bind(http)
            .bind(message)
            .bind(fields)
            .bind(now())
            .execute(&mut *c)
            .await?;
            Ok(true)
        }

        async fn delete_orphan_contents(c: &mut Conn) -> StoreResult<()> {
            sqlx::query(
                "DELETE FROM pact_contents WHERE id NOT IN (SELECT content_id FROM pact_publications) \
                 AND id NOT IN (SELECT content_id FROM verifications)",
            )
            .execute(&mut *c)
            .await?;
            Ok(())
        }

        async fn require_environment(c: &mut Conn, uuid: &str) -> StoreResult<Environment> {
            sqlx::query_as::<_, Environment>(concat!(environment_select!(), "WHERE uuid = $1"))
                .bind(uuid)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("environment \"{uuid}\"")))
        }

        async fn deployed_by_uuid(c: &mut Conn, uuid: &str) -> StoreResult<DeployedVersion> {
            sqlx::query_as::<_, DeployedVersion>(concat!(deployed_select!(), "WHERE d.uuid = $1"))
                .bind(uuid)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("deployed version \"{uuid}\"")))
        }

        async fn released_by_uuid(c: &mut Conn, uuid: &str) -> StoreResult<ReleasedVersion> {
            sqlx::query_as::<_, ReleasedVersion>(concat!(released_select!(), "WHERE r.uuid = $1"))
                .bind(uuid)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| StoreError::not_found(format!("released version \"{uuid}\"")))
        }

        fn new_uuid() -> String {
            uuid::Uuid::new_v4().to_string()
        }

        impl Store for $store {
            async fn load_broker_data(
                &self,
                request: &$crate::store::LoadRequest,
            ) -> StoreResult<$crate::store::LoadedData> {
                Ok($crate::store::LoadedData(loader::load_data(&self.pool, &request.0).await?))
            }

            async fn load_broker_data_all(&self) -> StoreResult<$crate::store::LoadedData> {
                self.load_broker_data(&$crate::store::LoadRequest::all()).await
            }

            async fn verification_test_results(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
                loader::load_test_results(&self.pool, ids).await
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn create_pacticipant(
                &self,
                name: &str,
                fields: PacticipantFields,
            ) -> StoreResult<Pacticipant> {
                let mut tx = self.write_tx().await?;
                let at = now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO pacticipants (name, display_name, repository_url, repository_name, \
                     repository_namespace, main_branch, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(name)
                .bind(&fields.display_name)
                .bind(&fields.repository_url)
                .bind(&fields.repository_name)
                .bind(&fields.repository_namespace)
                .bind(&fields.main_branch)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, || format!("pacticipant \"{name}\" already exists")))?;
                let pacticipant = sqlx::query_as::<_, Pacticipant>(concat!(pacticipant_select!(), "WHERE id = $1"))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(pacticipant)
            }

            async fn update_pacticipant(
                &self,
                name: &str,
                fields: PacticipantFields,
                mode: UpdateMode,
            ) -> StoreResult<(Pacticipant, bool)> {
                let mut tx = self.write_tx().await?;
                let existing = find_pacticipant(&mut tx, name).await?;
                let created = existing.is_none();
                let current = match existing {
                    Some(p) => p,
                    None => ensure_pacticipant(&mut tx, name).await?,
                };
                let merge = |new: Option<String>, old: Option<String>| match mode {
                    UpdateMode::Replace => new,
                    UpdateMode::Merge => new.or(old),
                };
                sqlx::query(
                    "UPDATE pacticipants SET display_name = $2, repository_url = $3, \
                     repository_name = $4, repository_namespace = $5, main_branch = $6, \
                     updated_at = $7 WHERE id = $1",
                )
                .bind(current.id)
                .bind(merge(fields.display_name, current.display_name))
                .bind(merge(fields.repository_url, current.repository_url))
                .bind(merge(fields.repository_name, current.repository_name))
                .bind(merge(fields.repository_namespace, current.repository_namespace))
                .bind(merge(fields.main_branch, current.main_branch))
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let pacticipant = require_pacticipant(&mut tx, name).await?;
                tx.commit().await?;
                Ok((pacticipant, created))
            }

            async fn pacticipant(&self, name: &str) -> StoreResult<Pacticipant> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, name).await
            }

            async fn pacticipants(&self) -> StoreResult<Vec<Pacticipant>> {
                Ok(sqlx::query_as::<_, Pacticipant>(concat!(pacticipant_select!(), "ORDER BY name"))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn delete_pacticipant(&self, name: &str) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let deleted = sqlx::query("DELETE FROM pacticipants WHERE name = $1")
                    .bind(name)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::not_found(format!("pacticipant \"{name}\"")));
                }
                delete_orphan_contents(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn version(&self, pacticipant: &str, number: &str) -> StoreResult<VersionDetail> {
                let mut c = self.pool.acquire().await?;
                let version = require_version(&mut c, pacticipant, number).await?;
                version_detail(&mut c, version).await
            }

            async fn latest_version(
                &self,
                pacticipant: &str,
                tag: Option<&str>,
            ) -> StoreResult<VersionDetail> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, pacticipant).await?;
                let version = sqlx::query_as::<_, Version>(concat!(
                    version_select!(),
                    "WHERE p.name = $1 AND ($2 IS NULL OR EXISTS (SELECT 1 FROM tags t \
                     WHERE t.version_id = v.id AND t.name = $2)) ORDER BY v.id DESC LIMIT 1"
                ))
                .bind(pacticipant)
                .bind(tag)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| match tag {
                    Some(tag) => StoreError::not_found(format!(
                        "a version of pacticipant \"{pacticipant}\" with tag \"{tag}\""
                    )),
                    None => StoreError::not_found(format!("a version of pacticipant \"{pacticipant}\"")),
                })?;
                version_detail(&mut c, version).await
            }

            async fn versions(&self, pacticipant: &str) -> StoreResult<Vec<Version>> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, pacticipant).await?;
                Ok(sqlx::query_as::<_, Version>(concat!(
                    version_select!(),
                    "WHERE p.name = $1 ORDER BY v.id DESC"
                ))
                .bind(pacticipant)
                .fetch_all(&mut *c)
                .await?)
            }

            async fn put_version(
                &self,
                pacticipant: &str,
                number: &str,
                branch: Option<&str>,
                build_url: Option<&str>,
            ) -> StoreResult<(VersionDetail, bool)> {
                let mut tx = self.write_tx().await?;
                let owner = ensure_pacticipant(&mut tx, pacticipant).await?;
                let (version, created) = ensure_version(&mut tx, &owner, number).await?;
                if let Some(url) = build_url {
                    set_build_url(&mut tx, version.id, url).await?;
                }
                if let Some(branch) = branch {
                    add_to_branch(&mut tx, &owner, version.id, branch).await?;
                }
                let version = require_version(&mut tx, pacticipant, number).await?;
                let detail = version_detail(&mut tx, version).await?;
                tx.commit().await?;
                Ok((detail, created))
            }

            async fn delete_version(&self, pacticipant: &str, number: &str) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let version = require_version(&mut tx, pacticipant, number).await?;
                sqlx::query("DELETE FROM versions WHERE id = $1")
                    .bind(version.id)
                    .execute(&mut *tx)
                    .await?;
                delete_orphan_contents(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn put_tag(
                &self,
                pacticipant: &str,
                number: &str,
                tag: &str,
            ) -> StoreResult<(Tag, bool)> {
                let mut tx = self.write_tx().await?;
                let owner = ensure_pacticipant(&mut tx, pacticipant).await?;
                let (version, _) = ensure_version(&mut tx, &owner, number).await?;
                let created = add_tag(&mut tx, version.id, tag).await?;
                let row = sqlx::query_as::<_, Tag>(concat!(
                    tag_select!(),
                    "WHERE t.version_id = $1 AND t.name = $2"
                ))
                .bind(version.id)
                .bind(tag)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok((row, created))
            }

            async fn tag(&self, pacticipant: &str, number: &str, tag: &str) -> StoreResult<Tag> {
                let mut c = self.pool.acquire().await?;
                let version = require_version(&mut c, pacticipant, number).await?;
                sqlx::query_as::<_, Tag>(concat!(tag_select!(), "WHERE t.version_id = $1 AND t.name = $2"))
                    .bind(version.id)
                    .bind(tag)
                    .fetch_optional(&mut *c)
                    .await?
                    .ok_or_else(|| {
                        StoreError::not_found(format!(
                            "tag \"{tag}\" of version \"{number}\" of pacticipant \"{pacticipant}\""
                        ))
                    })
            }

            async fn delete_tag(&self, pacticipant: &str, number: &str, tag: &str) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let version = require_version(&mut tx, pacticipant, number).await?;
                let deleted = sqlx::query("DELETE FROM tags WHERE version_id = $1 AND name = $2")
                    .bind(version.id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::not_found(format!(
                        "tag \"{tag}\" of version \"{number}\" of pacticipant \"{pacticipant}\""
                    )));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn branches(&self, pacticipant: &str) -> StoreResult<Vec<Branch>> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, pacticipant).await?;
                Ok(sqlx::query_as::<_, Branch>(
                    "SELECT b.id, p.name AS pacticipant_name, b.name, b.created_at FROM branches b \
                     JOIN pacticipants p ON p.id = b.pacticipant_id WHERE p.name = $1 ORDER BY b.name",
                )
                .bind(pacticipant)
                .fetch_all(&mut *c)
                .await?)
            }

            async fn branch(&self, pacticipant: &str, branch: &str) -> StoreResult<Branch> {
                let mut c = self.pool.acquire().await?;
                require_branch(&mut c, pacticipant, branch).await
            }

            async fn delete_branch(&self, pacticipant: &str, branch: &str) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let found = require_branch(&mut tx, pacticipant, branch).await?;
                sqlx::query("DELETE FROM branches WHERE id = $1")
                    .bind(found.id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn branch_versions(&self, pacticipant: &str, branch: &str) -> StoreResult<Vec<Version>> {
                let mut c = self.pool.acquire().await?;
                let found = require_branch(&mut c, pacticipant, branch).await?;
                Ok(sqlx::query_as::<_, Version>(concat!(
                    version_select!(),
                    "JOIN branch_versions bv ON bv.version_id = v.id WHERE bv.branch_id = $1 \
                     ORDER BY v.id DESC"
                ))
                .bind(found.id)
                .fetch_all(&mut *c)
                .await?)
            }

            async fn put_branch_version(
                &self,
                pacticipant: &str,
                branch: &str,
                number: &str,
            ) -> StoreResult<(BranchVersion, bool)> {
                let mut tx = self.write_tx().await?;
                let owner = ensure_pacticipant(&mut tx, pacticipant).await?;
                let (version, _) = ensure_version(&mut tx, &owner, number).await?;
                let added = add_to_branch(&mut tx, &owner, version.id, branch).await?;
                let row = sqlx::query_as::<_, BranchVersion>(concat!(
                    branch_version_select!(),
                    "WHERE bv.version_id = $1 AND b.name = $2"
                ))
                .bind(version.id)
                .bind(branch)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok((row, added))
            }

            async fn branch_version(
                &self,
                pacticipant: &str,
                branch: &str,
                number: &str,
            ) -> StoreResult<BranchVersion> {
                let mut c = self.pool.acquire().await?;
                let found = require_branch(&mut c, pacticipant, branch).await?;
                sqlx::query_as::<_, BranchVersion>(concat!(
                    branch_version_select!(),
                    "WHERE bv.branch_id = $1 AND v.number = $2"
                ))
                .bind(found.id)
                .bind(number)
                .fetch_optional(&mut *c)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(format!("version \"{number}\" on branch \"{branch}\""))
                })
            }

            async fn delete_branch_version(
                &self,
                pacticipant: &str,
                branch: &str,
                number: &str,
            ) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let found = require_branch(&mut tx, pacticipant, branch).await?;
                let deleted = sqlx::query(
                    "DELETE FROM branch_versions WHERE branch_id = $1 AND version_id IN \
                     (SELECT id FROM versions WHERE number = $2)",
                )
                .bind(found.id)
                .bind(number)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::not_found(format!(
                        "version \"{number}\" on branch \"{branch}\""
                    )));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn publish_contracts(&self, publication: Publication) -> StoreResult<PublicationResult> {
                let mut tx = self.write_tx().await?;
                let consumer = ensure_pacticipant(&mut tx, &publication.pacticipant).await?;
                let (version, version_created) =
                    ensure_version(&mut tx, &consumer, &publication.version).await?;
                if let Some(url) = &publication.build_url {
                    set_build_url(&mut tx, version.id, url).await?;
                }
                if let Some(branch) = &publication.branch {
                    add_to_branch(&mut tx, &consumer, version.id, branch).await?;
                }
                for tag in &publication.tags {
                    add_tag(&mut tx, version.id, tag).await?;
                }
                let mut contracts = Vec::with_capacity(publication.contracts.len());
                for contract in &publication.contracts {
                    let provider = ensure_pacticipant(&mut tx, &contract.provider).await?;
                    contracts.push(
                        store_pact(
                            &mut tx,
                            &consumer,
                            &version,
                            &provider,
                            &contract.content,
                            publication.allow_modification,
                        )
                        .await?,
                    );
                }
                delete_orphan_contents(&mut tx).await?;
                let pacticipant = require_pacticipant(&mut tx, &consumer.name).await?;
                let version = require_version(&mut tx, &consumer.name, &version.number).await?;
                tx.commit().await?;
                Ok(PublicationResult { pacticipant, version, version_created, contracts })
            }

            async fn put_pact(
                &self,
                provider: &str,
                consumer: &str,
                consumer_version: &str,
                content: PactContent,
                allow_modification: bool,
            ) -> StoreResult<(PactRow, ContractOutcome)> {
                let mut tx = self.write_tx().await?;
                let consumer = ensure_pacticipant(&mut tx, consumer).await?;
                let provider = ensure_pacticipant(&mut tx, provider).await?;
                let (version, _) = ensure_version(&mut tx, &consumer, consumer_version).await?;
                let stored =
                    store_pact(&mut tx, &consumer, &version, &provider, &content, allow_modification)
                        .await?;
                delete_orphan_contents(&mut tx).await?;
                tx.commit().await?;
                Ok(stored)
            }

            async fn pact(
                &self,
                provider: &str,
                consumer: &str,
                selector: PactSelector,
            ) -> StoreResult<(PactRow, Vec<u8>)> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, provider).await?;
                require_pacticipant(&mut c, consumer).await?;
                let (sql, arg, what) = match &selector {
                    PactSelector::Version(v) => (
                        concat!(pact_select!(), "WHERE pr.name = $1 AND c.name = $2 AND cv.number = $3"),
                        Some(v.as_str()),
                        format!("version \"{v}\""),
                    ),
                    PactSelector::Sha(sha) => (
                        concat!(
                            pact_select!(),
                            "WHERE pr.name = $1 AND c.name = $2 AND pc.sha = $3 ORDER BY cv.id DESC LIMIT 1"
                        ),
                        Some(sha.as_str()),
                        format!("content \"{sha}\""),
                    ),
                    PactSelector::Latest => (
                        concat!(
                            pact_select!(),
                            "WHERE pr.name = $1 AND c.name = $2 AND $3 IS NULL ORDER BY cv.id DESC LIMIT 1"
                        ),
                        None,
                        "latest".to_owned(),
                    ),
                    PactSelector::LatestTagged(tag) => (
                        concat!(
                            pact_select!(),
                            "WHERE pr.name = $1 AND c.name = $2 AND EXISTS (SELECT 1 FROM tags t \
                             WHERE t.version_id = cv.id AND t.name = $3) ORDER BY cv.id DESC LIMIT 1"
                        ),
                        Some(tag.as_str()),
                        format!("latest with tag \"{tag}\""),
                    ),
                    PactSelector::LatestOnBranch(branch) => (
                        concat!(
                            pact_select!(),
                            "WHERE pr.name = $1 AND c.name = $2 AND EXISTS (SELECT 1 FROM branch_versions bv \
                             JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id = cv.id \
                             AND b.name = $3) ORDER BY cv.id DESC LIMIT 1"
                        ),
                        Some(branch.as_str()),
                        format!("latest on branch \"{branch}\""),
                    ),
                };
                let row = sqlx::query_as::<_, PactRow>(sql)
                    .bind(provider)
                    .bind(consumer)
                    .bind(arg)
                    .fetch_optional(&mut *c)
                    .await?
                    .ok_or_else(|| {
                        StoreError::not_found(format!(
                            "pact between consumer \"{consumer}\" and provider \"{provider}\" ({what})"
                        ))
                    })?;
                let content: Vec<u8> = sqlx::query_scalar("SELECT content FROM pact_contents WHERE sha = $1")
                    .bind(&row.sha)
                    .fetch_one(&mut *c)
                    .await?;
                Ok((row, content))
            }

            async fn provider_pacts(
                &self,
                provider: &str,
                consumer: Option<&str>,
                filter: PactFilter,
            ) -> StoreResult<Vec<PactRow>> {
                let mut c = self.pool.acquire().await?;
                require_pacticipant(&mut c, provider).await?;
                if let Some(consumer) = consumer {
                    require_pacticipant(&mut c, consumer).await?;
                }
                let (tag, branch, main) = match &filter {
                    PactFilter::All => (None, None, None),
                    PactFilter::Tag(t) => (Some(t.as_str()), None, None),
                    PactFilter::Branch(b) => (None, Some(b.as_str()), None),
                    PactFilter::MainBranch => (None, None, Some(true)),
                };
                Ok(sqlx::query_as::<_, PactRow>(concat!(
                    pact_select!(),
                    "WHERE pr.name = $1 AND ($2 IS NULL OR c.name = $2) \
                     AND ($3 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.version_id = cv.id AND t.name = $3)) \
                     AND ($4 IS NULL OR EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b \
                          ON b.id = bv.branch_id WHERE bv.version_id = cv.id AND b.name = $4)) \
                     AND ($5 IS NULL OR EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b \
                          ON b.id = bv.branch_id WHERE bv.version_id = cv.id AND b.name = c.main_branch)) \
                     ORDER BY cv.id DESC, c.name"
                ))
                .bind(provider)
                .bind(consumer)
                .bind(tag)
                .bind(branch)
                .bind(main)
                .fetch_all(&mut *c)
                .await?)
            }

            async fn latest_pacts(&self) -> StoreResult<Vec<PactRow>> {
                Ok(sqlx::query_as::<_, PactRow>(concat!(
                    pact_select!(),
                    "WHERE cv.id = (SELECT MAX(v2.id) FROM pact_publications pp2 \
                     JOIN versions v2 ON v2.id = pp2.consumer_version_id \
                     WHERE pp2.provider_id = pp.provider_id AND v2.pacticipant_id = cv.pacticipant_id) \
                     ORDER BY c.name, pr.name"
                ))
                .fetch_all(&self.pool)
                .await?)
            }

            async fn delete_pact(
                &self,
                provider: &str,
                consumer: &str,
                consumer_version: &str,
            ) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let provider_row = require_pacticipant(&mut tx, provider).await?;
                let version = require_version(&mut tx, consumer, consumer_version).await?;
                let deleted = sqlx::query(
                    "DELETE FROM pact_publications WHERE consumer_version_id = $1 AND provider_id = $2",
                )
                .bind(version.id)
                .bind(provider_row.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::not_found(format!(
                        "pact of version \"{consumer_version}\" of consumer \"{consumer}\" with provider \"{provider}\""
                    )));
                }
                delete_orphan_contents(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn content_summaries(&self) -> StoreResult<Vec<ContentSummaryRecord>> {
                let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
                    "SELECT pc.sha, s.http_interactions, s.message_interactions, s.fields \
                     FROM content_summaries s JOIN pact_contents pc ON pc.id = s.content_id \
                     ORDER BY pc.sha",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for (sha, http, message, fields) in rows {
                    match summary_record(sha, http, message, &fields) {
                        Some(record) => out.push(record),
                        None => tracing::warn!("a stored content summary is damaged; skipped"),
                    }
                }
                Ok(out)
            }

            async fn summarise_contents(&self) -> StoreResult<usize> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM pact_contents \
                     WHERE id NOT IN (SELECT content_id FROM content_summaries) ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut summarised = 0;
                // One content per transaction: a large backlog never holds the write lock long.
                for id in ids {
                    let mut tx = self.write_tx().await?;
                    let row: Option<(String, Vec<u8>)> =
                        sqlx::query_as("SELECT sha, content FROM pact_contents WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if let Some((sha, bytes)) = row
                        && store_summary(&mut tx, id, &sha, &bytes).await?
                    {
                        summarised += 1;
                    }
                    tx.commit().await?;
                }
                Ok(summarised)
            }

            async fn publish_verification(
                &self,
                provider: &str,
                consumer: &str,
                sha: &str,
                verification: NewVerification,
            ) -> StoreResult<Verification> {
                let mut tx = self.write_tx().await?;
                let provider_row = require_pacticipant(&mut tx, provider).await?;
                let consumer_row = require_pacticipant(&mut tx, consumer).await?;
                let content_id: i64 = sqlx::query_scalar(
                    "SELECT pc.id FROM pact_contents pc JOIN pact_publications pp ON pp.content_id = pc.id \
                     JOIN versions cv ON cv.id = pp.consumer_version_id \
                     WHERE pc.sha = $1 AND pp.provider_id = $2 AND cv.pacticipant_id = $3 LIMIT 1",
                )
                .bind(sha)
                .bind(provider_row.id)
                .bind(consumer_row.id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(format!(
                        "pact between consumer \"{consumer}\" and provider \"{provider}\" with content \"{sha}\""
                    ))
                })?;
                let (provider_version, _) =
                    ensure_version(&mut tx, &provider_row, &verification.provider_version).await?;
                let number: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM verifications \
                     WHERE content_id = $1 AND consumer_id = $2 AND provider_id = $3",
                )
                .bind(content_id)
                .bind(consumer_row.id)
                .bind(provider_row.id)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO verifications (content_id, number, consumer_id, provider_id, \
                     provider_version_id, success, build_url, test_results, verified_by, created_at, \
                     wip, provider_branch) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                     (SELECT b.name FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id \
                      WHERE bv.version_id = $5 ORDER BY bv.id DESC LIMIT 1)) RETURNING id",
                )
                .bind(content_id)
                .bind(number)
                .bind(consumer_row.id)
                .bind(provider_row.id)
                .bind(provider_version.id)
                .bind(verification.success)
                .bind(&verification.build_url)
                .bind(&verification.test_results)
                .bind(&verification.verified_by)
                .bind(now())
                .bind(verification.wip)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, || "a verification was published at the same time; retry".to_owned()))?;
                let row = sqlx::query_as::<_, Verification>(concat!(verification_select!(), "WHERE vr.id = $1"))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn verification(
                &self,
                provider: &str,
                consumer: &str,
                sha: &str,
                number: Option<i64>,
            ) -> StoreResult<Verification> {
                sqlx::query_as::<_, Verification>(concat!(
                    verification_select!(),
                    "WHERE p.name = $1 AND c.name = $2 AND pc.sha = $3 AND ($4 IS NULL OR vr.number = $4) \
                     ORDER BY vr.number DESC LIMIT 1"
                ))
                .bind(provider)
                .bind(consumer)
                .bind(sha)
                .bind(number)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| {
                    StoreError::not_found(format!(
                        "verification result of the pact between consumer \"{consumer}\" and provider \"{provider}\" with content \"{sha}\""
                    ))
                })
            }

            async fn create_environment(&self, fields: EnvironmentFields) -> StoreResult<Environment> {
                let mut tx = self.write_tx().await?;
                let uuid = new_uuid();
                let at = now();
                sqlx::query(
                    "INSERT INTO environments (uuid, name, display_name, production, contacts, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(&uuid)
                .bind(&fields.name)
                .bind(&fields.display_name)
                .bind(fields.production)
                .bind(&fields.contacts)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, || format!("an environment named \"{}\" already exists", fields.name)))?;
                let env = require_environment(&mut tx, &uuid).await?;
                tx.commit().await?;
                Ok(env)
            }

            async fn environments(&self) -> StoreResult<Vec<Environment>> {
                Ok(sqlx::query_as::<_, Environment>(concat!(environment_select!(), "ORDER BY name"))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn environment(&self, uuid: &str) -> StoreResult<Environment> {
                let mut c = self.pool.acquire().await?;
                require_environment(&mut c, uuid).await
            }

            async fn update_environment(
                &self,
                uuid: &str,
                fields: EnvironmentFields,
            ) -> StoreResult<Environment> {
                let mut tx = self.write_tx().await?;
                require_environment(&mut tx, uuid).await?;
                sqlx::query(
                    "UPDATE environments SET name = $2, display_name = $3, production = $4, \
                     contacts = $5, updated_at = $6 WHERE uuid = $1",
                )
                .bind(uuid)
                .bind(&fields.name)
                .bind(&fields.display_name)
                .bind(fields.production)
                .bind(&fields.contacts)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, || format!("an environment named \"{}\" already exists", fields.name)))?;
                let env = require_environment(&mut tx, uuid).await?;
                tx.commit().await?;
                Ok(env)
            }

            async fn delete_environment(&self, uuid: &str) -> StoreResult<()> {
                let mut tx = self.write_tx().await?;
                require_environment(&mut tx, uuid).await?;
                sqlx::query("DELETE FROM environments WHERE uuid = $1")
                    .bind(uuid)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_deployment(
                &self,
                pacticipant: &str,
                number: &str,
                environment_uuid: &str,
                application_instance: Option<&str>,
            ) -> StoreResult<DeployedVersion> {
                let mut tx = self.write_tx().await?;
                let owner = require_pacticipant(&mut tx, pacticipant).await?;
                let version = require_version(&mut tx, pacticipant, number).await?;
                let env = require_environment(&mut tx, environment_uuid).await?;
                let current: Option<(String, i64)> = sqlx::query_as(
                    "SELECT uuid, version_id FROM deployed_versions WHERE pacticipant_id = $1 \
                     AND environment_id = $2 AND COALESCE(application_instance, '') = COALESCE($3, '') \
                     AND undeployed_at IS NULL",
                )
                .bind(owner.id)
                .bind(env.id)
                .bind(application_instance)
                .fetch_optional(&mut *tx)
                .await?;
                let at = now();
                let uuid = match current {
                    Some((uuid, version_id)) if version_id == version.id => uuid,
                    other => {
                        if let Some((previous, _)) = other {
                            sqlx::query("UPDATE deployed_versions SET undeployed_at = $2 WHERE uuid = $1")
                                .bind(&previous)
                                .bind(at)
                                .execute(&mut *tx)
                                .await?;
                        }
                        let uuid = new_uuid();
                        sqlx::query(
                            "INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, \
                             environment_id, application_instance, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(&uuid)
                        .bind(version.id)
                        .bind(owner.id)
                        .bind(env.id)
                        .bind(application_instance)
                        .bind(at)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| conflict_on_unique(e, || "a deployment was recorded at the same time; retry".to_owned()))?;
                        uuid
                    }
                };
                let row = deployed_by_uuid(&mut tx, &uuid).await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn deployed_versions(
                &self,
                environment_uuid: &str,
                pacticipant: Option<&str>,
                currently_deployed_only: bool,
            ) -> StoreResult<Vec<DeployedVersion>> {
                let mut c = self.pool.acquire().await?;
                require_environment(&mut c, environment_uuid).await?;
                Ok(sqlx::query_as::<_, DeployedVersion>(concat!(
                    deployed_select!(),
                    "WHERE e.uuid = $1 AND ($2 IS NULL OR p.name = $2) \
                     AND ($3 IS NULL OR d.undeployed_at IS NULL) ORDER BY d.id"
                ))
                .bind(environment_uuid)
                .bind(pacticipant)
                .bind(currently_deployed_only.then_some(true))
                .fetch_all(&mut *c)
                .await?)
            }

            async fn deployed_version(&self, uuid: &str) -> StoreResult<DeployedVersion> {
                let mut c = self.pool.acquire().await?;
                deployed_by_uuid(&mut c, uuid).await
            }

            async fn undeploy(&self, uuid: &str) -> StoreResult<DeployedVersion> {
                let mut tx = self.write_tx().await?;
                deployed_by_uuid(&mut tx, uuid).await?;
                sqlx::query(
                    "UPDATE deployed_versions SET undeployed_at = $2 WHERE uuid = $1 AND undeployed_at IS NULL",
                )
                .bind(uuid)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let row = deployed_by_uuid(&mut tx, uuid).await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn record_release(
                &self,
                pacticipant: &str,
                number: &str,
                environment_uuid: &str,
            ) -> StoreResult<ReleasedVersion> {
                let mut tx = self.write_tx().await?;
                let owner = require_pacticipant(&mut tx, pacticipant).await?;
                let version = require_version(&mut tx, pacticipant, number).await?;
                let env = require_environment(&mut tx, environment_uuid).await?;
                let existing: Option<String> = sqlx::query_scalar(
                    "SELECT uuid FROM released_versions WHERE version_id = $1 AND environment_id = $2",
                )
                .bind(version.id)
                .bind(env.id)
                .fetch_optional(&mut *tx)
                .await?;
                let uuid = match existing {
                    Some(uuid) => {
                        sqlx::query("UPDATE released_versions SET support_ended_at = NULL WHERE uuid = $1")
                            .bind(&uuid)
                            .execute(&mut *tx)
                            .await?;
                        uuid
                    }
                    None => {
                        let uuid = new_uuid();
                        sqlx::query(
                            "INSERT INTO released_versions (uuid, version_id, pacticipant_id, \
                             environment_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(&uuid)
                        .bind(version.id)
                        .bind(owner.id)
                        .bind(env.id)
                        .bind(now())
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| conflict_on_unique(e, || "a release was recorded at the same time; retry".to_owned()))?;
                        uuid
                    }
                };
                let row = released_by_uuid(&mut tx, &uuid).await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn released_versions(
                &self,
                environment_uuid: &str,
                pacticipant: Option<&str>,
                currently_supported_only: bool,
            ) -> StoreResult<Vec<ReleasedVersion>> {
                let mut c = self.pool.acquire().await?;
                require_environment(&mut c, environment_uuid).await?;
                Ok(sqlx::query_as::<_, ReleasedVersion>(concat!(
                    released_select!(),
                    "WHERE e.uuid = $1 AND ($2 IS NULL OR p.name = $2) \
                     AND ($3 IS NULL OR r.support_ended_at IS NULL) ORDER BY r.id"
                ))
                .bind(environment_uuid)
                .bind(pacticipant)
                .bind(currently_supported_only.then_some(true))
                .fetch_all(&mut *c)
                .await?)
            }

            async fn released_version(&self, uuid: &str) -> StoreResult<ReleasedVersion> {
                let mut c = self.pool.acquire().await?;
                released_by_uuid(&mut c, uuid).await
            }

            async fn end_support(&self, uuid: &str) -> StoreResult<ReleasedVersion> {
                let mut tx = self.write_tx().await?;
                released_by_uuid(&mut tx, uuid).await?;
                sqlx::query(
                    "UPDATE released_versions SET support_ended_at = $2 WHERE uuid = $1 AND support_ended_at IS NULL",
                )
                .bind(uuid)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let row = released_by_uuid(&mut tx, uuid).await?;
                tx.commit().await?;
                Ok(row)
            }
        }
    };
}

pub(super) use {
    branch_version_select, deployed_select, environment_select, impl_store, pact_select,
    pacticipant_select, released_select, tag_select, verification_select, version_select,
};
