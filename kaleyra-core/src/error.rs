//! Typed errors: what went wrong, and whether it is safe to try again.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::rules::Violation;

/// Everything that can go wrong building or sending a message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value broke a rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured (missing or invalid SID, key, URL, sender, WABA id); nothing
    /// was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Kaleyra answered with an error.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The request could not be completed: connect failure, timeout, connection reset.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// Kaleyra (or something in between) answered with a body that is not the documented JSON,
    /// such as an HTML error page from a proxy.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A callback from Kaleyra, or the flow response inside one, could not be read.
    #[error(transparent)]
    Callback(#[from] crate::callback::CallbackError),
    /// A file to upload could not be opened or read (media upload, issue 15); nothing, or
    /// not all of it, was sent.
    #[error(transparent)]
    File(#[from] FileError),
    /// A template definition to create or edit breaks WhatsApp's creation rules
    /// ([`TemplateDefinition::validate`](crate::catalogue::TemplateDefinition::validate));
    /// nothing was sent.
    #[error(transparent)]
    InvalidTemplate(#[from] InvalidTemplate),
}

impl Error {
    /// Whether sending the same request again is safe and may succeed: the request cannot
    /// have been accepted.
    ///
    /// True for a failure to connect or a request never written ([`TransportErrorKind::Connect`],
    /// [`TransportErrorKind::NotSent`]: nothing reached the server), a rate limit (`WA429`,
    /// WhatsApp's `130429` and `131056`, or HTTP `429` with an unknown code, Kaleyra's JSON or
    /// not) and Kaleyra's documented "try again later" server errors (`WA500`, `WA-500`, with
    /// any `5xx` status). False for everything else, including timeouts, dropped connections
    /// and any other `5xx` (a `503` page from a proxy too: a proxy may answer so after the
    /// upstream received the request): the server may already have accepted the message, and a
    /// send is not idempotent (see [`Error::is_ambiguous`]).
    ///
    /// [`Retry`](crate::Retry) retries exactly these, and the ambiguous ones only when asked.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Validation(_) | Error::Config(_) => false,
            // A 429 with a code of its own (WAV2101 daily limit) is what its code says.
            // A 5xx is safe to retry only when it is Kaleyra's own "try again later".
            Error::Api(e) if e.status() >= 500 => e.kind() == ApiErrorKind::ServerError,
            Error::Api(e) => {
                e.kind().is_retryable() || (e.status() == 429 && e.kind() == ApiErrorKind::Other)
            }
            Error::Transport(e) => e.kind().never_reached_the_server(),
            Error::Decode(e) => e.status() == Some(429),
            Error::Callback(_) | Error::File(_) | Error::InvalidTemplate(_) => false,
        }
    }

    /// Whether the request may have reached Kaleyra and been accepted although no acceptance
    /// came back: a timeout, a connection lost after the request was sent (or a send cancelled
    /// by a runtime shutdown while its request was on the wire), or any `5xx` whose code is not
    /// Kaleyra's `WA500`/`WA-500` (an HTML `502` or `503` from a proxy, a `504`, a JSON `5xx`
    /// with another code).
    ///
    /// Sending such a message again may deliver it twice; [`Retry::ambiguous`](crate::Retry::ambiguous)
    /// opts in. Never true together with [`Error::is_retryable`]; both are false for errors that
    /// will not go away (bad payload, credentials, balance, daily limit) and for a `2xx` whose
    /// body could not be read (the message was accepted).
    pub fn is_ambiguous(&self) -> bool {
        if self.is_retryable() {
            return false;
        }
        match self {
            Error::Validation(_) | Error::Config(_) => false,
            Error::Api(e) => e.status() >= 500,
            Error::Transport(e) => !e.kind().never_reached_the_server(),
            Error::Decode(e) => e.status().is_some_and(|s| s >= 500),
            Error::Callback(_) | Error::File(_) | Error::InvalidTemplate(_) => false,
        }
    }

    /// How long the server asked to wait before trying again (its `Retry-After` header), if
    /// it said; for a send the client's rate limit refused to hold
    /// ([`TransportErrorKind::NotSent`]), how long until its slot.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            Error::Decode(e) => e.retry_after(),
            Error::Transport(e) => e.retry_after(),
            _ => None,
        }
    }

    /// Whether the server said that too many messages are being sent: `WA429`, WhatsApp's
    /// throughput limit `130429`, or HTTP `429` with an unknown code. The client's rate limiter slows down for the
    /// sender when it sees one. (A pair-rate limit, `131056`, is about one recipient and does not
    /// slow the sender down.)
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::Api(e) => {
                e.kind() == ApiErrorKind::RateLimited
                    || (e.status() == 429 && e.kind() == ApiErrorKind::Other)
            }
            Error::Decode(e) => e.status() == Some(429),
            _ => false,
        }
    }
}

