//! Callbacks: the simulator posts what Kaleyra posts back to a callback profile's URL.
//!
//! With [`MockServerBuilder::callback_url`], every accepted message gets its delivery statuses
//! (`sent`, `delivered`, `read` by default; or `failed` with a chosen Meta error, or Kaleyra's
//! `not-sent`: [`Outcome`]) in Kaleyra's v2 envelope (facts §3.3), with the `ref`, `ref1` and
//! `ref2` the message was sent with, one after the other for each message. A customer's
//! message (a text, a button tap, a completed flow: [`Incoming`]) is posted by
//! [`MockServer::incoming`] in the envelope of facts §3.4. A session message to a customer
//! outside the 24-hour window gets a `failed` status with 131047 instead (`window.rs`,
//! [`MockServer::advance_clock`]).
//!
//! Choices where Kaleyra's pages are silent (RULES.md, "Callbacks"):
//! - `statuses[].id` is the id the `202` answered ([`Accepted::message_id`](crate::Accepted));
//!   the top-level `message_id` and `extra_info.message_id` are a `wamid`, which a customer's
//!   reply names in `context.id`; the reply's `extra_info.reply_to` is the `202`'s id again.
//! - A `failed` or `not-sent` status is posted alone, without a `sent` before it.
//! - A post answered with a 5xx or 429, or that cannot connect, is sent again, up to
//!   [`MockServerBuilder::callback_attempts`] times in all, waiting
//!   [`MockServerBuilder::callback_retry_delay`] (doubled each time) in between; any other
//!   answer ends it.
//! - Advanced authentication fetches a token with the OAuth 2.0 client-credentials grant: a
//!   `POST` to the token URL with the client id and secret in a Basic `Authorization` header and
//!   the body `grant_type=client_credentials`; the token is kept until its `expires_in` (a
//!   number or a string) and fetched again after a `401`.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Notify;

use super::{MockServer, MockServerBuilder, Shared};
use crate::callback::{FlowResponse, MetaErrorCode};
use crate::catalogue::Category;
use crate::error::{ConfigError, Error, TransportError, TransportErrorKind};
use crate::rules;

/// The id of the business number in `metadata.phone_number_id`.
const PHONE_NUMBER_ID: &str = "104000000000060";

/// How many bytes of posts [`MockServer::callback_posts`] keeps unless told otherwise
/// ([`MockServerBuilder::callback_log_bytes`]): 4 MiB, counted as
/// [`CallbackPost::retained_bytes`] (a status post is about 1 KB: some 4,000 posts).
pub const DEFAULT_CALLBACK_LOG_BYTES: usize = 4 * 1024 * 1024;

/// How many accepted messages the simulator remembers for its callbacks (the most recent):
/// a customer's reply ([`Incoming::replying_to`]) to an older one is posted without `context`
/// and refs. About 300 bytes each (3 MB in all); only with a
/// [callback URL](MockServerBuilder::callback_url).
pub const REMEMBERED_MESSAGES: usize = 10_000;

/// How the simulator authenticates its posts: the options of a Kaleyra callback profile.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackAuth {
    /// No credentials.
    #[default]
    None,
    /// A custom header carrying a shared secret.
    Header {
        /// The header's name.
        name: String,
        /// Its value.
        value: String,
    },
    /// Basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// Kaleyra's advanced authentication: fetch a token from `token_url` with the client id and
    /// secret, then send `Authorization: Bearer <access_token>`.
    Advanced {
        /// The customer's token route.
        token_url: String,
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String,
    },
}

impl CallbackAuth {
    /// [`CallbackAuth::Header`].
    pub fn header(name: impl Into<String>, value: impl Into<String>) -> Self {
        CallbackAuth::Header {
            name: name.into(),
            value: value.into(),
        }
    }

