//! The HTTP client: routes each message to its documented endpoint and types every answer.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use tracing::Instrument;

use crate::error::{ConfigError, Error, TransportError, TransportErrorKind};
use crate::layout::Route;
use crate::limit::{Limiter, RateLimit, Refusal};
use crate::message::{Message, MessageKind};
use crate::response;
use crate::stats::{Counters, Stats};
use crate::value::{IntoFlowId, SenderNumber, WabaId};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A Kaleyra data centre ("pod"), or any other base URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// India: `https://api.in.kaleyra.io` (the documents' samples use it).
    #[default]
    India,
    /// Singapore: `https://api.ap.kaleyra.io`.
    Singapore,
    /// Europe: `https://api.eu.kaleyra.io`.
    Europe,
    /// North America: `https://api.na.kaleyra.ai`.
    NorthAmerica,
    /// Any base URL (scheme, host, optional port and path prefix): `https`, or `http` on
    /// loopback only (for the simulator).
    Custom(String),
}

impl Region {
    /// The base URL requests go to; `/v2/{sid}/…` is appended.
    pub fn base_url(&self) -> &str {
        match self {
            Region::India => "https://api.in.kaleyra.io",
            Region::Singapore => "https://api.ap.kaleyra.io",
            Region::Europe => "https://api.eu.kaleyra.io",
            Region::NorthAmerica => "https://api.na.kaleyra.ai",
            Region::Custom(url) => url,
        }
    }

    /// Parses `in`/`india`, `sg`/`ap`/`singapore`, `eu`/`europe`, `na`/`north_america` (any case).
    pub fn from_name(name: &str) -> Option<Region> {
        match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "in" | "india" => Some(Region::India),
            "sg" | "ap" | "singapore" => Some(Region::Singapore),
            "eu" | "europe" => Some(Region::Europe),
            "na" | "north_america" | "northamerica" | "us" => Some(Region::NorthAmerica),
            _ => None,
        }
    }
}

/// Opt-in retries of failures that are safe to retry ([`Error::is_retryable`]).
///
/// A send is not idempotent, so the default is [`Retry::none`]: a request that may have reached
/// Kaleyra is never sent twice unless asked. Even with retries on, only failures that mean the
/// message was not accepted are retried (connect failures, requests never written,
/// `WA429`/`130429`/`131056`/HTTP `429`, `WA500`/`WA-500`), unless [`Retry::ambiguous`] also
/// allows the failures after which the message may have been accepted ([`Error::is_ambiguous`]:
/// timeouts, connections lost after sending, any other `5xx`, a proxy's `503` page included).
/// Errors that will not go away (a bad payload, wrong credentials, low balance, the daily
/// limit) are never retried.
///
/// Waits grow exponentially from [`Retry::backoff`] up to [`Retry::max_backoff`], each drawn at
/// random between half and all of its value (jitter, so that many clients do not retry in step),
/// and are never shorter than the server's `Retry-After`. A `Retry-After` longer than
/// [`Retry::max_retry_after`] (default 60 s) is not waited for: the error is returned. The
/// same bound caps the pause the client's [`RateLimit`] makes every send take after "too many
/// requests", whatever the server's `Retry-After`.
///
/// ```
/// use std::time::Duration;
/// use kaleyra::Retry;
///
/// let retry = Retry::new(3)                   // up to 3 more requests per message
///     .backoff(Duration::from_millis(500))    // 0.25-0.5 s, 0.5-1 s, 1-2 s
///     .max_backoff(Duration::from_secs(10));
/// assert!(!retry.retries_ambiguous());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    max_retries: u32,
    backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    ambiguous: bool,
    max_retry_after: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry::none()
    }
}

impl Retry {
    /// Never retry (the default).
    pub const fn none() -> Retry {
        Retry {
            max_retries: 0,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            jitter: true,
            ambiguous: false,
            max_retry_after: Duration::from_secs(60),
        }
    }

    /// Retry up to `max_retries` times, waiting 200 ms, then twice as long each time (at most
    /// 5 s).
    pub const fn new(max_retries: u32) -> Retry {
        Retry {
            max_retries,
            ..Retry::none()
        }
    }

    /// The first wait; it doubles after each retry.
    pub const fn backoff(mut self, first: Duration) -> Retry {
        self.backoff = first;
        self
    }

    /// The longest wait.
    pub const fn max_backoff(mut self, max: Duration) -> Retry {
        self.max_backoff = max;
        self
    }

    /// Whether each wait is drawn at random between half and all of its value (default: on).
    /// Off, the waits are exactly 1, 2, 4… times the backoff.
    pub const fn jitter(mut self, on: bool) -> Retry {
        self.jitter = on;
        self
    }

    /// Also retry failures after which the message may have been accepted
    /// ([`Error::is_ambiguous`]: timeouts, connections lost after sending, `5xx` other than
    /// Kaleyra's `WA500`/`WA-500` "try again later"). Off by default: turning it on means a
    /// message may be delivered twice.
    pub const fn ambiguous(mut self, on: bool) -> Retry {
        self.ambiguous = on;
        self
    }

    /// The longest `Retry-After` waited for (default 60 s); a longer one ends the retries. It
    /// also bounds the rate limiter's pause after "too many requests" (see [`RateLimit`]).
    pub const fn max_retry_after(mut self, max: Duration) -> Retry {
        self.max_retry_after = max;
        self
    }

