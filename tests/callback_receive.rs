//! `kaleyra::callback::router` over real HTTP on 127.0.0.1: each authentication option accepts
//! the right credential and refuses wrong, missing and timing-attack-shaped ones with 401 before
//! reading the body; bodies over the limit get 413, malformed ones 400 (logged); the same event
//! reaches the handler once; a handler error answers 500 so that the redelivery gets through.

#![cfg(feature = "axum")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kaleyra::callback::{self, Auth, Callback, MemoryStore, Receiver, StatusState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SECRET: &str = "s3cr3t-shared-with-kaleyra";

/// A status callback for message `id` in state `state`.
fn status(id: &str, state: &str) -> String {
    format!(
        r#"{{"meta_object":{{"value":{{"messaging_product":"whatsapp","statuses":[{{"id":"{id}","status":"{state}","timestamp":"1722834665","recipient_id":"919876543210"}}]}},"field":"messages"}},"extra_info":{{"ref":"order-1"}},"status":"{state}","message_id":"wamid.{id}"}}"#
    )
}

/// What the user's handler saw, and how it behaves.
#[derive(Clone, Default)]
struct Seen {
    callbacks: Arc<Mutex<Vec<Callback<'static>>>>,
    /// The next `n` calls fail.
    fail: Arc<AtomicUsize>,
}

impl Seen {
    fn handler(
        &self,
    ) -> impl Fn(Callback<'static>) -> std::future::Ready<Result<(), String>>
    + Clone
    + Send
    + Sync
    + 'static {
        let seen = self.clone();
        move |callback| {
            seen.callbacks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(callback);
            let failing = seen
                .fail
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            std::future::ready(if failing {
                Err("the database is down".to_owned())
            } else {
                Ok(())
            })
        }
    }

    fn count(&self) -> usize {
        self.callbacks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    fn states(&self) -> Vec<(String, StatusState<'static>)> {
        self.callbacks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .flat_map(|c| {
                c.statuses()
                    .iter()
                    .map(|s| (s.id.to_string(), s.state.clone()))
            })
            .collect()
    }
}

/// Serves `router` on 127.0.0.1 and returns its base URL.
async fn serve(router: axum::Router) -> Result<String, std::io::Error> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(format!("http://{addr}"))
}

async fn post(
    url: &str,
    body: impl Into<reqwest::Body>,
    adjust: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, reqwest::Error> {
    let client = reqwest::Client::new();
    adjust(
        client
            .post(url)
            .header("content-type", "application/json")
            .body(body),
    )
    .send()
    .await
}

#[tokio::test]
async fn header_secret() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let body = status("A1", "sent");

    let right = post(&url, body.clone(), |r| r.header("x-kaleyra-secret", SECRET)).await?;
    assert_eq!(right.status(), 200);
    assert_eq!(seen.count(), 1);

    let mut same_length = SECRET.to_owned();
    same_length.pop();
    same_length.push('X');
    let wrong = [
        Some("wrong".to_owned()),
        Some(String::new()),
        Some(SECRET[..SECRET.len() - 1].to_owned()), // a prefix of the secret
        Some(format!("{SECRET}x")),                  // the secret, then more
        Some(same_length),                           // same length, last byte differs
        Some(SECRET.to_uppercase()),
        None, // missing
    ];
    for value in wrong {
        let answer = post(&url, body.clone(), |r| match &value {
            Some(v) => r.header("x-kaleyra-secret", v.as_str()),
            None => r,
        })
        .await?;
        assert_eq!(answer.status(), 401, "{value:?}");
    }
    // Right value, wrong header name.
    let answer = post(&url, body, |r| r.header("x-kaleyra-secrets", SECRET)).await?;
    assert_eq!(answer.status(), 401);
    assert_eq!(seen.count(), 1, "no refused request reached the handler");
    Ok(())
}

