//! The authentication options of a Kaleyra callback profile (facts §3.2), checked on each
//! callback before its body is read, in constant time.
//!
//! - a custom header with a shared secret (the profile's extra HTTP headers);
//! - Basic authentication;
//! - "advanced authentication": Kaleyra first calls the customer's token URL with a client id
//!   and secret, then sends `Authorization: Bearer <access_token>`. The receiver serves that
//!   token route itself, issuing random tokens it then accepts.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD};
use subtle::{Choice, ConstantTimeEq};

use crate::error::{ConfigError, Error};

/// How many access tokens stay valid at once by default: Kaleyra may fetch one per delivery in
/// flight, so far more than concurrent deliveries; past it the oldest is dropped first. About
/// 100 bytes each.
///
/// Available with the `axum` feature.
pub const DEFAULT_MAX_LIVE_TOKENS: usize = 10_000;

/// The default lifetime of an access token.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The longest lifetime of an access token: [`Auth::token_lifetime`] clamps to it.
///
/// Available with the `axum` feature.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How the receiver recognizes Kaleyra: one of the options of the callback profile.
///
/// Available with the `axum` feature.
///
/// Every comparison takes the same time whatever the presented credential is (its length
/// included), so that a caller cannot find the secret byte by byte. `Debug` never prints a
/// secret.
///
/// ```
/// use kaleyra::callback::Auth;
///
/// let by_header = Auth::header("x-kaleyra-secret", "s3cr3t-shared-with-kaleyra")?;
/// let basic = Auth::basic("kaleyra", "another-long-secret")?;
/// let advanced = Auth::bearer("kaleyra-client", "client-secret-for-kaleyra")?;
/// assert!(format!("{by_header:?} {basic:?} {advanced:?}").find("secret-").is_none());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Clone)]
pub struct Auth(Kind);

#[derive(Clone)]
enum Kind {
    Header {
        name: HeaderName,
        secret: Box<[u8]>,
    },
    Basic {
        username: Box<[u8]>,
        password: Box<[u8]>,
    },
    Bearer {
        client_id: Box<[u8]>,
        client_secret: Box<[u8]>,
        lifetime: Duration,
        max_live: usize,
        /// Shared by every clone: a token issued by one copy of the router is accepted by all.
        issued: Arc<Mutex<Tokens>>,
    },
}

/// The live access tokens, found by a keyed hash in O(1) however many there are.
///
/// The map is keyed by a hash of the token under a random key (`RandomState`), and the token
/// found is then compared in constant time: how long a lookup takes depends only on whether
/// the presented value's secret-keyed hash is a live token's, which tells an attacker nothing
/// about any token's bytes.
#[derive(Default)]
struct Tokens {
    hasher: RandomState,
    /// Hash -> (token, expiry).
    live: HashMap<u64, (Box<[u8]>, Instant)>,
    /// The hashes in the order they were issued: the order of expiry (one lifetime for all) and
    /// of eviction.
    order: VecDeque<u64>,
}

impl Tokens {
    /// Forgets the expired tokens at the front (all of them while the lifetime is unchanged).
    fn prune(&mut self, now: Instant) {
        while let Some(hash) = self.order.front() {
            match self.live.get(hash) {
                Some((_, expires)) if *expires > now => break,
                _ => {
                    self.live.remove(hash);
                    self.order.pop_front();
                }
            }
        }
    }

    fn accepts(&self, presented: &[u8], now: Instant) -> bool {
        match self.live.get(&self.hasher.hash_one(presented)) {
            Some((token, expires)) => ct_eq(presented, token) && *expires > now,
            None => false,
        }
    }

    /// Keeps `token` until `expires`; `false` (and nothing kept) if its hash is a live token's
    /// (about never: draw another).
    fn insert(&mut self, token: &[u8], expires: Instant, max_live: usize) -> bool {
        let hash = self.hasher.hash_one(token);
        if self.live.contains_key(&hash) {
            return false;
        }
        while self.order.len() >= max_live {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.live.remove(&oldest);
        }
        self.live.insert(hash, (token.into(), expires));
        self.order.push_back(hash);
        true
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Header { name, .. } => f
                .debug_struct("Auth::Header")
                .field("name", name)
                .field("secret", &"<redacted>")
                .finish(),
            Kind::Basic { username, .. } => f
                .debug_struct("Auth::Basic")
                .field("username", &String::from_utf8_lossy(username))
                .field("password", &"<redacted>")
                .finish(),
            Kind::Bearer {
                client_id,
                lifetime,
                max_live,
                ..
            } => f
                .debug_struct("Auth::Bearer")
                .field("client_id", &String::from_utf8_lossy(client_id))
                .field("client_secret", &"<redacted>")
                .field("token_lifetime", lifetime)
                .field("max_live_tokens", max_live)
                .finish(),
        }
    }
}

