//! Generators: values created at test time in place of the example values of a contract.

use indexmap::IndexMap;

/// Generators of one request, response or message, grouped by category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Generators {
    /// Generators by category; each maps a key (body path expression, header, query or
    /// metadata name, or `$` for the single-valued `path` and `status`) to a generator.
    pub categories: IndexMap<GeneratorCategory, IndexMap<String, Generator>>,
}

impl Generators {
    /// True when there are no generators.
    pub fn is_empty(&self) -> bool {
        self.categories.values().all(IndexMap::is_empty)
    }

    /// Adds a generator at `key` of `category`.
    pub fn add(
        &mut self,
        category: GeneratorCategory,
        key: impl Into<String>,
        generator: Generator,
    ) {
        self.categories
            .entry(category)
            .or_default()
            .insert(key.into(), generator);
    }
}

/// The part of an interaction a generator applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GeneratorCategory {
    /// The request path (single value).
    Path,
    /// Query parameters by name.
    Query,
    /// Headers by name.
    Header,
    /// Body (or message contents) by path expression.
    Body,
    /// The response status (single value).
    Status,
    /// Message metadata by name.
    Metadata,
}

impl GeneratorCategory {
    /// The category's name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratorCategory::Path => "path",
            GeneratorCategory::Query => "query",
            GeneratorCategory::Header => "header",
            GeneratorCategory::Body => "body",
            GeneratorCategory::Status => "status",
            GeneratorCategory::Metadata => "metadata",
        }
    }

    /// Parses a category name, with the aliases real files use.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "path" => GeneratorCategory::Path,
            "query" => GeneratorCategory::Query,
            "header" | "headers" => GeneratorCategory::Header,
            "body" | "content" | "contents" => GeneratorCategory::Body,
            "status" => GeneratorCategory::Status,
            "metadata" | "metaData" => GeneratorCategory::Metadata,
            _ => return None,
        })
    }

    /// True for categories that hold one generator directly.
    pub fn is_single_valued(self) -> bool {
        matches!(self, GeneratorCategory::Path | GeneratorCategory::Status)
    }
}

/// One generator with its attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Generator {
    /// A random integer between `min` and `max`, inclusive.
    RandomInt {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// A random decimal number with this many digits.
    RandomDecimal {
        /// Number of digits.
        digits: usize,
    },
    /// A random hexadecimal string with this many digits.
    RandomHexadecimal {
        /// Number of digits.
        digits: usize,
    },
    /// A random alphanumeric string of this size.
    RandomString {
        /// Number of characters.
        size: usize,
    },
    /// A random string matching the regular expression.
    Regex {
        /// The expression.
        regex: String,
    },
    /// A random UUID in the given format.
    Uuid {
        /// The format (lower-case hyphenated when absent).
        format: Option<UuidFormat>,
    },
    /// The current date (or `expression` relative to it) in the given format.
    Date {
        /// Output format.
        format: Option<String>,
        /// Expression such as `+ 1 day`.
        expression: Option<String>,
    },
    /// The current time, likewise.
    Time {
        /// Output format.
        format: Option<String>,
        /// Expression such as `+ 1 hour`.
        expression: Option<String>,
    },
    /// The current date and time, likewise.
    DateTime {
        /// Output format.
        format: Option<String>,
        /// Expression such as `tomorrow`.
        expression: Option<String>,
    },
    /// A random boolean.
    RandomBoolean,
    /// A value built from provider-state values: `/orders/${id}`.
    ProviderState {
        /// The expression with `${name}` placeholders.
        expression: String,
        /// The type to convert the result to (`STRING`, `INTEGER`, `DECIMAL`, `FLOAT`,
        /// `BOOLEAN`, `RAW`).
        data_type: Option<String>,
    },
    /// A URL rewritten to point at the mock server: the part matched by `regex` is kept.
    MockServerUrl {
        /// Expression whose first group is the part of the URL after the base.
        regex: String,
        /// The example URL.
        example: String,
    },
}

impl Generator {
    /// The generator's `type` in files.
    pub fn type_name(&self) -> &'static str {
        match self {
            Generator::RandomInt { .. } => "RandomInt",
            Generator::RandomDecimal { .. } => "RandomDecimal",
            Generator::RandomHexadecimal { .. } => "RandomHexadecimal",
            Generator::RandomString { .. } => "RandomString",
            Generator::Regex { .. } => "Regex",
            Generator::Uuid { .. } => "Uuid",
            Generator::Date { .. } => "Date",
            Generator::Time { .. } => "Time",
            Generator::DateTime { .. } => "DateTime",
            Generator::RandomBoolean => "RandomBoolean",
            Generator::ProviderState { .. } => "ProviderState",
            Generator::MockServerUrl { .. } => "MockServerURL",
        }
    }
}

/// Output formats of the `Uuid` generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UuidFormat {
    /// 32 hexadecimal digits, no hyphens.
    Simple,
    /// `xxxxxxxx-xxxx-...` in lower case.
    LowerCaseHyphenated,
    /// `XXXXXXXX-XXXX-...` in upper case.
    UpperCaseHyphenated,
    /// `urn:uuid:...`.
    Urn,
}

impl UuidFormat {
    /// The format's name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            UuidFormat::Simple => "simple",
            UuidFormat::LowerCaseHyphenated => "lower-case-hyphenated",
            UuidFormat::UpperCaseHyphenated => "upper-case-hyphenated",
            UuidFormat::Urn => "URN",
        }
    }

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "simple" => UuidFormat::Simple,
            "lower-case-hyphenated" => UuidFormat::LowerCaseHyphenated,
            "upper-case-hyphenated" => UuidFormat::UpperCaseHyphenated,
            "URN" | "urn" => UuidFormat::Urn,
            _ => return None,
        })
    }
}
