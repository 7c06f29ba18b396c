//! send: 10,000 sends of the OTP message to the Kaleyra simulator on 127.0.0.1 with 64 in flight,
//! through `Client::send` (`ours`) and through `Client::send_all` (`send_all`), both with the
//! rate limit off, against raw `reqwest` posting the same pre-serialized bytes with the same
//! headers to the same simulator with the same concurrency:
//!
//! - `raw_reqwest`: reqwest configured as `Client` configures it (30 s request and 10 s connect
//!   timeouts, no redirects, the same user-agent): the like-for-like comparison, which measures
//!   what the library's own code costs;
//! - `raw_reqwest_defaults`: reqwest's defaults (no timeout, no user-agent, redirects followed).
//!   A timer per request costs some throughput; a production client should still have one.
//!
//! Criterion reports the time of one batch of 10,000 and the throughput in messages per second.
//! Because criterion measures one function after the other, and this 2-core machine's noise
//! moves a whole run by ±10%, the benchmark first prints a paired comparison: ten alternating
//! batches of `ours` and `raw_reqwest`, their median throughputs and the ratio; then the same
//! for `send_all` and `raw_reqwest`.
//!
//! Last, `send_all` with the rate limit at 1,000 messages a second: 10,000 messages (10 s), the
//! achieved rate (messages over the time from the first start to the last result), and the
//! simulator's view (arrivals per second from the first to the last, and the busiest one-second
//! window). `RATE_RUNS` (default 2) sets how many such runs, `PAIRED_ROUNDS` (default 10) the
//! rounds of each paired comparison (0 skips them).
//!
//! Both clients run on the same multi-threaded tokio runtime; the simulator runs on its own
//! runtime in the same process, as the tests do. Its request log is cleared after every batch,
//! so memory stays bounded (see BENCHMARKS.md for the peak measured with /usr/bin/time -v).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kaleyra::mock::MockServer;
use kaleyra::{Client, ExtraInfo, Message, Otp, RateLimit, Template, WaSource};

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

/// What one batch posts, and how: our client, or a raw reqwest client.
#[derive(Clone)]
enum Sender {
    Ours(Arc<Client>, Arc<Message>),
    /// One `send_all` of the whole batch with `IN_FLIGHT` in progress, read where `block_on`
    /// runs (outside the runtime's workers, as in `#[tokio::main] async fn main`).
    All(Arc<Client>, Arc<Message>),
    /// The same, read in a task on the runtime (as in a request handler or a spawned job).
    AllInTask(Arc<Client>, Arc<Message>),
    Raw {
        http: reqwest::Client,
        url: Arc<str>,
        api_key: Arc<str>,
        /// Clones by reference count: no copy per request, as a user would post them.
        body: bytes::Bytes,
    },
}

impl Sender {
    async fn send_one(&self) -> Result<(), String> {
        match self {
            Sender::All(..) | Sender::AllInTask(..) => {
                Err("send_all is run as one batch".to_owned())
            }
            Sender::Ours(client, message) => client
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Sender::Raw {
                http,
                url,
                api_key,
                body,
            } => {
                let response = http
                    .post(&**url)
                    .header("api-key", &**api_key)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let status = response.status();
                let _ = response.bytes().await.map_err(|e| e.to_string())?;
                if status.as_u16() == 202 {
                    Ok(())
                } else {
                    Err(format!("HTTP {status}"))
                }
            }
        }
    }
}

/// `SENDS` messages through one `send_all`; panics if any fails.
async fn send_all_batch(client: &Client, message: &Message, in_flight: usize) -> Duration {
    let start = Instant::now();
    let mut sending = client
        .send_all(std::iter::repeat_n(message, SENDS))
        .concurrency(in_flight);
    let mut done = 0;
    while let Some((i, result)) = sending.next().await {
        if let Err(e) = result {
            panic!("message {i} failed during the benchmark: {e}");
        }
        done += 1;
    }
    assert_eq!(done, SENDS);
    start.elapsed()
}

