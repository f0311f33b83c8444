//! Java `SimpleDateFormat`/`DateTimeFormatter`-style patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`),
//! which Pact contracts use for date, time and datetime matchers and generators: checking
//! that a string follows a pattern, and formatting a date-time with one.
//!
//! Numeric fields are strict as in `java.time`: `dd` needs two digits, `d` one or two;
//! `yyyy` four or more. Values are range-checked and, when year, month and day are all
//! present, checked to form a real date.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'p> {
    Literal(Cow<'p, str>),
    /// A pattern letter and how many times it repeats.
    Field(char, usize),
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A pattern letter this module does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownLetter(pub(crate) char);

/// The tokens of a pattern, read lazily so that matching allocates nothing for the usual
/// patterns (a quoted literal containing `''` is the exception).
#[derive(Debug, Clone)]
struct Tokens<'p> {
    rest: &'p str,
}

fn is_letter(c: char) -> bool {
    matches!(
        c,
        'G' | 'y'
            | 'Y'
            | 'u'
            | 'M'
            | 'L'
            | 'd'
            | 'D'
            | 'E'
            | 'e'
            | 'a'
            | 'H'
            | 'k'
            | 'K'
            | 'h'
            | 'm'
            | 's'
            | 'S'
            | 'n'
            | 'z'
            | 'Z'
            | 'X'
            | 'x'
            | 'w'
            | 'W'
            | 'F'
    )
}

impl<'p> Iterator for Tokens<'p> {
    type Item = Result<Token<'p>, UnknownLetter>;

    fn next(&mut self) -> Option<Self::Item> {
        let c = self.rest.chars().next()?;
        if c == '\'' {
            let body = &self.rest[1..];
            if let Some(after) = body.strip_prefix('\'') {
                self.rest = after;
                return Some(Ok(Token::Literal(Cow::Borrowed("'"))));
            }
            // 'text', where '' inside stands for a quote.
            let mut text = Cow::Borrowed("");
            let mut rest = body;
            loop {
                match rest.find('\'') {
                    None => {
                        append(&mut text, rest);
                        rest = "";
                        break;
                    }
                    Some(i) if rest[i + 1..].starts_with('\'') => {
                        append(&mut text, &rest[..=i]);
                        rest = &rest[i + 2..];
                    }
                    Some(i) => {
                        append(&mut text, &rest[..i]);
                        rest = &rest[i + 1..];
                        break;
                    }
                }
            }
            self.rest = rest;
            return Some(Ok(Token::Literal(text)));
        }
        if c.is_ascii_alphabetic() {
            if !is_letter(c) {
                self.rest = "";
                return Some(Err(UnknownLetter(c)));
            }
            let count = self.rest.bytes().take_while(|b| *b == c as u8).count();
            self.rest = &self.rest[count..];
            return Some(Ok(Token::Field(c, count)));
        }
        let end = self
            .rest
            .bytes()
            .position(|b| b == b'\'' || b.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        let (literal, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(Ok(Token::Literal(Cow::Borrowed(literal))))
    }
}

fn append<'p>(text: &mut Cow<'p, str>, piece: &'p str) {
    if text.is_empty() {
        *text = Cow::Borrowed(piece);
    } else {
        text.to_mut().push_str(piece);
    }
}

fn tokens(pattern: &str) -> Tokens<'_> {
    Tokens { rest: pattern }
}

fn is_numeric(token: Option<&Result<Token<'_>, UnknownLetter>>) -> bool {
    match token {
        Some(Ok(Token::Field(c, n))) => {
            matches!(
                c,
                'y' | 'Y'
                    | 'u'
                    | 'd'
                    | 'D'
                    | 'H'
                    | 'k'
                    | 'K'
                    | 'h'
                    | 'm'
                    | 's'
                    | 'S'
                    | 'n'
                    | 'w'
                    | 'W'
                    | 'F'
            ) || (matches!(c, 'M' | 'L' | 'e') && *n < 3)
        }
        _ => false,
    }
}

#[derive(Debug, Default)]
struct Parsed {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
}

/// A pattern read once, for checking many values (a rule applies to every element of an
/// array).
#[derive(Debug, Clone)]
pub(crate) struct DatePattern<'p> {
    parts: Vec<Part<'p>>,
}

