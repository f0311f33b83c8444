//! Scale benchmark (not a test): fills a broker with 50 services, 200 integrations, 20,000
//! versions, 80,000 contract publications (16,000 distinct contents) and 100,000
//! verification results, plus deployment and release history, then measures p50/p99 of
//! `GET /can-i-deploy` and `POST /pacts/provider/{p}/for-verification` over random questions,
//! and the medians of `GET /coupling` and a 10-change `POST /deployment-plan` against a
//! same-run baseline (loading everything).
//!
//! Each request goes through the real HTTP router in-process (`tower::ServiceExt::oneshot`),
//! so a measurement includes loading from the store, the domain rules and the JSON answer;
//! only the network is left out.
//!
//! ```text
//! cargo bench -p accord-broker --bench scale                  # SQLite (temporary file)
//! ACCORD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p accord-broker --bench scale              # SQLite, then PostgreSQL
//! ACCORD_BENCH_KEEP=1 ...                                     # keep the databases, print where
//! ```
//!
//! The fill writes rows with multi-row inserts in a few transactions (the "bulk path"):
//! through the store's one-transaction-per-publication API it would take minutes and
//! measure nothing of interest. Ids are assigned in creation order, as the store does.

use std::time::{Duration, Instant};

use accord_broker::store::{PostgresStore, SqliteStore, Store};
use accord_broker::{AppState, BrokerConfig, router};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const SERVICES: i64 = 50;
const VERSIONS_PER_SERVICE: i64 = 400;
const PROVIDERS_PER_CONSUMER: i64 = 4;
const CONTENT_EVERY: i64 = 5;
const FEATURE_BRANCHES: i64 = 5;
const QUERIES: usize = 400;
const WARM_UP: usize = 30;

fn service(s: i64) -> String {
    format!("svc-{s:02}")
}

