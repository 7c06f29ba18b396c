//! The authentication options of a Kaleyra callback profile (facts §3.2), checked on each
//! callback before its body is read, in constant time.
//!
//! - a custom header with a shared secret (the profile's extra HTTP headers);
//! - Basic authentication;
//! - "advanced authentication": Kaleyra first calls the customer's token URL with a client id
//!   and secret, then sends `Authorization: Bearer <access_token>`. The receiver serves that
//!   token route itself, issuing random tokens it then accepts.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD};
use subtle::{Choice, ConstantTimeEq};

use crate::error::{ConfigError, Error};

/// How many access tokens stay valid at once: Kaleyra fetches a new one when the last expires,
/// so a few cover overlapping fetches; the oldest is dropped first.
const LIVE_TOKENS: usize = 32;

/// The default lifetime of an access token.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// How the receiver recognizes Kaleyra: one of the options of the callback profile.
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
        /// Shared by every clone: a token issued by one copy of the router is accepted by all.
        issued: Arc<Mutex<VecDeque<Issued>>>,
    },
}

struct Issued {
    token: Box<[u8]>,
    expires: Instant,
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
                ..
            } => f
                .debug_struct("Auth::Bearer")
                .field("client_id", &String::from_utf8_lossy(client_id))
                .field("client_secret", &"<redacted>")
                .field("token_lifetime", lifetime)
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
    /// "access_token": "…"}`, the members of Kaleyra's sample.
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
            issued: Arc::default(),
        }))
    }

    /// How long an access token issued by [`Auth::bearer`]'s token route stays valid (default
    /// one hour). No effect on the other options.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Auth {
        if let Kind::Bearer { lifetime: l, .. } = &mut self.0 {
            *l = lifetime.max(Duration::from_secs(1));
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
                issued.retain(|t| t.expires > now);
                // Compare with every live token, whichever matches: no early exit.
                let mut found = Choice::from(0);
                for token in issued.iter() {
                    found |= ct_choice(presented, &token.token);
                }
                found.into()
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
        let mut bytes = [0u8; 32];
        if getrandom::fill(&mut bytes).is_err() {
            return TokenAnswer::NoRandomness;
        }
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let mut issued = issued.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        issued.retain(|t| t.expires > now);
        while issued.len() >= LIVE_TOKENS {
            issued.pop_front();
        }
        issued.push_back(Issued {
            token: token.as_bytes().into(),
            expires: now + *lifetime,
        });
        TokenAnswer::Issued {
            token,
            expires_in: lifetime.as_secs(),
        }
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
}
