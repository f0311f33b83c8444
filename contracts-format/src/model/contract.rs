//! A contract file: the two parties, their interactions and the file's metadata.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use super::Interaction;

/// A contract between one consumer and one provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// The service that makes requests or receives messages.
    pub consumer: Pacticipant,
    /// The service that answers requests or produces messages.
    pub provider: Pacticipant,
    /// Every interaction, in file order.
    pub interactions: Vec<Interaction>,
    /// The file's `metadata` object without `pactSpecification` (the version is
    /// [`Contract::spec_version`]); kept so that tool names and plugin data survive a round trip.
    pub metadata: Map<String, Value>,
    /// The specification version the contract was read from (or is meant to be written as).
    pub spec_version: SpecVersion,
}

impl Contract {
    /// An empty V4 contract between `consumer` and `provider`.
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Self {
        Contract {
            consumer: Pacticipant::new(consumer),
            provider: Pacticipant::new(provider),
            interactions: Vec::new(),
            metadata: Map::new(),
            spec_version: SpecVersion::V4,
        }
    }
}

/// One party of a contract (Pact calls consumers and providers together "pacticipants").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pacticipant {
    /// The service's name, as used by the broker.
    pub name: String,
}

impl Pacticipant {
    /// A pacticipant with this name.
    pub fn new(name: impl Into<String>) -> Self {
        Pacticipant { name: name.into() }
    }
}

/// The Pact specification versions Accord reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    /// Pact specification 1.0.0.
    V1,
    /// Pact specification 1.1.0.
    V1_1,
    /// Pact specification 2.0.0: matching rules keyed by JSON paths into the whole request.
    V2,
    /// Pact specification 3.0.0: rules by category, generators, provider states with params,
    /// message pacts.
    V3,
    /// Pact specification 4.0: typed interactions, bodies with content types.
    V4,
}

impl SpecVersion {
    /// The version string written to `metadata.pactSpecification.version`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1 => "1.0.0",
            SpecVersion::V1_1 => "1.1.0",
            SpecVersion::V2 => "2.0.0",
            SpecVersion::V3 => "3.0.0",
            SpecVersion::V4 => "4.0",
        }
    }

    /// True for the versions whose query strings, headers and bodies are plain JSON values
    /// (V1 to V3); V4 wraps bodies in a typed object.
    pub fn is_legacy(self) -> bool {
        self < SpecVersion::V4
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecVersion::V1 => "V1",
            SpecVersion::V1_1 => "V1.1",
            SpecVersion::V2 => "V2",
            SpecVersion::V3 => "V3",
            SpecVersion::V4 => "V4",
        })
    }
}

/// A version string that names no Pact specification version Accord knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Pact specification version \"{0}\" (expected 1.0.0, 1.1.0, 2.0.0, 3.0.0 or 4.0)")]
pub struct UnknownSpecVersion(pub String);

impl FromStr for SpecVersion {
    type Err = UnknownSpecVersion;

    /// Accepts the forms found in real files: `1`, `1.0`, `1.0.0`, `1.1`, `2.0.0`, `3.0.0`,
    /// `4.0`, `v4`, `V3`...
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let bare = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let mut parts = bare.split('.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("0");
        let patch = parts.next().unwrap_or("0");
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !numeric(major) || !numeric(minor) || !numeric(patch) {
            return Err(UnknownSpecVersion(text.to_owned()));
        }
        match (major.parse::<u32>(), minor.parse::<u32>()) {
            (Ok(1), Ok(0)) => Ok(SpecVersion::V1),
            (Ok(1), Ok(1)) => Ok(SpecVersion::V1_1),
            (Ok(2), Ok(_)) => Ok(SpecVersion::V2),
            (Ok(3), Ok(_)) => Ok(SpecVersion::V3),
            (Ok(4), Ok(_)) => Ok(SpecVersion::V4),
            _ => Err(UnknownSpecVersion(text.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_version_strings_found_in_real_files() {
        for (text, version) in [
            ("1.0.0", SpecVersion::V1),
            ("1", SpecVersion::V1),
            ("1.1.0", SpecVersion::V1_1),
            ("2.0.0", SpecVersion::V2),
            ("3.0.0", SpecVersion::V3),
            ("3", SpecVersion::V3),
            ("4.0", SpecVersion::V4),
            ("V4", SpecVersion::V4),
        ] {
            assert_eq!(text.parse::<SpecVersion>(), Ok(version), "{text}");
        }
        for bad in ["", "5.0.0", "x", "4.0.0.0", "3.a"] {
            assert!(bad.parse::<SpecVersion>().is_err(), "{bad}");
        }
    }
}
