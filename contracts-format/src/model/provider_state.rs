//! Provider states: the named situations a provider must be put in before an interaction.

use serde_json::{Map, Value};

/// A state the provider must be in, with optional parameters (V3 and later).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderState {
    /// The state's description, e.g. `an order with id 10 exists`.
    pub name: String,
    /// Parameters passed to the provider's state-change handler.
    pub params: Map<String, Value>,
}

impl ProviderState {
    /// A state without parameters.
    pub fn new(name: impl Into<String>) -> Self {
        ProviderState {
            name: name.into(),
            params: Map::new(),
        }
    }
}