    /// [`CallbackAuth::Basic`].
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        CallbackAuth::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// [`CallbackAuth::Advanced`].
    pub fn advanced(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        CallbackAuth::Advanced {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

impl fmt::Debug for CallbackAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackAuth::None => f.write_str("CallbackAuth::None"),
            CallbackAuth::Header { name, .. } => {
                write!(
                    f,
                    "CallbackAuth::Header {{ name: {name:?}, value: <redacted> }}"
                )
            }
            CallbackAuth::Basic { username, .. } => write!(
                f,
                "CallbackAuth::Basic {{ username: {username:?}, password: <redacted> }}"
            ),
            CallbackAuth::Advanced {
                token_url,
                client_id,
                ..
            } => write!(
                f,
                "CallbackAuth::Advanced {{ token_url: {token_url:?}, client_id: {client_id:?}, \
                 client_secret: <redacted> }}"
            ),
        }
    }
}

/// What happens to an accepted message: which statuses the simulator posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// `sent`, `delivered`, `read` (the default).
    Read,
    /// `sent`, `delivered`.
    Delivered,
    /// `sent`.
    Sent,
    /// `failed`, with this Meta error.
    Failed(MetaErrorCode),
    /// Kaleyra's `not-sent`: Kaleyra did not hand the message to WhatsApp.
    NotSent,
}

impl Outcome {
    fn states(self) -> &'static [&'static str] {
        match self {
            Outcome::Read => &["sent", "delivered", "read"],
            Outcome::Delivered => &["sent", "delivered"],
            Outcome::Sent => &["sent"],
            Outcome::Failed(_) => &["failed"],
            Outcome::NotSent => &["not-sent"],
        }
    }
}

/// One post the simulator made to the callback URL.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CallbackPost {
    /// What it reports: a status (`"sent"`, `"delivered"`, `"read"`, `"failed"`, `"not-sent"`)
    /// or `"incoming"`.
    pub event: String,
    /// The message it is about: the `202`'s id for a status, the customer message's `wamid`
    /// for an incoming message.
    pub message_id: String,
    /// The body, byte for byte.
    pub body: Vec<u8>,
    /// 1 for the first attempt, 2 for the first redelivery, ...
    pub attempt: u32,
    /// The receiver's HTTP status; `None` if the post could not be made (connection refused,
    /// timeout).
    pub status: Option<u16>,
}

impl CallbackPost {
    /// What this post counts against the callback log's byte bound
    /// ([`MockServerBuilder::callback_log_bytes`]): the record, its texts and the body, plus
    /// 16 bytes for each allocation.
    pub fn retained_bytes(&self) -> usize {
        let heap = |n: usize| if n == 0 { 0 } else { n + 16 };
        std::mem::size_of::<CallbackPost>()
            + heap(self.event.capacity())
            + heap(self.message_id.capacity())
            + heap(self.body.capacity())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What the simulator's callback side counted and holds ([`MockServer::callback_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackCounts {
    /// Posts made to the callback URL since the server started, every attempt of every
    /// callback counted (as [`MockServer::callback_posts`] lists them), answered or not.
    pub posts: u64,
    /// Posts dropped from the callback log to keep it within its byte bound.
    pub evicted: u64,
    /// What the callback log holds now, in [`CallbackPost::retained_bytes`]: at most
    /// [`MockServerBuilder::callback_log_bytes`].
    pub bytes: usize,
    /// Accepted messages remembered for replies: at most [`REMEMBERED_MESSAGES`].
    pub messages: usize,
    /// Messages whose statuses are still being posted.
    pub pending: usize,
}

/// A message a customer sends, for [`MockServer::incoming`].
///
/// ```
/// use kaleyra::mock::Incoming;
///
/// let hello = Incoming::text("+91 98765 43210", "Hello!").profile_name("Sam");
/// let tap = Incoming::button("+919876543210", "STOP", "Stop promotions").replying_to("A0000000000000000001");
/// let done = Incoming::flow_completion_json(
///     "+919876543210",
///     serde_json::json!({"flow_token": "booking-42", "date": "2026-12-01"}),
/// );
/// # let _ = (hello, tap, done);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    from: String,
    name: String,
    reply_to: Option<String>,
    kind: &'static str,
    content: Value,
}

impl Incoming {
    pub(super) fn new(from: &str, kind: &'static str, content: Value) -> Incoming {
        let number = rules::normalize_phone(from).unwrap_or_else(|_| from.to_owned());
        Incoming {
            from: number.trim_start_matches('+').to_owned(),
            name: "Sam".to_owned(),
            reply_to: None,
            kind,
            content,
        }
    }

