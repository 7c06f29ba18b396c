//! The Kaleyra simulator: a real HTTP server on `127.0.0.1` that behaves as Kaleyra's v2
//! WhatsApp documents describe, for tests and demos (feature `mock`).
//!
//! It serves the two routes the library uses:
//!
//! - `POST /v2/{sid}/whatsapp/{id}/messages`: `{id}` is the account's sender number (body
//!   `{"messaging_object": …, "extra_info": …}`: authentication templates, flow templates and
//!   interactive flow messages) or its WABA id (the flat single-product template body);
//! - `POST /v2/{sid}/whatsapp/{flow_id}/publish`.
//!
//! Each request is answered in this order:
//!
//! 1. an injected [`Fault`], if one is pending ([`MockServer::fail_next`]);
//! 2. a wrong `api-key` header or SID: `401 RBC001`;
//! 3. for messages, an `{id}` that is neither the sender nor the WABA id: `401 WA401`; a body
//!    that is not JSON or not the documented shape of one of the four kinds: `400 WA400`
//!    ("Refer to correct payload format");
//! 4. a template registered as approved ([`ApprovedTemplate`]) must be sent in its language,
//!    as its kind, with its number of body parameters: otherwise `400 WA400`. Unknown template
//!    names are accepted, unless the server is [strict](MockServerBuilder::strict);
//! 5. success: `202 WA202` with a fresh `message_id`; publishing a known flow: `200
//!    {"success": true}`, an unknown one: `401 WA-401`.
//!
//! Error bodies are the documents' bodies (as JSON; the documents' typos fixed). Every request,
//! refused or not, is recorded ([`MockServer::received`]), with the reason it was refused
//! ([`ReceivedRequest::refusal`]) so that a test failure explains itself.
//!
//! The payload checks use the same rules as the library ([`crate::rules`]): the name pattern,
//! the language list, E.164 recipients, button indexes 0-9 (a JSON number), OTPs of at most 15
//! characters that appear twice, the flow CTA, `flow_message_version` "3", and so on. Members the
//! documents do not show are refused, so that a misspelt key is caught. Any other path answers
//! `404`, and another method on a known path `405`; both are recorded too.
//!
//! # Example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), kaleyra_core::Error> {
//! use kaleyra_core::mock::{Fault, MockServer};
//! use kaleyra_core::model::AuthenticationTemplate;
//! use kaleyra_core::{Client, Error, Otp, Template};
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

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;

use crate::rules;

