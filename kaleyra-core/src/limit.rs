//! The client's rate limit: messages per second per sender, paced by a token bucket that slows
//! down when Kaleyra or WhatsApp answers "too many requests", and recovers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::layout::Route;

/// How fast a [`Client`](crate::Client) may send: messages per second for each sender (the
/// business number of the `{sender}` route, and the `{waba_id}` route, each with its own
/// bucket), or [`RateLimit::off`].
///
/// The default is WhatsApp's default throughput for a business number, 80 messages per second
/// (Meta raises it to 1,000 on request). The limit applies to [`Client::send`](crate::Client::send)
/// and [`Client::send_all`](crate::Client::send_all) alike, and clones of a client share it.
///
/// It is a token bucket (GCRA): requests start at most `per_second` a second, evenly spaced,
/// and up to `burst` of them may start at once after a quiet spell. In any interval of `t`
/// seconds at most `per_second × t + burst` requests start; with the default burst of 1, no
/// one-second window ever holds more than `per_second`.
///
/// When a request is answered `WA429`, `130429` or HTTP `429`, the sender's rate halves (down to
/// one message a second), nothing more starts for that sender until the server's `Retry-After`
/// has passed (one second if it gave none), and the rate then climbs back by the configured rate
/// every ten seconds: from half back to full in five seconds.
///
/// ```
/// use kaleyra::RateLimit;
///
/// assert_eq!(RateLimit::default(), RateLimit::per_second(80));
/// let fast = RateLimit::per_second(1_000).burst(10);
/// assert_eq!((fast.messages_per_second(), fast.burst_size()), (Some(1_000), 10));
/// assert_eq!(RateLimit::off().messages_per_second(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// 0: off.
    per_second: u32,
    burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::per_second(RateLimit::WHATSAPP_DEFAULT)
    }
}

impl RateLimit {
    /// WhatsApp's default throughput for a business number: 80 messages per second.
    pub const WHATSAPP_DEFAULT: u32 = 80;

    /// At most `messages` a second per sender, evenly spaced (burst 1). `0` turns the limit off.
    pub const fn per_second(messages: u32) -> RateLimit {
        RateLimit {
            per_second: messages,
            burst: 1,
        }
    }

    /// No limit: requests start as fast as the concurrency allows, and `WA429` answers do not
    /// slow anything down (retries still wait as [`Retry`](crate::Retry) says).
    pub const fn off() -> RateLimit {
        RateLimit::per_second(0)
    }

    /// How many requests may start at once after a quiet spell (at least 1, the default).
    pub const fn burst(mut self, messages: u32) -> RateLimit {
        self.burst = if messages == 0 { 1 } else { messages };
        self
    }

    /// The messages per second, or `None` when off.
    pub const fn messages_per_second(&self) -> Option<u32> {
        if self.per_second == 0 {
            None
        } else {
            Some(self.per_second)
        }
    }

    /// The burst size.
    pub const fn burst_size(&self) -> u32 {
        self.burst
    }
}

/// Never slower than this, however often the server says "too many".
const MIN_RATE: f64 = 1.0;
/// After a slowdown the rate climbs back by the configured rate over this period.
const RECOVERY: Duration = Duration::from_secs(10);
/// The pause after "too many requests" when the server gives no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);

/// The buckets of one client (and its clones): one per route.
#[derive(Debug)]
pub(crate) struct Limiter {
    sender: Bucket,
    waba: Bucket,
}

/// The right to start one request, and the slowdown round it was granted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Permit {
    generation: u64,
}

impl Limiter {
    /// A limiter, or `None` when the limit is off.
    pub(crate) fn new(limit: RateLimit) -> Option<Limiter> {
        limit.messages_per_second()?;
        Some(Limiter {
            sender: Bucket::new(limit),
            waba: Bucket::new(limit),
        })
    }

    fn bucket(&self, route: Route) -> &Bucket {
        match route {
            Route::Sender => &self.sender,
            Route::Waba => &self.waba,
        }
    }