    /// How many times a request may be sent again.
    pub const fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether failures that may have been accepted are retried.
    pub const fn retries_ambiguous(&self) -> bool {
        self.ambiguous
    }

    fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// How long to wait before sending again after `error`, the `retries`-th failure so far; or
    /// `None` if this error is not retried.
    pub(crate) fn wait_before_retry(&self, error: &Error, retries: u32) -> Option<Duration> {
        if retries >= self.max_retries
            || !(error.is_retryable() || (self.ambiguous && error.is_ambiguous()))
        {
            return None;
        }
        let server = error.retry_after();
        if server.is_some_and(|wait| wait > self.max_retry_after) {
            return None;
        }
        let mut wait = self.delay(retries);
        if self.jitter {
            // Equal jitter: between half and all of the wait.
            wait = wait / 2 + wait.mul_f64(random_unit() / 2.0);
        }
        Some(wait.max(server.unwrap_or_default()))
    }
}

/// A number in [0, 1) for jitter: std's randomly keyed hasher over a counter (no RNG crate).
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let bits = RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits, exactly representable.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Kaleyra accepted the message (any 2xx).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Accepted {
    /// Kaleyra's id of the message, as reported in callbacks.
    pub message_id: String,
    /// Accepted in an earlier run, as the send journal recorded it: not sent by this one.
    pub(crate) from_journal: bool,
}

impl Accepted {
    /// An acceptance this process received.
    pub(crate) fn new(message_id: String) -> Accepted {
        Accepted {
            message_id,
            from_journal: false,
        }
    }

    /// Whether the message was accepted in an earlier run of a journaled
    /// [`send_all`](Client::send_all) (see `SendAll::journal`, feature `journal`) and so was
    /// not sent again by this one.
    pub fn from_journal(&self) -> bool {
        self.from_journal
    }
}

/// Sends messages to Kaleyra. Cheap to clone: clones share one connection pool, one
/// [`RateLimit`] and one set of [`Stats`].
///
/// ```no_run
/// # async fn run() -> Result<(), kaleyra::Error> {
/// use kaleyra::{Client, Region};
/// let client = Client::builder()
///     .sid("HXAP16XXXXXX97IN")
///     .api_key("Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3")
///     .region(Region::India)
///     .sender("+91XXXXXXXXXX".replace('X', "0"))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_key: HeaderValue,
    sid: String,
    base: String,
    sender: Option<SenderNumber>,
    waba_id: Option<WabaId>,
    sender_url: Option<String>,
    waba_url: Option<String>,
    retry: Retry,
    rate_limit: RateLimit,
    limiter: Option<Limiter>,
    counters: Counters,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("sid", &self.inner.sid)
            .field("api_key", &"<redacted>")
            .field("base_url", &self.inner.base)
            .field("sender", &self.inner.sender)
            .field("waba_id", &self.inner.waba_id)
            .field("retry", &self.inner.retry)
            .field("rate_limit", &self.inner.rate_limit)
            .finish()
    }
}

