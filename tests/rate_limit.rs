//! The client's rate limit as the simulator sees it: with the limit at 200 messages a second
//! for 5 seconds, no one-second window of arrivals holds more than the limit allows; and a
//! client faster than the server's limit slows down instead of hammering it.
//!
//! What a window may hold: the limiter starts at most `rate × t + burst − 1` requests in any
//! half-open interval of `t` seconds (GCRA; `limit.rs` proves it with paused time). Between a
//! request's start and its arrival at the simulator lie the loopback and the two tasks'
//! scheduling; a request delayed by `d` more than an earlier one can fall into the earlier
//! one's window. The test allows for arrival delays that differ by up to 50 ms, that is
//! `ceil(rate × 0.05)` = 10 more arrivals at 200 a second: a window may hold at most
//! `rate + burst − 1 + 10`. The test also reports the largest window it saw.
//!
//! These tests sit in their own test binary so that no other test competes for the CPU
//! meanwhile.

#![cfg(feature = "mock")]

use std::time::{Duration, Instant};

use kaleyra::mock::MockServer;
use kaleyra::model::AuthenticationTemplate;
use kaleyra::{Client, ExtraInfo, Message, Otp, RateLimit, Retry, Route, Template};

const JITTER: Duration = Duration::from_millis(50);

fn message(i: usize) -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").expect("otp"))
        .to("+919876543210")
        .expect("recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

/// The largest number of arrivals in any window `[t, t + 1 s)` starting at an arrival.
fn busiest_second(mut arrivals: Vec<Instant>) -> usize {
    arrivals.sort();
    let mut busiest = 0;
    let mut end = 0;
    for (start, t) in arrivals.iter().enumerate() {
        while end < arrivals.len() && arrivals[end] < *t + Duration::from_secs(1) {
            end += 1;
        }
        busiest = busiest.max(end - start);
    }
    busiest
}

async fn paced(rate: u32, burst: u32, seconds: u32) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::per_second(rate).burst(burst))
        .build()
        .expect("client");
    let messages = (rate * seconds) as usize;
    let started = Instant::now();
    let mut sending = client.send_all((0..messages).map(message)).concurrency(64);
    while let Some((i, result)) = sending.next().await {
        if let Err(e) = result {
            panic!("message {i}: {e}");
        }
    }
    let elapsed = started.elapsed();
    let arrivals = server.arrival_times();
    assert_eq!(arrivals.len(), messages);
    let busiest = busiest_second(arrivals);
    let allowed =
        (rate + burst - 1) as usize + (f64::from(rate) * JITTER.as_secs_f64()).ceil() as usize;
    eprintln!(
        "rate limit {rate}/s, burst {burst}: {messages} messages in {:.3} s; busiest second \
         {busiest} (allowed {allowed})",
        elapsed.as_secs_f64()
    );
    assert!(
        busiest <= allowed,
        "{busiest} arrivals in one second, at most {allowed} allowed"
    );
    assert_eq!(client.stats().throttled, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_200_a_second_for_5_seconds_no_second_holds_more() {
    paced(200, 1, 5).await;
}

/// Issue 18: at 500 a second the old limiter released the slots a late timer had missed all at
/// once (windows of 502-512 starts were measured); now late slots are spread. The promise is
/// proved on start times in `limit.rs` (paused clock, a late wake-up); here the arrivals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_500_a_second_for_3_seconds_no_second_holds_more() {
    paced(500, 1, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_is_allowed_once_and_then_the_rate() {
    paced(200, 20, 2).await;
}

/// The server lets 50 a second through; the client is set to 200. It slows down on the
/// first WA429s, and retries (honouring Retry-After) until every message is accepted; the
/// number of WA429s stays a small share of the messages instead of growing with them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_faster_than_the_server_slows_down_instead_of_hammering() {
    let server = MockServer::builder().rate_limit(50).start().await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::per_second(200))
        .retry(Retry::new(10).backoff(Duration::from_millis(50)))
        .build()
        .expect("client");
    let messages: usize = 300;
    let results = client
        .send_all((0..messages).map(message))
        .concurrency(32)
        .collect_all()
        .await;
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let stats = client.stats();
    let counts = server.counts();
    eprintln!(
        "server limit 50/s, client 200/s: {messages} messages, {} WA429 answers, rate now {:?}",
        counts.rate_limited,
        client.current_rate(Route::Sender)
    );
    assert_eq!(stats.throttled, counts.rate_limited);
    assert!(stats.throttled > 0);
    assert!(
        counts.rate_limited < messages as u64 / 5,
        "{} WA429s for {messages} messages",
        counts.rate_limited
    );
}
