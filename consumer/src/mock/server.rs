//! The mock provider: an HTTP server on `127.0.0.1:0` that answers the consumer's requests
//! with the contract's responses, records what it received, and on finish checks the
//! session and writes the contract.
//!
//! It runs on its own thread with its own single-threaded Tokio runtime, so tests may use
//! any runtime (or none) and any HTTP client, blocking or not.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

use super::session::Session;
use crate::builder::ContractBuilder;
use crate::error::MockError;
use crate::http::{BODY_LIMIT, json_response, to_model_request, to_response};

/// How long `finish` lets requests in flight complete before closing their connections.
const GRACE: Duration = Duration::from_secs(1);

/// A running mock provider. Point the code under test at [`MockProvider::url`], then call
/// [`MockProvider::finish`] (or [`MockProvider::try_finish`]).
///
/// Dropping it without finishing stops the server and writes nothing.
#[derive(Debug)]
pub struct MockProvider {
    url: String,
    shared: Arc<Shared>,
    builder: ContractBuilder,
    shutdown: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<Result<(), std::io::Error>>>,
}

/// What the request handler needs: the session behind a lock.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) session: Mutex<Session>,
}

impl Shared {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MockProvider {
    pub(crate) fn start(builder: ContractBuilder) -> Result<Self, MockError> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(MockError::Start)?;
        listener.set_nonblocking(true).map_err(MockError::Start)?;
        let address = listener.local_addr().map_err(MockError::Start)?;
        let url = format!("http://{address}");
        let mut session = Session::new(&url);
        let contract = builder.contract();
        for (index, interaction) in contract.interactions.iter().enumerate() {
            session.expect(index, interaction, contract.spec_version);
        }
        let shared = Arc::new(Shared {
            session: Mutex::new(session),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(MockError::Start)?;
        let (shutdown, stopped) = watch::channel(false);
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name(format!("accord-mock-{}", address.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    let mut graceful = stopped.clone();
                    let mut deadline = stopped;
                    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                        let _ = graceful.wait_for(|stop| *stop).await;
                    });
                    // A client that never completes its request must not hold `finish` up:
                    // after the grace period the runtime drops its connection.
                    tokio::select! {
                        result = std::future::IntoFuture::into_future(serve) => result,
                        () = async move {
                            let _ = deadline.wait_for(|stop| *stop).await;
                            tokio::time::sleep(GRACE).await;
                        } => Ok(()),
                    }
                })
            })
            .map_err(MockError::Start)?;
        tracing::debug!(%url, "mock provider started");
        Ok(MockProvider {
            url,
            shared,
            builder,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL: `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server, then checks that every expected interaction was received and no
    /// request was unexpected or mismatched; only then writes the contract file. Panics
    /// with the report otherwise. Returns the contract file.
    #[track_caller]
    pub fn finish(self) -> PathBuf {
        match self.try_finish() {
            Ok(path) => path,
            Err(error) => panic!("{error}"),
        }
    }

    /// Stops the server, checks the session and writes the contract file, or returns why
    /// not ([`MockError::Failed`] carries the report).
    pub fn try_finish(mut self) -> Result<PathBuf, MockError> {
        self.stop()?;
        let session = self.shared.lock();
        let report = session.report();
        if !report.is_empty() {
            return Err(MockError::Failed(report));
        }
        let exercised: HashSet<usize> = session.keys().collect();
        drop(session);
        Ok(self.builder.write_exercised(&exercised)?)
    }

    fn stop(&mut self) -> Result<(), MockError> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result.map_err(MockError::Serve),
            Some(Err(_)) => Err(MockError::Serve(std::io::Error::other(
                "the mock provider's thread panicked",
            ))),
            None => Ok(()),
        }
    }
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Answers one request of the code under test from the session.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()).into_response();
        }
    };
    let actual = to_model_request(&parts, &bytes);
    let answer = shared.lock().answer(&actual, parts.uri.query());
    match answer {
        Ok(response) => to_response(&response),
        Err(diagnostic) => {
            tracing::debug!(%diagnostic, "mock provider refused a request");
            json_response(StatusCode::INTERNAL_SERVER_ERROR, &diagnostic)
        }
    }
}
