//! The request log: what the simulator received and how it answered, kept up to a cap, and the
//! counters that keep counting past it.

use std::time::Instant;

use serde_json::Value;

/// How many requests the log keeps unless told otherwise
/// ([`MockServerBuilder::log_limit`](super::MockServerBuilder::log_limit)): the most recent ones.
pub const DEFAULT_LOG_LIMIT: usize = 10_000;

/// One request as the simulator received it, and how it answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The request path, e.g. `"/v2/HXAP16000000097IN/whatsapp/+15550001234/messages"`.
    pub path: String,
    /// The `api-key` header (lossily decoded if it is not UTF-8).
    pub api_key: Option<String>,
    /// The `Content-Type` header (lossily decoded if it is not UTF-8).
    pub content_type: Option<String>,
    /// The body, byte for byte (empty if it could not be read, e.g. over the simulator's 4 MiB
    /// limit).
    pub body: Vec<u8>,
    /// The body parsed as JSON, if it is JSON.
    pub json: Option<Value>,
    /// The HTTP status the simulator answered; 0 if it has not answered (yet): the request is
    /// still being served, its connection was dropped on purpose, or the client left before the
    /// answer was ready.
    pub status: u16,
    /// Why the simulator refused the request or failed it on purpose; `None` if it was served
    /// normally.
    pub refusal: Option<String>,
    /// The `message_id` of an accepted message.
    pub message_id: Option<String>,
    /// When the request arrived (its body read).
    pub received_at: Instant,
}

/// What the simulator counted since it started: every request, whether or not the log still
/// holds it ([`MockServer::counts`](super::MockServer::counts)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Requests received, on any path.
    pub requests: u64,
    /// Messages accepted (`message_id`s issued).
    pub accepted: u64,
    /// Requests answered with a status of 400 or more, injected faults included.
    pub refused: u64,
    /// Requests that got an injected fault ([`MockServer::fail_next`](super::MockServer::fail_next)
    /// or a [`FaultPlan`](super::FaultPlan)).
    pub faults: u64,
    /// Sends refused by the per-second limit
    /// ([`MockServerBuilder::rate_limit`](super::MockServerBuilder::rate_limit)).
    pub rate_limited: u64,
    /// Requests dropped from the log to keep it within its limit.
    pub evicted: u64,
}

impl ReceivedRequest {
    /// The body as text, if it is UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.body).ok()
    }

    /// Whether this was a send (`…/messages`).
    pub fn is_message(&self) -> bool {
        self.path.ends_with("/messages")
    }

    /// Whether this was a publish (`…/publish`).
    pub fn is_publish(&self) -> bool {
        self.path.ends_with("/publish")
    }
}