/// A wait in whole seconds, rounded up and saturating.
fn whole_seconds(wait: Duration) -> u32 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

/// A value that breaks a rule, and which value it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {violation}")]
pub struct ValidationError {
    what: Cow<'static, str>,
    violation: Violation,
}

impl ValidationError {
    /// `what` names the value, e.g. "the recipient" or "field `code` (otp)".
    pub fn new(what: impl Into<Cow<'static, str>>, violation: Violation) -> Self {
        ValidationError {
            what: what.into(),
            violation,
        }
    }

    /// Which value broke the rule.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The rule it broke.
    pub fn violation(&self) -> &Violation {
        &self.violation
    }
}

/// A client setting that is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("client configuration: {setting} {problem}")]
pub struct ConfigError {
    setting: &'static str,
    problem: Cow<'static, str>,
}

impl ConfigError {
    /// `setting` names it ("sid", "api key", "base URL", "sender", "WABA id", ...).
    pub fn new(setting: &'static str, problem: impl Into<Cow<'static, str>>) -> Self {
        ConfigError {
            setting,
            problem: problem.into(),
        }
    }

    /// The setting at fault.
    pub fn setting(&self) -> &'static str {
        self.setting
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

/// The error codes Kaleyra documents, grouped by what the caller can do about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// `RBC001`: incorrect SID or API key.
    Unauthorized,
    /// `WA401`: the sender number is not on the account.
    SenderNotOnAccount,
    /// `WA-401`: the API is not available for the account, the number belongs to another API
    /// version, or (publish) the flow id does not exist on the account.
    NotAvailable,
    /// `WA400` / `WA-400`: the payload was refused.
    BadPayload,
    /// `E110`: the account's balance is too low.
    LowBalance,
    /// `WA429`: too many requests.
    RateLimited,
    /// `WA500` / `WA-500`: Kaleyra's server failed; try again later.
    ServerError,
    /// `WAV2101`: the daily limit is reached.
    DailyLimit,
    /// WhatsApp's template errors, passed through: `132000` (number of parameters), `132001`
    /// (no such template in that language, or not approved), `132012` (parameter format),
    /// `132015` (paused), `132016` (disabled). The message does not match the account's
    /// approved template: check it with [`Catalogue::check`](crate::Catalogue::check).
    TemplateMismatch,
    /// `131056`: WhatsApp's pair rate limit: too many messages from this sender to this one
    /// recipient in a short time. Nothing was sent; try that recipient again later.
    PairRateLimited,
    /// The media upload's `401` "Unauthorised account type" (`WA-401` with an `account`
    /// error): Kaleyra lets only postpaid accounts upload media. Ask Kaleyra to make the
    /// account postpaid, or send the file by `https` link (`Media::document_link` and the
    /// like) instead of by id.
    PostpaidOnly,
    /// Meta's `100` "Flow name is not unique" (create or rename): the WhatsApp Business
    /// Account already has a flow of that name. Pick another name, or update the existing
    /// flow.
    FlowNameNotUnique,
    /// Meta's `139000` "Blocked by Integrity": the account may not create or publish flows
    /// now. Contact Meta (through Kaleyra support); retrying does not help.
    FlowBlockedByIntegrity,
    /// Meta's `139001`: the flow cannot be updated (a published flow's JSON is fixed: clone it
    /// with `NewFlow::clone_of` and publish the clone), or its Flow JSON could not be
    /// processed.
    FlowNotUpdatable,
    /// Meta's `139002`: the flow cannot be published: it has validation errors (fix them and
    /// upload the JSON again), no Flow JSON, or is not a draft (deprecated, blocked).
    FlowNotPublishable,
    /// Meta's `139003`: only a published flow can be deprecated (delete a draft instead), and
    /// not twice.
    FlowNotDeprecatable,
    /// Meta's `139004`: a published flow cannot be deleted; deprecate it instead.
    FlowNotDeletable,
    /// WhatsApp's `132068` "Flow is blocked" (sending): the flow cannot be sent; see its
    /// `health_status` and fix its endpoint, or send another flow.
    FlowBlocked,
    /// WhatsApp's `132069` "Flow is throttled" (sending): at most 10 messages an hour open
    /// it until its endpoint is healthy again; try later.
    FlowThrottled,
    /// `WA429` from a template-management call (create, edit, delete) or a resumable upload:
    /// Kaleyra allows 100 template calls per WABA per hour (20 resumable uploads). Not retried by
    /// the client (the window is an hour): wait, as Kaleyra advises, 5, 10 then 15 minutes
    /// before calling again, then ask Kaleyra's support.
    TemplateRateLimited,
    /// Creating a template whose name already exists in that language (Meta's error subcode
    /// `2388024`, passed through in `WA400`'s error object): edit the existing one
    /// (`Client::edit_template`) or choose another name.
    TemplateExists,
    /// Any other code.
    Other,
}

