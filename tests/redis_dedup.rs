//! Feature `redis`: receivers behind a load balancer share one `RedisStore` on a real
//! `redis-server` (started by the test on a free loopback port). The same callback posted to
//! two instances at once reaches one handler; a claim left by an instance killed in its
//! handler expires, and the redelivery is handed over; a release frees only its own claim; and
//! with Redis gone, events are handed over rather than dropped (the documented choice).

#![cfg(all(feature = "redis", feature = "axum"))]

mod redis_server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kaleyra::callback::{Auth, Callback, Claim, DedupStore, Receiver};
use kaleyra::scale::RedisStore;
use kaleyra::{Error, TransportErrorKind};
use redis_server::RedisServer;
use tokio::net::TcpListener;

type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

const SECRET: &str = "s3cr3t-shared-with-kaleyra";

fn status(id: &str, state: &str) -> String {
    format!(
        r#"{{"meta_object":{{"value":{{"messaging_product":"whatsapp","statuses":[{{"id":"{id}","status":"{state}","timestamp":"1722834665","recipient_id":"919876543210"}}]}},"field":"messages"}},"extra_info":{{"ref":"order-1"}},"status":"{state}","message_id":"wamid.{id}"}}"#
    )
}

/// The status ids the handlers were given, in order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn ids(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// One instance: a receiver with its own connection to the shared store, on its own port.
/// Its handler takes `slow` so that two deliveries of one event overlap.
async fn instance<S: DedupStore>(store: S, seen: &Seen, slow: Duration) -> TestResult<String> {
    let seen = seen.clone();
    let handler = move |callback: Callback<'static>| {
        let seen = seen.clone();
        async move {
            tokio::time::sleep(slow).await;
            let mut ids = seen.0.lock().unwrap();
            ids.extend(callback.statuses().iter().map(|s| s.id.to_string()));
            Ok::<(), String>(())
        }
    };
    let app: axum::Router = Receiver::new(Auth::header("x-kaleyra-secret", SECRET)?, handler)
        .dedup(store)
        .into_router();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{addr}"))
}

async fn post(url: &str, body: String) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-kaleyra-secret", SECRET)
        .body(body)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// Two instances, each with its own `RedisStore` on one Redis; 20 callbacks, each posted to
/// both at the same moment: each is handed over once (the other delivery is answered 503,
/// "being handled", or 200, "already handed over"), and posted again later it is not handed
/// over again. With each instance's own in-memory store (the default) every one of them was
/// handed over twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_callback_posted_to_two_instances_at_once_is_handed_over_once() -> TestResult<()> {
    let redis = RedisServer::start();
    let seen = Seen::default();
    let slow = Duration::from_millis(100);
    let a = instance(RedisStore::connect(&redis.url()).await?, &seen, slow).await?;
    let b = instance(RedisStore::connect(&redis.url()).await?, &seen, slow).await?;

    let mut answers = Vec::new();
    for i in 0..20 {
        let body = status(&format!("A{i:019}"), "delivered");
        let (x, y) = tokio::join!(post(&a, body.clone()), post(&b, body));
        answers.push((x, y));
    }
    let mut ids = seen.ids();
    ids.sort();
    let mut expected: Vec<String> = (0..20).map(|i| format!("A{i:019}")).collect();
    expected.sort();
    assert_eq!(
        ids, expected,
        "each event handed over once; answers {answers:?}"
    );
    for (x, y) in &answers {
        let mut pair = [*x, *y];
        pair.sort();
        assert!(
            pair == [200, 503] || pair == [200, 200],
            "one 200, and 503 (in progress) or 200 (done): {answers:?}"
        );
    }
    // Kaleyra's redelivery, to either instance, later: already handed over.
    assert_eq!(
        post(&b, status(&format!("A{:019}", 3), "delivered")).await,
        200
    );
    assert_eq!(
        post(&a, status(&format!("A{:019}", 3), "delivered")).await,
        200
    );
    assert_eq!(seen.ids().len(), 20);
    Ok(())
}

