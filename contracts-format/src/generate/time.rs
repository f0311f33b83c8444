//! `Date`, `Time` and `DateTime` generators: the current time, moved by a simple expression
//! (`today`, `tomorrow`, `yesterday`, `now`, `+1 day`, `- 2 hours`, `+1 week -3 days`) and
//! written with a Java-style pattern.

use chrono::{DateTime, Duration, FixedOffset, Months};
use serde_json::Value;

use crate::datefmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Date,
    Time,
    DateTime,
}

/// The formatted value; `None` when the expression or pattern is not understood.
pub(super) fn generate(
    kind: Kind,
    format: &Option<String>,
    expression: &Option<String>,
    now: DateTime<FixedOffset>,
) -> Option<Value> {
    let at = match expression {
        Some(expression) => shift(now, expression)?,
        None => now,
    };
    let pattern = format.as_deref().unwrap_or(match kind {
        Kind::Date => datefmt::DEFAULT_DATE,
        Kind::Time => datefmt::DEFAULT_TIME,
        Kind::DateTime => datefmt::DEFAULT_DATETIME,
    });
    datefmt::format(pattern, &at).map(Value::String)
}

/// Applies an expression such as `tomorrow + 2 hours` to `now`.
pub(super) fn shift(now: DateTime<FixedOffset>, expression: &str) -> Option<DateTime<FixedOffset>> {
    let mut at = now;
    let lowered = expression.trim().to_ascii_lowercase();
    let mut words: Vec<&str> = Vec::new();
    // Separate signs from numbers: "+1day" and "+ 1 day" read the same.
    let spaced = lowered.replace('+', " + ").replace('-', " - ");
    words.extend(spaced.split_whitespace());
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "now" | "today" => i += 1,
            "tomorrow" => {
                at += Duration::days(1);
                i += 1;
            }
            "yesterday" => {
                at -= Duration::days(1);
                i += 1;
            }
            sign @ ("+" | "-") => {
                let amount: i64 = words.get(i + 1)?.parse().ok()?;
                let amount = if sign == "-" { -amount } else { amount };
                let unit = words.get(i + 2)?.trim_end_matches('s');
                at = add(at, amount, unit)?;
                i += 3;
            }
            _ => return None,
        }
    }
    Some(at)
}

fn add(at: DateTime<FixedOffset>, amount: i64, unit: &str) -> Option<DateTime<FixedOffset>> {
    let months = |n: i64| {
        let m = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
        if n >= 0 {
            at.checked_add_months(m)
        } else {
            at.checked_sub_months(m)
        }
    };
    match unit {
        "second" | "sec" => at.checked_add_signed(Duration::try_seconds(amount)?),
        "minute" | "min" => at.checked_add_signed(Duration::try_minutes(amount)?),
        "hour" => at.checked_add_signed(Duration::try_hours(amount)?),
        "day" => at.checked_add_signed(Duration::try_days(amount)?),
        "week" => at.checked_add_signed(Duration::try_weeks(amount)?),
        "month" => months(amount),
        "year" => months(amount.checked_mul(12)?),
        _ => None,
    }
}
