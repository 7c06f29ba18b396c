//! Failures injected into the next requests ([`MockServer::fail_next`](super::MockServer::fail_next)).

use std::time::Duration;

use super::bodies;

/// A failure to inject into the next requests ([`MockServer::fail_next`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this HTTP status and body (JSON bodies are sent as `application/json`, others
    /// as `text/html` or `text/plain`). A status outside 100-999 is answered as 500.
    Status {
        /// The HTTP status.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Read the request, then close the connection without answering.
    DropConnection,
    /// `400 E110`, the documents' low-balance body.
    LowBalance,
}

impl Fault {
    /// [`Fault::Status`] with any status and body.
    pub fn status(status: u16, body: impl Into<String>) -> Fault {
        Fault::Status {
            status,
            body: body.into(),
        }
    }

    /// `500 WA500` "Please try again later", the documents' server error body.
    pub fn server_error() -> Fault {
        Fault::status(500, bodies::WA500)
    }
}
