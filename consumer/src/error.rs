//! Errors of building interactions, checking messages and writing contract files.

use std::path::PathBuf;

use serde_json::Value;

/// An interaction (or message) that cannot be added to a contract.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A template (body, header, path...) is not valid.
    #[error("interaction \"{interaction}\": {part} {}: {}", .error.at, .error.problem)]
    Template {
        /// The interaction's description.
        interaction: String,
        /// Which part holds the template: `request body`, `response header Location`...
        part: String,
        /// Where in the template, and what is wrong.
        #[source]
        error: Box<TemplateError>,
    },
    /// Another interaction with the same description and provider states exists already.
    #[error(
        "interaction \"{0}\" is defined twice with the same provider states; give one a different description"
    )]
    Duplicate(String),
    /// Provider state parameters must be a JSON object.
    #[error(
        "interaction \"{interaction}\": parameters of provider state \"{state}\" must be a JSON object, found {found}"
    )]
    StateParams {
        /// The interaction's description.
        interaction: String,
        /// The provider state's name.
        state: String,
        /// The value given.
        found: Value,
    },
}

/// A problem at one place of a template.
#[derive(Debug, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct TemplateError {
    /// Path expression of the place, rooted at the template (`$.items[*].id`).
    pub at: String,
    /// What is wrong there.
    #[source]
    pub problem: TemplateProblem,
}

impl TemplateError {
    pub(crate) fn new(at: &str, problem: TemplateProblem) -> Box<Self> {
        Box::new(TemplateError {
            at: at.to_owned(),
            problem,
        })
    }
}

/// What is wrong with a template.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateProblem {
    /// A regular expression does not compile.
    #[error("regular expression {pattern:?} does not compile")]
    BadRegex {
        /// The expression.
        pattern: String,
        /// Why it does not compile.
        #[source]
        source: regex::Error,
    },
    /// The example of a regex matcher does not match its expression.
    #[error("example {example:?} does not match regular expression {pattern:?}")]
    NoMatch {
        /// The expression.
        pattern: String,
        /// The example.
        example: String,
    },
    /// The example of an include matcher does not contain the substring.
    #[error("example {example} does not include {substring:?}")]
    NotIncluded {
        /// The substring.
        substring: String,
        /// The example.
        example: Value,
    },
    /// An example of the wrong kind for its matcher.
    #[error("the example of {matcher} must be {expected}, found {found}")]
    WrongExample {
        /// The helper's name.
        matcher: &'static str,
        /// What the example must be.
        expected: &'static str,
        /// The example given.
        found: Value,
    },
    /// The example of a date, time or date-time matcher is not in the matcher's format.
    #[error("example {example} of {matcher} is not in the format {format:?}")]
    BadDateTime {
        /// The matcher's name (`date`, `time`, `datetime`).
        matcher: &'static str,
        /// The format.
        format: String,
        /// The example.
        example: Value,
    },
    /// `each_like` bounds that no array satisfies.
    #[error("each_like bounds min {min}, max {max} admit no non-empty array")]
    BadBounds {
        /// The minimum.
        min: usize,
        /// The maximum.
        max: usize,
    },
    /// `array_containing` without variants.
    #[error("array_containing needs at least one variant")]
    NoVariants,
    /// The rule of `each_key`/`each_value` is not a matcher helper.
    #[error("the rule of each_key/each_value must be a matcher helper such as regex(..)")]
    NotAMatcher,
    /// A matcher nested inside a value that has no inner structure (a header, a path).
    #[error("matchers may only appear at the top of this value")]
    NestedMatcher,
    /// A path, header or query value whose example is not text.
    #[error("expected a string (or number or boolean) example, found {0}")]
    NotText(Value),
    /// A mock server URL pattern without a group capturing the part after the base URL.
    #[error("pattern {0:?} needs a group capturing the part of the URL after the base URL")]
    NoCaptureGroup(String),
    /// A matcher node this version does not know (a template built by hand).
    #[error("unknown matcher node \"{0}\"")]
    UnknownNode(String),
}

/// A contract file that cannot be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteContractError {
    /// Reading, locking, writing or renaming a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The existing contract file does not parse; it is left as it is.
    #[error("cannot merge into the existing contract file: {0}")]
    Existing(#[from] accord_contracts_format::ParseError),
    /// The existing file is a contract between other parties.
    #[error(
        "{}: holds a contract between {found_consumer} and {found_provider}, not {consumer} and {provider}",
        path.display()
    )]
    OtherParties {
        /// The file.
        path: PathBuf,
        /// The consumer being written.
        consumer: String,
        /// The provider being written.
        provider: String,
        /// The consumer in the file.
        found_consumer: String,
        /// The provider in the file.
        found_provider: String,
    },
    /// The contract cannot be expressed in the requested specification version.
    #[error(transparent)]
    Format(#[from] accord_contracts_format::WriteError),
    /// Interactions the consumer has not exercised: messages never passed to their
    /// consumer handler, or HTTP interactions written without a mock provider session.
    #[error(
        "interactions not exercised by the consumer (HTTP interactions are written by MockProvider::finish, messages after verify_message): {}",
        .0.join(", ")
    )]
    Unexercised(Vec<String>),
}

/// A message the consumer's handler did not accept, or that does not exist.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// No message interaction has this description.
    #[error("no message interaction is described as \"{0}\"")]
    Unknown(String),
    /// The handler returned an error for the example message.
    #[error("the handler rejected message \"{description}\": {source}")]
    Rejected {
        /// The message's description.
        description: String,
        /// The handler's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A mock provider that cannot start, or a session that did not go as the contract says.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The server could not be started (binding the port, creating its runtime or thread).
    #[error("cannot start the mock provider: {0}")]
    Start(#[source] std::io::Error),
    /// The server failed while running.
    #[error("the mock provider failed: {0}")]
    Serve(#[source] std::io::Error),
    /// Expected interactions were not received, or requests were unexpected or did not
    /// match; the contract was not written.
    #[error("the mock provider's session failed; the contract was not written:\n{0}")]
    Failed(crate::mock::MockReport),
    /// The session went well but the contract could not be written.
    #[error(transparent)]
    Write(#[from] WriteContractError),
}

/// A request to the standalone mock provider's control API (or a contract given at start)
/// that cannot be carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockServerError {
    /// The interaction or contract JSON is not valid.
    #[error("invalid interaction or contract: {0}")]
    Invalid(#[from] accord_contracts_format::ParseError),
    /// The JSON is neither an interaction, an array of interactions nor a contract.
    #[error("expected an interaction object, an array of interactions or a whole contract")]
    Shape,
    /// A contract between other parties than the session's.
    #[error(
        "the contract is between {consumer} and {provider}, but this mock provider serves {expected_consumer} and {expected_provider}"
    )]
    OtherParties {
        /// The contract's consumer.
        consumer: String,
        /// The contract's provider.
        provider: String,
        /// The session's consumer.
        expected_consumer: String,
        /// The session's provider.
        expected_provider: String,
    },
    /// Writing needs the consumer and provider names.
    #[error(
        "the consumer and provider are unknown: start with --consumer and --provider, or register a whole contract"
    )]
    NoParties,
    /// The session did not go as expected, so nothing was written.
    #[error("the mock provider's session failed; the contract was not written:\n{0}")]
    Failed(crate::mock::MockReport),
    /// Writing the contract file failed.
    #[error(transparent)]
    Write(#[from] WriteContractError),
}