fn number(t: i64) -> String {
    format!("1.{t}")
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

/// Version id of service `s` at step `t` (ids grow with time across services).
fn version_id(s: i64, t: i64) -> i64 {
    t * SERVICES + s + 1
}

fn branch_of(t: i64) -> Option<i64> {
    (t % 10 == 7).then_some((t / 10) % FEATURE_BRANCHES)
}

/// Branch id: main is `s + 1`, feature branches follow.
fn branch_id(s: i64, feature: Option<i64>) -> i64 {
    match feature {
        None => s + 1,
        Some(k) => SERVICES + s * FEATURE_BRANCHES + k + 1,
    }
}

fn providers_of(s: i64) -> impl Iterator<Item = i64> {
    (1..=PROVIDERS_PER_CONSUMER).map(move |d| (s + d) % SERVICES)
}

/// Integration number of (consumer, k-th provider).
fn integration(s: i64, k: i64) -> i64 {
    s * PROVIDERS_PER_CONSUMER + k
}

fn content_id(s: i64, k: i64, t: i64) -> i64 {
    integration(s, k) * (VERSIONS_PER_SERVICE / CONTENT_EVERY) + t / CONTENT_EVERY + 1
}

/// A cheap deterministic "random" in 0..100.
fn roll(a: i64, b: i64, c: i64) -> i64 {
    let mut x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ (c as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 100) as i64
}

/// id, content, number, consumer, provider, provider version, success, branch, at
type VerificationRow = (i64, i64, i64, i64, i64, i64, bool, String, DateTime<Utc>);
/// id, version, pacticipant, instance, at, undeployed at
type DeployedRow = (
    i64,
    i64,
    i64,
    Option<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);
/// id, version, pacticipant, at, support ended at
type ReleasedRow = (i64, i64, i64, DateTime<Utc>, Option<DateTime<Utc>>);

struct Rows {
    pacticipants: Vec<(i64, String)>,
    versions: Vec<(i64, i64, String, DateTime<Utc>)>,
    branches: Vec<(i64, i64, String)>,
    branch_versions: Vec<(i64, i64, i64)>,
    tags: Vec<(i64, i64, String)>,
    contents: Vec<(i64, String, Vec<u8>)>,
    publications: Vec<(i64, i64, i64, i64, DateTime<Utc>)>,
    verifications: Vec<VerificationRow>,
    deployed: Vec<DeployedRow>,
    released: Vec<ReleasedRow>,
}

fn generate() -> Rows {
    let mut rows = Rows {
        pacticipants: Vec::new(),
        versions: Vec::new(),
        branches: Vec::new(),
        branch_versions: Vec::new(),
        tags: Vec::new(),
        contents: Vec::new(),
        publications: Vec::new(),
        verifications: Vec::new(),
        deployed: Vec::new(),
        released: Vec::new(),
    };
    for s in 0..SERVICES {
        rows.pacticipants.push((s + 1, service(s)));
        rows.branches
            .push((branch_id(s, None), s + 1, "main".into()));
        for k in 0..FEATURE_BRANCHES {
            rows.branches
                .push((branch_id(s, Some(k)), s + 1, format!("feat-{k}")));
        }
    }
    for t in 0..VERSIONS_PER_SERVICE {
        for s in 0..SERVICES {
            let id = version_id(s, t);
            rows.versions.push((id, s + 1, number(t), at(id)));
            rows.branch_versions
                .push((id, branch_id(s, branch_of(t)), id));
            if t % 25 == 0 {
                rows.tags.push((id, id, "release".into()));
            }
        }
    }
    // Contents: one per integration per CONTENT_EVERY consumer versions.
    for s in 0..SERVICES {
        for (k, p) in providers_of(s).enumerate() {
            for c in 0..VERSIONS_PER_SERVICE / CONTENT_EVERY {
                let id = content_id(s, k as i64, c * CONTENT_EVERY);
                let document = format!(
                    "{{\"consumer\":{{\"name\":\"{}\"}},\"provider\":{{\"name\":\"{}\"}},\
                     \"interactions\":[{{\"description\":\"call {c}\",\"request\":{{\"method\":\"GET\",\
                     \"path\":\"/r/{c}\"}},\"response\":{{\"status\":200}}}}],\
                     \"metadata\":{{\"pactSpecification\":{{\"version\":\"3.0.0\"}}}}}}",
                    service(s),
                    service(p)
                );
                let sha = format!("{:x}", Sha256::digest(document.as_bytes()));
                rows.contents.push((id, sha, document.into_bytes()));
            }
        }
    }
    let mut publication = 0;
    for t in 0..VERSIONS_PER_SERVICE {
        for s in 0..SERVICES {
            for (k, p) in providers_of(s).enumerate() {
                publication += 1;
                let v = version_id(s, t);
                rows.publications
                    .push((publication, v, p + 1, content_id(s, k as i64, t), at(v)));
            }
        }
    }
    // Verifications: each provider version verifies its consumers' current contents, and the
    // previous content of its first consumer (5 per provider version: 100,000 in all).
    let mut numbers: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    let mut verification = 0;
    for t in 0..VERSIONS_PER_SERVICE {
        for p in 0..SERVICES {
            let pv = version_id(p, t);
            let branch = branch_of(t).map_or_else(|| "main".to_owned(), |k| format!("feat-{k}"));
            let consumers: Vec<(i64, i64)> = (0..SERVICES)
                .flat_map(|s| {
                    providers_of(s)
                        .enumerate()
                        .filter(move |(_, q)| *q == p)
                        .map(move |(k, _)| (s, k as i64))
                })
                .collect();
            let mut targets: Vec<(i64, i64, i64)> = consumers
                .iter()
                .map(|(s, k)| (*s, *k, content_id(*s, *k, t)))
                .collect();
            let (s0, k0) = consumers[0];
            let previous = if t >= CONTENT_EVERY {
                t - CONTENT_EVERY
            } else {
                t
            };
            targets.push((s0, k0, content_id(s0, k0, previous)));
            for (s, _, content) in targets {
                verification += 1;
                let n = numbers.entry(content).or_insert(0);
                *n += 1;
                rows.verifications.push((
                    verification,
                    content,
                    *n,
                    s + 1,
                    p + 1,
                    pv,
                    roll(content, pv, 1) < 93,
                    branch.clone(),
                    at(pv + 30),
                ));
            }
        }
    }
    // Deployments: every 20th version goes to production, replacing the previous one; some
    // services run a second application instance; a few release instead.
    let (mut deployed, mut released) = (0, 0);
    for s in 0..SERVICES {
        if s % 10 == 3 {
            for t in [199, 299, 399] {
                released += 1;
                let v = version_id(s, t);
                let ended = (t == 199).then(|| at(v + 5000));
                rows.released.push((released, v, s + 1, at(v + 60), ended));
            }
            continue;
        }
        let steps: Vec<i64> = (19..VERSIONS_PER_SERVICE).step_by(20).collect();
        for (i, t) in steps.iter().enumerate() {
            deployed += 1;
            let v = version_id(s, *t);
            let undeployed = steps.get(i + 1).map(|next| at(version_id(s, *next) + 60));
            rows.deployed
                .push((deployed, v, s + 1, None, at(v + 60), undeployed));
        }
        if s % 7 == 0 {
            deployed += 1;
            let v = version_id(s, 389);
            rows.deployed
                .push((deployed, v, s + 1, Some("eu".into()), at(v + 60), None));
        }
    }
    assert_eq!(rows.versions.len(), 20_000);
    assert_eq!(rows.verifications.len(), 100_000);
    rows
}

/// Inserts `rows` into a database of type `$db` through `$pool`, 500 rows per statement.
macro_rules! fill {
    ($name:ident, $db:ty, $pool:ty) => {
        async fn $name(pool: &$pool, rows: &Rows) -> Result<(), sqlx::Error> {
            use sqlx::QueryBuilder;
            let production: i64 =
                sqlx::query_scalar("SELECT id FROM environments WHERE name = 'production'")
                    .fetch_one(pool)
                    .await?;
            let mut tx = pool.begin().await?;
            macro_rules! insert {
                ($sql:expr, $list:expr, |$b:ident, $r:ident| $body:block) => {
                    for chunk in $list.chunks(500) {
                        let mut qb = QueryBuilder::<$db>::new($sql);
                        qb.push_values(chunk, |mut $b, $r| $body);
                        qb.build().execute(&mut *tx).await?;
                    }
                };
            }
            let t0 = at(0);
            insert!(
                "INSERT INTO pacticipants (id, name, main_branch, created_at, updated_at) ",
                rows.pacticipants,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(&r.1)
                        .push_bind("main")
                        .push_bind(t0)
                        .push_bind(t0);
                }
            );
            insert!(
                "INSERT INTO versions (id, pacticipant_id, number, created_at, updated_at) ",
                rows.versions,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1)
                        .push_bind(&r.2)
                        .push_bind(r.3)
                        .push_bind(r.3);
                }
            );
            insert!(
                "INSERT INTO branches (id, pacticipant_id, name, created_at) ",
                rows.branches,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1)
                        .push_bind(&r.2)
                        .push_bind(t0);
                }
            );
            insert!(
                "INSERT INTO branch_versions (id, branch_id, version_id, created_at) ",
                rows.branch_versions,
                |b, r| {
                    b.push_bind(r.0).push_bind(r.1).push_bind(r.2).push_bind(t0);
                }
            );
            insert!(
                "INSERT INTO tags (id, version_id, name, created_at) ",
                rows.tags,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1)
                        .push_bind(&r.2)
                        .push_bind(t0);
                }
            );
            insert!(
                "INSERT INTO pact_contents (id, sha, content, created_at) ",
                rows.contents,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(&r.1)
                        .push_bind(&r.2)
                        .push_bind(t0);
                }
            );
            insert!(
                "INSERT INTO pact_publications (id, consumer_version_id, provider_id, content_id, \
                 created_at, updated_at) ",
                rows.publications,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1)
                        .push_bind(r.2)
                        .push_bind(r.3)
                        .push_bind(r.4)
                        .push_bind(r.4);
                }
            );
            insert!(
                "INSERT INTO verifications (id, content_id, number, consumer_id, provider_id, \
                 provider_version_id, success, provider_branch, created_at) ",
                rows.verifications,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(r.1)
                        .push_bind(r.2)
                        .push_bind(r.3)
                        .push_bind(r.4)
                        .push_bind(r.5)
                        .push_bind(r.6)
                        .push_bind(&r.7)
                        .push_bind(r.8);
                }
            );
            insert!(
                "INSERT INTO deployed_versions (id, uuid, version_id, pacticipant_id, \
                 environment_id, application_instance, created_at, undeployed_at) ",
                rows.deployed,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(format!("d-{}", r.0))
                        .push_bind(r.1)
                        .push_bind(r.2)
                        .push_bind(production)
                        .push_bind(&r.3)
                        .push_bind(r.4)
                        .push_bind(r.5);
                }
            );
            insert!(
                "INSERT INTO released_versions (id, uuid, version_id, pacticipant_id, \
                 environment_id, created_at, support_ended_at) ",
                rows.released,
                |b, r| {
                    b.push_bind(r.0)
                        .push_bind(format!("r-{}", r.0))
                        .push_bind(r.1)
                        .push_bind(r.2)
                        .push_bind(production)
                        .push_bind(r.3)
                        .push_bind(r.4);
                }
            );
            tx.commit().await?;
            Ok(())
        }
    };
}

