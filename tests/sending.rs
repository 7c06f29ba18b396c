//! Sending many: `Client::send_all`, the retry policy, the rate limiter's reaction to "too many
//! requests", the counters and the tracing span, against the simulator over real HTTP; and the
//! simulator's own tools for it (fault plans, the per-second limit, the ledger, the bounded log).

#![cfg(feature = "mock")]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kaleyra::mock::{Fault, FaultKind, FaultPlan, MockServer, Receipt};
use kaleyra::model::{AuthenticationTemplate, ProductTemplate};
use kaleyra::{
    ApiErrorKind, Client, ClientBuilder, Error, ExtraInfo, FailureKind, Message, Otp, RateLimit,
    Retry, Route, Template, TransportErrorKind,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn client_with(server: &MockServer, adjust: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
    let builder = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .rate_limit(RateLimit::off());
    match adjust(builder).build() {
        Ok(client) => client,
        Err(e) => panic!("client configuration: {e}"),
    }
}

/// Message `i`: its own reference, so that every body differs.
fn otp(i: usize) -> Message {
    let code = Otp::new(&format!("{:06}", i % 1_000_000)).expect("a valid OTP");
    AuthenticationTemplate::new("auth1", "en_US", code)
        .to("+919876543210")
        .expect("a valid recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

fn reference(body: &[u8]) -> String {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    json["extra_info"]["ref"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn send_all_yields_each_key_once_and_counts_it() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b);
    let rows: Vec<(String, Message)> = (0..50).map(|i| (format!("customer{i}"), otp(i))).collect();
    let mut sending = client.send_all(rows).concurrency(8);
    let mut seen = BTreeMap::new();
    while let Some((key, result)) = sending.next().await {
        assert!(sending.in_progress() <= 8);
        let previous = seen.insert(key, result?.message_id);
        assert!(previous.is_none(), "a key came back twice");
    }
    assert_eq!(seen.len(), 50);
    assert!(seen.contains_key("customer0") && seen.contains_key("customer49"));
    // Every message id is the one the simulator issued for that message.
    let received = server.received();
    assert_eq!(received.len(), 50);
    for request in &received {
        let i: usize = reference(&request.body)[1..].parse()?;
        assert_eq!(
            request.message_id.as_ref(),
            seen.get(&format!("customer{i}"))
        );
    }
    let stats = client.stats();
    assert_eq!((stats.sent, stats.accepted, stats.failed), (50, 50, 0));
    Ok(())
}

#[tokio::test]
async fn unkeyed_messages_come_back_with_their_position() -> TestResult {
    let server = MockServer::start().await;
    // No WABA id: the product template cannot be sent, and nothing is posted for it.
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .build()?;
    let product = ProductTemplate::new("abandoned_cart_offer", "en_US", "nqrxxx03ez", "194")
        .body_parameter("25OFF")
        .body_parameter("25%")
        .to("+16005550234")?;
    let messages = vec![otp(0), product, otp(2)];
    let mut results: Vec<_> = client.send_all(&messages).collect_all().await;
    results.sort_by_key(|(i, _)| *i);
    assert_eq!(results.len(), 3);
    assert!(results[0].1.is_ok() && results[2].1.is_ok());
    match &results[1].1 {
        Err(Error::Config(e)) => assert_eq!(e.setting(), "WABA id"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received().len(), 2);
    let stats = client.stats();
    assert_eq!((stats.sent, stats.accepted, stats.failed), (3, 2, 1));
    assert_eq!(stats.failed_with(FailureKind::Config), 1);
    Ok(())
}

#[tokio::test]
async fn the_input_is_pulled_only_when_there_is_room() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b);
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    let input = (0..1_000).map(move |i| {
        counter.fetch_add(1, Ordering::SeqCst);
        otp(i)
    });
    let mut sending = client.send_all(input).concurrency(4);
    let mut done = 0;
    while let Some((_, result)) = sending.next().await {
        result?;
        done += 1;
        // Never more than the concurrency ahead of what was read.
        assert!(pulled.load(Ordering::SeqCst) <= done + 4);
        if done == 20 {
            break;
        }
    }
    drop(sending);
    assert!(pulled.load(Ordering::SeqCst) <= 24);
    Ok(())
}

#[tokio::test]
async fn a_stream_is_sent_as_it_produces() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b);
    let (tx, rx) = tokio::sync::mpsc::channel::<(u32, Message)>(2);
    let producer = tokio::spawn(async move {
        for i in 0..10u32 {
            if tx.send((i, otp(i as usize))).await.is_err() {
                break;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut keys: Vec<u32> = Vec::new();
    let mut sending = client.send_all(kaleyra::bulk::from_stream(Box::pin(stream)));
    while let Some((key, result)) = sending.next().await {
        result?;
        keys.push(key);
    }
    producer.await?;
    keys.sort_unstable();
    assert_eq!(keys, (0..10).collect::<Vec<_>>());
    Ok(())
}

#[tokio::test]
async fn retries_follow_retry_after_and_never_repeat_an_ambiguous_failure() -> TestResult {
    let server = MockServer::builder().ledger(true).start().await;
    let client = client_with(&server, |b| {
        b.retry(Retry::new(2).backoff(Duration::from_millis(5)))
            .timeout(Duration::from_millis(300))
    });
    // Retried: 429 with Retry-After, WA500. Not retried: reset mid-body, slow answer, a
    // dropped connection, HTML 502, an HTML 503 (a proxy's: it may have been accepted), low
    // balance.
    let other = FailureKind::Transport(TransportErrorKind::Other);
    let cases = [
        (Fault::rate_limited(Some(Duration::from_secs(1))), None),
        (Fault::server_error(), None),
        (
            Fault::status(503, "<html>busy</html>"),
            Some(FailureKind::Decode),
        ),
        (Fault::ResetMidBody, Some(other)),
        (
            Fault::SlowAnswer(Duration::from_millis(600)),
            Some(FailureKind::Transport(TransportErrorKind::Timeout)),
        ),
        (Fault::DropConnection, Some(other)),
        (Fault::bad_gateway_html(), Some(FailureKind::Decode)),
        (
            Fault::LowBalance,
            Some(FailureKind::Api(ApiErrorKind::LowBalance)),
        ),
    ];
    for (i, (fault, failure)) in cases.iter().enumerate() {
        server.fail_next(1, fault.clone());
        let result = client.send(&otp(i)).await;
        assert_eq!(
            result.as_ref().err().map(FailureKind::of),
            *failure,
            "{fault:?}: {result:?}"
        );
        if let Err(e) = &result {
            assert!(!e.is_retryable(), "{fault:?}: {e}");
            // The reset, the slow answer, the drop, the 503 and the 502 may have been accepted.
            assert_eq!(
                e.is_ambiguous(),
                *failure != Some(FailureKind::Api(ApiErrorKind::LowBalance)),
                "{e}"
            );
        }
    }
    let repeats = server.repeats();
    let mut retried: Vec<_> = repeats
        .iter()
        .map(|r| (reference(&r.body), r.receipts.clone()))
        .collect();
    retried.sort_by(|a, b| a.0.cmp(&b.0));
    let first = |fault: FaultKind, status: u16| Receipt::new(status, false, Some(fault));
    let ok = Receipt::new(202, true, None);
    assert_eq!(
        retried,
        [
            (
                "m0".to_owned(),
                vec![first(FaultKind::RateLimited, 429), ok]
            ),
            (
                "m1".to_owned(),
                vec![first(FaultKind::ServerError, 500), ok]
            ),
        ]
    );
    let summary = server.ledger();
    assert_eq!((summary.messages, summary.accepted_twice), (8, 0));
    let stats = client.stats();
    assert_eq!((stats.sent, stats.accepted, stats.failed), (8, 2, 6));
    assert_eq!((stats.retried, stats.throttled), (2, 1));
    assert_eq!(
        stats.failed_with(FailureKind::Transport(TransportErrorKind::Timeout)),
        1
    );
    assert_eq!(
        stats.failed_with(FailureKind::Api(ApiErrorKind::LowBalance)),
        1
    );
    Ok(())
}

#[tokio::test]
async fn ambiguous_failures_are_retried_only_when_asked_and_may_then_arrive_twice() -> TestResult {
    let server = MockServer::builder().ledger(true).start().await;
    let client = client_with(&server, |b| {
        b.retry(
            Retry::new(1)
                .backoff(Duration::from_millis(5))
                .ambiguous(true),
        )
    });
    server.fail_next(1, Fault::ResetMidBody);
    client.send(&otp(1)).await?;
    // The first request was accepted too: the caller allowed a duplicate, and got one.
    let summary = server.ledger();
    assert_eq!(
        (
            summary.messages,
            summary.received_twice,
            summary.accepted_twice
        ),
        (1, 1, 1)
    );
    let repeat = &server.repeats()[0];
    assert_eq!(
        repeat.receipts[0],
        Receipt::new(202, true, Some(FaultKind::ResetMidBody))
    );
    // Permanent errors are still not retried.
    server.fail_next(1, Fault::LowBalance);
    assert!(client.send(&otp(2)).await.is_err());
    assert_eq!(server.ledger().received_twice, 1);
    Ok(())
}

#[tokio::test]
async fn a_retry_after_longer_than_the_cap_ends_the_retries() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| {
        b.retry(Retry::new(3).max_retry_after(Duration::from_secs(2)))
    });
    server.fail_next(1, Fault::rate_limited(Some(Duration::from_secs(30))));
    match client.send(&otp(0)).await {
        Err(e) => {
            assert!(e.is_throttled() && e.is_retryable());
            assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
        }
        Ok(a) => panic!("{a:?}"),
    }
    assert_eq!(server.received().len(), 1);
    Ok(())
}

#[tokio::test]
async fn too_many_requests_slows_the_sender_down_and_not_the_other_route() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b.rate_limit(RateLimit::per_second(1_000)));
    assert_eq!(client.current_rate(Route::Sender), Some(1_000.0));
    server.fail_next(1, Fault::rate_limited(Some(Duration::from_secs(1))));
    let e = client.send(&otp(0)).await.err().ok_or("expected WA429")?;
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    let rate = client.current_rate(Route::Sender).ok_or("limit on")?;
    assert!(rate <= 500.0, "{rate}");
    // Clones share the limiter; the WABA route has its own bucket.
    assert_eq!(client.clone().current_rate(Route::Sender), Some(rate));
    assert_eq!(client.current_rate(Route::Waba), Some(1_000.0));
    assert_eq!(client.stats().throttled, 1);
    Ok(())
}