    /// A text message (`type: text`).
    pub fn text(from: &str, body: impl Into<String>) -> Incoming {
        Incoming::new(from, "text", json!({ "body": body.into() }))
    }

    /// A tap on a template's quick-reply button (`type: button`).
    pub fn button(from: &str, payload: impl Into<String>, text: impl Into<String>) -> Incoming {
        Incoming::new(
            from,
            "button",
            json!({ "payload": payload.into(), "text": text.into() }),
        )
    }

    /// A tap on an interactive reply button (`interactive.button_reply`).
    pub fn button_reply(from: &str, id: impl Into<String>, title: impl Into<String>) -> Incoming {
        Incoming::new(
            from,
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": id.into(), "title": title.into() } }),
        )
    }

    /// A choice in an interactive list (`interactive.list_reply`, facts §1.5), with the row's
    /// description when it has one.
    pub fn list_reply(
        from: &str,
        id: impl Into<String>,
        title: impl Into<String>,
        description: Option<&str>,
    ) -> Incoming {
        let mut reply = json!({ "id": id.into(), "title": title.into() });
        if let Some(description) = description {
            reply["description"] = json!(description);
        }
        Incoming::new(
            from,
            "interactive",
            json!({ "type": "list_reply", "list_reply": reply }),
        )
    }

    /// A completed flow (`interactive.nfm_reply`, `name: flow`) whose `response_json` is what
    /// `response` arrives as ([`FlowResponse::to_response_json`]).
    ///
    /// # Errors
    ///
    /// When `response` does not serialize.
    pub fn flow_completion<T: FlowResponse>(from: &str, response: &T) -> Result<Incoming, Error> {
        Ok(Incoming::flow_reply(from, response.to_response_json()?))
    }

    /// A completed flow whose `response_json` is this JSON (usually an object with
    /// `flow_token`).
    pub fn flow_completion_json(from: &str, response_json: Value) -> Incoming {
        Incoming::flow_reply(from, response_json.to_string())
    }

    fn flow_reply(from: &str, response_json: String) -> Incoming {
        Incoming::new(
            from,
            "interactive",
            json!({
                "type": "nfm_reply",
                "nfm_reply": { "response_json": response_json, "body": "Sent", "name": "flow" }
            }),
        )
    }

    /// Answers the business message the simulator accepted with this id (`Accepted::message_id`):
    /// sets `context` (its `wamid`) and echoes its refs, as Kaleyra does. The simulator
    /// remembers the last [`REMEMBERED_MESSAGES`] messages it accepted; a reply to an older
    /// (or unknown) one has no `context`.
    #[must_use]
    pub fn replying_to(mut self, message_id: impl Into<String>) -> Incoming {
        self.reply_to = Some(message_id.into());
        self
    }

    /// The customer's WhatsApp profile name (default `"Sam"`, as in Kaleyra's samples).
    #[must_use]
    pub fn profile_name(mut self, name: impl Into<String>) -> Incoming {
        self.name = name.into();
        self
    }
}

/// Where and how to post (fixed once the server starts).
#[derive(Debug, Clone)]
pub(super) struct Config {
    url: Option<String>,
    auth: CallbackAuth,
    outcome: Outcome,
    attempts: u32,
    retry_delay: Duration,
    log_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            url: None,
            auth: CallbackAuth::None,
            outcome: Outcome::Read,
            attempts: 3,
            retry_delay: Duration::from_millis(50),
            log_bytes: DEFAULT_CALLBACK_LOG_BYTES,
        }
    }
}

/// A message the simulator accepted, as its callbacks name it.
#[derive(Clone)]
struct Accepted {
    id: String,
    wamid: String,
    recipient: String,
    refs: [Option<String>; 3],
    origin: &'static str,
}

/// The simulator's side of callbacks.
pub(super) struct Callbacks {
    config: Config,
    client: Option<reqwest::Client>,
    state: Mutex<CallbackState>,
    /// Messages whose statuses are still being posted.
    pending: AtomicUsize,
    settled: Notify,
    /// Notified after each post.
    posted: Notify,
}

