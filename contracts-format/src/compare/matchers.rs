//! Comparing matching rules: which changes tighten what a matcher accepts, which loosen it.

use indexmap::IndexMap;

use super::{Breaks, Diff, Role};
use crate::model::{Combine, Matcher, MatchingRules, RuleCategory, RuleList, StatusCodes};

/// Compares matching rules key by key: added rules loosen (any matcher is looser than
/// equality on the example), removed rules tighten, changed rules are ranked by strictness.
pub(super) fn compare_rules(
    old: &MatchingRules,
    new: &MatchingRules,
    at: &str,
    role: Role,
    diff: &mut Diff,
) {
    let categories: Vec<RuleCategory> = {
        let mut all: Vec<RuleCategory> = old
            .categories
            .keys()
            .chain(new.categories.keys())
            .copied()
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let empty = IndexMap::new();
    for category in categories {
        let old_entries = old.category(category).unwrap_or(&empty);
        let new_entries = new.category(category).unwrap_or(&empty);
        let keys: Vec<&String> = {
            let mut keys: Vec<&String> = old_entries.keys().collect();
            keys.extend(new_entries.keys().filter(|k| !old_entries.contains_key(*k)));
            keys
        };
        for key in keys {
            let here = format!("{at}.{}['{key}']", category.as_str());
            match (old_entries.get(key), new_entries.get(key)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => {
                    let (tighter, looser) = strictness_change(a, b);
                    let breaks = match (tighter, looser) {
                        (true, true) => merge(role.tightened(), role.loosened()),
                        (true, false) => role.tightened(),
                        (false, true) => role.loosened(),
                        (false, false) => Breaks::NONE,
                    };
                    let verb = match (tighter, looser) {
                        (true, false) => "tightened",
                        (false, true) => "loosened",
                        _ => "changed",
                    };
                    diff.push(
                        here,
                        format!("matcher {verb}: {} -> {}", describe(a), describe(b)),
                        breaks,
                    );
                }
                (Some(a), None) => diff.push(
                    here,
                    format!(
                        "matcher removed ({}), the example must now match exactly",
                        describe(a)
                    ),
                    role.tightened(),
                ),
                (None, Some(b)) => {
                    if b.matchers.iter().all(|m| *m == Matcher::Equality) {
                        continue;
                    }
                    diff.push(
                        here,
                        format!("matcher added ({})", describe(b)),
                        role.loosened(),
                    );
                }
                (None, None) => {}
            }
        }
    }
}

fn merge(a: Breaks, b: Breaks) -> Breaks {
    Breaks {
        provider: a.provider || b.provider,
        consumer: a.consumer || b.consumer,
    }
}

/// How strict a matcher is: equality on the example is the strictest, shape-only matchers the
/// loosest.
fn rank(matcher: &Matcher) -> u8 {
    match matcher {
        Matcher::Equality => 4,
        Matcher::Regex(_)
        | Matcher::Include(_)
        | Matcher::Integer
        | Matcher::Decimal
        | Matcher::Boolean
        | Matcher::Null
        | Matcher::Date(_)
        | Matcher::Time(_)
        | Matcher::DateTime(_)
        | Matcher::ContentType(_)
        | Matcher::StatusCode(_)
        | Matcher::Semver => 3,
        Matcher::Number => 2,
        Matcher::Type { .. }
        | Matcher::Values
        | Matcher::ArrayContains(_)
        | Matcher::NotEmpty
        | Matcher::EachKey { .. }
        | Matcher::EachValue { .. } => 1,
    }
}

fn list_rank(list: &RuleList) -> u8 {
    let ranks = list.matchers.iter().map(rank);
    match list.combine {
        Combine::And => ranks.max().unwrap_or(4),
        Combine::Or => ranks.min().unwrap_or(4),
    }
}

/// Whether going from `old` to `new` can reject values accepted before (tighter) and accept
/// values rejected before (looser).
fn strictness_change(old: &RuleList, new: &RuleList) -> (bool, bool) {
    if let (
        [
            Matcher::Type {
                min: a_min,
                max: a_max,
            },
        ],
        [
            Matcher::Type {
                min: b_min,
                max: b_max,
            },
        ],
    ) = (old.matchers.as_slice(), new.matchers.as_slice())
    {
        let min_up = b_min.unwrap_or(0) > a_min.unwrap_or(0);
        let min_down = b_min.unwrap_or(0) < a_min.unwrap_or(0);
        let max_down = b_max.unwrap_or(usize::MAX) < a_max.unwrap_or(usize::MAX);
        let max_up = b_max.unwrap_or(usize::MAX) > a_max.unwrap_or(usize::MAX);
        return (min_up || max_down, min_down || max_up);
    }
    if let ([Matcher::StatusCode(a)], [Matcher::StatusCode(b)]) =
        (old.matchers.as_slice(), new.matchers.as_slice())
    {
        let accepts = |codes: &StatusCodes, status: u16| match codes {
            StatusCodes::Class(class) => class.contains(status),
            StatusCodes::Codes(list) => list.contains(&status),
        };
        let tighter = (100..600).any(|s| accepts(a, s) && !accepts(b, s));
        let looser = (100..600).any(|s| !accepts(a, s) && accepts(b, s));
        return (tighter, looser);
    }
    let (a, b) = (list_rank(old), list_rank(new));
    match a.cmp(&b) {
        std::cmp::Ordering::Less => (true, false),
        std::cmp::Ordering::Greater => (false, true),
        std::cmp::Ordering::Equal => (true, true),
    }
}

fn describe(list: &RuleList) -> String {
    let parts: Vec<String> = list.matchers.iter().map(describe_matcher).collect();
    let joiner = match list.combine {
        Combine::And => " and ",
        Combine::Or => " or ",
    };
    parts.join(joiner)
}

fn describe_matcher(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Regex(pattern) => format!("regex {:?}", pattern.as_str()),
        Matcher::Type { min, max } => {
            let mut out = "type".to_owned();
            if let Some(min) = min {
                out.push_str(&format!(" min {min}"));
            }
            if let Some(max) = max {
                out.push_str(&format!(" max {max}"));
            }
            out
        }
        Matcher::Include(value) => format!("include {value:?}"),
        Matcher::Date(Some(f)) | Matcher::Time(Some(f)) | Matcher::DateTime(Some(f)) => {
            format!("{} {f:?}", matcher.name())
        }
        Matcher::StatusCode(StatusCodes::Class(class)) => format!("statusCode {}", class.as_str()),
        Matcher::StatusCode(StatusCodes::Codes(codes)) => format!("statusCode {codes:?}"),
        other => other.name().to_owned(),
    }
}