/// One token of a [`DatePattern`], with what [`field`] would decide for it per value decided
/// once: how many digits a numeric field takes, its range, and where its value goes.
#[derive(Debug, Clone)]
enum Part<'p> {
    /// A one-byte ASCII literal (`-`, `:`, `T`...).
    Byte(u8),
    Literal(Cow<'p, str>),
    /// `min..=max` digits, with the value in `range`, added to `add` and kept in `slot`.
    Number {
        min: usize,
        max: usize,
        range: (i64, i64),
        add: i64,
        slot: Slot,
    },
    /// A zone offset (`X`, `x`, `Z`): [`offset`]'s arguments.
    Offset {
        colon: Option<bool>,
        allow_z: bool,
        hours_only: bool,
    },
    /// Any other field (names, zones), read by [`field`].
    Field {
        letter: char,
        count: usize,
        next_numeric: bool,
    },
}

/// Where a numeric field's value goes, for the final check that the date exists: an index
/// into [`DatePattern::matches`]'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Year = 0,
    Month = 1,
    Day = 2,
    Nowhere = 3,
}

impl<'p> Part<'p> {
    fn new(token: Token<'p>, next_numeric: bool) -> Self {
        let (letter, count) = match token {
            Token::Literal(text) => {
                return match text.as_bytes() {
                    [byte] if byte.is_ascii() => Part::Byte(*byte),
                    _ => Part::Literal(text),
                };
            }
            Token::Field(letter, count) => (letter, count),
        };
        // As in `number`: fixed width when the next field is numeric or the letter repeats.
        let number = |natural, range, slot| {
            let (min, max) = if next_numeric || count > 1 {
                (count, count)
            } else {
                (1, natural)
            };
            Part::Number {
                min,
                max,
                range,
                add: 0,
                slot,
            }
        };
        let any = (i64::MIN, i64::MAX);
        let digits = |min, max, slot| Part::Number {
            min,
            max,
            range: any,
            add: 0,
            slot,
        };
        match letter {
            'y' | 'u' | 'Y' if count == 2 => Part::Number {
                min: 2,
                max: 2,
                range: any,
                add: 2000,
                slot: Slot::Year,
            },
            'y' | 'u' | 'Y' if next_numeric => digits(count, count, Slot::Year),
            'y' | 'u' | 'Y' => digits(count, 9, Slot::Year),
            'M' | 'L' if count < 3 => number(2, (1, 12), Slot::Month),
            'd' => number(2, (1, 31), Slot::Day),
            'D' => number(3, (1, 366), Slot::Nowhere),
            'e' if count < 3 => number(1, (1, 7), Slot::Nowhere),
            'F' => number(1, (1, 5), Slot::Nowhere),
            'w' => number(2, (1, 53), Slot::Nowhere),
            'W' => number(1, (0, 5), Slot::Nowhere),
            'H' => number(2, (0, 23), Slot::Nowhere),
            'k' => number(2, (1, 24), Slot::Nowhere),
            'K' => number(2, (0, 11), Slot::Nowhere),
            'h' => number(2, (1, 12), Slot::Nowhere),
            'm' | 's' => number(2, (0, 59), Slot::Nowhere),
            'S' => digits(count, count, Slot::Nowhere),
            'n' => digits(1, 9, Slot::Nowhere),
            'Z' if count <= 3 => Part::Offset {
                colon: Some(false),
                allow_z: false,
                hours_only: false,
            },
            'X' | 'x' => Part::Offset {
                colon: Some(count >= 3 && count != 4),
                allow_z: letter == 'X',
                hours_only: count == 1,
            },
            _ => Part::Field {
                letter,
                count,
                next_numeric,
            },
        }
    }
}

impl<'p> DatePattern<'p> {
    /// Reads `pattern`; `None` when it has unknown letters.
    pub(crate) fn new(pattern: &'p str) -> Option<Self> {
        let mut parts = Vec::with_capacity(pattern.len());
        let mut tokens = tokens(pattern).peekable();
        while let Some(token) = tokens.next() {
            let next_numeric = is_numeric(tokens.peek());
            parts.push(Part::new(token.ok()?, next_numeric));
        }
        Some(DatePattern { parts })
    }

