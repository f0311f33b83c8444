//! The index that finds the HTTP interactions a request may match without trying them all:
//! by method and literal path, plus, per method, the interactions whose path has a matching
//! rule (those are tried for every path).

use std::collections::HashMap;

use accord_contracts_format::{HttpRequest, RuleCategory};

/// Interaction indexes by route.
#[derive(Debug, Default)]
pub(crate) struct RouteIndex {
    /// Method (upper case) → literal path → interaction indexes, ascending.
    literal: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Method (upper case) → interactions whose path is matched by a rule, ascending.
    patterned: HashMap<String, Vec<usize>>,
}

impl RouteIndex {
    /// Adds the interaction at `index` (indexes must be added in ascending order).
    pub(crate) fn insert(&mut self, index: usize, request: &HttpRequest) {
        let method = request.method.to_ascii_uppercase();
        if request
            .matching_rules
            .category(RuleCategory::Path)
            .is_some()
        {
            self.patterned.entry(method).or_default().push(index);
        } else {
            self.literal
                .entry(method)
                .or_default()
                .entry(request.path.clone())
                .or_default()
                .push(index);
        }
    }

    /// The interactions a request with `method` and `path` may match, in ascending index
    /// order.
    pub(crate) fn candidates(&self, method: &str, path: &str) -> Vec<usize> {
        let upper;
        let method = if method.bytes().any(|b| b.is_ascii_lowercase()) {
            upper = method.to_ascii_uppercase();
            upper.as_str()
        } else {
            method
        };
        let literal = self
            .literal
            .get(method)
            .and_then(|paths| paths.get(path))
            .map_or(&[][..], Vec::as_slice);
        let patterned = self.patterned.get(method).map_or(&[][..], Vec::as_slice);
        if patterned.is_empty() {
            return literal.to_vec();
        }
        let mut all = Vec::with_capacity(literal.len() + patterned.len());
        all.extend_from_slice(literal);
        all.extend_from_slice(patterned);
        all.sort_unstable();
        all
    }

    /// Methods with an interaction for the literal `path`, other than `method`.
    pub(crate) fn other_methods(&self, method: &str, path: &str) -> Vec<String> {
        let mut methods: Vec<String> = self
            .literal
            .iter()
            .filter(|(m, paths)| !m.eq_ignore_ascii_case(method) && paths.contains_key(path))
            .map(|(m, _)| m.clone())
            .collect();
        methods.sort();
        methods
    }

    /// Forgets every interaction.
    pub(crate) fn clear(&mut self) {
        self.literal.clear();
        self.patterned.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_contracts_format::{Matcher, Pattern};

    fn request(method: &str, path: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: path.into(),
            ..HttpRequest::default()
        }
    }

    #[test]
    fn finds_literal_and_patterned_interactions_in_index_order() {
        let mut index = RouteIndex::default();
        index.insert(0, &request("GET", "/orders/1"));
        let mut patterned = request("get", "/orders/2");
        patterned.matching_rules.add(
            RuleCategory::Path,
            "",
            Matcher::Regex(Pattern::new("^/orders/\\d+$")),
        );
        index.insert(1, &patterned);
        index.insert(2, &request("GET", "/orders/1"));
        index.insert(3, &request("POST", "/orders/1"));
        assert_eq!(index.candidates("GET", "/orders/1"), vec![0, 1, 2]);
        assert_eq!(index.candidates("get", "/orders/9"), vec![1]);
        assert_eq!(index.candidates("DELETE", "/orders/1"), Vec::<usize>::new());
        assert_eq!(
            index.other_methods("DELETE", "/orders/1"),
            vec!["GET", "POST"]
        );
        index.clear();
        assert!(index.candidates("GET", "/orders/1").is_empty());
    }
}