#[tokio::test]
async fn basic() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::basic("kaleyra", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let body = status("A1", "sent");

    let right = post(&url, body.clone(), |r| {
        r.basic_auth("kaleyra", Some(SECRET))
    })
    .await?;
    assert_eq!(right.status(), 200);

    let prefix = &SECRET[..SECRET.len() - 1];
    let same_length = format!("{prefix}Y");
    let longer = format!("{SECRET}!");
    for (user, password) in [
        ("kaleyra", "wrong"),
        ("kaleyra", ""),
        ("kaleyra", prefix),
        ("kaleyra", same_length.as_str()),
        ("kaleyra", longer.as_str()),
        ("kaleyrA", SECRET),
        ("", SECRET),
    ] {
        let answer = post(&url, body.clone(), |r| r.basic_auth(user, Some(password))).await?;
        assert_eq!(answer.status(), 401, "{user}:{password}");
        assert!(
            answer
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("Basic ")),
        );
    }
    for header in [
        None,
        Some("Basic"),
        Some("Basic !!notbase64"),
        Some(format!("Bearer {SECRET}").as_str()),
    ] {
        let answer = post(&url, body.clone(), |r| match header {
            Some(h) => r.header("authorization", h),
            None => r,
        })
        .await?;
        assert_eq!(answer.status(), 401, "{header:?}");
    }
    assert_eq!(seen.count(), 1);
    Ok(())
}

async fn token(url: &str, form: &str) -> Result<(u16, serde_json::Value), reqwest::Error> {
    let answer = reqwest::Client::new()
        .post(format!("{url}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await?;
    let status = answer.status().as_u16();
    let bytes = answer.bytes().await?;
    Ok((status, serde_json::from_slice(&bytes).unwrap_or_default()))
}

#[tokio::test]
async fn bearer_from_the_token_route() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::bearer("kaleyra-client", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let callbacks = format!("{url}/");
    let body = status("A1", "sent");

    // Kaleyra's "advanced authentication": fetch a token with the client id and secret...
    let (code, answer) = token(
        &url,
        &format!("grant_type=client_credentials&client_id=kaleyra-client&client_secret={SECRET}"),
    )
    .await?;
    assert_eq!(code, 200, "{answer}");
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], "3600");
    let access = answer["access_token"]
        .as_str()
        .ok_or("access_token")?
        .to_owned();
    assert!(access.len() >= 40);

    // ... then send callbacks with it.
    let right = post(&callbacks, body.clone(), |r| r.bearer_auth(&access)).await?;
    assert_eq!(right.status(), 200);

    let mut same_length = access.clone();
    let last = same_length.pop().ok_or("empty")?;
    same_length.push(if last == 'A' { 'B' } else { 'A' });
    for presented in [
        "wrong".to_owned(),
        access[..access.len() - 1].to_owned(),
        format!("{access}A"),
        same_length,
        String::new(),
    ] {
        let answer = post(&callbacks, body.clone(), |r| r.bearer_auth(&presented)).await?;
        assert_eq!(answer.status(), 401, "{presented}");
    }
    let missing = post(&callbacks, body.clone(), |r| r).await?;
    assert_eq!(missing.status(), 401);
    // The client secret itself is not a token.
    let secret = post(&callbacks, body.clone(), |r| r.bearer_auth(SECRET)).await?;
    assert_eq!(secret.status(), 401);
    assert_eq!(seen.count(), 1);

    // The token route refuses wrong client credentials, and grants other than client credentials.
    let prefix = &SECRET[..SECRET.len() - 1];
    for form in [
        "client_id=kaleyra-client&client_secret=wrong".to_owned(),
        format!("client_id=kaleyra-client&client_secret={prefix}"),
        format!("client_id=kaleyra-clienT&client_secret={SECRET}"),
        "grant_type=client_credentials".to_owned(),
        String::new(),
    ] {
        let (code, answer) = token(&url, &form).await?;
        assert_eq!(
            (code, answer["error"].as_str()),
            (401, Some("invalid_client")),
            "{form}"
        );
    }
    let (code, answer) = token(
        &url,
        &format!("grant_type=password&client_id=kaleyra-client&client_secret={SECRET}"),
    )
    .await?;
    assert_eq!(
        (code, answer["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );

    // The client id and secret in a Basic header, or in a JSON body, work too.
    let basic = reqwest::Client::new()
        .post(format!("{url}/token"))
        .basic_auth("kaleyra-client", Some(SECRET))
        .send()
        .await?;
    assert_eq!(basic.status(), 200);
    let json = reqwest::Client::new()
        .post(format!("{url}/token"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"client_id":"kaleyra-client","client_secret":"{SECRET}"}}"#
        ))
        .send()
        .await?;
    assert_eq!(json.status(), 200);
    let second: serde_json::Value = serde_json::from_slice(&json.bytes().await?)?;
    let second = second["access_token"]
        .as_str()
        .ok_or("access_token")?
        .to_owned();
    assert_ne!(second, access, "each token is fresh");
    // Both tokens are accepted while they live.
    let answer = post(&callbacks, status("A2", "sent"), |r| r.bearer_auth(&second)).await?;
    assert_eq!(answer.status(), 200);
    let answer = post(&callbacks, status("A3", "sent"), |r| r.bearer_auth(&access)).await?;
    assert_eq!(answer.status(), 200);
    Ok(())
}

/// Sends raw bytes and returns the status line's code.
async fn raw(url: &str, request: &[u8]) -> Result<u16, Box<dyn std::error::Error>> {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request).await?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    // The guard only turns a hang into a failure; nothing here measures time.
    tokio::time::timeout(Duration::from_secs(30), async {
        while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Ok::<(), std::io::Error>(())
    })
    .await??;
    let text = String::from_utf8_lossy(&answer);
    Ok(text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status line in {text:?}"))?)
}

#[tokio::test]
async fn refused_before_the_body_is_read() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    // A request that announces a megabyte and sends none of it: if the receiver waited for the
    // body, no answer would come.
    let code = raw(
        &url,
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\nx-kaleyra-secret: wrong\r\n\r\n",
    )
    .await?;
    assert_eq!(code, 401);
    assert_eq!(seen.count(), 0);
    Ok(())
}

