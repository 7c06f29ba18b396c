//! Failures injected into the next requests ([`MockServer::fail_next`](super::MockServer::fail_next)).

use std::time::Duration;

use super::bodies;

/// A failure to inject into the next requests ([`MockServer::fail_next`](super::MockServer::fail_next)).
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
    /// `429 WA429` "Too many requests" in Kaleyra's error envelope, with a `Retry-After` header
    /// (whole seconds, rounded up) when `retry_after` is given.
    RateLimited {
        /// The wait to announce in `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// Serve the request normally (accept the message), then send the headers and half of the
    /// body and reset the connection: the client cannot know that the message was accepted.
    ResetMidBody,
    /// Serve the request normally at once (accept the message), but wait this long before
    /// answering: past the client's timeout, the message was accepted all the same.
    SlowAnswer(Duration),
}

/// What kind of [`Fault`] a request got, without its details (for the
/// [ledger](super::MockServer::repeats) and [`MockServer::fault_counts`](super::MockServer::fault_counts)).
///
/// The kinds follow what the client can tell from the answer: a `WA500` (Kaleyra's "Please try
/// again later": nothing was accepted, safe to retry) is [`FaultKind::ServerError`], while a
/// plain `500` (any other body: the message may have been accepted) is `Status(500)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FaultKind {
    /// [`Fault::Status`] with this status, unless its body is Kaleyra's `WA500` / `WA-500`
    /// ([`FaultKind::ServerError`]).
    Status(u16),
    /// [`Fault::Delay`].
    Delay,
    /// [`Fault::DropConnection`].
    DropConnection,
    /// [`Fault::LowBalance`].
    LowBalance,
    /// [`Fault::RateLimited`].
    RateLimited,
    /// [`Fault::ResetMidBody`].
    ResetMidBody,
    /// [`Fault::SlowAnswer`].
    SlowAnswer,
    /// [`Fault::Status`] whose body is Kaleyra's error envelope with the code `WA500` or
    /// `WA-500` ([`Fault::server_error`]), whatever its status: the client takes it as safe to
    /// retry ([`ApiErrorKind::ServerError`](crate::ApiErrorKind::ServerError)).
    ServerError,
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

    /// `502` with an HTML page, as a proxy in front of Kaleyra answers.
    pub fn bad_gateway_html() -> Fault {
        Fault::status(
            502,
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        )
    }

    /// `429 WA429` with `Retry-After` (see [`Fault::RateLimited`]).
    pub fn rate_limited(retry_after: Option<Duration>) -> Fault {
        Fault::RateLimited { retry_after }
    }

    /// What kind of fault this is.
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::Status { body, .. } if is_wa500(body) => FaultKind::ServerError,
            Fault::Status { status, .. } => FaultKind::Status(*status),
            Fault::Delay(_) => FaultKind::Delay,
            Fault::DropConnection => FaultKind::DropConnection,
            Fault::LowBalance => FaultKind::LowBalance,
            Fault::RateLimited { .. } => FaultKind::RateLimited,
            Fault::ResetMidBody => FaultKind::ResetMidBody,
            Fault::SlowAnswer(_) => FaultKind::SlowAnswer,
        }
    }
}

/// Whether a body is Kaleyra's server-error envelope (`"code": "WA500"` or `"WA-500"`), which
/// the client classifies as a retryable server error.
fn is_wa500(body: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        code: Option<std::borrow::Cow<'a, str>>,
    }
    serde_json::from_str::<Envelope<'_>>(body)
        .ok()
        .and_then(|e| e.code)
        .is_some_and(|code| matches!(code.as_ref(), "WA500" | "WA-500"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wa500_is_told_apart_from_a_plain_500() {
        assert_eq!(Fault::server_error().kind(), FaultKind::ServerError);
        assert_eq!(
            Fault::status(500, r#"{"code": "WA-500", "message": "x"}"#).kind(),
            FaultKind::ServerError
        );
        assert_eq!(
            Fault::status(500, "Internal Server Error").kind(),
            FaultKind::Status(500)
        );
        assert_eq!(
            Fault::status(500, r#"{"code": "WA400"}"#).kind(),
            FaultKind::Status(500)
        );
        assert_eq!(Fault::bad_gateway_html().kind(), FaultKind::Status(502));
    }
}