fill!(fill_sqlite, sqlx::Sqlite, sqlx::SqlitePool);
fill!(fill_postgres, sqlx::Postgres, sqlx::PgPool);

/// A deterministic sequence of questions.
struct Questions(u64);

impl Questions {
    fn next(&mut self, below: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as i64
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.saturating_sub(1).min(sorted.len() - 1)]
}

async fn measure<S: Store>(label: &str, store: S) {
    let app = router(AppState::new(store, BrokerConfig::default()));
    let mut questions = Questions(0x2545_F491_4F6C_DD1D);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut can_i_deploy = Vec::new();
    for i in 0..WARM_UP + QUERIES {
        let s = questions.next(SERVICES);
        // A quarter about the newest version (mostly verified by what is deployed), a quarter
        // about recent versions (what CI asks), half about any version.
        let t = match i % 4 {
            0 => VERSIONS_PER_SERVICE - 1,
            1 => VERSIONS_PER_SERVICE - 1 - questions.next(40),
            _ => questions.next(VERSIONS_PER_SERVICE),
        };
        let uri = format!(
            "/can-i-deploy?pacticipant={}&version={}&environment=production",
            service(s),
            number(t)
        );
        let request = Request::get(&uri).body(Body::empty()).unwrap();
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        if i >= WARM_UP {
            can_i_deploy.push(elapsed);
            *outcomes
                .entry(json["summary"]["deployable"].to_string())
                .or_default() += 1;
        }
    }
    let mut for_verification = Vec::new();
    let mut pacts = 0;
    for i in 0..WARM_UP + QUERIES {
        let p = questions.next(SERVICES);
        let body = serde_json::json!({
            "consumerVersionSelectors": [{ "mainBranch": true }, { "deployedOrReleased": true }],
            "includePendingStatus": true,
            "providerVersionBranch": "main",
            "includeWipPactsSince": "2025-01-01",
        });
        let request = Request::post(format!("/pacts/provider/{}/for-verification", service(p)))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        if i >= WARM_UP {
            for_verification.push(elapsed);
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            pacts += json["_embedded"]["pacts"].as_array().map_or(0, Vec::len);
        }
    }
    can_i_deploy.sort();
    for_verification.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: can-i-deploy        p50 {:7.2} ms  p99 {:7.2} ms  max {:7.2} ms  ({QUERIES} queries; deployable: {outcomes:?})",
        ms(percentile(&can_i_deploy, 0.50)),
        ms(percentile(&can_i_deploy, 0.99)),
        ms(*can_i_deploy.last().unwrap()),
    );
    println!(
        "{label}: pacts-for-verification p50 {:7.2} ms  p99 {:7.2} ms  max {:7.2} ms  ({QUERIES} queries; {:.1} pacts per answer)",
        ms(percentile(&for_verification, 0.50)),
        ms(percentile(&for_verification, 0.99)),
        ms(*for_verification.last().unwrap()),
        pacts as f64 / QUERIES as f64,
    );
}

