//! Errors of reading and writing contract files. Every one says where the problem is: the
//! file (when known) and the JSON path inside it.

use std::fmt;
use std::path::PathBuf;

use crate::model::{SpecVersion, UnknownSpecVersion};

/// A contract file (or part of one) that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text is not JSON at all.
    #[error("{}: not valid JSON: {source}", FileName(file))]
    Syntax {
        /// The file, when reading from one.
        file: Option<PathBuf>,
        /// What the JSON parser said (it includes the line and column).
        #[source]
        source: serde_json::Error,
    },
    /// The JSON does not describe a contract.
    #[error("{}: {at}: {problem}", FileName(file))]
    Invalid {
        /// The file, when reading from one.
        file: Option<PathBuf>,
        /// JSON path of the offending value, e.g. `$.interactions[2].request.method`.
        at: String,
        /// What is wrong there.
        problem: Problem,
    },
}

impl ParseError {
    /// Attaches the file name the text was read from.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        match &mut self {
            ParseError::Syntax { file, .. } | ParseError::Invalid { file, .. } => {
                *file = Some(path.into())
            }
        }
        self
    }

    /// The JSON path of the problem (`$` for syntax errors).
    pub fn json_path(&self) -> &str {
        match self {
            ParseError::Syntax { .. } => "$",
            ParseError::Invalid { at, .. } => at,
        }
    }

    /// The problem without the file and path.
    pub fn problem(&self) -> String {
        match self {
            ParseError::Syntax { source, .. } => format!("not valid JSON: {source}"),
            ParseError::Invalid { problem, .. } => problem.to_string(),
        }
    }

    pub(crate) fn invalid(at: String, problem: Problem) -> Self {
        ParseError::Invalid {
            file: None,
            at,
            problem,
        }
    }
}

struct FileName<'a>(&'a Option<PathBuf>);

impl fmt::Display for FileName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) => write!(f, "{}", path.display()),
            None => f.write_str("<contract>"),
        }
    }
}

/// What is wrong at a place in a contract file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A value has the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The JSON type (or shape) expected.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// A required member is absent.
    #[error("missing required field \"{0}\"")]
    Missing(&'static str),
    /// A value is outside what the field allows.
    #[error("{found} is not a valid value here (expected {expected})")]
    BadValue {
        /// What the field allows.
        expected: &'static str,
        /// The value found, rendered as JSON.
        found: String,
    },
    /// A matcher name no spec version defines.
    #[error("unknown matcher \"{0}\"")]
    UnknownMatcher(String),
    /// A matcher without a `match` attribute whose kind cannot be inferred.
    #[error("matcher has no \"match\" attribute and no regex, min or max to infer it from")]
    UntypedMatcher,
    /// A generator type no spec version defines.
    #[error("unknown generator type \"{0}\"")]
    UnknownGenerator(String),
    /// A matching-rule or generator category no spec version defines.
    #[error("unknown category \"{0}\"")]
    UnknownCategory(String),
    /// A V2 matching-rule path that addresses no part of a request or response.
    #[error(
        "matching rule path \"{0}\" addresses no part of the interaction (expected $.body, $.headers.NAME, $.query.NAME, $.path, $.method or $.status)"
    )]
    BadRulePath(String),
    /// An interaction `type` that is not one of the three V4 kinds.
    #[error(
        "unknown interaction type \"{0}\" (expected Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages)"
    )]
    UnknownInteractionType(String),
    /// The specification version is not one Accord knows.
    #[error(transparent)]
    UnknownVersion(#[from] UnknownSpecVersion),
    /// A base64-encoded body does not decode.
    #[error("body is marked base64-encoded but does not decode: {0}")]
    BadBase64(#[source] base64::DecodeError),
    /// A body marked as JSON-encoded text does not parse as JSON.
    #[error("body is marked JSON-encoded but does not parse: {0}")]
    BadEncodedJson(#[source] serde_json::Error),
}

/// A contract that cannot be written in the requested specification version without
/// losing meaning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write as Pact {version}: {at}: {reason}")]
pub struct WriteError {
    /// The version asked for.
    pub version: SpecVersion,
    /// Where in the contract the inexpressible part is.
    pub at: String,
    /// What that version cannot express.
    pub reason: String,
}
