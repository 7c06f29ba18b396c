//! [`SharedLimit`]: one sender's rate limit kept in Redis, shared by every client that sends
//! from that number (several workers, several machines).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::Script;
use redis::aio::ConnectionManager;

use crate::Error;
use crate::layout::Route;
use crate::limit::{DEFAULT_PAUSE, MIN_RATE, Permit, RECOVERY, RateLimit, Refusal};

/// One decision of the GCRA, atomic on the server: the bucket's theoretical arrival time
/// (`tat`), its slowdown round (`gen`), and the last slowdown (`at`: when sending resumes,
/// `slow`: the rate it resumes at, climbing back by the configured rate per `RECOVERY`) in one
/// hash. Times are the server's clock (`TIME`) in microseconds, so every client shares one
/// clock. Returns `{granted (0/1), wait in µs, gen, current rate}`: a granted request starts
/// after `wait` (its slot is reserved); a refused one would have waited longer than
/// `max_wait` and nothing is reserved. Numbers are stored with `%.17g`: exact doubles.
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local recovery = tonumber(ARGV[4])
local s = redis.call('HMGET', KEYS[1], 'tat', 'gen', 'at', 'slow')
local gen = tonumber(s[2]) or 0
local cur = rate
if s[3] then
  local climbed = tonumber(s[4]) + rate * math.max(0, now - tonumber(s[3])) / recovery
  if climbed >= rate then
    redis.call('HDEL', KEYS[1], 'at', 'slow')
  else
    cur = climbed
  end
end
local interval = 1000000 / cur
local tat = tonumber(s[1]) or now
if tat < now then tat = now end
local start = tat - interval * (burst - 1)
if start < now then start = now end
local wait = start - now
if wait > max_wait then
  return {0, math.ceil(wait), gen, string.format('%.17g', cur)}
end
local next = tat + interval
redis.call('HSET', KEYS[1], 'tat', string.format('%.17g', next))
redis.call('PEXPIRE', KEYS[1], math.ceil((next - now) / 1000) + 60000)
return {1, math.ceil(wait), gen, string.format('%.17g', cur)}
";

/// "Too many requests" to a request granted in round `ARGV[1]`: once per round, halve the
/// current rate (at least `MIN_RATE`), start nothing before the pause is over, then at most the
/// burst at once, and a new round. Returns 1 if it slowed down.
const THROTTLE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local pause = tonumber(ARGV[4])
local min_rate = tonumber(ARGV[5])
local recovery = tonumber(ARGV[6])
local s = redis.call('HMGET', KEYS[1], 'tat', 'gen', 'at', 'slow')
local gen = tonumber(s[2]) or 0
if gen ~= tonumber(ARGV[1]) then return 0 end
local cur = rate
if s[3] then
  cur = math.min(rate, tonumber(s[4]) + rate * math.max(0, now - tonumber(s[3])) / recovery)
end
local slow = math.max(min_rate, math.min(rate, cur / 2))
local resume = now + pause
local next = resume + (1000000 / slow) * (burst - 1)
redis.call('HSET', KEYS[1], 'tat', string.format('%.17g', next), 'gen', gen + 1,
  'at', string.format('%.17g', resume), 'slow', string.format('%.17g', slow))
redis.call('PEXPIRE', KEYS[1], math.ceil((next - now) / 1000) + 60000)
return 1
";

/// A rate limit kept in Redis and shared by every [`Client`](crate::Client) that sends from
/// the same number: give it to each with
/// [`ClientBuilder::shared_rate_limit`](crate::ClientBuilder::shared_rate_limit), and they
/// pace themselves together at the client's [`RateLimit`] instead of each at the full rate.
///
/// Each decision is one atomic Lua script on the server (one round trip): the same GCRA as
/// the local limiter (at most `per_second` requests a second, evenly spaced, `burst` at once
/// after a quiet spell), on the server's clock. A request answered `WA429`, `130429` or HTTP
/// `429` slows every client of the number down as the local limiter does (the rate halves,
/// down to one a second; nothing starts before `Retry-After`, bounded by `max_wait`; the rate
/// climbs back over ten seconds), once per slowdown round whichever client saw it first. The
/// bucket is the Redis hash `<prefix>:<sid>:<sender number>` (and `<prefix>:<sid>:waba:<id>`
/// for the WABA route), prefix `"kaleyra:limit"` by default, and expires a minute after it is
/// last used.
///
/// **When Redis cannot be reached** the limiter fails closed: the send is not started and
/// ends with a [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) error
/// (nothing reached Kaleyra; retried as the client's [`Retry`](crate::Retry) says, since it is
/// safe to). Sending unpaced would get every worker of the number throttled by WhatsApp at
/// once. A slowdown that cannot be recorded is logged and dropped.
///
/// Differences from the local limiter, by design: a send cancelled while it waits does not
/// give its slot back (it costs the others one interval), and the actual starts are spaced by
/// each client's timer on the server's schedule (not checked again against a log of the
/// starts), so arrivals may bunch by the timers' lateness (a millisecond or two).
///
/// ```no_run
/// # async fn run() -> Result<(), kaleyra::Error> {
/// use kaleyra::scale::SharedLimit;
/// use kaleyra::{Client, RateLimit};
///
/// // Each worker (process or machine) builds its client the same way.
/// let shared = SharedLimit::connect("redis://127.0.0.1:6379").await?;
/// let client = Client::builder()
///     .sid("HXAP16XXXXXX97IN")
///     .api_key("Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3")
///     .sender("+919000000000")
///     .rate_limit(RateLimit::per_second(80)) // for all of them together
///     .shared_rate_limit(shared)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct SharedLimit {
    connection: ConnectionManager,
    prefix: String,
    acquire: Script,
}

