//! The request log: what the simulator received and how it answered.

use serde_json::Value;

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
