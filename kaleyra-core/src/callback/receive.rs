//! Receiving callbacks in an axum application (feature `axum`).
//!
//! Each request to the callback route is answered in this order:
//!
//! 1. credentials missing or wrong: `401`, before the body is read;
//! 2. a `Content-Length` over the limit, or a body that grows over it: `413`;
//! 3. a body that is not Kaleyra's callback envelope: `400`, logged (`tracing`, level warn);
//! 4. every status, message and template status in it already handed over: `200`, the handler is not called;
//!    one being handed over by another delivery right now: `503` (Kaleyra tries again). An event
//!    repeated within the body counts once; one without an id is always handed over;
//! 5. the handler's answer: `200`, or `500` when it returns an error (logged at level error), so
//!    that Kaleyra redelivers; the events of a failed delivery are forgotten, so the redelivery
//!    reaches the handler.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::auth::{Auth, TokenAnswer};
use super::dedup::{Claim, DedupStore, MemoryStore, message_key, status_key, template_status_key};
use super::envelope::Callback;
use crate::error::{ConfigError, Error};

/// The default largest callback body: callbacks are a few kilobytes; a message with many shared
/// contact cards is the largest Kaleyra sends.
///
/// Available with the `axum` feature.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// The largest token request body.
const TOKEN_BODY_LIMIT: usize = 16 * 1024;

/// What receives the callbacks: an `async` function or closure taking a [`Callback`] and
/// returning `Result<(), E>` for any displayable `E`.
///
/// Available with the `axum` feature.
///
/// An error answers `500`, so that Kaleyra delivers the callback again: return one when the
/// event could not be stored or acted on.
pub trait Handler: Send + Sync + 'static {
    /// The handler's error, logged when it fails.
    type Error: fmt::Display + Send;

    /// Handles one callback (its statuses, messages and template statuses not yet handed over).
    fn handle(
        &self,
        callback: Callback<'static>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

impl<F, Fut, E> Handler for F
where
    F: Fn(Callback<'static>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send,
    E: fmt::Display + Send,
{
    type Error = E;

    fn handle(
        &self,
        callback: Callback<'static>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send {
        self(callback)
    }
}

/// The callback route and, for [`Auth::bearer`], the token route: mount the router in your
/// application (see [`router`] for the defaults).
///
/// Available with the `axum` feature.
///
/// ```
/// use kaleyra::callback::{Auth, Callback, MemoryStore, Receiver};
///
/// # fn main() -> Result<(), kaleyra::Error> {
/// let app: axum::Router = Receiver::new(
///     Auth::bearer("kaleyra-client", "a-long-client-secret")?,
///     |callback: Callback<'static>| async move {
///         println!("{} statuses", callback.statuses().len());
///         Ok::<(), std::convert::Infallible>(())
///     },
/// )
/// .body_limit(64 * 1024)
/// .dedup(MemoryStore::new(10_000))
/// .callback_path("/kaleyra/callbacks")?
/// .token_path("/kaleyra/token")?
/// .into_router();
/// # Ok(()) }
/// ```
pub struct Receiver<H, S = MemoryStore> {
    auth: Auth,
    handler: H,
    store: S,
    body_limit: usize,
    callback_path: String,
    token_path: String,
}

impl<H, S> fmt::Debug for Receiver<H, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("auth", &self.auth)
            .field("body_limit", &self.body_limit)
            .field("callback_path", &self.callback_path)
            .field("token_path", &self.token_path)
            .finish_non_exhaustive()
    }
}

