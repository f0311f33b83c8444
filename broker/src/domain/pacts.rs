//! Choosing among pact publications.

use std::collections::HashSet;

use crate::store::PactRow;

/// Keeps the newest publication of each integration (consumer, provider) from `rows`.
/// Rows are compared by consumer version id (higher is newer); the output is newest first.
pub fn latest_per_integration(mut rows: Vec<PactRow>) -> Vec<PactRow> {
    rows.sort_by_key(|row| std::cmp::Reverse(row.consumer_version_id));
    let mut seen = HashSet::new();
    rows.retain(|row| seen.insert((row.consumer_name.clone(), row.provider_name.clone())));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn row(consumer: &str, provider: &str, version_id: i64) -> PactRow {
        PactRow {
            id: version_id,
            consumer_name: consumer.to_owned(),
            provider_name: provider.to_owned(),
            consumer_version_id: version_id,
            consumer_version_number: format!("v{version_id}"),
            sha: "sha".to_owned(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn keeps_the_newest_per_integration() {
        let rows = vec![
            row("A", "P", 1),
            row("A", "P", 3),
            row("B", "P", 2),
            row("A", "Q", 1),
        ];
        let latest: Vec<(String, i64)> = latest_per_integration(rows)
            .into_iter()
            .map(|r| {
                (
                    format!("{}->{}", r.consumer_name, r.provider_name),
                    r.consumer_version_id,
                )
            })
            .collect();
        assert_eq!(
            latest,
            vec![
                ("A->P".to_owned(), 3),
                ("B->P".to_owned(), 2),
                ("A->Q".to_owned(), 1)
            ]
        );
    }
}
