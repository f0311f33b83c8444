//! Matching rules: which matcher applies to which part of a request, response or message.

use indexmap::IndexMap;
use serde_json::Value;

use super::{Generator, Pattern};

/// Matching rules of one request, response or message, grouped by category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchingRules {
    /// Rules by category, in file order.
    pub categories: IndexMap<RuleCategory, IndexMap<String, RuleList>>,
}

/// The part of an interaction a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleCategory {
    /// The HTTP method (single value, key `$`).
    Method,
    /// The request path (single value, key `$`).
    Path,
    /// Query parameters, keyed by parameter name.
    Query,
    /// Headers, keyed by header name.
    Header,
    /// The body (request, response or message contents), keyed by path expression.
    Body,
    /// The response status (single value, key `$`).
    Status,
    /// Message metadata, keyed by metadata name.
    Metadata,
}

impl RuleCategory {
    /// The category's name in V3/V4 files (V4 messages write `content` for [`RuleCategory::Body`]).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleCategory::Method => "method",
            RuleCategory::Path => "path",
            RuleCategory::Query => "query",
            RuleCategory::Header => "header",
            RuleCategory::Body => "body",
            RuleCategory::Status => "status",
            RuleCategory::Metadata => "metadata",
        }
    }

    /// Parses a category name, with the aliases real files use (`headers`, `content`,
    /// `contents`, `metaData`).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "method" => RuleCategory::Method,
            "path" => RuleCategory::Path,
            "query" => RuleCategory::Query,
            "header" | "headers" => RuleCategory::Header,
            "body" | "content" | "contents" => RuleCategory::Body,
            "status" => RuleCategory::Status,
            "metadata" | "metaData" => RuleCategory::Metadata,
            _ => return None,
        })
    }

    /// True for categories that hold one rule list directly rather than a map of them.
    pub fn is_single_valued(self) -> bool {
        matches!(
            self,
            RuleCategory::Method | RuleCategory::Path | RuleCategory::Status
        )
    }
}

impl MatchingRules {
    /// True when there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.categories.values().all(IndexMap::is_empty)
    }

    /// The rules of one category, if any.
    pub fn category(&self, category: RuleCategory) -> Option<&IndexMap<String, RuleList>> {
        self.categories
            .get(&category)
            .filter(|rules| !rules.is_empty())
    }

    /// Adds `rule` to the rule list at `key` of `category`, creating it as needed.
    pub fn add(&mut self, category: RuleCategory, key: impl Into<String>, rule: Matcher) {
        self.categories
            .entry(category)
            .or_default()
            .entry(key.into())
            .or_default()
            .matchers
            .push(rule);
    }
}

/// The matchers that apply at one key, and how their verdicts combine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleList {
    /// The matchers, in file order.
    pub matchers: Vec<Matcher>,
    /// Whether all (`AND`, the default) or any (`OR`) of the matchers must pass.
    pub combine: Combine,
}

impl RuleList {
    /// A list holding one matcher.
    pub fn single(matcher: Matcher) -> Self {
        RuleList {
            matchers: vec![matcher],
            combine: Combine::And,
        }
    }
}

/// How the verdicts of several matchers at one key combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Combine {
    /// Every matcher must pass.
    #[default]
    And,
    /// At least one matcher must pass.
    Or,
}

