//! A small HTTP/1.1 provider for end-to-end tests: one thread, one connection at a time,
//! every request handed to a closure and logged.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A request as the provider saw it.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: String,
}

impl Seen {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the provider answers.
pub(super) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    pub(super) fn json(status: u16, body: &str) -> Self {
        Reply::with_body(status, "application/json", body.as_bytes())
    }

    /// A reply with a body of any content type.
    pub(super) fn with_body(status: u16, content_type: &str, body: &[u8]) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.to_owned())],
            body: body.to_vec(),
        }
    }

    /// A reply without a body nor a content type.
    pub(super) fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(super) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Requests seen so far, in order.
pub(super) type Journal = Arc<Mutex<Vec<Seen>>>;

/// Starts a provider; returns its base URL.
pub(super) fn start(handler: impl Fn(&Seen) -> Reply + Send + 'static) -> String {
    start_with_journal(handler).0
}

/// Starts a provider; returns its base URL and the journal of the requests it gets.
pub(super) fn start_with_journal(
    handler: impl Fn(&Seen) -> Reply + Send + 'static,
) -> (String, Journal) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the provider");
    let url = format!(
        "http://{}",
        listener.local_addr().expect("provider address")
    );
    let journal = Journal::default();
    let seen_by_thread = journal.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let Some(seen) = read_request(&mut reader) else {
                continue;
            };
            let reply = handler(&seen);
            seen_by_thread.lock().expect("journal").push(seen);
            let mut response = format!("HTTP/1.1 {} X\r\n", reply.status);
            for (name, value) in &reply.headers {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                reply.body.len(),
            ));
            let mut stream = reader.into_inner();
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.write_all(&reply.body);
        }
    });
    (url, journal)
}

fn read_request(reader: &mut impl BufRead) -> Option<Seen> {
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