#[tokio::test]
async fn body_limit() -> TestResult {
    let seen = Seen::default();
    let app = Receiver::new(Auth::header("x-kaleyra-secret", SECRET)?, seen.handler())
        .body_limit(1024)
        .into_router();
    let url = serve(app).await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);

    // Declared too large: refused without reading it.
    let code = raw(
        &url,
        format!("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1025\r\nx-kaleyra-secret: {SECRET}\r\n\r\n").as_bytes(),
    )
    .await?;
    assert_eq!(code, 413);
    // Sent too large.
    let padded =
        status("A1", "sent").replacen('{', &format!("{{\"pad\":\"{}\",", "x".repeat(1100)), 1);
    assert_eq!(post(&url, padded, auth).await?.status(), 413);
    // Too large in chunks, with no length announced.
    let mut chunked = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nx-kaleyra-secret: {SECRET}\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..3 {
        chunked.extend_from_slice(format!("200\r\n{}\r\n", "x".repeat(512)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(raw(&url, &chunked).await?, 413);
    // At the limit: fine.
    let body = status("A1", "sent");
    let fitting = body.replacen(
        '{',
        &format!("{{\"pad\":\"{}\",", "x".repeat(1024 - body.len() - 9)),
        1,
    );
    assert_eq!(fitting.len(), 1024);
    assert_eq!(post(&url, fitting, auth).await?.status(), 200);
    assert_eq!(seen.count(), 1);
    Ok(())
}

/// Captures `tracing` events' messages and fields (the receiver's logs).
struct Capture(Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={value:?} ", field.name()));
            }
        }
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn malformed_bodies_get_400_and_are_logged() -> TestResult {
    let logs = Arc::new(Mutex::new(Vec::new()));
    // One thread: the server's tasks log into this subscriber too.
    let _guard = tracing::subscriber::set_default(Capture(Arc::clone(&logs)));
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    // Kaleyra's printed sample: a comma after the last member.
    let trailing_comma = format!("{},}}", status("A1", "sent").trim_end_matches('}'));
    for body in [
        "not json".to_owned(),
        "{}".to_owned(),
        r#"{"meta_object": 1}"#.to_owned(),
        trailing_comma,
        "\u{0}\u{1}".to_owned(),
        String::new(),
    ] {
        let answer = post(&url, body.clone(), |r| r.header("x-kaleyra-secret", SECRET)).await?;
        assert_eq!(answer.status(), 400, "{body:?}");
    }
    assert_eq!(seen.count(), 0);
    let logs = logs
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let malformed = logs
        .iter()
        .filter(|l| l.starts_with("WARN") && l.contains("malformed body"))
        .count();
    assert_eq!(malformed, 6, "{logs:#?}");
    assert!(
        logs.iter()
            .any(|l| l.contains("not a Kaleyra v2 callback: expected value at line 1 column 1"))
    );
    Ok(())
}

#[tokio::test]
async fn each_event_reaches_the_handler_once() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);

    for _ in 0..3 {
        assert_eq!(post(&url, status("A1", "sent"), auth).await?.status(), 200);
    }
    assert_eq!(
        post(&url, status("A1", "delivered"), auth).await?.status(),
        200
    );
    assert_eq!(post(&url, status("A2", "sent"), auth).await?.status(), 200);
    assert_eq!(
        seen.states(),
        [
            ("A1".to_owned(), StatusState::Sent),
            ("A1".to_owned(), StatusState::Delivered),
            ("A2".to_owned(), StatusState::Sent),
        ]
    );

    // A callback with a status already handed over and a new one: only the new one.
    let two = status("A2", "sent").replace(
        r#"}]},"field""#,
        r#"},{"id":"A3","status":"read","timestamp":"1","recipient_id":"1"}]},"field""#,
    );
    assert_eq!(post(&url, two.clone(), auth).await?.status(), 200);
    let last = seen
        .callbacks
        .lock()
        .map_err(|_| "poisoned")?
        .last()
        .cloned()
        .ok_or("none")?;
    let ids: Vec<_> = last.statuses().iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, ["A3"]);
    assert_eq!(post(&url, two, auth).await?.status(), 200);
    assert_eq!(seen.count(), 4);

    // Incoming messages are deduplicated by their id.
    let text = r#"{"meta_object":{"value":{"messages":[{"from":"919876543210","id":"wamid.IN1","timestamp":"1","type":"text","text":{"body":"hi"}}]},"field":"messages"}}"#;
    assert_eq!(post(&url, text, auth).await?.status(), 200);
    assert_eq!(post(&url, text, auth).await?.status(), 200);
    assert_eq!(seen.count(), 5);
    Ok(())
}