#[derive(Default)]
struct CallbackState {
    outcomes: VecDeque<(usize, Outcome)>,
    /// The last [`REMEMBERED_MESSAGES`] accepted messages, and their ids oldest first.
    accepted: HashMap<String, Accepted>,
    accepted_order: VecDeque<String>,
    /// The most recent posts, within `Config::log_bytes`.
    posts: VecDeque<CallbackPost>,
    posts_bytes: usize,
    posts_made: u64,
    posts_evicted: u64,
    token: Option<(String, Instant)>,
    next_id: u64,
}

impl CallbackState {
    fn remember(&mut self, sent: Accepted) {
        if self
            .accepted
            .insert(sent.id.clone(), sent.clone())
            .is_none()
        {
            self.accepted_order.push_back(sent.id);
        }
        while self.accepted_order.len() > REMEMBERED_MESSAGES {
            if let Some(oldest) = self.accepted_order.pop_front() {
                self.accepted.remove(&oldest);
            }
        }
    }

    fn record(&mut self, post: CallbackPost, byte_limit: usize) {
        self.posts_made += 1;
        let bytes = post.retained_bytes();
        if bytes > byte_limit {
            // Larger than the whole bound: counted, not kept.
            self.posts_evicted += 1;
            return;
        }
        while self.posts_bytes + bytes > byte_limit {
            let Some(oldest) = self.posts.pop_front() else {
                break;
            };
            self.posts_bytes -= oldest.retained_bytes();
            self.posts_evicted += 1;
        }
        self.posts_bytes += bytes;
        self.posts.push_back(post);
    }
}

