//! scale (issue 17): what the send journal and the shared rate limit cost.
//!
//! - `scale/send_all_plain` and `scale/send_all_journaled`: 10,000 sends of the OTP message
//!   through one `send_all` with 64 in flight, the rate limit off, to the Kaleyra simulator on
//!   127.0.0.1; the journaled one records every start (committed, fsync, before the request)
//!   and outcome in a fresh journal file in the temp directory. Criterion reports the time of a
//!   batch and messages per second; before that, a paired comparison of `PAIRED_ROUNDS`
//!   (default 6) alternating batches prints the median throughputs and their ratio (target:
//!   journaled ≥ 0.9× plain).
//!   The same paired comparison is then made against a second simulator that answers every
//!   request after 5 ms (`Fault::Delay`: a server farther than loopback; Kaleyra's own answers
//!   take tens of milliseconds), where a commit's fsync is a smaller share of a send.
//! - `scale/redis_limiter_decision` and `scale/redis_ping`: one decision of the shared limiter
//!   (`SharedLimit::acquire`, one Lua script, never waiting: the rate is far above the calls)
//!   against one `PING` on the same kind of connection, to a `redis-server` this benchmark
//!   starts on a free loopback port (no persistence). Target: decision ≤ 1.5× PING. A paired
//!   comparison first: `PAIRED_ROUNDS` alternating blocks of 2,000 decisions and 2,000 PINGs,
//!   the median time of each and the ratio.
//!
//! `cargo bench -p kaleyra-bench --bench scale`

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kaleyra::mock::{Fault, FaultPlan, MockServer};
use kaleyra::scale::{Journal, SharedLimit};
use kaleyra::{Client, ExtraInfo, Message, Otp, RateLimit, Template};

const SENDS: usize = 10_000;
const IN_FLIGHT: usize = 64;

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

/// A fresh journal file, removed by `Drop`.
struct TempJournal(PathBuf);