    /// Waits until a request on `route` may start.
    pub(crate) async fn acquire(&self, route: Route) -> Permit {
        self.bucket(route).acquire().await
    }

    /// The server said "too many" to a request started with `permit`: slow the route down,
    /// once per round (answers to requests started before the last slowdown are ignored).
    /// Returns whether it slowed down.
    pub(crate) fn throttled(&self, route: Route, permit: Permit, wait: Option<Duration>) -> bool {
        self.bucket(route).throttled(permit, wait, Instant::now())
    }

    /// The route's current rate, in messages per second.
    pub(crate) fn current_rate(&self, route: Route) -> f64 {
        self.bucket(route)
            .lock()
            .rate(self.bucket(route).configured, Instant::now())
    }
}

#[derive(Debug)]
struct Bucket {
    configured: f64,
    burst: u32,
    /// Bumped by each slowdown; read without the lock by waiters that wake up.
    generation: AtomicU64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The theoretical arrival time of the next request (GCRA); `None` before the first.
    tat: Option<Instant>,
    /// The last slowdown: when sending resumes, and the rate it resumes at.
    slowed: Option<(Instant, f64)>,
}

impl State {
    /// The rate now: the configured one, or climbing back to it after a slowdown.
    fn rate(&mut self, configured: f64, now: Instant) -> f64 {
        let Some((at, rate)) = self.slowed else {
            return configured;
        };
        let climbed = rate
            + configured * now.saturating_duration_since(at).as_secs_f64() / RECOVERY.as_secs_f64();
        if climbed >= configured {
            self.slowed = None;
            configured
        } else {
            climbed
        }
    }
}