/// The callback route at `/` and, for [`Auth::bearer`], the token route at `/token`, with the
/// defaults of [`Receiver`]: a 256 KiB body limit and a [`MemoryStore`] of 100,000 events.
///
/// Available with the `axum` feature.
///
/// Merge it into an application, or nest it under a prefix:
///
/// ```
/// use kaleyra::callback::{self, Auth, Callback, Content, StatusState};
///
/// async fn on_callback(callback: Callback<'static>) -> Result<(), String> {
///     for status in callback.statuses() {
///         if status.state == StatusState::Failed {
///             eprintln!("{} failed: {:?}", status.id, status.errors);
///         }
///     }
///     for message in callback.messages() {
///         if let Content::Text(text) = &message.content {
///             println!("{} wrote {}", message.from, text.body);
///         }
///     }
///     Ok(())
/// }
///
/// # fn main() -> Result<(), kaleyra::Error> {
/// let auth = Auth::header("x-kaleyra-secret", "a-long-shared-secret")?;
/// let app = axum::Router::new().nest("/kaleyra", callback::router(auth, on_callback));
/// # let _: axum::Router = app;
/// # Ok(()) }
/// ```
pub fn router<H: Handler>(auth: Auth, handler: H) -> Router {
    Receiver::new(auth, handler).into_router()
}

impl<H: Handler> Receiver<H> {
    /// A receiver with the defaults: callbacks at `/`, tokens at `/token`, a 256 KiB body
    /// limit, a [`MemoryStore`] of 100,000 events.
    pub fn new(auth: Auth, handler: H) -> Self {
        Receiver {
            auth,
            handler,
            store: MemoryStore::default(),
            body_limit: DEFAULT_BODY_LIMIT,
            callback_path: "/".to_owned(),
            token_path: "/token".to_owned(),
        }
    }
}

/// Whether `path` is a plain route path axum accepts as is: `/` then letters, digits and
/// `-._~/` (no captures, no wildcards).
fn check_path(setting: &'static str, path: &str) -> Result<(), Error> {
    let plain = path.starts_with('/')
        && !path.contains("//")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'));
    if plain {
        Ok(())
    } else {
        Err(ConfigError::new(
            setting,
            format!(
                "{path:?} is not a plain path: start with `/`, then letters, digits and `-._~/`"
            ),
        )
        .into())
    }
}

impl<H: Handler, S: DedupStore> Receiver<H, S> {
    /// The largest body accepted; a larger one is answered `413`.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Where the receiver remembers the events it has handed over (default: a
    /// [`MemoryStore`]); give a shared store when several instances receive callbacks, and an
    /// `Arc` of one store to several receivers of one process:
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use kaleyra::callback::{Auth, Callback, MemoryStore, Receiver};
    ///
    /// # fn main() -> Result<(), kaleyra::Error> {
    /// async fn on_callback(callback: Callback<'static>) -> Result<(), String> {
    ///     println!("{} statuses", callback.statuses().len());
    ///     Ok(())
    /// }
    /// let store = Arc::new(MemoryStore::default());
    /// let app: axum::Router = axum::Router::new()
    ///     .nest(
    ///         "/kaleyra/a",
    ///         Receiver::new(Auth::header("x-kaleyra-secret", "a-long-shared-secret")?, on_callback)
    ///             .dedup(Arc::clone(&store))
    ///             .into_router(),
    ///     )
    ///     .nest(
    ///         "/kaleyra/b",
    ///         Receiver::new(Auth::basic("kaleyra", "another-long-secret")?, on_callback)
    ///             .dedup(Arc::clone(&store)) // an event handed over by the other route is a duplicate
    ///             .into_router(),
    ///     );
    /// # Ok(()) }
    /// ```
    pub fn dedup<S2: DedupStore>(self, store: S2) -> Receiver<H, S2> {
        Receiver {
            auth: self.auth,
            handler: self.handler,
            store,
            body_limit: self.body_limit,
            callback_path: self.callback_path,
            token_path: self.token_path,
        }
    }

    /// The callback route's path (default `/`): the endpoint of the callback profile.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if it is not a plain path or is the token route's.
    pub fn callback_path(mut self, path: impl Into<String>) -> Result<Self, Error> {
        let path = path.into();
        check_path("callback path", &path)?;
        if path == self.token_path {
            return Err(ConfigError::new("callback path", "is the token route's path").into());
        }
        self.callback_path = path;
        Ok(self)
    }

