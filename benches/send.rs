//! send: 10,000 sends of the OTP message to the Kaleyra simulator on 127.0.0.1 with 64 in flight,
//! through `Client::send` (`ours`), against raw `reqwest` posting the same pre-serialized bytes
//! with the same headers to the same simulator with the same concurrency:
//!
//! - `raw_reqwest`: a reqwest client with the same request and connect timeouts as `Client`'s
//!   defaults (30 s, 10 s): the like-for-like comparison;
//! - `raw_reqwest_no_timeout`: reqwest's defaults, no timeout at all (a timer per request costs
//!   some throughput; a production client should not go without one).
//!
//! Criterion reports the time of one batch of 10,000 and the throughput in messages per second.
//!
//! Both clients run on the same multi-threaded tokio runtime; the simulator runs on its own
//! runtime in the same process, as the tests do. Its request log is cleared after every batch,
//! so memory stays bounded (see BENCHMARKS.md for the peak measured with /usr/bin/time -v).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kaleyra::mock::MockServer;
use kaleyra::{Client, ExtraInfo, Message, Otp, Template, WaSource};

const SENDS: usize = 10_000;
const IN_FLIGHT: usize = 64;

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

/// Runs `SENDS` calls of `one` with `IN_FLIGHT` of them in flight; panics if any fails, so that
/// a broken run cannot report a speed.
async fn batch<F, Fut>(one: F) -> Duration
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let one = Arc::new(one);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (one, next) = (one.clone(), next.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < SENDS {
                    if let Err(e) = one().await {
                        panic!("send failed during the benchmark: {e}");
                    }
                }
            })
        })
        .collect();
    for w in workers {
        if let Err(e) = w.await {
            std::panic::resume_unwind(e.into_panic());
        }
    }
    start.elapsed()
}

fn send(c: &mut Criterion) {
    // The simulator gets its own runtime (2 threads), as a separate server process would.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime for the simulator");
    let server = server_rt.block_on(MockServer::start());
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime for the clients");

    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .build()
        .expect("client");
    let message: Message = LoginCode {
        code: Otp::new("J$Fp4821").expect("otp"),
    }
    .to("+919876543210")
    .expect("message")
    .extra_info(
        ExtraInfo::new()
            .reference("customer1")
            .ref1("marketing")
            .ref2("dictionary")
            .source(WaSource::Api),
    );

    // Raw reqwest: the same URL, headers and pre-serialized bytes; reads the whole response.
    let raw = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");
    let raw_no_timeout = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("reqwest client");
    let url = client
        .url_for(&message)
        .expect("sender configured")
        .to_owned();
    // `Bytes` clones by reference count: no copy per request, as a user would post them.
    let body = bytes::Bytes::copy_from_slice(message.as_bytes());
    let api_key = server.api_key().to_owned();

    let mut g = c.benchmark_group("send");
    g.throughput(Throughput::Elements(SENDS as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(20));

    let (client, message) = (Arc::new(client), Arc::new(message));
    g.bench_function("ours", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (client, message) = (client.clone(), message.clone());
                total += client_rt.block_on(batch(move || {
                    let (client, message) = (client.clone(), message.clone());
                    async move {
                        client
                            .send(&message)
                            .await
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    }
                }));
                server.clear_received();
            }
            total
        })
    });

    for (name, raw) in [
        ("raw_reqwest", raw),
        ("raw_reqwest_no_timeout", raw_no_timeout),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (raw, url, body, key) =
                        (raw.clone(), url.clone(), body.clone(), api_key.clone());
                    total += client_rt.block_on(batch(move || {
                        let request = raw
                            .post(url.as_str())
                            .header("api-key", key.as_str())
                            .header("content-type", "application/json")
                            .body(body.clone());
                        async move {
                            let response = request.send().await.map_err(|e| e.to_string())?;
                            let status = response.status();
                            let _ = response.bytes().await.map_err(|e| e.to_string())?;
                            if status.as_u16() == 202 {
                                Ok(())
                            } else {
                                Err(format!("HTTP {status}"))
                            }
                        }
                    }));
                    server.clear_received();
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, send);
criterion_main!(benches);
