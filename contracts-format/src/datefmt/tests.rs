//! Tests of date patterns: matching, formatting, and the compiled parts against the
//! field-by-field matcher they replace.

use super::*;

#[test]
fn matches_common_patterns() {
    assert!(matches("yyyy-MM-dd", "2024-02-29"));
    assert!(!matches("yyyy-MM-dd", "2023-02-29"), "not a leap year");
    assert!(!matches("yyyy-MM-dd", "2024-2-01"), "MM needs two digits");
    assert!(matches("yyyy-M-d", "2024-2-1"));
    assert!(!matches("yyyy-MM-dd", "2024-02-01x"), "trailing text");
    assert!(matches("dd/MM/yyyy", "29/10/2015"));
    assert!(matches("HH:mm:ss", "23:59:59"));
    assert!(!matches("HH:mm:ss", "22:98:78"));
    assert!(matches("yyyyMMdd", "20240131"));
    assert!(matches(
        "EEE, dd MMM yyyy HH:mm:ss z",
        "Tue, 05 Mar 2024 10:00:00 GMT"
    ));
    assert!(matches("MMMM d, yyyy h:mm a", "March 5, 2024 9:07 pm"));
}

#[test]
fn time_zones_and_fractions() {
    let p = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    assert!(matches(p, "2024-05-01T10:20:30.123Z"));
    assert!(matches(p, "2024-05-01T10:20:30.123+02:00"));
    assert!(
        !matches(p, "2024-05-01T10:20:30.123+0200"),
        "XXX needs a colon"
    );
    assert!(
        !matches(p, "2024-05-01T10:20:30.12Z"),
        "SSS needs three digits"
    );
    assert!(matches(
        "yyyy-MM-dd'T'HH:mm:ssZ",
        "2024-05-01T10:20:30-0500"
    ));
    assert!(!matches("yyyy-MM-dd'T'HH:mm:ssZ", "2024-05-01T10:20:30Z"));
    assert!(matches("yyyy-MM-dd'T'HH:mm:ssX", "2024-05-01T10:20:30+05"));
    assert!(is_iso_datetime("2024-05-01T10:20:30Z"));
    assert!(is_iso_datetime("2024-05-01T10:20:30.5+01:00"));
    assert!(is_iso_datetime("2024-05-01T10:20:30"));
    assert!(!is_iso_datetime("2024-05-01 10:20"));
    assert!(is_iso_time("10:20:30.25"));
}