impl Callbacks {
    pub(super) fn new(config: Config) -> Callbacks {
        let client = config.url.as_ref().and_then(|_| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .ok()
        });
        Callbacks {
            config,
            client,
            state: Mutex::new(CallbackState::default()),
            pending: AtomicUsize::new(0),
            settled: Notify::new(),
            posted: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, CallbackState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `id` is the `wamid` of a customer message [`MockServer::incoming`] delivered
    /// (`wamid.HBgM<digits>FQIAEhgU<n, 20 digits>`, `n` one it counted): known without storing
    /// every id.
    pub(super) fn delivered(&self, id: &str) -> bool {
        let Some((from, n)) = id
            .strip_prefix("wamid.HBgM")
            .and_then(|rest| rest.split_once("FQIAEhgU"))
        else {
            return false;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits(from)
            && n.len() == 20
            && digits(n)
            && n.parse::<u64>()
                .is_ok_and(|n| n >= 1 && n <= self.lock().next_id)
    }

    fn next_id(&self) -> u64 {
        let mut state = self.lock();
        state.next_id += 1;
        state.next_id
    }
}

/// A trace id shaped like Kaleyra's (a UUID), from a counter.
fn trace_id(n: u64) -> String {
    format!(
        "8f14e45f-{:04x}-4c1a-9e77-{:012x}",
        (n >> 48) & 0xffff,
        n & 0xffff_ffff_ffff
    )
}

fn digits(number: &str) -> &str {
    number.trim_start_matches('+')
}

/// Called by the server for each accepted message: posts its statuses in the background.
pub(super) fn accepted(shared: &Arc<Shared>, message_id: &str, body: Option<&Value>) {
    let callbacks = &shared.callbacks;
    if callbacks.config.url.is_none() {
        return;
    }
    let body = body.unwrap_or(&Value::Null);
    // The sender route wraps the message in `messaging_object`; the WABA route is flat.
    let message = body.get("messaging_object").unwrap_or(body);
    let recipient = message
        .get("to")
        .and_then(Value::as_str)
        .map(|to| rules::normalize_phone(to).unwrap_or_else(|_| to.to_owned()))
        .unwrap_or_default();
    let extra = body.get("extra_info");
    let reference = |key: &str| {
        extra
            .and_then(|e| e.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let origin = match message.get("type").and_then(Value::as_str) {
        Some("template") => {
            let name = message
                .pointer("/template/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let language = message
                .pointer("/template/language/code")
                .and_then(Value::as_str)
                .unwrap_or_default();
            // The conversation's origin is the approved template's category (Meta).
            let state = shared.lock();
            match state.catalogue.get(name, language).map(|t| t.category()) {
                Some(Category::Authentication) => "authentication",
                Some(Category::Utility) => "utility",
                _ => "marketing",
            }
        }
        _ => "service",
    };
    let sent = Accepted {
        id: message_id.to_owned(),
        wamid: format!("wamid.HBgM{}{message_id}", digits(&recipient)),
        recipient: digits(&recipient).to_owned(),
        refs: [reference("ref"), reference("ref1"), reference("ref2")],
        origin,
    };
    // Outside the 24-hour window a session message fails (window.rs), queued outcomes left
    // for the next messages.
    let closed = shared.window.closed_for(message);
    let outcome = {
        let mut state = callbacks.lock();
        state.remember(sent.clone());
        match state.outcomes.front_mut() {
            _ if closed => Outcome::Failed(MetaErrorCode::ReEngagementWindow),
            Some((n, outcome)) if *n > 1 => {
                *n -= 1;
                *outcome
            }
            Some(_) => state
                .outcomes
                .pop_front()
                .map_or(callbacks.config.outcome, |(_, o)| o),
            None => callbacks.config.outcome,
        }
    };
    callbacks.pending.fetch_add(1, Ordering::SeqCst);
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        // Kaleyra answers the send first; let the 202 reach the client before the first status.
        tokio::time::sleep(Duration::from_millis(5)).await;
        for state in outcome.states() {
            let body = status_body(&shared, &sent, state, outcome);
            // A status that cannot be delivered does not hold up the next one.
            let _ = post(&shared, state, &sent.id, body).await;
        }
        let callbacks = &shared.callbacks;
        if callbacks.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            callbacks.settled.notify_waiters();
        }
    });
}

/// A status callback as Kaleyra's v2 sample shows it (facts §3.3).
fn status_body(shared: &Shared, sent: &Accepted, state: &str, outcome: Outcome) -> Vec<u8> {
    let now = shared.window.now_secs();
    let mut status = json!({
        "id": sent.id,
        "status": state,
        "timestamp": now.to_string(),
        "recipient_id": sent.recipient,
    });
    if matches!(state, "sent" | "delivered") {
        status["conversation"] = json!({
            "id": format!("c0ffee{:026x}", u128::from(now) * 7919),
            "expiration_timestamp": (now + 24 * 3600).to_string(),
            "origin": { "type": sent.origin },
        });
        status["pricing"] = json!({
            "billable": true,
            "pricing_model": "Conversation-Based Pricing",
            "category": sent.origin,
        });
    }
    if let Outcome::Failed(code) = outcome {
        status["errors"] = json!([{
            "code": code.code(),
            "title": code.title(),
            "message": code.title(),
            "error_data": { "details": code.description() },
            "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        }]);
    }
    let mut extra = json!({
        "trace_id": trace_id(shared.callbacks.next_id()),
        "message_id": sent.wamid,
        "waba_id": shared.account.waba_id,
    });
    for (key, value) in ["ref", "ref1", "ref2"].iter().zip(&sent.refs) {
        if let Some(value) = value {
            extra[*key] = json!(value);
        }
    }
    extra["enable_url_tracking_body"] = json!(false);
    extra["enable_url_tracking_button"] = json!(false);
    let body = json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {
                    "display_phone_number": digits(&shared.account.sender),
                    "phone_number_id": PHONE_NUMBER_ID,
                },
                "statuses": [status],
            },
            "field": "messages",
        },
        "extra_info": extra,
        "status": state,
        "message_id": sent.wamid,
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// An incoming message as Kaleyra's v2 samples show it (facts §3.4).
fn incoming_body(shared: &Shared, incoming: &Incoming, id: &str, trace: u64) -> Vec<u8> {
    let answered = incoming
        .reply_to
        .as_ref()
        .and_then(|reply_to| shared.callbacks.lock().accepted.get(reply_to).cloned());
    let mut message = json!({});
    if let Some(sent) = &answered {
        message["context"] = json!({
            "from": digits(&shared.account.sender),
            "id": sent.wamid,
        });
    }
    message["from"] = json!(incoming.from);
    message["id"] = json!(id);
    message["timestamp"] = json!(shared.window.now_secs().to_string());
    message["type"] = json!(incoming.kind);
    message[incoming.kind] = incoming.content.clone();
    let mut extra = json!({ "media_url": "" });
    if let Some(sent) = &answered {
        for (key, value) in ["ref", "ref1", "ref2"].iter().zip(&sent.refs) {
            if let Some(value) = value {
                extra[*key] = json!(value);
            }
        }
        extra["reply_to"] = json!(sent.id);
    }
    extra["trace_id"] = json!(trace_id(trace));
    extra["waba_id"] = json!(shared.account.waba_id);
    let body = json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {
                    "display_phone_number": digits(&shared.account.sender),
                    "phone_number_id": PHONE_NUMBER_ID,
                },
                "contacts": [{ "profile": { "name": incoming.name }, "wa_id": incoming.from }],
                "messages": [message],
            },
            "field": "messages",
        },
        "extra_info": extra,
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Posts `body` with redeliveries; the last answer's status, or why no answer came.
pub(super) async fn post(
    shared: &Shared,
    event: &str,
    message_id: &str,
    body: Vec<u8>,
) -> Result<u16, Error> {
    let callbacks = &shared.callbacks;
    let (Some(url), Some(client)) = (&callbacks.config.url, &callbacks.client) else {
        return Err(ConfigError::new(
            "callback URL",
            "is not set: MockServer::builder().callback_url(…)",
        )
        .into());
    };
    let attempts = callbacks.config.attempts.max(1);
    let mut delay = callbacks.config.retry_delay;
    let mut refreshed = false;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = client
            .post(url)
            .header("content-type", "application/json")
            .body(body.clone());
        let answer = match authenticate(callbacks, client, request).await {
            Ok(request) => request.send().await.map_err(|e| {
                let kind = if e.is_connect() {
                    TransportErrorKind::Connect
                } else if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else {
                    TransportErrorKind::Other
                };
                TransportError::new(kind, e)
            }),
            Err(e) => Err(e),
        };
        let status = answer.as_ref().ok().map(|r| r.status().as_u16());
        callbacks.lock().record(
            CallbackPost {
                event: event.to_owned(),
                message_id: message_id.to_owned(),
                body: body.clone(),
                attempt,
                status,
            },
            callbacks.config.log_bytes,
        );
        callbacks.posted.notify_waiters();
        let retry = match status {
            Some(401)
                if matches!(callbacks.config.auth, CallbackAuth::Advanced { .. }) && !refreshed =>
            {
                // The token may have expired on the receiver's side: fetch another, once.
                refreshed = true;
                callbacks.lock().token = None;
                true
            }
            Some(s) => s >= 500 || s == 429,
            None => true,
        };
        if !retry || attempt >= attempts {
            return match answer {
                Ok(response) => Ok(response.status().as_u16()),
                Err(e) => Err(e.into()),
            };
        }
        tracing::debug!(
            event,
            attempt,
            ?status,
            "Kaleyra simulator: redelivering a callback"
        );
        tokio::time::sleep(delay).await;
        delay = delay.saturating_mul(2);
    }
}

/// Adds the configured credentials to a post.
async fn authenticate(
    callbacks: &Callbacks,
    client: &reqwest::Client,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::RequestBuilder, TransportError> {
    Ok(match &callbacks.config.auth {
        CallbackAuth::None => request,
        CallbackAuth::Header { name, value } => request.header(name.as_str(), value.as_str()),
        CallbackAuth::Basic { username, password } => request.basic_auth(username, Some(password)),
        CallbackAuth::Advanced {
            token_url,
            client_id,
            client_secret,
        } => {
            let cached = callbacks
                .lock()
                .token
                .clone()
                .filter(|(_, expires)| *expires > Instant::now());
            let token = match cached {
                Some((token, _)) => token,
                None => {
                    let (token, lifetime) =
                        fetch_token(client, token_url, client_id, client_secret).await?;
                    callbacks.lock().token = Some((token.clone(), Instant::now() + lifetime));
                    token
                }
            };
            request.bearer_auth(token)
        }
    })
}

/// The client-credentials grant (RFC 6749 §4.4) against the customer's token route.
async fn fetch_token(
    client: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    client_secret: &str,
) -> Result<(String, Duration), TransportError> {
    let response = client
        .post(token_url)
        .basic_auth(client_id, Some(client_secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .map_err(|e| TransportError::new(TransportErrorKind::Connect, e))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let token = body
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|_| status.is_success())
        .ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("the token route answered {status} without an access_token"),
            )
        })?;
    let seconds = match body.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(3600);
    // Fetch a new one a little before it expires.
    Ok((
        token.to_owned(),
        Duration::from_secs(seconds.saturating_sub(5).max(1)),
    ))
}

impl MockServerBuilder {
    /// Posts Kaleyra's callbacks to `url` (the callback profile's endpoint): the delivery
    /// statuses of every accepted message (`sent`, `delivered`, `read` one after the other, or
    /// what [`Outcome`] says) in Kaleyra's v2 envelope with the message's `ref`, `ref1` and
    /// `ref2`, and the messages [`MockServer::incoming`] plays.
    ///
    /// `statuses[].id` is the `202`'s `message_id`; the top-level `message_id` is a `wamid`,
    /// which a customer's reply names in `context.id`. A post answered with a 5xx or 429, or
    /// that cannot connect, is sent again ([`callback_attempts`](Self::callback_attempts),
    /// [`callback_retry_delay`](Self::callback_retry_delay)); `RULES.md` ("Callbacks") lists
    /// every choice.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callbacks.url = Some(url.into());
        self
    }