#[tokio::test]
async fn the_simulators_per_second_limit_answers_wa429_with_retry_after() -> TestResult {
    let server = MockServer::builder().rate_limit(3).start().await;
    let client = client_with(&server, |b| b);
    let mut codes = Vec::new();
    for i in 0..5 {
        codes.push(match client.send(&otp(i)).await {
            Ok(_) => "WA202".to_owned(),
            Err(Error::Api(e)) => {
                assert_eq!(e.status(), 429);
                assert_eq!(e.kind(), ApiErrorKind::RateLimited);
                assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
                e.code().to_owned()
            }
            Err(e) => return Err(e.into()),
        });
    }
    assert_eq!(codes, ["WA202", "WA202", "WA202", "WA429", "WA429"]);
    let counts = server.counts();
    assert_eq!(
        (counts.requests, counts.accepted, counts.rate_limited),
        (5, 3, 2)
    );
    // Publishing is not limited; lifting the limit lets sends through again.
    client.publish_flow(kaleyra::mock::DEFAULT_FLOW_ID).await?;
    server.set_rate_limit(None);
    client.send(&otp(9)).await?;
    Ok(())
}

#[tokio::test]
async fn a_fault_plan_hits_every_nth_request_and_the_log_stays_bounded() -> TestResult {
    let server = MockServer::builder()
        .log_limit(10)
        .faults(FaultPlan::every(
            5,
            [Fault::LowBalance, Fault::bad_gateway_html()],
        ))
        .start()
        .await;
    let client = client_with(&server, |b| b);
    let mut failures = Vec::new();
    let results = client
        .send_all((0..40).map(otp))
        .concurrency(1)
        .collect_all()
        .await;
    for (i, result) in results {
        if let Err(e) = result {
            failures.push((i, FailureKind::of(&e)));
        }
    }
    failures.sort_by_key(|(i, _)| *i);
    let expected: Vec<_> = (1..=8)
        .map(|k| {
            let kind = if k % 2 == 1 {
                FailureKind::Api(ApiErrorKind::LowBalance)
            } else {
                FailureKind::Decode
            };
            (k * 5 - 1, kind)
        })
        .collect();
    assert_eq!(failures, expected);
    let counts = server.counts();
    assert_eq!(
        (
            counts.requests,
            counts.faults,
            counts.refused,
            counts.evicted
        ),
        (40, 8, 8, 30)
    );
    let log = server.received();
    assert_eq!(log.len(), 10);
    assert_eq!(reference(&log[9].body), "m39");
    server.stop_injecting();
    client.send(&otp(100)).await?;
    Ok(())
}