#[tokio::test]
async fn a_handler_error_is_a_500_and_the_redelivery_gets_through() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);
    seen.fail.store(2, Ordering::SeqCst);
    let body = status("A1", "delivered");
    assert_eq!(post(&url, body.clone(), auth).await?.status(), 500);
    assert_eq!(post(&url, body.clone(), auth).await?.status(), 500);
    assert_eq!(post(&url, body.clone(), auth).await?.status(), 200);
    assert_eq!(
        seen.count(),
        3,
        "each redelivery reached the handler until it succeeded"
    );
    assert_eq!(post(&url, body, auth).await?.status(), 200);
    assert_eq!(seen.count(), 3, "then it is a duplicate");
    Ok(())
}

#[tokio::test]
async fn a_delivery_of_an_event_being_handled_gets_503() -> TestResult {
    let entered = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let calls = Arc::new(AtomicUsize::new(0));
    let handler = {
        let (entered, release, calls) = (
            Arc::clone(&entered),
            Arc::clone(&release),
            Arc::clone(&calls),
        );
        move |_: Callback<'static>| {
            let (entered, release, calls) = (
                Arc::clone(&entered),
                Arc::clone(&release),
                Arc::clone(&calls),
            );
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                entered.notify_one();
                release.notified().await;
                Ok::<(), String>(())
            }
        }
    };
    let url = serve(
        Receiver::new(Auth::header("x-kaleyra-secret", SECRET)?, handler)
            .dedup(MemoryStore::new(16))
            .into_router(),
    )
    .await?;
    let body = status("A1", "read");
    let first = tokio::spawn({
        let (url, body) = (url.clone(), body.clone());
        async move { post(&url, body, |r| r.header("x-kaleyra-secret", SECRET)).await }
    });
    entered.notified().await;
    let second = post(&url, body.clone(), |r| r.header("x-kaleyra-secret", SECRET)).await?;
    assert_eq!(second.status(), 503);
    assert_eq!(
        second.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    release.notify_one();
    assert_eq!(first.await??.status(), 200);
    let third = post(&url, body, |r| r.header("x-kaleyra-secret", SECRET)).await?;
    assert_eq!(third.status(), 200);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    Ok(())
}