/// `GET /coupling` (production, and main-branch heads) and a 10-change `POST /deployment-plan`
/// (the main-branch heads of ten services to production), a few times each, and the same-run
/// baseline: loading everything (every version, publication, verification, deployment and
/// content summary), which is what `GET /coupling` read before it had a loader of its own (the
/// domain rules then ran over all of it). The first store open after the bulk fill has
/// summarised every content (the fill bypasses publishing).
async fn measure_coupling<S: Store>(label: &str, store: S) {
    const RUNS: usize = 7;
    let app = router(AppState::new(store.clone(), BrokerConfig::default()));
    let changes: Vec<serde_json::Value> = (0..10)
        .map(|s| serde_json::json!({ "pacticipant": service(s * 5), "version": number(VERSIONS_PER_SERVICE - 1) }))
        .collect();
    let plan = serde_json::json!({ "environment": "production", "changes": changes });
    let requests = [
        (
            "coupling (production)",
            "/coupling?environment=production",
            None,
        ),
        ("coupling (main heads)", "/coupling", None),
        ("10-change plan", "/deployment-plan", Some(plan.to_string())),
    ];
    let mut times = vec![Vec::new(); requests.len()];
    let mut summaries = vec![String::new(); requests.len()];
    let mut everything = Vec::new();
    // Interleaved, so that a slow spell of the (shared) machine hits every measurement alike.
    for _ in 0..RUNS {
        let started = Instant::now();
        let (all, summaries_loaded) =
            tokio::try_join!(store.load_broker_data_all(), store.content_summaries()).unwrap();
        everything.push(started.elapsed());
        assert_eq!(all.sizes().0, 20_000);
        assert!(!summaries_loaded.is_empty());
        for (i, (_, uri, body)) in requests.iter().enumerate() {
            let request = match body {
                Some(b) => Request::post(*uri)
                    .header("content-type", "application/json")
                    .body(Body::from(b.clone())),
                None => Request::get(*uri).body(Body::empty()),
            }
            .unwrap();
            let started = Instant::now();
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            times[i].push(started.elapsed());
            assert_eq!(
                status,
                StatusCode::OK,
                "{}",
                String::from_utf8_lossy(&bytes)
            );
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            summaries[i] = match body {
                Some(_) => format!(
                    "{} ({} steps, {} questions)",
                    json["outcome"],
                    json["steps"].as_array().map_or(0, Vec::len),
                    json["checks"]
                ),
                None => format!(
                    "{} edges, {} findings",
                    json["graph"]["edges"].as_array().map_or(0, Vec::len),
                    json["findings"].as_array().map_or(0, Vec::len)
                ),
            };
        }
    }
    let median = |list: &mut Vec<Duration>| {
        list.sort();
        list[RUNS / 2]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let baseline = median(&mut everything);
    println!(
        "{label}: baseline: load everything   median {:7.1} ms  max {:7.1} ms  ({RUNS} runs; the data GET /coupling used to read)",
        ms(baseline),
        ms(*everything.last().unwrap()),
    );
    for (i, (what, _, _)) in requests.iter().enumerate() {
        let took = median(&mut times[i]);
        println!(
            "{label}: {what:<22} median {:7.1} ms  max {:7.1} ms  = baseline / {:.0}  ({RUNS} runs; {})",
            ms(took),
            ms(*times[i].last().unwrap()),
            baseline.as_secs_f64() / took.as_secs_f64(),
            summaries[i],
        );
    }
}

async fn sqlite(rows: &Rows) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scale.db");
    let url = format!("sqlite://{}", path.display());
    let store = SqliteStore::connect(&url).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let started = Instant::now();
    fill_sqlite(&pool, rows).await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    pool.close().await;
    println!("sqlite: filled in {:.1} s", started.elapsed().as_secs_f64());
    measure("sqlite", store).await;
    let started = Instant::now();
    let store = SqliteStore::connect(&url).await.unwrap();
    println!(
        "sqlite: reopened (summarising every content) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    measure_coupling("sqlite", store).await;
    if std::env::var_os("ACCORD_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        println!(
            "sqlite: database kept at {}",
            kept.join("scale.db").display()
        );
    }
}