    /// The credentials the posts carry (default: none).
    pub fn callback_auth(mut self, auth: CallbackAuth) -> Self {
        self.callbacks.auth = auth;
        self
    }

    /// What happens to every accepted message (default [`Outcome::Read`]); see
    /// [`MockServer::next_outcomes`] for a few messages.
    pub fn callback_outcome(mut self, outcome: Outcome) -> Self {
        self.callbacks.outcome = outcome;
        self
    }

    /// How many times a post is attempted in all when the receiver answers 5xx or 429 or cannot
    /// be reached (default 3).
    pub fn callback_attempts(mut self, attempts: u32) -> Self {
        self.callbacks.attempts = attempts.max(1);
        self
    }

    /// The wait before the first redelivery, doubled for each next one (default 50 ms).
    pub fn callback_retry_delay(mut self, delay: Duration) -> Self {
        self.callbacks.retry_delay = delay;
        self
    }

    /// Keeps at most `bytes` of posts for [`MockServer::callback_posts`], the most recent,
    /// counted as [`CallbackPost::retained_bytes`] (default [`DEFAULT_CALLBACK_LOG_BYTES`],
    /// 4 MiB); [`MockServer::callback_counts`] counts them all.
    pub fn callback_log_bytes(mut self, bytes: usize) -> Self {
        self.callbacks.log_bytes = bytes;
        self
    }
}