impl Bucket {
    fn new(limit: RateLimit) -> Bucket {
        Bucket {
            configured: f64::from(limit.per_second.max(1)),
            burst: limit.burst.max(1),
            generation: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The interval between requests at `rate`, and how far ahead of its slot a request may
    /// start (the burst).
    fn spacing(&self, rate: f64) -> (Duration, Duration) {
        let interval = Duration::from_secs_f64(1.0 / rate);
        (interval, interval.saturating_mul(self.burst - 1))
    }

    async fn acquire(&self) -> Permit {
        loop {
            let (at, generation) = match self.reserve(Instant::now()) {
                Ok(permit) => return permit,
                Err(slot) => slot,
            };
            tokio::time::sleep_until(at).await;
            // A slowdown while this waited voids its slot: take a new one at the new rate.
            if self.generation.load(Ordering::Acquire) == generation {
                return Permit { generation };
            }
        }
    }

    /// A permit now, or a slot reserved for later (the time and the round it belongs to).
    /// Slots are handed out at exact intervals, so that waking up late does not slow the rate.
    fn reserve(&self, now: Instant) -> Result<Permit, (Instant, u64)> {
        let mut state = self.lock();
        let generation = self.generation.load(Ordering::Acquire);
        let rate = state.rate(self.configured, now);
        let (interval, tolerance) = self.spacing(rate);
        let tat = state.tat.unwrap_or(now);
        let allowed = tat.checked_sub(tolerance).unwrap_or(now);
        if now >= allowed {
            state.tat = Some(tat.max(now) + interval);
            Ok(Permit { generation })
        } else {
            state.tat = Some(tat + interval);
            Err((allowed, generation))
        }
    }

    fn throttled(&self, permit: Permit, wait: Option<Duration>, now: Instant) -> bool {
        let mut state = self.lock();
        if self.generation.load(Ordering::Acquire) != permit.generation {
            return false;
        }
        let rate = (state.rate(self.configured, now) / 2.0)
            .max(MIN_RATE)
            .min(self.configured);
        // Nothing starts before the pause is over; then at most the burst at once, and the
        // rate climbs back from there.
        let resume = now + wait.unwrap_or(DEFAULT_PAUSE);
        state.slowed = Some((resume, rate));
        let (_, tolerance) = self.spacing(rate);
        state.tat = Some(resume + tolerance);
        self.generation.fetch_add(1, Ordering::AcqRel);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The start times of `n` requests taken back to back, relative to the first call.
    async fn starts(limiter: &Limiter, n: usize) -> Vec<Duration> {
        let t0 = Instant::now();
        let mut out = Vec::new();
        for _ in 0..n {
            limiter.acquire(Route::Sender).await;
            out.push(Instant::now() - t0);
        }
        out
    }

    #[test]
    fn settings() {
        assert!(Limiter::new(RateLimit::off()).is_none());
        assert_eq!(RateLimit::per_second(5).burst(0).burst_size(), 1);
        assert_eq!(RateLimit::per_second(0), RateLimit::off());
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_evenly_spaced() {
        let limiter = Limiter::new(RateLimit::per_second(100)).unwrap();
        let times = starts(&limiter, 5).await;
        assert_eq!(times, [ms(0), ms(10), ms(20), ms(30), ms(40)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_starts_at_once_then_the_rate_applies() {
        let limiter = Limiter::new(RateLimit::per_second(100).burst(3)).unwrap();
        let times = starts(&limiter, 5).await;
        assert_eq!(times, [ms(0), ms(0), ms(0), ms(10), ms(20)]);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_get_consecutive_slots() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::per_second(1000)).unwrap());
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.acquire(Route::Sender).await;
                    Instant::now() - t0
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        let expected: Vec<_> = (0..20).map(ms).collect();
        assert_eq!(times, expected);
    }

    #[tokio::test(start_paused = true)]
    async fn any_second_holds_at_most_the_rate() {
        let limiter = Limiter::new(RateLimit::per_second(50)).unwrap();
        let times = starts(&limiter, 200).await;
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + ms(1000))
                .count();
            assert!(
                in_window <= 50,
                "{in_window} starts in the second from {t:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn routes_have_their_own_buckets() {
        let limiter = Limiter::new(RateLimit::per_second(1)).unwrap();
        let t0 = Instant::now();
        limiter.acquire(Route::Sender).await;
        limiter.acquire(Route::Waba).await;
        assert_eq!(Instant::now() - t0, Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn too_many_requests_halves_the_rate_pauses_and_recovers() {
        let limiter = Limiter::new(RateLimit::per_second(100)).unwrap();
        let permit = limiter.acquire(Route::Sender).await;
        assert!(limiter.throttled(Route::Sender, permit, Some(ms(2000))));
        // A second answer from the same round does not slow down again.
        assert!(!limiter.throttled(Route::Sender, permit, None));
        assert_eq!(limiter.current_rate(Route::Sender), 50.0);

        let t0 = Instant::now();
        let times = starts(&limiter, 3).await;
        // Nothing before Retry-After; then 50 a second (20 ms apart), climbing back.
        assert_eq!(times[0], ms(2000));
        assert!(times[1] - times[0] >= ms(17) && times[1] - times[0] <= ms(20));
        tokio::time::sleep_until(t0 + ms(7000)).await;
        assert_eq!(limiter.current_rate(Route::Sender), 100.0);

        // Without Retry-After: a one-second pause; and never below one a second.
        for _ in 0..20 {
            let permit = limiter.acquire(Route::Sender).await;
            limiter.throttled(Route::Sender, permit, None);
        }
        assert!(limiter.current_rate(Route::Sender) >= MIN_RATE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slowdown_voids_the_slots_already_reserved() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::per_second(10)).unwrap());
        let first = limiter.acquire(Route::Sender).await;
        let t0 = Instant::now();
        // This waiter reserved the slot at 100 ms before the slowdown.
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                limiter.acquire(Route::Sender).await;
                Instant::now() - t0
            })
        };
        tokio::task::yield_now().await;
        assert!(limiter.throttled(Route::Sender, first, Some(ms(500))));
        assert_eq!(waiter.await.unwrap(), ms(500));
    }
}