#[tokio::test]
async fn dropping_send_all_cancels_what_is_in_progress() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b);
    server.fail_next(100, Fault::Delay(Duration::from_secs(30)));
    let mut sending = client.send_all((0..100).map(otp)).concurrency(10);
    // Start them, then give up.
    let started = tokio::time::timeout(Duration::from_millis(200), sending.next()).await;
    assert!(started.is_err(), "nothing can finish within the delay");
    assert_eq!(sending.in_progress(), 10);
    drop(sending);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The ten abandoned sends count as cancelled: their outcome is unknown.
    let stats = client.stats();
    assert_eq!((stats.sent, stats.failed, stats.in_flight()), (10, 10, 0));
    assert_eq!(stats.failed_with(FailureKind::Cancelled), 10);
    Ok(())
}

#[test]
fn a_runtime_shut_down_under_send_all_ends_its_messages_with_an_error() -> TestResult {
    let server_rt = tokio::runtime::Runtime::new()?;
    let server = server_rt.block_on(MockServer::start());
    let client = client_with(&server, |b| b);
    // The first three requests hang until the runtime sending them is gone.
    server.fail_next(3, Fault::Delay(Duration::from_secs(30)));
    let mut sending = client.send_all((0..6).map(otp)).concurrency(3);
    let first = tokio::runtime::Runtime::new()?;
    let waited = first
        .block_on(async { tokio::time::timeout(Duration::from_millis(300), sending.next()).await });
    assert!(waited.is_err(), "nothing can end within the delay");
    assert_eq!(sending.in_progress(), 3);
    first.shutdown_timeout(Duration::from_secs(5));
    // Read on in another runtime: the three sends the old one dropped end as errors, the rest
    // are sent from the new one.
    let second = tokio::runtime::Runtime::new()?;
    let results = second.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), sending.collect_all()).await
    })?;
    let mut keys: Vec<usize> = results.iter().map(|(key, _)| *key).collect();
    keys.sort_unstable();
    assert_eq!(keys, (0..6).collect::<Vec<_>>());
    for (key, result) in &results {
        match result {
            Err(Error::Transport(e)) if *key < 3 => {
                assert_eq!(e.kind(), TransportErrorKind::Other);
                assert!(e.to_string().contains("runtime is shutting down"), "{e}");
            }
            Ok(_) if *key >= 3 => {}
            other => panic!("message {key}: {other:?}"),
        }
    }
    Ok(())
}

