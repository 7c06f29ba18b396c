//! Reliability of sending (issue 18): a huge `Retry-After` does not stall a client, a `503`
//! that is not Kaleyra's is ambiguous, response bodies are read up to a cap, and every
//! endpoint goes through the same request path. Against the simulator, or a tiny raw HTTP
//! server on loopback for answers the simulator does not give (an HTML 429 with `Retry-After`,
//! a body of several megabytes).

#![cfg(feature = "mock")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kaleyra::mock::{Fault, MockServer};
use kaleyra::model::AuthenticationTemplate;
use kaleyra::{Client, ClientBuilder, Error, ExtraInfo, Message, Otp, RateLimit, Retry, Template};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Generous: these sends take milliseconds; the bug they catch waits a day.
const PATIENCE: Duration = Duration::from_secs(10);

/// The cap on a response body the client reads.
const CAP: usize = 1 << 20;

fn otp(i: usize) -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").expect("otp"))
        .to("+919876543210")
        .expect("recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

fn builder(url: &str, sid: &str, key: &str, sender: &str) -> ClientBuilder {
    Client::builder()
        .sid(sid)
        .api_key(key)
        .base_url(url)
        .sender(sender)
}

fn mock_client(server: &MockServer, adjust: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
    adjust(builder(
        &server.url(),
        server.sid(),
        server.api_key(),
        server.sender(),
    ))
    .build()
    .expect("client")
}

/// One canned answer of the raw server.
#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Arc<Vec<u8>>,
}

impl Canned {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Canned {
        Canned {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: Arc::new(body.into()),
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Canned {
        self.headers.push((name, value.into()));
        self
    }
}

const ACCEPTED: &str =
    r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"A1"},"error":{}}"#;

/// An HTTP/1.1 server on loopback: one request per connection, answered with the next canned
/// answer (or a 202 acceptance once none is left).
struct RawServer {
    addr: SocketAddr,
    canned: Arc<Mutex<std::collections::VecDeque<Canned>>>,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    async fn start() -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let canned = Arc::new(Mutex::new(std::collections::VecDeque::<Canned>::new()));
        let requests = Arc::new(AtomicUsize::new(0));
        let (c, n) = (canned.clone(), requests.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (c, n) = (c.clone(), n.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let (head_end, length) = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (i + 4, length);
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(k) => buf.extend_from_slice(&chunk[..k]),
                        }
                    };
                    while buf.len() < head_end + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(k) => buf.extend_from_slice(&chunk[..k]),
                        }
                    }
                    n.fetch_add(1, Ordering::SeqCst);
                    let answer = c
                        .lock()
                        .expect("canned")
                        .pop_front()
                        .unwrap_or_else(|| Canned::new(202, "application/json", ACCEPTED));
                    let mut head = format!("HTTP/1.1 {} Canned\r\n", answer.status);
                    for (name, value) in &answer.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str(&format!(
                        "content-length: {}\r\nconnection: close\r\n\r\n",
                        answer.body.len()
                    ));
                    // The client may stop reading a long body: write errors are expected.
                    if stream.write_all(head.as_bytes()).await.is_ok() {
                        let _ = stream.write_all(&answer.body).await;
                    }
                    let _ = stream.shutdown().await;
                });
            }
        });
        RawServer {
            addr,
            canned,
            requests,
        }
    }

    fn answer(&self, canned: Canned) {
        self.canned.lock().expect("canned").push_back(canned);
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn builder(&self) -> ClientBuilder {
        builder(
            &format!("http://{}", self.addr),
            "HXAP1",
            "k",
            "+15550001234",
        )
        .waba_id("1090")
        .rate_limit(RateLimit::off())
    }
}

// ---------------------------------------------------------------------------------------------
// 1. A huge Retry-After pauses the client only up to the bound
// ---------------------------------------------------------------------------------------------

/// Kaleyra's WA429 with `Retry-After: 1000000000` (about 31 years): the send that got it fails
/// (longer than the retry policy's `max_retry_after`), and the client's next sends, from it or
/// a clone, `send` or `send_all`, wait at most that bound instead of a day.
#[tokio::test]
async fn a_huge_retry_after_pauses_the_clients_sends_only_up_to_the_bound() -> TestResult {
    let server = MockServer::start().await;
    let client = mock_client(&server, |b| {
        b.rate_limit(RateLimit::per_second(80))
            .retry(Retry::new(2).max_retry_after(Duration::from_millis(300)))
    });
    server.fail_next(
        1,
        Fault::rate_limited(Some(Duration::from_secs(1_000_000_000))),
    );
    let e = client.send(&otp(0)).await.err().ok_or("expected WA429")?;
    assert!(e.is_throttled(), "{e}");
    assert_eq!(
        server.received().len(),
        1,
        "a wait that long is not retried"
    );

    let clone = client.clone();
    let sent = tokio::time::timeout(PATIENCE, clone.send(&otp(1))).await;
    assert!(
        matches!(sent, Ok(Ok(_))),
        "the clone's send after the pause: {sent:?}"
    );
    let all = tokio::time::timeout(
        PATIENCE,
        client
            .send_all((2..5).map(otp))
            .concurrency(3)
            .collect_all(),
    )
    .await?;
    assert!(all.iter().all(|(_, r)| r.is_ok()), "{all:?}");
    Ok(())
}