/// One batch of `SENDS`, timed; the simulator's request log is cleared afterwards.
fn run_batch(rt: &tokio::runtime::Runtime, server: &MockServer, sender: &Sender) -> Duration {
    let elapsed = match sender {
        Sender::All(client, message) => rt.block_on(send_all_batch(client, message, IN_FLIGHT)),
        Sender::AllInTask(client, message) => {
            let (client, message) = (client.clone(), message.clone());
            let task = rt.spawn(async move { send_all_batch(&client, &message, IN_FLIGHT).await });
            match rt.block_on(task) {
                Ok(elapsed) => elapsed,
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        _ => {
            let sender = sender.clone();
            rt.block_on(batch(move || {
                let sender = sender.clone();
                async move { sender.send_one().await }
            }))
        }
    };
    server.clear_received();
    elapsed
}

/// `send_all` of `SENDS` with the limit at `RATE` a second: the achieved rate, seen by the
/// client and by the simulator.
fn rate_limited(rt: &tokio::runtime::Runtime, server: &MockServer, message: &Message) {
    const RATE: u32 = 1_000;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::per_second(RATE))
        .build()
        .expect("client");
    server.clear_received();
    let elapsed = rt.block_on(send_all_batch(&client, message, IN_FLIGHT));
    let mut arrivals = server.arrival_times();
    server.clear_received();
    assert_eq!(
        arrivals.len(),
        SENDS,
        "the simulator's log holds the whole run"
    );
    arrivals.sort();
    let span = arrivals[SENDS - 1] - arrivals[0];
    let mut busiest = 0;
    let mut end = 0;
    for (start, t) in arrivals.iter().enumerate() {
        while end < SENDS && arrivals[end] < *t + Duration::from_secs(1) {
            end += 1;
        }
        busiest = busiest.max(end - start);
    }
    let achieved = SENDS as f64 / elapsed.as_secs_f64();
    println!(
        "send_all/rate_limited ({SENDS} at {RATE}/s, {IN_FLIGHT} in flight): {:.3} s, \
         achieved {achieved:.1} msg/s ({:+.2}% of {RATE}); simulator: {:.1} arrivals/s from \
         first to last, busiest second {busiest}{}",
        elapsed.as_secs_f64(),
        (achieved / f64::from(RATE) - 1.0) * 100.0,
        (SENDS - 1) as f64 / span.as_secs_f64(),
        peak_rss()
    );
}

/// The process's peak resident memory so far (Linux's `VmHWM`), for the printed lines.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .map_or_else(String::new, |kb| format!("; peak memory so far {kb}"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Alternating batches of `a` and `b` (the order swapped every round, so that drift and the
/// other core's noise hit both alike): their median messages per second, and the ratio a/b.
fn paired(
    rt: &tokio::runtime::Runtime,
    server: &MockServer,
    (a_name, a): (&str, &Sender),
    (b_name, b): (&str, &Sender),
    rounds: usize,
) {
    let rate = |d: Duration| SENDS as f64 / d.as_secs_f64();
    let (mut ra, mut rb) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            ra.push(rate(run_batch(rt, server, a)));
            rb.push(rate(run_batch(rt, server, b)));
        } else {
            rb.push(rate(run_batch(rt, server, b)));
            ra.push(rate(run_batch(rt, server, a)));
        }
    }
    let (ma, mb) = (median(ra), median(rb));
    println!(
        "send/paired ({rounds} alternating batches of {SENDS}, {IN_FLIGHT} in flight): \
         {a_name} {ma:.0} msg/s, {b_name} {mb:.0} msg/s, ratio {:.2}{}",
        ma / mb,
        peak_rss()
    );
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

    // The library's overhead is measured without the rate limit (by default 80 a second).
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::off())
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
    let raw = |like_ours: bool| {
        let mut http = reqwest::Client::builder().no_proxy();
        if like_ours {
            http = http
                .timeout(Duration::from_secs(30))
                .connect_timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("kaleyra-rs/", env!("CARGO_PKG_VERSION")));
        }
        Sender::Raw {
            http: http.build().expect("reqwest client"),
            url: client.url_for(&message).expect("sender configured").into(),
            api_key: server.api_key().into(),
            body: bytes::Bytes::copy_from_slice(message.as_bytes()),
        }
    };
    let raw_reqwest = raw(true);
    let raw_defaults = raw(false);
    let ours = Sender::Ours(Arc::new(client.clone()), Arc::new(message.clone()));
    let all = Sender::All(Arc::new(client.clone()), Arc::new(message.clone()));
    let all_in_task = Sender::AllInTask(Arc::new(client.clone()), Arc::new(message.clone()));

    // Warm both connection pools, then the paired comparison.
    run_batch(&client_rt, &server, &ours);
    run_batch(&client_rt, &server, &raw_reqwest);
    println!("send/warm-up: one batch each{}", peak_rss());
    let rounds = std::env::var("PAIRED_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    // 0 rounds skips the paired comparisons (for profiling the rate-limited runs alone).
    if rounds > 0 {
        paired(
            &client_rt,
            &server,
            ("ours", &ours),
            ("raw_reqwest", &raw_reqwest),
            rounds,
        );
        run_batch(&client_rt, &server, &all);
        paired(
            &client_rt,
            &server,
            ("send_all", &all),
            ("raw_reqwest", &raw_reqwest),
            rounds,
        );
        paired(
            &client_rt,
            &server,
            ("send_all_in_task", &all_in_task),
            ("raw_reqwest", &raw_reqwest),
            rounds,
        );
    }
    let rate_runs = std::env::var("RATE_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    for _ in 0..rate_runs {
        rate_limited(&client_rt, &server, &message);
    }

    let mut g = c.benchmark_group("send");
    g.throughput(Throughput::Elements(SENDS as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(20));
    for (name, sender) in [
        ("ours", &ours),
        ("send_all", &all),
        ("raw_reqwest", &raw_reqwest),
        ("raw_reqwest_defaults", &raw_defaults),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run_batch(&client_rt, &server, sender))
                    .sum()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, send);
criterion_main!(benches);