    /// True when `text` follows the pattern exactly (nothing left over) with valid values.
    pub(crate) fn matches(&self, text: &str) -> bool {
        // Works on bytes and a position rather than on `&str` slices, whose every slicing
        // checks for a character boundary: only ASCII bytes are stepped over, so the
        // position is always at one.
        let bytes = text.as_bytes();
        let mut at = 0;
        // Year, month, day (see `Slot`), and a slot for values nothing needs.
        let mut values = [None; 4];
        for part in &self.parts {
            match part {
                Part::Byte(byte) => {
                    if bytes.get(at) != Some(byte) {
                        return false;
                    }
                    at += 1;
                }
                Part::Literal(lit) => {
                    if !bytes[at..].starts_with(lit.as_bytes()) {
                        return false;
                    }
                    at += lit.len();
                }
                Part::Number {
                    min,
                    max,
                    range: (lo, hi),
                    add,
                    slot,
                } => {
                    let Some((value, len)) = leading_number(&bytes[at..], *min, *max) else {
                        return false;
                    };
                    if value < *lo || value > *hi {
                        return false;
                    }
                    values[*slot as usize] = Some(value + add);
                    at += len;
                }
                Part::Offset {
                    colon,
                    allow_z,
                    hours_only,
                } => {
                    let Some(rest) = offset(&text[at..], *colon, *allow_z, *hours_only) else {
                        return false;
                    };
                    at = text.len() - rest.len();
                }
                Part::Field {
                    letter,
                    count,
                    next_numeric,
                } => {
                    let mut parsed = Parsed {
                        year: values[Slot::Year as usize],
                        month: values[Slot::Month as usize],
                        day: values[Slot::Day as usize],
                    };
                    let Some(rest) =
                        field(*letter, *count, &text[at..], *next_numeric, &mut parsed)
                    else {
                        return false;
                    };
                    values[Slot::Year as usize] = parsed.year;
                    values[Slot::Month as usize] = parsed.month;
                    values[Slot::Day as usize] = parsed.day;
                    at = text.len() - rest.len();
                }
            }
        }
        if at != bytes.len() {
            return false;
        }
        match (values[0], values[1], values[2]) {
            // Days up to the 28th exist in every month of every year chrono handles.
            (Some(1..=9999), Some(1..=12), Some(1..=28)) => true,
            (Some(y), Some(m), Some(d)) => i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m as u32, d as u32))
                .is_some(),
            _ => true,
        }
    }
}

/// [`digits`] on bytes: the value of the `min..=max` digits `bytes` starts with, and how
/// many there are.
fn leading_number(bytes: &[u8], min: usize, max: usize) -> Option<(i64, usize)> {
    let end = max.min(18).min(bytes.len());
    let mut value: i64 = 0;
    let mut len = 0;
    while len < end {
        let digit = bytes[len].wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value * 10 + i64::from(digit);
        len += 1;
    }
    (len >= min && len > 0).then_some((value, len))
}

/// True when `text` follows `pattern` exactly (nothing left over) with valid values.
/// Unknown pattern letters make every text fail.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    DatePattern::new(pattern).is_some_and(|p| p.matches(text))
}

/// Reads `min..=max` digits (exactly `count` when the next field is numeric too).
fn digits(text: &str, min: usize, max: usize) -> Option<(i64, &str)> {
    leading_number(text.as_bytes(), min, max).map(|(value, len)| (value, &text[len..]))
}

fn number(
    text: &str,
    count: usize,
    natural: usize,
    next_numeric: bool,
    range: (i64, i64),
) -> Option<(i64, &str)> {
    let (min, max) = if next_numeric || count > 1 {
        (count, count)
    } else {
        (1, natural)
    };
    let (value, rest) = digits(text, min, max)?;
    (range.0..=range.1)
        .contains(&value)
        .then_some((value, rest))
}

fn word<'t>(text: &'t str, words: &[&str], short: bool) -> Option<(usize, &'t str)> {
    for (i, w) in words.iter().enumerate() {
        let w = if short { &w[..3] } else { w };
        if text.len() >= w.len()
            && text.is_char_boundary(w.len())
            && text[..w.len()].eq_ignore_ascii_case(w)
        {
            return Some((i, &text[w.len()..]));
        }
    }
    None
}