    /// The token route's path (default `/token`): the auth URL of the callback profile's
    /// advanced authentication. Only served with [`Auth::bearer`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if it is not a plain path or is the callback route's.
    pub fn token_path(mut self, path: impl Into<String>) -> Result<Self, Error> {
        let path = path.into();
        check_path("token path", &path)?;
        if path == self.callback_path {
            return Err(ConfigError::new("token path", "is the callback route's path").into());
        }
        self.token_path = path;
        Ok(self)
    }

    /// The router, for any application state.
    pub fn into_router<T: Clone + Send + Sync + 'static>(self) -> Router<T> {
        let issues_tokens = self.auth.issues_tokens();
        let inner = Arc::new(Inner {
            auth: self.auth.clone(),
            handler: self.handler,
            store: self.store,
            body_limit: self.body_limit,
        });
        let callbacks = Router::new()
            .route(&self.callback_path, post(receive::<H, S>))
            .with_state(inner);
        if issues_tokens {
            let tokens = Router::new()
                // POST only (RFC 6749 §3.2: the client "MUST use the HTTP POST method"); other
                // methods get 405.
                .route(&self.token_path, post(token))
                .with_state(self.auth);
            callbacks.merge(tokens)
        } else {
            callbacks
        }
    }
}

struct Inner<H, S> {
    auth: Auth,
    handler: H,
    store: S,
    body_limit: usize,
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn unauthorized(challenge: Option<HeaderValue>) -> Response {
    let mut response = text(StatusCode::UNAUTHORIZED, "unauthorized\n");
    if let Some(challenge) = challenge {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

fn too_large() -> Response {
    text(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n")
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the body up to `limit` bytes; `Err` is the answer when it cannot.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Response> {
    if content_length(headers).is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    to_bytes(body, limit).await.map_err(|e| {
        let e = e.into_inner();
        if e.downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            too_large()
        } else {
            tracing::warn!(error = %e, "Kaleyra callback: could not read the body");
            text(StatusCode::BAD_REQUEST, "could not read the body\n")
        }
    })
}

/// What becomes of the keys a delivery claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finish {
    /// The handler took them: done.
    Complete,
    /// Not handed over (the handler failed, another delivery holds one of the events, or the
    /// request was dropped first): forgotten, so that a redelivery reaches the handler.
    Release,
}

impl Finish {
    async fn apply<S: DedupStore>(self, store: &S, key: &str) {
        match self {
            Finish::Complete => store.complete(key).await,
            Finish::Release => store.release(key).await,
        }
    }
}

/// The keys a delivery claimed, finished (completed or released) even when the request future
/// is dropped half-way (the client hung up, a timeout layer, a shutdown): a key left in progress
/// would answer every redelivery `503`.
struct Claimed<H: Handler, S: DedupStore> {
    inner: Arc<Inner<H, S>>,
    /// Claimed and not finished yet.
    keys: Vec<String>,
    /// What the drop does with the keys left: release until the handler has succeeded.
    finish: Finish,
}

impl<H: Handler, S: DedupStore> Claimed<H, S> {
    async fn finish(mut self, finish: Finish) {
        self.finish = finish;
        // A key leaves the list only once its call has returned: if this future is dropped
        // during the call, the drop makes it again (the store's calls are idempotent).
        while let Some(key) = self.keys.last() {
            finish.apply(&self.inner.store, key).await;
            self.keys.pop();
        }
    }
}

impl<H: Handler, S: DedupStore> Drop for Claimed<H, S> {
    fn drop(&mut self) {
        if self.keys.is_empty() {
            return;
        }
        let keys = std::mem::take(&mut self.keys);
        let (inner, finish) = (Arc::clone(&self.inner), self.finish);
        match tokio::runtime::Handle::try_current() {
            // Spawned, so that it runs to the end whatever happens to the request.
            Ok(runtime) => {
                runtime.spawn(async move {
                    for key in keys {
                        finish.apply(&inner.store, &key).await;
                    }
                });
            }
            Err(_) => tracing::warn!(
                keys = keys.len(),
                "Kaleyra callback dropped outside a runtime: its claims stay in progress until the store expires them"
            ),
        }
    }
}

async fn receive<H: Handler, S: DedupStore>(
    State(inner): State<Arc<Inner<H, S>>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    if !inner.auth.check(&parts.headers) {
        tracing::warn!("Kaleyra callback refused: missing or wrong credentials");
        return unauthorized(inner.auth.challenge());
    }
    let bytes = match read_body(&parts.headers, body, inner.body_limit).await {
        Ok(bytes) => bytes,
        Err(answer) => return answer,
    };
    let mut callback = match Callback::from_slice(&bytes) {
        Ok(callback) => callback,
        Err(e) => {
            tracing::warn!(error = %e, bytes = bytes.len(), "Kaleyra callback: malformed body");
            return text(StatusCode::BAD_REQUEST, "not a Kaleyra callback\n");
        }
    };

    // Claim every event; keep the new ones.
    let mut claimed = Claimed {
        inner: Arc::clone(&inner),
        keys: Vec::new(),
        finish: Finish::Release,
    };
    let mut busy = false;
    let had_events = !callback.is_empty();
    let keys: Vec<Option<String>> = callback
        .statuses()
        .iter()
        .map(status_key)
        .chain(callback.messages().iter().map(message_key))
        .chain(callback.template_statuses().iter().map(template_status_key))
        .collect();
    // A repeat of an event earlier in the same body is dropped before claiming: claiming it
    // would find the first copy's claim in progress (and answer 503 to every delivery).
    let mut repeat = vec![false; keys.len()];
    if keys.len() > 1 {
        let mut first = HashSet::with_capacity(keys.len());
        for (key, repeat) in keys.iter().zip(&mut repeat) {
            if let Some(key) = key {
                *repeat = !first.insert(key.as_str());
            }
        }
    }
    let mut keep = Vec::with_capacity(keys.len());
    for (key, repeat) in keys.into_iter().zip(repeat) {
        let Some(key) = key else {
            // No id: nothing to recognize a redelivery by; always handed over.
            keep.push(true);
            continue;
        };
        if repeat {
            keep.push(false);
            continue;
        }
        match inner.store.claim(&key).await {
            Claim::New => {
                claimed.keys.push(key);
                keep.push(true);
            }
            Claim::InProgress => {
                busy = true;
                keep.push(false);
            }
            Claim::Done => keep.push(false),
        }
    }
    if busy {
        claimed.finish(Finish::Release).await;
        tracing::debug!("Kaleyra callback: the same event is being handled; answering 503");
        let mut answer = text(StatusCode::SERVICE_UNAVAILABLE, "being handled, retry\n");
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return answer;
    }
    let (keep_statuses, rest) = keep.split_at(callback.statuses().len());
    let (keep_messages, keep_templates) = rest.split_at(callback.messages().len());
    let (mut statuses, mut messages) = (keep_statuses.iter(), keep_messages.iter());
    let mut templates = keep_templates.iter();
    callback.retain(
        |_| statuses.next().copied().unwrap_or(false),
        |_| messages.next().copied().unwrap_or(false),
    );
    callback.retain_template_statuses(|_| templates.next().copied().unwrap_or(false));
    if had_events && callback.is_empty() {
        tracing::debug!("Kaleyra callback: a redelivery of events already handled");
        return text(StatusCode::OK, "");
    }
    let callback = callback.into_owned();
    drop(bytes);
    match inner.handler.handle(callback).await {
        Ok(()) => {
            claimed.finish(Finish::Complete).await;
            text(StatusCode::OK, "")
        }
        Err(e) => {
            claimed.finish(Finish::Release).await;
            tracing::error!(error = %e, "Kaleyra callback: the handler failed; answering 500 so that Kaleyra redelivers");
            text(StatusCode::INTERNAL_SERVER_ERROR, "handler failed\n")
        }
    }
}

async fn token(State(auth): State<Auth>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_body(&parts.headers, body, TOKEN_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(answer) => return answer,
    };
    let json = |status: StatusCode, body: String| {
        (
            status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
                (header::PRAGMA, "no-cache"),
            ],
            body,
        )
            .into_response()
    };
    match auth.issue(&parts.headers, &bytes) {
        TokenAnswer::Issued { token, expires_in } => {
            let mut body = String::from(r#"{"token_type":"Bearer","expires_in":""#);
            body.push_str(&expires_in.to_string());
            body.push_str(r#"","access_token":"#);
            body.push_str(&crate::json::string(&token));
            body.push('}');
            json(StatusCode::OK, body)
        }
        TokenAnswer::InvalidClient => {
            tracing::warn!("Kaleyra token request refused: missing or wrong client credentials");
            let mut answer = json(
                StatusCode::UNAUTHORIZED,
                r#"{"error":"invalid_client"}"#.to_owned(),
            );
            answer.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"kaleyra-callbacks\""),
            );
            answer
        }
        TokenAnswer::UnsupportedGrant => json(
            StatusCode::BAD_REQUEST,
            r#"{"error":"unsupported_grant_type"}"#.to_owned(),
        ),
        TokenAnswer::NoRandomness => {
            tracing::error!("Kaleyra token request: the system has no randomness to give");
            text(
                StatusCode::SERVICE_UNAVAILABLE,
                "no token available, retry\n",
            )
        }
        TokenAnswer::NotServed => text(StatusCode::NOT_FOUND, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::Duration;

    use tokio::sync::{Notify, Semaphore, watch};

    /// A store whose `complete` and `release` wait at a gate, so that a test can drop the
    /// request in the middle of them (a client hang-up, a timeout layer, a shutdown).
    #[derive(Clone)]
    struct Gated(Arc<GatedInner>);

    struct GatedInner {
        store: MemoryStore,
        /// Told when a `complete` or `release` reaches the gate.
        entered: Notify,
        gate: Semaphore,
        /// How many `complete` / `release` calls went through.
        finished: watch::Sender<usize>,
    }

    impl Gated {
        fn new() -> Gated {
            Gated(Arc::new(GatedInner {
                store: MemoryStore::new(100),
                entered: Notify::new(),
                gate: Semaphore::new(0),
                finished: watch::Sender::new(0),
            }))
        }

        async fn wait(&self) {
            self.0.entered.notify_one();
            let _permit = self.0.gate.acquire().await;
        }
    }

    impl DedupStore for Gated {
        async fn claim(&self, key: &str) -> Claim {
            self.0.store.claim(key).await
        }

        async fn complete(&self, key: &str) {
            self.wait().await;
            self.0.store.complete(key).await;
            self.0.finished.send_modify(|n| *n += 1);
        }

        async fn release(&self, key: &str) {
            self.wait().await;
            self.0.store.release(key).await;
            self.0.finished.send_modify(|n| *n += 1);
        }
    }

    /// Issue 18: a request dropped while its claims were being completed (or released) left the
    /// rest "in progress" forever, and every redelivery got 503.
    async fn dropped_while_finishing(handler_fails: bool) {
        let store = Gated::new();
        let inner = Arc::new(Inner {
            auth: Auth::header("x-secret", "s3cret").unwrap(),
            handler: move |_: Callback<'static>| async move {
                if handler_fails { Err("down") } else { Ok(()) }
            },
            store: store.clone(),
            body_limit: DEFAULT_BODY_LIMIT,
        });
        let body = r#"{"meta_object":{"value":{"statuses":[{"id":"A1","status":"sent"},{"id":"A2","status":"sent"}],"messages":[{"id":"wamid.1","type":"text","text":{"body":"hi"}}]}}}"#;
        let request = Request::builder()
            .method("POST")
            .header("x-secret", "s3cret")
            .body(Body::from(body))
            .unwrap();
        let task = tokio::spawn(receive(State(Arc::clone(&inner)), request));
        store.0.entered.notified().await; // the first complete / release is at the gate
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        // The request is gone; whatever it left is finished now that the store answers.
        store.0.gate.add_permits(100);
        let mut finished = store.0.finished.subscribe();
        // The guard only turns a hang into a failure; nothing here measures time.
        tokio::time::timeout(Duration::from_secs(30), finished.wait_for(|n| *n >= 3))
            .await
            .expect("the claims were left in progress")
            .unwrap();
        let expected = if handler_fails {
            Claim::New
        } else {
            Claim::Done
        };
        for key in ["status/A1/sent", "status/A2/sent", "message/wamid.1"] {
            assert_eq!(store.0.store.claim(key).await, expected, "{key}");
        }
    }

    #[tokio::test]
    async fn a_request_dropped_while_completing_leaves_no_claim_in_progress() {
        dropped_while_finishing(false).await;
    }

    #[tokio::test]
    async fn a_request_dropped_while_releasing_leaves_no_claim_in_progress() {
        dropped_while_finishing(true).await;
    }

    /// Issue 19: a template status callback (Kaleyra's flat body, §4.5) reaches the handler
    /// that receives statuses and messages, once however often it is delivered.
    #[tokio::test]
    async fn a_template_status_reaches_the_handler_once() {
        use std::sync::Mutex;
        let seen: Arc<Mutex<Vec<Callback<'static>>>> = Arc::default();
        let into = Arc::clone(&seen);
        let inner = Arc::new(Inner {
            auth: Auth::header("x-secret", "s3cret").unwrap(),
            handler: move |callback: Callback<'static>| {
                let into = Arc::clone(&into);
                async move {
                    into.lock().unwrap().push(callback);
                    Ok::<(), String>(())
                }
            },
            store: MemoryStore::new(100),
            body_limit: DEFAULT_BODY_LIMIT,
        });
        let body = r#"{"id": "6f1c2d3e", "time": "2026-12-03 10:15:00", "event": "APPROVED",
            "message_template_id": "1234567890123456", "message_template_name": "order_update",
            "message_template_language": "en_US", "reason": "NONE",
            "callback_profile_id": "CP123", "company_id": "Z8aeXXXXXXXXa"}"#;
        for _ in 0..3 {
            let request = Request::builder()
                .method("POST")
                .header("x-secret", "s3cret")
                .body(Body::from(body))
                .unwrap();
            let answer = receive(State(Arc::clone(&inner)), request).await;
            assert_eq!(answer.status(), StatusCode::OK);
        }
        assert_eq!(
            inner.store.claim("template/6f1c2d3e").await,
            Claim::Done,
            "its key is the callback id"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "delivered once");
        let status = &seen[0].template_statuses()[0];
        assert_eq!(status.event, super::super::TemplateEvent::Approved);
        assert_eq!(status.message_template_name, "order_update");
    }

    #[test]
    fn paths() {
        for good in ["/", "/kaleyra", "/a-b/c_d.e~f"] {
            assert!(check_path("p", good).is_ok(), "{good}");
        }
        for bad in ["", "kaleyra", "/{id}", "/*rest", "/:id", "//", "/a b"] {
            assert!(check_path("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_and_callback_paths_differ() {
        let receiver = Receiver::new(
            Auth::basic("u", "p").unwrap(),
            |_: Callback<'static>| async { Ok::<(), String>(()) },
        );
        assert!(receiver.token_path("/").is_err());
    }
}