impl TempJournal {
    fn new(n: usize) -> TempJournal {
        let path =
            std::env::temp_dir().join(format!("kaleyra-bench-{}-{n}.journal", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempJournal(path)
    }
}

impl Drop for TempJournal {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `SENDS` messages through one `send_all`, journaled or not; panics if any fails.
async fn batch(client: &Client, message: &Message, journal: Option<Journal>) -> Duration {
    let start = Instant::now();
    let sending = client
        .send_all(std::iter::repeat_n(message, SENDS))
        .concurrency(IN_FLIGHT);
    let mut sending = match journal {
        Some(journal) => sending.journal(journal),
        None => sending,
    };
    let mut done = 0;
    while let Some((i, result)) = sending.next().await {
        if let Err(e) = result {
            panic!("message {i} failed during the benchmark: {e}");
        }
        done += 1;
    }
    drop(sending);
    assert_eq!(done, SENDS);
    start.elapsed()
}

/// One batch, timed (the journal is opened before the clock starts, and removed after).
fn run(
    rt: &tokio::runtime::Runtime,
    server: &MockServer,
    client: &Client,
    message: &Message,
    journaled: bool,
    n: &mut usize,
) -> Duration {
    *n += 1;
    let file = TempJournal::new(*n);
    let journal = journaled.then(|| Journal::open(&file.0).expect("journal"));
    let elapsed = rt.block_on(batch(client, message, journal));
    server.clear_received();
    elapsed
}

/// `rounds` alternating batches, plain then journaled: the median throughputs and the ratio.
fn paired(
    label: &str,
    rt: &tokio::runtime::Runtime,
    server: &MockServer,
    client: &Client,
    message: &Message,
    rounds: usize,
    n: &mut usize,
) {
    if rounds == 0 {
        return;
    }
    let (mut plain, mut journaled) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let rate = |d: Duration| SENDS as f64 / d.as_secs_f64();
        plain.push(rate(run(rt, server, client, message, false, n)));
        journaled.push(rate(run(rt, server, client, message, true, n)));
    }
    let (p, j) = (median(plain.clone()), median(journaled.clone()));
    println!(
        "{label} ({rounds} alternating batches of {SENDS}, {IN_FLIGHT} in flight): plain {p:.0} \
         msg/s, journaled {j:.0} msg/s, journaled / plain {:.2} (plain {plain:.0?}, journaled \
         {journaled:.0?})",
        j / p
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A `redis-server` on a free loopback port, killed on drop.
struct Redis(Child, u16);

impl Redis {
    fn start() -> Redis {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (apt-get install -y redis-server)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Redis(child, port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn scale(c: &mut Criterion) {
    // The simulator gets its own runtime (2 threads), as a separate server process would.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime for the simulator");
    let server = server_rt.block_on(MockServer::start());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime for the clients");
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
    .extra_info(ExtraInfo::new().reference("customer1"));

    let mut n = 0;
    // Warm-up: connections, the file system's cache.
    run(&rt, &server, &client, &message, false, &mut n);
    run(&rt, &server, &client, &message, true, &mut n);
    let rounds: usize = std::env::var("PAIRED_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6);
    paired(
        "scale/paired",
        &rt,
        &server,
        &client,
        &message,
        rounds,
        &mut n,
    );
    {
        let slow = server_rt.block_on(
            MockServer::builder()
                .faults(FaultPlan::every(
                    1,
                    [Fault::Delay(Duration::from_millis(5))],
                ))
                .start(),
        );
        let slow_client = Client::builder()
            .sid(slow.sid())
            .api_key(slow.api_key())
            .base_url(slow.url())
            .sender(slow.sender())
            .rate_limit(RateLimit::off())
            .build()
            .expect("client");
        let rounds = rounds.min(4);
        paired(
            "scale/paired_5ms_answers",
            &rt,
            &slow,
            &slow_client,
            &message,
            rounds,
            &mut n,
        );
    }

    let mut g = c.benchmark_group("scale");
    g.throughput(Throughput::Elements(SENDS as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(15));
    for (name, journaled) in [("send_all_plain", false), ("send_all_journaled", true)] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run(&rt, &server, &client, &message, journaled, &mut n))
                    .sum()
            })
        });
    }
    g.finish();

    let redis = Redis::start();
    let url = format!("redis://127.0.0.1:{}", redis.1);
    let shared = rt
        .block_on(SharedLimit::connect(&url))
        .expect("shared limit");
    let ping = rt
        .block_on(async {
            redis::Client::open(url.as_str())?
                .get_connection_manager()
                .await
        })
        .expect("a redis connection");
    // Far above what one caller can ask: every decision is granted at once.
    let limit = RateLimit::per_second(u32::MAX).burst(u32::MAX);
    let decisions = || {
        rt.block_on(async {
            let start = Instant::now();
            for _ in 0..2_000 {
                shared.acquire("bench", limit).await.expect("granted");
            }
            start.elapsed().as_secs_f64() / 2_000.0 * 1e6
        })
    };
    let pings = || {
        rt.block_on(async {
            let start = Instant::now();
            for _ in 0..2_000 {
                let pong: String = redis::cmd("PING")
                    .query_async(&mut ping.clone())
                    .await
                    .expect("PONG");
                assert_eq!(pong, "PONG");
            }
            start.elapsed().as_secs_f64() / 2_000.0 * 1e6
        })
    };
    decisions();
    pings();
    let rounds = rounds.max(1) * 2;
    let (mut d, mut p) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        d.push(decisions());
        p.push(pings());
    }
    let (dm, pm) = (median(d.clone()), median(p.clone()));
    println!(
        "scale/paired_redis ({rounds} alternating blocks of 2,000): decision {dm:.1} µs, PING \
         {pm:.1} µs, decision / PING {:.2} (decision {d:.1?}, PING {p:.1?})",
        dm / pm
    );
    let mut g = c.benchmark_group("scale");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("redis_limiter_decision", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    shared.acquire("bench", limit).await.expect("granted");
                }
                start.elapsed()
            })
        })
    });
    g.bench_function("redis_ping", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let pong: String = redis::cmd("PING")
                        .query_async(&mut ping.clone())
                        .await
                        .expect("PONG");
                    assert_eq!(pong, "PONG");
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
