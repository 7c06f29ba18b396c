//! Load under faults: many messages through `send_all` at 256 in flight while the simulator
//! injects 2% faults of every kind (WA500, HTML 502, 503, dropped connection, reset mid-body,
//! an answer slower than the client's timeout, a slow but timely answer, low balance, WA429 with
//! Retry-After), chosen by a seeded hash of each request's number.
//!
//! Asserted for each retry policy: every message ends exactly once, as accepted or as one typed
//! error of a kind the faults explain; the counters add up (`requests == messages + retries`);
//! and, from the simulator's ledger, no message arrived twice unless the policy allowed a retry
//! after the fault its earlier arrival got, and none was accepted twice unless ambiguous
//! retries were allowed and an earlier arrival had been accepted unknown to the client.
//!
//! CI runs 20,000 messages with safe retries, and 5,000 with each other policy. The 100,000 run
//! is `#[ignore]`d; `scripts/load-memory.sh` runs it (release build) and reports its time and
//! peak memory, recorded in BENCHMARKS.md.

#![cfg(feature = "mock")]

use std::time::{Duration, Instant};

use kaleyra::mock::{Fault, FaultKind, FaultPlan, MockServer};
use kaleyra::model::AuthenticationTemplate;
use kaleyra::{
    ApiErrorKind, Client, ExtraInfo, FailureKind, Message, Otp, RateLimit, Retry, Template,
    TransportErrorKind,
};

const IN_FLIGHT: usize = 256;
const SHARE: f64 = 0.02;
const TIMEOUT: Duration = Duration::from_secs(5);