impl ApiErrorKind {
    /// Classifies a Kaleyra error code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "RBC001" => ApiErrorKind::Unauthorized,
            "WA401" => ApiErrorKind::SenderNotOnAccount,
            "WA-401" => ApiErrorKind::NotAvailable,
            "WA400" | "WA-400" => ApiErrorKind::BadPayload,
            "E110" => ApiErrorKind::LowBalance,
            // 130429: WhatsApp's throughput limit, passed through (RULES.md).
            "WA429" | "130429" => ApiErrorKind::RateLimited,
            "131056" => ApiErrorKind::PairRateLimited,
            "WA500" | "WA-500" => ApiErrorKind::ServerError,
            "WAV2101" => ApiErrorKind::DailyLimit,
            "132000" | "132001" | "132012" | "132015" | "132016" => ApiErrorKind::TemplateMismatch,
            // Meta's Flows API error codes (RULES.md, "Flow lifecycle").
            "139000" => ApiErrorKind::FlowBlockedByIntegrity,
            "139001" => ApiErrorKind::FlowNotUpdatable,
            "139002" => ApiErrorKind::FlowNotPublishable,
            "139003" => ApiErrorKind::FlowNotDeprecatable,
            "139004" => ApiErrorKind::FlowNotDeletable,
            "132068" => ApiErrorKind::FlowBlocked,
            "132069" => ApiErrorKind::FlowThrottled,
            _ => ApiErrorKind::Other,
        }
    }

    /// What to do about one of Meta's flow errors.
    fn flow_hint(self) -> Option<&'static str> {
        Some(match self {
            ApiErrorKind::FlowNameNotUnique => {
                "the WABA already has a flow of this name: pick another name, or update the \
                 existing flow"
            }
            ApiErrorKind::FlowBlockedByIntegrity => {
                "Meta blocked flows on this account for integrity: contact Meta through \
                 Kaleyra support; retrying does not help"
            }
            ApiErrorKind::FlowNotUpdatable => {
                "a published flow's JSON cannot change: create a clone (NewFlow::clone_of), \
                 upload the new JSON to it and publish it"
            }
            ApiErrorKind::FlowNotPublishable => {
                "only a draft with Flow JSON and no validation errors can be published: fix \
                 the errors (Client::upload_flow_json returns them) and upload again"
            }
            ApiErrorKind::FlowNotDeprecatable => {
                "only a published flow can be deprecated, once: delete a draft instead \
                 (Client::delete_flow)"
            }
            ApiErrorKind::FlowNotDeletable => {
                "only a draft can be deleted: deprecate a published flow instead \
                 (Client::deprecate_flow)"
            }
            ApiErrorKind::FlowBlocked => {
                "the flow is blocked: check its health_status (Client::flow with \
                 FlowField::HealthStatus) and fix its endpoint, or send another flow"
            }
            ApiErrorKind::FlowThrottled => {
                "the flow is throttled to 10 messages an hour until its endpoint is healthy: \
                 try later"
            }
            _ => return None,
        })
    }

    /// Whether a request refused this way may succeed if sent again later.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ApiErrorKind::RateLimited | ApiErrorKind::ServerError | ApiErrorKind::PairRateLimited
        )
    }
}