fn not_empty(setting: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        Err(ConfigError::new(setting, "must not be empty: it is what keeps others out").into())
    } else {
        Ok(())
    }
}

impl Auth {
    /// A custom header carrying a shared secret: add the header to the callback profile's HTTP
    /// headers.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if `name` is not a valid header name or `secret` is empty or not a
    /// valid header value.
    pub fn header(name: &str, secret: impl Into<String>) -> Result<Auth, Error> {
        let secret = secret.into();
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ConfigError::new(
                "callback auth header",
                format!("{name:?} is not a valid HTTP header name"),
            )
        })?;
        not_empty("callback auth secret", &secret)?;
        if HeaderValue::from_str(&secret).is_err() {
            return Err(ConfigError::new(
                "callback auth secret",
                "must be printable ASCII to travel in a header",
            )
            .into());
        }
        Ok(Auth(Kind::Header {
            name,
            secret: secret.into_bytes().into(),
        }))
    }

    /// Basic authentication with this user name and password (the profile's Basic option).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the user name is empty or holds a `:`, or the password is empty.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Result<Auth, Error> {
        let (username, password) = (username.into(), password.into());
        not_empty("callback auth user name", &username)?;
        not_empty("callback auth password", &password)?;
        if username.contains(':') {
            return Err(ConfigError::new(
                "callback auth user name",
                "must not contain `:` (Basic authentication separates it from the password with one)",
            )
            .into());
        }
        Ok(Auth(Kind::Basic {
            username: username.into_bytes().into(),
            password: password.into_bytes().into(),
        }))
    }

    /// Kaleyra's "advanced authentication": the receiver's token route (see
    /// [`Receiver::token_path`](super::Receiver::token_path), `/token` by default) issues access
    /// tokens to the client id and secret configured in the callback profile, and callbacks
    /// must carry `Authorization: Bearer <access_token>`.
    ///
    /// The token route accepts the OAuth 2.0 client-credentials conventions (RFC 6749 §2.3.1,
    /// §4.4): the id and secret in a Basic `Authorization` header, or as `client_id` and
    /// `client_secret` in a form or JSON body; `grant_type`, if given, must be
    /// `client_credentials`. It answers `{"token_type": "Bearer", "expires_in": "3600",
    /// "access_token": "…"}`, the members of Kaleyra's sample. Only `POST` is served (other
    /// methods get `405`, RFC 6749 §3.2). Up to [`DEFAULT_MAX_LIVE_TOKENS`] tokens are valid at
    /// once (see [`Auth::max_live_tokens`]), each for an hour (see [`Auth::token_lifetime`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if either is empty.
    pub fn bearer(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Auth, Error> {
        let (client_id, client_secret) = (client_id.into(), client_secret.into());
        not_empty("callback client id", &client_id)?;
        not_empty("callback client secret", &client_secret)?;
        Ok(Auth(Kind::Bearer {
            client_id: client_id.into_bytes().into(),
            client_secret: client_secret.into_bytes().into(),
            lifetime: TOKEN_LIFETIME,
            max_live: DEFAULT_MAX_LIVE_TOKENS,
            issued: Arc::default(),
        }))
    }

    /// How long an access token issued by [`Auth::bearer`]'s token route stays valid (default
    /// one hour), clamped to between one second and [`MAX_TOKEN_LIFETIME`] (a day). No effect
    /// on the other options.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Auth {
        if let Kind::Bearer { lifetime: l, .. } = &mut self.0 {
            *l = lifetime.clamp(Duration::from_secs(1), MAX_TOKEN_LIFETIME);
        }
        self
    }

    /// How many access tokens issued by [`Auth::bearer`]'s token route stay valid at once
    /// (default [`DEFAULT_MAX_LIVE_TOKENS`], at least 1). Kaleyra may fetch a token for each
    /// delivery in flight: keep this well above the callbacks in flight at once, since past it
    /// the oldest live token is dropped and a delivery carrying it gets `401`. Expired tokens
    /// are forgotten as tokens are checked and issued. No effect on the other options.
    #[must_use]
    pub fn max_live_tokens(mut self, count: usize) -> Auth {
        if let Kind::Bearer { max_live, .. } = &mut self.0 {
            *max_live = count.max(1);
        }
        self
    }

    /// Whether this option issues tokens (and so needs the token route).
    pub(super) fn issues_tokens(&self) -> bool {
        matches!(self.0, Kind::Bearer { .. })
    }

    /// Whether the request's headers carry the credential.
    pub(super) fn check(&self, headers: &HeaderMap) -> bool {
        match &self.0 {
            Kind::Header { name, secret } => headers
                .get(name)
                .is_some_and(|value| ct_eq(value.as_bytes(), secret)),
            Kind::Basic { username, password } => basic_credentials(headers)
                .is_some_and(|(user, pass)| both(&user, username, &pass, password)),
            Kind::Bearer { issued, .. } => {
                let Some(presented) = scheme_value(headers, "bearer") else {
                    return false;
                };
                let now = Instant::now();
                let mut issued = issued.lock().unwrap_or_else(PoisonError::into_inner);
                issued.prune(now);
                issued.accepts(presented, now)
            }
        }
    }

    /// The `WWW-Authenticate` value of a 401 for this option, if it has one.
    pub(super) fn challenge(&self) -> Option<HeaderValue> {
        match self.0 {
            Kind::Header { .. } => None,
            Kind::Basic { .. } => Some(HeaderValue::from_static(
                "Basic realm=\"kaleyra-callbacks\", charset=\"UTF-8\"",
            )),
            Kind::Bearer { .. } => Some(HeaderValue::from_static(
                "Bearer realm=\"kaleyra-callbacks\"",
            )),
        }
    }

    /// Answers the token route: checks the client credentials (a Basic header, or a form or
    /// JSON body) and issues a token.
    pub(super) fn issue(&self, headers: &HeaderMap, body: &[u8]) -> TokenAnswer {
        let Kind::Bearer {
            client_id,
            client_secret,
            lifetime,
            max_live,
            issued,
        } = &self.0
        else {
            return TokenAnswer::NotServed;
        };
        let form = ClientForm::read(headers, body);
        if form
            .grant_type
            .as_deref()
            .is_some_and(|g| g != "client_credentials")
        {
            return TokenAnswer::UnsupportedGrant;
        }
        let credentials = basic_credentials(headers).or(form.credentials);
        let Some((id, secret)) = credentials else {
            return TokenAnswer::InvalidClient;
        };
        if !both(&id, client_id, &secret, client_secret) {
            return TokenAnswer::InvalidClient;
        }
        // A hash shared with a live token is about impossible (2^-64 per pair): draw again.
        for _ in 0..4 {
            let mut bytes = [0u8; 32];
            if getrandom::fill(&mut bytes).is_err() {
                return TokenAnswer::NoRandomness;
            }
            let token = URL_SAFE_NO_PAD.encode(bytes);
            let mut issued = issued.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            issued.prune(now);
            // `lifetime` is at most a day (`token_lifetime` clamps it): the sum cannot overflow.
            let expires = now.checked_add(*lifetime).unwrap_or(now);
            if issued.insert(token.as_bytes(), expires, *max_live) {
                return TokenAnswer::Issued {
                    token,
                    expires_in: lifetime.as_secs(),
                };
            }
        }
        TokenAnswer::NoRandomness
    }
}