/// Records the spans and events a send produces (tracing's `Subscriber`, written out here so
/// that no subscriber crate is needed).
#[derive(Default, Clone)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.push(line);
        tracing::span::Id::from_u64(lines.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = "event".to_owned();
        event.record(&mut Fields(&mut line));
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn each_send_is_a_span_with_the_recipient_masked_and_no_key() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| {
        b.retry(Retry::new(1).backoff(Duration::from_millis(1)))
    });
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    server.fail_next(1, Fault::server_error());
    client.send(&otp(7)).await?;
    let text = recorder
        .lines
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .join("\n");
    assert!(
        text.contains("span kaleyra.send kind=Authentication route=Sender to=+91******3210"),
        "{text}"
    );
    for field in [
        "attempts=2",
        "status=202",
        "outcome=\"accepted\"",
        "elapsed_ms=",
        "retrying",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
    assert!(!text.contains("9876543210"), "{text}");
    assert!(!text.contains(server.api_key()), "{text}");
    Ok(())
}

/// A runtime shut down before its `send_all` workers ever ran: the queued messages were never
/// written to the network, so they end with an error that says so (retryable, not ambiguous),
/// and nothing reaches the server.
#[test]
fn a_runtime_shut_down_before_the_workers_ran_ends_the_queued_messages_as_not_sent() -> TestResult {
    let server_rt = tokio::runtime::Runtime::new()?;
    let server = server_rt.block_on(MockServer::start());
    let client = client_with(&server, |b| b);
    let mut sending = client.send_all((0..4).map(otp)).concurrency(4);
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // One poll, without parking: the four are queued and their workers spawned, but a
    // current-thread runtime runs nothing else before this returns.
    let polled = first.block_on(async { futures_util::FutureExt::now_or_never(sending.next()) });
    assert!(polled.is_none());
    assert_eq!(sending.in_progress(), 4);
    drop(first);
    let second = tokio::runtime::Runtime::new()?;
    let results = second.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), sending.collect_all()).await
    })?;
    assert_eq!(results.len(), 4);
    for (key, result) in &results {
        match result {
            Err(e) => {
                assert!(!e.is_ambiguous(), "message {key}: {e}");
                assert!(e.is_retryable(), "message {key}: {e}");
                assert!(e.to_string().contains("not sent"), "message {key}: {e}");
            }
            Ok(a) => panic!("message {key}: {a:?}"),
        }
    }
    assert_eq!(server.received().len(), 0);
    Ok(())
}