#[tokio::test]
async fn mounted_under_a_prefix_in_an_app_with_state() -> TestResult {
    #[derive(Clone)]
    struct AppState;
    let seen = Seen::default();
    let app: axum::Router = axum::Router::<AppState>::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest(
            "/kaleyra",
            Receiver::new(Auth::bearer("kaleyra-client", SECRET)?, seen.handler())
                .callback_path("/callbacks")?
                .into_router(),
        )
        .with_state(AppState);
    let url = serve(app).await?;
    let (code, answer) = token(
        &format!("{url}/kaleyra"),
        &format!("client_id=kaleyra-client&client_secret={SECRET}"),
    )
    .await?;
    assert_eq!(code, 200);
    let access = answer["access_token"].as_str().ok_or("token")?.to_owned();
    let answer = post(
        &format!("{url}/kaleyra/callbacks"),
        status("A1", "sent"),
        |r| r.bearer_auth(&access),
    )
    .await?;
    assert_eq!(answer.status(), 200);
    assert_eq!(seen.count(), 1);
    assert_eq!(
        reqwest::get(format!("{url}/health")).await?.text().await?,
        "ok"
    );
    Ok(())
}

// ------------------------------------------------------------------ reliability (issue 18)

/// A status callback holding `statuses` (each a JSON object) and `messages`.
fn callback_with(statuses: &[String], messages: &[String]) -> String {
    format!(
        r#"{{"meta_object":{{"value":{{"messaging_product":"whatsapp","statuses":[{}],"messages":[{}]}},"field":"messages"}},"extra_info":{{}}}}"#,
        statuses.join(","),
        messages.join(",")
    )
}