/// What the token route answers.
pub(super) enum TokenAnswer {
    Issued { token: String, expires_in: u64 },
    InvalidClient,
    UnsupportedGrant,
    NoRandomness,
    NotServed,
}

/// Constant-time equality that takes the same time for any `presented` (it walks `expected`,
/// whose length the attacker does not control) and also tells the lengths apart.
fn ct_choice(presented: &[u8], expected: &[u8]) -> Choice {
    let mut same = (presented.len() as u64).ct_eq(&(expected.len() as u64));
    for (i, e) in expected.iter().enumerate() {
        let p = presented.get(i).copied().unwrap_or(0);
        same &= p.ct_eq(e);
    }
    same
}

fn ct_eq(presented: &[u8], expected: &[u8]) -> bool {
    ct_choice(presented, expected).into()
}

/// Both pairs equal, every byte compared either way.
fn both(a: &[u8], expected_a: &[u8], b: &[u8], expected_b: &[u8]) -> bool {
    (ct_choice(a, expected_a) & ct_choice(b, expected_b)).into()
}

/// The value after `scheme ` in `Authorization` (scheme matched without regard to case).
fn scheme_value<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h [u8]> {
    let value = headers.get(header::AUTHORIZATION)?.as_bytes();
    let at = value.iter().position(|b| *b == b' ')?;
    let (name, rest) = value.split_at(at);
    if !name.eq_ignore_ascii_case(scheme.as_bytes()) {
        return None;
    }
    Some(rest.trim_ascii())
}

