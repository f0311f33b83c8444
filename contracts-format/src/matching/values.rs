//! Matchers applied to single values: what each matcher of V2, V3 and V4 accepts, for JSON
//! values (bodies, metadata) and for text (headers, query values, paths, XML attributes and
//! text, where numbers arrive as strings).

use serde_json::Value;

use crate::datefmt;
use crate::model::{Matcher, StatusCodes};

/// Where a value comes from: JSON keeps types, text makes everything a string that number
/// and boolean matchers parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    Json,
    Text,
}

/// True when `actual` satisfies `matcher` (with `expected` as the example). Matchers that
/// describe containers (`values`, `eachKey`, `eachValue`, `arrayContains`) only check the
/// kind of container here: the container walk applies them to the children.
pub(crate) fn accepts(matcher: &Matcher, expected: &Value, actual: &Value, domain: Domain) -> bool {
    match matcher {
        Matcher::Equality => json_equal(expected, actual),
        Matcher::Regex(pattern) => text_of(actual).is_some_and(|t| pattern.is_full_match(&t)),
        Matcher::Type { .. } => domain == Domain::Text || same_type(expected, actual),
        Matcher::Include(needle) => text_of(actual).is_some_and(|t| t.contains(needle.as_str())),
        Matcher::Integer => match actual {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::String(s) => domain == Domain::Text && is_integer_text(s),
            _ => false,
        },
        Matcher::Decimal => match actual {
            Value::Number(n) => n.is_f64(),
            Value::String(s) => domain == Domain::Text && is_decimal_text(s),
            _ => false,
        },
        Matcher::Number => match actual {
            Value::Number(_) => true,
            Value::String(s) => {
                domain == Domain::Text && (is_integer_text(s) || is_decimal_text(s))
            }
            _ => false,
        },
        Matcher::Boolean => match actual {
            Value::Bool(_) => true,
            Value::String(s) => s == "true" || s == "false",
            _ => false,
        },
        Matcher::Null => actual.is_null(),
        Matcher::Date(format) => actual.as_str().is_some_and(|s| {
            datefmt::matches(format.as_deref().unwrap_or(datefmt::DEFAULT_DATE), s)
        }),
        Matcher::Time(format) => actual.as_str().is_some_and(|s| match format {
            Some(f) => datefmt::matches(f, s),
            None => datefmt::is_iso_time(s),
        }),
        Matcher::DateTime(format) => actual.as_str().is_some_and(|s| match format {
            Some(f) => datefmt::matches(f, s),
            None => datefmt::is_iso_datetime(s),
        }),
        Matcher::ContentType(content_type) => actual.as_str().is_some_and(|s| {
            super::content::detect(s.as_bytes())
                .is_some_and(|found| super::content::same_media_type(found, content_type))
        }),
        Matcher::StatusCode(codes) => actual
            .as_u64()
            .or_else(|| actual.as_str().and_then(|s| s.parse().ok()))
            .and_then(|n| u16::try_from(n).ok())
            .is_some_and(|status| status_accepted(codes, status)),
        Matcher::NotEmpty => match actual {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => true,
        },
        Matcher::Semver => actual.as_str().is_some_and(is_semver),
        // Container matchers: the walk applies them to the children; here only the kind of
        // container is checked.
        Matcher::Values | Matcher::EachValue { .. } => {
            matches!(actual, Value::Object(_) | Value::Array(_))
        }
        Matcher::EachKey { .. } => actual.is_object(),
        Matcher::ArrayContains(_) => actual.is_array(),
    }
}

/// True when `status` is in the class or list.
pub(crate) fn status_accepted(codes: &StatusCodes, status: u16) -> bool {
    match codes {
        StatusCodes::Class(class) => class.contains(status),
        StatusCodes::Codes(list) => list.contains(&status),
    }
}

/// The text a regex or include matcher sees: strings as they are, numbers and booleans
/// written out; null, arrays and objects have none.
pub(crate) fn text_of(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(s.as_str().into()),
        Value::Number(n) => Some(n.to_string().into()),
        Value::Bool(b) => Some(b.to_string().into()),
        _ => None,
    }
}

