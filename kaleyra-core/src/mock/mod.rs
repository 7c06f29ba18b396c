//! The Kaleyra simulator: a real HTTP server on `127.0.0.1` that behaves as Kaleyra's v2
//! WhatsApp documents describe, for tests and demos (feature `mock`).
//!
//! It serves the two routes the library uses:
//!
//! - `POST /v2/{sid}/whatsapp/{id}/messages`: `{id}` is the account's sender number (body
//!   `{"messaging_object": …, "extra_info": …}`: authentication templates, flow templates,
//!   general templates and interactive flow messages) or its WABA id (the flat single-product
//!   template body);
//! - `POST /v2/{sid}/whatsapp/{flow_id}/publish`, and the rest of the flow lifecycle (create,
//!   update, upload the Flow JSON, deprecate, delete, get, list, assets, migrate): each flow
//!   with its state and Meta's refusals (`139001`-`139004`, `100` for a name taken), see
//!   [`MockServer::flow_status`]; a message for a deprecated (`131009`) or blocked (`132068`)
//!   flow is refused, and for an unknown one (`400 WA400`) when strict or once a flow was
//!   created through the API;
//! - `POST /v2/{sid}/whatsapp/{sender}/media`: a media upload (multipart `file` and `type`),
//!   streamed and checked against Meta's type and size table, answered `200 {"id": …}`; a
//!   send naming a media id it did not issue ([`MockServer::register_media`]) is refused
//!   `400 WA400`; [`MockServerBuilder::postpaid`]`(false)` answers uploads `401 WA-401`;
//! - `GET /v2/{sid}/whatsapp/{waba_id}/message_templates`: the account's templates in Kaleyra's
//!   envelope, `{"code": "WA200", "message": …, "data": […], "paging": …, "error": {}}`, 25 to
//!   a page (`?limit=` up to 100) with Meta's `paging.cursors.after` and `paging.next` while
//!   more follow;
//! - `POST`, `PUT` and `DELETE` on `…/{waba_id}/message_templates`: creating (PENDING, then
//!   reviewed by the [`Review`] policy, [`MockServerBuilder::review`], with a template status
//!   callback), editing (Kaleyra's edit rules) and deleting templates (by name, by id, in bulk),
//!   at most [`TEMPLATE_CALLS_PER_HOUR`] an hour; `POST …/{waba_id}/resumable_media`, a
//!   resumable upload answered with a handle (`review.rs`, RULES.md "Template management").
//!
//! Each request is answered in this order:
//!
//! 1. an injected [`Fault`], if one is pending ([`MockServer::fail_next`]), or else if the
//!    [`FaultPlan`] picks this request ([`MockServer::inject`]);
//! 2. a wrong `api-key` header or SID: `401 RBC001`;
//! 3. for messages, an `{id}` that is neither the sender nor the WABA id: `401 WA401`; past the
//!    per-second limit, if one is set ([`MockServerBuilder::rate_limit`]): `429 WA429` with
//!    `Retry-After`; a body that is not JSON or not the documented shape of one of the kinds: `400 WA400`
//!    ("Refer to correct payload format");
//! 4. a template message is checked against the account's template catalogue (the templates of
//!    [`SEED_TEMPLATES`] by default, or [`MockServerBuilder::templates_file`]). A body does not
//!    say its kind (one body text and a URL button may be an authentication or a general
//!    template), so the rules of a kind (the OTP twice, the one flow button) apply once the
//!    approved template says it is of that kind: otherwise `400 WA400`. Then the check
//!    [`Catalogue::check`](crate::Catalogue::check) runs, and a mismatch is answered as WhatsApp
//!    answers it: `400` with Kaleyra's envelope around WhatsApp's code, `132001` (no such
//!    template in that language, or not approved), `132015`/`132016` (paused, disabled),
//!    `132000` (number of parameters), `132012` (parameter format: header type, button
//!    sub-type, card count). The body is Kaleyra's envelope around Meta's error object (Kaleyra
//!    passes Meta's codes through; its own send-error samples are not published):
//!    `{"code": "132000", "message": "(#132000) Number of parameters does not match the expected
//!    number of params", "data": {}, "error": {"message": …, "type": "OAuthException", "code":
//!    132000, "error_data": {"messaging_product": "whatsapp", "details": "<every mismatch>"}}}`.
//!    A template name the account does not have is `132001` too, as WhatsApp answers it
//!    (Meta's error code 132001, "Template does not exist"), unless the server was made
//!    [lenient](MockServerBuilder::lenient): then it is accepted when its shape is valid;
//! 5. success: `202 WA202` with a fresh `message_id`; publishing a known draft with valid Flow
//!    JSON (or a flow already published): `200 {"success": true}`, an unknown one: `401 WA-401`. A session message (anything but a
//!    template) to a customer who has not written within 24 hours is accepted too, and then
//!    gets a `failed` status callback with 131047 ([`MockServer::advance_clock`],
//!    [`MockServer::customer_wrote`]).
//!
//! Error bodies are the documents' bodies (as JSON; the documents' typos fixed). Every request,
//! refused or not, is recorded ([`MockServer::received`]), with the reason it was refused
//! ([`ReceivedRequest::refusal`]) so that a test failure explains itself. The log keeps the
//! most recent requests, at most [`DEFAULT_LOG_LIMIT`] of them ([`MockServerBuilder::log_limit`])
//! within [`DEFAULT_LOG_BYTES`] ([`MockServerBuilder::log_bytes`]), and [`MockServer::counts`]
//! counts them all, so that long runs stay within bounded memory whatever the bodies' sizes
//! (the callback log is bounded in bytes too, [`MockServerBuilder::callback_log_bytes`]); the
//! [ledger](MockServerBuilder::ledger) proves in such runs that no message arrived twice.
//! Injected faults are counted by kind ([`MockServer::fault_counts`]).
//!
//! The payload checks use the same rules as the library ([`crate::rules`]): the name pattern,
//! the language list, E.164 recipients, button indexes 0-9 (a JSON number), OTPs of at most 15
//! characters that appear twice, the flow CTA, `flow_message_version` "3", and for general
//! templates (Meta's component objects: header text, media or location; text, currency and
//! date-time body parameters, named or positional; limited-time offer; every button sub-type;
//! carousel cards) the text-parameter rules, https media links, ISO 4217 codes, coupon codes,
//! button indexes used once, 1-10 cards, and so on. Members the
//! documents do not show are refused, so that a misspelt key is caught. Any other path answers
//! `404`, and another method on a known path `405`; both are recorded too.
//!
//! # Example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), kaleyra::Error> {
//! use kaleyra::mock::{Fault, MockServer};
//! use kaleyra::model::AuthenticationTemplate;
//! use kaleyra::{Client, Error, Otp, Template};
//!
//! let server = MockServer::start().await;
//! let client = Client::builder()
//!     .sid(server.sid())
//!     .api_key(server.api_key())
//!     .base_url(server.url())
//!     .sender(server.sender())
//!     .waba_id(server.waba_id())
//!     .build()?;
//!
//! let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$Fp1234")?)
//!     .to("+91 98765 43210")?;
//! let accepted = client.send(&message).await?;
//! assert!(accepted.message_id.starts_with('A'));
//! assert_eq!(server.received()[0].body, message.as_bytes());
//!
//! server.fail_next(1, Fault::LowBalance);
//! match client.send(&message).await {
//!     Err(Error::Api(e)) => assert_eq!((e.status(), e.code()), (400, "E110")),
//!     other => panic!("{other:?}"),
//! }
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use crate::rules;