/// The same with an HTML 429 from a proxy (not Kaleyra's JSON) carrying a huge `Retry-After`,
/// and with no retry policy at all: the pause is bounded all the same.
#[tokio::test]
async fn an_html_429_with_a_huge_retry_after_does_not_stall_the_client() -> TestResult {
    let server = RawServer::start().await;
    server.answer(
        Canned::new(
            429,
            "text/html",
            "<html><h1>429 Too Many Requests</h1></html>",
        )
        .header("retry-after", "1000000000"),
    );
    let client = server
        .builder()
        .rate_limit(RateLimit::per_second(80))
        .retry(Retry::none().max_retry_after(Duration::from_millis(300)))
        .build()?;
    let e = client.send(&otp(0)).await.err().ok_or("expected a 429")?;
    assert!(matches!(e, Error::Decode(_)) && e.is_throttled(), "{e:?}");
    let sent = tokio::time::timeout(PATIENCE, client.send(&otp(1))).await;
    assert!(matches!(sent, Ok(Ok(_))), "{sent:?}");
    assert_eq!(server.requests(), 2);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 2. A 503 that is not Kaleyra's is ambiguous
// ---------------------------------------------------------------------------------------------

/// A gateway's HTML 503 may come after the upstream received the request: a safe-only retry
/// policy does not send it again, and the error says it may have been accepted.
#[tokio::test]
async fn a_503_that_is_not_kaleyras_is_ambiguous_and_not_retried_by_a_safe_only_policy()
-> TestResult {
    let server = MockServer::start().await;
    let client = mock_client(&server, |b| {
        b.rate_limit(RateLimit::off())
            .retry(Retry::new(3).backoff(Duration::from_millis(1)))
    });
    server.fail_next(
        4,
        Fault::status(503, "<html><h1>503 Service Unavailable</h1></html>"),
    );
    let e = client.send(&otp(0)).await.err().ok_or("expected a 503")?;
    assert!(matches!(e, Error::Decode(_)), "{e:?}");
    assert!(e.is_ambiguous() && !e.is_retryable(), "{e}");
    assert_eq!(server.received().len(), 1, "not retried");
    Ok(())
}

#[test]
fn only_kaleyras_try_again_later_is_retryable_among_5xx() {
    let body = |code: &str| {
        format!(
            r#"{{"code":"{code}","message":"Please try again later","data":{{}},"error":{{}}}}"#
        )
    };
    for status in [500, 502, 503, 504] {
        for code in ["WA500", "WA-500"] {
            let e = kaleyra::response::send(status, None, body(code).as_bytes()).unwrap_err();
            assert!(
                e.is_retryable() && !e.is_ambiguous(),
                "{status} {code}: {e}"
            );
        }
        // Any other code in a 5xx, Kaleyra's shape or not, may have been accepted.
        for code in ["XYZ", "WA429", "WA400", ""] {
            let e = kaleyra::response::send(status, None, body(code).as_bytes()).unwrap_err();
            assert!(
                e.is_ambiguous() && !e.is_retryable(),
                "{status} {code}: {e}"
            );
        }
        for html in ["<html>busy</html>", ""] {
            let e = kaleyra::response::send(status, Some(b"1"), html.as_bytes()).unwrap_err();
            assert!(
                e.is_ambiguous() && !e.is_retryable(),
                "{status} {html:?}: {e}"
            );
        }
    }
    // A 429 from a proxy is a refusal: nothing was accepted.
    let e = kaleyra::response::send(429, None, b"<html>slow down</html>").unwrap_err();
    assert!(e.is_retryable() && e.is_throttled());
}

// ---------------------------------------------------------------------------------------------
// 6. Response bodies are read up to a cap
// ---------------------------------------------------------------------------------------------

/// A 4 MiB error page: the client reads at most 1 MiB of it, keeps at most that in the error,
/// and says so; for a send, a publish and a GET (the one request path).
#[tokio::test]
async fn a_huge_body_is_read_up_to_the_cap_and_the_error_says_so() -> TestResult {
    let server = RawServer::start().await;
    let client = server.builder().build()?;
    let huge = |status: u16| Canned::new(status, "text/html", vec![b'x'; 4 * CAP]);
    let check = |e: &Error, status: u16| match e {
        Error::Decode(d) => {
            assert_eq!(d.status(), Some(status));
            assert!(d.body().len() <= CAP, "{} bytes kept", d.body().len());
            assert!(d.body_truncated(), "{d}");
            let shown = d.to_string();
            assert!(shown.contains("1 MiB"), "{shown}");
        }
        other => panic!("{other:?}"),
    };

    server.answer(huge(500));
    let e = client.send(&otp(0)).await.err().ok_or("expected a 500")?;
    check(&e, 500);
    assert!(e.is_ambiguous());

    // A 2xx that long: accepted, but its id cannot be read; not ambiguous, not retryable.
    server.answer(huge(202));
    let e = client
        .send(&otp(1))
        .await
        .err()
        .ok_or("expected a decode error")?;
    check(&e, 202);
    assert!(!e.is_ambiguous() && !e.is_retryable());

    server.answer(huge(502));
    let e = client
        .publish_flow("1234567890")
        .await
        .err()
        .ok_or("expected a 502")?;
    check(&e, 502);

    // Kaleyra's JSON body padded past the cap is cut, not parsed.
    let mut padded = br#"{"code":"WA400","message":"x","data":{},"error":{},"pad":""#.to_vec();
    padded.resize(2 * CAP, b' ');
    padded.extend_from_slice(br#""}"#);
    server.answer(Canned::new(400, "application/json", padded));
    let e = client.send(&otp(2)).await.err().ok_or("expected a 400")?;
    check(&e, 400);

    // A body just under the cap is read whole.
    let mut fits = ACCEPTED.as_bytes().to_vec();
    fits.resize(CAP - 1, b' ');
    server.answer(Canned::new(202, "application/json", fits));
    let accepted = client.send(&otp(3)).await?;
    assert_eq!(accepted.message_id, "A1");
    Ok(())
}