/// JSON type equality; all numbers are one type.
pub(crate) fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub(crate) fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal_text(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let Some((int, frac)) = mantissa.split_once('.') else {
        return false;
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    digits(int) && !frac.is_empty() && digits(frac) && exponent.is_none_or(is_integer_text)
}

/// Semantic versions (semver.org 2.0): `MAJOR.MINOR.PATCH[-pre.release][+build]`.
pub(crate) fn is_semver(s: &str) -> bool {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numeric = |p: &str| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (p == "0" || !p.starts_with('0'))
    };
    let ident =
        |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || numeric(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pattern, StatusClass};
    use serde_json::json;

    fn ok(m: Matcher, e: Value, a: Value) -> bool {
        accepts(&m, &e, &a, Domain::Json)
    }

    fn text(m: Matcher, a: &str) -> bool {
        accepts(&m, &json!(""), &json!(a), Domain::Text)
    }

    #[test]
    fn equality_and_type() {
        assert!(ok(Matcher::Equality, json!(1), json!(1.0)));
        assert!(!ok(Matcher::Equality, json!("a"), json!("b")));
        let any = Matcher::Type {
            min: None,
            max: None,
        };
        assert!(ok(any.clone(), json!(1), json!(2.5)));
        assert!(!ok(any.clone(), json!(1), json!("1")));
        assert!(!ok(any.clone(), json!(null), json!(0)));
        assert!(ok(any, json!({}), json!({"a": 1})));
    }

    #[test]
    fn regex_is_anchored() {
        let re = |s: &str| Matcher::Regex(Pattern::new(s));
        assert!(ok(re("\\d+"), json!(""), json!("123")));
        assert!(!ok(re("\\d+"), json!(""), json!("a123")));
        assert!(!ok(re("red|blue"), json!(""), json!("redder")));
        assert!(
            ok(re("[0-9]"), json!(""), json!(4)),
            "numbers are written out"
        );
        assert!(!ok(re(".*"), json!(""), json!(null)));
        assert!(
            !ok(re("("), json!(""), json!("(")),
            "a broken pattern matches nothing"
        );
    }

    #[test]
    fn numbers_integer_vs_decimal() {
        assert!(ok(Matcher::Integer, json!(0), json!(42)));
        assert!(
            !ok(Matcher::Integer, json!(0), json!(1.0)),
            "1.0 is a decimal"
        );
        assert!(ok(Matcher::Decimal, json!(0), json!(1.0)));
        assert!(!ok(Matcher::Decimal, json!(0), json!(1)));
        assert!(
            !ok(Matcher::Integer, json!(0), json!("1")),
            "strings in JSON are not numbers"
        );
        assert!(text(Matcher::Integer, "-12"));
        assert!(!text(Matcher::Integer, "1.5"));
        assert!(text(Matcher::Decimal, "1.5"));
        assert!(text(Matcher::Decimal, "-0.5e3"));
        assert!(!text(Matcher::Decimal, "15"));
        assert!(text(Matcher::Number, "15"));
        assert!(!text(Matcher::Number, "x"));
        assert!(ok(Matcher::Number, json!(0), json!(-3.25)));
    }

    #[test]
    fn booleans_nulls_includes() {
        assert!(ok(Matcher::Boolean, json!(true), json!(false)));
        assert!(ok(Matcher::Boolean, json!(true), json!("true")));
        assert!(!ok(Matcher::Boolean, json!(true), json!(1)));
        assert!(ok(Matcher::Null, json!(null), json!(null)));
        assert!(!ok(Matcher::Null, json!(null), json!("")));
        assert!(ok(
            Matcher::Include("ell".into()),
            json!(""),
            json!("hello")
        ));
        assert!(!ok(Matcher::Include("x".into()), json!(""), json!("hello")));
    }

    #[test]
    fn dates_and_times() {
        assert!(ok(Matcher::Date(None), json!(""), json!("2024-01-31")));
        assert!(!ok(Matcher::Date(None), json!(""), json!("2024-01-32")));
        assert!(ok(
            Matcher::Date(Some("dd/MM/yyyy".into())),
            json!(""),
            json!("29/10/2015")
        ));
        assert!(ok(Matcher::Time(None), json!(""), json!("10:20:30")));
        assert!(ok(
            Matcher::DateTime(None),
            json!(""),
            json!("2024-01-31T10:20:30+01:00")
        ));
        let fmt = Some("yyyy-MM-dd'T'HH:mm:ssXXX".to_owned());
        assert!(ok(
            Matcher::DateTime(fmt.clone()),
            json!(""),
            json!("2024-01-31T10:20:30-05:00")
        ));
        assert!(!ok(
            Matcher::DateTime(fmt),
            json!(""),
            json!("2024-01-31T10:20:30")
        ));
        assert!(!ok(Matcher::Date(None), json!(""), json!(20240131)));
    }

    #[test]
    fn not_empty_semver_status() {
        assert!(!ok(Matcher::NotEmpty, json!(""), json!("")));
        assert!(!ok(Matcher::NotEmpty, json!([]), json!([])));
        assert!(ok(Matcher::NotEmpty, json!([]), json!([1])));
        assert!(!ok(Matcher::NotEmpty, json!(""), json!(null)));
        for good in ["1.0.0", "0.10.3-alpha.1", "2.0.0+build.5", "1.2.3-rc.1+x"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "1.0.0+"] {
            assert!(!is_semver(bad), "{bad}");
        }
        let success = Matcher::StatusCode(StatusCodes::Class(StatusClass::Success));
        assert!(ok(success.clone(), json!(200), json!(204)));
        assert!(!ok(success, json!(200), json!(404)));
        let list = Matcher::StatusCode(StatusCodes::Codes(vec![200, 201]));
        assert!(ok(list, json!(200), json!(201)));
    }
}
