//! The request log: what the simulator received and how it answered, kept up to a cap in
//! number and in bytes, and the counters that keep counting past it.

use std::collections::VecDeque;
use std::mem::size_of;
use std::time::Instant;

use serde_json::Value;

/// How many requests the log keeps unless told otherwise
/// ([`MockServerBuilder::log_limit`](super::MockServerBuilder::log_limit)): the most recent ones.
pub const DEFAULT_LOG_LIMIT: usize = 10_000;

/// How many bytes the log keeps unless told otherwise
/// ([`MockServerBuilder::log_bytes`](super::MockServerBuilder::log_bytes)): 4 MiB, counted
/// as [`ReceivedRequest::retained_bytes`] (the body, its parsed JSON and the other fields).
/// About 870 authentication-template sends (4.8 kB each by that count). A request larger than
/// that on its own (a body near the simulator's 4 MiB limit) is kept without its body.
pub const DEFAULT_LOG_BYTES: usize = 4 * 1024 * 1024;

/// One request as the simulator received it, and how it answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The request path, e.g. `"/v2/HXAP16000000097IN/whatsapp/+15550001234/messages"`.
    pub path: String,
    /// The query string without its `?`, as sent (percent-encoded), if there was one (flow
    /// details and listings: `fields=…`, `after=…`; the template routes' `?template_id=…`,
    /// `?name=…`).
    pub query: Option<String>,
    /// The `api-key` header (lossily decoded if it is not UTF-8).
    pub api_key: Option<String>,
    /// The `Content-Type` header (lossily decoded if it is not UTF-8).
    pub content_type: Option<String>,
    /// The body, byte for byte (empty if it could not be read, e.g. over the simulator's 4 MiB
    /// limit, or if the request alone was larger than the log's byte bound: see
    /// [`body_len`](Self::body_len)).
    pub body: Vec<u8>,
    /// The body's length as received: more than `body.len()` when the log dropped the body
    /// (and its parsed copy) because the request alone was larger than its byte bound
    /// ([`MockServerBuilder::log_bytes`](super::MockServerBuilder::log_bytes)).
    pub body_len: usize,
    /// The body parsed as JSON, if it is JSON (and the log kept the body).
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
    /// Its arrival number: 0 for the first request the simulator received, counting every
    /// request (those the log no longer holds too); see
    /// [`MockServer::received_from`](super::MockServer::received_from).
    pub seq: u64,
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
    /// or a [`FaultPlan`](super::FaultPlan)), of every kind; by kind:
    /// [`MockServer::fault_counts`](super::MockServer::fault_counts).
    pub faults: u64,
    /// Sends refused by the per-second limit
    /// ([`MockServerBuilder::rate_limit`](super::MockServerBuilder::rate_limit)).
    pub rate_limited: u64,
    /// Requests dropped from the log to keep it within its limit.
    pub evicted: u64,
}

impl ReceivedRequest {
    /// What this record counts against the log's byte bound: an estimate of the heap it holds
    /// (the record itself, its strings, the body, and the parsed JSON tree with its maps'
    /// entries), plus 16 bytes for each allocation.
    pub fn retained_bytes(&self) -> usize {
        let text = |s: &String| heap(s.capacity());
        let optional = |s: &Option<String>| s.as_ref().map_or(0, text);
        size_of::<ReceivedRequest>()
            + text(&self.method)
            + text(&self.path)
            + optional(&self.query)
            + optional(&self.api_key)
            + optional(&self.content_type)
            + heap(self.body.capacity())
            + self.json.as_ref().map_or(0, json_bytes)
            + optional(&self.refusal)
            + optional(&self.message_id)
    }

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

/// Bytes of one heap allocation of `n` bytes (none if empty), with the allocator's bookkeeping.
fn heap(n: usize) -> usize {
    if n == 0 { 0 } else { n + 16 }
}

/// The heap a parsed JSON value holds beyond its own `Value` (serde_json with
/// `preserve_order`: an object is a vector of entries and a hash index).
fn json_bytes(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        Value::String(s) => heap(s.capacity()),
        Value::Array(items) => {
            heap(items.capacity() * size_of::<Value>())
                + items.iter().map(json_bytes).sum::<usize>()
        }
        Value::Object(map) => {
            // Each entry: its hash, key and value in the entries' vector, and an index slot
            // with its control byte in the hash table.
            let entry = size_of::<u64>() + size_of::<String>() + size_of::<Value>();
            let index = size_of::<usize>() + 1;
            heap(map.len() * entry)
                + heap(map.len() * index)
                + map
                    .iter()
                    .map(|(k, v)| heap(k.capacity()) + json_bytes(v))
                    .sum::<usize>()
        }
    }
}

/// One request in the log, with what it counts against the byte bound.
#[derive(Debug)]
struct Entry {
    bytes: usize,
    request: ReceivedRequest,
}

/// The request log: the most recent requests, at most `limit` of them and `byte_limit` bytes
/// ([`ReceivedRequest::retained_bytes`]), and their arrival times (kept apart, 16 bytes each
/// and bounded by `limit` only, so that a pacing check sees as many as before).
#[derive(Debug)]
pub(super) struct Log {
    entries: VecDeque<Entry>,
    arrivals: VecDeque<Instant>,
    bytes: usize,
    limit: usize,
    byte_limit: usize,
}

impl Log {
    pub(super) fn new(limit: usize, byte_limit: usize) -> Log {
        Log {
            entries: VecDeque::new(),
            arrivals: VecDeque::new(),
            bytes: 0,
            limit,
            byte_limit,
        }
    }