/// The user and password of a Basic `Authorization` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(Vec<u8>, Vec<u8>)> {
    let encoded = scheme_value(headers, "basic")?;
    let decoded = STANDARD_PAD_INDIFFERENT.decode(encoded).ok()?;
    let colon = decoded.iter().position(|b| *b == b':')?;
    let (user, pass) = decoded.split_at(colon);
    Some((user.to_vec(), pass[1..].to_vec()))
}

/// `client_id`, `client_secret` and `grant_type` from a token request's body.
#[derive(Default)]
struct ClientForm {
    credentials: Option<(Vec<u8>, Vec<u8>)>,
    grant_type: Option<String>,
}

impl ClientForm {
    fn read(headers: &HeaderMap, body: &[u8]) -> ClientForm {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body_text = String::from_utf8_lossy(body);
        if content_type.starts_with("application/json") || body_text.trim_start().starts_with('{') {
            #[derive(serde::Deserialize)]
            struct Json {
                client_id: Option<String>,
                client_secret: Option<String>,
                grant_type: Option<String>,
            }
            let Ok(json) = serde_json::from_slice::<Json>(body) else {
                return ClientForm::default();
            };
            return ClientForm {
                credentials: json
                    .client_id
                    .zip(json.client_secret)
                    .map(|(i, s)| (i.into_bytes(), s.into_bytes())),
                grant_type: json.grant_type,
            };
        }
        let (mut id, mut secret, mut grant_type) = (None, None, None);
        for pair in body_text.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = crate::percent::decode(value, true);
            match crate::percent::decode(key, true).as_str() {
                "client_id" => id = Some(value),
                "client_secret" => secret = Some(value),
                "grant_type" => grant_type = Some(value),
                _ => {}
            }
        }
        ClientForm {
            credentials: id
                .zip(secret)
                .map(|(i, s)| (i.into_bytes(), s.into_bytes())),
            grant_type,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn constant_time_equality_is_equality() {
        assert!(ct_eq(b"secret", b"secret"));
        for wrong in [
            &b""[..],
            b"secre",
            b"secret!",
            b"secreT",
            b"Secret",
            b"secret\0",
        ] {
            assert!(!ct_eq(wrong, b"secret"), "{wrong:?}");
        }
    }

    #[test]
    fn header_secret() {
        let auth = Auth::header("x-secret", "abc123").unwrap();
        assert!(auth.check(&headers(&[("x-secret", "abc123")])));
        assert!(!auth.check(&headers(&[("x-secret", "abc124")])));
        assert!(!auth.check(&headers(&[("x-other", "abc123")])));
        assert!(Auth::header("bad header", "x").is_err());
        assert!(Auth::header("x-secret", "").is_err());
    }

    #[test]
    fn basic() {
        let auth = Auth::basic("kaleyra", "pw:with:colons").unwrap();
        let good = format!(
            "Basic {}",
            STANDARD_PAD_INDIFFERENT.encode("kaleyra:pw:with:colons")
        );
        assert!(auth.check(&headers(&[("authorization", &good)])));
        assert!(auth.check(&headers(&[(
            "authorization",
            &good.replacen("Basic", "bAsIc", 1)
        )])));
        let wrong = format!(
            "Basic {}",
            STANDARD_PAD_INDIFFERENT.encode("kaleyra:pw:with:colonz")
        );
        assert!(!auth.check(&headers(&[("authorization", &wrong)])));
        assert!(!auth.check(&headers(&[("authorization", "Basic !!!")])));
        assert!(!auth.check(&headers(&[("authorization", "Bearer x")])));
        assert!(Auth::basic("a:b", "c").is_err());
    }

    #[test]
    fn tokens_are_issued_and_accepted() {
        let auth = Auth::bearer("client", "s3cret").unwrap();
        let form = headers(&[("content-type", "application/x-www-form-urlencoded")]);
        let TokenAnswer::Issued { token, expires_in } = auth.issue(
            &form,
            b"grant_type=client_credentials&client_id=client&client_secret=s3cret",
        ) else {
            panic!("no token")
        };
        assert_eq!(expires_in, 3600);
        assert!(auth.check(&headers(&[("authorization", &format!("Bearer {token}"))])));
        assert!(
            auth.clone()
                .check(&headers(&[("authorization", &format!("bearer {token}"))]))
        );
        assert!(!auth.check(&headers(&[("authorization", "Bearer nope")])));
        assert!(matches!(
            auth.issue(&form, b"client_id=client&client_secret=wrong"),
            TokenAnswer::InvalidClient
        ));
        assert!(matches!(
            auth.issue(
                &form,
                b"grant_type=password&client_id=client&client_secret=s3cret"
            ),
            TokenAnswer::UnsupportedGrant
        ));
        let json = headers(&[("content-type", "application/json")]);
        assert!(matches!(
            auth.issue(&json, br#"{"client_id":"client","client_secret":"s3cret"}"#),
            TokenAnswer::Issued { .. }
        ));
        let basic = format!("Basic {}", STANDARD_PAD_INDIFFERENT.encode("client:s3cret"));
        assert!(matches!(
            auth.issue(&headers(&[("authorization", &basic)]), b""),
            TokenAnswer::Issued { .. }
        ));
    }

    fn issue(auth: &Auth) -> String {
        let basic = format!("Basic {}", STANDARD_PAD_INDIFFERENT.encode("client:s3cret"));
        match auth.issue(&headers(&[("authorization", &basic)]), b"") {
            TokenAnswer::Issued { token, .. } => token,
            _ => panic!("no token"),
        }
    }

    fn accepts(auth: &Auth, token: &str) -> bool {
        auth.check(&headers(&[("authorization", &format!("Bearer {token}"))]))
    }

    /// Issue 18: `Instant + Duration::MAX` panicked in every token request.
    #[test]
    fn the_token_lifetime_is_clamped() {
        for (lifetime, expires_in) in [
            (Duration::MAX, 86_400),
            (Duration::from_secs(86_401), 86_400),
            (Duration::from_secs(600), 600),
            (Duration::ZERO, 1),
        ] {
            let auth = Auth::bearer("client", "s3cret")
                .unwrap()
                .token_lifetime(lifetime);
            let basic = format!("Basic {}", STANDARD_PAD_INDIFFERENT.encode("client:s3cret"));
            match auth.issue(&headers(&[("authorization", &basic)]), b"") {
                TokenAnswer::Issued {
                    token,
                    expires_in: e,
                } => {
                    assert_eq!(e, expires_in, "{lifetime:?}");
                    assert!(accepts(&auth, &token));
                }
                _ => panic!("no token"),
            }
        }
    }

    #[test]
    fn past_the_bound_the_oldest_token_goes() {
        let auth = Auth::bearer("client", "s3cret").unwrap().max_live_tokens(3);
        let tokens: Vec<String> = (0..4).map(|_| issue(&auth)).collect();
        assert!(!accepts(&auth, &tokens[0]));
        for token in &tokens[1..] {
            assert!(accepts(&auth, token));
        }
    }

    /// Issue 18: only the last 32 tokens were kept, so the 33rd concurrent delivery's fetch
    /// made the first one's token fail.
    #[test]
    fn many_tokens_live_at_once() {
        let auth = Auth::bearer("client", "s3cret").unwrap();
        let tokens: Vec<String> = (0..1000).map(|_| issue(&auth)).collect();
        for token in &tokens {
            assert!(accepts(&auth, token));
        }
        assert!(!accepts(&auth, &tokens[0][1..]));
    }
}
