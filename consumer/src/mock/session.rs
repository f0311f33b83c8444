//! A mock provider session: the expected HTTP interactions, indexed by route, and the
//! journal of what was received. Shared by the in-process [`super::MockProvider`] and the
//! standalone [`super::MockServer`].

use std::collections::HashMap;

use serde_json::{Value, json};

use accord_contracts_format::{
    GeneratorContext, HttpRequest, HttpResponse, Interaction, InteractionKind, MatchOptions,
    Mismatch, MismatchCategory, SpecVersion, apply_response_generators, match_request,
};

use super::journal::{Journal, MismatchedRequest, MockReport, ReceivedRequest};
use crate::routes::RouteIndex;

/// One expected HTTP interaction.
#[derive(Debug)]
struct Expected {
    description: String,
    request: HttpRequest,
    response: HttpResponse,
    options: MatchOptions,
}

/// The expected interactions and what was received.
#[derive(Debug)]
pub(crate) struct Session {
    /// HTTP interactions by their key (their index in the contract).
    http: HashMap<usize, Expected>,
    routes: RouteIndex,
    journal: Journal,
    context: GeneratorContext,
}

impl Session {
    /// An empty session whose `MockServerURL` generators point at `url`.
    pub(crate) fn new(url: &str) -> Self {
        Session {
            http: HashMap::new(),
            routes: RouteIndex::default(),
            journal: Journal::default(),
            context: GeneratorContext::for_mock_server(url),
        }
    }

    /// Points `MockServerURL` generators at `url`.
    pub(crate) fn set_url(&mut self, url: &str) {
        self.context = GeneratorContext::for_mock_server(url);
    }

    /// Expects `interaction` under `key` (keys ascend); returns false (and ignores it) when it
    /// is not an HTTP interaction.
    pub(crate) fn expect(
        &mut self,
        key: usize,
        interaction: &Interaction,
        version: SpecVersion,
    ) -> bool {
        let InteractionKind::Http { request, response } = &interaction.kind else {
            return false;
        };
        self.routes.insert(key, request);
        self.http.insert(
            key,
            Expected {
                description: interaction.description.clone(),
                request: request.clone(),
                response: response.clone(),
                options: MatchOptions::new(version),
            },
        );
        true
    }

    /// Forgets every interaction and everything received.
    pub(crate) fn clear(&mut self) {
        self.http.clear();
        self.routes.clear();
        self.journal = Journal::default();
    }

    /// The keys of the expected HTTP interactions.
    pub(crate) fn keys(&self) -> impl Iterator<Item = usize> + '_ {
        self.http.keys().copied()
    }

    /// Finds the interaction `actual` matches and records the outcome: `Ok` with the
    /// response to send, or `Err` with the diagnostic body.
    pub(crate) fn answer(
        &mut self,
        actual: &HttpRequest,
        raw_query: Option<&str>,
    ) -> Result<HttpResponse, Value> {
        let mut matching = Vec::new();
        let mut closest: Option<(usize, Vec<Mismatch>)> = None;
        for index in self.routes.candidates(&actual.method, &actual.path) {
            let expected = &self.http[&index];
            let mismatches = match_request(&expected.request, actual, &expected.options);
            if mismatches.is_empty() {
                matching.push(index);
            } else if mismatches
                .iter()
                .all(|m| m.category != MismatchCategory::Path)
                && closest
                    .as_ref()
                    .is_none_or(|(_, best)| mismatches.len() < best.len())
            {
                closest = Some((index, mismatches));
            }
        }
        // Several interactions may expect the same request (under different provider
        // states): answer with the first one not received yet.
        let chosen = matching
            .iter()
            .copied()
            .find(|&index| self.journal.count(index) == 0)
            .or_else(|| matching.first().copied());
        let request = ReceivedRequest::of(actual, raw_query);
        if let Some(index) = chosen {
            self.journal.matched(index);
            let response = &self.http[&index].response;
            return Ok(if response.generators.is_empty() {
                response.clone()
            } else {
                apply_response_generators(response, &self.context)
            });
        }
        let body = match closest {
            Some((index, mismatches)) => {
                let interaction = self.http[&index].description.clone();
                let body = json!({
                    "error": format!("request {request} does not match interaction \"{interaction}\""),
                    "request": request.to_json(),
                    "interaction": interaction,
                    "mismatches": mismatches.iter().map(Mismatch::to_json).collect::<Vec<_>>(),
                });
                self.journal.mismatched(MismatchedRequest {
                    request,
                    interaction,
                    mismatches,
                });
                body
            }
            None => {
                let body = json!({
                    "error": format!("unexpected request {request}: no interaction has this method and path"),
                    "request": request.to_json(),
                    "expected": self.routes(),
                });
                self.journal.unexpected(request);
                body
            }
        };
        Err(body)
    }

    /// The report of the session so far.
    pub(crate) fn report(&self) -> MockReport {
        let mut expected: Vec<(usize, &str)> = self
            .http
            .iter()
            .map(|(index, e)| (*index, e.description.as_str()))
            .collect();
        expected.sort_unstable();
        self.journal.report(expected.into_iter())
    }

    fn routes(&self) -> Vec<String> {
        let mut routes: Vec<String> = self
            .http
            .values()
            .map(|e| format!("{} {}", e.request.method, e.request.path))
            .collect();
        routes.sort();
        routes.dedup();
        routes
    }
}
