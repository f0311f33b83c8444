//! The metadata segment of pact URLs handed to verifiers
//! (`/pacts/provider/P/consumer/C/pact-version/SHA/metadata/{m}`): why the pact was selected
//! and whether it is pending or work in progress. Verifiers publish their results to the same
//! metadata-bearing URL, which is how the broker learns that a result was for a WIP pact.
//!
//! `{m}` is base64url (no padding) of a nested query string, as Pact encodes it:
//! `s[][b]=main&s[][l]=true&s[][cv]=42&p=true`, or `w=true` for a WIP pact.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// One selection reason inside the metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SelectedBy {
    pub(crate) branch: Option<String>,
    pub(crate) tag: Option<String>,
    pub(crate) latest: bool,
    pub(crate) environment: Option<String>,
    /// The consumer version's database id.
    pub(crate) consumer_version: Option<i64>,
}

/// Decoded pact URL metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PactMetadata {
    pub(crate) selected: Vec<SelectedBy>,
    pub(crate) pending: Option<bool>,
    pub(crate) wip: bool,
}

fn escape(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

impl PactMetadata {
    /// The URL segment.
    pub(crate) fn encode(&self) -> String {
        let mut pairs: Vec<String> = Vec::new();
        if self.wip {
            pairs.push("w=true".to_owned());
        } else {
            for s in &self.selected {
                // The consumer version comes first: a repeated key starts a new entry when the
                // nested query is read back, so entries never merge.
                let mut keys = Vec::new();
                if let Some(cv) = s.consumer_version {
                    keys.push(format!("s[][cv]={cv}"));
                }
                if let Some(b) = &s.branch {
                    keys.push(format!("s[][b]={}", escape(b)));
                }
                if let Some(t) = &s.tag {
                    keys.push(format!("s[][t]={}", escape(t)));
                }
                if s.latest {
                    keys.push("s[][l]=true".to_owned());
                }
                if let Some(e) = &s.environment {
                    keys.push(format!("s[][e]={}", escape(e)));
                }
                pairs.extend(keys);
            }
            if let Some(p) = self.pending {
                pairs.push(format!("p={p}"));
            }
        }
        URL_SAFE_NO_PAD.encode(pairs.join("&"))
    }

    /// Reads a segment; anything unreadable is empty metadata (the segment is advisory).
    pub(crate) fn decode(segment: &str) -> Self {
        let mut out = PactMetadata::default();
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')) else {
            return out;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return out;
        };
        let mut current: Option<SelectedBy> = None;
        for pair in text.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode_str(key).decode_utf8_lossy().into_owned();
            let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key.as_str() {
                "w" => out.wip = value == "true",
                "p" => out.pending = Some(value == "true"),
                _ => {
                    let Some(field) = key.strip_prefix("s[][").and_then(|k| k.strip_suffix(']'))
                    else {
                        continue;
                    };
                    let entry = current.get_or_insert_with(SelectedBy::default);
                    let repeated = match field {
                        "b" => entry.branch.is_some(),
                        "t" => entry.tag.is_some(),
                        "l" => entry.latest,
                        "e" => entry.environment.is_some(),
                        "cv" => entry.consumer_version.is_some(),
                        _ => false,
                    };
                    if repeated {
                        out.selected.extend(current.take());
                    }
                    let entry = current.get_or_insert_with(SelectedBy::default);
                    match field {
                        "b" => entry.branch = Some(value),
                        "t" => entry.tag = Some(value),
                        "l" => entry.latest = value == "true",
                        "e" => entry.environment = Some(value),
                        "cv" => entry.consumer_version = value.parse().ok(),
                        _ => {}
                    }
                }
            }
        }
        out.selected.extend(current);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_reasons_and_pending() {
        let metadata = PactMetadata {
            selected: vec![
                SelectedBy {
                    branch: Some("feat/x y".into()),
                    latest: true,
                    consumer_version: Some(7),
                    ..SelectedBy::default()
                },
                SelectedBy {
                    environment: Some("production".into()),
                    consumer_version: Some(3),
                    ..SelectedBy::default()
                },
            ],
            pending: Some(true),
            wip: false,
        };
        let segment = metadata.encode();
        assert!(!segment.contains('='), "no padding: {segment}");
        assert_eq!(PactMetadata::decode(&segment), metadata);
    }

    #[test]
    fn wip_flag_is_read_back() {
        let wip = PactMetadata {
            wip: true,
            ..PactMetadata::default()
        };
        assert!(PactMetadata::decode(&wip.encode()).wip);
        assert!(!PactMetadata::decode("not base64 !").wip);
        assert!(!PactMetadata::decode(&URL_SAFE_NO_PAD.encode("w=false")).wip);
    }
}