mod bodies;
mod check;
mod server;

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
/// # async fn main() -> Result<(), kaleyra_core::Error> {
/// use std::time::Duration;
///
/// use kaleyra_core::mock::{Fault, MockServer};
/// use kaleyra_core::{Client, Error, TransportErrorKind};
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
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a simulator for the default account (the `DEFAULT_*` constants of this module,
    /// the templates `auth1`, `flow_template20` and `abandoned_cart_offer`, the flow
    /// [`DEFAULT_FLOW_ID`]), lenient about unknown template names, on `127.0.0.1` and a free
    /// port.
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

    /// Whether unknown template names and flow ids are refused.
    pub fn is_strict(&self) -> bool {
        self.shared.account.strict
    }

    /// Every request received so far, in the order they arrived, refused ones included.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.shared
            .lock()
            .received
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// The requests received after the first `skip` (cloning only those), for callers that
    /// follow the log as it grows.
    pub fn received_since(&self, skip: usize) -> Vec<ReceivedRequest> {
        self.shared
            .lock()
            .received
            .iter()
            .skip(skip)
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// Forgets the requests received so far (message ids keep counting up).
    pub fn clear_received(&self) {
        self.shared.lock().received.clear();
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

    /// Registers a flow id on the account: it can be published, and (when strict) sent.
    pub fn register_flow(&self, flow_id: &str) {
        self.shared.lock().flows.insert(flow_id.to_owned());
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
    default_templates: bool,
    templates: Vec<ApprovedTemplate>,
    flows: Vec<String>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            sid: DEFAULT_SID.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
            sender: DEFAULT_SENDER.to_owned(),
            waba_id: DEFAULT_WABA_ID.to_owned(),
            strict: false,
            default_templates: true,
            templates: Vec::new(),
            flows: vec![DEFAULT_FLOW_ID.to_owned()],
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

    /// Strict mode refuses (`400 WA400`) template names that are not registered, interactive
    /// flow messages whose `flow_id` is not registered, and a `Content-Type` other than
    /// `application/json`. The default is lenient.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
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

    /// Starts without the default templates (`auth1`, `flow_template20`,
    /// `abandoned_cart_offer`); the default flow stays.
    pub fn without_default_templates(mut self) -> Self {
        self.default_templates = false;
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
            Err(e) => panic!("the Kaleyra simulator cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts the server, or returns why it cannot listen on `127.0.0.1`.
    pub async fn try_start(self) -> io::Result<MockServer> {
        let sender = rules::normalize_phone(&self.sender).unwrap_or(self.sender);
        let mut state = State {
            received: Vec::new(),
            next_seq: 0,
            next_message_id: 0,
            faults: VecDeque::new(),
            templates: Vec::new(),
            flows: self.flows.into_iter().collect(),
        };
        if self.default_templates {
            for template in ApprovedTemplate::defaults() {
                state.add_template(template);
            }
        }
        for template in self.templates {
            state.add_template(template);
        }
        let shared = Arc::new(Shared {
            account: Account {
                sid: self.sid,
                api_key: self.api_key,
                sender,
                waba_id: self.waba_id,
                strict: self.strict,
            },
            state: Mutex::new(state),
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

/// The category of an approved template, which decides the message kind it is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateCategory {
    /// An authentication template: the OTP in the body and in a URL button.
    Authentication,
    /// A flow template: a flow button, optionally body parameters.
    Flow,
    /// A single-product template: a product header and body parameters, on the WABA route.
    Product,
}

/// A template the simulated account has had approved: its name, language, category and number
/// of body parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApprovedTemplate {
    name: String,
    language: String,
    category: TemplateCategory,
    body_parameters: usize,
}

impl ApprovedTemplate {
    /// A template of `category` with no body parameters (set them with
    /// [`ApprovedTemplate::body_parameters`]).
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        category: TemplateCategory,
    ) -> Self {
        ApprovedTemplate {
            name: name.into(),
            language: language.into(),
            category,
            body_parameters: 0,
        }
    }

    /// An authentication template, e.g. `("auth1", "en_US")`. Its body is fixed (the OTP), so
    /// its body parameter count is not checked.
    pub fn authentication(name: impl Into<String>, language: impl Into<String>) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Authentication)
    }

    /// A flow template without body parameters, e.g. `("flow_template20", "en_US")`.
    pub fn flow(name: impl Into<String>, language: impl Into<String>) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Flow)
    }

    /// A single-product template with `body_parameters` body parameters, e.g.
    /// `("abandoned_cart_offer", "en_US", 2)`.
    pub fn product(
        name: impl Into<String>,
        language: impl Into<String>,
        body_parameters: usize,
    ) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Product)
            .body_parameters(body_parameters)
    }

    /// Sets how many body parameters (`{{1}}`..`{{n}}`) a message must give.
    pub fn body_parameters(mut self, n: usize) -> Self {
        self.body_parameters = n;
        self
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Its category.
    pub fn category(&self) -> TemplateCategory {
        self.category
    }

    /// How many body parameters it takes.
    pub fn body_parameter_count(&self) -> usize {
        self.body_parameters
    }

    /// The documents' templates: `auth1`, `flow_template20` and `abandoned_cart_offer`.
    fn defaults() -> [ApprovedTemplate; 3] {
        [
            ApprovedTemplate::authentication("auth1", "en_US"),
            ApprovedTemplate::flow("flow_template20", "en_US"),
            ApprovedTemplate::product("abandoned_cart_offer", "en_US", 2),
        ]
    }
}

/// The simulated account: fixed once the server starts.
struct Account {
    sid: String,
    api_key: String,
    sender: String,
    waba_id: String,
    strict: bool,
}

/// What the server and the handle share.
struct Shared {
    account: Account,
    state: Mutex<State>,
}

impl Shared {
    /// Locks the state; a panic elsewhere while it was held does not make it unusable.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state that changes while the server runs.
struct State {
    /// The requests, each with its arrival number so that its answer can be filled in later.
    received: Vec<(u64, ReceivedRequest)>,
    next_seq: u64,
    next_message_id: u64,
    faults: VecDeque<(usize, Fault)>,
    templates: Vec<ApprovedTemplate>,
    flows: BTreeSet<String>,
}

impl State {
    fn add_template(&mut self, template: ApprovedTemplate) {
        self.templates
            .retain(|t| !(t.name == template.name && t.language == template.language));
        self.templates.push(template);
    }

    /// Records a request that just arrived and takes the fault it gets, if any.
    fn arrive(&mut self, request: ReceivedRequest) -> (u64, Option<Fault>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.received.push((seq, request));
        let fault = match self.faults.front_mut() {
            Some((n, fault)) if *n > 1 => {
                *n -= 1;
                Some(fault.clone())
            }
            Some(_) => self.faults.pop_front().map(|(_, fault)| fault),
            None => None,
        };
        (seq, fault)
    }

    /// Fills in how request `seq` was answered (if it was not cleared meanwhile).
    fn answered(&mut self, seq: u64, status: u16, refusal: Option<String>, id: Option<String>) {
        if let Some((_, request)) = self.received.iter_mut().rev().find(|(s, _)| *s == seq) {
            request.status = status;
            request.refusal = refusal;
            request.message_id = id;
        }
    }

    /// A fresh message id: `A` and 19 digits, counting up from 1.
    fn message_id(&mut self) -> String {
        self.next_message_id += 1;
        format!("A{:019}", self.next_message_id)
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

    #[test]
    fn faults_queue_up_and_count_down() {
        let mut state = State {
            received: Vec::new(),
            next_seq: 0,
            next_message_id: 0,
            faults: VecDeque::from([(2, Fault::LowBalance), (1, Fault::DropConnection)]),
            templates: Vec::new(),
            flows: BTreeSet::new(),
        };
        let request = ReceivedRequest {
            method: "POST".into(),
            path: "/".into(),
            api_key: None,
            content_type: None,
            body: Vec::new(),
            json: None,
            status: 0,
            refusal: None,
            message_id: None,
        };
        let faults: Vec<_> = (0..4).map(|_| state.arrive(request.clone()).1).collect();
        assert_eq!(
            faults,
            [
                Some(Fault::LowBalance),
                Some(Fault::LowBalance),
                Some(Fault::DropConnection),
                None
            ]
        );
        state.answered(2, 0, Some("dropped".into()), None);
        assert_eq!(state.received[2].1.refusal.as_deref(), Some("dropped"));
        assert_eq!(state.message_id(), "A0000000000000000001");
        assert_eq!(state.message_id(), "A0000000000000000002");
    }
}