fn status_object(id: Option<&str>, state: &str, recipient: &str) -> String {
    let id = id.map(|id| format!(r#""id":{},"#, serde_json::Value::from(id)));
    format!(
        r#"{{{}"status":{},"timestamp":"1722834665","recipient_id":"{recipient}"}}"#,
        id.unwrap_or_default(),
        serde_json::Value::from(state)
    )
}

fn message_object(id: Option<&str>, body: &str) -> String {
    let id = id.map(|id| format!(r#""id":{},"#, serde_json::Value::from(id)));
    format!(
        r#"{{"from":"919876543210",{}"timestamp":"1","type":"text","text":{{"body":"{body}"}}}}"#,
        id.unwrap_or_default()
    )
}

/// (status id, state, recipient) of each status, (message id, body) of each message.
type Events = (Vec<(String, String, String)>, Vec<(String, String)>);

impl Seen {
    /// What the handler saw.
    fn events(&self) -> Events {
        let callbacks = self
            .callbacks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let statuses = callbacks
            .iter()
            .flat_map(|c| c.statuses().to_vec())
            .map(|s| {
                (
                    s.id.to_string(),
                    s.state.to_string(),
                    s.recipient_id.to_string(),
                )
            })
            .collect();
        let messages = callbacks
            .iter()
            .flat_map(|c| c.messages().to_vec())
            .map(|m| {
                let body = match &m.content {
                    callback::Content::Text(text) => text.body.to_string(),
                    other => other.kind().to_owned(),
                };
                (m.id.to_string(), body)
            })
            .collect();
        (statuses, messages)
    }
}

fn strings(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_repeated_event_within_one_callback_reaches_the_handler_once() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);
    let sent = status_object(Some("A1"), "sent", "919876543210");
    let text = message_object(Some("wamid.IN1"), "hi");
    let body = callback_with(
        &[
            sent.clone(),
            status_object(Some("A2"), "sent", "919876543211"),
            sent,
        ],
        &[text.clone(), text],
    );
    // Before the fix the second copy found the first one's claim "in progress": 503, always.
    for _ in 0..2 {
        assert_eq!(post(&url, body.clone(), auth).await?.status(), 200);
    }
    let (statuses, messages) = seen.events();
    assert_eq!(
        statuses,
        strings(&[
            ("A1", "sent", "919876543210"),
            ("A2", "sent", "919876543211")
        ])
    );
    assert_eq!(messages, [("wamid.IN1".to_owned(), "hi".to_owned())]);
    assert_eq!(seen.count(), 1, "the redelivery is a duplicate");
    Ok(())
}

#[tokio::test]
async fn events_without_an_id_are_never_deduplicated() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);
    let first = callback_with(&[status_object(None, "sent", "919876543210")], &[]);
    let second = callback_with(&[status_object(None, "sent", "919876543211")], &[]);
    let both = callback_with(
        &[
            status_object(None, "read", "919876543212"),
            status_object(Some(""), "read", "919876543213"),
        ],
        &[message_object(None, "one"), message_object(Some(""), "two")],
    );
    for body in [first, second, both] {
        assert_eq!(post(&url, body, auth).await?.status(), 200);
    }
    let (statuses, messages) = seen.events();
    assert_eq!(
        statuses,
        strings(&[
            ("", "sent", "919876543210"),
            ("", "sent", "919876543211"),
            ("", "read", "919876543212"),
            ("", "read", "919876543213"),
        ])
    );
    assert_eq!(
        messages,
        [
            (String::new(), "one".to_owned()),
            (String::new(), "two".to_owned())
        ]
    );
    Ok(())
}

#[tokio::test]
async fn dedup_keys_of_statuses_and_messages_never_collide() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);
    let bodies = [
        // A status whose state is the string `message`, then the message with that id.
        callback_with(&[status_object(Some("wamid.X"), "message", "1")], &[]),
        callback_with(&[], &[message_object(Some("wamid.X"), "hello")]),
        // Ids and states holding the separator.
        callback_with(&[status_object(Some("a/b"), "sent", "2")], &[]),
        callback_with(&[status_object(Some("a"), "b/sent", "3")], &[]),
        callback_with(&[status_object(Some("a%2Fb"), "sent", "4")], &[]),
        callback_with(&[], &[message_object(Some("b/message"), "m1")]),
        callback_with(&[status_object(Some("b"), "message/message", "5")], &[]),
    ];
    for body in bodies {
        assert_eq!(post(&url, body, auth).await?.status(), 200);
    }
    let (statuses, messages) = seen.events();
    assert_eq!(
        statuses,
        strings(&[
            ("wamid.X", "message", "1"),
            ("a/b", "sent", "2"),
            ("a", "b/sent", "3"),
            ("a%2Fb", "sent", "4"),
            ("b", "message/message", "5"),
        ])
    );
    assert_eq!(
        messages,
        [
            ("wamid.X".to_owned(), "hello".to_owned()),
            ("b/message".to_owned(), "m1".to_owned())
        ]
    );
    Ok(())
}

#[tokio::test]
async fn arrays_in_place_of_objects_get_400() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::header("x-kaleyra-secret", SECRET)?,
        seen.handler(),
    ))
    .await?;
    let auth = |r: reqwest::RequestBuilder| r.header("x-kaleyra-secret", SECRET);
    for body in [
        "[{}]",
        r#"[{"value":{"statuses":[{"id":"A1","status":"sent"}]}}]"#,
        r#"{"meta_object":[{"statuses":[{"id":"A1","status":"sent"}]},"messages"]}"#,
        r#"{"meta_object":{"value":{"statuses":[["A1","delivered","1722834665","919876543210"]]}}}"#,
        r#"{"meta_object":{"value":{"statuses":[{"id":"A1","status":"failed","errors":[[131047,"Re-engagement message"]]}]}}}"#,
        r#"{"meta_object":{"value":{"contacts":[[{"name":"x"},"919876543210"]]}}}"#,
    ] {
        let answer = post(&url, body, auth).await?;
        assert_eq!(answer.status(), 400, "{body}");
    }
    assert_eq!(seen.count(), 0, "no invented status reached the handler");
    Ok(())
}