/// Configures a [`Client`]. Setters take strings; [`ClientBuilder::build`] checks them all.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    sid: Option<String>,
    api_key: Option<String>,
    region: Region,
    sender: Option<String>,
    waba_id: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Retry,
    rate_limit: RateLimit,
    #[cfg(feature = "redis")]
    shared_limit: Option<crate::scale::SharedLimit>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("sid", &self.sid)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("region", &self.region)
            .field("sender", &self.sender)
            .field("waba_id", &self.waba_id)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder set from the environment, as [`Client::from_env`] reads it: `KALEYRA_SID`,
    /// `KALEYRA_API_KEY`, `KALEYRA_BASE_URL` or else `KALEYRA_REGION` (`in`, `sg`, `eu`, `na`;
    /// default `in`), `KALEYRA_SENDER`, `KALEYRA_WABA_ID`. Unset or blank variables leave their
    /// setting unset (so [`ClientBuilder::build`] says which required one is missing); any
    /// setting may then be overridden before building. Fails on a variable that is not UTF-8
    /// or an unknown region.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), kaleyra::Error> {
    /// use std::time::Duration;
    /// use kaleyra::{ClientBuilder, RateLimit, Retry};
    ///
    /// let client = ClientBuilder::from_env()?
    ///     .rate_limit(RateLimit::per_second(20))
    ///     .retry(Retry::new(3))
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<ClientBuilder, Error> {
        let mut builder = ClientBuilder::default();
        if let Some(sid) = env_var("KALEYRA_SID")? {
            builder = builder.sid(sid);
        }
        if let Some(key) = env_var("KALEYRA_API_KEY")? {
            builder = builder.api_key(key);
        }
        if let Some(url) = env_var("KALEYRA_BASE_URL")? {
            builder = builder.base_url(url);
        } else if let Some(region) = env_var("KALEYRA_REGION")? {
            let region = Region::from_name(&region).ok_or_else(|| {
                ConfigError::new(
                    "KALEYRA_REGION",
                    format!("`{region}` is not a region; use in, sg, eu or na"),
                )
            })?;
            builder = builder.region(region);
        }
        if let Some(sender) = env_var("KALEYRA_SENDER")? {
            builder = builder.sender(sender);
        }
        if let Some(waba) = env_var("KALEYRA_WABA_ID")? {
            builder = builder.waba_id(waba);
        }
        Ok(builder)
    }

    /// The account SID (required).
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// The API key, sent in the `api-key` header (required; never printed).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The Kaleyra pod (default: India).
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// A custom base URL instead of a pod, e.g. the simulator's `http://127.0.0.1:PORT`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.region = Region::Custom(url.into());
        self
    }

    /// The business's WhatsApp number on the account, in E.164 (needed for every kind but the
    /// single-product template).
    pub fn sender(mut self, number: impl Into<String>) -> Self {
        self.sender = Some(number.into());
        self
    }

    /// The WhatsApp Business Account id (needed for single-product templates).
    pub fn waba_id(mut self, id: impl Into<String>) -> Self {
        self.waba_id = Some(id.into());
        self
    }

    /// The whole request's time limit (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time limit to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries of failures that are safe to retry (default: none).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Messages per second per sender (default: WhatsApp's 80; [`RateLimit::off`] for none).
    /// Applies to `send` and `send_all`, shared by the client's clones.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Keeps the [`RateLimit`] in Redis, shared with every client of the same SID and sender
    /// number (feature `redis`; see [`SharedLimit`](crate::scale::SharedLimit)): several
    /// workers then send at the limit together, not each at it. Fails closed when Redis is
    /// lost. With [`RateLimit::off`] it has no effect.
    #[cfg(feature = "redis")]
    pub fn shared_rate_limit(mut self, shared: crate::scale::SharedLimit) -> Self {
        self.shared_limit = Some(shared);
        self
    }

    /// Checks every setting and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let sid = self
            .sid
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ConfigError::new("sid", "is required"))?;
        if !sid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ConfigError::new("sid", "must be ASCII letters and digits").into());
        }
        let key = self
            .api_key
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ConfigError::new("api key", "is required"))?;
        let mut api_key = HeaderValue::from_str(&key).map_err(|_| {
            ConfigError::new("api key", "must be visible ASCII characters (no spaces)")
        })?;
        api_key.set_sensitive(true);

        let (base, loopback) = check_base_url(self.region.base_url())?;
        let sender = self
            .sender
            .map(|s| SenderNumber::new(&s))
            .transpose()
            .map_err(|e| ConfigError::new("sender", e.violation().to_string()))?;
        let waba_id = self
            .waba_id
            .map(|s| WabaId::new(&s))
            .transpose()
            .map_err(|e| ConfigError::new("WABA id", e.violation().to_string()))?;

        let mut http = reqwest::Client::builder()
            .user_agent(concat!("kaleyra-rs/", env!("CARGO_PKG_VERSION")))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            // An API endpoint has no business redirecting a POST.
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            // The simulator: never send loopback traffic through a proxy from the environment.
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| ConfigError::new("HTTP client", e.to_string()))?;

        // The pause after "too many requests" is bounded by the limit's max_wait and by the
        // longest Retry-After the retry policy waits for.
        let limiter = shared_limiter(
            Limiter::new(self.rate_limit).map(|l| l.with_max_pause(self.retry.max_retry_after)),
            #[cfg(feature = "redis")]
            (
                self.shared_limit.as_ref(),
                self.rate_limit,
                &sid,
                sender.as_ref().map(SenderNumber::as_str),
                waba_id.as_ref().map(WabaId::as_str),
            ),
        );
        let prefix = format!("{base}/v2/{sid}/whatsapp");
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                api_key,
                sender_url: sender
                    .as_ref()
                    .map(|s| format!("{prefix}/{}/messages", s.as_str())),
                waba_url: waba_id
                    .as_ref()
                    .map(|w| format!("{prefix}/{}/messages", w.as_str())),
                sid,
                base,
                sender,
                waba_id,
                retry: self.retry,
                rate_limit: self.rate_limit,
                limiter,
                counters: Counters::default(),
            }),
        })
    }
}

/// The limiter, its buckets moved to Redis when a [`SharedLimit`](crate::scale::SharedLimit)
/// is configured (feature `redis`).
fn shared_limiter(
    limiter: Option<Limiter>,
    #[cfg(feature = "redis")] (shared, limit, sid, sender, waba): (
        Option<&crate::scale::SharedLimit>,
        RateLimit,
        &str,
        Option<&str>,
        Option<&str>,
    ),
) -> Option<Limiter> {
    #[cfg(feature = "redis")]
    if let (Some(local), Some(shared)) = (limiter.as_ref(), shared) {
        let buckets = shared.buckets(limit, local.max_pause(), sid, sender, waba);
        return limiter.map(|l| l.with_shared(buckets));
    }
    limiter
}

/// Checks a base URL: `https`, or `http` to a loopback host; no query or fragment.
/// Returns it without trailing slashes, and whether it is loopback.
fn check_base_url(url: &str) -> Result<(String, bool), ConfigError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ConfigError::new("base URL", format!("`{url}` is not a URL: {e}")))?;
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(ConfigError::new("base URL", format!("`{url}` has no host")));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(ConfigError::new(
                "base URL",
                format!("`{url}` must use https (plain http is allowed only on loopback)"),
            ));
        }
        other => {
            return Err(ConfigError::new(
                "base URL",
                format!("`{url}` has scheme `{other}`; use https"),
            ));
        }
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ConfigError::new(
            "base URL",
            format!("`{url}` must not have a query or fragment"),
        ));
    }
    Ok((url.trim_end_matches('/').to_owned(), loopback))
}