/// An error response from Kaleyra.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ApiError {
    status: u16,
    code: String,
    message: String,
    kind: ApiErrorKind,
    details: Vec<(String, String)>,
    body: String,
    /// Whole seconds, as `Retry-After` gives them (kept small: `Error` stays under 128 bytes).
    retry_after: Option<u32>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kaleyra refused the request (HTTP {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, ", {}", self.code)?;
        }
        f.write_str(")")?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if self.kind == ApiErrorKind::TemplateRateLimited {
            f.write_str(
                " (template calls are limited to 100 per WABA per hour, resumable uploads to \
                 20: wait before calling again, Kaleyra advises 5, 10 then 15 minutes)",
            )?;
        }
        if self.kind == ApiErrorKind::TemplateExists {
            f.write_str(
                " (a template with this name already exists in this language: edit it with \
                 Client::edit_template, or create it under another name)",
            )?;
        }
        if self.kind == ApiErrorKind::PostpaidOnly {
            f.write_str(
                " (media upload is for postpaid Kaleyra accounts only: ask Kaleyra support to \
                 make the account postpaid, or send the file by https link, e.g. \
                 Media::document_link, instead of uploading it)",
            )?;
        }
        if let Some(hint) = self.kind.flow_hint() {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// Builds an error from its parts; `kind` is derived from `code`.
    pub fn new(
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        details: Vec<(String, String)>,
        body: impl Into<String>,
    ) -> Self {
        let code = code.into();
        ApiError {
            status,
            kind: ApiErrorKind::from_code(&code),
            code,
            message: message.into(),
            details,
            body: body.into(),
            retry_after: None,
        }
    }

    /// The same error with the wait the server asked for (its `Retry-After` header), in whole
    /// seconds (rounded up).
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait.map(whole_seconds);
        self
    }

    /// How long the server asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after.map(|s| Duration::from_secs(u64::from(s)))
    }

    /// The same error classified as [`ApiErrorKind::PostpaidOnly`] (the upload endpoint's
    /// reading of its `WA-401` account answer).
    #[cfg(feature = "transport")]
    pub(crate) fn postpaid_only(mut self) -> Self {
        self.kind = ApiErrorKind::PostpaidOnly;
        self
    }

    /// The same error with another kind (the flow lifecycle's reading of Meta's code `100`, the
    /// template endpoints' reading of `WA429` and of Meta's duplicate-template subcode).
    #[cfg(feature = "transport")]
    pub(crate) fn with_kind(mut self, kind: ApiErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Parses Kaleyra's error body leniently: `data` may be `[]` or `{}`, `error` an object of
    /// strings or a single string, and unknown members are ignored.
    ///
    /// Returns `None` when the body is not a JSON object with a string `code`.
    pub fn from_body(status: u16, body: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        let object = value.as_object()?;
        let code = object.get("code")?.as_str()?;
        let message = object
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        let details = match object.get("error") {
            Some(serde_json::Value::String(s)) => vec![(String::new(), s.clone())],
            Some(serde_json::Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(ApiError::new(status, code, message, details, body))
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Kaleyra's error code, e.g. `"RBC001"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Kaleyra's message, e.g. `"Incorrect SID or API key."`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What kind of error the code means.
    pub fn kind(&self) -> ApiErrorKind {
        self.kind
    }

    /// The members of Kaleyra's `error` object as `(field, message)`; a string `error` gives one
    /// pair with an empty field.
    pub fn details(&self) -> &[(String, String)] {
        &self.details
    }

    /// The raw response body.
    pub fn body(&self) -> &str {
        &self.body
    }
}

/// How a request failed to complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: nothing reached the server.
    Connect,
    /// The request timed out; the server may have received it.
    Timeout,
    /// The connection failed after the request may have been sent (reset, closed early, ...).
    Other,
    /// The request was never written to the network: the client's rate limit would have held
    /// it longer than [`RateLimit::max_wait`](crate::RateLimit::max_wait), or the Tokio runtime
    /// shut down before it started. Nothing reached the server; safe to send again.
    NotSent,
    /// The send journal found the message in flight when an earlier run stopped (a crash, a
    /// `kill -9`): its request may have reached the server. Ambiguous: sent again only with
    /// [`Retry::ambiguous`](crate::Retry::ambiguous) (feature `journal`, `SendAll::journal`).
    Interrupted,
}

impl TransportErrorKind {
    /// Connect failures and requests never written: nothing reached the server.
    fn never_reached_the_server(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Connect | TransportErrorKind::NotSent
        )
    }
}

/// A request that could not be completed.
#[derive(Debug, thiserror::Error)]
#[error("request to Kaleyra failed ({kind:?}): {source}")]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
    /// Whole seconds until a [`TransportErrorKind::NotSent`] send could start.
    retry_after: Option<u32>,
}