/// An instance claims an event and is killed in its handler (the claim is never completed nor
/// released). Another instance answers the redelivery 503 while the claim lasts, and hands it
/// over once the claim has expired.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_killed_instance_expires_and_the_redelivery_is_handed_over()
-> TestResult<()> {
    let redis = RedisServer::start();
    let ttl = Duration::from_millis(300);
    let killed = RedisStore::connect(&redis.url()).await?.claim_ttl(ttl);
    let id = "A00000000000000000042";
    assert_eq!(
        killed.claim(&format!("status/{id}/delivered")).await,
        Claim::New
    );
    drop(killed); // the instance dies with its claim held

    let seen = Seen::default();
    let store = RedisStore::connect(&redis.url()).await?.claim_ttl(ttl);
    let other = instance(store, &seen, Duration::ZERO).await?;
    assert_eq!(post(&other, status(id, "delivered")).await, 503);
    assert!(seen.ids().is_empty());
    // Past the claim's expiry (Redis expires keys to the millisecond).
    tokio::time::sleep(ttl * 2).await;
    assert_eq!(post(&other, status(id, "delivered")).await, 200);
    assert_eq!(seen.ids(), [id]);
    assert_eq!(post(&other, status(id, "delivered")).await, 200);
    assert_eq!(seen.ids(), [id], "handed over once");
    Ok(())
}

/// A release frees only the caller's own claim: after A's claim expired and B claimed the key,
/// A's late release leaves B's claim; a release after complete leaves the key done; complete
/// and release may be repeated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_frees_only_its_own_claim_and_both_are_idempotent() -> TestResult<()> {
    let redis = RedisServer::start();
    let ttl = Duration::from_millis(200);
    let a = RedisStore::connect(&redis.url()).await?.claim_ttl(ttl);
    let b = RedisStore::connect(&redis.url()).await?;
    let c = RedisStore::connect(&redis.url()).await?;

    assert_eq!(a.claim("k").await, Claim::New);
    assert_eq!(b.claim("k").await, Claim::InProgress);
    tokio::time::sleep(ttl * 2).await;
    assert_eq!(b.claim("k").await, Claim::New, "A's claim expired");
    a.release("k").await; // late: must not free B's claim
    assert_eq!(c.claim("k").await, Claim::InProgress);
    b.complete("k").await;
    b.complete("k").await;
    b.release("k").await;
    a.release("k").await;
    assert_eq!(c.claim("k").await, Claim::Done);

    assert_eq!(c.claim("j").await, Claim::New);
    c.release("j").await;
    c.release("j").await;
    assert_eq!(
        a.claim("j").await,
        Claim::New,
        "released: the redelivery gets through"
    );
    assert_eq!(a.failures() + b.failures() + c.failures(), 0);
    Ok(())
}

/// Redis stops: `try_claim` is a typed error (nothing was decided), and the receiver hands the
/// event over rather than drop it or refuse it forever (the documented choice); each failure
/// is counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_lost_events_are_handed_over_and_the_error_is_typed() -> TestResult<()> {
    let mut redis = RedisServer::start();
    let store = Arc::new(RedisStore::connect(&redis.url()).await?);
    let seen = Seen::default();
    let url = instance(Arc::clone(&store), &seen, Duration::ZERO).await?;
    assert_eq!(post(&url, status("A1", "sent")).await, 200);

    redis.stop();
    match store.try_claim("status/A2/sent").await {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::NotSent, "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(post(&url, status("A2", "sent")).await, 200);
    assert_eq!(post(&url, status("A2", "sent")).await, 200);
    assert_eq!(seen.ids(), ["A1", "A2", "A2"], "handed over, never dropped");
    assert!(store.failures() >= 3, "{}", store.failures());
    Ok(())
}