fn offset(text: &str, colon: Option<bool>, allow_z: bool, hours_only: bool) -> Option<&str> {
    if allow_z && let Some(rest) = text.strip_prefix('Z') {
        return Some(rest);
    }
    let rest = text.strip_prefix(['+', '-'])?;
    let (h, rest) = digits(rest, 2, 2)?;
    if h > 18 {
        return None;
    }
    let (with_colon, rest) = match rest.strip_prefix(':') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if colon.is_some_and(|c| c != with_colon) {
        if hours_only && !with_colon {
            return Some(rest);
        }
        return None;
    }
    match digits(rest, 2, 2) {
        Some((m, r)) if m < 60 => Some(r),
        _ if hours_only && !with_colon => Some(rest),
        _ => None,
    }
}

fn field<'t>(
    letter: char,
    count: usize,
    text: &'t str,
    next_numeric: bool,
    parsed: &mut Parsed,
) -> Option<&'t str> {
    let n = |natural, range| number(text, count, natural, next_numeric, range);
    match letter {
        'y' | 'u' | 'Y' => {
            let (value, rest) = if count == 2 {
                digits(text, 2, 2)?
            } else if next_numeric {
                digits(text, count, count)?
            } else {
                digits(text, count, 9)?
            };
            parsed.year = Some(if count == 2 { 2000 + value } else { value });
            Some(rest)
        }
        'M' | 'L' if count >= 3 => {
            let (i, rest) = word(text, &MONTHS, count == 3)?;
            parsed.month = Some(i as i64 + 1);
            Some(rest)
        }
        'M' | 'L' => {
            let (v, rest) = n(2, (1, 12))?;
            parsed.month = Some(v);
            Some(rest)
        }
        'd' => {
            let (v, rest) = n(2, (1, 31))?;
            parsed.day = Some(v);
            Some(rest)
        }
        'D' => n(3, (1, 366)).map(|(_, r)| r),
        'E' => word(text, &DAYS, count <= 3).map(|(_, r)| r),
        'e' if count >= 3 => word(text, &DAYS, count == 3).map(|(_, r)| r),
        'e' => n(1, (1, 7)).map(|(_, r)| r),
        'F' => n(1, (1, 5)).map(|(_, r)| r),
        'w' => n(2, (1, 53)).map(|(_, r)| r),
        'W' => n(1, (0, 5)).map(|(_, r)| r),
        'a' => ["AM", "PM"]
            .iter()
            .find(|w| {
                text.len() >= 2 && text.is_char_boundary(2) && text[..2].eq_ignore_ascii_case(w)
            })
            .map(|_| &text[2..]),
        'G' => ["AD", "BC"]
            .iter()
            .find(|w| {
                text.len() >= 2 && text.is_char_boundary(2) && text[..2].eq_ignore_ascii_case(w)
            })
            .map(|_| &text[2..]),
        'H' => n(2, (0, 23)).map(|(_, r)| r),
        'k' => n(2, (1, 24)).map(|(_, r)| r),
        'K' => n(2, (0, 11)).map(|(_, r)| r),
        'h' => n(2, (1, 12)).map(|(_, r)| r),
        'm' => n(2, (0, 59)).map(|(_, r)| r),
        's' => n(2, (0, 59)).map(|(_, r)| r),
        'S' => digits(text, count, count).map(|(_, r)| r),
        'n' => digits(text, 1, 9).map(|(_, r)| r),
        'Z' if count <= 3 => offset(text, Some(false), false, false),
        'Z' => offset(text, Some(true), true, false).or_else(|| text.strip_prefix("GMT")),
        'X' | 'x' => {
            let allow_z = letter == 'X';
            match count {
                1 => offset(text, Some(false), allow_z, true),
                2 | 4 => offset(text, Some(false), allow_z, false),
                _ => offset(text, Some(true), allow_z, false),
            }
        }
        'z' => {
            // Zone names (UTC, PST, Europe/Paris) or GMT offsets.
            let len = text
                .char_indices()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || "/_+-:".contains(*c))
                .count();
            let name = &text[..len];
            (len > 0 && name.starts_with(|c: char| c.is_ascii_alphabetic())).then(|| &text[len..])
        }
        _ => None,
    }
}