impl MockServer {
    /// The next `n` accepted messages get `outcome` instead of the default one. Calls queue up,
    /// like [`MockServer::fail_next`]. A session message outside the 24-hour window fails with
    /// 131047 whatever is queued, and leaves the queued outcome to the next message
    /// ([`MockServer::customer_wrote`]).
    pub fn next_outcomes(&self, n: usize, outcome: Outcome) {
        if n > 0 {
            self.shared
                .callbacks
                .lock()
                .outcomes
                .push_back((n, outcome));
        }
    }

    /// Posts a customer's message to the callback URL, as Kaleyra does; returns the receiver's
    /// HTTP status (after redeliveries, if it answered 5xx).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] without a [`callback_url`](MockServerBuilder::callback_url);
    /// [`Error::Transport`] when the receiver could not be reached.
    pub async fn incoming(&self, message: Incoming) -> Result<u16, Error> {
        let callbacks = &self.shared.callbacks;
        if callbacks.config.url.is_some() {
            // The customer wrote: their 24-hour window opens (window.rs), whether or not the
            // business's endpoint takes the post.
            self.shared.window.wrote(&message.from);
        }
        let n = callbacks.next_id();
        let id = format!("wamid.HBgM{}FQIAEhgU{n:020}", message.from);
        let body = incoming_body(&self.shared, &message, &id, n);
        post(&self.shared, "incoming", &id, body).await
    }