#[tokio::test]
async fn one_store_shared_by_two_receivers() -> TestResult {
    let seen = Seen::default();
    let store = Arc::new(MemoryStore::default());
    // Two receivers (two routes, or two instances of a service) remembering in one store.
    let app = axum::Router::new()
        .nest(
            "/a",
            Receiver::new(Auth::header("x-kaleyra-secret", SECRET)?, seen.handler())
                .dedup(Arc::clone(&store))
                .into_router(),
        )
        .nest(
            "/b",
            Receiver::new(Auth::basic("kaleyra", SECRET)?, seen.handler())
                .dedup(Arc::clone(&store))
                .into_router(),
        );
    let url = serve(app).await?;
    let body = status("A1", "delivered");
    let to_a = post(&format!("{url}/a"), body.clone(), |r| {
        r.header("x-kaleyra-secret", SECRET)
    })
    .await?;
    assert_eq!(to_a.status(), 200);
    let to_b = post(&format!("{url}/b"), body, |r| {
        r.basic_auth("kaleyra", Some(SECRET))
    })
    .await?;
    assert_eq!(to_b.status(), 200);
    assert_eq!(
        seen.count(),
        1,
        "the redelivery to the other receiver is a duplicate"
    );
    assert_eq!(store.len(), 1);
    Ok(())
}

#[tokio::test]
async fn the_token_route_answers_post_only() -> TestResult {
    let url = serve(callback::router(
        Auth::bearer("kaleyra-client", SECRET)?,
        Seen::default().handler(),
    ))
    .await?;
    let client = reqwest::Client::new();
    let query = format!(
        "{url}/token?grant_type=client_credentials&client_id=kaleyra-client&client_secret={SECRET}"
    );
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let answer = client
            .request(method.clone(), &query)
            .basic_auth("kaleyra-client", Some(SECRET))
            .send()
            .await?;
        assert_eq!(answer.status(), 405, "{method}");
        assert_eq!(
            answer.headers().get("allow").map(|v| v.as_bytes()),
            Some(&b"POST"[..])
        );
    }
    let answer = client
        .post(format!("{url}/token"))
        .basic_auth("kaleyra-client", Some(SECRET))
        .send()
        .await?;
    assert_eq!(answer.status(), 200);
    Ok(())
}

#[tokio::test]
async fn a_huge_token_lifetime_is_clamped_to_a_day() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::bearer("kaleyra-client", SECRET)?.token_lifetime(Duration::MAX),
        seen.handler(),
    ))
    .await?;
    // Before the fix: `Instant + Duration::MAX` panicked in every token request.
    let (code, answer) = token(
        &url,
        &format!("grant_type=client_credentials&client_id=kaleyra-client&client_secret={SECRET}"),
    )
    .await?;
    assert_eq!(code, 200, "{answer}");
    assert_eq!(answer["expires_in"], "86400");
    let access = answer["access_token"].as_str().ok_or("access_token")?;
    let answer = post(&format!("{url}/"), status("A1", "sent"), |r| {
        r.bearer_auth(access)
    })
    .await?;
    assert_eq!(answer.status(), 200);
    Ok(())
}

#[tokio::test]
async fn many_concurrent_deliveries_each_with_its_own_token() -> TestResult {
    let seen = Seen::default();
    let url = serve(callback::router(
        Auth::bearer("kaleyra-client", SECRET)?,
        seen.handler(),
    ))
    .await?;
    // 100 deliveries fetch a token each before any of them posts (before the fix, only the
    // last 32 tokens were kept: the first 68 got 401).
    let mut tokens = Vec::new();
    for _ in 0..100 {
        let (code, answer) = token(
            &url,
            &format!("client_id=kaleyra-client&client_secret={SECRET}"),
        )
        .await?;
        assert_eq!(code, 200);
        tokens.push(answer["access_token"].as_str().ok_or("token")?.to_owned());
    }
    for (i, access) in tokens.iter().enumerate() {
        let answer = post(&format!("{url}/"), status(&format!("A{i}"), "sent"), |r| {
            r.bearer_auth(access)
        })
        .await?;
        assert_eq!(answer.status(), 200, "token {i}");
    }
    assert_eq!(seen.count(), 100);
    Ok(())
}