/// Only the request on the wire may have been sent: messages waiting for the rate limit when
/// the runtime shuts down end as not sent.
#[test]
fn a_runtime_shut_down_under_send_all_makes_only_requests_in_flight_ambiguous() -> TestResult {
    let server_rt = tokio::runtime::Runtime::new()?;
    let server = server_rt.block_on(MockServer::start());
    // One a second: message 0 starts at once (and hangs), 1 and 2 wait for their slots.
    let client = client_with(&server, |b| b.rate_limit(RateLimit::per_second(1)));
    server.fail_next(1, Fault::Delay(Duration::from_secs(30)));
    let mut sending = client.send_all((0..3).map(otp)).concurrency(3);
    let first = tokio::runtime::Runtime::new()?;
    let waited = first
        .block_on(async { tokio::time::timeout(Duration::from_millis(300), sending.next()).await });
    assert!(waited.is_err(), "nothing can end within the delay");
    first.shutdown_timeout(Duration::from_secs(5));
    let second = tokio::runtime::Runtime::new()?;
    let results = second.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), sending.collect_all()).await
    })?;
    assert_eq!(results.len(), 3);
    for (key, result) in &results {
        let e = result.as_ref().err().ok_or("expected errors")?;
        if *key == 0 {
            assert!(e.is_ambiguous(), "message 0 was on the wire: {e}");
        } else {
            assert!(!e.is_ambiguous() && e.is_retryable(), "message {key}: {e}");
            assert!(e.to_string().contains("not sent"), "message {key}: {e}");
        }
    }
    assert_eq!(server.received().len(), 1);
    Ok(())
}