impl TransportError {
    /// Wraps the underlying error.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
            retry_after: None,
        }
    }

    /// The same error with the wait after which the request could be sent, in whole seconds
    /// (rounded up); the client sets it when its rate limit refused to hold a send.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait.map(whole_seconds);
        self
    }

    /// How long until the request could be sent, if known.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after.map(|s| Duration::from_secs(u64::from(s)))
    }

    /// How it failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

/// A response body that is not the documented JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected response from Kaleyra{}: {reason}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
pub struct DecodeError {
    status: Option<u16>,
    reason: Cow<'static, str>,
    body: String,
    /// Whole seconds, as `Retry-After` gives them.
    retry_after: Option<u32>,
    /// The body was longer than the client reads
    /// ([`response::MAX_BODY`](crate::response::MAX_BODY)).
    body_truncated: bool,
}

impl DecodeError {
    /// `reason` says what was expected.
    pub fn new(
        status: Option<u16>,
        reason: impl Into<Cow<'static, str>>,
        body: impl Into<String>,
    ) -> Self {
        DecodeError {
            status,
            reason: reason.into(),
            body: body.into(),
            retry_after: None,
            body_truncated: false,
        }
    }

    /// The same error with the wait the server asked for (its `Retry-After` header), in whole
    /// seconds (rounded up).
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait.map(whole_seconds);
        self
    }

    /// The same error, marked as holding only the start of a body that was longer.
    pub fn with_body_truncated(mut self) -> Self {
        self.body_truncated = true;
        self
    }

    /// How long the server asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after.map(|s| Duration::from_secs(u64::from(s)))
    }

    /// Whether [`DecodeError::body`] is only the start of the body: the answer was longer than
    /// the client reads ([`response::MAX_BODY`](crate::response::MAX_BODY), 1 MiB).
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// The HTTP status, if a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The raw body (lossily decoded as UTF-8).
    pub fn body(&self) -> &str {
        &self.body
    }
}

/// A file to upload that could not be opened or read: which file, and the operating system's
/// error.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}` to upload it: {source}", path.display())]
pub struct FileError {
    path: std::path::PathBuf,
    #[source]
    source: std::io::Error,
}

impl FileError {
    /// The file at `path` and what went wrong with it.
    pub fn new(path: impl Into<std::path::PathBuf>, source: std::io::Error) -> Self {
        FileError {
            path: path.into(),
            source,
        }
    }

    /// The file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// What went wrong (`NotFound`, `PermissionDenied`, …).
    pub fn kind(&self) -> std::io::ErrorKind {
        self.source.kind()
    }
}

/// A template definition that WhatsApp's review would reject: every violation of the creation
/// rules ([`TemplateDefinition::validate`](crate::catalogue::TemplateDefinition::validate)), each
/// naming the template, its language and the member.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidTemplate {
    violations: Vec<crate::catalogue::TemplateViolation>,
}

impl InvalidTemplate {
    /// The violations (at least one).
    pub fn violations(&self) -> &[crate::catalogue::TemplateViolation] {
        &self.violations
    }

    /// `Err` with the definition's violations, if it has any.
    #[cfg(feature = "transport")]
    pub(crate) fn check(definition: &crate::catalogue::TemplateDefinition) -> Result<(), Error> {
        let violations = definition.validate();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(InvalidTemplate { violations }.into())
        }
    }
}

impl fmt::Display for InvalidTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.violations.first() else {
            return f.write_str("the template breaks WhatsApp's creation rules");
        };
        write!(f, "{first}")?;
        match self.violations.len() {
            1 => Ok(()),
            n => write!(f, " (and {} more)", n - 1),
        }
    }
}

impl std::error::Error for InvalidTemplate {}