/// One matcher, with its attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Values must be equal (the default without rules).
    Equality,
    /// Strings must match the regular expression.
    Regex(Pattern),
    /// Values must have the same JSON type; arrays and objects may be bounded in length.
    Type {
        /// Minimum number of elements of an array.
        min: Option<usize>,
        /// Maximum number of elements of an array.
        max: Option<usize>,
    },
    /// Strings must contain this substring.
    Include(String),
    /// An integer number (or a string of one, outside bodies).
    Integer,
    /// A number with a fractional part.
    Decimal,
    /// Any number.
    Number,
    /// A boolean (or the strings `true`/`false`).
    Boolean,
    /// JSON null.
    Null,
    /// A date in the given format (Java `SimpleDateFormat`-style pattern; ISO 8601 if none).
    Date(Option<String>),
    /// A time in the given format.
    Time(Option<String>),
    /// A date-time (`datetime` or `timestamp`) in the given format.
    DateTime(Option<String>),
    /// Map values are matched against the expected values with the keys ignored.
    Values,
    /// Content whose detected type is this content type.
    ContentType(String),
    /// An array containing, somewhere, an element matching each variant.
    ArrayContains(Vec<ArrayContainsVariant>),
    /// A status code in a class or list.
    StatusCode(StatusCodes),
    /// A non-empty string, array or object.
    NotEmpty,
    /// A semantic version string.
    Semver,
    /// Every key of a map must match these rules.
    EachKey {
        /// Rules applied to each key.
        rules: Vec<Matcher>,
        /// An example value.
        value: Option<Value>,
    },
    /// Every value of a map (or element of an array) must match these rules.
    EachValue {
        /// Rules applied to each value.
        rules: Vec<Matcher>,
        /// An example value.
        value: Option<Value>,
    },
}

impl Matcher {
    /// The name of the matcher in files (`match` attribute).
    pub fn name(&self) -> &'static str {
        match self {
            Matcher::Equality => "equality",
            Matcher::Regex(_) => "regex",
            Matcher::Type { .. } => "type",
            Matcher::Include(_) => "include",
            Matcher::Integer => "integer",
            Matcher::Decimal => "decimal",
            Matcher::Number => "number",
            Matcher::Boolean => "boolean",
            Matcher::Null => "null",
            Matcher::Date(_) => "date",
            Matcher::Time(_) => "time",
            Matcher::DateTime(_) => "datetime",
            Matcher::Values => "values",
            Matcher::ContentType(_) => "contentType",
            Matcher::ArrayContains(_) => "arrayContains",
            Matcher::StatusCode(_) => "statusCode",
            Matcher::NotEmpty => "notEmpty",
            Matcher::Semver => "semver",
            Matcher::EachKey { .. } => "eachKey",
            Matcher::EachValue { .. } => "eachValue",
        }
    }
}

/// One variant of an `arrayContains` matcher: an example element and the rules for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayContainsVariant {
    /// Index of the example element in the expected array.
    pub index: usize,
    /// Rules for the element, keyed by path expression relative to the element.
    pub rules: IndexMap<String, RuleList>,
    /// Generators for the element, keyed by path expression relative to the element.
    pub generators: IndexMap<String, Generator>,
}

/// The status codes a `statusCode` matcher accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusCodes {
    /// A class of status codes.
    Class(StatusClass),
    /// An explicit list of codes.
    Codes(Vec<u16>),
}

/// Classes of HTTP status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// 100–199.
    Information,
    /// 200–299.
    Success,
    /// 300–399.
    Redirect,
    /// 400–499.
    ClientError,
    /// 500–599.
    ServerError,
    /// 100–399.
    NonError,
    /// 400–599.
    Error,
}

impl StatusClass {
    /// The class name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusClass::Information => "info",
            StatusClass::Success => "success",
            StatusClass::Redirect => "redirect",
            StatusClass::ClientError => "clientError",
            StatusClass::ServerError => "serverError",
            StatusClass::NonError => "nonError",
            StatusClass::Error => "error",
        }
    }

    /// Parses a class name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "info" | "information" => StatusClass::Information,
            "success" => StatusClass::Success,
            "redirect" => StatusClass::Redirect,
            "clientError" => StatusClass::ClientError,
            "serverError" => StatusClass::ServerError,
            "nonError" => StatusClass::NonError,
            "error" => StatusClass::Error,
            _ => return None,
        })
    }

    /// True when `status` belongs to the class.
    pub fn contains(self, status: u16) -> bool {
        match self {
            StatusClass::Information => (100..200).contains(&status),
            StatusClass::Success => (200..300).contains(&status),
            StatusClass::Redirect => (300..400).contains(&status),
            StatusClass::ClientError => (400..500).contains(&status),
            StatusClass::ServerError => (500..600).contains(&status),
            StatusClass::NonError => (100..400).contains(&status),
            StatusClass::Error => (400..600).contains(&status),
        }
    }
}
