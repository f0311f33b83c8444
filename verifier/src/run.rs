//! The verification run: load contracts, pick interactions, replay them (bounded concurrency,
//! stateful interactions one at a time), report, publish.

use std::sync::Mutex;
use std::time::Instant;

use accord_contracts_format::{Interaction, InteractionKind, Message, Mismatch, SpecVersion};
use futures_util::StreamExt;
use futures_util::stream;
use serde_json::{Map, Value};

use crate::check;
use crate::error::{InteractionError, VerifyError};
use crate::message::{MessageProvider, MessageRequest, fetch_over_http, http_message_request};
use crate::options::{InteractionFilter, VerifyOptions};
use crate::publish;
use crate::replay::{self, RequestFilter};
use crate::report::{Event, Reporter};
use crate::result::{
    ContractInfo, ContractResult, InteractionResult, Outcome, VerificationResults,
};
use crate::source::{self, LoadedContract};
use crate::states::{HttpStateChange, ProviderStateExecutor, StateAction};

/// Verifies a provider against contracts.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use accord_verifier::{ContractSource, Verdict, Verifier, VerifyOptions, report::Silent};
///
/// let options = VerifyOptions::new(
///     vec![ContractSource::Dir("pacts".into())],
///     "http://localhost:8080".parse()?,
/// );
/// let results = Verifier::new(options)?.verify(&mut Silent).await?;
/// assert_eq!(results.verdict(), Verdict::Passed);
/// # Ok(()) }
/// ```
pub struct Verifier {
    options: VerifyOptions,
    http: reqwest::Client,
    states: Option<Box<dyn ProviderStateExecutor>>,
    filters: Vec<Box<dyn RequestFilter>>,
    messages: Option<Box<dyn MessageProvider>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("options", &self.options)
            .field("state_executor", &self.states.is_some())
            .field("request_filters", &self.filters.len())
            .field("message_provider", &self.messages.is_some())
            .finish()
    }
}

/// The reporter, shared by the interactions in flight.
type SharedReporter<'r> = Mutex<&'r mut (dyn Reporter + Send)>;

/// One interaction being verified, with what its steps share.
struct Job<'a, 'r> {
    contract: &'a ContractInfo,
    spec_version: SpecVersion,
    interaction: &'a Interaction,
    reporter: &'a SharedReporter<'r>,
    /// The first error the reporter returned.
    report_error: Option<std::io::Error>,
    /// What was sent to the provider, for the report.
    sent: Option<String>,
    /// The body diff of a body mismatch, for the report.
    body_diff: Option<String>,
}

impl Job<'_, '_> {
    fn emit(&mut self, event: &Event<'_>) {
        emit_to(self.reporter, event, &mut self.report_error);
    }
}

