//! Accord's provider verifier: fetches contracts (files, directories, URLs or a broker's
//! "pacts for verification"), sets up provider states, replays every interaction against a
//! running provider, compares the answers with the contracts, reports the results and
//! publishes them to the broker.
//!
//! It does not parse command lines or read the environment: the `accord verify` command
//! turns its arguments into [`VerifyOptions`]. Rust providers can use it directly from a test,
//! with a [`ProviderStateExecutor`], [`RequestFilter`]s and a [`MessageProvider`] in place of
//! HTTP endpoints.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use accord_verifier::{ContractSource, Verdict, Verifier, VerifyOptions};
//! use accord_verifier::report::human::HumanReporter;
//!
//! let mut options = VerifyOptions::new(
//!     vec![ContractSource::File("pacts/web-orders.json".into())],
//!     "http://localhost:8080".parse()?,
//! );
//! options.state_change_url = Some("http://localhost:8080/_states".parse()?);
//! let mut reporter = HumanReporter::new(Box::new(std::io::stdout()), false);
//! let results = Verifier::new(options)?.verify(&mut reporter).await?;
//! assert_eq!(results.verdict(), Verdict::Passed);
//! # Ok(()) }
//! ```
//!
//! A Rust provider can set its states up and produce its messages in-process:
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use accord_contracts_format::{Body, Message, ProviderState};
//! use accord_verifier::{
//!     BoxError, BoxFuture, ContractSource, MessageProvider, MessageRequest,
//!     ProviderStateExecutor, StateAction, StateChangeError, Verifier, VerifyOptions,
//! };
//! use serde_json::{Map, Value, json};
//!
//! struct Orders;
//!
//! impl ProviderStateExecutor for Orders {
//!     fn change_state<'a>(
//!         &'a self,
//!         state: &'a ProviderState,
//!         action: StateAction,
//!     ) -> BoxFuture<'a, Result<Map<String, Value>, StateChangeError>> {
//!         Box::pin(async move {
//!             let mut values = Map::new();
//!             if state.name == "an order exists" && action == StateAction::Setup {
//!                 // Insert the order; its id feeds the contract's ProviderState generators.
//!                 values.insert("id".into(), json!(42));
//!             }
//!             Ok(values)
//!         })
//!     }
//! }
//!
//! impl MessageProvider for Orders {
//!     fn produce<'a>(
//!         &'a self,
//!         request: MessageRequest<'a>,
//!     ) -> BoxFuture<'a, Result<Message, BoxError>> {
//!         Box::pin(async move {
//!             match request.description {
//!                 "an order was created" => Ok(Message {
//!                     contents: Body::json(json!({"id": 42, "status": "new"})),
//!                     ..Message::default()
//!                 }),
//!                 other => Err(format!("no message called {other:?}").into()),
//!             }
//!         })
//!     }
//! }
//!
//! let options = VerifyOptions::new(
//!     vec![ContractSource::Dir("pacts".into())],
//!     "http://localhost:8080".parse()?,
//! );
//! let results = Verifier::new(options)?
//!     .with_state_executor(Orders)
//!     .with_message_provider(Orders)
//!     .verify(&mut accord_verifier::report::Silent)
//!     .await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod broker_client;
mod check;
mod error;
mod message;
mod options;
mod publish;
mod replay;
pub mod report;
mod result;
mod run;
mod source;
mod states;

pub use error::{
    BoxError, BrokerError, InteractionError, SourceError, StateChangeError, VerifyError,
};
pub use message::{MESSAGE_METADATA_HEADER, MessageProvider, MessageRequest};
pub use options::{
    BrokerAuth, BrokerSource, ConsumerVersionSelector, ContractSource, InteractionFilter,
    PublishOptions, VerifyOptions,
};
pub use replay::RequestFilter;
pub use result::{
    ContractInfo, ContractResult, InteractionResult, Outcome, Publication, Summary, Verdict,
    VerificationResults,
};
pub use run::Verifier;
pub use states::{BoxFuture, HttpStateChange, ProviderStateExecutor, StateAction};
// Re-exported so that callers build options without depending on these crates themselves.
pub use regex::Regex;
pub use url::Url;