async fn postgres(admin_url: &str, rows: &Rows) {
    use sqlx::Connection;
    let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(admin_url).unwrap();
    url.set_path(&format!("/{name}"));
    let store = PostgresStore::connect(url.as_str()).await.unwrap();
    let pool = sqlx::PgPool::connect(url.as_str()).await.unwrap();
    let started = Instant::now();
    fill_postgres(&pool, rows).await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    pool.close().await;
    println!(
        "postgres: filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    measure("postgres", store.clone()).await;
    drop(store);
    let started = Instant::now();
    let store = PostgresStore::connect(url.as_str()).await.unwrap();
    println!(
        "postgres: reopened (summarising every content) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    measure_coupling("postgres", store.clone()).await;
    drop(store);
    if std::env::var_os("ACCORD_BENCH_KEEP").is_some() {
        println!("postgres: database kept: {url}");
    } else {
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects one backend.
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rows = generate();
    println!(
        "data: {} services, {} integrations, {} versions, {} contents, {} publications, {} verifications, {} deployments, {} releases",
        rows.pacticipants.len(),
        SERVICES * PROVIDERS_PER_CONSUMER,
        rows.versions.len(),
        rows.contents.len(),
        rows.publications.len(),
        rows.verifications.len(),
        rows.deployed.len(),
        rows.released.len(),
    );
    runtime.block_on(async {
        if only.as_deref().is_none_or(|o| o == "sqlite") {
            sqlite(&rows).await;
        }
        if only.as_deref().is_none_or(|o| o == "postgres") {
            match std::env::var("ACCORD_TEST_POSTGRES_URL") {
                Ok(admin) => postgres(&admin, &rows).await,
                Err(_) => println!("postgres: skipped (set ACCORD_TEST_POSTGRES_URL)"),
            }
        }
    });
}