impl Verifier {
    /// A verifier for these options. State changes go to `options.state_change_url` unless
    /// [`Verifier::with_state_executor`] replaces it.
    pub fn new(options: VerifyOptions) -> Result<Self, VerifyError> {
        if options.sources.is_empty() {
            return Err(VerifyError::Options(
                "no contracts to verify: give a file, directory, URL or broker".to_owned(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .user_agent(concat!("accord-verifier/", env!("CARGO_PKG_VERSION")))
            .danger_accept_invalid_certs(options.accept_invalid_certificates)
            .build()
            .map_err(VerifyError::Client)?;
        let states = options.state_change_url.clone().map(|url| {
            let mut executor = HttpStateChange::new(url, http.clone(), options.request_timeout);
            if options.state_change_as_query {
                executor = executor.with_query_parameters();
            }
            Box::new(executor) as Box<dyn ProviderStateExecutor>
        });
        Ok(Verifier {
            options,
            http,
            states,
            filters: Vec::new(),
            messages: None,
        })
    }

    /// Sets provider states up with `executor` instead of the state-change URL.
    pub fn with_state_executor(mut self, executor: impl ProviderStateExecutor + 'static) -> Self {
        self.states = Some(Box::new(executor));
        self
    }

    /// Adds a filter applied to every HTTP request before it is sent.
    pub fn with_request_filter(mut self, filter: impl RequestFilter + 'static) -> Self {
        self.filters.push(Box::new(filter));
        self
    }

    /// Produces messages with `provider` instead of asking the provider over HTTP.
    pub fn with_message_provider(mut self, provider: impl MessageProvider + 'static) -> Self {
        self.messages = Some(Box::new(provider));
        self
    }

    /// Runs the verification, sending progress to `reporter`. `Err` means nothing could be
    /// verified (no contracts, the broker is unreachable); otherwise the results say what
    /// passed, failed or could not be verified.
    pub async fn verify(
        &self,
        reporter: &mut (dyn Reporter + Send),
    ) -> Result<VerificationResults, VerifyError> {
        let loaded = source::load(
            &self.options.sources,
            &self.http,
            self.options.broker_retries,
        )
        .await?;
        let reporter: SharedReporter<'_> = Mutex::new(reporter);
        let mut report_error = None;
        let mut emit = |event: &Event<'_>| emit_to(&reporter, event, &mut report_error);
        for (name, error) in &loaded.failures {
            emit(&Event::LoadFailed {
                source: name,
                error,
            });
        }
        let filter = &self.options.filter;
        let contracts: Vec<LoadedContract> = loaded
            .contracts
            .into_iter()
            .filter(|c| filter.consumers.is_empty() || filter.consumers.contains(&c.info.consumer))
            .collect();
        if contracts.is_empty() && loaded.failures.is_empty() && !self.options.ignore_no_contracts {
            return Err(VerifyError::NoContracts);
        }
        let mut work = Vec::new();
        for (c, contract) in contracts.iter().enumerate() {
            let selected: Vec<usize> = (0..contract.contract.interactions.len())
                .filter(|&i| selects(filter, &contract.contract.interactions[i]))
                .collect();
            emit(&Event::ContractStarted {
                contract: &contract.info,
                interactions: selected.len(),
            });
            work.extend(selected.into_iter().map(|i| (c, i)));
        }
        emit(&Event::Started { total: work.len() });

        let state_lock = tokio::sync::Mutex::new(());
        let contracts_ref = &contracts;
        let reporter_ref = &reporter;
        let state_lock_ref = &state_lock;
        let mut done: Vec<((usize, usize), InteractionResult, Option<std::io::Error>)> =
            stream::iter(work)
                .map(|(c, i)| async move {
                    let contract = &contracts_ref[c];
                    let mut job = Job {
                        contract: &contract.info,
                        spec_version: contract.contract.spec_version,
                        interaction: &contract.contract.interactions[i],
                        reporter: reporter_ref,
                        report_error: None,
                        sent: None,
                        body_diff: None,
                    };
                    let result = self.verify_interaction(&mut job, state_lock_ref).await;
                    ((c, i), result, job.report_error)
                })
                .buffer_unordered(self.options.jobs.max(1))
                .collect()
                .await;
        done.sort_by_key(|(at, _, _)| *at);

        let mut results = VerificationResults {
            load_failures: loaded.failures,
            ..VerificationResults::default()
        };
        let mut per_contract: Vec<Vec<InteractionResult>> =
            contracts.iter().map(|_| Vec::new()).collect();
        for ((c, _), result, error) in done {
            per_contract[c].push(result);
            if report_error.is_none() {
                report_error = error;
            }
        }
        let mut links = Vec::new();
        for (contract, interactions) in contracts.into_iter().zip(per_contract) {
            links.push(contract.broker);
            results.contracts.push(ContractResult {
                info: contract.info,
                interactions,
                publication: None,
            });
        }
        if let Some(publish_options) = &self.options.publish {
            let filtered =
                filter.description.is_some() || filter.state.is_some() || filter.no_state;
            publish::publish_all(&mut results.contracts, &links, publish_options, filtered).await;
            for contract in &results.contracts {
                if let Some(publication) = &contract.publication {
                    emit_to(
                        &reporter,
                        &Event::Published {
                            contract: &contract.info,
                            publication,
                        },
                        &mut report_error,
                    );
                }
            }
        }
        emit_to(
            &reporter,
            &Event::Finished { results: &results },
            &mut report_error,
        );
        results.report_error = report_error;
        Ok(results)
    }

    #[tracing::instrument(skip_all, fields(
        consumer = %job.contract.consumer,
        provider = %job.contract.provider,
        interaction = %job.interaction.description,
    ))]
    async fn verify_interaction(
        &self,
        job: &mut Job<'_, '_>,
        state_lock: &tokio::sync::Mutex<()>,
    ) -> InteractionResult {
        let (contract, interaction) = (job.contract, job.interaction);
        let description = interaction.description.as_str();
        job.emit(&Event::InteractionStarted {
            contract,
            description,
        });
        let started = Instant::now();
        // A state change and the request that relies on it must not interleave with another
        // interaction's state change.
        let exclusive = if interaction.provider_states.is_empty() {
            None
        } else {
            Some(state_lock.lock().await)
        };
        let outcome = self.run_with_states(job).await;
        drop(exclusive);
        if let Outcome::Failed(mismatches) = &outcome {
            job.emit(&Event::Mismatches {
                contract,
                description,
                mismatches,
            });
        }
        tracing::debug!(passed = outcome.is_passed(), "interaction verified");
        let result = InteractionResult {
            description: interaction.description.clone(),
            key: interaction.key.clone(),
            provider_states: interaction
                .provider_states
                .iter()
                .map(|s| s.name.clone())
                .collect(),
            pending: contract.pending || interaction.pending,
            sent: job.sent.take(),
            body_diff: job.body_diff.take(),
            outcome,
            duration: started.elapsed(),
        };
        job.emit(&Event::InteractionFinished {
            contract,
            result: &result,
        });
        result
    }

    async fn run_with_states(&self, job: &mut Job<'_, '_>) -> Outcome {
        let (contract, interaction) = (job.contract, job.interaction);
        let description = interaction.description.as_str();
        let mut values = Map::new();
        let mut set_up = Vec::new();
        let mut outcome = None;
        if let Some(executor) = &self.states {
            for state in &interaction.provider_states {
                let change = executor.change_state(state, StateAction::Setup).await;
                job.emit(&Event::StateChange {
                    contract,
                    description,
                    state,
                    action: StateAction::Setup,
                    error: change.as_ref().err(),
                });
                match change {
                    Ok(state_values) => {
                        values.extend(state_values);
                        set_up.push(state);
                    }
                    Err(source) => {
                        outcome = Some(Outcome::Error(InteractionError::StateChange {
                            state: state.name.clone(),
                            action: "setup",
                            source,
                        }));
                        break;
                    }
                }
            }
        } else if !interaction.provider_states.is_empty() {
            tracing::debug!("no state-change URL or executor: provider states are not set up");
        }
        let mut outcome = match outcome {
            Some(outcome) => outcome,
            None => match self.exercise(job, &values).await {
                Ok(mismatches) if mismatches.is_empty() => Outcome::Passed,
                Ok(mismatches) => Outcome::Failed(mismatches),
                Err(error) => Outcome::Error(error),
            },
        };
        if self.options.state_change_teardown
            && let Some(executor) = &self.states
        {
            for state in set_up.into_iter().rev() {
                let change = executor.change_state(state, StateAction::Teardown).await;
                job.emit(&Event::StateChange {
                    contract,
                    description,
                    state,
                    action: StateAction::Teardown,
                    error: change.as_ref().err(),
                });
                if let Err(source) = change
                    && outcome.is_passed()
                {
                    outcome = Outcome::Error(InteractionError::StateChange {
                        state: state.name.clone(),
                        action: "teardown",
                        source,
                    });
                }
            }
        }
        outcome
    }

    /// Sends the interaction's request (or asks for its message) and compares the answer.
    async fn exercise(
        &self,
        job: &mut Job<'_, '_>,
        state_values: &Map<String, Value>,
    ) -> Result<Vec<Mismatch>, InteractionError> {
        let (interaction, spec_version) = (job.interaction, job.spec_version);
        let timeout = self.options.request_timeout;
        match &interaction.kind {
            InteractionKind::Http { request, response } => {
                let mut request = check::generate_request(request, state_values);
                replay::apply_custom_headers(&mut request, &self.options.custom_headers);
                for filter in &self.filters {
                    filter.filter(&mut request);
                }
                let url = replay::request_url(&self.options.provider_base_url, &request);
                job.sent = Some(format!("{} {url}", request.method.to_ascii_uppercase()));
                let actual = replay::send(&self.http, url, &request, timeout).await?;
                let mismatches = check::response_mismatches(response, &actual, spec_version);
                job.body_diff = check::body_diff(&mismatches, &response.body, &actual.body);
                Ok(mismatches)
            }
            InteractionKind::AsyncMessage(expected) => {
                let request = MessageRequest {
                    description: &interaction.description,
                    provider_states: &interaction.provider_states,
                    state_values,
                    request: None,
                };
                let actual = self.produce(request, &mut job.sent).await?;
                let mismatches = check::message_mismatches(expected, &actual, spec_version);
                job.body_diff = check::body_diff(&mismatches, &expected.contents, &actual.contents);
                Ok(mismatches)
            }
            InteractionKind::SyncMessage(exchange) => {
                let expected = exchange
                    .responses
                    .first()
                    .ok_or(InteractionError::NoResponseMessage)?;
                let request = MessageRequest {
                    description: &interaction.description,
                    provider_states: &interaction.provider_states,
                    state_values,
                    request: Some(&exchange.request),
                };
                let actual = self.produce(request, &mut job.sent).await?;
                let mismatches = check::message_mismatches(expected, &actual, spec_version);
                job.body_diff = check::body_diff(&mismatches, &expected.contents, &actual.contents);
                Ok(mismatches)
            }
        }
    }

    async fn produce(
        &self,
        request: MessageRequest<'_>,
        sent: &mut Option<String>,
    ) -> Result<Message, InteractionError> {
        if let Some(provider) = &self.messages {
            return provider
                .produce(request)
                .await
                .map_err(InteractionError::MessageProvider);
        }
        let mut http_request = http_message_request(&request);
        replay::apply_custom_headers(&mut http_request, &self.options.custom_headers);
        for filter in &self.filters {
            filter.filter(&mut http_request);
        }
        *sent = Some(format!(
            "POST {} (message request)",
            self.options.provider_base_url
        ));
        fetch_over_http(
            &self.http,
            self.options.provider_base_url.clone(),
            &http_request,
            self.options.request_timeout,
        )
        .await
    }
}

/// True when the filter keeps the interaction.
fn selects(filter: &InteractionFilter, interaction: &Interaction) -> bool {
    if let Some(description) = &filter.description
        && !description.is_match(&interaction.description)
    {
        return false;
    }
    if filter.no_state && !interaction.provider_states.is_empty() {
        return false;
    }
    if let Some(state) = &filter.state
        && !interaction
            .provider_states
            .iter()
            .any(|s| state.is_match(&s.name))
    {
        return false;
    }
    true
}

fn emit_to(
    reporter: &SharedReporter<'_>,
    event: &Event<'_>,
    report_error: &mut Option<std::io::Error>,
) {
    let mut reporter = match reporter.lock() {
        Ok(reporter) => reporter,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Err(error) = reporter.report(event)
        && report_error.is_none()
    {
        *report_error = Some(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_contracts_format::{HttpRequest, HttpResponse, ProviderState};
    use regex::Regex;

    fn interaction(description: &str, state: Option<&str>) -> Interaction {
        let mut interaction =
            Interaction::http(description, HttpRequest::default(), HttpResponse::default());
        interaction
            .provider_states
            .extend(state.map(ProviderState::new));
        interaction
    }

    #[test]
    fn a_verification_can_run_on_another_task() {
        fn assert_send<T: Send>(_: &T) {}
        let options = VerifyOptions::new(
            vec![crate::ContractSource::Dir("nowhere".into())],
            "http://localhost:1".parse().unwrap(),
        );
        let verifier = Verifier::new(options).unwrap();
        let mut reporter = crate::report::Silent;
        assert_send(&verifier.verify(&mut reporter));
    }

    #[test]
    fn filters_by_description_state_and_absence_of_state() {
        let with_state = interaction("get order", Some("an order exists"));
        let without = interaction("list orders", None);
        let mut filter = InteractionFilter::default();
        assert!(selects(&filter, &with_state) && selects(&filter, &without));
        filter.description = Some(Regex::new("^get").unwrap());
        assert!(selects(&filter, &with_state) && !selects(&filter, &without));
        filter.description = None;
        filter.state = Some(Regex::new("order exists").unwrap());
        assert!(selects(&filter, &with_state) && !selects(&filter, &without));
        filter.state = None;
        filter.no_state = true;
        assert!(!selects(&filter, &with_state) && selects(&filter, &without));
    }
}
