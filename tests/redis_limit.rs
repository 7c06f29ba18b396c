//! Feature `redis`: one sender's rate limit shared through a real `redis-server` (started by
//! the test on a free loopback port). Three clients sending from one number at a shared
//! 300/s for 5 s: the simulator sees no one-second window over what the limit allows, and its
//! own limit set to that never refuses one.
//!
//! What a window may hold: the shared GCRA hands out slots on the Redis server's clock, at most
//! `rate × t + burst − 1` in any `t` seconds; each client sleeps until its slot, so a start
//! lies behind its slot by that client's timer lateness, and the arrival behind the start by
//! the loopback and the tasks' scheduling. As `tests/rate_limit.rs` does for the local
//! limiter, the test allows arrival delays that differ by up to 50 ms: `ceil(rate × 0.05)` =
//! 15 more arrivals at 300 a second, at most `rate + burst − 1 + 15` = 315. It reports the
//! largest window it saw (301-303 on a quiet machine; more under a parallel build). One client's "too many requests" slows the
//! others down. Redis stopped mid-run: every send after it ends as a typed `NotSent` error and
//! nothing more reaches the simulator (the limiter fails closed).

#![cfg(all(feature = "redis", feature = "mock"))]

mod redis_server;

use std::time::{Duration, Instant};

use kaleyra::mock::{Fault, MockServer};
use kaleyra::model::AuthenticationTemplate;
use kaleyra::scale::SharedLimit;
use kaleyra::{
    Client, Error, ExtraInfo, Message, Otp, RateLimit, Route, Template, TransportErrorKind,
};
use redis_server::RedisServer;

fn message(client: usize, i: usize) -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").expect("otp"))
        .to("+919876543210")
        .expect("recipient")
        .extra_info(ExtraInfo::new().reference(format!("c{client}-m{i}")))
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

async fn client(server: &MockServer, shared: &SharedLimit, limit: RateLimit) -> Client {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(limit)
        .shared_rate_limit(shared.clone())
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_clients_share_one_senders_300_a_second() {
    let redis = RedisServer::start();
    const RATE: u32 = 300;
    const BURST: u32 = 1;
    const EACH: usize = 500; // 1,500 at 300/s: 5 s
    const JITTER: usize = 15; // 50 ms at 300/s (see the module's docs)
    let allowed = (RATE + BURST - 1) as usize + JITTER;
    // The simulator refuses (WA429) whatever goes past that.
    let server = MockServer::builder()
        .rate_limit(allowed as u32)
        .start()
        .await;
    let mut clients = Vec::new();
    for _ in 0..3 {
        // Each with its own connection, as separate processes would have.
        let shared = SharedLimit::connect(&redis.url()).await.expect("redis");
        clients.push(client(&server, &shared, RateLimit::per_second(RATE).burst(BURST)).await);
    }
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(c, client)| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut sending = client
                    .send_all((0..EACH).map(|i| message(c, i)))
                    .concurrency(32);
                while let Some((i, result)) = sending.next().await {
                    if let Err(e) = result {
                        panic!("client {c}, message {i}: {e}");
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a client");
    }
    let elapsed = started.elapsed();
    let arrivals = server.arrival_times();
    assert_eq!(arrivals.len(), 3 * EACH);
    let busiest = busiest_second(arrivals);
    eprintln!(
        "3 clients sharing {RATE}/s: {} messages in {:.3} s; busiest second {busiest} \
         (allowed {allowed})",
        3 * EACH,
        elapsed.as_secs_f64()
    );
    assert!(
        busiest <= allowed,
        "{busiest} arrivals in one second, at most {allowed}"
    );
    // Not three times the rate, nor much less than it.
    assert!(elapsed >= Duration::from_millis(4900), "{elapsed:?}");
    for client in &clients {
        assert_eq!(
            client.stats().throttled,
            0,
            "the simulator never refused one"
        );
    }
}

/// One client is answered WA429: the other client of the number slows down with it (the
/// shared bucket halves its rate and pauses for the Retry-After), as the local limiter does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_to_one_client_slows_the_others_down() {
    let redis = RedisServer::start();
    let server = MockServer::start().await;
    let shared = SharedLimit::connect(&redis.url()).await.expect("redis");
    let a = client(&server, &shared, RateLimit::per_second(100)).await;
    let b = client(&server, &shared, RateLimit::per_second(100)).await;

    server.fail_next(1, Fault::rate_limited(Some(Duration::from_secs(1))));
    assert!(a.send(&message(0, 0)).await.is_err());
    let before = Instant::now();
    b.send(&message(1, 0)).await.expect("after the pause");
    assert!(
        before.elapsed() >= Duration::from_millis(900),
        "B waited for the pause A was told: {:?}",
        before.elapsed()
    );
    let rate = b.current_rate(Route::Sender).expect("limited");
    assert!((50.0..60.0).contains(&rate), "B's rate halved: {rate}");
}

/// Redis is stopped while a campaign runs: what was accepted before stays accepted, every
/// later send ends as a typed NotSent error (nothing reached Kaleyra), and the simulator
/// receives nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_lost_the_limiter_fails_closed() {
    let mut redis = RedisServer::start();
    let server = MockServer::start().await;
    let shared = SharedLimit::connect(&redis.url()).await.expect("redis");
    let client = client(&server, &shared, RateLimit::per_second(200)).await;

    let mut sending = client
        .send_all((0..400).map(|i| message(0, i)))
        .concurrency(16);
    let (mut accepted, mut refused, mut received_at_stop) = (0, 0, None);
    while let Some((i, result)) = sending.next().await {
        match result {
            Ok(_) => accepted += 1,
            Err(Error::Transport(e)) if e.kind() == TransportErrorKind::NotSent => refused += 1,
            Err(e) => panic!("message {i}: {e}"),
        }
        if accepted == 100 && received_at_stop.is_none() {
            redis.stop();
            received_at_stop = Some(server.received().len());
        }
    }
    let received = server.received().len();
    eprintln!("{accepted} accepted, {refused} refused; {received} received");
    assert_eq!(accepted + refused, 400);
    assert_eq!(
        received, accepted,
        "every request that went out was accepted"
    );
    assert!(refused >= 250, "{refused}");
    // Only those already granted a slot before the stop went out after it.
    assert!(received - received_at_stop.unwrap() <= 16, "{received}");
}