/// Formats `at` with `pattern`; `None` when the pattern has unknown letters.
pub(crate) fn format(pattern: &str, at: &DateTime<FixedOffset>) -> Option<String> {
    let mut out = String::new();
    for token in tokens(pattern) {
        match token.ok()? {
            Token::Literal(text) => out.push_str(&text),
            Token::Field(letter, count) => out.push_str(&format_field(letter, count, at)),
        }
    }
    Some(out)
}

fn pad(value: i64, width: usize) -> String {
    format!("{value:0width$}")
}

fn format_offset(seconds: i32, colon: bool, z: bool) -> String {
    if z && seconds == 0 {
        return "Z".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    if colon {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}")
    }
}

fn format_field(letter: char, count: usize, at: &DateTime<FixedOffset>) -> String {
    let hour = at.hour() as i64;
    match letter {
        'y' | 'u' | 'Y' if count == 2 => pad(i64::from(at.year()).rem_euclid(100), 2),
        'y' | 'u' | 'Y' => pad(i64::from(at.year()), count),
        'M' | 'L' if count == 3 => MONTHS[at.month0() as usize][..3].to_owned(),
        'M' | 'L' if count > 3 => MONTHS[at.month0() as usize].to_owned(),
        'M' | 'L' => pad(i64::from(at.month()), count),
        'd' => pad(i64::from(at.day()), count),
        'D' => pad(i64::from(at.ordinal()), count),
        'E' if count <= 3 => DAYS[at.weekday().num_days_from_monday() as usize][..3].to_owned(),
        'E' => DAYS[at.weekday().num_days_from_monday() as usize].to_owned(),
        'e' | 'F' => pad(i64::from(at.weekday().number_from_monday()), count),
        'w' => pad(i64::from(at.iso_week().week()), count),
        'W' => pad(i64::from((at.day() - 1) / 7 + 1), count),
        'a' => if hour < 12 { "AM" } else { "PM" }.to_owned(),
        'G' => "AD".to_owned(),
        'H' => pad(hour, count),
        'k' => pad(if hour == 0 { 24 } else { hour }, count),
        'K' => pad(hour % 12, count),
        'h' => pad(if hour % 12 == 0 { 12 } else { hour % 12 }, count),
        'm' => pad(i64::from(at.minute()), count),
        's' => pad(i64::from(at.second()), count),
        'S' => {
            let nanos = format!("{:09}", at.nanosecond().min(999_999_999));
            let mut digits: String = nanos.chars().take(count).collect();
            while digits.len() < count {
                digits.push('0');
            }
            digits
        }
        'n' => at.nanosecond().to_string(),
        'Z' if count <= 3 => format_offset(at.offset().local_minus_utc(), false, false),
        'Z' => format_offset(at.offset().local_minus_utc(), true, true),
        'X' | 'x' => {
            let seconds = at.offset().local_minus_utc();
            let text = format_offset(seconds, count >= 3, letter == 'X');
            if count == 1 && text.len() == 5 && text.ends_with("00") {
                text[..3].to_owned()
            } else {
                text
            }
        }
        'z' => {
            if at.offset().local_minus_utc() == 0 {
                "UTC".to_owned()
            } else {
                format_offset(at.offset().local_minus_utc(), true, false)
            }
        }
        _ => String::new(),
    }
}

/// Default patterns of the date, time and datetime matchers and generators.
pub(crate) const DEFAULT_DATE: &str = "yyyy-MM-dd";
/// See [`DEFAULT_DATE`].
pub(crate) const DEFAULT_TIME: &str = "HH:mm:ss";
/// See [`DEFAULT_DATE`]; formatting only (matching without a pattern accepts ISO 8601).
pub(crate) const DEFAULT_DATETIME: &str = "yyyy-MM-dd'T'HH:mm:ssXXX";

/// True for ISO 8601 date-times: `2024-05-01T10:20:30`, with optional fraction and offset.
pub(crate) fn is_iso_datetime(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || matches(DEFAULT_DATETIME, text)
        || matches("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", text)
}

/// True for ISO 8601 times: `10:20:30`, with optional fraction and offset.
pub(crate) fn is_iso_time(text: &str) -> bool {
    chrono::NaiveTime::parse_from_str(text, "%H:%M:%S%.f").is_ok()
        || matches("HH:mm:ssXXX", text)
        || matches("HH:mm:ss.SSSXXX", text)
}

#[cfg(test)]
mod tests;