impl std::fmt::Debug for SharedLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedLimit")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl SharedLimit {
    /// The longest a decision waits for Redis before the send fails closed: 2 s.
    pub const TIMEOUT: Duration = Duration::from_secs(2);

    /// Connects to the Redis at `url` (`redis://host:port/db`, `rediss://` for TLS through
    /// rustls). Fails with [`Error::Config`] for a URL that is not one, and with a
    /// [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) error when the server
    /// does not answer. After that the connection is re-established by itself.
    pub async fn connect(url: &str) -> Result<SharedLimit, Error> {
        Ok(SharedLimit {
            connection: super::connect(url, Self::TIMEOUT).await?,
            prefix: "kaleyra:limit".into(),
            acquire: Script::new(ACQUIRE),
        })
    }

    /// Waits for a slot of the bucket `name` (the Redis hash `<prefix>:<name>`) paced at
    /// `limit`, by the same script as the clients' sends: for pacing other work that shares a
    /// limit across processes. One decision is one round trip to Redis (plus the wait for the
    /// slot). Fails closed, as the clients do: a
    /// [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) error when Redis
    /// cannot be reached or the slot is further than `limit`'s
    /// [`max_wait`](RateLimit::max_wait) (then nothing is reserved). With [`RateLimit::off`] it
    /// returns at once.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), kaleyra::Error> {
    /// use kaleyra::RateLimit;
    /// use kaleyra::scale::SharedLimit;
    ///
    /// let shared = SharedLimit::connect("redis://127.0.0.1:6379").await?;
    /// for _ in 0..10 {
    ///     shared.acquire("exports", RateLimit::per_second(2)).await?;
    ///     // ... at most 2 a second across every process that uses the bucket "exports"
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn acquire(&self, name: &str, limit: RateLimit) -> Result<(), Error> {
        let Some(rate) = limit.messages_per_second() else {
            return Ok(());
        };
        let key = format!("{}:{name}", self.prefix);
        let decision = decide(
            &self.acquire,
            &self.connection,
            &key,
            f64::from(rate),
            limit.burst_size(),
            limit.longest_wait(),
        )
        .await
        .map_err(|e| super::redis_unavailable("the shared rate limit could not decide", &e))?;
        if !decision.granted {
            return Err(crate::TransportError::new(
                crate::TransportErrorKind::NotSent,
                format!(
                    "not started: the shared rate limit's next slot is {:.1} s away, longer \
                     than its max_wait",
                    decision.wait.as_secs_f64()
                ),
            )
            .with_retry_after(Some(decision.wait))
            .into());
        }
        if !decision.wait.is_zero() {
            tokio::time::sleep(decision.wait).await;
        }
        Ok(())
    }

    /// The prefix of its Redis keys (default `"kaleyra:limit"`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The buckets of one client.
    pub(crate) fn buckets(
        &self,
        limit: RateLimit,
        max_pause: Duration,
        sid: &str,
        sender: Option<&str>,
        waba: Option<&str>,
    ) -> Shared {
        let prefix = &self.prefix;
        Shared {
            connection: self.connection.clone(),
            keys: [
                format!("{prefix}:{sid}:{}", sender.unwrap_or("-")),
                format!("{prefix}:{sid}:waba:{}", waba.unwrap_or("-")),
            ],
            rate: f64::from(limit.messages_per_second().unwrap_or(1).max(1)),
            burst: limit.burst_size().max(1),
            max_pause,
            acquire: Script::new(ACQUIRE),
            throttle: Script::new(THROTTLE),
            rounds: [AtomicU64::new(0), AtomicU64::new(0)],
            current: [
                AtomicU64::new(0f64.to_bits()),
                AtomicU64::new(0f64.to_bits()),
            ],
        }
    }
}