fn env_var(name: &'static str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(ConfigError::new(name, "is not valid UTF-8").into())
        }
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from the environment: `KALEYRA_SID` and `KALEYRA_API_KEY` (required),
    /// `KALEYRA_BASE_URL` or `KALEYRA_REGION` (`in`, `sg`, `eu`, `na`; default `in`),
    /// `KALEYRA_SENDER` and `KALEYRA_WABA_ID` (each needed for the kinds that use it).
    /// [`ClientBuilder::from_env`] reads the same and lets settings be changed before building.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The account SID.
    pub fn sid(&self) -> &str {
        &self.inner.sid
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The sender number, if configured.
    pub fn sender(&self) -> Option<&SenderNumber> {
        self.inner.sender.as_ref()
    }

    /// The WABA id, if configured.
    pub fn waba_id(&self) -> Option<&WabaId> {
        self.inner.waba_id.as_ref()
    }

    /// The retry policy.
    pub fn retry(&self) -> Retry {
        self.inner.retry
    }

    /// The configured rate limit.
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.rate_limit
    }

    /// The rate `route` is held to now, in messages per second: the configured one, or lower
    /// for a while after Kaleyra answered "too many requests". `None` when the limit is off.
    pub fn current_rate(&self, route: Route) -> Option<f64> {
        self.inner.limiter.as_ref().map(|l| l.current_rate(route))
    }

    /// What this client and its clones sent so far, and how it ended.
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// The URL a message is posted to.
    pub fn url_for(&self, message: &Message) -> Result<&str, Error> {
        self.route_url(message.route())
    }

    fn route_url(&self, route: Route) -> Result<&str, Error> {
        match route {
            Route::Sender => self.inner.sender_url.as_deref().ok_or_else(|| {
                ConfigError::new(
                    "sender",
                    "is not set: this kind of message is sent from the business number \
                     (ClientBuilder::sender or KALEYRA_SENDER)",
                )
                .into()
            }),
            Route::Waba => self.inner.waba_url.as_deref().ok_or_else(|| {
                ConfigError::new(
                    "WABA id",
                    "is not set: single-product templates are sent to the WABA route \
                     (ClientBuilder::waba_id or KALEYRA_WABA_ID)",
                )
                .into()
            }),
        }
    }

    /// Posts the message to its documented endpoint. Any 2xx is success.
    ///
    /// Waits for the [`RateLimit`] first, retries as the [`Retry`] policy says, and counts the
    /// message in [`Client::stats`]. With a `tracing` subscriber, each send is a span
    /// `kaleyra.send` (kind, route, recipient masked, attempts, last HTTP status, outcome,
    /// elapsed milliseconds); the API key is never recorded.
    pub async fn send(&self, message: &Message) -> Result<Accepted, Error> {
        match self.prepare(message) {
            Ok(job) => self.deliver(job, None).await,
            Err(e) => {
                self.count_unsent(&e);
                Err(e)
            }
        }
    }

    /// Counts a message that ended before anything was posted.
    pub(crate) fn count_unsent(&self, error: &Error) {
        self.inner.counters.sent();
        self.inner.counters.failed(error);
    }

    /// What a send needs, owned: checked against the configuration, the body copied once for
    /// every attempt (the HTTP stack shares it, no copy per retry).
    pub(crate) fn prepare(&self, message: &Message) -> Result<Job, Error> {
        self.url_for(message)?;
        Ok(Job {
            kind: message.kind(),
            route: message.route(),
            body: bytes::Bytes::copy_from_slice(message.as_bytes()),
        })
    }

    /// Sends a prepared message: the rate limit, the attempts, the counters, the span.
    /// `progress` follows whether it may have reached the server (see [`Progress`]).
    pub(crate) async fn deliver(
        &self,
        job: Job,
        progress: Option<&Progress>,
    ) -> Result<Accepted, Error> {
        let counters = &self.inner.counters;
        counters.sent();
        let span = tracing::info_span!(
            "kaleyra.send",
            kind = ?job.kind,
            route = ?job.route,
            to = %MaskedRecipient(&job.body),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            outcome = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = (!span.is_disabled()).then(std::time::Instant::now);
        // Counts the send as cancelled if this future is dropped before it ends.
        let unfinished = Unfinished(Some(counters));
        let result = async {
            let call = Call {
                method: reqwest::Method::POST,
                url: self.route_url(job.route)?,
                body: Body::Json(job.body.clone()),
                send_route: Some(job.route),
                credentials: true,
            };
            self.call(&call, &span, progress, |answer| answer.read(response::send))
                .await
        }
        .instrument(span.clone())
        .await;
        unfinished.finish();
        match &result {
            Ok(_) => counters.accepted(),
            Err(e) => counters.failed(e),
        }
        if let Some(started) = started {
            let outcome = match &result {
                Ok(_) => "accepted".to_owned(),
                Err(e) => format!("{:?}", crate::stats::FailureKind::of(e)),
            };
            span.record("outcome", outcome);
            span.record("elapsed_ms", started.elapsed().as_secs_f64() * 1000.0);
            match &result {
                Ok(a) => span
                    .in_scope(|| tracing::debug!(message_id = %a.message_id, "message accepted")),
                Err(e) => span.in_scope(|| tracing::warn!(error = %e, "message not sent")),
            }
        }
        result
    }

    /// Publishes a flow (`POST /v2/{sid}/whatsapp/{flow_id}/publish`); 200 `{"success": true}`.
    ///
    /// `flow_id` is a [`FlowId`](crate::FlowId) or a string of digits (checked before sending).
    /// Retried as the [`Retry`] policy says; not rate limited. With a `tracing` subscriber it is
    /// a span `kaleyra.publish` (flow id, attempts, last HTTP status).
    ///
    /// Errors: [`ApiErrorKind::FlowNotPublishable`](crate::ApiErrorKind::FlowNotPublishable)
    /// (Meta's `139002`) for a flow with validation errors, without Flow JSON, or not a draft;
    /// `WA-401` ([`ApiErrorKind::NotAvailable`](crate::ApiErrorKind::NotAvailable)) for a flow
    /// the account does not have. The rest of the lifecycle is in [`crate::flows`].
    pub async fn publish_flow(&self, flow_id: impl IntoFlowId) -> Result<(), Error> {
        let id = flow_id.into_flow_id()?;
        let url = format!(
            "{}/v2/{}/whatsapp/{}/publish",
            self.inner.base,
            self.inner.sid,
            id.as_str()
        );
        let span = tracing::info_span!(
            "kaleyra.publish",
            flow_id = %id,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let call = Call::new(reqwest::Method::POST, &url);
        self.call(&call, &span, None, |answer| answer.read(response::publish))
            .instrument(span.clone())
            .await
    }

    /// Marks a customer's message read (Kaleyra's read receipt, facts §1.11: the double blue
    /// tick; WhatsApp marks the earlier messages of the conversation read too). Posted to the
    /// sender route through the same request path as every call (retries as the [`Retry`]
    /// policy says); not rate limited nor counted in [`Client::stats`], since it is not a
    /// message. Any `2xx` is success (Meta answers `{"success":true}`; whether Kaleyra wraps it
    /// is not documented). A span `kaleyra.mark_read` (attempts, last HTTP status).
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra::Client, incoming: kaleyra::callback::IncomingMessage<'_>) -> Result<(), kaleyra::Error> {
    /// client.mark_read(&incoming).await?;
    /// # Ok(()) }
    /// ```
    pub async fn mark_read(
        &self,
        message: &crate::callback::IncomingMessage<'_>,
    ) -> Result<(), Error> {
        crate::rules::check_message_id(&message.id)
            .map_err(|v| crate::ValidationError::new("the message id", v))?;
        let mut body = Vec::with_capacity(message.id.len() + 96);
        crate::layout::read_receipt(&mut crate::layout::Direct(&mut body), &message.id);
        body.push(b'}');
        let span = tracing::info_span!(
            "kaleyra.mark_read",
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let call = Call {
            method: reqwest::Method::POST,
            url: self.route_url(Route::Sender)?,
            body: Body::Json(body.into()),
            send_route: None,
            credentials: true,
        };
        self.call(&call, &span, None, |answer| answer.read(response::publish))
            .instrument(span.clone())
            .await
    }

    /// Uploads a file to Kaleyra's media endpoint (`POST /v2/{sid}/whatsapp/{sender}/media`,
    /// multipart: the file as `file`, its MIME type as `type`; facts §2.1) and returns its
    /// media id, for [`Media::document_id`](crate::Media::document_id) and the other `*_id`
    /// constructors (session messages and template media headers).
    ///
    /// The file is streamed from disk in 64 KiB chunks, never read whole into memory; its type
    /// and size were checked against Meta's table when the [`Upload`](crate::session::Upload)
    /// was made. It takes the same request path as every call: retried as the [`Retry`] policy
    /// says (each retry reopens the file and streams it again), not rate limited, not counted
    /// in [`Client::stats`] (not a message). The client's [`timeout`](ClientBuilder::timeout)
    /// covers the whole upload: raise it for large files on slow links. A span
    /// `kaleyra.upload` (kind, MIME type, bytes, attempts, last HTTP status).
    ///
    /// Errors: [`ApiErrorKind::PostpaidOnly`](crate::ApiErrorKind::PostpaidOnly) when Kaleyra
    /// answers that the account may not upload (postpaid accounts only); [`Error::File`] when
    /// the file cannot be reopened for an attempt (or changed size since it was checked);
    /// [`Error::Config`] without a sender number; otherwise as any call.
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra::Client) -> Result<(), kaleyra::Error> {
    /// use kaleyra::prelude::*;
    /// use kaleyra::session::{MediaMessage, Upload};
    ///
    /// let invoice = client.upload_media(Upload::from_path("invoice.pdf").await?).await?;
    /// let doc = MediaMessage::new(Media::document_id(&invoice)?.filename("invoice.pdf")?)
    ///     .caption("Your invoice")?
    ///     .to("+919876543210")?;
    /// client.send(&doc).await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload_media(
        &self,
        upload: crate::session::Upload,
    ) -> Result<crate::session::MediaId, Error> {
        let Some(sender) = &self.inner.sender else {
            return Err(ConfigError::new(
                "sender",
                "is not set: media is uploaded to the business number's media endpoint \
                 (ClientBuilder::sender or KALEYRA_SENDER)",
            )
            .into());
        };
        let url = format!(
            "{}/v2/{}/whatsapp/{}/media",
            self.inner.base,
            self.inner.sid,
            sender.as_str()
        );
        let span = tracing::info_span!(
            "kaleyra.upload",
            kind = ?upload.kind(),
            mime = upload.mime(),
            bytes = upload.size(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let make = || -> FormFuture<'_> { Box::pin(upload.form()) };
        let call = Call {
            method: reqwest::Method::POST,
            url: &url,
            body: Body::Form(&make),
            send_route: None,
            credentials: true,
        };
        self.call(&call, &span, None, |answer| {
            answer.read(crate::session::upload::read_answer)
        })
        .instrument(span.clone())
        .await
    }

    /// GETs `url` with the `api-key` header through the request path: the body of a 2xx
    /// answer, or the typed error of any other (the catalogue's `templates` uses it). A span
    /// `kaleyra.get` (path, attempts, last HTTP status).
    pub(crate) async fn get(&self, url: &str) -> Result<bytes::Bytes, Error> {
        let path = url.strip_prefix(self.inner.base.as_str()).unwrap_or(url);
        let span = tracing::info_span!(
            "kaleyra.get",
            path = %path,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let call = Call::new(reqwest::Method::GET, url);
        // A 2xx is success; anything else is read as Kaleyra's error body.
        self.call(&call, &span, None, |answer| {
            answer.read(response::publish)?;
            Ok(answer.body)
        })
        .instrument(span.clone())
        .await
    }

    /// A call through the request path whose 2xx body is returned as is (any other status is
    /// read as Kaleyra's error body): the flow lifecycle (flows/lifecycle.rs) uses it. Each
    /// attempt is recorded on `span`.
    pub(crate) async fn fetch(
        &self,
        call: &Call<'_>,
        span: &tracing::Span,
    ) -> Result<bytes::Bytes, Error> {
        self.call(call, span, None, |answer| {
            answer.read(response::publish)?;
            Ok(answer.body)
        })
        .await
    }

    /// `{base}/v2/{sid}/whatsapp/{waba_id}/{endpoint}`: the WABA's management endpoints
    /// (`message_templates`, `resumable_media`); [`Error::Config`] without a WABA id.
    pub(crate) fn waba_endpoint(&self, endpoint: &str) -> Result<String, Error> {
        let waba = self.waba_id().ok_or_else(|| {
            ConfigError::new(
                "WABA id",
                "is not set: templates and resumable uploads belong to a WhatsApp Business \
                 Account (ClientBuilder::waba_id or KALEYRA_WABA_ID)",
            )
        })?;
        Ok(format!(
            "{}/v2/{}/whatsapp/{}/{endpoint}",
            self.inner.base,
            self.inner.sid,
            waba.as_str()
        ))
    }

    /// A management call (templates, resumable upload: `manage/`) through the request path:
    /// `body` JSON or a multipart form, the answer typed by `read`. Neither rate limited nor
    /// counted in [`Client::stats`] (not a message).
    pub(crate) async fn call_managed<'a, T>(
        &self,
        method: reqwest::Method,
        url: &'a str,
        body: Body<'a>,
        span: &tracing::Span,
        read: Reader<T>,
    ) -> Result<T, Error> {
        let call = Call {
            method,
            url,
            body,
            send_route: None,
            credentials: true,
        };
        self.call(&call, span, None, |answer| answer.read(read))
            .instrument(span.clone())
            .await
    }

    /// The one request path every endpoint takes: the rate limit (for message sends), each
    /// attempt recorded on `span` (attempts, status), the body read up to
    /// [`response::MAX_BODY`], the answer typed by `parse`, and retries as the [`Retry`]
    /// policy says. `progress`, when given, follows whether the request may have reached the
    /// server (for `send_all` when its runtime shuts down). A [`Body::Form`] is built anew for
    /// each attempt (a streamed file is reopened), so no endpoint needs a retry loop of its own.
    async fn call<T>(
        &self,
        call: &Call<'_>,
        span: &tracing::Span,
        progress: Option<&Progress>,
        parse: impl Fn(Answer) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        let mut retries = 0;
        loop {
            let limiter = call
                .send_route
                .and_then(|route| Some((route, inner.limiter.as_ref()?)));
            let permit = match limiter {
                Some((route, limiter)) => match limiter.start(route).await {
                    Ok(permit) => Ok(Some(permit)),
                    Err(Refusal::Wait(wait)) => Err(held_too_long(wait, limiter.max_wait())),
                    // The shared limit's Redis is lost: fail closed (RULES.md, issue 17).
                    Err(Refusal::Unavailable(e)) => Err(e),
                },
                None => Ok(None),
            };
            let (result, permit) = match permit {
                Ok(permit) => {
                    span.record("attempts", retries + 1);
                    if let Some(progress) = progress {
                        progress.on_the_wire();
                    }
                    let result = match self.request(call).await {
                        Ok(answer) => {
                            span.record("status", answer.status);
                            parse(answer)
                        }
                        Err(e) => Err(e),
                    };
                    (result, permit)
                }
                Err(e) => (Err(e), None),
            };
            let error = match result {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            if let Some(progress) = progress {
                progress.ended(&error);
            }
            if let Some(route) = call.send_route
                && error.is_throttled()
            {
                inner.counters.throttled();
                if let (Some(limiter), Some(permit)) = (&inner.limiter, permit)
                    && limiter.slow_down(route, permit, error.retry_after()).await
                {
                    tracing::info!(
                        rate = limiter.current_rate(route),
                        "too many requests: slowing down"
                    );
                }
            }
            let Some(wait) = inner.retry.wait_before_retry(&error, retries) else {
                return Err(error);
            };
            if call.send_route.is_some() {
                inner.counters.retried();
            }
            tracing::info!(error = %error, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// One attempt: the request, its status, its `Retry-After` (refusals only) and at most
    /// [`response::MAX_BODY`] of its body.
    async fn request(&self, call: &Call<'_>) -> Result<Answer, Error> {
        let request = self.inner.http.request(call.method.clone(), call.url);
        let request = if call.credentials {
            request.header("api-key", self.inner.api_key.clone())
        } else {
            request
        };
        let json = HeaderValue::from_static("application/json");
        let request = match &call.body {
            Body::Empty => request.header(CONTENT_TYPE, json),
            Body::Json(body) => request.header(CONTENT_TYPE, json).body(body.clone()),
            // Built anew for each attempt: a streamed body is consumed by the attempt before.
            // reqwest sets the multipart Content-Type (with its boundary) and the length.
            Body::Form(make) => request.multipart(make().await?),
        };
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        // Only refusals carry a wait worth reading.
        let retry_after = if (200..300).contains(&status) {
            None
        } else {
            response.headers().get(RETRY_AFTER).cloned()
        };
        let (body, truncated) = read_capped(&mut response).await?;
        Ok(Answer {
            status,
            retry_after,
            body,
            truncated,
        })
    }
}

/// Reads a body up to [`response::MAX_BODY`]: the bytes, and whether there was more (then the
/// rest is not read, and the connection is closed rather than drained).
async fn read_capped(response: &mut reqwest::Response) -> Result<(bytes::Bytes, bool), Error> {
    // The usual answer comes in one chunk: kept as is, no copy.
    let mut single: Option<bytes::Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        let have = single.as_ref().map_or(joined.len(), bytes::Bytes::len);
        let room = response::MAX_BODY - have;
        if chunk.len() > room {
            if let Some(first) = single.take() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&chunk[..room]);
            return Ok((joined.into(), true));
        }
        match single.take() {
            None if joined.is_empty() => single = Some(chunk),
            first => {
                if let Some(first) = first {
                    joined.extend_from_slice(&first);
                }
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok((single.unwrap_or_else(|| joined.into()), false))
}

/// The error of a send the rate limit would have held longer than its `max_wait`.
fn held_too_long(wait: Duration, max_wait: Duration) -> Error {
    TransportError::new(
        TransportErrorKind::NotSent,
        format!(
            "not sent: the rate limit would have held it {:.1} s, longer than its max_wait \
             ({:.1} s)",
            wait.as_secs_f64(),
            max_wait.as_secs_f64()
        ),
    )
    .with_retry_after(Some(wait))
    .into()
}

/// A multipart form being built for one attempt (a file is opened and streamed).
pub(crate) type FormFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<reqwest::multipart::Form, Error>> + Send + 'a>,
>;

/// A request's body, as the request path sends it.
pub(crate) enum Body<'a> {
    /// None (`Content-Type: application/json` all the same, as Kaleyra's tables ask).
    Empty,
    /// JSON, shared by every attempt (no copy per retry).
    Json(bytes::Bytes),
    /// A multipart form built again for each attempt: a streamed body cannot be sent twice, so
    /// a retry reopens its file (media upload).
    Form(&'a (dyn Fn() -> FormFuture<'a> + Send + Sync)),
}

/// One endpoint's request, as the request path takes it.
pub(crate) struct Call<'a> {
    method: reqwest::Method,
    url: &'a str,
    body: Body<'a>,
    /// For a message send, its route: it waits for that route's rate limit, and counts in
    /// [`Client::stats`] (`retried`, `throttled`).
    send_route: Option<Route>,
    /// Whether the `api-key` header goes with it: not to a download URL on another host
    /// (Meta's CDN), which must never see the key.
    credentials: bool,
}

impl<'a> Call<'a> {
    /// A request without a body, neither rate limited nor counted.
    pub(crate) fn new(method: reqwest::Method, url: &'a str) -> Call<'a> {
        Call {
            method,
            url,
            body: Body::Empty,
            send_route: None,
            credentials: true,
        }
    }

    /// The same request without the `api-key` header (a pre-signed download URL).
    pub(crate) fn without_credentials(mut self) -> Call<'a> {
        self.credentials = false;
        self
    }

    /// The same request with `body`.
    pub(crate) fn with_body(mut self, body: Body<'a>) -> Call<'a> {
        self.body = body;
        self
    }
}

/// Whether a send's request may have reached the server: set when an attempt starts, kept if
/// it ended ambiguously. `send_all`'s workers read it when a runtime shutdown drops them, to
/// say "may have been sent" only of what may have been.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// An attempt is on the wire now.
    on_the_wire: AtomicBool,
    /// An earlier attempt ended in a way that may have been accepted.
    ambiguous: AtomicBool,
}

impl Progress {
    fn on_the_wire(&self) {
        self.on_the_wire.store(true, Ordering::Relaxed);
    }

    fn ended(&self, error: &Error) {
        if error.is_ambiguous() {
            self.ambiguous.store(true, Ordering::Relaxed);
        }
        self.on_the_wire.store(false, Ordering::Relaxed);
    }

    /// Whether the message may have been sent.
    pub(crate) fn may_have_been_sent(&self) -> bool {
        self.on_the_wire.load(Ordering::Relaxed) || self.ambiguous.load(Ordering::Relaxed)
    }

    /// Ready for the next message.
    pub(crate) fn reset(&self) {
        self.on_the_wire.store(false, Ordering::Relaxed);
        self.ambiguous.store(false, Ordering::Relaxed);
    }
}

/// A message ready to post: what [`Client::deliver`] needs, owned (so that `send_all` can hand
/// it to a task).
pub(crate) struct Job {
    kind: MessageKind,
    route: Route,
    body: bytes::Bytes,
}

/// Counts a send as cancelled when dropped before [`Unfinished::finish`].
struct Unfinished<'a>(Option<&'a Counters>);

impl Unfinished<'_> {
    fn finish(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(counters) = self.0 {
            counters.failed_as(crate::stats::FailureKind::Cancelled);
        }
    }
}

/// A response, read up to [`response::MAX_BODY`].
struct Answer {
    status: u16,
    retry_after: Option<HeaderValue>,
    body: bytes::Bytes,
    /// The body was longer than the cap: `body` is its start.
    truncated: bool,
}

/// A reader of an answer: status, `Retry-After`, body (the functions of [`response`]).
pub(crate) type Reader<T> = fn(u16, Option<&[u8]>, &[u8]) -> Result<T, Error>;

impl Answer {
    /// Types the answer with `parse`; a body cut at the cap is an error, never parsed.
    fn read<T>(&self, parse: Reader<T>) -> Result<T, Error> {
        let retry_after = self.retry_after.as_ref().map(HeaderValue::as_bytes);
        if self.truncated {
            return Err(response::too_long(self.status, retry_after, &self.body));
        }
        parse(self.status, retry_after, &self.body)
    }
}

/// The recipient of a body for logs: `+91******3210` (the country code's first digits and the
/// last four). Found lazily, only when a span is recorded.
struct MaskedRecipient<'a>(&'a [u8]);

impl fmt::Display for MaskedRecipient<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KEY: &[u8] = br#""to":""#;
        let to = self
            .0
            .windows(KEY.len())
            .position(|w| w == KEY)
            .map(|at| &self.0[at + KEY.len()..])
            .and_then(|rest| rest.split(|b| *b == b'"').next())
            .unwrap_or_default();
        // Recipients are validated E.164 (`+` and digits), so every byte is one character.
        let shown_head = if to.len() >= 10 { 3 } else { 0 };
        let shown_tail = if to.len() >= 8 { 4 } else { 0 };
        for (i, b) in to.iter().enumerate() {
            let c = if i < shown_head || i >= to.len() - shown_tail {
                char::from(*b)
            } else {
                '*'
            };
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

fn transport(e: reqwest::Error) -> Error {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, e).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert!(check_base_url("https://api.in.kaleyra.io").is_ok());
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/").unwrap(),
            ("http://127.0.0.1:8080".to_owned(), true)
        );
        assert!(check_base_url("http://localhost:1").is_ok());
        assert!(check_base_url("http://[::1]:1").is_ok());
        assert!(check_base_url("http://api.in.kaleyra.io").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("not a url").is_err());
    }

    #[test]
    fn retry_backoff_doubles_up_to_the_cap() {
        let r = Retry::new(10).backoff(Duration::from_millis(100));
        assert_eq!(r.delay(0), Duration::from_millis(100));
        assert_eq!(r.delay(3), Duration::from_millis(800));
        assert_eq!(r.delay(100), Duration::from_secs(5));
    }

    #[test]
    fn debug_redacts_the_key() {
        let client = Client::builder()
            .sid("HXAP1")
            .api_key("secret-key")
            .build()
            .unwrap();
        let shown = format!("{client:?} {:?}", Client::builder().api_key("secret-key"));
        assert!(!shown.contains("secret-key"), "{shown}");
    }

    #[test]
    fn retry_waits_only_for_what_it_may_retry() {
        use crate::error::{ApiError, TransportError};
        let limited = |wait: Option<u64>| -> Error {
            ApiError::new(429, "WA429", "", Vec::new(), "")
                .with_retry_after(wait.map(Duration::from_secs))
                .into()
        };
        let timeout: Error = TransportError::new(TransportErrorKind::Timeout, "slow").into();
        let bad: Error = ApiError::new(400, "WA400", "", Vec::new(), "").into();
        let r = Retry::new(2)
            .backoff(Duration::from_millis(100))
            .jitter(false);
        assert_eq!(
            r.wait_before_retry(&limited(None), 0),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            r.wait_before_retry(&limited(None), 1),
            Some(Duration::from_millis(200))
        );
        assert_eq!(r.wait_before_retry(&limited(None), 2), None, "max retries");
        // Retry-After is honoured, unless it is longer than the cap.
        assert_eq!(
            r.wait_before_retry(&limited(Some(3)), 0),
            Some(Duration::from_secs(3))
        );
        assert_eq!(r.wait_before_retry(&limited(Some(61)), 0), None);
        // Never a permanent error; ambiguous ones only when asked.
        assert_eq!(r.wait_before_retry(&bad, 0), None);
        assert_eq!(r.wait_before_retry(&timeout, 0), None);
        assert!(r.ambiguous(true).wait_before_retry(&timeout, 0).is_some());
        assert_eq!(Retry::none().wait_before_retry(&limited(None), 0), None);
        // Jitter: between half and all of the wait.
        let jittered = Retry::new(1).backoff(Duration::from_millis(100));
        for _ in 0..100 {
            let wait = jittered.wait_before_retry(&limited(None), 0).unwrap();
            assert!(wait >= Duration::from_millis(50) && wait <= Duration::from_millis(100));
        }
    }

    #[test]
    fn recipients_are_masked() {
        let shown = |body: &str| MaskedRecipient(body.as_bytes()).to_string();
        assert_eq!(
            shown(r#"{"x":{"to":"+919876543210","y":1}}"#),
            "+91******3210"
        );
        assert_eq!(shown(r#"{"to":"+155501"}"#), "*******");
        assert_eq!(shown(r#"{"to":"+15550123"}"#), "*****0123");
        assert_eq!(shown("{}"), "");
        assert_eq!(shown(r#"{"to":""#), "");
    }
}