    /// Every post made to the callback URL so far (each attempt of each), in order: the most
    /// recent ones, within [`MockServerBuilder::callback_log_bytes`].
    pub fn callback_posts(&self) -> Vec<CallbackPost> {
        self.shared.callbacks.lock().posts.iter().cloned().collect()
    }

    /// What the callback side counted and holds: posts made and dropped from the log, its
    /// bytes, the messages remembered for replies, those still being posted.
    pub fn callback_counts(&self) -> CallbackCounts {
        let callbacks = &self.shared.callbacks;
        let state = callbacks.lock();
        CallbackCounts {
            posts: state.posts_made,
            evicted: state.posts_evicted,
            bytes: state.posts_bytes,
            messages: state.accepted.len(),
            pending: callbacks.pending.load(Ordering::SeqCst),
        }
    }

    /// Waits until at least `n` posts have been made to the callback URL since the server
    /// started (every attempt counts, as in [`MockServer::callback_posts`]; a message's
    /// `sent`, `delivered` and `read` are three), or `timeout` has passed; returns whether
    /// they were. Statuses are posted in the background after the `202`, so a test waits
    /// for them with this (or [`MockServer::callbacks_settled`]) before it looks.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// # let server = kaleyra::mock::MockServer::start().await;
    /// // Nothing was sent: no post comes.
    /// assert!(!server.wait_for_callback_posts(1, Duration::from_millis(10)).await);
    /// assert!(server.wait_for_callback_posts(0, Duration::ZERO).await);
    /// # }
    /// ```
    pub async fn wait_for_callback_posts(&self, n: u64, timeout: Duration) -> bool {
        let callbacks = &self.shared.callbacks;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = callbacks.posted.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if callbacks.lock().posts_made >= n {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return callbacks.lock().posts_made >= n;
            }
        }
    }

    /// Waits until the statuses of every message accepted so far have been posted (or given
    /// up on). With no callback URL, returns at once. For a bound on the wait, wrap it:
    /// `tokio::time::timeout(Duration::from_secs(5), server.callbacks_settled())`.
    pub async fn callbacks_settled(&self) {
        let callbacks = &self.shared.callbacks;
        loop {
            let notified = callbacks.settled.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if callbacks.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(n: usize) -> Accepted {
        Accepted {
            id: format!("A{n:019}"),
            wamid: format!("wamid.HBgM919876543210A{n:019}"),
            recipient: "919876543210".to_owned(),
            refs: [Some(format!("m{n}")), None, None],
            origin: "authentication",
        }
    }

    #[test]
    fn the_remembered_messages_are_the_most_recent_ones() {
        let mut state = CallbackState::default();
        for n in 0..REMEMBERED_MESSAGES + 5 {
            state.remember(accepted(n));
        }
        assert_eq!(state.accepted.len(), REMEMBERED_MESSAGES);
        assert_eq!(state.accepted_order.len(), REMEMBERED_MESSAGES);
        assert!(!state.accepted.contains_key(&accepted(4).id));
        assert!(state.accepted.contains_key(&accepted(5).id));
        assert!(
            state
                .accepted
                .contains_key(&accepted(REMEMBERED_MESSAGES + 4).id)
        );
    }

    #[test]
    fn the_callback_log_is_bounded_in_bytes() {
        let mut state = CallbackState::default();
        let post = |n: usize| CallbackPost {
            event: "sent".to_owned(),
            message_id: format!("A{n:019}"),
            body: vec![b'x'; 1_000],
            attempt: 1,
            status: Some(200),
        };
        let one = post(0).retained_bytes();
        for n in 0..50 {
            state.record(post(n), 10 * one);
            assert!(state.posts_bytes <= 10 * one);
        }
        assert_eq!(state.posts.len(), 10);
        assert_eq!((state.posts_made, state.posts_evicted), (50, 40));
        let held: usize = state.posts.iter().map(CallbackPost::retained_bytes).sum();
        assert_eq!(held, state.posts_bytes);
        // A post larger than the whole bound is counted, not kept.
        state.record(post(50), one - 1);
        assert_eq!((state.posts_made, state.posts_evicted), (51, 41));
    }
}
