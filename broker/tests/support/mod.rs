//! Test support shared by the broker's test binaries: a fresh PostgreSQL database per test.

#![allow(dead_code, unreachable_pub)]

/// A fresh PostgreSQL database, dropped (even when the test panics) on `Drop`.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// URL of the fresh database.
    pub url: String,
}

impl TestDatabase {
    /// Creates the database; `None` (skip) without `ACCORD_TEST_POSTGRES_URL`, unless `CI` is set.
    pub async fn create() -> Option<Self> {
        let Ok(admin_url) = std::env::var("ACCORD_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but ACCORD_TEST_POSTGRES_URL is not: the PostgreSQL store tests must run"
            );
            eprintln!("note: ACCORD_TEST_POSTGRES_URL is not set; skipping the PostgreSQL half");
            return None;
        };
        let name = format!("accord_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin_connection(&admin_url).await;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("creating the test database");
        let mut url = url::Url::parse(&admin_url).expect("ACCORD_TEST_POSTGRES_URL is a URL");
        url.set_path(&format!("/{name}"));
        Some(Self {
            admin_url,
            name,
            url: url.to_string(),
        })
    }
}

async fn admin_connection(admin_url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    match sqlx::PgConnection::connect(admin_url).await {
        Ok(conn) => conn,
        Err(_) => {
            // The database named in the URL may not exist; the server's default one does.
            let mut url = url::Url::parse(admin_url).expect("ACCORD_TEST_POSTGRES_URL is a URL");
            url.set_path("/postgres");
            sqlx::PgConnection::connect(url.as_str())
                .await
                .expect("connecting to ACCORD_TEST_POSTGRES_URL")
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime; drop the database from a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = admin_connection(&admin_url).await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
                    .map_err(std::io::Error::other)
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}