/// One client's view of its shared buckets.
pub(crate) struct Shared {
    connection: ConnectionManager,
    /// The sender route's bucket, the WABA route's.
    keys: [String; 2],
    rate: f64,
    burst: u32,
    max_pause: Duration,
    acquire: Script,
    throttle: Script,
    /// Slowdowns this process recorded, per route: a waiter that slept through one takes a
    /// new slot at the new rate.
    rounds: [AtomicU64; 2],
    /// The rate the server last reported, per route (f64 bits; 0 before the first decision).
    current: [AtomicU64; 2],
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("keys", &self.keys)
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

fn index(route: Route) -> usize {
    match route {
        Route::Sender => 0,
        Route::Waba => 1,
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// What one run of the acquire script decided.
struct Decision {
    granted: bool,
    wait: Duration,
    generation: u64,
    /// The bucket's current rate, as the server computed it.
    rate: Option<f64>,
}

/// One decision: one round trip.
async fn decide(
    script: &Script,
    connection: &ConnectionManager,
    key: &str,
    rate: f64,
    burst: u32,
    max_wait: Duration,
) -> Result<Decision, redis::RedisError> {
    let (granted, wait, generation, current): (i64, u64, u64, String) = script
        .key(key)
        .arg(rate)
        .arg(burst.max(1))
        .arg(micros(max_wait))
        .arg(micros(RECOVERY))
        .invoke_async(&mut connection.clone())
        .await?;
    Ok(Decision {
        granted: granted != 0,
        wait: Duration::from_micros(wait),
        generation,
        rate: current.parse().ok(),
    })
}

impl Shared {
    /// Waits for a slot on `route`, at most `max_wait`; a slot further away is refused (nothing
    /// reserved); Redis lost is refused too (fail closed).
    pub(crate) async fn acquire(
        &self,
        route: Route,
        max_wait: Duration,
    ) -> Result<Permit, Refusal> {
        let i = index(route);
        loop {
            let round = self.rounds[i].load(Ordering::Acquire);
            let decision = decide(
                &self.acquire,
                &self.connection,
                &self.keys[i],
                self.rate,
                self.burst,
                max_wait,
            )
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "shared rate limit: Redis did not answer");
                Refusal::Unavailable(super::redis_unavailable(
                    "the shared rate limit could not decide",
                    &e,
                ))
            })?;
            if let Some(rate) = decision.rate {
                self.current[i].store(rate.to_bits(), Ordering::Relaxed);
            }
            if !decision.granted {
                return Err(Refusal::Wait(decision.wait));
            }
            if !decision.wait.is_zero() {
                tokio::time::sleep(decision.wait).await;
                // A slowdown seen here while this slept: its slot belonged to the old rate.
                if self.rounds[i].load(Ordering::Acquire) != round {
                    continue;
                }
            }
            return Ok(Permit::new(decision.generation));
        }
    }

    /// The server said "too many" to a request started with `permit`: slow every client of
    /// the number down, once per round. Returns whether it slowed down; a Redis failure is
    /// logged and dropped (the next decision fails closed if Redis stays lost).
    pub(crate) async fn throttled(
        &self,
        route: Route,
        permit: Permit,
        wait: Option<Duration>,
    ) -> bool {
        let i = index(route);
        let pause = wait.unwrap_or(DEFAULT_PAUSE).min(self.max_pause);
        let result: Result<i64, _> = self
            .throttle
            .key(&self.keys[i])
            .arg(permit.generation())
            .arg(self.rate)
            .arg(self.burst)
            .arg(micros(pause))
            .arg(MIN_RATE)
            .arg(micros(RECOVERY))
            .invoke_async(&mut self.connection.clone())
            .await;
        match result {
            Ok(1) => {
                self.rounds[i].fetch_add(1, Ordering::AcqRel);
                let slow = (self.current_rate(route) / 2.0).clamp(MIN_RATE, self.rate);
                self.current[i].store(slow.to_bits(), Ordering::Relaxed);
                true
            }
            Ok(_) => false,
            Err(e) => {
                tracing::warn!(error = %e, "shared rate limit: a slowdown was not recorded");
                false
            }
        }
    }

    /// The rate the server last reported for `route` (the configured one before any).
    pub(crate) fn current_rate(&self, route: Route) -> f64 {
        let rate = f64::from_bits(self.current[index(route)].load(Ordering::Relaxed));
        if rate > 0.0 { rate } else { self.rate }
    }
}
