//! The HTTP client: routes each message to its documented endpoint and types every answer.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::error::{ApiError, ConfigError, DecodeError, Error, TransportError, TransportErrorKind};
use crate::layout::Route;
use crate::message::Message;
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
/// message was not accepted are retried (connect failures, `WA429`, `WA500`/`WA-500`, 503).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    max_retries: u32,
    backoff: Duration,
    max_backoff: Duration,
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

    fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Kaleyra accepted the message (any 2xx).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Accepted {
    /// Kaleyra's id of the message, as reported in callbacks.
    pub message_id: String,
}

/// Sends messages to Kaleyra. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), kaleyra_core::Error> {
/// use kaleyra_core::{Client, Region};
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
            .finish()
    }
}

impl ClientBuilder {
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
            }),
        })
    }
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
    pub fn from_env() -> Result<Client, Error> {
        let mut builder = Client::builder();
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
        builder.build()
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

    /// The URL a message is posted to.
    pub fn url_for(&self, message: &Message) -> Result<&str, Error> {
        match message.route() {
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
    pub async fn send(&self, message: &Message) -> Result<Accepted, Error> {
        let url = self.url_for(message)?;
        tracing::debug!(kind = ?message.kind(), url, "sending message");
        // One copy of the body for the HTTP stack, shared by every attempt (no copy per retry).
        let body = bytes::Bytes::copy_from_slice(message.as_bytes());
        let result = self
            .with_retries(|| async {
                let (status, body) = self.post(url, Some(body.clone())).await?;
                accepted(status, body)
            })
            .await;
        match &result {
            Ok(a) => tracing::debug!(message_id = %a.message_id, "message accepted"),
            Err(e) => tracing::warn!(error = %e, "message not sent"),
        }
        result
    }

    /// Publishes a flow (`POST /v2/{sid}/whatsapp/{flow_id}/publish`); 200 `{"success": true}`.
    ///
    /// `flow_id` is a [`FlowId`](crate::FlowId) or a string of digits (checked before sending).
    pub async fn publish_flow(&self, flow_id: impl IntoFlowId) -> Result<(), Error> {
        let id = flow_id.into_flow_id()?;
        let url = format!(
            "{}/v2/{}/whatsapp/{}/publish",
            self.inner.base,
            self.inner.sid,
            id.as_str()
        );
        tracing::debug!(flow_id = %id, "publishing flow");
        self.with_retries(|| async {
            let (status, body) = self.post(&url, None).await?;
            published(status, body)
        })
        .await
    }

    async fn with_retries<T, F, Fut>(&self, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let retry = self.inner.retry;
        let mut retries = 0;
        loop {
            match attempt().await {
                Err(e) if retries < retry.max_retries && e.is_retryable() => {
                    let wait = retry.delay(retries);
                    tracing::info!(error = %e, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                other => return other,
            }
        }
    }

    /// GETs `url` with the `api-key` header, under the client's retry policy: the body of a
    /// 2xx answer, or the typed error of any other (the catalogue's `templates` uses it).
    pub(crate) async fn get(&self, url: &str) -> Result<bytes::Bytes, Error> {
        self.with_retries(|| async {
            let response = self
                .inner
                .http
                .get(url)
                .header("api-key", self.inner.api_key.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .send()
                .await
                .map_err(transport)?;
            let status = response.status().as_u16();
            let body = response.bytes().await.map_err(transport)?;
            if (200..300).contains(&status) {
                Ok(body)
            } else {
                Err(refused(status, &body))
            }
        })
        .await
    }

    async fn post(
        &self,
        url: &str,
        body: Option<bytes::Bytes>,
    ) -> Result<(u16, bytes::Bytes), Error> {
        let mut request = self
            .inner
            .http
            .post(url)
            .header("api-key", self.inner.api_key.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        Ok((status, body))
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

fn refused(status: u16, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    match ApiError::from_body(status, &text) {
        Some(api) => api.into(),
        None => DecodeError::new(
            Some(status),
            "the body is not Kaleyra's error JSON",
            text.into_owned(),
        )
        .into(),
    }
}

/// The part of Kaleyra's 202 body a send needs: `{"data": {"message_id": "…"}, …}`.
#[derive(serde::Deserialize)]
struct Success<'a> {
    #[serde(borrow)]
    data: SuccessData<'a>,
}

#[derive(serde::Deserialize)]
struct SuccessData<'a> {
    #[serde(borrow)]
    message_id: std::borrow::Cow<'a, str>,
}

/// Reads a send's answer: any 2xx with `data.message_id` is accepted.
fn accepted(status: u16, body: impl AsRef<[u8]>) -> Result<Accepted, Error> {
    let body = body.as_ref();
    if !(200..300).contains(&status) {
        return Err(refused(status, body));
    }
    match serde_json::from_slice::<Success<'_>>(body) {
        Ok(success) => Ok(Accepted {
            message_id: success.data.message_id.into_owned(),
        }),
        Err(_) => Err(DecodeError::new(
            Some(status),
            "the message was accepted but the body has no `data.message_id`",
            String::from_utf8_lossy(body).into_owned(),
        )
        .into()),
    }
}

/// Reads a publish's answer: any 2xx is success.
fn published(status: u16, body: impl AsRef<[u8]>) -> Result<(), Error> {
    let body = body.as_ref();
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(refused(status, body))
    }
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
    fn two_xx_without_message_id_is_a_decode_error() {
        assert!(matches!(accepted(202, b"<html>"), Err(Error::Decode(_))));
        assert!(matches!(
            accepted(202, br#"{"data":[]}"#),
            Err(Error::Decode(_))
        ));
    }

    #[test]
    fn the_message_id_is_read_from_any_2xx() {
        let ok = br#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"A1"},"error":{}}"#;
        assert_eq!(accepted(202, ok).unwrap().message_id, "A1");
        // Escapes are decoded; unknown members are ignored.
        let odd = br#"{"x":[1],"data":{"message_id":"A\u0032","more":{}}}"#;
        assert_eq!(accepted(200, odd).unwrap().message_id, "A2");
    }
}