/// Every kind of fault, taken in turn by the requests the plan picks.
fn faults() -> Vec<Fault> {
    vec![
        Fault::server_error(),
        Fault::bad_gateway_html(),
        Fault::status(503, "<html><body>503 Service Unavailable</body></html>"),
        Fault::DropConnection,
        Fault::ResetMidBody,
        Fault::SlowAnswer(TIMEOUT + Duration::from_secs(1)),
        Fault::Delay(Duration::from_millis(20)),
        Fault::LowBalance,
        Fault::rate_limited(Some(Duration::from_secs(1))),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    /// `Retry::none()`: nothing is sent twice.
    NoRetries,
    /// `Retry::new(3)`: only what cannot have been accepted is sent again.
    Safe,
    /// `Retry::new(3).ambiguous(true)`: the caller accepts duplicates.
    Ambiguous,
}

impl Policy {
    fn retry(self) -> Retry {
        let retry = Retry::new(3).backoff(Duration::from_millis(10));
        match self {
            Policy::NoRetries => Retry::none(),
            Policy::Safe => retry,
            Policy::Ambiguous => retry.ambiguous(true),
        }
    }

    /// Whether this policy sends a message again after its request got `fault`.
    fn retries_after(self, fault: Option<FaultKind>) -> bool {
        let safe = matches!(
            fault,
            Some(FaultKind::ServerError | FaultKind::Status(503) | FaultKind::RateLimited)
        );
        let ambiguous = matches!(
            fault,
            Some(
                FaultKind::Status(500 | 502)
                    | FaultKind::DropConnection
                    | FaultKind::ResetMidBody
                    | FaultKind::SlowAnswer
            )
        );
        match self {
            Policy::NoRetries => false,
            Policy::Safe => safe,
            Policy::Ambiguous => safe || ambiguous,
        }
    }
}

/// The errors the injected faults can end a message with.
fn explained(kind: FailureKind) -> bool {
    matches!(
        kind,
        FailureKind::Api(
            ApiErrorKind::ServerError | ApiErrorKind::LowBalance | ApiErrorKind::RateLimited
        ) | FailureKind::Decode
            | FailureKind::Transport(TransportErrorKind::Other | TransportErrorKind::Timeout)
    )
}

/// Message `i`: its own OTP and reference, so that every body differs.
fn message(i: usize) -> Message {
    let code = Otp::new(&format!("{:06}", i % 1_000_000)).expect("a valid OTP");
    AuthenticationTemplate::new("auth1", "en_US", code)
        .to("+919876543210")
        .expect("a valid recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

async fn run(messages: usize, policy: Policy, seed: u64) {
    let server = MockServer::builder()
        .ledger(true)
        // The default log bounds (DEFAULT_LOG_LIMIT, DEFAULT_LOG_BYTES): BENCHMARKS.md's memory
        // figure is the defaults'.
        .faults(FaultPlan::random(SHARE, seed, faults()))
        .start()
        .await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .timeout(TIMEOUT)
        .retry(policy.retry())
        // Throughput under faults is measured here; the limiter has its own tests.
        .rate_limit(RateLimit::off())
        .build()
        .expect("client");

    let started = Instant::now();
    // One byte per message: how many times its result came back.
    let mut ended = vec![0u8; messages];
    let (mut accepted, mut failed) = (0u64, 0u64);
    // The simulator's message ids count up from 1 (`A` and 19 digits): one bit each, so that
    // this check costs 12.5 kB per 100,000 messages, not a set of strings.
    let mut ids: Vec<u64> = Vec::new();
    let mut sending = client
        .send_all((0..messages).map(message))
        .concurrency(IN_FLIGHT);
    while let Some((i, result)) = sending.next().await {
        ended[i] += 1;
        match result {
            Ok(a) => {
                accepted += 1;
                let n: usize = a.message_id[1..]
                    .parse()
                    .expect("the simulator's id format");
                let (word, bit) = (n / 64, 1u64 << (n % 64));
                if ids.len() <= word {
                    ids.resize(word + 1, 0);
                }
                assert_eq!(
                    ids[word] & bit,
                    0,
                    "message id {} came back twice",
                    a.message_id
                );
                ids[word] |= bit;
            }
            Err(e) => {
                failed += 1;
                let kind = FailureKind::of(&e);
                assert!(explained(kind), "message {i}: {kind:?}: {e}");
            }
        }
    }
    let elapsed = started.elapsed();

    // Every message ended exactly once.
    let wrong: Vec<_> = ended.iter().enumerate().filter(|(_, n)| **n != 1).collect();
    assert!(wrong.is_empty(), "ended other than once: {wrong:?}");

    // The counters agree with the results, and with the simulator.
    let stats = client.stats();
    let counts = server.counts();
    assert_eq!(stats.sent, messages as u64);
    assert_eq!((stats.accepted, stats.failed), (accepted, failed));
    assert_eq!(counts.requests, messages as u64 + stats.retried);
    assert!(counts.accepted >= accepted);
    assert!(counts.faults > 0 && stats.failed > 0);
    if policy != Policy::NoRetries {
        assert!(stats.retried > 0);
    }

    // The simulator's side: every message arrived, repeats only where the policy allowed.
    let ledger = server.ledger();
    assert_eq!(ledger.messages, messages as u64);
    assert_eq!(ledger.receipts, counts.requests);
    let repeats = server.repeats();
    assert_eq!(repeats.len() as u64, ledger.received_twice);
    for repeat in &repeats {
        let (earlier, _last) = repeat.receipts.split_at(repeat.receipts.len() - 1);
        for receipt in earlier {
            assert!(
                policy.retries_after(receipt.fault),
                "{policy:?} sent a message again after {receipt:?}: {:?}",
                repeat.receipts
            );
        }
        if repeat.accepted() > 1 {
            assert_eq!(policy, Policy::Ambiguous, "{:?}", repeat.receipts);
            assert!(
                earlier.iter().any(|r| r.accepted
                    && matches!(
                        r.fault,
                        Some(FaultKind::ResetMidBody | FaultKind::SlowAnswer)
                    )),
                "{:?}",
                repeat.receipts
            );
        }
    }
    match policy {
        Policy::NoRetries => assert_eq!(ledger.received_twice, 0),
        Policy::Safe => assert_eq!(ledger.accepted_twice, 0),
        Policy::Ambiguous => {}
    }

    eprintln!(
        "load: {messages} messages, {policy:?}, {IN_FLIGHT} in flight: {:.1} s ({:.0} msg/s); \
         {} requests, {} faults injected, {} retries; {} accepted, {} failed; \
         {} received twice, {} accepted twice; the log holds {} requests in {} bytes",
        elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64(),
        counts.requests,
        counts.faults,
        stats.retried,
        stats.accepted,
        stats.failed,
        ledger.received_twice,
        ledger.accepted_twice,
        counts.requests - counts.evicted,
        server.log_bytes(),
    );
    assert!(server.log_bytes() <= kaleyra::mock::DEFAULT_LOG_BYTES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_20000_with_safe_retries() {
    run(20_000, Policy::Safe, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_5000_without_retries() {
    run(5_000, Policy::NoRetries, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_5000_with_ambiguous_retries() {
    run(5_000, Policy::Ambiguous, 3).await;
}

/// The full run: `scripts/load-memory.sh` (release build, with its peak memory).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "100,000 messages: run by scripts/load-memory.sh"]
async fn load_100000_with_safe_retries() {
    run(100_000, Policy::Safe, 4).await;
}