mod bodies;
mod callbacks;
mod catalogue;
mod check;
mod completion;
mod components;
mod fault;
mod flows;
mod interactive;
mod ledger;
mod locate;
mod media;
mod plan;
mod received;
mod requests;
mod review;
mod server;
mod session;
mod state;
mod templates;
mod throughput;
mod window;

pub use callbacks::{
    CallbackAuth, CallbackCounts, CallbackPost, DEFAULT_CALLBACK_LOG_BYTES, Incoming, Outcome,
    REMEMBERED_MESSAGES,
};
pub use catalogue::SEED_TEMPLATES;
pub use fault::{Fault, FaultKind};
pub use ledger::{LedgerSummary, Receipt, Repeat};
pub use media::{FNV_OFFSET, UploadedMedia, fnv1a};
pub use plan::FaultPlan;
pub use received::{Counts, DEFAULT_LOG_BYTES, DEFAULT_LOG_LIMIT, ReceivedRequest};
pub use review::{
    CALLBACK_PROFILE_ID, COMPANY_ID, Decision, RESUMABLE_UPLOADS_PER_HOUR, Review,
    TEMPLATE_CALLS_PER_HOUR,
};
pub use templates::{ApprovedTemplate, TemplateCategory};
pub use window::{REMEMBERED_CUSTOMERS, SESSION_WINDOW};