    /// Files a request that just arrived; returns how many requests were dropped from the log
    /// (the oldest ones, or this one if the log keeps none).
    pub(super) fn push(&mut self, mut request: ReceivedRequest) -> u64 {
        if self.limit == 0 {
            return 1;
        }
        if self.arrivals.len() >= self.limit {
            self.arrivals.pop_front();
        }
        self.arrivals.push_back(request.received_at);
        let mut bytes = request.retained_bytes();
        if bytes > self.byte_limit {
            // Alone over the bound: keep what the request was, without its body.
            request.body = Vec::new();
            request.json = None;
            bytes = request.retained_bytes();
        }
        if bytes > self.byte_limit {
            return 1;
        }
        let mut dropped = 0;
        while !self.entries.is_empty()
            && (self.entries.len() >= self.limit || self.bytes + bytes > self.byte_limit)
        {
            self.pop_front();
            dropped += 1;
        }
        self.bytes += bytes;
        self.entries.push_back(Entry { bytes, request });
        dropped
    }

    fn pop_front(&mut self) {
        if let Some(entry) = self.entries.pop_front() {
            self.bytes -= entry.bytes;
        }
    }

    /// Fills in the answer of request `seq`, if the log still holds it, and counts its bytes
    /// again; the oldest requests make room if the answer's texts need it. Returns how many
    /// were dropped.
    pub(super) fn answer(
        &mut self,
        seq: u64,
        status: u16,
        refusal: Option<String>,
        id: Option<String>,
    ) -> u64 {
        // Arrival numbers only grow, so the log is sorted by them.
        let Ok(at) = self.entries.binary_search_by_key(&seq, |e| e.request.seq) else {
            return 0;
        };
        let Some(entry) = self.entries.get_mut(at) else {
            return 0;
        };
        entry.request.status = status;
        entry.request.refusal = refusal;
        entry.request.message_id = id;
        let bytes = entry.request.retained_bytes();
        self.bytes = self.bytes - entry.bytes + bytes;
        entry.bytes = bytes;
        let mut dropped = 0;
        // The bound holds at all times, even if this request itself has to go.
        while self.bytes > self.byte_limit && !self.entries.is_empty() {
            self.pop_front();
            dropped += 1;
        }
        dropped
    }

    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.arrivals.clear();
        self.bytes = 0;
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &ReceivedRequest> {
        self.entries.iter().map(|e| &e.request)
    }

    /// The requests from arrival number `seq` on.
    pub(super) fn since_seq(&self, seq: u64) -> impl Iterator<Item = &ReceivedRequest> {
        let start = self.entries.partition_point(|e| e.request.seq < seq);
        self.entries.range(start..).map(|e| &e.request)
    }

    pub(super) fn arrivals(&self) -> impl Iterator<Item = Instant> + '_ {
        self.arrivals.iter().copied()
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// What the log holds now, in [`ReceivedRequest::retained_bytes`].
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(seq: u64, body: &str) -> ReceivedRequest {
        ReceivedRequest {
            method: "POST".into(),
            path: "/v2/HX/whatsapp/1/messages".into(),
            query: None,
            api_key: None,
            content_type: None,
            body: body.as_bytes().to_vec(),
            body_len: body.len(),
            json: serde_json::from_str(body).ok(),
            status: 0,
            refusal: None,
            message_id: None,
            received_at: Instant::now(),
            seq,
        }
    }

    #[test]
    fn the_byte_bound_drops_the_oldest_and_holds_at_all_times() {
        let body = format!(
            r#"{{"text": "{}", "list": [1, 2, {{"a": "b"}}]}}"#,
            "x".repeat(10_000)
        );
        let one = request(0, &body).retained_bytes();
        // The body and its parsed copy.
        assert!(one > 20_000 && one < 22_000, "{one}");
        let mut log = Log::new(1_000, 5 * one);
        let mut dropped = 0;
        for seq in 0..20 {
            dropped += log.push(request(seq, &body));
            assert!(log.bytes() <= 5 * one);
            assert_eq!(
                log.bytes(),
                log.iter()
                    .map(ReceivedRequest::retained_bytes)
                    .sum::<usize>()
            );
        }
        assert_eq!((log.len(), dropped), (5, 15));
        assert_eq!(
            log.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [15, 16, 17, 18, 19]
        );
        // An answer's texts count too, and the bound still holds.
        dropped = log.answer(19, 400, Some("r".repeat(one)), None);
        assert_eq!(dropped, 2);
        assert!(log.bytes() <= 5 * one);
        assert_eq!(
            log.since_seq(17).map(|r| r.seq).collect::<Vec<_>>(),
            [17, 18, 19]
        );
        assert_eq!(log.arrivals().count(), 20);
    }

    #[test]
    fn a_request_larger_than_the_bound_is_kept_without_its_body() {
        let mut log = Log::new(10, 4_096);
        let body = format!(r#""{}""#, "y".repeat(100_000));
        assert_eq!(log.push(request(0, &body)), 0);
        let kept = log.iter().next().cloned();
        let kept = kept
            .as_ref()
            .map(|r| (r.body.len(), r.body_len, r.json.is_some()));
        assert_eq!(kept, Some((0, body.len(), false)));
        assert!(log.bytes() <= 4_096);
        // A log that keeps nothing.
        let mut none = Log::new(0, 4_096);
        assert_eq!(none.push(request(0, "{}")), 1);
        assert_eq!((none.len(), none.bytes()), (0, 0));
    }
}