/// Every token through [`field`], as matching worked before patterns were compiled
/// into parts: the reference the parts must agree with.
fn matches_field_by_field(pattern: &str, text: &str) -> bool {
    let Some(tokens) = tokens(pattern).collect::<Result<Vec<_>, _>>().ok() else {
        return false;
    };
    let mut rest = text;
    let mut parsed = Parsed::default();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).cloned().map(Ok);
        let after = match token {
            Token::Literal(lit) => rest.strip_prefix(lit.as_ref()),
            Token::Field(letter, count) => field(
                *letter,
                *count,
                rest,
                is_numeric(next.as_ref()),
                &mut parsed,
            ),
        };
        match after {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
        && match (parsed.year, parsed.month, parsed.day) {
            (Some(y), Some(m), Some(d)) => i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m as u32, d as u32))
                .is_some(),
            _ => true,
        }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn pattern() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("yyyy"),
            Just("yy"),
            Just("y"),
            Just("uuuu"),
            Just("MM"),
            Just("M"),
            Just("MMM"),
            Just("dd"),
            Just("d"),
            Just("D"),
            Just("HH"),
            Just("H"),
            Just("hh"),
            Just("k"),
            Just("K"),
            Just("mm"),
            Just("ss"),
            Just("SSS"),
            Just("S"),
            Just("n"),
            Just("a"),
            Just("E"),
            Just("e"),
            Just("w"),
            Just("W"),
            Just("F"),
            Just("X"),
            Just("XX"),
            Just("XXX"),
            Just("x"),
            Just("xxx"),
            Just("Z"),
            Just("ZZZZ"),
            Just("z"),
            Just("G"),
            Just("-"),
            Just(":"),
            Just("'T'"),
            Just(" "),
            Just("''"),
            Just("'o''clock'"),
            Just("."),
            Just("/"),
        ];
        prop::collection::vec(piece, 1..8).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn parts_agree_with_fields(
            pattern in pattern(),
            texts in prop::collection::vec("[0-9]{0,5}[-:T ./+Z]?[0-9]{0,4}(Mar|PM|Tue|GMT|UTC)?[+-]?[0-9:]{0,5}", 1..6),
        ) {
            let compiled = DatePattern::new(&pattern);
            for text in &texts {
                let expected = matches_field_by_field(&pattern, text);
                prop_assert_eq!(compiled.as_ref().is_some_and(|p| p.matches(text)), expected, "{} on {:?}", pattern, text);
            }
        }

        /// Dates written with the pattern, then one character changed to a digit:
        /// mostly valid dates, and invalid days, months, hours and lengths.
        #[test]
        fn parts_agree_with_fields_on_written_dates(
            pattern in pattern(),
            (year, month, day) in (0i32..10_000, 1u32..=12, 1u32..=31),
            seconds in 0u32..86_400,
            offset in -50_400i32..=50_400,
            change in (any::<prop::sample::Index>(), 0u8..10),
        ) {
            let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
                return Ok(());
            };
            let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0)
                .expect("seconds of a day");
            let zone = FixedOffset::east_opt(offset / 60 * 60).expect("offset within a day");
            let at = date.and_time(time).and_local_timezone(zone).single().expect("fixed offset");
            let Some(text) = format(&pattern, &at) else {
                return Ok(());
            };
            let mut changed = text.clone().into_bytes();
            if !changed.is_empty() {
                let (index, digit) = change;
                let i = index.index(changed.len());
                if changed[i].is_ascii() {
                    changed[i] = b'0' + digit;
                }
            }
            let compiled = DatePattern::new(&pattern);
            for text in [text, String::from_utf8_lossy(&changed).into_owned()] {
                let expected = matches_field_by_field(&pattern, &text);
                prop_assert_eq!(compiled.as_ref().is_some_and(|p| p.matches(&text)), expected, "{} on {:?}", pattern, text);
            }
        }
    }

    /// Every numeric field alone and before another field, on every number up to 400
    /// written with one to four digits, and on long runs of digits.
    #[test]
    fn numeric_parts_agree_with_fields_on_small_numbers() {
        let letters = [
            "yyyy", "yy", "y", "uuuu", "MM", "M", "dd", "d", "D", "DDD", "HH", "H", "kk", "k",
            "KK", "K", "hh", "h", "mm", "m", "ss", "s", "e", "F", "w", "W", "SSS", "S", "n",
        ];
        let mut texts: Vec<String> = (0..=400)
            .flat_map(|n| (1..=4).map(move |width| format!("{n:0width$}")))
            .collect();
        texts.extend(["123456789", "1234567890", "0123456789012345678901"].map(String::from));
        for letter in letters {
            for pattern in [
                letter.to_owned(),
                format!("{letter}mm"),
                format!("{letter}-"),
            ] {
                let compiled = DatePattern::new(&pattern).expect("known letters");
                for text in &texts {
                    for text in [text.clone(), format!("{text}-"), format!("{text}00")] {
                        assert_eq!(
                            compiled.matches(&text),
                            matches_field_by_field(&pattern, &text),
                            "{pattern} on {text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn parts_agree_with_fields_on_formatted_dates() {
        let at = DateTime::parse_from_rfc3339("2024-02-29T21:07:09.123+02:00").unwrap();
        let patterns = [
            "yyyy-MM-dd'T'HH:mm:ssX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "yy/M/d",
            "yyyyMMdd",
            "h:mm a",
            "EEE, dd MMM yyyy HH:mm:ss Z",
            "D w W F e",
            "xx",
            "ZZZZ",
        ];
        for pattern in patterns {
            let text = format(pattern, &at).unwrap();
            for candidate in [
                text.clone(),
                text.replace("29", "30"),
                text.replace('2', "0"),
            ] {
                assert_eq!(
                    matches(pattern, &candidate),
                    matches_field_by_field(pattern, &candidate),
                    "{pattern} on {candidate}"
                );
            }
        }
    }
}

#[test]
fn quoted_literals_and_unknown_letters() {
    assert!(matches("'at' HH 'o''clock'", "at 10 o'clock"));
    assert!(!matches("yyyy-qq", "2024-01"));
}

#[test]
fn formats_what_it_parses() {
    let at = DateTime::parse_from_rfc3339("2024-03-05T21:07:09.123456+02:00").unwrap();
    let cases = [
        ("yyyy-MM-dd", "2024-03-05"),
        ("yy/M/d", "24/3/5"),
        ("HH:mm:ss.SSS", "21:07:09.123"),
        ("h:mm a", "9:07 PM"),
        ("EEE, dd MMM yyyy", "Tue, 05 Mar 2024"),
        ("EEEE MMMM", "Tuesday March"),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2024-03-05T21:07:09+02:00"),
        ("Z", "+0200"),
    ];
    for (pattern, expected) in cases {
        let text = format(pattern, &at).unwrap();
        assert_eq!(text, expected, "{pattern}");
        assert!(matches(pattern, &text), "{pattern} parses its own output");
    }
    let utc = DateTime::parse_from_rfc3339("2024-03-05T00:00:00Z").unwrap();
    assert_eq!(format("XXX", &utc).unwrap(), "Z");
}