use state::{Account, Shared, State};

/// The default account's SID.
pub const DEFAULT_SID: &str = "HXAP16000000097IN";
/// The default account's API key.
pub const DEFAULT_API_KEY: &str = "Amock00000000000000000000000000003";
/// The default account's business number: the `{sender}` of the messages route.
pub const DEFAULT_SENDER: &str = "+15550001234";
/// The default account's WhatsApp Business Account id: the `{waba_id}` of the single-product
/// template route.
pub const DEFAULT_WABA_ID: &str = "109000000000001";
/// The flow every simulator knows from the start (it can be published and sent).
pub const DEFAULT_FLOW_ID: &str = "1234567890";

/// A running simulator. Dropping it shuts the server down and closes its connections.
///
/// See the [module documentation](self) for what it checks.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), kaleyra::Error> {
/// use std::time::Duration;
///
/// use kaleyra::mock::{Fault, MockServer};
/// use kaleyra::{Client, Error, TransportErrorKind};
///
/// let server = MockServer::start().await;
/// let client = Client::builder()
///     .sid(server.sid())
///     .api_key(server.api_key())
///     .base_url(server.url())
///     .timeout(Duration::from_millis(100))
///     .build()?;
///
/// client.publish_flow("1234567890").await?;
///
/// server.fail_next(1, Fault::Delay(Duration::from_millis(500)));
/// match client.publish_flow("1234567890").await {
///     Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Timeout),
///     other => panic!("{other:?}"),
/// }
///
/// let received = server.received();
/// assert_eq!(received.len(), 2);
/// assert_eq!(received[0].status, 200);
/// assert!(received[1].is_publish());
/// # Ok(()) }
/// ```
pub struct MockServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    /// Dropping the sender stops the accept loop and every connection task.
    _shutdown: tokio::sync::watch::Sender<()>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .field("sid", &self.shared.account.sid)
            .field("sender", &self.shared.account.sender)
            .field("waba_id", &self.shared.account.waba_id)
            .field("strict", &self.shared.account.strict)
            .field("lenient", &self.shared.account.lenient)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a simulator for the default account (the `DEFAULT_*` constants of this module,
    /// the templates of [`SEED_TEMPLATES`], the flow [`DEFAULT_FLOW_ID`]) on `127.0.0.1` and a
    /// free port. A template name its catalogue does not have is refused with WhatsApp's
    /// `132001` ([`MockServerBuilder::lenient`] accepts it instead).
    ///
    /// # Panics
    ///
    /// Only if the environment cannot provide a loopback listener: no Tokio runtime (with IO and
    /// time enabled) is running, or binding `127.0.0.1:0` fails. Use
    /// [`MockServer::try_start`] to get that failure as an error instead.
    pub async fn start() -> MockServer {
        MockServer::builder().start().await
    }

    /// Like [`MockServer::start`], but returns an error if no Tokio runtime is running or
    /// `127.0.0.1:0` cannot be bound.
    pub async fn try_start() -> io::Result<MockServer> {
        MockServer::builder().try_start().await
    }

    /// Configures a simulator: another account, strictness, templates, flows.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// A client for this simulator: its SID, API key, URL, sender and WABA id, every other
    /// setting the defaults (a test that needs another rate limit or retry policy builds its own
    /// from these accessors).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), kaleyra::Error> {
    /// let server = kaleyra::mock::MockServer::start().await;
    /// let client = server.client()?;
    /// assert_eq!(client.templates().await?.len(), server.templates().len());
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> Result<crate::Client, crate::Error> {
        crate::Client::builder()
            .sid(self.sid())
            .api_key(self.api_key())
            .base_url(self.url())
            .sender(self.sender())
            .waba_id(self.waba_id())
            .build()
    }

    /// The base URL to give the client: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The account SID the server accepts.
    pub fn sid(&self) -> &str {
        &self.shared.account.sid
    }

    /// The API key the server accepts in the `api-key` header.
    pub fn api_key(&self) -> &str {
        &self.shared.account.api_key
    }

    /// The account's business number, the `{sender}` of the messages route (E.164, normalized).
    pub fn sender(&self) -> &str {
        &self.shared.account.sender
    }

    /// The account's WABA id, the `{waba_id}` of the single-product template route.
    pub fn waba_id(&self) -> &str {
        &self.shared.account.waba_id
    }

    /// Whether strict mode is on ([`MockServerBuilder::strict`]): unknown flow ids, a
    /// `Content-Type` other than JSON and unknown template names are refused.
    pub fn is_strict(&self) -> bool {
        self.shared.account.strict
    }

    /// Whether template names the catalogue does not have are accepted
    /// ([`MockServerBuilder::lenient`], and not strict).
    pub fn is_lenient(&self) -> bool {
        self.shared.account.lenient && !self.shared.account.strict
    }

    /// Every request received so far that the log still holds (the most recent ones, within
    /// [`MockServerBuilder::log_limit`] and [`MockServerBuilder::log_bytes`]), in the order
    /// they arrived, refused ones included.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().received.iter().cloned().collect()
    }

    /// When each of the most recent requests arrived, in order (without cloning the requests):
    /// for checking a client's pacing. Kept apart from the log (16 bytes each), so the last
    /// [`MockServerBuilder::log_limit`] arrivals are here even when the log's byte bound holds
    /// fewer requests.
    pub fn arrival_times(&self) -> Vec<std::time::Instant> {
        self.shared.lock().received.arrivals().collect()
    }

    /// The requests in the log after its first `skip` (cloning only those). Once the log is
    /// full, older requests leave it and the positions move: to follow the log as it grows,
    /// use [`MockServer::received_from`].
    pub fn received_since(&self, skip: usize) -> Vec<ReceivedRequest> {
        self.shared
            .lock()
            .received
            .iter()
            .skip(skip)
            .cloned()
            .collect()
    }

    /// The requests in the log whose arrival number ([`ReceivedRequest::seq`]) is `seq` or
    /// more, for callers that follow the log as it grows: pass the last one's `seq + 1`.
    pub fn received_from(&self, seq: u64) -> Vec<ReceivedRequest> {
        self.shared
            .lock()
            .received
            .since_seq(seq)
            .cloned()
            .collect()
    }

    /// What the request log holds now, in [`ReceivedRequest::retained_bytes`]: at most
    /// [`MockServerBuilder::log_bytes`].
    pub fn log_bytes(&self) -> usize {
        self.shared.lock().received.bytes()
    }

    /// Forgets the requests received so far (message ids and [`MockServer::counts`] keep
    /// counting up).
    pub fn clear_received(&self) {
        self.shared.lock().received.clear();
    }

    /// What the simulator counted since it started, including requests the log no longer
    /// holds.
    pub fn counts(&self) -> Counts {
        self.shared.lock().counts
    }

    /// How many requests got each kind of injected fault ([`Counts::faults`] by kind), kinds
    /// that none got left out. A `WA500` ([`FaultKind::ServerError`], safe to retry) is counted
    /// apart from a plain `500` (`FaultKind::Status(500)`, which may have been accepted).
    pub fn fault_counts(&self) -> BTreeMap<FaultKind, u64> {
        self.shared.lock().fault_counts.clone()
    }

    /// How many requests got a fault of this kind (see [`MockServer::fault_counts`]).
    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.shared
            .lock()
            .fault_counts
            .get(&kind)
            .copied()
            .unwrap_or(0)
    }

    /// Injects faults at a rate from now on, replacing any plan given before (queued
    /// [`MockServer::fail_next`] faults still come first).
    pub fn inject(&self, plan: FaultPlan) {
        self.shared.lock().plan = Some(plan);
    }

    /// Stops the plan given to [`MockServer::inject`].
    pub fn stop_injecting(&self) {
        self.shared.lock().plan = None;
    }

    /// Sets (`Some`) or removes (`None`) the per-second limit on sends; see
    /// [`MockServerBuilder::rate_limit`].
    pub fn set_rate_limit(&self, per_second: Option<u32>) {
        self.shared.lock().throughput = per_second.map(throughput::Throughput::new);
    }

    /// The ledger's totals (all zero unless [`MockServerBuilder::ledger`] turned it on).
    pub fn ledger(&self) -> LedgerSummary {
        self.shared
            .lock()
            .ledger
            .as_ref()
            .map(ledger::Ledger::summary)
            .unwrap_or_default()
    }

    /// The message bodies received more than once, each with all its receipts (empty unless
    /// [`MockServerBuilder::ledger`] turned the ledger on).
    pub fn repeats(&self) -> Vec<Repeat> {
        self.shared
            .lock()
            .ledger
            .as_ref()
            .map(ledger::Ledger::repeats)
            .unwrap_or_default()
    }

    /// The next `n` requests, whatever they are, get `fault` instead of (or, for
    /// [`Fault::Delay`], before) their normal answer. Calls queue up: `fail_next(1, a)` then
    /// `fail_next(2, b)` fails one request with `a`, then two with `b`. `n == 0` does nothing.
    pub fn fail_next(&self, n: usize, fault: Fault) {
        if n > 0 {
            self.shared.lock().faults.push_back((n, fault));
        }
    }

    /// How many requests will still get an injected fault.
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.iter().map(|(n, _)| *n).sum()
    }

    /// Registers an approved template, replacing one with the same name and language.
    pub fn register_template(&self, template: ApprovedTemplate) {
        self.shared.lock().add_template(template);
    }

    /// Registers a flow id on the account, PUBLISHED (named `registered_{id}`): it can be
    /// published (again: a no-op), sent, and deprecated. A flow the simulator knows stays as
    /// it is.
    pub fn register_flow(&self, flow_id: &str) {
        let waba = self.shared.account.waba_id.clone();
        self.shared.lock().flows.register(flow_id, &waba);
    }

    /// A flow's status (flows registered, created through the API, or migrated), `None` for
    /// a flow the simulator does not know (or deleted).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use kaleyra::flows::FlowStatus;
    /// use kaleyra::mock::{DEFAULT_FLOW_ID, MockServer};
    ///
    /// let server = MockServer::start().await;
    /// assert_eq!(server.flow_status(DEFAULT_FLOW_ID), Some(FlowStatus::Published));
    /// assert!(server.set_flow_status(DEFAULT_FLOW_ID, FlowStatus::Blocked));
    /// assert_eq!(server.flow_status("42"), None);
    /// # }
    /// ```
    pub fn flow_status(&self, flow_id: &str) -> Option<crate::flows::FlowStatus> {
        self.shared.lock().flows.status(flow_id)
    }

    /// Sets a flow's status, as Meta does to a flow whose endpoint is unhealthy (`BLOCKED`,
    /// `THROTTLED`); false if the simulator does not know the flow.
    pub fn set_flow_status(&self, flow_id: &str, status: crate::flows::FlowStatus) -> bool {
        self.shared.lock().flows.set_status(flow_id, status)
    }

    /// The Flow JSON last uploaded for a flow, as received.
    pub fn flow_json(&self, flow_id: &str) -> Option<Vec<u8>> {
        self.shared.lock().flows.json(flow_id)
    }

    /// One line of shell assignments with the variables `Client::from_env` reads:
    /// `KALEYRA_BASE_URL=http://127.0.0.1:PORT KALEYRA_SID=… KALEYRA_API_KEY=… KALEYRA_SENDER=…
    /// KALEYRA_WABA_ID=…` (a value is single-quoted only if the shell needs it).
    pub fn env_line(&self) -> String {
        let account = &self.shared.account;
        [
            ("KALEYRA_BASE_URL", self.url.as_str()),
            ("KALEYRA_SID", account.sid.as_str()),
            ("KALEYRA_API_KEY", account.api_key.as_str()),
            ("KALEYRA_SENDER", account.sender.as_str()),
            ("KALEYRA_WABA_ID", account.waba_id.as_str()),
        ]
        .iter()
        .map(|(name, value)| format!("{name}={}", shell_quote(value)))
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// Quotes `value` for a POSIX shell if it has any character that needs it.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'_' | b'.' | b'/' | b':' | b'@')
        });
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// Configures a [`MockServer`]; [`MockServer::builder`] starts one for the default account.
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    sid: String,
    api_key: String,
    sender: String,
    waba_id: String,
    strict: bool,
    lenient: bool,
    default_templates: bool,
    templates: Vec<ApprovedTemplate>,
    templates_file: Option<std::path::PathBuf>,
    flows: Vec<String>,
    log_limit: usize,
    log_bytes: usize,
    rate_limit: Option<u32>,
    ledger: bool,
    plan: Option<FaultPlan>,
    callbacks: callbacks::Config,
    /// Media upload (`media.rs`): whether the account may upload, the ids known from the start.
    postpaid: bool,
    media_ids: Vec<String>,
    /// Template review (`review.rs`).
    review: review::Review,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            sid: DEFAULT_SID.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
            sender: DEFAULT_SENDER.to_owned(),
            waba_id: DEFAULT_WABA_ID.to_owned(),
            strict: false,
            lenient: false,
            default_templates: true,
            templates: Vec::new(),
            templates_file: None,
            flows: vec![DEFAULT_FLOW_ID.to_owned()],
            log_limit: DEFAULT_LOG_LIMIT,
            log_bytes: DEFAULT_LOG_BYTES,
            rate_limit: None,
            ledger: false,
            plan: None,
            callbacks: callbacks::Config::default(),
            postpaid: true,
            media_ids: Vec::new(),
            review: review::Review::default(),
        }
    }
}

impl MockServerBuilder {
    /// The account SID (default [`DEFAULT_SID`]).
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = sid.into();
        self
    }

    /// The API key (default [`DEFAULT_API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The business number (default [`DEFAULT_SENDER`]). A valid E.164 number is kept
    /// normalized (`+` and digits), as the client sends it.
    pub fn sender(mut self, number: impl Into<String>) -> Self {
        self.sender = number.into();
        self
    }

    /// The WABA id (default [`DEFAULT_WABA_ID`]).
    pub fn waba_id(mut self, id: impl Into<String>) -> Self {
        self.waba_id = id.into();
        self
    }

    /// Strict mode refuses (`400 WA400`) interactive flow messages whose `flow_id` is not
    /// registered and a `Content-Type` other than `application/json`, and ignores
    /// [`lenient`](Self::lenient). Off by default. (Template names the catalogue does not have
    /// are refused with `132001` in either mode unless lenient.)
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Accepts template names the catalogue does not have (in any language), when the
    /// message's shape is valid, as if they were approved general templates. By default the
    /// simulator answers them as WhatsApp does: `400` with `132001` ("Template name does not
    /// exist in the translation") in Kaleyra's error body, like its other catalogue errors. For
    /// tests that send made-up templates without registering them; a known name in another
    /// language is `132001` still. Strict mode ([`strict`](Self::strict)) wins over this.
    pub fn lenient(mut self) -> Self {
        self.lenient = true;
        self
    }

    /// Registers an approved template (see [`MockServer::register_template`]).
    pub fn template(mut self, template: ApprovedTemplate) -> Self {
        self.templates.push(template);
        self
    }

    /// Registers a flow id (see [`MockServer::register_flow`]).
    pub fn flow(mut self, flow_id: impl Into<String>) -> Self {
        self.flows.push(flow_id.into());
        self
    }

    /// Starts without the default templates ([`SEED_TEMPLATES`]); the default flow stays.
    pub fn without_default_templates(mut self) -> Self {
        self.default_templates = false;
        self
    }

    /// Keeps at most `n` requests in the log, the most recent (default [`DEFAULT_LOG_LIMIT`];
    /// `0` keeps none), within [`log_bytes`](Self::log_bytes) too. [`MockServer::counts`]
    /// counts them all.
    pub fn log_limit(mut self, n: usize) -> Self {
        self.log_limit = n;
        self
    }

    /// Keeps at most `bytes` of requests in the log, the most recent, counted as
    /// [`ReceivedRequest::retained_bytes`] (default [`DEFAULT_LOG_BYTES`], 4 MiB), so that the
    /// log's memory does not depend on how large the bodies are. A request larger than the
    /// whole bound on its own is kept without its body and parsed JSON
    /// ([`ReceivedRequest::body_len`] still says how long it was). [`MockServer::log_bytes`]
    /// says what the log holds.
    pub fn log_bytes(mut self, bytes: usize) -> Self {
        self.log_bytes = bytes;
        self
    }

    /// Lets at most `per_second` sends through in any one-second window on each route (the
    /// sender number's and the WABA id's); past it, a send is answered `429 WA429` with a
    /// `Retry-After` of the seconds until one would be let through (at least 1), in Kaleyra's
    /// error envelope. Sends refused this way do not count against the limit. Publishing is not
    /// limited. `0` lets nothing through; the default is no limit.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// Keeps a ledger of every message body received ([`MockServer::ledger`],
    /// [`MockServer::repeats`]): about 40 bytes per distinct body, to prove in long runs that
    /// no message was received or accepted twice. Messages are told apart by their bodies, so
    /// give each its own `extra_info` reference. Off by default.
    pub fn ledger(mut self, on: bool) -> Self {
        self.ledger = on;
        self
    }

    /// Injects faults at a rate from the start (see [`MockServer::inject`]).
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// Starts the server on `127.0.0.1` and a free port.
    ///
    /// # Panics
    ///
    /// Only if the environment cannot provide a loopback listener, as [`MockServer::start`].
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(server) => server,
            Err(e) => panic!("the Kaleyra simulator cannot start: {e}"),
        }
    }

    /// Starts the server, or returns why it cannot listen on `127.0.0.1`.
    pub async fn try_start(self) -> io::Result<MockServer> {
        let catalogue = self
            .catalogue()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let sender = rules::normalize_phone(&self.sender).unwrap_or(self.sender);
        let state = State {
            received: received::Log::new(self.log_limit, self.log_bytes),
            counts: Counts::default(),
            fault_counts: BTreeMap::new(),
            next_seq: 0,
            next_message_id: 0,
            faults: VecDeque::new(),
            plan: self.plan,
            throughput: self.rate_limit.map(throughput::Throughput::new),
            ledger: self.ledger.then(ledger::Ledger::default),
            catalogue,
            flows: flows::Flows::new(self.flows, &self.waba_id),
        };
        let shared = Arc::new(Shared {
            account: Account {
                sid: self.sid,
                api_key: self.api_key,
                sender,
                waba_id: self.waba_id,
                strict: self.strict,
                lenient: self.lenient,
            },
            state: Mutex::new(state),
            callbacks: callbacks::Callbacks::new(self.callbacks),
            window: window::Window::default(),
            media: media::Store::new(self.postpaid, self.media_ids),
            reviews: review::Reviews::new(
                self.review,
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default(),
            ),
        });
        let (addr, shutdown) = server::spawn(Arc::clone(&shared)).await?;
        tracing::debug!(%addr, "Kaleyra simulator listening");
        Ok(MockServer {
            shared,
            addr,
            url: format!("http://{addr}"),
            _shutdown: shutdown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_can_be_shared_across_tasks() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<MockServer>();
        send_sync::<ReceivedRequest>();
        send_sync::<Fault>();
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("+15550001234"), "+15550001234");
        assert_eq!(shell_quote("http://127.0.0.1:80"), "http://127.0.0.1:80");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
